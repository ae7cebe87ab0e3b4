"""SLA on the server, on SQLite and PostgreSQL: policies through the API, due times computed at ingest by both paths
(the PostgreSQL batch and the general path give the same clocks), first/next response and pauses, the timer worker's
warnings and breaches (once each, also after a restart), and the advisory lock that keeps a second worker standing by.
"""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest

from omnidesk.domain import routing, sla
from omnidesk.server.db import Database
from omnidesk.server.ingest import batch_pg
from omnidesk.server.sla.models import ConversationSla
from omnidesk.server.sla.service import clock_of
from omnidesk.server.sla.worker import SlaWorker
from tests.sse import StreamReader, of_type

OFFICE = {
    "name": "Kyiv office",
    "timezone": "Europe/Kyiv",
    "hours": {d: [["09:00", "18:00"]] for d in ("mon", "tue", "wed", "thu", "fri")},
    "country": "UA",
}


async def _policy(api, headers, **body) -> dict:
    values = {"name": "API chat", "channel_kind": "api", "first_response_seconds": 120, "resolution_seconds": 7200}
    values.update(body)
    r = await api.client.post("/api/v1/sla/policies", json=values, headers=headers)
    assert r.status_code == 201, r.text
    return r.json()


async def _inbound(api, channel_id, token, external_id, value, text="Hello", extra=None):
    body = {"external_id": external_id, "sender": {"kind": "phone", "value": value}, "text": text}
    if extra:
        body["identities"] = [{"kind": "email", "value": extra}]
    r = await api.client.post(
        f"/api/v1/channels/{channel_id}/inbound", json=body, headers={"Authorization": f"Bearer {token}"}
    )
    assert r.status_code in (200, 201), r.text
    return r.json()


async def _clock(api, conversation_id) -> sla.Clock:
    async with api.db.session() as session:
        row = await session.get(ConversationSla, conversation_id)
        return clock_of(row) if row is not None else sla.Clock()


async def test_both_ingest_paths_start_the_same_clock_in_business_hours(api):
    sup = await api.headers_for("sup", "supervisor")
    r = await api.client.post("/api/v1/sla/calendars", json=OFFICE, headers=sup)
    assert r.status_code == 201, r.text
    calendar = sla.Calendar.from_config(**{k: v for k, v in OFFICE.items() if k != "name"})
    policy = await _policy(api, sup, calendar_id=r.json()["id"])
    channel_id, token = await api.channel()
    head = (await api.client.get("/api/v1/events/head", headers=sup)).json()["last_event_id"]
    before = dict(batch_pg.STATS)
    async with StreamReader(api.url, sup, after=head) as stream:
        # One sender with one identifier (the batch on PostgreSQL), one with two (the general path everywhere).
        batch_ack = await _inbound(api, channel_id, token, "b-1", "+380501112233")
        general_ack = await _inbound(api, channel_id, token, "g-1", "+380504445566", extra="olena@example.com")
        await stream.wait_for(lambda ev: len(of_type(ev, "conversation.created")) >= 2, timeout=10)
    stored = batch_pg.STATS["stored"] - before["stored"]
    assert stored == (0 if api.db.sqlite else 1)
    created = {
        e["payload"]["conversation"]["id"]: e["payload"]["conversation"]
        for e in stream.events
        if e["type"] == "conversation.created"
    }
    for ack in (batch_ack, general_ack):
        clock = await _clock(api, ack["conversation_id"])
        assert clock.policy_id == policy["id"]
        assert clock.first_response_due == sla.add_business(calendar, clock.started_at, 120)
        assert clock.first_response_warn == sla.add_business(calendar, clock.started_at, 96)
        assert clock.resolution_due == sla.add_business(calendar, clock.started_at, 7200)
        conv = (await api.client.get(f"/api/v1/conversations/{ack['conversation_id']}", headers=sup)).json()
        assert conv["sla"]["target"] == "first_response"
        assert dt.datetime.fromisoformat(conv["sla"]["due_at"]) == clock.first_response_due
        assert created[ack["conversation_id"]]["sla"] == conv["sla"]  # the event carries what the API answers


