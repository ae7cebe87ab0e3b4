"""Satisfaction surveys on SQLite and PostgreSQL: asked once after resolve through the channel (delivered to a loopback
receiver), in the customer's language, per-queue settings; the customer's rating attaches to the resolved conversation
without reopening it (also when the PostgreSQL batch saw it first), shows in the timeline and in the reports."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest
from sqlalchemy import select, update

from omnidesk.domain import csat
from omnidesk.server.csat.models import CsatSurvey
from omnidesk.server.customers.models import Customer
from omnidesk.server.ingest import batch_pg
from omnidesk.server.sla.worker import SlaWorker
from tests.server.customer_helpers import add_queue

PHONE = "+380501112233"


async def _resolved_conversation(api, sink_url, *, enabled=True, delay=0, language="uk", questions=None):
    queue_id = await add_queue(api, "Retail")
    sup = await api.headers_for("sup", "supervisor")
    r = await api.client.put(
        f"/api/v1/csat/settings/{queue_id}",
        json={"enabled": enabled, "delay_seconds": delay, "questions": questions or {}},
        headers=sup,
    )
    assert r.status_code == 200, r.text
    op = await api.headers_for("op", queue_ids=[queue_id])
    channel_id, token = await api.channel("Bank app", webhook_url=sink_url, queue_id=queue_id)
    ack = (await api.inbound(channel_id, token, "q-1", value=PHONE, text="My card is blocked")).json()
    async with api.db.session() as session:
        await session.execute(update(Customer).where(Customer.id == ack["customer_id"]).values(language=language))
        await session.commit()
    conversation_id = ack["conversation_id"]
    r = await api.client.post(
        f"/api/v1/conversations/{conversation_id}/messages", json={"text": "Unblocked"}, headers=op
    )
    assert r.status_code == 201
    r = await api.client.post(
        f"/api/v1/conversations/{conversation_id}/status", json={"status": "resolved"}, headers=op
    )
    assert r.status_code == 200
    return channel_id, token, conversation_id, sup, op


async def _surveys(api) -> list[CsatSurvey]:
    async with api.db.session() as session:
        return list((await session.scalars(select(CsatSurvey))).all())


async def test_resolved_conversation_is_asked_once_in_the_customers_language_and_the_rating_is_kept(api, webhook_sink):
    channel_id, token, conversation_id, sup, op = await _resolved_conversation(api, webhook_sink.url)
    await SlaWorker(api.db).tick()
    delivered = await asyncio.to_thread(webhook_sink.wait_for, 2)  # the reply, then the question
    assert sorted(d["text"] for d in delivered) == sorted(["Unblocked", csat.QUESTIONS["uk"]])  # any order
    page = (await api.client.get(f"/api/v1/conversations/{conversation_id}/messages", headers=op)).json()["items"]
    assert [m["text"] for m in page][-1] == csat.QUESTIONS["uk"]

    before = dict(batch_pg.STATS)
    r = await api.inbound(channel_id, token, "q-2", value=PHONE, text="5 — дякую, швидко")
    assert r.status_code == 201 and r.json()["conversation_id"] == conversation_id
    if not api.db.sqlite:  # the batch saw a possible answer and left it to the general path
        assert batch_pg.STATS["declined"] - before["declined"] >= 1
    conv = (await api.client.get(f"/api/v1/conversations/{conversation_id}", headers=op)).json()
    assert conv["status"] == "resolved"  # never reopened by a rating
    (survey,) = await _surveys(api)
    assert (survey.score, survey.comment, survey.operator_id is not None) == (5, "дякую, швидко", True)
    timeline = (await api.client.get(f"/api/v1/customers/{r.json()['customer_id']}/timeline", headers=sup)).json()
    rated = [i for i in timeline["items"] if i["kind"] == "csat_rated"]
    assert len(rated) == 1 and rated[0]["payload"]["score"] == 5 and rated[0]["conversation_id"] == conversation_id
    totals = (await api.client.get("/api/v1/analytics/summary", headers=sup)).json()["totals"]
    assert (totals["csat"], totals["csat_responses"], totals["csat_satisfied"]) == (5.0, 1, 1.0)

    # Reopened and resolved again: not asked twice. A later "4" is an ordinary message (a new conversation).
    for status_ in ("open", "resolved"):
        await api.client.post(f"/api/v1/conversations/{conversation_id}/status", json={"status": status_}, headers=op)
    await SlaWorker(api.db).tick()
    assert len(await _surveys(api)) == 1
    again = await api.inbound(channel_id, token, "q-3", value=PHONE, text="4")
    assert again.json()["conversation_id"] != conversation_id


async def test_a_new_question_instead_of_a_rating_opens_a_new_conversation(api, webhook_sink):
    channel_id, token, conversation_id, *_ = await _resolved_conversation(api, webhook_sink.url, language="ru")
    await SlaWorker(api.db).tick()
    delivered = await asyncio.to_thread(webhook_sink.wait_for, 2)
    assert csat.QUESTIONS["ru"] in [d["text"] for d in delivered]
    r = await api.inbound(channel_id, token, "n-2", value=PHONE, text="А ещё вопрос про кредит")
    assert r.json()["conversation_id"] != conversation_id
    (survey,) = await _surveys(api)
    assert survey.answered_at is None


async def test_delay_and_a_custom_question(api, webhook_sink):
    await _resolved_conversation(
        api, webhook_sink.url, delay=3600, language="en", questions={"en": "Rate us 1-5, please"}
    )
    worker = SlaWorker(api.db)
    _, next_at = await worker.tick()
    (survey,) = await _surveys(api)
    assert survey.message_id is None and next_at == survey.requested_at  # not yet, and the worker knows when
    async with api.db.session() as session:  # the hour has passed
        await session.execute(update(CsatSurvey).values(requested_at=survey.requested_at - dt.timedelta(hours=1)))
        await session.commit()
    await worker.tick()
    delivered = await asyncio.to_thread(webhook_sink.wait_for, 2)
    assert "Rate us 1-5, please" in [d["text"] for d in delivered]


async def test_surveys_off_by_default_ask_nothing(api, webhook_sink):
    await _resolved_conversation(api, webhook_sink.url, enabled=False)
    await SlaWorker(api.db).tick()
    assert await _surveys(api) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("5", (5, None)),
        ("4 - quick, thanks", (4, "quick, thanks")),
        ("3/5 ok", (3, "ok")),
        ("⭐⭐⭐⭐", (4, None)),
        ("10", None),
        ("5.5", None),
        ("I have 2 questions", None),
        ("0", None),
    ],
)
def test_what_counts_as_a_rating(text, expected):
    assert csat.parse_rating(text) == expected


def test_question_language_falls_back_to_english():
    assert csat.question("uk-UA") == csat.QUESTIONS["uk"]
    assert csat.question("de") == csat.QUESTIONS["en"]
    assert csat.question(None, {"en": "Custom"}) == "Custom"
