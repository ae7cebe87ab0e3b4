"""Who do I answer next (issue 16): each conversation says since when its customer waits, and the inbox can be read
longest-waiting first, paged; a customer's conversations across channels can be listed for the card."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import update

from omnidesk.server.conversations.models import Message


async def _seed(api):
    await api.user("olena")
    headers = {"Authorization": f"Bearer {(await api.login('olena'))['access_token']}"}
    channel_id, token = await api.channel("Site")
    other_channel, other_token = await api.channel("Mail")
    ids = {}
    for name, phone in (("Anna", "+380501000001"), ("Bohdan", "+380501000002"), ("Vira", "+380501000003")):
        r = await api.inbound(channel_id, token, f"{name}-1", phone, f"{name}: first", name=name)
        assert r.status_code in (200, 201), r.text
        ids[name] = r.json()["conversation_id"]
    # Anna gets an answer and writes again; Bohdan waits since his first message; Vira was answered and is quiet.
    for name in ("Anna", "Vira"):
        r = await api.client.post(
            f"/api/v1/conversations/{ids[name]}/messages", json={"text": "Answer", "client_key": f"k-{name}"},
            headers=headers,
        )  # fmt: skip
        assert r.status_code in (200, 201), r.text
    r = await api.inbound(channel_id, token, "Anna-2", "+380501000001", "Anna: again", name="Anna")
    anna_again = r.json()["message_id"]
    r = await api.inbound(other_channel, other_token, "Anna-mail", "+380501000001", "Anna by mail", name="Anna")
    ids["Anna mail"] = r.json()["conversation_id"]
    now = datetime.now(UTC)
    async with api.db.engine.begin() as conn:
        clock = {ids["Bohdan"]: 50, ids["Anna"]: 70, ids["Vira"]: 60, ids["Anna mail"]: 5}
        for conversation_id, minutes in clock.items():
            # Through the model's column type, as the server writes times (UTC, naive text on SQLite).
            await conn.execute(
                update(Message)
                .where(Message.conversation_id == conversation_id)
                .values(sent_at=now - timedelta(minutes=minutes))
            )
        await conn.execute(update(Message).where(Message.id == anna_again).values(sent_at=now - timedelta(minutes=20)))
    return headers, ids, now


async def test_unanswered_since_is_the_oldest_unanswered_message_and_the_order_is_longest_wait_first(api):
    headers, ids, now = await _seed(api)
    r = await api.client.get("/api/v1/conversations?order=waiting&limit=1", headers=headers)
    assert r.status_code == 200, r.text
    seen, page = [], r.json()
    for _ in range(10):
        seen += page["items"]
        if not page["next_cursor"]:
            break
        r = await api.client.get(f"/api/v1/conversations?order=waiting&limit=1&cursor={page['next_cursor']}",
                                 headers=headers)  # fmt: skip
        assert r.status_code == 200, r.text
        page = r.json()
    # Vira is answered (nobody waits); Bohdan waits 50 min, Anna 20 min (since her message after the answer).
    assert [c["id"] for c in seen] == [ids["Bohdan"], ids["Anna"], ids["Anna mail"]]
    waited = {c["id"]: now - datetime.fromisoformat(c["unanswered_since"]) for c in seen}
    assert timedelta(minutes=49) < waited[ids["Bohdan"]] < timedelta(minutes=51)
    assert timedelta(minutes=19) < waited[ids["Anna"]] < timedelta(minutes=21)
    r = await api.client.get("/api/v1/conversations", headers=headers)
    by_id = {c["id"]: c for c in r.json()["items"]}
    assert by_id[ids["Vira"]]["unanswered_since"] is None
    assert by_id[ids["Bohdan"]]["unanswered_since"] is not None


async def test_a_customers_conversations_across_channels(api):
    headers, ids, _ = await _seed(api)
    r = await api.client.get(f"/api/v1/conversations/{ids['Anna']}", headers=headers)
    customer_id = r.json()["customer"]["id"]
    statuses = "status=open&status=pending&status=resolved"
    r = await api.client.get(f"/api/v1/conversations?customer_id={customer_id}&{statuses}", headers=headers)
    assert r.status_code == 200, r.text
    assert sorted(c["id"] for c in r.json()["items"]) == sorted([ids["Anna"], ids["Anna mail"]])
    r = await api.client.get("/api/v1/conversations?order=nonsense", headers=headers)
    assert r.status_code == 422