async def test_reply_meets_first_response_and_the_next_message_starts_next_response(api):
    sup = await api.headers_for("sup", "supervisor")
    await _policy(api, sup, next_response_seconds=300)
    channel_id, token = await api.channel()
    conversation_id = (await _inbound(api, channel_id, token, "m-1", "+380501112233"))["conversation_id"]
    op = await api.headers_for("op")
    r = await api.client.post(f"/api/v1/conversations/{conversation_id}/messages", json={"text": "Hi"}, headers=op)
    assert r.status_code == 201, r.text
    clock = await _clock(api, conversation_id)
    assert clock.first_response_at is not None and clock.next_response_due is None
    conv = (await api.client.get(f"/api/v1/conversations/{conversation_id}", headers=op)).json()
    assert conv["sla"]["target"] == "resolution"
    await _inbound(api, channel_id, token, "m-2", "+380501112233", text="One more thing")  # batch path on PG
    clock = await _clock(api, conversation_id)
    assert clock.next_response_due is not None
    assert (clock.next_response_due - clock.first_response_at).total_seconds() == pytest.approx(300, abs=5)
    conv = (await api.client.get(f"/api/v1/conversations/{conversation_id}", headers=op)).json()
    assert conv["sla"]["target"] == "next_response"


async def test_pending_pauses_and_the_customers_answer_resumes_with_the_time_left(api):
    sup = await api.headers_for("sup", "supervisor")
    await _policy(api, sup)
    channel_id, token = await api.channel()
    conversation_id = (await _inbound(api, channel_id, token, "p-1", "+380501112233"))["conversation_id"]
    started = await _clock(api, conversation_id)
    r = await api.client.post(
        f"/api/v1/conversations/{conversation_id}/status", json={"status": "pending"}, headers=sup
    )
    assert r.status_code == 200 and r.json()["sla"]["paused"] is True
    paused = await _clock(api, conversation_id)
    assert paused.next_check() is None
    await asyncio.sleep(1.0)
    await _inbound(api, channel_id, token, "p-2", "+380501112233", text="Here is the document")
    resumed = await _clock(api, conversation_id)
    assert resumed.paused_at is None
    pause = (resumed.first_response_due - started.first_response_due).total_seconds()
    assert pause >= 1.0  # the deadline moved by the pause's length
    conv = (await api.client.get(f"/api/v1/conversations/{conversation_id}", headers=sup)).json()
    assert conv["status"] == "open" and conv["sla"]["paused"] is False


async def test_worker_warns_then_breaches_once_each_also_after_a_restart(api):
    sup = await api.headers_for("sup", "supervisor")
    await _policy(api, sup, resolution_seconds=None, warn_fraction=0.5)
    channel_id, token = await api.channel()
    op = await api.user("op")
    conversation_id = (await _inbound(api, channel_id, token, "w-1", "+380501112233"))["conversation_id"]
    r = await api.client.post(
        f"/api/v1/conversations/{conversation_id}/assign", json={"user_id": op["id"]}, headers=sup
    )
    assert r.status_code == 200
    clock = await _clock(api, conversation_id)
    head = (await api.client.get("/api/v1/events/head", headers=sup)).json()["last_event_id"]
    op_headers = {"Authorization": f"Bearer {(await api.login('op'))['access_token']}"}
    async with StreamReader(api.url, op_headers, after=head) as stream:
        worker = SlaWorker(api.db)
        assert (await worker.tick(clock.first_response_warn - dt.timedelta(seconds=1)))[0] == 0
        handled, next_at = await worker.tick(clock.first_response_warn)
        assert handled == 1 and next_at == clock.first_response_due
        assert (await worker.tick(clock.first_response_warn))[0] == 0  # nothing twice
        # A restart: a new worker on a new connection pool finds the due breach in the data.
        restarted_db = Database(api.db.url, pool_size=1)
        try:
            assert (await SlaWorker(restarted_db).tick(clock.first_response_due + dt.timedelta(seconds=1)))[0] == 1
            assert (await SlaWorker(restarted_db).tick(clock.first_response_due + dt.timedelta(hours=9)))[0] == 0
        finally:
            await restarted_db.dispose()
        await stream.wait_for(lambda ev: of_type(ev, "sla.breached"), timeout=10)
    sla_events = [e for e in stream.events if e["type"].startswith("sla.")]
    assert [(e["type"], e["payload"]["target"]) for e in sla_events] == [
        ("sla.warning", "first_response"),
        ("sla.breached", "first_response"),
    ]
    assert sla_events[1]["payload"]["conversation"]["sla"]["breached"] is True
    final = await _clock(api, conversation_id)
    assert final.breached & sla.Alerted.FRT_BREACH and final.next_check() is None


