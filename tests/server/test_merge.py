"""Merge and unmerge: what moves, what the history keeps, exact restoration, concurrency, scope, events, audit."""

from __future__ import annotations

import asyncio

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select, update

from omnidesk.domain.enums import Role
from omnidesk.domain.identity import normalize
from omnidesk.protocol import InboundMessage
from omnidesk.protocol.customers import MergeRequest
from omnidesk.server.admin.service import create_api_channel
from omnidesk.server.context import Caller
from omnidesk.server.conversations.models import Conversation
from omnidesk.server.customers.models import Customer
from omnidesk.server.db import Database
from omnidesk.server.duplicates import service as duplicates_service
from omnidesk.server.ingest.service import ChannelRef, ingest
from omnidesk.server.merge.service import merge_customers, unmerge
from tests.server.customer_helpers import add_queue, audit_actions, deliver, footprint, grant, supervisor
from tests.sse import StreamReader, of_type


async def _two_customers(api):
    channel_id, token = await api.channel()
    a = await deliver(api, channel_id, token, "a1", "phone", "+380501234567", name="Oksana Petrenko")
    b = await deliver(api, channel_id, token, "b1", "email", "oksana@example.com", name="Оксана Петренко")
    return channel_id, token, a["customer_id"], b["customer_id"]


async def test_merge_moves_everything_and_keeps_losing_values_in_history(api):
    _, _, a, b = await _two_customers(api)
    headers = await supervisor(api)
    await api.client.patch(f"/api/v1/customers/{b}", json={"segment": "VIP", "tags": ["wholesale"]}, headers=headers)
    await api.client.patch(f"/api/v1/customers/{a}", json={"tags": ["retail"], "language": "uk"}, headers=headers)
    head = (await api.client.get("/api/v1/events/head", headers=headers)).json()["last_event_id"]
    async with StreamReader(api.url, headers, after=head) as stream:
        r = await api.client.post(
            "/api/v1/customers/merge",
            json={"survivor_id": a, "other_id": b, "fields": {"name": "other", "tags": "both"}},
            headers=headers,
        )
        assert r.status_code == 201, r.text
        await stream.wait_for(lambda ev: of_type(ev, "customer.merged"))
    merge = r.json()
    card = merge["survivor"]
    assert card["name"] == "Оксана Петренко"
    assert card["segment"] == "VIP"  # the survivor had none, so the other's value is taken
    assert card["language"] == "uk"
    assert card["tags"] == ["retail", "wholesale"]
    assert {g["kind"] for g in card["identities"]} == {"phone", "email"}
    assert card["conversations"] == 2 and card["open_conversations"] == 2
    lost = [(h["field"], h["old_value"]) for h in card["history"] if h["source"] == "merge"]
    assert ("name", "Oksana Petrenko") in lost
    assert of_type(stream.events, "customer.merged")[0]["payload"]["merge"]["id"] == merge["id"]

    other = (await api.client.get(f"/api/v1/customers/{b}", headers=headers)).json()
    assert other["merged_into_id"] == a and other["identities"] == []
    timeline = (await api.client.get(f"/api/v1/customers/{a}/timeline", headers=headers)).json()["items"]
    assert timeline[0]["kind"] == "merged" and timeline[0]["payload"]["other_id"] == b
    assert {i["kind"] for i in timeline} >= {"message_in", "merged"}
    assert "customer.merge" in await audit_actions(api, a)

    again = await api.client.post("/api/v1/customers/merge", json={"survivor_id": a, "other_id": b}, headers=headers)
    assert again.status_code == 409


async def test_unmerge_restores_both_customers_exactly(api):
    _, _, a, b = await _two_customers(api)
    headers = await supervisor(api)
    await api.client.patch(
        f"/api/v1/customers/{b}", json={"segment": "VIP", "attributes": {"city": "Lviv"}}, headers=headers
    )
    async with api.db.session() as session:
        before = await footprint(session, [a, b])
    r = await api.client.post(
        "/api/v1/customers/merge", json={"survivor_id": b, "other_id": a, "fields": {"name": "other"}}, headers=headers
    )
    assert r.status_code == 201, r.text
    r = await api.client.post(f"/api/v1/merges/{r.json()['id']}/unmerge", headers=headers)
    assert r.status_code == 200, r.text
    assert r.json()["undone_at"] is not None and r.json()["other"]["id"] == a
    async with api.db.session() as session:
        after = await footprint(session, [a, b])
    assert after == before
    timeline = (await api.client.get(f"/api/v1/customers/{a}/timeline", headers=headers)).json()["items"]
    assert timeline[0]["kind"] == "unmerged"
    assert "customer.unmerge" in await audit_actions(api, b)
    twice = await api.client.post(f"/api/v1/merges/{r.json()['id']}/unmerge", headers=headers)
    assert twice.status_code == 409


