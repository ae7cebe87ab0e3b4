"""Reports on a small hand-made history with known answers, on SQLite and PostgreSQL: every metric's definition
(omnidesk.domain.metrics), groups, time buckets in the viewer's time zone, channel transitions, operators' scope,
the CSV and XLSX exports; and the figures of a conversation that really went through ingest, reply and resolve."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import select, update

from omnidesk.domain import sla
from omnidesk.server.admin.models import Channel
from omnidesk.server.analytics import rollup, service
from omnidesk.server.analytics.rebuild import rebuild
from omnidesk.server.conversations.models import Conversation, Message
from omnidesk.server.csat.models import CsatSurvey
from omnidesk.server.customers.models import Customer
from omnidesk.server.events.models import EventRow
from omnidesk.server.queues.models import Queue
from omnidesk.server.sla.models import ConversationSla
from omnidesk.server.timeline.models import TimelineEntry
from omnidesk.server.users.models import User

T = dt.datetime(2026, 11, 2, 10, tzinfo=dt.UTC)  # a Monday
PERIOD = {"from": "2026-11-01T00:00:00Z", "to": "2026-11-08T00:00:00Z"}
S, H, D = dt.timedelta(seconds=1), dt.timedelta(hours=1), dt.timedelta(days=1)


async def _history(api) -> dict:
    alice = await api.user("alice")
    bob = await api.user("bob")
    ids = {"alice": alice["id"], "bob": bob["id"]}
    async with api.db.session() as session:
        await session.execute(update(User).where(User.id == bob["id"]).values(display_name="=HYPERLINK(1)"))
        chat = Channel(kind="webchat", name="Site chat", token_hash="a" * 64)
        mail = Channel(kind="email", name="Support mail", token_hash="b" * 64)
        segments = [None, "vip", "retail", "vip", None, "retail"]
        customers = [Customer(display_name=f"c{i}", segment=segments[i]) for i in range(6)]
        session.add_all([chat, mail, *customers])
        await session.flush()
        c = [x.id for x in customers]
        rows = [
            # channel, customer, assignee, started, frt, res, policy, breached, status
            (chat, c[1], "alice", T, 60, 600, 1, 0),
            (chat, c[2], "alice", T + H, 120, 1200, 1, int(sla.Alerted.FRT_BREACH)),
            (mail, c[1], "bob", T + 2 * H, 3600, None, None, 0),
            (mail, c[3], "bob", dt.datetime(2026, 11, 3, 22, 30, tzinfo=dt.UTC), None, 300, None, 0),
            (chat, c[4], None, T + D + H, None, None, 1, 0),
            (chat, c[5], "alice", dt.datetime(2026, 10, 20, tzinfo=dt.UTC), 5, 10, None, 0),  # before the period
        ]
        conversations = []
        for channel, customer, who, started, frt, res, policy, breached in rows:
            conv = Conversation(
                customer_id=customer,
                channel_id=channel.id,
                assignee_id=ids.get(who),
                status="resolved" if res is not None else "open",
                created_at=started,
                last_message_at=started,
            )
            session.add(conv)
            await session.flush()
            conversations.append(conv.id)
            session.add(
                ConversationSla(
                    conversation_id=conv.id,
                    policy_id=policy,
                    started_at=started,
                    first_response_due=started + 100 * S if policy else None,
                    first_response_at=started + frt * S if frt is not None else None,
                    resolved_at=started + res * S if res is not None else None,
                    alerted=breached,
                    breached=breached,
                )
            )
        for index, score, at in ((0, 5, T + H), (1, 2, T + 2 * H), (3, 4, T + 2 * D)):
            session.add(
                CsatSurvey(
                    conversation_id=conversations[index],
                    customer_id=0,
                    channel_id=(chat if index < 2 else mail).id,
                    operator_id=ids["alice"] if index < 2 else ids["bob"],
                    requested_at=at,
                    score=score,
                    answered_at=at,
                )
            )
        await session.commit()
    return ids | {"chat": chat.id, "mail": mail.id}


async def test_figures_by_customer_segment_and_its_filter(api):
    """The customers' segments (c1, c3 vip; c2 retail; c4 none): the summary's groups by segment, the ``segment`` filter
    of the summary, time series, transitions and exports, and a customer moved to another segment."""
    await _history(api)
    sup = await api.headers_for("sup", "supervisor")
    r = await api.client.get("/api/v1/analytics/summary", params=PERIOD, headers=sup)
    assert r.status_code == 200, r.text
    groups = {g["key"]: g for g in r.json()["by_segment"]}
    assert {k: g["conversations"] for k, g in groups.items()} == {"vip": 3, "retail": 1, None: 1}
    assert r.json()["by_segment"][0]["key"] == "vip"  # the largest first
    assert groups["vip"]["label"] == "vip" and groups[None]["label"] is None
    assert groups["vip"]["csat"] == 4.5 and groups["retail"]["csat"] == 2.0 and groups[None]["csat"] is None
    assert groups["vip"]["frt_mean"] == 1830.0  # (60 + 3600) / 2: conversation 4 has no reply
    assert groups["vip"]["fcr"] == 0.5  # c1 came back after conversation 1; conversation 4 resolved for good

    vip = await api.client.get("/api/v1/analytics/summary", params=PERIOD | {"segment": "vip"}, headers=sup)
    assert vip.status_code == 200, vip.text
    body = vip.json()
    assert body["totals"]["conversations"] == 3 and body["totals"]["csat"] == 4.5
    assert [g["key"] for g in body["by_segment"]] == ["vip"]
    assert {g["key"]: g["conversations"] for g in body["by_channel"]} == {"webchat": 1, "email": 2}
    none = await api.client.get("/api/v1/analytics/summary", params=PERIOD | {"segment": ""}, headers=sup)
    assert none.json()["totals"]["conversations"] == 1 and body["waiting"] == 0
    assert none.json()["waiting"] == 1  # conversation 5, of c4
    unknown = await api.client.get("/api/v1/analytics/summary", params=PERIOD | {"segment": "x" * 65}, headers=sup)
    assert unknown.status_code == 422

    series = await api.client.get(
        "/api/v1/analytics/timeseries", params=PERIOD | {"segment": "vip", "interval": "day"}, headers=sup
    )
    assert series.status_code == 200, series.text
    assert {p["bucket"]: p["value"] for p in series.json()["points"]} == {"2026-11-02T00:00": 2, "2026-11-03T00:00": 1}
    moves = await api.client.get("/api/v1/analytics/transitions", params=PERIOD | {"segment": "vip"}, headers=sup)
    assert [(c["source"], c["target"], c["count"]) for c in moves.json()["cells"]] == [("webchat", "email", 1)]
    retail = await api.client.get("/api/v1/analytics/transitions", params=PERIOD | {"segment": "retail"}, headers=sup)
    assert retail.json()["cells"] == []

    exported = await api.client.get(
        "/api/v1/analytics/export", params=PERIOD | {"report": "segment", "format": "csv"}, headers=sup
    )
    assert exported.status_code == 200, exported.text
    rows = list(csv.DictReader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert (rows[0]["key"], rows[0]["conversations"]) == ("vip", "3")
    assert sorted((row["key"], row["conversations"]) for row in rows) == [("", "1"), ("retail", "1"), ("vip", "3")]

    # c3 moves to retail (the card's edit): the reports follow at once, from the roll-ups as from the raw facts.
    await rollup.refresh(api.db)
    async with api.db.session() as session:
        c3 = (await session.scalars(select(Customer.id).where(Customer.display_name == "c3"))).one()
    r = await api.client.patch(f"/api/v1/customers/{c3}", json={"segment": "retail"}, headers=sup)
    assert r.status_code == 200, r.text
    r = await api.client.get("/api/v1/analytics/summary", params=PERIOD, headers=sup)
    assert {g["key"]: g["conversations"] for g in r.json()["by_segment"]} == {"vip": 2, "retail": 2, None: 1}
    assert await rollup.refresh(api.db) >= 1  # the days of c3's conversation and survey were marked
    f = service.Filters(dt.datetime.fromisoformat(PERIOD["from"]), dt.datetime.fromisoformat(PERIOD["to"]))
    async with api.db.session() as session:
        rolled = await service.summary(session, f, exact_limit=-1)
    assert {k: v["conversations"] for k, v in rolled["segment"].items()} == {"vip": 2, "retail": 2, None: 1}
    assert rolled["segment"]["retail"]["csat"] == 3.0  # (2 + 4) / 2


async def test_summary_figures_match_their_definitions_on_a_known_history(api):
    ids = await _history(api)
    sup = await api.headers_for("sup", "supervisor")
    r = await api.client.get("/api/v1/analytics/summary", params=PERIOD, headers=sup)
    assert r.status_code == 200, r.text
    body = r.json()
    totals = body["totals"]
    assert totals | {"csat": round(totals["csat"], 2)} == {
        "conversations": 5,
        "resolved": 3,
        "frt_mean": 1260.0,  # (60 + 120 + 3600) / 3
        "frt_median": 120.0,  # nearest rank: the 2nd of 3
        "frt_p90": 3600.0,  # the 3rd of 3
        "resolution_mean": 700.0,  # (600 + 1200 + 300) / 3
        "resolution_median": 600.0,
        "resolution_p90": 1200.0,
        "fcr": pytest.approx(2 / 3),  # c1 came back by e-mail two hours after conversation 1
        "abandonment": pytest.approx(1 / 3),  # conversation 4 was resolved without a reply
        "sla_compliance": 0.5,  # of the two decided (1 met, 2 missed); 5 still running
        "sla_breaches": 1,
        "csat": 3.67,
        "csat_responses": 3,
        "csat_satisfied": pytest.approx(2 / 3),
        "nps": None,  # nobody was asked the 0-10 question
        "nps_responses": 0,
        "nrt_mean": None,  # these conversations have no messages stored
        "nrt_median": None,
        "nrt_p90": None,
        "nrt_responses": 0,
        "online_hours": 0.0,  # no presence recorded: no load
        "handled": 0,
        "handled_per_hour": None,
        "occupancy": None,
        "concurrent_mean": None,
        "concurrent_peak": 0,
        "capacity": None,
    }
    assert body["waiting"] == 1  # conversation 5
    by_channel = {g["key"]: g for g in body["by_channel"]}
    assert {k: g["conversations"] for k, g in by_channel.items()} == {"webchat": 3, "email": 2}
    assert by_channel["webchat"]["csat"] == 3.5 and by_channel["email"]["csat"] == 4.0
    by_operator = {g["key"]: (g["label"], g["conversations"]) for g in body["by_operator"]}
    assert by_operator == {str(ids["alice"]): ("alice", 2), str(ids["bob"]): ("=HYPERLINK(1)", 2), None: (None, 1)}
    assert set(body["definitions"]) >= set(totals)

    only_mail = await api.client.get("/api/v1/analytics/summary", params=PERIOD | {"channel": ids["mail"]}, headers=sup)
    assert only_mail.json()["totals"]["conversations"] == 2 and only_mail.json()["totals"]["abandonment"] == 1.0


async def test_time_buckets_follow_the_viewers_time_zone(api):
    await _history(api)
    sup = await api.headers_for("sup", "supervisor")
    params = PERIOD | {"metric": "conversations", "interval": "day"}
    utc = (await api.client.get("/api/v1/analytics/timeseries", params=params, headers=sup)).json()["points"]
    assert [(p["bucket"], p["value"]) for p in utc] == [("2026-11-02T00:00", 3), ("2026-11-03T00:00", 2)]
    kyiv = await api.client.get("/api/v1/analytics/timeseries", params=params | {"tz": "Europe/Kyiv"}, headers=sup)
    assert [(p["bucket"], p["value"]) for p in kyiv.json()["points"]] == [
        ("2026-11-02T00:00", 3),
        ("2026-11-03T00:00", 1),
        ("2026-11-04T00:00", 1),  # 22:30 UTC is 00:30 in Kyiv
    ]
    frt = await api.client.get(
        "/api/v1/analytics/timeseries", params=PERIOD | {"metric": "frt_median", "interval": "week"}, headers=sup
    )
    assert [(p["bucket"], p["value"]) for p in frt.json()["points"]] == [("2026-11-02T00:00", 120.0)]
    bad = await api.client.get("/api/v1/analytics/timeseries", params={"metric": "vibes"}, headers=sup)
    assert bad.status_code == 422


async def test_channel_transitions_count_customers_who_came_back_elsewhere(api):
    await _history(api)
    sup = await api.headers_for("sup", "supervisor")
    r = await api.client.get("/api/v1/analytics/transitions", params=PERIOD | {"hours": 48}, headers=sup)
    assert r.json()["cells"] == [{"source": "webchat", "target": "email", "count": 1}]
    r = await api.client.get("/api/v1/analytics/transitions", params=PERIOD | {"hours": 1}, headers=sup)
    assert r.json()["cells"] == []


async def test_operators_see_their_own_figures_only(api):
    ids = await _history(api)
    alice = {"Authorization": f"Bearer {(await api.login('alice'))['access_token']}"}
    mine = (await api.client.get("/api/v1/analytics/summary", params=PERIOD, headers=alice)).json()
    assert mine["totals"]["conversations"] == 2 and [g["key"] for g in mine["by_operator"]] == [str(ids["alice"])]
    r = await api.client.get("/api/v1/analytics/summary", params=PERIOD | {"operator": ids["bob"]}, headers=alice)
    assert r.status_code == 403


@pytest.mark.parametrize(
    "params",
    [
        {"from": "2026-11-08T00:00:00Z", "to": "2026-11-01T00:00:00Z"},
        {"from": "2020-01-01T00:00:00Z", "to": "2026-01-01T00:00:00Z"},
        {"tz": "Mars/Olympus"},
        {"from": "yesterday"},
    ],
)
async def test_bad_periods_are_refused_clearly(api, params):
    sup = await api.headers_for("sup", "supervisor")
    r = await api.client.get("/api/v1/analytics/summary", params=params, headers=sup)
    assert r.status_code == 422, r.text


async def test_exports_csv_and_xlsx_hold_the_report_and_keep_formulas_out(api):
    ids = await _history(api)
    sup = await api.headers_for("sup", "supervisor")
    r = await api.client.get(
        "/api/v1/analytics/export", params=PERIOD | {"report": "operator", "format": "csv"}, headers=sup
    )
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert "omnidesk-operator-20261101-20261108.csv" in r.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))
    by_key = {row["key"]: row for row in rows}
    assert by_key[str(ids["bob"])]["label"] == "'=HYPERLINK(1)"
    assert by_key[str(ids["alice"])]["frt_median"] == "60.0"  # alice: 60 and 120, nearest rank of 2 is the 1st
    r = await api.client.get(
        "/api/v1/analytics/export", params=PERIOD | {"report": "summary", "format": "xlsx"}, headers=sup
    )
    assert r.status_code == 200
    book = load_workbook(io.BytesIO(r.content))
    sheet = book["summary"]
    header = [c.value for c in sheet[1]]
    values = dict(zip(header, [c.value for c in sheet[2]], strict=True))
    assert values["conversations"] == 5 and values["frt_p90"] == 3600
    assert book["definitions"]["A2"].value == "conversations"
    r = await api.client.get(
        "/api/v1/analytics/export", params=PERIOD | {"report": "transitions", "format": "xlsx"}, headers=sup
    )
    sheet = load_workbook(io.BytesIO(r.content))["transitions"]
    assert [[c.value for c in row] for row in sheet.iter_rows()] == [["from", "to", "count"], ["webchat", "email", 1]]


async def test_a_real_conversation_counts_from_ingest_to_resolve(api):
    channel_id, token = await api.channel()
    op = await api.headers_for("op")
    conversation_id = (await api.inbound(channel_id, token, "r-1")).json()["conversation_id"]
    await api.client.post(f"/api/v1/conversations/{conversation_id}/messages", json={"text": "Hi"}, headers=op)
    await api.client.post(f"/api/v1/conversations/{conversation_id}/status", json={"status": "resolved"}, headers=op)
    totals = (await api.client.get("/api/v1/analytics/summary", headers=op)).json()["totals"]
    assert totals["conversations"] == 1 and totals["resolved"] == 1 and totals["abandonment"] == 0
    assert 0 <= totals["frt_median"] <= totals["resolution_median"] < 60


async def _people(api, ids: dict | None) -> tuple[dict, dict]:
    if ids is None:
        return await api.user("alice"), await api.user("bob")
    return {"id": ids["alice"]}, {"id": ids["bob"]}


async def _waits(api, ids: dict | None = None) -> dict:
    """Two conversations with known next-response waits (300 s and 60 s for alice, 1200 s for bob), among messages
    that are no replies (a note, the survey question) or no customer messages (the rating), and one before the
    period."""
    alice, bob = await _people(api, ids)
    async with api.db.session() as session:
        chat = Channel(kind="webchat", name="Help chat", token_hash="c" * 64)
        customer = Customer(display_name="c")
        session.add_all([chat, customer])
        await session.flush()
        histories = [
            (alice["id"], T, [
                (0, "in", None, "text"), (60, "out", alice, "text"),  # the first response: not a next one
                (100, "in", None, "text"), (130, "in", None, "text"), (400, "out", alice, "text"),  # 300 s
                (500, "out", alice, "note"), (550, "out", None, "text"), (600, "rating", None, "text"),
                (900, "in", None, "text"), (960, "out", alice, "text"),  # 60 s (the note and the question ignored)
                (1000, "in", None, "text"),  # never answered: not counted
            ]),
            (bob["id"], T + H, [(0, "in", None, "text"), (10, "out", bob, "text"), (20, "in", None, "text"),
                                (1220, "out", bob, "text")]),  # 1200 s
            (bob["id"], T - 10 * D, [(0, "in", None, "text"), (10, "out", bob, "text"), (20, "in", None, "text"),
                                     (30, "out", bob, "text")]),  # before the period
        ]  # fmt: skip
        for assignee, started, messages in histories:
            conv = Conversation(customer_id=customer.id, channel_id=chat.id, assignee_id=assignee, status="resolved",
                                created_at=started, last_message_at=started)  # fmt: skip
            session.add(conv)
            await session.flush()
            answered = started + 60 * S
            session.add(ConversationSla(conversation_id=conv.id, started_at=started, first_response_at=answered))
            for seconds, direction, author, kind in messages:
                message = Message(
                    conversation_id=conv.id,
                    channel_id=chat.id,
                    text="x",
                    kind=kind,
                    direction="in" if direction == "rating" else direction,
                    author_id=author["id"] if author else None,
                    created_at=started + seconds * S,
                )
                session.add(message)
                await session.flush()
                if direction == "rating":
                    session.add(TimelineEntry(customer_id=customer.id, kind="csat_rated", at=message.created_at,
                                              conversation_id=conv.id, message_id=message.id, payload={}))  # fmt: skip
        await session.commit()
    return {"alice": alice["id"], "bob": bob["id"]}


async def test_next_response_time_counts_each_answered_wait_after_a_reply(api):
    ids = await _waits(api)
    sup = await api.headers_for("sup", "supervisor")
    body = (await api.client.get("/api/v1/analytics/summary", params=PERIOD, headers=sup)).json()
    nrt = {k: body["totals"][k] for k in ("nrt_mean", "nrt_median", "nrt_p90", "nrt_responses")}
    assert nrt == {"nrt_mean": 520.0, "nrt_median": 300.0, "nrt_p90": 1200.0, "nrt_responses": 3}
    by_operator = {g["key"]: (g["nrt_mean"], g["nrt_median"], g["nrt_p90"]) for g in body["by_operator"]}
    assert by_operator == {str(ids["alice"]): (180.0, 60.0, 300.0), str(ids["bob"]): (1200.0, 1200.0, 1200.0)}
    assert "follows an operator reply" in body["definitions"]["nrt_mean"]

    series = await api.client.get(
        "/api/v1/analytics/timeseries", params=PERIOD | {"metric": "nrt_median", "interval": "day"}, headers=sup
    )
    assert [(p["bucket"], p["value"]) for p in series.json()["points"]] == [("2026-11-02T00:00", 300.0)]
    r = await api.client.get("/api/v1/analytics/export", params=PERIOD | {"report": "summary"}, headers=sup)
    (row,) = csv.DictReader(io.StringIO(r.content.decode("utf-8-sig")))
    assert list(row)[:2] == ["conversations", "resolved"] and row["nrt_mean"] == "520.0" and row["nrt_responses"] == "3"

    # The daily roll-up counts the same waits (the mean exactly; percentiles by duration band).
    await rollup.refresh(api.db)
    f = service.Filters(dt.datetime.fromisoformat(PERIOD["from"]), dt.datetime.fromisoformat(PERIOD["to"]))
    async with api.db.session() as session:
        rolled = (await service.summary(session, f, exact_limit=-1))[None][""]
    assert (rolled["nrt_mean"], rolled["nrt_responses"]) == (520.0, 3)
    assert 300 <= rolled["nrt_median"] < 360 and 1200 <= rolled["nrt_p90"] < 1500


async def _load_history(api, ids: dict | None = None) -> dict:
    """alice online 10:00-12:00 on Monday and 10:00-11:00 on Tuesday (offline before); her conversations active
    10:10-10:40 and 10:50-11:10 (pending 10:40-10:50), 10:20-10:30 (then transferred to bob, who is never online),
    and from Tuesday 10:30 on (assigned at its start, never changed)."""
    alice, bob = await _people(api, ids)
    a, b = alice["id"], bob["id"]
    m = dt.timedelta(minutes=1)
    async with api.db.session() as session:
        chat = Channel(kind="webchat", name="Shop chat", token_hash="d" * 64)
        customer = Customer(display_name="c")
        session.add_all([chat, customer])
        await session.flush()
        for at, status in ((T - 2 * D, "offline"), (T, "online"), (T + 2 * H, "offline"), (T + D, "online"),
                           (T + D + H, "away")):  # fmt: skip
            presence = {"user_id": a, "display_name": "alice", "status": status, "changed_at": at.isoformat()}
            session.add(EventRow(type="presence.updated", at=at, payload={"presence": presence}, user_id=a))
        convs = []
        for created, assignee, status in ((T, None, "resolved"), (T + 20 * m, b, "open"), (T + D + 30 * m, a, "open")):
            conv = Conversation(customer_id=customer.id, channel_id=chat.id, assignee_id=assignee, status=status,
                                created_at=created, last_message_at=created)  # fmt: skip
            session.add(conv)
            await session.flush()
            convs.append(conv.id)
        items = [
            (convs[0], T + 10 * m, "assigned", {"from": None, "to": a}),
            (convs[0], T + 40 * m, "status_changed", {"from": "open", "to": "pending"}),
            (convs[0], T + 50 * m, "status_changed", {"from": "pending", "to": "open"}),
            (convs[0], T + 70 * m, "status_changed", {"from": "open", "to": "resolved"}),
            (convs[1], T + 20 * m, "assigned", {"from": None, "to": a}),
            (convs[1], T + 30 * m, "transferred", {"from": {"user_id": a}, "to": {"user_id": b}}),
        ]
        for conv, at, kind, payload in items:
            session.add(TimelineEntry(customer_id=customer.id, kind=kind, at=at, conversation_id=conv, payload=payload))
        for conv, at, author in ((convs[0], T + 15 * m, a), (convs[2], T + D + 40 * m, a), (convs[1], T + 35 * m, b)):
            session.add(Message(conversation_id=conv, channel_id=chat.id, text="x", direction="out", author_id=author,
                                created_at=at))  # fmt: skip
        await session.commit()
    return {"alice": a, "bob": b}


LOAD = ("online_hours", "handled", "handled_per_hour", "occupancy", "concurrent_mean", "concurrent_peak", "capacity")


async def test_operator_load_counts_active_time_inside_online_time(api):
    ids = await _load_history(api)
    sup = await api.headers_for("sup", "supervisor")
    body = (await api.client.get("/api/v1/analytics/summary", params=PERIOD, headers=sup)).json()
    by_operator = {g["key"]: {k: g[k] for k in LOAD} for g in body["by_operator"]}
    assert by_operator[str(ids["alice"])] == {
        "online_hours": 3.0,
        "handled": 2,  # she replied in two conversations
        "handled_per_hour": 0.667,
        "occupancy": 0.4444,  # busy 10:10-10:40, 10:50-11:10 and Tuesday 10:30-11:00: 80 of 180 minutes
        "concurrent_mean": 0.5,  # 30 + 20 + 10 + 30 active minutes over 180 online
        "concurrent_peak": 2,  # 10:20-10:30
        "capacity": 5,  # no queue membership: the routing default for chats
    }
    assert by_operator[str(ids["bob"])] | {"capacity": None} == dict.fromkeys(LOAD) | {
        "online_hours": 0.0,
        "handled": 1,
        "concurrent_peak": 0,
    }  # bob replied once and was never online
    assert {k: body["totals"][k] for k in LOAD} == {
        "online_hours": 3.0,
        "handled": 2,  # of the operators online: bob's reply is his own row's
        "handled_per_hour": 0.667,
        "occupancy": 0.4444,
        "concurrent_mean": 0.5,
        "concurrent_peak": 2,
        "capacity": 5,  # of the operators online
    }
    assert all(g["occupancy"] is None for g in body["by_channel"] + body["by_queue"])

    alice = {"Authorization": f"Bearer {(await api.login('alice'))['access_token']}"}
    mine = (await api.client.get("/api/v1/analytics/summary", params=PERIOD, headers=alice)).json()
    assert mine["totals"]["handled_per_hour"] == 0.667
    assert [g["key"] for g in mine["by_operator"]] == [str(ids["alice"])]
    r = await api.client.get("/api/v1/analytics/export", params=PERIOD | {"report": "operator"}, headers=sup)
    rows = {row["key"]: row for row in csv.DictReader(io.StringIO(r.content.decode("utf-8-sig")))}
    assert rows[str(ids["alice"])]["occupancy"] == "0.4444" and rows[str(ids["alice"])]["handled_per_hour"] == "0.667"


async def test_business_hours_count_durations_in_the_queues_working_time(api):
    """A queue open Monday to Friday 09:00-18:00 in Kyiv (UTC+2 in November), Friday 6 November a holiday. The facts
    are raw messages and status changes, replayed into each conversation's row by ``omnidesk analytics rebuild``
    (which stores the business durations as every live path does)."""
    agent = await api.user("agent")
    async with api.db.session() as session:
        office = Queue(
            name="Office",
            calendar={"tz": "Europe/Kyiv", "week": {str(d): [["09:00", "18:00"]] for d in range(5)},
                      "holidays": ["2026-11-06"]},
        )  # fmt: skip
        chat = Channel(kind="webchat", name="Office chat", token_hash="e" * 64)
        customer = Customer(display_name="c")
        session.add_all([office, chat, customer])
        await session.flush()
        utc = dt.UTC
        rows = [
            # Thursday 17:30 Kyiv; answered Monday 09:10, resolved Monday 10:00: 30 min + 10 min, then + 50 min
            (office.id, dt.datetime(2026, 11, 5, 15, 30, tzinfo=utc), dt.datetime(2026, 11, 9, 7, 10, tzinfo=utc),
             dt.datetime(2026, 11, 9, 8, 0, tzinfo=utc)),
            # Monday 08:00 Kyiv, before opening; answered 09:05: five working minutes
            (office.id, dt.datetime(2026, 11, 2, 6, 0, tzinfo=utc), dt.datetime(2026, 11, 2, 7, 5, tzinfo=utc), None),
            (None, T, T + 60 * S, None),  # no queue: around the clock
        ]  # fmt: skip
        for queue_id, started, answered, resolved in rows:
            conv = Conversation(customer_id=customer.id, channel_id=chat.id, queue_id=queue_id,
                                status="resolved" if resolved else "open", created_at=started,
                                last_message_at=started)  # fmt: skip
            session.add(conv)
            await session.flush()
            for direction, at, author in (("in", started, None), ("out", answered, agent["id"])):
                session.add(Message(conversation_id=conv.id, channel_id=chat.id, text="x", direction=direction,
                                    author_id=author, created_at=at))  # fmt: skip
            if resolved:
                done = {"from": "open", "to": "resolved"}
                session.add(TimelineEntry(customer_id=customer.id, kind="status_changed", at=resolved,
                                          conversation_id=conv.id, payload=done))  # fmt: skip
        await session.commit()
        office_id = office.id
    assert await rebuild(api.db, now=dt.datetime(2026, 11, 10, tzinfo=dt.UTC)) >= 3
    sup = await api.headers_for("sup", "supervisor")
    durations = ("frt_mean", "frt_median", "frt_p90", "resolution_mean", "resolution_median", "resolution_p90")
    wall = (await api.client.get("/api/v1/analytics/summary", params=PERIOD, headers=sup)).json()
    assert wall["business_hours"] is False and wall["totals"]["frt_p90"] == 315600.0  # Thursday to Monday
    r = await api.client.get("/api/v1/analytics/summary", params=PERIOD | {"business_hours": "true"}, headers=sup)
    body = r.json()
    assert body["business_hours"] is True
    expected = {
        "frt_mean": 920.0,  # (2400 + 300 + 60) / 3
        "frt_median": 300.0,
        "frt_p90": 2400.0,
        "resolution_mean": 5400.0,
        "resolution_median": 5400.0,
        "resolution_p90": 5400.0,
    }
    assert {k: body["totals"][k] for k in durations} == expected
    by_queue = {g["key"]: g for g in body["by_queue"]}
    assert by_queue[str(office_id)]["frt_median"] == 300.0 and by_queue[None]["frt_median"] == 60.0
    assert body["totals"]["conversations"] == wall["totals"]["conversations"] == 3  # only durations change
    assert {k: v for k, v in body["totals"].items() if k not in durations} == {
        k: v for k, v in wall["totals"].items() if k not in durations
    }
    series = await api.client.get(
        "/api/v1/analytics/timeseries",
        params=PERIOD | {"metric": "frt_p90", "interval": "day", "business_hours": "true"},
        headers=sup,
    )
    assert series.json()["business_hours"] is True
    points = [(p["bucket"], p["value"]) for p in series.json()["points"]]
    assert points == [("2026-11-02T00:00", 300.0), ("2026-11-05T00:00", 2400.0)]  # wall clock: 3900, 315600
    for report in ("summary", "queue", "day"):  # the exports count as the window shows
        r = await api.client.get(
            "/api/v1/analytics/export", params=PERIOD | {"report": report, "business_hours": "true"}, headers=sup
        )
        assert r.status_code == 200, r.text
        rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))
        if report == "summary":
            assert float(rows[0]["frt_mean"]) == expected["frt_mean"]
        elif report == "queue":
            assert {row["key"]: float(row["frt_median"]) for row in rows} == {str(office_id): 300.0, "": 60.0}
        else:
            assert [float(row["frt_p90"]) for row in rows] == [300.0, 2400.0], r.text

    # The roll-up path (analytics_daily_business, filled by the rebuild) gives the same figures: the means exactly,
    # the percentiles inside the band of the exact value; the other figures are the wall-clock summary's.
    f = service.Filters(dt.datetime.fromisoformat(PERIOD["from"]), dt.datetime.fromisoformat(PERIOD["to"]))
    async with api.db.session() as session:
        rolled = await service.summary(session, f, business=True, exact_limit=0)
        exact = await service.summary(session, f, business=True)
        rolled_wall = await service.summary(session, f, exact_limit=0)
    for by in (None, "channel", "queue", "operator"):
        assert set(rolled[by]) == set(exact[by]), by
        for key, figures in exact[by].items():
            _same_within_bands(figures, rolled[by][key], durations)
            assert {k: v for k, v in rolled[by][key].items() if k not in durations} == {
                k: v for k, v in rolled_wall[by][key].items() if k not in durations
            }
    assert rolled[None][""]["frt_mean"] == 920.0 and rolled_wall[None][""]["frt_mean"] != 920.0
    bad = await api.client.get(
        "/api/v1/analytics/summary", params=PERIOD | {"business_hours": "sometimes"}, headers=sup
    )
    assert bad.status_code == 422


def _same_within_bands(exact: dict, estimate: dict, names) -> None:
    """Means equal; each percentile estimate inside the duration band of the exact nearest-rank value."""
    from omnidesk.domain.metrics import BANDS, band_of

    for m in names:
        x, y = exact[m], estimate[m]
        assert (x is None) == (y is None), m
        if x is None:
            continue
        if m.endswith("_mean"):
            assert y == pytest.approx(x), m
        else:
            band = band_of(x)
            assert BANDS[band] <= y <= (BANDS[band + 1] if band + 1 < len(BANDS) else y), (m, x, y)
