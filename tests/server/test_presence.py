"""Presence, "take next" under concurrency, push assignment, the offline grace period, transfer and the board."""

from __future__ import annotations

import asyncio
import datetime as dt

from sqlalchemy import select, update

from omnidesk.server.conversations.models import Conversation
from omnidesk.server.presence.models import Presence
from omnidesk.server.presence.service import Assigner
from omnidesk.server.queues.models import Queue
from tests.server.customer_helpers import add_queue
from tests.sse import StreamReader, of_type


async def _me(api, headers) -> int:
    return (await api.client.get("/api/v1/me", headers=headers)).json()["id"]


async def _waiting(api, n: int, *, queue_id=None, prefix="w") -> list[int]:
    channel_id, token = await api.channel(f"ch-{prefix}", queue_id=queue_id)
    ids = []
    for i in range(n):
        r = await api.inbound(channel_id, token, f"{prefix}-{i}", value=f"+38050{7000000 + i}", text=f"m{i}")
        assert r.status_code == 201, r.text
        ids.append(r.json()["conversation_id"])
    return ids


async def test_presence_is_set_by_hand_and_colleagues_and_supervisors_hear_it(api):
    queue = await add_queue(api, "Support")
    alice = await api.headers_for("alice", queue_ids=[queue])
    bob = await api.headers_for("bob", queue_ids=[queue])
    sup = await api.headers_for("sup", "supervisor")
    head = (await api.client.get("/api/v1/events/head", headers=bob)).json()["last_event_id"]
    async with StreamReader(api.url, bob, after=head) as stream:
        r = await api.client.put("/api/v1/presence", json={"status": "online"}, headers=alice)
        assert r.status_code == 200 and r.json()["status"] == "online"
        await stream.wait_for(lambda ev: of_type(ev, "presence.updated"), timeout=10)
    assert of_type(stream.events, "presence.updated")[0]["payload"]["presence"]["user_id"] == await _me(api, alice)
    listed = {p["display_name"]: p["status"] for p in (await api.client.get("/api/v1/presence", headers=sup)).json()}
    assert listed["alice"] == "online" and listed["bob"] == "offline"
    assert (await api.client.put("/api/v1/presence", json={"status": "busy"}, headers=alice)).status_code == 422


async def test_take_next_gives_highest_priority_then_longest_waiting_and_204_when_empty(api):
    op = await api.headers_for("op")
    ids = await _waiting(api, 3)
    async with api.db.session() as session:
        await session.execute(update(Conversation).where(Conversation.id == ids[2]).values(priority=3))
        await session.commit()
    got = []
    for _ in range(3):
        r = await api.client.post("/api/v1/conversations/next", headers=op)
        assert r.status_code == 200, r.text
        assert r.json()["assignee_id"] == await _me(api, op) and r.json()["waiting_since"] is None
        got.append(r.json()["id"])
    assert got == [ids[2], ids[0], ids[1]]
    assert (await api.client.post("/api/v1/conversations/next", headers=op)).status_code == 204


async def test_fifty_concurrent_take_next_never_give_one_conversation_to_two_operators(api):
    ids = await _waiting(api, 30)
    headers = [await api.headers_for(f"op{i}") for i in range(50)]
    answers = await asyncio.gather(*(api.client.post("/api/v1/conversations/next", headers=h) for h in headers))
    codes = sorted(r.status_code for r in answers)
    assert codes == [200] * 30 + [204] * 20, codes
    taken = [r.json()["id"] for r in answers if r.status_code == 200]
    assert sorted(taken) == sorted(ids)  # each conversation exactly once
    async with api.db.session() as session:
        assignees = (await session.execute(select(Conversation.assignee_id).where(Conversation.id.in_(ids)))).scalars()
        assert len(set(assignees)) == 30


async def test_assignment_race_answers_409_naming_who_took_it(api):
    (conversation_id,) = await _waiting(api, 1)
    first = await api.headers_for("first")
    second = await api.headers_for("second")
    assert (await api.client.post(f"/api/v1/conversations/{conversation_id}/assign", headers=first)).status_code == 200
    r = await api.client.post(f"/api/v1/conversations/{conversation_id}/assign", headers=second)
    assert r.status_code == 409 and r.json()["detail"]["assignee_name"] == "first"