async def test_breach_with_unassign_escalation_gives_the_conversation_back_to_its_queue(api):
    sup = await api.headers_for("sup", "supervisor")
    await _policy(api, sup, escalation="unassign")
    channel_id, token = await api.channel()
    op = await api.user("op")
    conversation_id = (await _inbound(api, channel_id, token, "e-1", "+380501112233"))["conversation_id"]
    await api.client.post(f"/api/v1/conversations/{conversation_id}/assign", json={"user_id": op["id"]}, headers=sup)
    clock = await _clock(api, conversation_id)
    await SlaWorker(api.db).tick(clock.first_response_due)
    conv = (await api.client.get(f"/api/v1/conversations/{conversation_id}", headers=sup)).json()
    assert conv["assignee_id"] is None


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        ({"name": "x", "first_response_seconds": None, "resolution_seconds": None}, "at least one target"),
        ({"name": "x", "queue_id": 987654}, "no queue"),
        ({"name": "x", "calendar_id": 987654}, "no business calendar"),
        ({"name": "x", "first_response_seconds": -5}, "greater than or equal"),
        ({"name": "x", "channel_kind": "pigeon"}, "channel_kind"),
    ],
)
async def test_bad_policies_are_refused_with_a_reason(api, body, detail):
    sup = await api.headers_for("sup", "supervisor")
    r = await api.client.post("/api/v1/sla/policies", json={"first_response_seconds": 60, **body}, headers=sup)
    assert r.status_code == 422 and detail in r.text, r.text


async def test_bad_calendar_is_refused_and_a_duplicate_name_conflicts(api):
    sup = await api.headers_for("sup", "supervisor")
    r = await api.client.post("/api/v1/sla/calendars", json={**OFFICE, "timezone": "Mars/Olympus"}, headers=sup)
    assert r.status_code == 422 and "time zone" in r.text
    r = await api.client.post(
        "/api/v1/sla/calendars", json={**OFFICE, "hours": {"mon": [["18:00", "09:00"]]}}, headers=sup
    )
    assert r.status_code == 422 and "end" in r.text
    assert (await api.client.post("/api/v1/sla/calendars", json=OFFICE, headers=sup)).status_code == 201
    assert (await api.client.post("/api/v1/sla/calendars", json=OFFICE, headers=sup)).status_code == 409
    await _policy(api, sup)
    r = await api.client.post(
        "/api/v1/sla/policies", json={"name": "API chat", "first_response_seconds": 5}, headers=sup
    )
    assert r.status_code == 409


@pytest.mark.pg
async def test_only_one_worker_holds_the_timers_and_a_standby_takes_over(pg_database, db_url):
    if "postgresql" not in db_url:
        pytest.skip("advisory locks are PostgreSQL's")
    first_db, second_db = Database(db_url, pool_size=2), Database(db_url, pool_size=2)
    first, second = SlaWorker(first_db, standby_poll=0.1), SlaWorker(second_db, standby_poll=0.1)
    one = asyncio.create_task(first.run())
    try:
        await asyncio.wait_for(first.active.wait(), 5)
        two = asyncio.create_task(second.run())
        await asyncio.sleep(0.5)
        assert not second.active.is_set()
        one.cancel()
        await asyncio.gather(one, return_exceptions=True)
        await asyncio.wait_for(second.active.wait(), 5)
        two.cancel()
        await asyncio.gather(two, return_exceptions=True)
    finally:
        one.cancel()
        await first_db.dispose()
        await second_db.dispose()


async def test_policy_list_is_readable_by_operators_and_a_conversation_without_policy_keeps_its_facts(api):
    sup = await api.headers_for("sup", "supervisor")
    made = await _policy(api, sup, channel_kind="email")
    op = await api.headers_for("op")
    listed = (await api.client.get("/api/v1/sla/policies", headers=op)).json()
    assert [p["id"] for p in listed] == [made["id"]]
    channel_id, token = await api.channel()
    conversation_id = (await _inbound(api, channel_id, token, "n-1", "+380501112233"))["conversation_id"]
    conv = (await api.client.get(f"/api/v1/conversations/{conversation_id}", headers=op)).json()
    assert conv["sla"] is None  # no promise for an API-channel conversation
    await api.client.post(f"/api/v1/conversations/{conversation_id}/messages", json={"text": "Hi"}, headers=op)
    await api.client.post(f"/api/v1/conversations/{conversation_id}/status", json={"status": "resolved"}, headers=op)
    clock = await _clock(api, conversation_id)
    assert clock.policy_id is None and clock.next_check() is None
    assert clock.started_at <= clock.first_response_at <= clock.resolved_at