async def test_an_undone_merge_says_so_in_the_timeline_also_after_a_restart(api):
    """Defect 6: the merged item of an undone merge says it was undone (undone_at, undone_by) wherever and whenever
    it is read, so no client offers "Undo merge" again (a retry would only get 409)."""
    import httpx

    from tests.conftest import serve

    _, _, a, b = await _two_customers(api)
    headers = await supervisor(api)
    kept = await api.client.post(
        "/api/v1/customers/merge", json={"survivor_id": a, "other_id": b, "fields": {}}, headers=headers
    )
    assert kept.status_code == 201, kept.text

    def merged_item(items: list[dict]) -> dict:
        return next(i for i in items if i["kind"] == "merged")

    timeline = (await api.client.get(f"/api/v1/customers/{a}/timeline", headers=headers)).json()["items"]
    assert "undone_at" not in merged_item(timeline)["payload"]  # not undone: it still can be
    r = await api.client.post(f"/api/v1/merges/{kept.json()['id']}/unmerge", headers=headers)
    assert r.status_code == 200, r.text
    sup_id = (await api.client.get("/api/v1/me", headers=headers)).json()["id"]

    async with serve(api.settings) as (_app, url), httpx.AsyncClient(base_url=url, timeout=30) as restarted:
        r = await restarted.get(f"/api/v1/customers/{a}/timeline", headers=headers)
        assert r.status_code == 200, r.text
        item = merged_item(r.json()["items"])
        assert item["payload"]["merge_id"] == kept.json()["id"]
        assert item["payload"]["undone_at"] is not None and item["payload"]["undone_by"] == sup_id
        only_merges = await restarted.get(f"/api/v1/customers/{a}/timeline?kinds=merged", headers=headers)
        assert merged_item(only_merges.json()["items"])["payload"]["undone_at"] == item["payload"]["undone_at"]
    again = await api.client.post(f"/api/v1/merges/{kept.json()['id']}/unmerge", headers=headers)
    assert again.status_code == 409


async def test_messages_after_the_merge_return_with_the_identity_they_came_through(api):
    channel_id, token, a, b = await _two_customers(api)
    headers = await supervisor(api)
    merge = (
        await api.client.post("/api/v1/customers/merge", json={"survivor_id": a, "other_id": b}, headers=headers)
    ).json()
    via_b = await deliver(api, channel_id, token, "b2", "email", "OKSANA@example.com", text="after merge (b)")
    via_a = await deliver(api, channel_id, token, "a2", "phone", "0501234567", text="after merge (a)")
    assert via_b["customer_id"] == a == via_a["customer_id"]
    # The b conversation was moved, not duplicated: the new message joined it.
    async with api.db.session() as session:
        conv_ids = (await session.scalars(select(Conversation.id).where(Conversation.customer_id == a))).all()
    assert len(conv_ids) == 2
    # A conversation opened after the merge through b's identity goes back with b too.
    await api.client.post(
        f"/api/v1/conversations/{via_b['conversation_id']}/status", json={"status": "resolved"}, headers=headers
    )
    fresh = await deliver(api, channel_id, token, "b3", "email", "oksana@example.com", text="new conversation")
    assert fresh["conversation_id"] != via_b["conversation_id"]
    r = await api.client.post(f"/api/v1/merges/{merge['id']}/unmerge", headers=headers)
    assert r.status_code == 200, r.text
    async with api.db.session() as session:
        owner = dict((await session.execute(select(Conversation.id, Conversation.customer_id))).all())
    assert owner[via_b["conversation_id"]] == b and owner[fresh["conversation_id"]] == b
    assert owner[via_a["conversation_id"]] == a
    texts = {
        i["payload"]["message"]["text"]
        for i in (await api.client.get(f"/api/v1/customers/{b}/timeline", headers=headers)).json()["items"]
        if i["kind"] == "message_in"
    }
    assert texts == {"Hello", "after merge (b)", "new conversation"}


async def test_two_merges_of_the_same_pair_at_once_leave_one_result(api):
    _, _, a, b = await _two_customers(api)
    h1 = await supervisor(api, "sup1")
    h2 = await supervisor(api, "sup2")
    r1, r2 = await asyncio.gather(
        api.client.post("/api/v1/customers/merge", json={"survivor_id": a, "other_id": b}, headers=h1),
        api.client.post("/api/v1/customers/merge", json={"survivor_id": b, "other_id": a}, headers=h2),
    )
    codes = sorted([r1.status_code, r2.status_code])
    assert codes == [201, 409], (r1.text, r2.text)
    async with api.db.session() as session:
        rows = (await session.execute(select(Customer.id, Customer.merged_into_id))).all()
        owners = set((await session.scalars(select(Conversation.customer_id))).all())
    merged = {r.id: r.merged_into_id for r in rows}
    survivor = (r1 if r1.status_code == 201 else r2).json()["survivor_id"]
    loser = b if survivor == a else a
    assert merged == {survivor: None, loser: survivor}
    assert owners == {survivor}