async def test_take_next_skips_work_that_needs_a_skill_the_operator_lacks(api):
    queue = await add_queue(api, "Loans")
    ids = await _waiting(api, 2, queue_id=queue)
    sup = await api.headers_for("sup", "supervisor")
    novice = await api.headers_for("novice", queue_ids=[queue])
    expert = await api.headers_for("expert", queue_ids=[queue])
    r = await api.client.put(
        f"/api/v1/queues/{queue}/members/{await _me(api, expert)}", json={"skills": ["loans"]}, headers=sup
    )
    assert r.status_code == 200 and r.json()["skills"] == ["loans"]
    async with api.db.session() as session:
        await session.execute(update(Conversation).where(Conversation.id == ids[0]).values(required_skill="loans"))
        await session.commit()
    assert (await api.client.post("/api/v1/conversations/next", headers=novice)).json()["id"] == ids[1]
    assert (await api.client.post("/api/v1/conversations/next", headers=novice)).status_code == 204
    assert (await api.client.post("/api/v1/conversations/next", headers=expert)).json()["id"] == ids[0]


async def test_push_mode_offers_work_to_the_least_loaded_online_member_within_capacity(api):
    queue = await add_queue(api, "Push")
    sup = await api.headers_for("sup", "supervisor")
    ops = {name: await api.headers_for(name, queue_ids=[queue]) for name in ("ann", "ben", "cat")}
    ids = {name: await _me(api, h) for name, h in ops.items()}
    for name in ("ann", "ben"):
        await api.client.put("/api/v1/presence", json={"status": "online"}, headers=ops[name])
        await api.client.put(f"/api/v1/queues/{queue}/members/{ids[name]}", json={"capacity": {"chat": 2}}, headers=sup)
    r = await api.client.patch(f"/api/v1/queues/{queue}", json={"auto_assign": True}, headers=sup)
    assert r.status_code == 200 and r.json()["auto_assign"] is True
    conversations = await _waiting(api, 5, queue_id=queue)
    await Assigner(api.db).run_once()  # the server's own assigner may have taken some of them already: same rule
    async with api.db.session() as session:
        rows = (
            (await session.execute(select(Conversation.assignee_id).where(Conversation.id.in_(conversations))))
            .scalars()
            .all()
        )
    per = {}
    for user in rows:
        per[user] = per.get(user, 0) + 1
    # Two each (their capacity); cat is offline; the fifth waits.
    assert per == {ids["ann"]: 2, ids["ben"]: 2, None: 1}


async def test_an_operator_offline_past_the_grace_period_returns_their_work_to_the_queue(api):
    queue = await add_queue(api, "Grace")
    op = await api.headers_for("op", queue_ids=[queue])
    ids = await _waiting(api, 2, queue_id=queue)
    for _ in ids:
        assert (await api.client.post("/api/v1/conversations/next", headers=op)).status_code == 200
    await api.client.put("/api/v1/presence", json={"status": "online"}, headers=op)
    await api.client.put("/api/v1/presence", json={"status": "offline"}, headers=op)
    assert (await Assigner(api.db, grace=60).run_once())[1] == []  # within the grace period: kept
    async with api.db.session() as session:
        await session.execute(update(Presence).values(offline_since=dt.datetime.now(dt.UTC) - dt.timedelta(seconds=61)))
        await session.commit()
    _, returned = await Assigner(api.db, grace=60).run_once()
    assert sorted(returned) == sorted(ids)
    sup = await api.headers_for("sup", "supervisor")
    for conversation_id in ids:
        c = (await api.client.get(f"/api/v1/conversations/{conversation_id}", headers=sup)).json()
        assert c["assignee_id"] is None and c["waiting_since"] is not None


