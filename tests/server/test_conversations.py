"""The operator's inbox over the API: paging, filters, history, replies, status, assignment, unread counts."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select, update

from omnidesk.domain.enums import Role
from omnidesk.server.conversations.models import Conversation, Message
from tests.sse import StreamReader

CONVERSATIONS = "/api/v1/conversations"


async def _walk(api, headers, params=None, *, between_pages=None) -> list[dict]:
    """Every item of the conversation list, page by page; ``between_pages(n)`` runs after page n."""
    items, cursor, page = [], None, 0
    while True:
        query = {**(params or {}), **({"cursor": cursor} if cursor else {})}
        r = await api.client.get(CONVERSATIONS, params=query, headers=headers)
        assert r.status_code == 200, r.text
        body = r.json()
        items += body["items"]
        page += 1
        if between_pages:
            await between_pages(page)
        cursor = body["next_cursor"]
        if cursor is None:
            return items


async def _conversation(api, channel_id, token, n: int, text: str = "Hello") -> int:
    r = await api.inbound(channel_id, token, f"c{n}-m", value=f"+38067000{n:04d}", text=text)
    assert r.status_code == 201, r.text
    return r.json()["conversation_id"]


async def test_newest_activity_first_and_paging_has_no_duplicates_or_gaps_while_conversations_arrive(api):
    channel_id, token = await api.channel()
    headers = await api.headers_for("op")
    existing = [await _conversation(api, channel_id, token, n) for n in range(11)]

    async def new_conversation_arrives(page: int) -> None:
        await _conversation(api, channel_id, token, 100 + page)

    items = await _walk(api, headers, {"limit": 3}, between_pages=new_conversation_arrives)
    ids = [c["id"] for c in items]
    assert len(ids) == len(set(ids)), f"duplicates across pages: {ids}"
    assert ids == sorted(existing, reverse=True), "every conversation present at the start, newest first"
    activity = [c["last_message_at"] for c in items]
    assert activity == sorted(activity, reverse=True)


async def test_a_conversation_that_moves_to_the_top_during_paging_is_not_served_twice(api):
    channel_id, token = await api.channel()
    headers = await api.headers_for("op")
    ids = [await _conversation(api, channel_id, token, n) for n in range(8)]
    newest_first = list(reversed(ids))
    served_on_first_page = newest_first[:3]

    async def activity_in_seen_and_unseen(page: int) -> None:
        if page == 1:  # one already served, one not yet served: both jump to the top
            await api.inbound(channel_id, token, "again-seen", value="+380670000007", text="again")
            await api.inbound(channel_id, token, "again-unseen", value="+380670000000", text="again")

    items = await _walk(api, headers, {"limit": 3}, between_pages=activity_in_seen_and_unseen)
    walked = [c["id"] for c in items]
    assert len(walked) == len(set(walked)), walked
    untouched = [i for i in newest_first if i not in (ids[7], ids[0])]
    assert [i for i in walked if i in untouched] == untouched
    assert served_on_first_page[0] == ids[7]
    # The next walk shows the new order.
    assert [c["id"] for c in await _walk(api, headers, {"limit": 3})][:2] == [ids[0], ids[7]]


async def test_filters_by_status_channel_and_assignee(api):
    web_id, web_token = await api.channel("Web")
    app_id, app_token = await api.channel("App")
    op = await api.headers_for("op")
    supervisor = await api.headers_for("sup", Role.SUPERVISOR)
    sup_id = (await api.client.get("/api/v1/me", headers=supervisor)).json()["id"]
    a = await _conversation(api, web_id, web_token, 1)
    b = await _conversation(api, web_id, web_token, 2)
    c = await _conversation(api, app_id, app_token, 3)
    d = await _conversation(api, app_id, app_token, 4)
    await api.client.post(f"{CONVERSATIONS}/{a}/assign", headers=op)
    await api.client.post(f"{CONVERSATIONS}/{b}/status", json={"status": "pending"}, headers=op)
    await api.client.post(f"{CONVERSATIONS}/{c}/status", json={"status": "resolved"}, headers=op)
    await api.client.post(f"{CONVERSATIONS}/{d}/assign", json={"user_id": sup_id}, headers=supervisor)

    async def ids(**params) -> set[int]:
        return {c["id"] for c in await _walk(api, op, params)}

    assert await ids() == {a, b, c, d}
    assert await ids(status="open") == {a, d}
    assert await ids(status=["pending", "resolved"]) == {b, c}
    assert await ids(channel_id=web_id) == {a, b}
    assert await ids(channel_id=app_id, status="open") == {d}
    assert await ids(assignee="me") == {a}
    assert await ids(assignee="unassigned") == {b, c}
    assert await ids(assignee=str(sup_id)) == {d}
    r = await api.client.get(CONVERSATIONS, params={"assignee": "somebody"}, headers=op)
    assert r.status_code == 400
    r = await api.client.get(CONVERSATIONS, params={"status": "sleeping"}, headers=op)
    assert r.status_code == 422


async def test_a_cursor_the_server_did_not_issue_is_400(api):
    headers = await api.headers_for("op")
    for cursor in ("garbage!", "bm90IGEgbGlzdA", "WzFd"):
        r = await api.client.get(CONVERSATIONS, params={"cursor": cursor}, headers=headers)
        assert r.status_code == 400, (cursor, r.text)


async def test_messages_page_back_without_gaps_while_new_messages_arrive(api):
    channel_id, token = await api.channel()
    headers = await api.headers_for("op")
    conversation_id = None
    for i in range(7):
        conversation_id = (await api.inbound(channel_id, token, f"m-{i}", text=f"message {i}")).json()[
            "conversation_id"
        ]
    url = f"{CONVERSATIONS}/{conversation_id}/messages"
    first = (await api.client.get(url, params={"limit": 3}, headers=headers)).json()
    assert [m["text"] for m in first["items"]] == ["message 4", "message 5", "message 6"]  # oldest to newest
    await api.inbound(channel_id, token, "m-late", text="arrived while paging")
    pages, cursor = [first["items"]], first["next_cursor"]
    while cursor:
        body = (await api.client.get(url, params={"limit": 3, "cursor": cursor}, headers=headers)).json()
        pages.append(body["items"])
        cursor = body["next_cursor"]
    texts = [m["text"] for page in reversed(pages) for m in page]
    assert texts == [f"message {i}" for i in range(7)]
    newest = (await api.client.get(url, params={"limit": 1}, headers=headers)).json()["items"]
    assert [m["text"] for m in newest] == ["arrived while paging"]


async def test_reply_is_stored_assigns_the_conversation_and_resets_unread(api, webhook_sink):
    channel_id, token = await api.channel(webhook_url=webhook_sink.url)
    headers = await api.headers_for("op")
    conversation_id = (await api.inbound(channel_id, token, "m-1")).json()["conversation_id"]
    r = await api.client.post(f"{CONVERSATIONS}/{conversation_id}/messages", json={"text": "Вітаю!"}, headers=headers)
    assert r.status_code == 201, r.text
    reply = r.json()
    assert reply["direction"] == "out" and reply["text"] == "Вітаю!" and reply["author_name"] == "op"
    assert reply["delivery_status"] in ("queued", "sent")
    conversation = (await api.client.get(f"{CONVERSATIONS}/{conversation_id}", headers=headers)).json()
    assert conversation["assignee_name"] == "op"
    assert conversation["unread_count"] == 0
    assert conversation["last_message_direction"] == "out" and conversation["last_message_preview"] == "Вітаю!"


async def test_reply_with_the_same_client_key_twice_is_one_message(api):
    channel_id, token = await api.channel()
    headers = await api.headers_for("op")
    conversation_id = (await api.inbound(channel_id, token, "m-1")).json()["conversation_id"]
    url = f"{CONVERSATIONS}/{conversation_id}/messages"
    body = {"text": "Thanks, checking", "client_key": "draft-7f3a"}
    first = await api.client.post(url, json=body, headers=headers)
    second = await api.client.post(url, json=body, headers=headers)
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["id"] == second.json()["id"]
    assert second.json()["client_key"] == "draft-7f3a"
    async with api.db.session() as session:
        outgoing = await session.scalar(select(func.count()).where(Message.direction == "out"))
    assert outgoing == 1
    # The same key for another conversation is a client bug, not a second reply.
    other = await _conversation(api, channel_id, token, 9)
    r = await api.client.post(f"{CONVERSATIONS}/{other}/messages", json=body, headers=headers)
    assert r.status_code == 409
    r = await api.client.post(url, json={"text": "x", "client_key": "bad key with spaces"}, headers=headers)
    assert r.status_code == 422


async def test_reply_on_a_channel_without_webhook_is_marked_failed_with_the_reason(api):
    channel_id, token = await api.channel()  # no webhook URL
    headers = await api.headers_for("op")
    conversation_id = (await api.inbound(channel_id, token, "m-1")).json()["conversation_id"]
    r = await api.client.post(f"{CONVERSATIONS}/{conversation_id}/messages", json={"text": "hi"}, headers=headers)
    assert r.status_code == 201
    assert r.json()["delivery_status"] == "failed"
    assert "webhook" in r.json()["delivery_error"]


async def test_empty_reply_is_422(api):
    channel_id, token = await api.channel()
    headers = await api.headers_for("op")
    conversation_id = (await api.inbound(channel_id, token, "m-1")).json()["conversation_id"]
    for text in ("", "nul\x00char"):
        r = await api.client.post(f"{CONVERSATIONS}/{conversation_id}/messages", json={"text": text}, headers=headers)
        assert r.status_code == 422, r.text


async def test_status_changes_and_the_conflict_of_two_open_conversations(api):
    channel_id, token = await api.channel()
    headers = await api.headers_for("op")
    first = (await api.inbound(channel_id, token, "m-1")).json()["conversation_id"]
    url = f"{CONVERSATIONS}/{first}/status"
    for status in ("pending", "pending", "resolved", "open", "resolved"):
        r = await api.client.post(url, json={"status": status}, headers=headers)
        assert r.status_code == 200, r.text
        assert r.json()["status"] == status
    second = (await api.inbound(channel_id, token, "m-2")).json()["conversation_id"]
    assert second != first
    # Re-opening the old one would give the customer two open conversations on one channel.
    r = await api.client.post(url, json={"status": "open"}, headers=headers)
    assert r.status_code == 409
    assert "open conversation" in r.json()["detail"]
    assert (await api.client.get(f"{CONVERSATIONS}/{first}", headers=headers)).json()["status"] == "resolved"
    r = await api.client.post(url, json={"status": "closed-forever"}, headers=headers)
    assert r.status_code == 422


async def test_assign_to_self_give_to_another_and_unassign(api):
    channel_id, token = await api.channel()
    op = await api.headers_for("op")
    colleague = await api.headers_for("colleague")
    supervisor = await api.headers_for("sup", Role.SUPERVISOR)
    colleague_id = (await api.client.get("/api/v1/me", headers=colleague)).json()["id"]
    conversation_id = (await api.inbound(channel_id, token, "m-1")).json()["conversation_id"]
    url = f"{CONVERSATIONS}/{conversation_id}/assign"
    r = await api.client.post(url, headers=op)
    assert r.status_code == 200 and r.json()["assignee_name"] == "op"
    # Someone else's conversation: only the assignee or a supervisor may give it back.
    assert (await api.client.delete(url, headers=colleague)).status_code == 403
    r = await api.client.post(url, json={"user_id": colleague_id}, headers=supervisor)
    assert r.status_code == 200 and r.json()["assignee_id"] == colleague_id
    r = await api.client.delete(url, headers=colleague)
    assert r.status_code == 200 and r.json()["assignee_id"] is None
    r = await api.client.post(url, json={"user_id": 987654}, headers=supervisor)
    assert r.status_code == 422
    assert (await api.client.post(f"{CONVERSATIONS}/987654/assign", headers=op)).status_code == 404


async def test_read_resets_unread_and_new_messages_count_again(api):
    channel_id, token = await api.channel()
    headers = await api.headers_for("op")
    conversation_id = None
    for i in range(3):
        conversation_id = (await api.inbound(channel_id, token, f"m-{i}")).json()["conversation_id"]
    url = f"{CONVERSATIONS}/{conversation_id}"
    assert (await api.client.get(url, headers=headers)).json()["unread_count"] == 3
    r = await api.client.post(f"{url}/read", headers=headers)
    assert r.status_code == 200 and r.json()["unread_count"] == 0
    await api.inbound(channel_id, token, "m-3")
    assert (await api.client.get(url, headers=headers)).json()["unread_count"] == 1


async def test_unknown_conversation_is_404(api):
    headers = await api.headers_for("op")
    for method, suffix in (("GET", ""), ("GET", "/messages"), ("POST", "/read")):
        r = await api.client.request(method, f"{CONVERSATIONS}/987654{suffix}", headers=headers)
        assert r.status_code == 404


async def test_paging_through_conversations_with_equal_activity_times(api):
    channel_id, token = await api.channel()
    headers = await api.headers_for("op")
    ids = [await _conversation(api, channel_id, token, n) for n in range(7)]
    async with api.db.session() as session:
        same = dt.datetime(2026, 11, 22, 10, 0, tzinfo=dt.UTC)
        await session.execute(update(Conversation).values(last_message_at=same))
        await session.commit()
    walked = [c["id"] for c in await _walk(api, headers, {"limit": 2})]
    assert walked == sorted(ids, reverse=True)


async def test_every_change_gives_the_conversation_a_higher_revision_in_answers_pages_and_events(api):
    """Issue 12: the revision grows with each change, whichever path writes it (ingest, the group commit on
    PostgreSQL, the actions, a plain UPDATE no code path announces), and the events carry the revision of the state
    they describe, so a client can tell a late copy from a fresh one."""
    channel_id, token = await api.channel()
    headers = await api.headers_for("sup", Role.SUPERVISOR)
    head = (await api.client.get("/api/v1/events/head", headers=headers)).json()["last_event_id"]
    async with StreamReader(api.url, headers, after=head) as stream:
        conversation_id = (await api.inbound(channel_id, token, "m-1")).json()["conversation_id"]
        url = f"{CONVERSATIONS}/{conversation_id}"

        async def current() -> int:
            return (await api.client.get(url, headers=headers)).json()["revision"]

        seen = [await current()]
        assert (await api.inbound(channel_id, token, "m-2")).status_code == 201
        seen.append(await current())
        for method, suffix, body in (("POST", "/assign", None), ("POST", "/status", {"status": "pending"})):
            r = await api.client.request(method, url + suffix, json=body, headers=headers)
            assert r.status_code == 200, r.text
            seen.append(r.json()["revision"])
        assert (await api.inbound(channel_id, token, "m-3")).status_code == 201  # the customer re-opens it
        seen.append(await current())
        for method, suffix in (("POST", "/read"), ("DELETE", "/assign")):
            r = await api.client.request(method, url + suffix, headers=headers)
            assert r.status_code == 200, r.text
            seen.append(r.json()["revision"])
        assert seen == sorted(set(seen)), f"not strictly growing: {seen}"
        page = (await api.client.get(CONVERSATIONS, headers=headers)).json()["items"]
        assert [c["revision"] for c in page if c["id"] == conversation_id] == [seen[-1]]
        states = ("conversation.created", "conversation.updated")
        events = await stream.wait_for(lambda events: len([e for e in events if e["type"] in states]) >= len(seen))
    carried = [e["payload"]["conversation"]["revision"] for e in events if e["type"] in states]
    assert carried == seen  # each event with the revision of the state it carries, in the order they happened
    async with api.db.session() as session:  # a writer no API path goes through still counts
        await session.execute(update(Conversation).where(Conversation.id == conversation_id).values(priority=3))
        await session.commit()
    assert await current() == seen[-1] + 1
