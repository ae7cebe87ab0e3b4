"""The customer card, create and edit with history, several identifiers on one message, duplicate suggestions,
search before create, visibility and audit."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import select, text

from omnidesk.domain.enums import Role
from omnidesk.server import migrate
from omnidesk.server.customers.models import Customer, Identity
from omnidesk.server.db import Database
from omnidesk.server.duplicates.models import DuplicateSuggestion
from tests.helpers import pg_create_database, pg_drop_database, sqlite_url, unique_name
from tests.server.customer_helpers import add_queue, audit_actions, deliver, grant, supervisor
from tests.sse import StreamReader, of_type


async def test_card_shows_profile_identities_and_open_conversations(api):
    channel_id, token = await api.channel()
    ack = await deliver(
        api,
        channel_id,
        token,
        "m1",
        "phone",
        "050 123 45 67",
        name="Оксана Петренко",
        identities=[("email", "Oksana@Example.com"), ("telegram_username", "@Kusya_99")],
    )
    headers = await api.headers_for("op")
    r = await api.client.get(f"/api/v1/customers/{ack['customer_id']}", headers=headers)
    assert r.status_code == 200, r.text
    card = r.json()
    assert card["name"] == "Оксана Петренко"
    assert {g["kind"]: [i["value"] for i in g["items"]] for g in card["identities"]} == {
        "phone": ["+380501234567"],
        "email": ["oksana@example.com"],
        "telegram_username": ["kusya_99"],
    }
    assert card["open_conversations"] == 1 and card["conversations"] == 1
    assert "customer.read" in await audit_actions(api, ack["customer_id"])


async def test_edit_keeps_history_and_emits_nothing_when_unchanged(api):
    channel_id, token = await api.channel()
    customer = (await deliver(api, channel_id, token, "m1", "phone", "+380501234567", name="Oksana"))["customer_id"]
    headers = await api.headers_for("op")
    r = await api.client.patch(
        f"/api/v1/customers/{customer}",
        json={"name": "Oksana Petrenko", "segment": "VIP", "tags": ["a", "a", "b"], "attributes": {"city": "Kyiv"}},
        headers=headers,
    )
    assert r.status_code == 200, r.text
    card = r.json()
    assert (card["name"], card["segment"], card["tags"], card["attributes"]) == (
        "Oksana Petrenko",
        "VIP",
        ["a", "b"],
        {"city": "Kyiv"},
    )
    history = {h["field"]: (h["old_value"], h["new_value"], h["source"]) for h in card["history"]}
    assert history["name"] == ("Oksana", "Oksana Petrenko", "edit")
    assert history["segment"] == (None, "VIP", "edit")
    assert "customer.update" in await audit_actions(api, customer)
    r = await api.client.patch(f"/api/v1/customers/{customer}", json={"nickname": "x"}, headers=headers)
    assert r.status_code == 422
    r = await api.client.patch(f"/api/v1/customers/{customer}", json={"name": ""}, headers=headers)
    assert r.status_code == 422


async def test_identifiers_of_two_customers_on_one_message_raise_a_suggestion_not_a_merge(api):
    channel_id, token = await api.channel()
    first = (await deliver(api, channel_id, token, "m1", "phone", "+380501234567", name="Oksana"))["customer_id"]
    second = (await deliver(api, channel_id, token, "m2", "email", "oksana@example.com"))["customer_id"]
    assert first != second
    ack = await deliver(
        api, channel_id, token, "m3", "phone", "0501234567", identities=[("email", "oksana@example.com")]
    )
    assert ack["customer_id"] == first
    async with api.db.session() as session:
        owners = dict((await session.execute(select(Identity.value, Identity.customer_id))).all())
        assert await session.scalar(select(Customer.merged_into_id).where(Customer.id == second)) is None
    assert owners == {"+380501234567": first, "oksana@example.com": second}
    headers = await supervisor(api)
    r = await api.client.get("/api/v1/duplicates", headers={**headers, "Accept-Language": "uk-UA,uk;q=0.9"})
    assert r.status_code == 200
    [item] = r.json()["items"]
    assert {item["customer"]["id"], item["other"]["id"]} == {first, second}
    assert item["reasons"][0]["code"] == "message_identifier"
    assert "oksana@example.com" in item["reasons"][0]["text"] and "належить" in item["reasons"][0]["text"]
    english = (await api.client.get("/api/v1/duplicates?lang=en", headers=headers)).json()["items"][0]
    assert "belongs to the other customer" in english["reasons"][0]["text"]
    card = (await api.client.get(f"/api/v1/customers/{first}/duplicates", headers=headers)).json()
    assert [d["id"] for d in card] == [item["id"]]
    r = await api.client.post(f"/api/v1/duplicates/{item['id']}/dismiss", headers=headers)
    assert r.status_code == 200 and r.json()["status"] == "dismissed"
    assert (await api.client.get("/api/v1/duplicates", headers=headers)).json()["items"] == []
    operator = await api.headers_for("op")
    assert (await api.client.get("/api/v1/duplicates", headers=operator)).status_code == 403


async def test_a_name_in_another_script_is_suggested_and_ordered_by_score(api):
    channel_id, token = await api.channel()
    a = (await deliver(api, channel_id, token, "m1", "phone", "+380501234567", name="Оксана Петренко"))["customer_id"]
    b = (await deliver(api, channel_id, token, "m2", "email", "o.p@example.com", name="Oksana Petrenko"))["customer_id"]
    headers = await supervisor(api)
    items = (await api.client.get("/api/v1/duplicates", headers=headers)).json()["items"]
    assert [{i["customer"]["id"], i["other"]["id"]} for i in items] == [{a, b}]
    scores = [i["score"] for i in items]
    assert scores == sorted(scores, reverse=True) and 0 < scores[0] < 1
    async with api.db.session() as session:
        assert await session.scalar(select(DuplicateSuggestion.status)) == "open"


async def test_search_before_create_then_create(api):
    channel_id, token = await api.channel()
    existing = (await deliver(api, channel_id, token, "m1", "phone", "+380501234567", name="Оксана Петренко"))[
        "customer_id"
    ]
    headers = await api.headers_for("op")
    r = await api.client.post("/api/v1/customers/matches", json={"name": "Oksana Petrenko"}, headers=headers)
    assert r.status_code == 200, r.text
    assert [m["customer"]["id"] for m in r.json()] == [existing]
    assert r.json()[0]["reasons"][0]["text"]
    r = await api.client.post(
        "/api/v1/customers/matches", json={"identities": [{"kind": "phone", "value": "0501234567"}]}, headers=headers
    )
    assert [m["customer"]["id"] for m in r.json()] == [existing] and r.json()[0]["score"] >= 0.9
    r = await api.client.post(
        "/api/v1/customers",
        json={"name": "Ivan", "identities": [{"kind": "phone", "value": "+380501234567"}]},
        headers=headers,
    )
    assert r.status_code == 409
    r = await api.client.post(
        "/api/v1/customers",
        json={"name": "Ivan", "identities": [{"kind": "phone", "value": "not a phone"}]},
        headers=headers,
    )
    assert r.status_code == 422
    r = await api.client.post(
        "/api/v1/customers",
        json={"name": "Іван Коваль", "segment": "VIP", "identities": [{"kind": "email", "value": "Ivan@Example.com"}]},
        headers=headers,
    )
    assert r.status_code == 201, r.text
    created = r.json()
    assert created["identities"][0]["items"][0]["value"] == "ivan@example.com" and created["segment"] == "VIP"
    # A customer without conversations is visible to every operator.
    other_op = await api.headers_for("op2", queue_ids=[])
    assert (await api.client.get(f"/api/v1/customers/{created['id']}", headers=other_op)).status_code == 200
    assert "customer.create" in await audit_actions(api, created["id"])


async def test_operator_sees_only_customers_of_their_queues(api):
    vip = await add_queue(api, "VIP")
    vip_channel, vip_token = await api.channel("VIP line", queue_id=vip)
    hidden = (await deliver(api, vip_channel, vip_token, "v1", "phone", "+380671112244", name="Hidden"))["customer_id"]
    operator = await api.headers_for("op")  # General only
    for path in (
        f"/api/v1/customers/{hidden}",
        f"/api/v1/customers/{hidden}/timeline",
        f"/api/v1/customers/{hidden}/duplicates",
    ):
        assert (await api.client.get(path, headers=operator)).status_code == 404, path
    r = await api.client.patch(f"/api/v1/customers/{hidden}", json={"name": "x"}, headers=operator)
    assert r.status_code == 404
    r = await api.client.post(
        f"/api/v1/customers/{hidden}/identities", json={"kind": "email", "value": "a@b.cd"}, headers=operator
    )
    assert r.status_code == 404
    vip_operator = await api.headers_for("vip-op", queue_ids=[vip])
    await grant(api, Role.OPERATOR, "customer.merge")  # merging is a supervisor's action unless granted (issue 17)
    assert (await api.client.get(f"/api/v1/customers/{hidden}", headers=vip_operator)).status_code == 200
    assert (await api.client.get(f"/api/v1/customers/{hidden}")).status_code == 401
    # Merged into a hidden customer, a customer without conversations is hidden too.
    loose = (await api.client.post("/api/v1/customers", json={"name": "Loose"}, headers=operator)).json()["id"]
    assert (await api.client.get(f"/api/v1/customers/{loose}", headers=operator)).status_code == 200
    r = await api.client.post(
        "/api/v1/customers/merge", json={"survivor_id": hidden, "other_id": loose}, headers=vip_operator
    )
    assert r.status_code == 201, r.text
    assert (await api.client.get(f"/api/v1/customers/{loose}", headers=operator)).status_code == 404
    assert (await api.client.get(f"/api/v1/customers/{loose}", headers=vip_operator)).status_code == 200


@pytest.mark.parametrize("backend", ["sqlite", pytest.param("pg", marks=pytest.mark.pg)])
def test_upgrade_from_0001_carries_existing_customers_over_and_downgrades(backend, tmp_path, request):
    """Messages become timeline entries, conversations learn their identity, names become searchable keys."""
    if backend == "sqlite":
        url, name = sqlite_url(tmp_path / "old.db"), None
    else:
        if not request.getfixturevalue("pg_server"):
            pytest.skip("PostgreSQL not reachable")
        name = unique_name("mig")
        url = pg_create_database(name)
    try:
        migrate.upgrade(url, "0001")

        async def seed_and_check(stage: str):
            db = Database(url, pool_size=1)
            try:
                async with db.engine.begin() as conn:
                    if stage == "seed":
                        for statement in (
                            "INSERT INTO channels (id, kind, name, token_hash, queue_id, is_active, created_at)"
                            " VALUES (1, 'api', 'Site', 'h', 1, true, '2025-01-01')",
                            "INSERT INTO customers (id, display_name, created_at, updated_at)"
                            " VALUES (1, 'Оксана Петренко', '2025-01-01', '2025-01-01')",
                            "INSERT INTO identities (id, customer_id, kind, value, created_at)"
                            " VALUES (7, 1, 'phone', '+380501234567', '2025-01-01')",
                            "INSERT INTO conversations (id, customer_id, channel_id, queue_id, status, last_message_at,"
                            " last_message_preview, unread_count, created_at, updated_at)"
                            " VALUES (1, 1, 1, 1, 'open', '2025-01-01', '', 0, '2025-01-01', '2025-01-01')",
                            "INSERT INTO messages (id, conversation_id, channel_id, external_id, direction, kind, text,"
                            " sent_at, created_at)"
                            " VALUES (1, 1, 1, 'x', 'in', 'text', 'hi', '2025-01-01', '2025-01-01')",
                        ):
                            await conn.execute(text(statement))
                        return None
                    return (
                        (await conn.execute(text("SELECT customer_id, kind, message_id FROM timeline_items"))).all(),
                        (await conn.execute(text("SELECT identity_id FROM conversations"))).scalar(),
                        set((await conn.execute(text("SELECT key FROM customer_keys"))).scalars()),
                    )
            finally:
                await db.dispose()

        asyncio.run(seed_and_check("seed"))
        migrate.upgrade(url)
        items, identity_id, keys = asyncio.run(seed_and_check("check"))
        assert [tuple(i) for i in items] == [(1, "message_in", 1)]
        assert identity_id == 7
        assert "q:petrenko" in keys and "q:oksana" in keys
        migrate.downgrade(url, "0001")
        migrate.upgrade(url)
    finally:
        if name:
            pg_drop_database(name)


async def test_scan_finds_duplicates_among_customers_that_never_were_checked(api):
    async with api.db.session() as session:
        first = Customer(display_name="Оксана Петренко")
        second = Customer(display_name="Petrenko Oksana")
        third = Customer(display_name="Іван Коваль")
        session.add_all([first, second, third])
        await session.flush()
        session.add(Identity(customer_id=first.id, kind="phone", value="+380501234567"))
        session.add(Identity(customer_id=third.id, kind="phone", value="+380671112233"))
        await session.commit()
        pair = {first.id, second.id}
    headers = await supervisor(api)
    assert (await api.client.get("/api/v1/duplicates", headers=headers)).json()["items"] == []
    operator = await api.headers_for("op")
    assert (await api.client.post("/api/v1/duplicates/scan", headers=operator)).status_code == 403
    r = await api.client.post("/api/v1/duplicates/scan", headers=headers)
    assert r.status_code == 200, r.text
    assert r.json()["customers"] == 3 and r.json()["suggestions"] == 1
    items = (await api.client.get("/api/v1/duplicates?lang=ru", headers=headers)).json()["items"]
    assert [{i["customer"]["id"], i["other"]["id"]} for i in items] == [pair]
    assert items[0]["reasons"][0]["text"]
    assert "duplicates.scan" in await audit_actions(api)


async def test_a_known_customer_writing_with_a_new_identifier_updates_open_cards(api):
    channel_id, token = await api.channel()
    customer = (await deliver(api, channel_id, token, "m1", "phone", "+380501234567"))["customer_id"]
    headers = await api.headers_for("op")
    head = (await api.client.get("/api/v1/events/head", headers=headers)).json()["last_event_id"]
    async with StreamReader(api.url, headers, after=head) as stream:
        await deliver(api, channel_id, token, "m2", "phone", "0501234567", identities=[("email", "new@example.com")])
        events = await stream.wait_for(lambda ev: of_type(ev, "customer.updated"))
    card = of_type(events, "customer.updated")[0]["payload"]["customer"]
    assert card["id"] == customer
    assert {g["kind"] for g in card["identities"]} == {"phone", "email"}


async def test_a_customer_change_reaches_each_watcher_once_whatever_the_number_of_queues(api):
    """A customer with conversations in two queues: one event row whose audience is both queues, so a supervisor,
    an operator in both queues and an operator in one each receive the change exactly once; an operator in neither
    receives nothing."""
    sales, support, other = await add_queue(api, "Sales"), await add_queue(api, "Support"), await add_queue(api, "X")
    sales_channel, sales_token = await api.channel("Sales line", queue_id=sales)
    support_channel, support_token = await api.channel("Support line", queue_id=support)
    customer = (await deliver(api, sales_channel, sales_token, "q1", "phone", "+380501234567"))["customer_id"]
    assert (await deliver(api, support_channel, support_token, "q2", "phone", "0501234567"))["customer_id"] == customer
    watchers = {
        "sup": await supervisor(api, "sup-q"),
        "both": await api.headers_for("op-both", queue_ids=[sales, support]),
        "one": await api.headers_for("op-one", queue_ids=[support]),
        "none": await api.headers_for("op-none", queue_ids=[other]),
    }
    head = (await api.client.get("/api/v1/events/head", headers=watchers["sup"])).json()["last_event_id"]
    streams = {name: StreamReader(api.url, headers, after=head) for name, headers in watchers.items()}
    for stream in streams.values():
        await stream.__aenter__()
    try:
        r = await api.client.patch(f"/api/v1/customers/{customer}", json={"segment": "VIP"}, headers=watchers["both"])
        assert r.status_code == 200, r.text
        for name in ("sup", "both", "one"):
            await streams[name].wait_for(lambda ev: of_type(ev, "customer.updated"), timeout=10)
        await asyncio.sleep(1.5)  # anything doubled would have arrived by now
    finally:
        for stream in streams.values():
            await stream.__aexit__(None, None, None)
    counts = {name: len(of_type(stream.events, "customer.updated")) for name, stream in streams.items()}
    assert counts == {"sup": 1, "both": 1, "one": 1, "none": 0}