async def test_transfer_to_a_queue_and_to_a_colleague_with_a_note_shows_in_the_timeline(api):
    sales = await add_queue(api, "Sales")
    (conversation_id,) = await _waiting(api, 1)
    op = await api.headers_for("op")
    colleague = await api.headers_for("colleague", queue_ids=[sales])
    assert (await api.client.post("/api/v1/conversations/next", headers=op)).status_code == 200
    r = await api.client.post(
        f"/api/v1/conversations/{conversation_id}/transfer",
        json={"queue_id": sales, "note": "Wants a loan, already verified"},
        headers=op,
    )
    assert r.status_code == 200, r.text
    assert r.json()["queue_id"] == sales and r.json()["assignee_id"] is None and r.json()["waiting_since"]
    # The colleague in Sales sees it now, with the note, and takes it.
    messages = (await api.client.get(f"/api/v1/conversations/{conversation_id}/messages", headers=colleague)).json()
    assert [(m["kind"], m["text"]) for m in messages["items"]][-1] == ("note", "Wants a loan, already verified")
    assert (await api.client.post("/api/v1/conversations/next", headers=colleague)).json()["id"] == conversation_id
    r = await api.client.post(
        f"/api/v1/conversations/{conversation_id}/transfer", json={"user_id": await _me(api, op)}, headers=colleague
    )
    assert r.status_code == 200 and r.json()["assignee_id"] == await _me(api, op)
    customer_id = r.json()["customer"]["id"]
    timeline = (await api.client.get(f"/api/v1/customers/{customer_id}/timeline", headers=colleague)).json()["items"]
    transfers = [i["payload"] for i in timeline if i["kind"] == "transferred"]
    assert len(transfers) == 2 and transfers[-1]["note"] == "Wants a loan, already verified"
    # the queues by the names they had, so the timeline reads "transferred to the queue Sales"
    to_sales = next(t for t in transfers if t["to"]["queue_id"] == sales and t["to"]["user_id"] is None)
    assert to_sales["to"]["queue_name"] == "Sales"
    assert to_sales["from"]["queue_name"] and to_sales["from"]["queue_name"] != "Sales"
    bad = await api.client.post(f"/api/v1/conversations/{conversation_id}/transfer", json={}, headers=op)
    assert bad.status_code == 422


async def test_board_counts_waiting_work_and_bulk_reassign_moves_a_selection(api):
    vip = await add_queue(api, "VIP")
    sup = await api.headers_for("sup", "supervisor")
    op = await api.headers_for("op", queue_ids=[vip])
    await api.client.put("/api/v1/presence", json={"status": "online"}, headers=op)
    ids = await _waiting(api, 4, queue_id=vip)
    async with api.db.session() as session:
        old = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=100)
        await session.execute(update(Conversation).where(Conversation.id == ids[0]).values(waiting_since=old))
        await session.commit()
    board = (await api.client.get("/api/v1/board", headers=sup)).json()
    tile = next(t for t in board["queues"] if t["queue_id"] == vip)
    assert tile["waiting"] == 4 and tile["in_progress"] == 0 and tile["online_operators"] == 1
    assert 100 <= tile["longest_wait_s"] < 130 and 25 <= tile["average_wait_s"] < 40
    assert next(w["conversation_id"] for w in board["waiting"] if w["queue_id"] == vip) == ids[0]
    op_id = await _me(api, op)
    head = (await api.client.get("/api/v1/events/head", headers=op)).json()["last_event_id"]
    async with StreamReader(api.url, op, after=head) as stream:
        r = await api.client.post(
            "/api/v1/board/reassign", json={"conversation_ids": [ids[0], ids[1], 98765], "user_id": op_id}, headers=sup
        )
        await stream.wait_for(lambda ev: len(of_type(ev, "conversation.updated")) >= 2, timeout=10)
    assert r.json()["moved"] == [ids[0], ids[1]] and list(r.json()["refused"]) == ["98765"]
    updated = [e["payload"]["conversation"] for e in of_type(stream.events, "conversation.updated")]
    assert {c["id"] for c in updated} == {ids[0], ids[1]} and all(c["assignee_id"] == op_id for c in updated)
    board = (await api.client.get("/api/v1/board", headers=sup)).json()
    tile = next(t for t in board["queues"] if t["queue_id"] == vip)
    assert (tile["waiting"], tile["in_progress"]) == (2, 2)
    assert next(o for o in board["operators"] if o["user_id"] == op_id)["load"] == 2
    mine = await api.client.get("/api/v1/board", headers=op)  # an operator's board: their own queues, read-only
    assert mine.status_code == 200 and [t["queue_id"] for t in mine.json()["queues"]] == [vip]


async def test_queue_admin_api_validates_calendars_and_members(api):
    sup = await api.headers_for("sup", "supervisor")
    r = await api.client.post("/api/v1/queues", json={"name": "Kyiv", "calendar": {"tz": "Mars/Base"}}, headers=sup)
    assert r.status_code == 422 and "Mars/Base" in r.text
    r = await api.client.post(
        "/api/v1/queues",
        json={"name": "Kyiv", "calendar": {"tz": "Europe/Kyiv", "week": {"0": [["09:00", "18:00"]]}}},
        headers=sup,
    )
    assert r.status_code == 201
    assert (await api.client.post("/api/v1/queues", json={"name": "Kyiv"}, headers=sup)).status_code == 422
    queue = r.json()["id"]
    user = await api.user("member")
    r = await api.client.put(
        f"/api/v1/queues/{queue}/members/{user['id']}",
        json={"skills": ["cards", "cards", "loans"], "capacity": {"chat": 3, "email": 8}, "priority": 2},
        headers=sup,
    )
    assert r.status_code == 200 and r.json()["skills"] == ["cards", "loans"]
    members = (await api.client.get(f"/api/v1/queues/{queue}/members", headers=sup)).json()
    assert members[0]["capacity"] == {"chat": 3, "email": 8} and members[0]["priority"] == 2
    bad = await api.client.put(
        f"/api/v1/queues/{queue}/members/{user['id']}", json={"capacity": {"fax": 1}}, headers=sup
    )
    assert bad.status_code == 422
    assert (await api.client.delete(f"/api/v1/queues/{queue}/members/{user['id']}", headers=sup)).status_code == 204
    async with api.db.session() as session:
        assert (await session.get(Queue, queue)).calendar["tz"] == "Europe/Kyiv"