async def test_operator_cannot_merge_a_customer_outside_their_queues(api):
    vip = await add_queue(api, "VIP")
    general_channel, general_token = await api.channel("General")
    vip_channel, vip_token = await api.channel("VIP line", queue_id=vip)
    mine = (await deliver(api, general_channel, general_token, "g1", "phone", "+380671112233"))["customer_id"]
    hidden = (await deliver(api, vip_channel, vip_token, "v1", "phone", "+380671112244"))["customer_id"]
    operator = await api.headers_for("op")  # General only
    r = await api.client.post(
        "/api/v1/customers/merge", json={"survivor_id": mine, "other_id": hidden}, headers=operator
    )
    assert r.status_code == 403  # by default merging is a supervisor's action (issue 17)
    await grant(api, Role.OPERATOR, "customer.merge")  # an installation that lets operators merge: queue scope holds
    r = await api.client.post(
        "/api/v1/customers/merge", json={"survivor_id": mine, "other_id": hidden}, headers=operator
    )
    assert r.status_code == 404
    r = await api.client.post(
        "/api/v1/customers/merge", json={"survivor_id": hidden, "other_id": mine}, headers=operator
    )
    assert r.status_code == 404
    async with api.db.session() as session:
        assert (await session.scalar(select(Customer.merged_into_id).where(Customer.id == mine))) is None
    r = await api.client.post("/api/v1/customers/merge", json={"survivor_id": mine, "other_id": mine}, headers=operator)
    assert r.status_code == 422


# --- property: merge then unmerge restores the exact prior state ------------------------------------------------

profiles = st.fixed_dictionaries(
    {
        "name": st.sampled_from(["Оксана Петренко", "Oksana Petrenko", "Іван Коваль", "", "Kusya_99"]),
        "language": st.sampled_from([None, "uk", "ru", "en"]),
        "segment": st.sampled_from([None, "VIP", "wholesale"]),
        "tags": st.lists(st.sampled_from(["a", "b", "c", "d"]), unique=True, max_size=3),
        "attributes": st.dictionaries(st.sampled_from(["city", "card", "age"]), st.integers(0, 9), max_size=2),
        "identities": st.integers(1, 3),
        "conversations": st.lists(st.tuples(st.integers(1, 3), st.booleans()), max_size=3),
    }
)
choices = st.dictionaries(
    st.sampled_from(["name", "language", "segment", "tags", "attributes"]),
    st.sampled_from(["survivor", "other"]),
)


async def _build(db: Database, channels: list[ChannelRef], profile: dict, serial: list[int]) -> int:
    serial[0] += 1
    idents = [normalize("external", f"id-{serial[0]}-{n}") for n in range(profile["identities"])]
    first = await ingest(
        db,
        channels[0],
        InboundMessage(
            external_id=f"x-{serial[0]}",
            sender={"kind": "external", "value": idents[0].value},
            text="first",
            identities=[{"kind": "external", "value": i.value} for i in idents[1:]],
        ),
        idents[0],
        idents[1:],
    )
    customer_id = first.customer_id
    for c, (messages, resolve) in enumerate(profile["conversations"]):
        ident, channel = idents[c % len(idents)], channels[c % len(channels)]
        for m in range(messages):
            serial[0] += 1
            ack = await ingest(
                db,
                channel,
                InboundMessage(
                    external_id=f"x-{serial[0]}", sender={"kind": "external", "value": ident.value}, text=f"m{m}"
                ),
                ident,
            )
            assert ack.customer_id == customer_id
        if resolve:
            async with db.session() as session:
                await session.execute(
                    update(Conversation).where(Conversation.id == ack.conversation_id).values(status="resolved")
                )
                await session.commit()
    async with db.session() as session:
        await session.execute(
            update(Customer)
            .where(Customer.id == customer_id)
            .values(
                display_name=profile["name"] or "x",
                language=profile["language"],
                segment=profile["segment"],
                tags=profile["tags"],
                attributes=profile["attributes"],
            )
        )
        await duplicates_service.refresh_customer(session, customer_id, suggest=False)
        await session.commit()
    return customer_id


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(first=profiles, second=profiles, fields=choices, flip=st.booleans())
def test_merge_then_unmerge_restores_the_exact_prior_state(db_url, first, second, fields, flip):
    async def scenario() -> None:
        db = Database(db_url, pool_size=2)
        try:
            async with db.session() as session:
                made = [await create_api_channel(session, name=f"ch{i}") for i in range(2)]
                await session.commit()
            channels = [ChannelRef(c.id, c.kind, c.name, c.queue_id, None) for c, _ in made]
            serial = [made[0][0].id * 10_000]
            a = await _build(db, channels, first, serial)
            b = await _build(db, channels, second, serial)
            survivor, other = (b, a) if flip else (a, b)
            caller = Caller(0, "prop", "prop", Role.SUPERVISOR, frozenset(), 0, None)
            async with db.session() as session:
                before = await footprint(session, [a, b])
            async with db.session() as session:
                out, _ = await merge_customers(
                    session, db, caller, MergeRequest(survivor_id=survivor, other_id=other, fields=fields)
                )
                await session.commit()
            async with db.session() as session:
                middle = await footprint(session, [a, b])
                await unmerge(session, db, caller, out.id)
                await session.commit()
            async with db.session() as session:
                after = await footprint(session, [a, b])
            assert [c["merged_into_id"] for c in middle["customers"] if c["id"] == other] == [survivor]
            assert {i["customer_id"] for i in middle["identities"]} == {survivor}
            assert after == before
        finally:
            await db.dispose()

    asyncio.run(scenario())