async def test_inbox_filters_breaching_soon_then_breached(api):
    sup = await api.headers_for("sup", "supervisor")
    # Warned 2 s after the message, breached at 4 s; each look waits for its moment from the clock's own start, so
    # a slow machine only makes the test wait less, never look too early or too late.
    await _policy(api, sup, first_response_seconds=4, warn_fraction=0.5, resolution_seconds=None)
    channel_id, token = await api.channel()
    late = (await _inbound(api, channel_id, token, "f-1", "+380501112233"))["conversation_id"]
    answered = (await _inbound(api, channel_id, token, "f-2", "+380504445566"))["conversation_id"]
    await api.client.post(f"/api/v1/conversations/{answered}/messages", json={"text": "Hi"}, headers=sup)
    started = (await _clock(api, late)).started_at

    async def listed(which: str) -> list[int]:
        r = await api.client.get("/api/v1/conversations", params={"sla": which}, headers=sup)
        assert r.status_code == 200, r.text
        return [c["id"] for c in r.json()["items"]]

    async def until(seconds: float) -> None:
        await asyncio.sleep(
            max(0.0, (started + dt.timedelta(seconds=seconds) - dt.datetime.now(dt.UTC)).total_seconds())
        )

    assert await listed("soon") == [] and await listed("breached") == []
    await until(2.3)
    assert await listed("soon") == [late] and await listed("breached") == []
    await until(4.3)
    assert await listed("soon") == [] and await listed("breached") == [late]
    assert (await api.client.get("/api/v1/conversations", params={"sla": "late"}, headers=sup)).status_code == 422


def _closed_now() -> dict:
    """A queue calendar open one hour on the weekday three days from today (UTC): closed for the whole test, so its
    business durations are 0 where the wall clock counts more."""
    day = (dt.datetime.now(dt.UTC).weekday() + 3) % 7
    return {"tz": "UTC", "week": {str(day): [["00:00", "01:00"]]}, "holidays": []}


def _calendar_of(raw: dict) -> sla.Calendar:
    c = routing.parse_calendar(raw)
    return sla.queue_calendar(c.tz, c.week, c.holidays)


async def _business(api, conversation_id: int) -> tuple[float | None, float | None, sla.Clock]:
    async with api.db.session() as session:
        row = await session.get(ConversationSla, conversation_id, populate_existing=True)
        return row.frt_business, row.res_business, clock_of(row)


async def _queue(api, headers, name: str, calendar: dict | None) -> int:
    r = await api.client.post("/api/v1/queues", json={"name": name, "calendar": calendar}, headers=headers)
    assert r.status_code == 201, r.text
    return r.json()["id"]