async def test_viewing_and_typing_reach_colleagues_who_see_the_conversation_only(api):
    queue = await add_queue(api, "Support")
    (conversation_id,) = await _waiting(api, 1, queue_id=queue)
    alice = await api.headers_for("alice", queue_ids=[queue])
    bob = await api.headers_for("bob", queue_ids=[queue])
    outsider = await api.headers_for("outsider")
    head = (await api.client.get("/api/v1/events/head", headers=bob)).json()["last_event_id"]
    async with StreamReader(api.url, bob, after=head) as stream:
        r = await api.client.post(
            f"/api/v1/conversations/{conversation_id}/activity", json={"typing": True}, headers=alice
        )
        assert r.status_code == 204
        await stream.wait_for(lambda ev: of_type(ev, "conversation.activity"), timeout=10)
    seen = of_type(stream.events, "conversation.activity")[0]["payload"]["activity"]
    assert (seen["conversation_id"], seen["display_name"], seen["typing"]) == (conversation_id, "alice", True)
    r = await api.client.post(f"/api/v1/conversations/{conversation_id}/activity", json={}, headers=outsider)
    assert r.status_code == 404


async def test_a_client_silent_past_the_presence_timeout_goes_offline_and_a_heartbeat_keeps_it(api):
    quiet = await api.headers_for("quiet")
    alive = await api.headers_for("alive")
    for headers in (quiet, alive):
        await api.client.put("/api/v1/presence", json={"status": "online"}, headers=headers)
    async with api.db.session() as session:
        await session.execute(update(Presence).values(last_seen_at=dt.datetime.now(dt.UTC) - dt.timedelta(seconds=200)))
        await session.commit()
    # The live client's heartbeat (the same status again) renews it without an event.
    assert (await api.client.put("/api/v1/presence", json={"status": "online"}, headers=alive)).status_code == 200
    await Assigner(api.db, silence=180).run_once()
    sup = await api.headers_for("sup", "supervisor")
    listed = {p["display_name"]: p["status"] for p in (await api.client.get("/api/v1/presence", headers=sup)).json()}
    assert (listed["quiet"], listed["alive"]) == ("offline", "online")
    async with api.db.session() as session:
        row = await session.get(Presence, (await _me(api, quiet)))
        assert row.offline_since is not None  # the grace period for their work has started


async def test_the_client_board_counts_waiting_work_beyond_the_listed_first_500(api, monkeypatch):
    """GET /board lists the first WAITING_LIST_LIMIT waiting conversations (500; 3 here); the client's tiles counted
    only the listed rows, so a busy queue showed 500 waiting and a too short longest/average wait. Now the unlisted
    rest is kept as a count with its waits, and an event of an unlisted conversation (taken) moves it out."""
    from omnidesk.client.workorg.board_state import BoardState
    from omnidesk.protocol import ConversationOut
    from omnidesk.protocol.workorg import Board
    from omnidesk.server.presence import service as presence

    monkeypatch.setattr(presence, "WAITING_LIST_LIMIT", 3)
    vip = await add_queue(api, "VIP")
    sup = await api.headers_for("sup", "supervisor")
    op = await api.headers_for("op", queue_ids=[vip])
    ids = await _waiting(api, 7, queue_id=vip)
    async with api.db.session() as session:  # the older ones wait longer: 700 s .. 100 s
        for n, conversation_id in enumerate(ids):
            since = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=700 - 100 * n)
            await session.execute(
                update(Conversation).where(Conversation.id == conversation_id).values(waiting_since=since)
            )
        await session.commit()
    board = Board.model_validate((await api.client.get("/api/v1/board", headers=sup)).json())
    server_tile = next(t for t in board.queues if t.queue_id == vip)
    assert len([w for w in board.waiting if w.queue_id == vip]) == 3 and server_tile.waiting == 7
    state = BoardState()
    state.load(board)
    tile = next(f for f in state.figures(board.at) if f.queue_id == vip)
    assert tile.waiting == 7
    assert (
        abs(tile.longest_wait_s - server_tile.longest_wait_s) < 1
        and abs(tile.average_wait_s - server_tile.average_wait_s) < 1
    )
    later = next(f for f in state.figures(board.at + dt.timedelta(seconds=60)) if f.queue_id == vip)
    assert (
        abs(later.longest_wait_s - tile.longest_wait_s - 60) < 1
        and abs(later.average_wait_s - tile.average_wait_s - 60) < 1
    )
    listed = {w.conversation_id for w in board.waiting}
    unlisted = next(i for i in ids if i not in listed)
    r = await api.client.post(f"/api/v1/conversations/{unlisted}/assign", json={}, headers=op)
    assert r.status_code == 200, r.text
    state.apply_conversation(ConversationOut.model_validate(r.json()))
    fresh = Board.model_validate((await api.client.get("/api/v1/board", headers=sup)).json())
    now = next(f for f in state.figures(fresh.at) if f.queue_id == vip)
    server_now = next(t for t in fresh.queues if t.queue_id == vip)
    assert (now.waiting, now.in_progress) == (server_now.waiting, server_now.in_progress) == (6, 1)


