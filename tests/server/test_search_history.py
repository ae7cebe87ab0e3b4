"""History search: word forms in Ukrainian, Russian and English, parts of numbers, filters, queue scope, paging,
highlighted snippets, audit; the same answers on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest
from sqlalchemy import select, text, update

from omnidesk.domain.enums import Role
from omnidesk.server.audit.models import AuditRecord
from omnidesk.server.conversations.models import Conversation, Message
from omnidesk.server.search.terms import BadQuery, parse, snippet
from omnidesk.server.users.models import User
from tests.server.customer_helpers import add_queue, deliver

pytestmark = pytest.mark.search_dictionaries  # word forms: the real hunspell chain (tests/conftest.py)

MESSAGES = [
    ("e1", "+380501110001", "Моя картка заблокована, допоможіть"),
    ("e2", "+380501110002", "Не можу оплатити картку в застосунку"),
    ("e3", "+79161110003", "Карты не работают с утра"),
    ("e4", "+79161110004", "Где моя карта? Заказ ORD-2026-99123 не пришёл"),
    ("e5", "+380501110005", "Payments were refunded twice, order 4412-7788"),
    ("e6", "+380501110006", "Дякую, все працює"),
]


async def _seed(api) -> dict[str, dict]:
    channel_id, token = await api.channel("Site")
    out = {}
    for ext, phone, body in MESSAGES:
        out[ext] = await deliver(api, channel_id, token, ext, "phone", phone, text=body)
        out[ext]["channel_id"] = channel_id
    return out


async def _search(api, headers, **params):
    r = await api.client.get("/api/v1/search/messages", params=params, headers=headers)
    assert r.status_code == 200, r.text
    return r.json()


def _texts(page) -> set[str]:
    return {h["snippet"]["text"] for h in page["items"]}


async def _ids_of(api, *exts) -> set[int]:
    async with api.db.session() as session:
        rows = await session.scalars(select(Message.id).where(Message.external_id.in_(exts)))
        return set(rows.all())


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("картка", {"e1", "e2"}),  # Ukrainian: картка / картку
        ("карта", {"e3", "e4"}),  # Russian: карта / карты
        ("payment", {"e5"}),  # English: payments
        ("99123", {"e4"}),  # part of an order number
        ("7788", {"e5"}),
        ("карта ORD-2026", {"e4"}),  # every term must match
        ("заблокована картка", {"e1"}),
        ("кредит", set()),
    ],
)
async def test_word_forms_and_number_fragments_are_found(api, query, expected):
    await _seed(api)
    headers = await api.headers_for("sup", Role.SUPERVISOR)
    page = await _search(api, headers, q=query)
    assert {h["message_id"] for h in page["items"]} == await _ids_of(api, *expected)


async def test_hit_carries_conversation_and_highlighted_snippet(api):
    seeded = await _seed(api)
    headers = await api.headers_for("sup", Role.SUPERVISOR)
    (hit,) = (await _search(api, headers, q="ORD-2026-99"))["items"]
    assert hit["conversation_id"] == seeded["e4"]["conversation_id"]
    assert hit["customer_id"] == seeded["e4"]["customer_id"]
    text = hit["snippet"]["text"]
    assert [text[s:e] for s, e in hit["snippet"]["highlights"]] == ["ORD-2026-99"]
    (hit,) = (await _search(api, headers, q="картку", customer=seeded["e2"]["customer_id"]))["items"]
    assert [hit["snippet"]["text"][s:e] for s, e in hit["snippet"]["highlights"]] == ["картку"]


async def test_operator_finds_only_their_queues_and_assigned_conversations(api):
    seeded = await _seed(api)
    other_queue = await add_queue(api, "VIP")
    async with api.db.session() as session:
        await session.execute(
            update(Conversation).where(Conversation.id == seeded["e3"]["conversation_id"]).values(queue_id=other_queue)
        )
        await session.commit()
    operator = await api.headers_for("op", Role.OPERATOR)  # in the default queue only
    found = await _search(api, operator, q="карта")
    assert {h["message_id"] for h in found["items"]} == await _ids_of(api, "e4")
    supervisor = await api.headers_for("sup", Role.SUPERVISOR)
    assert len((await _search(api, supervisor, q="карта"))["items"]) == 2
    # Assigned to the operator: visible again although in a queue they are not in.
    async with api.db.session() as session:
        op_id = await session.scalar(select(AuditRecord.user_id).where(AuditRecord.username == "op").limit(1))
        await session.execute(
            update(Conversation).where(Conversation.id == seeded["e3"]["conversation_id"]).values(assignee_id=op_id)
        )
        await session.commit()
    assert len((await _search(api, operator, q="карта"))["items"]) == 2
    # A queue filter does not widen the scope.
    assert (await _search(api, operator, q="карта", queue=other_queue))["items"] != []
    async with api.db.session() as session:
        await session.execute(
            update(Conversation).where(Conversation.id == seeded["e3"]["conversation_id"]).values(assignee_id=None)
        )
        await session.commit()
    assert (await _search(api, operator, q="карта", queue=other_queue))["items"] == []


async def test_filters_by_channel_operator_kind_and_period(api):
    seeded = await _seed(api)
    other_channel, token = await api.channel("Bot")
    await deliver(api, other_channel, token, "b1", "phone", "+380501110099", text="картка знову не працює")
    headers = await api.headers_for("sup", Role.SUPERVISOR)
    assert len((await _search(api, headers, q="картка"))["items"]) == 3
    only_bot = await _search(api, headers, q="картка", channel=other_channel)
    assert {h["channel_id"] for h in only_bot["items"]} == {other_channel}
    conversation_id = seeded["e1"]["conversation_id"]
    # Notes have no API of their own yet: written as the conversations feature stores them (kind "note").
    async with api.db.session() as session:
        author = await session.scalar(select(User.id).where(User.username == "sup"))
        note = Message(
            conversation_id=conversation_id,
            channel_id=seeded["e1"]["channel_id"],
            direction="out",
            kind="note",
            author_id=author,
            text="Клієнт просить перевипустити картку",
        )
        session.add(note)
        await session.commit()
        note_id = note.id
    notes = await _search(api, headers, q="картка", operator=author)
    assert [h["kind"] for h in notes["items"]] == ["note"]
    assert (await _search(api, headers, q="картка", kind="note"))["items"][0]["message_id"] == note_id
    async with api.db.session() as session:
        await session.execute(
            update(Message)
            .where(Message.external_id == "e1")
            .values(sent_at=dt.datetime(2020, 1, 15, 10, tzinfo=dt.UTC))
        )
        await session.commit()
    old = await _search(api, headers, q="картка", **{"from": "2020-01-01", "to": "2020-01-31"})
    assert {h["message_id"] for h in old["items"]} == await _ids_of(api, "e1")
    assert len((await _search(api, headers, q="картка", **{"from": "2021-01-01"}))["items"]) == 3  # e2, b1, note


async def test_pages_with_cursor_newest_first_and_each_hit_once(api):
    channel_id, token = await api.channel("Site")
    for i in range(7):
        await deliver(api, channel_id, token, f"p{i}", "phone", f"+38050222000{i}", text=f"Заявка номер {i} на картку")
    headers = await api.headers_for("sup", Role.SUPERVISOR)
    seen, cursor = [], None
    while True:
        params = {"q": "заявка", "limit": 3} | ({"cursor": cursor} if cursor else {})
        page = await _search(api, headers, **params)
        seen += [h["message_id"] for h in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == 7 and seen == sorted(seen, reverse=True)


async def test_search_is_audited_and_bad_queries_are_400(api):
    await _seed(api)
    headers = await api.headers_for("sup", Role.SUPERVISOR)
    await _search(api, headers, q="картка")
    async with api.db.session() as session:
        record = await session.scalar(select(AuditRecord).where(AuditRecord.action == "search.messages"))
        assert record.details["q"] == "картка" and record.details["n"] == 2
    for params in ({"q": "ab"}, {"q": "картка", "cursor": "junk"}, {"q": "картка", "from": "yesterday"}):
        r = await api.client.get("/api/v1/search/messages", params=params, headers=headers)
        assert r.status_code == 400, (params, r.text)
    r = await api.client.get("/api/v1/search/messages", params={"q": "x" * 201}, headers=headers)
    assert r.status_code == 422


async def test_edited_and_deleted_messages_leave_the_index(api):
    await _seed(api)
    headers = await api.headers_for("sup", Role.SUPERVISOR)
    async with api.db.session() as session:
        await session.execute(update(Message).where(Message.external_id == "e5").values(text="[removed]"))
        await session.commit()
    assert (await _search(api, headers, q="refunded"))["items"] == []
    assert len((await _search(api, headers, q="removed"))["items"]) == 1


def test_terms_and_snippet_rules():
    with pytest.raises(BadQuery):
        parse("a b")
    terms = parse("Картку ORD-991 картку")
    assert [(t.text, t.fragment) for t in terms] == [("картку", False), ("ord-991", True)]
    text = "x " * 200 + "номер ORD-991234 тут " + "y " * 200
    short, spans = snippet(text, terms)
    assert len(short) < 200 and [short[s:e] for s, e in spans] == ["ORD-991"]


async def test_searches_run_on_their_own_connections_with_the_dictionaries_loaded(db_url):
    """PostgreSQL: the server opens ``search_pool_size`` search connections as it starts, each having run the warm-up
    that loads every dictionary of the search configuration, and searches (word forms included) run on them."""
    from omnidesk.server.search.pool import WARMED_NAME
    from tests.server.hardening_helpers import api_with

    if db_url.startswith("sqlite"):
        pytest.skip("SQLite's FTS5 index loads no dictionaries: searches use the one pool")
    async with api_with(db_url, search_pool_size=2) as api:
        await _seed(api)
        headers = await api.headers_for("sup", Role.SUPERVISOR)
        deadline = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=20)
        while True:  # the warm-up runs in the background of the server's start
            async with api.db.session() as session:
                warmed = (
                    await session.execute(
                        text(
                            "SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
                            " AND application_name = :name"
                        ),
                        {"name": WARMED_NAME},
                    )
                ).all()
            if len(warmed) >= 2 or dt.datetime.now(dt.UTC) > deadline:
                break
            await asyncio.sleep(0.1)
        assert len(warmed) == 2
        async with api.db.session() as session:
            before = await session.scalar(text("SELECT clock_timestamp()"))
        page = await _search(api, headers, q="картка")
        assert {h["message_id"] for h in page["items"]} == await _ids_of(api, "e1", "e2")
        async with api.db.session() as session:  # the search ran on one of them (and on no new connection)
            used = (
                await session.scalars(
                    text("SELECT state_change > :before FROM pg_stat_activity WHERE application_name = :name"),
                    {"name": WARMED_NAME, "before": before},
                )
            ).all()
        assert sorted(used) == [False, True]