async def test_reply_and_resolve_store_the_durations_in_the_queues_business_time(api):
    sup = await api.headers_for("sup", "supervisor")
    office = _closed_now()
    office_id = await _queue(api, sup, "Office", office)
    plain_id = await _queue(api, sup, "Plain", None)
    calendars = {office_id: _calendar_of(office), plain_id: sla.ALWAYS}
    for queue_id, phone in ((office_id, "+380501112233"), (plain_id, "+380504445566")):
        channel_id, token = await api.channel(f"chat {queue_id}", queue_id=queue_id)
        cid = (await _inbound(api, channel_id, token, f"a-{queue_id}", phone))["conversation_id"]
        assert (await _business(api, cid))[:2] == (None, None)
        base = f"/api/v1/conversations/{cid}"
        assert (await api.client.post(f"{base}/messages", json={"text": "Hi"}, headers=sup)).status_code == 201
        frt, res, clock = await _business(api, cid)
        wall = (clock.first_response_at - clock.started_at).total_seconds()
        assert wall > 0 and res is None
        assert frt == sla.business_seconds(calendars[queue_id], clock.started_at, clock.first_response_at)
        assert frt == (0.0 if queue_id == office_id else wall)
        r = await api.client.post(f"{base}/status", json={"status": "resolved"}, headers=sup)
        assert r.status_code == 200, r.text
        frt_after, res, clock = await _business(api, cid)
        assert frt_after == frt
        assert res == sla.business_seconds(calendars[queue_id], clock.started_at, clock.resolved_at)
        assert res == (0.0 if queue_id == office_id else (clock.resolved_at - clock.started_at).total_seconds())
        # Reopened, then the customer writes: the clock starts again (as plan_inbound does after a resolution).
        assert (await api.client.post(f"{base}/status", json={"status": "open"}, headers=sup)).status_code == 200
        ack = await _inbound(api, channel_id, token, f"b-{queue_id}", phone, text="Me again")
        assert ack["conversation_id"] == cid
        frt, res, clock = await _business(api, cid)
        assert clock.resolved_at is None and (frt, res) == (None, None)

    # The queue's hours change through the API: the next reply counts in the new hours at once (the rules' cache is
    # dropped as for a policy change), earlier facts keep theirs until a rebuild.
    every_day = {"tz": "UTC", "week": {str(d): [["00:00", "23:59"]] for d in range(7)}, "holidays": []}
    r = await api.client.patch(f"/api/v1/queues/{office_id}", json={"calendar": every_day}, headers=sup)
    assert r.status_code == 200, r.text
    channel_id, token = await api.channel("office again", queue_id=office_id)
    cid = (await _inbound(api, channel_id, token, "c-1", "+380507778899"))["conversation_id"]
    await api.client.post(f"/api/v1/conversations/{cid}/messages", json={"text": "Hi"}, headers=sup)
    frt, _res, clock = await _business(api, cid)
    assert frt == sla.business_seconds(_calendar_of(every_day), clock.started_at, clock.first_response_at) > 0


async def test_both_ingest_paths_keep_and_clear_the_business_durations_alike(api):
    sup = await api.headers_for("sup", "supervisor")
    await _policy(api, sup, next_response_seconds=300)  # a customer's next message changes the clock row
    office = _closed_now()
    queue_id = await _queue(api, sup, "Office", office)
    calendar = _calendar_of(office)
    channel_id, token = await api.channel(queue_id=queue_id)
    before = dict(batch_pg.STATS)
    # One sender with one identifier (the batch on PostgreSQL), one with two (the general path everywhere).
    senders = [("+380501112233", None), ("+380504445566", "olena@example.com")]
    ids = [(await _inbound(api, channel_id, token, f"m-{i}", v, extra=e))["conversation_id"] for i, (v, e) in
           enumerate(senders)]  # fmt: skip
    for cid in ids:
        r = await api.client.post(f"/api/v1/conversations/{cid}/messages", json={"text": "Hi"}, headers=sup)
        assert r.status_code == 201, r.text
    answered = {cid: await _business(api, cid) for cid in ids}
    for i, (value, extra) in enumerate(senders):  # the next message: the clock row is written again by each path
        await _inbound(api, channel_id, token, f"n-{i}", value, text="One more thing", extra=extra)
    for cid in ids:
        frt, res, clock = await _business(api, cid)
        assert clock.next_response_due is not None and clock != answered[cid][2]  # written again
        assert frt == answered[cid][0] == sla.business_seconds(calendar, clock.started_at, clock.first_response_at)
        assert frt == 0.0 and res is None
        r = await api.client.post(f"/api/v1/conversations/{cid}/status", json={"status": "resolved"}, headers=sup)
        assert r.status_code == 200, r.text
        assert (await _business(api, cid))[1] == 0.0
    for i, (value, extra) in enumerate(senders):  # reopened, then a message by each path: a new clock
        r = await api.client.post(f"/api/v1/conversations/{ids[i]}/status", json={"status": "open"}, headers=sup)
        assert r.status_code == 200, r.text
        ack = await _inbound(api, channel_id, token, f"o-{i}", value, text="Back again", extra=extra)
        assert ack["conversation_id"] == ids[i]
    for cid in ids:
        frt, res, clock = await _business(api, cid)
        assert clock.resolved_at is None and (frt, res) == (None, None)
    assert batch_pg.STATS["stored"] - before["stored"] == (0 if api.db.sqlite else 3)
