"""The generic inbound endpoint: exactly once, clear refusals, normalised senders, acknowledgement after commit."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from sqlalchemy import func, select, text

from omnidesk.server.conversations.models import Conversation, Message
from omnidesk.server.customers.models import Customer, Identity
from omnidesk.server.db import Database


async def _count(api, model) -> int:
    async with api.db.session() as session:
        return await session.scalar(select(func.count()).select_from(model))


def _post(api, channel_id: int, token: str, body, **kw):
    return api.client.post(
        f"/api/v1/channels/{channel_id}/inbound", headers={"Authorization": f"Bearer {token}"}, **kw, json=body
    )


async def test_same_external_id_again_returns_the_same_ids_and_stores_nothing(api):
    channel_id, token = await api.channel()
    first = await api.inbound(channel_id, token, "ext-1", text="Hello")
    assert first.status_code == 201, first.text
    again = await api.inbound(channel_id, token, "ext-1", text="Hello")
    assert again.status_code == 200
    ids = ("message_id", "conversation_id", "customer_id")
    assert {k: again.json()[k] for k in ids} == {k: first.json()[k] for k in ids}
    assert again.json()["duplicate"] is True and first.json()["duplicate"] is False
    assert await _count(api, Message) == 1
    assert await _count(api, Customer) == 1
    conversation = (
        await api.client.get(
            f"/api/v1/conversations/{first.json()['conversation_id']}", headers=await api.headers_for("op")
        )
    ).json()
    assert conversation["unread_count"] == 1


async def test_same_external_id_on_another_channel_is_another_message(api):
    one_id, one_token = await api.channel("One")
    two_id, two_token = await api.channel("Two")
    a = await api.inbound(one_id, one_token, "ext-1")
    b = await api.inbound(two_id, two_token, "ext-1")
    assert a.status_code == b.status_code == 201
    assert a.json()["message_id"] != b.json()["message_id"]
    assert a.json()["customer_id"] == b.json()["customer_id"]
    assert await _count(api, Message) == 2


async def test_sixteen_concurrent_duplicates_store_one_message(api):
    channel_id, token = await api.channel()

    async def post() -> httpx.Response:
        async with httpx.AsyncClient(base_url=api.url, timeout=60) as client:
            return await client.post(
                f"/api/v1/channels/{channel_id}/inbound",
                json={"external_id": "dup", "sender": {"kind": "phone", "value": "+380501234567"}, "text": "once"},
                headers={"Authorization": f"Bearer {token}"},
            )

    responses = await asyncio.gather(*(post() for _ in range(16)))
    codes = sorted(r.status_code for r in responses)
    assert codes == [200] * 15 + [201], [r.text for r in responses if r.status_code >= 300]
    assert len({(r.json()["message_id"], r.json()["conversation_id"], r.json()["customer_id"]) for r in responses}) == 1
    assert await _count(api, Message) == 1
    assert await _count(api, Conversation) == 1
    assert await _count(api, Customer) == 1
    assert await _count(api, Identity) == 1


async def test_new_senders_racing_each_other_get_one_customer_each(api):
    """16 different messages from one new sender at once: one customer, one conversation, 16 messages."""
    channel_id, token = await api.channel()
    responses = await asyncio.gather(*(api.inbound(channel_id, token, f"m-{i}", value="0671112233") for i in range(16)))
    assert all(r.status_code == 201 for r in responses), [r.text for r in responses]
    assert len({r.json()["conversation_id"] for r in responses}) == 1
    assert await _count(api, Message) == 16
    assert await _count(api, Customer) == 1


async def test_bad_channel_token_is_401_and_stores_nothing(api):
    channel_id, token = await api.channel("One")
    _other_id, other_token = await api.channel("Two")
    body = {"external_id": "x", "sender": {"kind": "phone", "value": "+380501234567"}, "text": "hi"}
    for headers in (
        {},
        {"Authorization": "Bearer odc_wrong"},
        {"Authorization": f"Bearer {other_token}"},
        {"Authorization": f"Basic {token}"},
    ):
        r = await api.client.post(f"/api/v1/channels/{channel_id}/inbound", json=body, headers=headers)
        assert r.status_code == 401, (headers, r.text)
    assert await _count(api, Message) == 0


MALFORMED = {
    "no-external-id": ({"sender": {"kind": "phone", "value": "+380501234567"}, "text": "no id"}, "external_id"),
    "no-text": ({"external_id": "x", "sender": {"kind": "phone", "value": "+380501234567"}}, "text"),
    "unknown-kind": ({"external_id": "x", "sender": {"kind": "pigeon", "value": "grey"}, "text": "hi"}, "kind"),
    "empty-text": ({"external_id": "x", "sender": {"kind": "phone", "value": "+380501234567"}, "text": ""}, "text"),
    "unknown-field": (
        {"external_id": "x", "sender": {"kind": "phone", "value": "+380501234567"}, "text": "hi", "extra": 1},
        "extra",
    ),
    "short-phone": ({"external_id": "x", "sender": {"kind": "phone", "value": "12"}, "text": "hi"}, "value"),
    "words-phone": ({"external_id": "x", "sender": {"kind": "phone", "value": "call me"}, "text": "hi"}, "value"),
    # PostgreSQL cannot store U+0000: refused with a reason on both databases, never a 500.
    "nul-in-text": ({"external_id": "x", "sender": {"kind": "external", "value": "u1"}, "text": "a\x00b"}, "text"),
    "nul-in-name": (
        {"external_id": "x", "sender": {"kind": "phone", "value": "+380501234567", "name": "A\x00"}, "text": "hi"},
        "name",
    ),
    "bad-email": ({"external_id": "x", "sender": {"kind": "email", "value": "not-an-address"}, "text": "hi"}, "value"),
}


async def test_malformed_body_is_422_with_a_reason(api):
    channel_id, token = await api.channel()
    problems = []
    for case, (body, where) in MALFORMED.items():
        r = await _post(api, channel_id, token, body)
        detail = r.json().get("detail") if r.status_code == 422 else None
        if not isinstance(detail, list) or not detail:
            problems.append(f"{case}: {r.status_code} {r.text}")
        elif not any(where in [str(part) for part in d["loc"]] and d["msg"] for d in detail):
            problems.append(f"{case}: no reason naming {where!r} in {detail}")
    assert not problems, "\n".join(problems)
    assert await _count(api, Message) == 0


async def test_body_that_is_not_json_is_422(api):
    channel_id, token = await api.channel()
    r = await api.client.post(
        f"/api/v1/channels/{channel_id}/inbound",
        content=b"{not json",
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    assert r.status_code == 422
    assert r.json()["detail"][0]["msg"]


async def test_oversized_body_is_413_declared_or_streamed(api):
    channel_id, token = await api.channel()
    big = b'{"external_id":"big","sender":{"kind":"phone","value":"+380501234567"},"text":"' + b"x" * 1_100_000 + b'"}'
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    r = await api.client.post(f"/api/v1/channels/{channel_id}/inbound", content=big, headers=headers)
    assert r.status_code == 413
    assert "too large" in r.json()["detail"]

    async def chunks():  # no Content-Length: the limit must hold while streaming too
        for start in range(0, len(big), 64 * 1024):
            yield big[start : start + 64 * 1024]

    r = await api.client.post(f"/api/v1/channels/{channel_id}/inbound", content=chunks(), headers=headers)
    assert r.status_code == 413
    assert await _count(api, Message) == 0


@pytest.mark.parametrize(
    "value",
    ["+380501234567", "050 123 45 67", "(050) 123-45-67", "380501234567", "8 050 123 45 67", "+38 050 123 4567"],
)
def test_phone_variant_normalises_to_e164(value):
    from omnidesk.domain.identity import normalize

    assert normalize("phone", value, "UA").value == "+380501234567"


async def test_phone_variants_reach_one_customer_and_one_conversation(api):
    channel_id, token = await api.channel()
    variants = ["+380501234567", "050 123 45 67", "(050) 123-45-67", "380501234567", "8 050 123 45 67"]
    acks = [(await api.inbound(channel_id, token, f"p-{i}", value=v)).json() for i, v in enumerate(variants)]
    assert len({a["customer_id"] for a in acks}) == 1
    assert len({a["conversation_id"] for a in acks}) == 1
    async with api.db.session() as session:
        values = (await session.scalars(select(Identity.value))).all()
    assert values == ["+380501234567"]


async def test_email_case_and_spaces_reach_one_customer(api):
    channel_id, token = await api.channel()
    a = (await api.inbound(channel_id, token, "e-1", kind="email", value="  Anna.Petrenko@Example.COM ")).json()
    b = (await api.inbound(channel_id, token, "e-2", kind="email", value="anna.petrenko@example.com")).json()
    assert a["customer_id"] == b["customer_id"]
    async with api.db.session() as session:
        assert (await session.scalars(select(Identity.value))).all() == ["anna.petrenko@example.com"]


async def test_message_joins_the_open_conversation_and_a_resolved_one_is_not_reopened(api):
    channel_id, token = await api.channel()
    operator = await api.headers_for("op")
    first = (await api.inbound(channel_id, token, "r-1", name="Olena")).json()
    second = (await api.inbound(channel_id, token, "r-2")).json()
    assert second["conversation_id"] == first["conversation_id"]
    r = await api.client.post(
        f"/api/v1/conversations/{first['conversation_id']}/status", json={"status": "resolved"}, headers=operator
    )
    assert r.status_code == 200, r.text
    third = (await api.inbound(channel_id, token, "r-3", text="one more thing")).json()
    assert third["conversation_id"] != first["conversation_id"]
    assert third["customer_id"] == first["customer_id"]
    old = (await api.client.get(f"/api/v1/conversations/{first['conversation_id']}", headers=operator)).json()
    new = (await api.client.get(f"/api/v1/conversations/{third['conversation_id']}", headers=operator)).json()
    assert old["status"] == "resolved"
    assert new["status"] == "open" and new["last_message_preview"] == "one more thing"
    assert new["customer"]["name"] == "Olena"


async def test_customer_writing_to_a_pending_conversation_reopens_it(api):
    channel_id, token = await api.channel()
    operator = await api.headers_for("op")
    conversation_id = (await api.inbound(channel_id, token, "p-1")).json()["conversation_id"]
    await api.client.post(
        f"/api/v1/conversations/{conversation_id}/status", json={"status": "pending"}, headers=operator
    )
    again = (await api.inbound(channel_id, token, "p-2")).json()
    assert again["conversation_id"] == conversation_id
    r = await api.client.get(f"/api/v1/conversations/{conversation_id}", headers=operator)
    assert r.json()["status"] == "open"


async def _hold_write_lock(db: Database):
    """Open a transaction that blocks every insert into messages until it ends; return its connection."""
    conn = await db.engine.connect()
    await conn.begin()  # on SQLite this is BEGIN IMMEDIATE: the write lock
    if not db.sqlite:
        await conn.execute(text("LOCK TABLE messages IN EXCLUSIVE MODE"))
    return conn


async def test_acknowledgement_comes_only_after_the_commit(api):
    channel_id, token = await api.channel()
    blocker = await _hold_write_lock(api.db)
    try:
        pending = asyncio.create_task(api.inbound(channel_id, token, "late-1", text="wait for it"))
        await asyncio.sleep(1.0)
        assert not pending.done(), "the channel heard 'stored' while the message could not be written"
    finally:
        await blocker.rollback()
        await blocker.close()
    r = await asyncio.wait_for(pending, 30)
    assert r.status_code == 201
    # A fresh connection sees what was acknowledged.
    other = Database(api.db.url, pool_size=1)
    try:
        async with other.session() as session:
            stored = await session.get(Message, r.json()["message_id"])
            assert stored is not None and stored.text == "wait for it"
    finally:
        await other.dispose()


async def test_sent_at_given_by_the_channel_is_kept(api):
    channel_id, token = await api.channel()
    body = {
        "external_id": "t-1",
        "sender": {"kind": "external", "value": "user-42"},
        "text": "from yesterday",
        "sent_at": "2026-11-21T08:30:00+02:00",
    }
    message_id = (await _post(api, channel_id, token, body)).json()["message_id"]
    async with api.db.session() as session:
        stored = await session.get(Message, message_id)
    assert stored.sent_at.isoformat() == "2026-11-21T06:30:00+00:00"
