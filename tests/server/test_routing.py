"""Routing rules: the pure decision, the rule API (validation, order, history, preview), and both ingest paths
(general and PostgreSQL batch) giving the same answer for the same messages on both databases."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest
from sqlalchemy import select, update

from omnidesk.domain import routing
from omnidesk.domain.identity import normalize
from omnidesk.domain.routing import MessageFacts, RuleError
from omnidesk.protocol import InboundMessage
from omnidesk.server.admin.models import Channel
from omnidesk.server.conversations.models import Conversation
from omnidesk.server.customers.models import Customer
from omnidesk.server.ingest import service as ingest
from omnidesk.server.ingest.batch_pg import STATS, IngestBatcher
from omnidesk.server.routing import service as routing_service
from tests.server.customer_helpers import add_queue

ALWAYS_OPEN = {"tz": "Europe/Kyiv", "week": {str(d): [["00:00", "23:59:59"]] for d in range(7)}}
NEVER_OPEN = {"tz": "Europe/Kyiv", "week": {}}
KYIV_WEEKDAYS = {
    "tz": "Europe/Kyiv",
    "week": {str(d): [["09:00", "18:00"]] for d in range(5)},
    "holidays": ["2026-12-25"],
}


def _facts(**kw) -> MessageFacts:
    base = dict(channel_kind="whatsapp", channel_id=1, text="hi", at=dt.datetime(2026, 12, 2, 10, tzinfo=dt.UTC))
    return MessageFacts(**(base | kw))


VIP_RULE = routing.parse_rule(
    7,
    "VIP WhatsApp",
    [
        {"field": "channel", "op": "eq", "value": "whatsapp"},
        {"field": "segment", "op": "eq", "value": "VIP"},
        {"field": "business_hours", "op": "is", "value": True, "calendar": 5},
    ],
    {"queue_id": 5, "priority": 2, "max_wait_s": 30},
)


def test_first_matching_rule_wins_and_fills_only_what_it_sets():
    cal = {5: routing.parse_calendar(KYIV_WEEKDAYS)}
    loans = routing.parse_rule(
        8, "Loans", [{"field": "text", "op": "contains_any", "value": ["кредит"]}], {"skill": "loans"}
    )
    vip = _facts(segment="vip", customer_known=True, text="Кредит?")
    decision = routing.decide([VIP_RULE, loans], vip, default_queue_id=1, calendars=cal)
    assert (decision.rule_id, decision.queue_id, decision.priority, decision.max_wait_s) == (7, 5, 2, 30)
    assert decision.skill is None
    # Not VIP: the keyword rule takes it, the queue stays the channel's, priority normal.
    other = routing.decide([VIP_RULE, loans], _facts(text="Хочу КРЕДИТ"), default_queue_id=1, calendars=cal)
    assert (other.rule_id, other.queue_id, other.priority, other.skill) == (8, 1, routing.Priority.NORMAL, "loans")
    assert routing.decide([VIP_RULE, loans], _facts(), default_queue_id=1, calendars=cal).rule_id is None


@pytest.mark.parametrize(
    ("utc", "open_"),
    [
        (dt.datetime(2026, 12, 2, 6, 59, tzinfo=dt.UTC), False),  # 08:59 in Kyiv (UTC+2)
        (dt.datetime(2026, 12, 2, 7, 0, tzinfo=dt.UTC), True),  # 09:00
        (dt.datetime(2026, 12, 2, 15, 59, tzinfo=dt.UTC), True),  # 17:59
        (dt.datetime(2026, 12, 2, 16, 0, tzinfo=dt.UTC), False),  # 18:00 closes
        (dt.datetime(2026, 12, 5, 10, 0, tzinfo=dt.UTC), False),  # Saturday
        (dt.datetime(2026, 12, 25, 10, 0, tzinfo=dt.UTC), False),  # a holiday
        (dt.datetime(2026, 7, 1, 6, 30, tzinfo=dt.UTC), True),  # 09:30 summer time (UTC+3)
    ],
)
def test_business_hours_are_judged_in_the_calendars_time_zone(utc, open_):
    assert routing.parse_calendar(KYIV_WEEKDAYS).is_open(utc) is open_


@pytest.mark.parametrize(
    ("condition", "where"),
    [
        ({"field": "colour", "op": "eq", "value": "x"}, "conditions[0].field"),
        ({"field": "channel", "op": "has", "value": "x"}, "conditions[0].op"),
        ({"field": "text", "op": "contains_any", "value": []}, "conditions[0].value"),
        ({"field": "attribute", "op": "eq", "value": "x"}, "conditions[0].key"),
        ({"field": "business_hours", "op": "is", "value": True}, "conditions[0].calendar"),
        ({"field": "customer_known", "op": "is", "value": "yes"}, "conditions[0].value"),
    ],
)
def test_a_malformed_condition_is_refused_with_its_place(condition, where):
    with pytest.raises(RuleError) as caught:
        routing.parse_rule(1, "r", [condition], {"priority": 1})
    assert caught.value.where == where


def test_rule_reads_as_the_sentence_our_users_write():
    text = routing.describe(VIP_RULE, {5: "VIP support"})
    assert text == (
        "IF channel = whatsapp AND customer.segment = VIP AND time = business hours (VIP support) "
        "THEN queue = VIP support, priority = high, max wait = 30 s"
    )


def test_assignment_prefers_skill_capacity_least_load_then_longest_idle():
    ops = [
        routing.OperatorLoad(1, True, frozenset({"cards"}), {"chat": 2}, {"chat": 2}),  # full
        routing.OperatorLoad(2, True, frozenset({"Cards"}), {}, {"chat": 1}, last_assigned=50),
        routing.OperatorLoad(3, True, frozenset({"cards"}), {}, {"chat": 1}, last_assigned=10),
        routing.OperatorLoad(4, False, frozenset({"cards"}), {}, {}),  # offline
        routing.OperatorLoad(5, True, frozenset(), {}, {}),  # no skill
    ]
    assert routing.choose_operator(ops, channel_kind="telegram", skill="cards") == 3
    assert routing.choose_operator(ops, channel_kind="telegram", skill=None) == 5
    assert routing.choose_operator(ops[:1], channel_kind="email", skill="cards") == 1  # e-mail capacity is separate
    assert routing.choose_operator(ops[:1], channel_kind="telegram", skill="cards") is None


# --- the API ---------------------------------------------------------------------------------------------------


async def _supervisor(api):
    return await api.headers_for("sup", "supervisor")


async def test_rules_are_validated_ordered_described_and_their_history_kept(api):
    sup = await _supervisor(api)
    vip = (
        await api.client.post("/api/v1/queues", json={"name": "VIP support", "calendar": ALWAYS_OPEN}, headers=sup)
    ).json()
    bad = await api.client.post(
        "/api/v1/routing/rules",
        json={
            "name": "x",
            "conditions": [{"field": "segment", "op": "eq", "value": "VIP"}],
            "actions": {"queue_id": 999},
        },
        headers=sup,
    )
    assert bad.status_code == 422 and bad.json()["detail"]["where"] == "actions.queue_id"
    rule = {
        "name": "VIP WhatsApp",
        "conditions": [
            {"field": "channel", "op": "eq", "value": "whatsapp"},
            {"field": "segment", "op": "eq", "value": "VIP"},
            {"field": "business_hours", "op": "is", "value": True, "calendar": vip["id"]},
        ],
        "actions": {"queue_id": vip["id"], "priority": 2, "max_wait_s": 30},
    }
    first = await api.client.post("/api/v1/routing/rules", json=rule, headers=sup)
    assert first.status_code == 201, first.text
    assert first.json()["description"].startswith(
        "IF channel = whatsapp AND customer.segment = VIP AND time = business"
    )
    second = (
        await api.client.post(
            "/api/v1/routing/rules",
            json={
                "name": "Spam",
                "conditions": [{"field": "text", "op": "contains_any", "value": ["casino"]}],
                "actions": {"priority": 0},
                "position": 0,
            },
            headers=sup,
        )
    ).json()
    listed = (await api.client.get("/api/v1/routing/rules", headers=sup)).json()
    assert [r["name"] for r in listed] == ["Spam", "VIP WhatsApp"]
    r = await api.client.put("/api/v1/routing/order", json={"rule_ids": [first.json()["id"]]}, headers=sup)
    assert r.status_code == 422  # must name every rule
    r = await api.client.put(
        "/api/v1/routing/order", json={"rule_ids": [first.json()["id"], second["id"]]}, headers=sup
    )
    assert [x["name"] for x in r.json()] == ["VIP WhatsApp", "Spam"]
    edited = await api.client.put(
        f"/api/v1/routing/rules/{first.json()['id']}",
        json=rule | {"actions": {"queue_id": vip["id"], "priority": 3}},
        headers=sup,
    )
    assert edited.status_code == 200 and edited.json()["actions"]["priority"] == 3
    history = (await api.client.get(f"/api/v1/routing/rules/{first.json()['id']}/history", headers=sup)).json()
    assert [h["action"] for h in history] == ["routing.rule_edit", "routing.rule_add"]
    assert history[0]["username"] == "sup" and history[0]["details"]["before"]["actions"]["priority"] == 2
    operator = await api.headers_for("op")
    assert (await api.client.get("/api/v1/routing/rules", headers=operator)).status_code == 403


async def test_preview_names_the_rule_that_would_take_a_message_also_for_an_unsaved_list(api):
    sup = await _supervisor(api)
    vip = await add_queue(api, "VIP")
    channel_id, _ = await api.channel("WhatsApp line")
    async with api.db.session() as session:
        await session.execute(update(Channel).where(Channel.id == channel_id).values(kind="whatsapp"))
        customer = Customer(display_name="Ірина", segment="VIP")
        session.add(customer)
        await session.commit()
        customer_id = customer.id
    draft = [
        {
            "name": "VIP",
            "conditions": [{"field": "segment", "op": "eq", "value": "vip"}],
            "actions": {"queue_id": vip, "priority": 2},
        }
    ]
    r = await api.client.post(
        "/api/v1/routing/preview",
        json={"channel_id": channel_id, "customer_id": customer_id, "rules": draft},
        headers=sup,
    )
    assert r.status_code == 200, r.text
    assert r.json() | {"rule_id": None} == {
        "rule_id": None,
        "rule_name": "VIP",
        "queue_id": vip,
        "priority": 2,
        "skill": None,
        "max_wait_s": None,
        "auto_reply": None,
    }
    stored = (
        await api.client.post(
            "/api/v1/routing/preview", json={"channel_id": channel_id, "customer_id": customer_id}, headers=sup
        )
    ).json()
    assert stored["rule_name"] is None and stored["priority"] == 1  # nothing stored yet: the channel's default
    r = await api.client.post("/api/v1/routing/preview", json={"channel_id": 98765}, headers=sup)
    assert r.status_code == 422


# --- one decision, two ingest paths -------------------------------------------------------------------------------

RULES = [
    (
        "VIP WhatsApp",
        [
            {"field": "channel", "op": "eq", "value": "whatsapp"},
            {"field": "segment", "op": "eq", "value": "VIP"},
            {"field": "business_hours", "op": "is", "value": True, "calendar": "open"},
        ],
        {"queue_id": "vip", "priority": 2, "max_wait_s": 30},
    ),
    ("Night", [{"field": "business_hours", "op": "is", "value": True, "calendar": "closed"}], {"priority": 3}),
    (
        "Loans",
        [{"field": "text", "op": "contains_any", "value": ["кредит", "loan"]}],
        {"skill": "loans", "queue_id": "sales"},
    ),
    ("Tagged", [{"field": "tag", "op": "has", "value": "angry"}], {"queue_id": "complaints", "priority": 3}),
    ("Attribute", [{"field": "attribute", "key": "card", "op": "eq", "value": "gold"}], {"priority": 2}),
    # Language (of a known customer; "in", and "ne" together with a channel id), a channel by its id and a text with
    # none of some words: "@telegram" stands for the Telegram channel's id.
    ("Russian", [{"field": "language", "op": "in", "value": ["ru", "be"]}], {"queue_id": "ru"}),
    (
        "Not Ukrainian on WhatsApp",
        [
            {"field": "channel_id", "op": "in", "value": ["@whatsapp"]},
            {"field": "language", "op": "ne", "value": "uk"},
            {"field": "customer_known", "op": "is", "value": True},
        ],
        {"queue_id": "ru", "priority": 0},
    ),
    (
        "Telegram, no greeting",
        [
            {"field": "channel_id", "op": "eq", "value": "@telegram"},
            {"field": "text", "op": "contains_none", "value": ["hello", "hi", "добрий", "!!!"]},
        ],
        {"skill": "triage"},
    ),
    ("Newcomers", [{"field": "customer_known", "op": "is", "value": False}], {"queue_id": "sales"}),
]
# (sender, known profile or None for a first-time sender, channel, text) -> expected (rule, queue key, priority, skill)
CASES = [
    ("+380501110001", {"segment": "VIP"}, "whatsapp", "Добрий день", ("VIP WhatsApp", "vip", 2, None)),
    ("+380501110002", {"segment": "VIP"}, "telegram", "Добрий день", (None, "default", 1, None)),
    ("+380501110003", None, "whatsapp", "Потрібен кредит", ("Loans", "sales", 1, "loans")),
    ("+380501110004", {"tags": ["Angry"]}, "telegram", "!!!", ("Tagged", "complaints", 3, None)),
    ("+380501110005", {"attributes": {"card": "Gold"}}, "telegram", "hi", ("Attribute", "default", 2, None)),
    ("+380501110006", None, "telegram", "hello", ("Newcomers", "sales", 1, None)),
    ("+380501110007", {}, "telegram", "hello", (None, "default", 1, None)),
    ("+380501120008", {"language": "RU"}, "telegram", "hello", ("Russian", "ru", 1, None)),
    ("+380501120009", {"language": "be"}, "whatsapp", "Прывітанне", ("Russian", "ru", 1, None)),
    (
        "+380501120010",
        {"language": "en"},
        "whatsapp",
        "Where is my card?",
        ("Not Ukrainian on WhatsApp", "ru", 0, None),
    ),
    ("+380501120011", {"language": "uk"}, "whatsapp", "Де моя картка?", (None, "default", 1, None)),
    (
        "+380501120012",
        {"language": "uk"},
        "telegram",
        "Де моя картка?",
        ("Telegram, no greeting", "default", 1, "triage"),
    ),
    ("+380501120013", {"language": "uk"}, "telegram", "Добрий вечір, де картка?", (None, "default", 1, None)),
    ("+380501120014", None, "telegram", "Де моя картка?", ("Telegram, no greeting", "default", 1, "triage")),
]


async def _setup(api):
    names = ("default", "vip", "sales", "complaints", "open", "closed", "ru")
    queues = {name: await add_queue(api, name) for name in names}
    channels = {}
    for kind in ("whatsapp", "telegram"):
        channel_id, _ = await api.channel(kind, queue_id=queues["default"])
        async with api.db.session() as session:
            await session.execute(update(Channel).where(Channel.id == channel_id).values(kind=kind))
            await session.commit()
        channels[kind] = ingest.ChannelRef(channel_id, kind, kind, queues["default"], None)

    def channel_ids(value):
        if isinstance(value, list):
            return [channel_ids(v) for v in value]
        return channels[value[1:]].id if isinstance(value, str) and value.startswith("@") else value

    async with api.db.session() as session:
        from omnidesk.server.queues.models import Queue
        from omnidesk.server.routing.models import RoutingRule

        await session.execute(update(Queue).where(Queue.id == queues["open"]).values(calendar=ALWAYS_OPEN))
        await session.execute(update(Queue).where(Queue.id == queues["closed"]).values(calendar=NEVER_OPEN))
        for position, (name, conditions, actions) in enumerate(RULES, start=1):
            conds = [c | ({"calendar": queues[c["calendar"]]} if "calendar" in c else {}) for c in conditions]
            conds = [c | {"value": channel_ids(c["value"])} if c["field"] == "channel_id" else c for c in conds]
            routing.parse_rule(position, name, conds, {"priority": 1})  # each a rule the API would store
            acts = actions | ({"queue_id": queues[actions["queue_id"]]} if "queue_id" in actions else {})
            session.add(RoutingRule(position=position, name=name, conditions=conds, actions=acts))
        await session.commit()
    return queues, channels


async def _known_customer(api, channels, phone: str, profile: dict) -> None:
    """A customer who wrote before (on the API channel), with the profile the rules look at."""
    channel_id, token = await api.channel(f"old-{phone}")
    r = await api.inbound(channel_id, token, f"old-{phone}", value=phone)
    if profile:
        async with api.db.session() as session:
            await session.execute(update(Customer).where(Customer.id == r.json()["customer_id"]).values(**profile))
            await session.commit()


async def _route_all(api, queues, channels, batcher, prefix: str):
    names = {rid: name for rid, name in (await _rule_names(api)).items()}
    by_id = {v: k for k, v in queues.items()}
    got = []
    for phone, profile, kind, text, _expected in CASES:
        phone = phone[:-2] + prefix + phone[-1]
        if profile is not None:
            await _known_customer(api, channels, phone, profile)
        message = InboundMessage.model_validate(
            {"external_id": f"{prefix}-{phone}", "sender": {"kind": "phone", "value": phone}, "text": text}
        )
        stored = STATS["stored"]
        ack = await ingest.ingest(api.db, channels[kind], message, normalize("phone", phone, "UA"), batcher=batcher)
        if batcher is not None:
            assert STATS["stored"] == stored + 1, "the batch path must have stored this case itself"
        async with api.db.session() as session:
            c = await session.get(Conversation, ack.conversation_id)
            got.append((names.get(c.routing_rule_id), by_id[c.queue_id], c.priority, c.required_skill))
            if c.max_wait_s is not None:
                assert names[c.routing_rule_id] == "VIP WhatsApp" and c.max_wait_s == 30
            assert c.waiting_since is not None and c.assignee_id is None
    return got


async def _rule_names(api):
    from omnidesk.server.routing.models import RoutingRule

    async with api.db.session() as session:
        return dict((await session.execute(select(RoutingRule.id, RoutingRule.name))).all())


async def test_general_and_batch_ingest_route_every_case_the_same_way(api):
    queues, channels = await _setup(api)
    routing_service.invalidate(api.db)
    expected = [case[-1] for case in CASES]
    general = await _route_all(api, queues, channels, None, "1")
    assert general == expected
    if api.db.sqlite:
        return  # SQLite has only the general path
    batcher = IngestBatcher(api.db)
    batcher.start()
    try:
        batched = await _route_all(api, queues, channels, batcher, "2")
    finally:
        await batcher.stop()
    assert batched == general


async def test_rule_change_through_the_api_applies_to_the_next_message(api):
    sup = await _supervisor(api)
    vip = await add_queue(api, "VIP")
    channel_id, token = await api.channel("Site")
    assert (await api.inbound(channel_id, token, "a-1", value="+380671112233", text="hi")).status_code == 201
    r = await api.client.post(
        "/api/v1/routing/rules",
        json={
            "name": "Urgent",
            "conditions": [{"field": "text", "op": "contains_any", "value": ["терміново"]}],
            "actions": {"queue_id": vip, "priority": 3},
        },
        headers=sup,
    )
    assert r.status_code == 201
    ack = (await api.inbound(channel_id, token, "a-2", value="+380671112244", text="Терміново!")).json()
    conv = (await api.client.get(f"/api/v1/conversations/{ack['conversation_id']}", headers=sup)).json()
    assert conv["queue_id"] == vip and conv["priority"] == 3 and conv["waiting_since"] is not None


async def test_a_rules_auto_reply_tells_the_place_in_the_queue_on_both_ingest_paths(api, webhook_sink):
    sup = await _supervisor(api)
    vip = await add_queue(api, "VIP")
    channel_id, token = await api.channel("Site", webhook_url=webhook_sink.url)
    r = await api.client.post(
        "/api/v1/routing/rules",
        json={
            "name": "Queue place",
            "conditions": [{"field": "customer_known", "op": "is", "value": False}],
            "actions": {"queue_id": vip, "auto_reply": "Дякуємо! Ви {queue.position}-й у черзі «{queue.name}»."},
        },
        headers=sup,
    )
    assert r.status_code == 201, r.text
    first = (await api.inbound(channel_id, token, "q-1", value="+380671110001", text="Привіт")).json()
    second = (await api.inbound(channel_id, token, "q-2", value="+380671110002", text="Добрий день")).json()
    # The general path directly too (on PostgreSQL the API took the batch path above).
    channel = ingest.ChannelRef(channel_id, "api", "Site", None, webhook_sink.url)
    message = InboundMessage.model_validate(
        {"external_id": "q-3", "sender": {"kind": "phone", "value": "+380671110003"}, "text": "Є хто?"}
    )
    third = await ingest.ingest(api.db, channel, message, normalize("phone", "+380671110003", "UA"))
    for ack, place in ((first, 1), (second, 2), (third.model_dump(), 3)):
        items = (await api.client.get(f"/api/v1/conversations/{ack['conversation_id']}/messages", headers=sup)).json()
        assert [(m["direction"], m["text"]) for m in items["items"]][-1] == (
            "out",
            f"Дякуємо! Ви {place}-й у черзі «VIP».",
        ), items
    await asyncio.to_thread(webhook_sink.wait_for, 3)
    assert sorted(p["text"] for p in webhook_sink.received)[0].startswith("Дякуємо! Ви 1-й")
    # A returning customer opens no new conversation: no second auto-reply.
    await api.inbound(channel_id, token, "q-4", value="+380671110001", text="Ще питання")
    items = (await api.client.get(f"/api/v1/conversations/{first['conversation_id']}/messages", headers=sup)).json()
    assert [m["direction"] for m in items["items"]] == ["in", "out", "in"]


async def test_a_rules_maximum_wait_escalates_a_conversation_once_per_wait(api):
    """The rule's "max wait = 30 s" acted on nothing (stored only). A conversation waiting longer is raised to
    urgent, with a timeline item and a conversation event, once per wait: taken and returned to the queue, it
    starts a new wait and can be escalated again; one under its maximum is left alone."""
    from omnidesk.server.presence.service import Assigner, escalate_overdue
    from tests.sse import StreamReader, of_type

    sup = await _supervisor(api)
    vip = await add_queue(api, "VIP")
    channel_id, token = await api.channel("Site")
    r = await api.client.post(
        "/api/v1/routing/rules",
        json={
            "name": "VIP wait",
            "conditions": [{"field": "text", "op": "contains_any", "value": ["vip"]}],
            "actions": {"queue_id": vip, "priority": 2, "max_wait_s": 30},
        },
        headers=sup,
    )
    assert r.status_code == 201, r.text
    late = (await api.inbound(channel_id, token, "w-1", value="+380671119001", text="vip please")).json()
    fresh = (await api.inbound(channel_id, token, "w-2", value="+380671119002", text="vip too")).json()
    plain = (await api.inbound(channel_id, token, "w-3", value="+380671119003", text="hello")).json()
    minute_ago = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=60)
    async with api.db.session() as session:
        for ack in (late, plain):  # both waited a minute; only one has a maximum wait
            await session.execute(
                update(Conversation).where(Conversation.id == ack["conversation_id"]).values(waiting_since=minute_ago)
            )
        await session.commit()
    head = (await api.client.get("/api/v1/events/head", headers=sup)).json()["last_event_id"]
    async with StreamReader(api.url, sup, after=head) as stream:
        async with api.db.session() as session:
            escalated = await escalate_overdue(session, api.db)
            await session.commit()
        # (the server's own worker may have made this pass first: either way exactly one escalation, checked below)
        assert escalated in ([late["conversation_id"]], [])
        await stream.wait_for(
            lambda ev: any(
                e["payload"]["conversation"]["id"] == late["conversation_id"]
                and e["payload"]["conversation"]["priority"] == 3
                for e in of_type(ev, "conversation.updated")
            ),
            timeout=10,
        )
    async with api.db.session() as session:
        assert await escalate_overdue(session, api.db) == []  # once per wait
        await session.commit()
        priorities = dict((await session.execute(select(Conversation.id, Conversation.priority))).all())
    assert priorities[late["conversation_id"]] == 3 and priorities[fresh["conversation_id"]] == 2
    customer = (await api.client.get(f"/api/v1/conversations/{late['conversation_id']}", headers=sup)).json()
    timeline = (await api.client.get(f"/api/v1/customers/{customer['customer']['id']}/timeline", headers=sup)).json()[
        "items"
    ]
    [item] = [i for i in timeline if i["kind"] == "wait_exceeded"]
    assert item["payload"]["max_wait_s"] == 30 and item["payload"]["waited_s"] >= 60
    assert item["payload"]["priority"] == {"from": 2, "to": 3}
    # Back in the queue later (a new wait) and waiting too long again: escalated again, by the worker's own pass.
    async with api.db.session() as session:
        await session.execute(
            update(Conversation)
            .where(Conversation.id == late["conversation_id"])
            .values(waiting_since=dt.datetime.now(dt.UTC) - dt.timedelta(seconds=45), priority=1)
        )
        await session.commit()
    await Assigner(api.db).run_once()
    async with api.db.session() as session:
        assert (
            await session.scalar(select(Conversation.priority).where(Conversation.id == late["conversation_id"])) == 3
        )