@pytest.mark.parametrize("field,choice", [("name", "both")])
async def test_both_is_refused_for_single_valued_fields(api, field, choice):
    _, _, a, b = await _two_customers(api)
    headers = await supervisor(api)
    r = await api.client.post(
        "/api/v1/customers/merge", json={"survivor_id": a, "other_id": b, "fields": {field: choice}}, headers=headers
    )
    assert r.status_code == 422
    async with api.db.session() as session:
        assert await session.scalar(select(Customer.merged_into_id).where(Customer.id == b)) is None


async def test_merge_event_reaches_the_customers_queues_only(api):
    vip = await add_queue(api, "VIP")
    vip_channel, vip_token = await api.channel("VIP line", queue_id=vip)
    _, _, a, b = await _two_customers(api)  # both in General
    await deliver(api, vip_channel, vip_token, "v1", "phone", "+380671112244")
    general_op = await api.headers_for("op")
    vip_op = await api.headers_for("vip-op", queue_ids=[vip])
    headers = await supervisor(api)
    head = (await api.client.get("/api/v1/events/head", headers=headers)).json()["last_event_id"]
    async with (
        StreamReader(api.url, general_op, after=head) as general_stream,
        StreamReader(api.url, vip_op, after=head) as vip_stream,
    ):
        r = await api.client.post("/api/v1/customers/merge", json={"survivor_id": a, "other_id": b}, headers=headers)
        assert r.status_code == 201
        await general_stream.wait_for(lambda ev: of_type(ev, "customer.merged"))
        await api.client.post(f"/api/v1/merges/{r.json()['id']}/unmerge", headers=headers)
        await general_stream.wait_for(lambda ev: of_type(ev, "customer.unmerged"))
        await asyncio.sleep(0.5)
    assert of_type(general_stream.events, "customer.merged")[0]["payload"]["merge"]["survivor_id"] == a
    assert not of_type(vip_stream.events, "customer.merged") and not of_type(vip_stream.events, "customer.unmerged")


async def test_messages_arriving_during_a_merge_end_on_a_live_customer(api):
    channel_id, token, a, b = await _two_customers(api)
    headers = await supervisor(api)

    async def burst() -> list[dict]:
        return [
            await deliver(api, channel_id, token, f"race-{n}", "email", "oksana@example.com", text=f"race {n}")
            for n in range(12)
        ]

    merged, acks = await asyncio.gather(
        api.client.post("/api/v1/customers/merge", json={"survivor_id": a, "other_id": b}, headers=headers), burst()
    )
    assert merged.status_code == 201, merged.text
    async with api.db.session() as session:
        stranded = (
            await session.scalars(
                select(Conversation.id)
                .join(Customer, Customer.id == Conversation.customer_id)
                .where(Customer.merged_into_id.is_not(None))
            )
        ).all()
    assert stranded == []
    r = await api.client.post(f"/api/v1/merges/{merged.json()['id']}/unmerge", headers=headers)
    assert r.status_code == 200
    texts = [
        i["payload"]["message"]["text"]
        for i in (
            await api.client.get(f"/api/v1/customers/{b}/timeline", params={"limit": 100}, headers=headers)
        ).json()["items"]
        if i["kind"] == "message_in"
    ]
    assert sorted(texts) == sorted(["Hello", *(f"race {n}" for n in range(12))])
    assert {ack["conversation_id"] for ack in acks} <= {
        c["id"] for c in (await api.client.get("/api/v1/conversations", headers=headers)).json()["items"]
    }