async def test_an_operators_board_shows_their_own_queues_only(api):
    """Operators see how long people wait in their queues (read-only); supervisors every queue; nobody moves work
    without the permission to assign colleagues."""
    vip = await add_queue(api, "VIP")
    sales = await add_queue(api, "Sales")
    op = await api.headers_for("op", queue_ids=[vip])
    sup = await api.headers_for("sup", "supervisor")
    colleague = await api.headers_for("colleague", queue_ids=[sales])
    await _waiting(api, 2, queue_id=vip, prefix="v")
    sold = await _waiting(api, 3, queue_id=sales, prefix="s")
    mine = (await api.client.get("/api/v1/board", headers=op)).json()
    assert [t["name"] for t in mine["queues"]] == ["VIP"] and mine["queues"][0]["waiting"] == 2
    assert {w["queue_id"] for w in mine["waiting"]} == {vip}
    assert {o["display_name"] for o in mine["operators"]} == {"op"}  # not the Sales colleague
    everything = (await api.client.get("/api/v1/board", headers=sup)).json()
    assert {"VIP", "Sales"} <= {t["name"] for t in everything["queues"]}
    r = await api.client.post(
        "/api/v1/board/reassign", json={"conversation_ids": sold[:1], "queue_id": vip}, headers=op
    )
    assert r.status_code == 403
    assert (await api.client.get("/api/v1/board", headers=colleague)).json()["queues"][0]["name"] == "Sales"


async def test_an_operator_sees_the_presence_and_load_of_colleagues_in_their_own_queues_only(api):
    support, sales = await add_queue(api, "Support"), await add_queue(api, "Sales")
    alice = await api.headers_for("alice", queue_ids=[support])
    bob = await api.headers_for("bob", queue_ids=[support, sales])
    carol = await api.headers_for("carol", queue_ids=[sales])
    sup = await api.headers_for("sup", "supervisor")
    for headers in (alice, bob, carol):
        assert (await api.client.put("/api/v1/presence", json={"status": "online"}, headers=headers)).is_success
    (taken,) = await _waiting(api, 1, queue_id=sales, prefix="s")
    assert (await api.client.post("/api/v1/conversations/next", headers=bob)).json()["id"] == taken

    async def seen(headers) -> tuple[dict, dict]:
        presence = {
            p["display_name"]: p["status"] for p in (await api.client.get("/api/v1/presence", headers=headers)).json()
        }
        board = (await api.client.get("/api/v1/board", headers=headers)).json()
        return presence, {o["display_name"]: o for o in board["operators"]}

    presence, operators = await seen(alice)
    assert presence == {"alice": "online", "bob": "online"}  # carol works in Sales only: not alice's colleague
    assert set(operators) == {"alice", "bob"}
    # Bob's load counts his work in Sales, but alice is not told which other queues he works in.
    assert operators["bob"]["load"] == 1 and operators["bob"]["queue_ids"] == [support]
    presence, operators = await seen(carol)
    assert set(presence) == {"bob", "carol"} and operators["bob"]["queue_ids"] == [sales]
    presence, operators = await seen(sup)
    assert {"alice", "bob", "carol"} <= set(presence) and operators["bob"]["queue_ids"] == sorted([support, sales])
