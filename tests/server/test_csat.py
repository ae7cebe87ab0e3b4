"""Satisfaction surveys on SQLite and PostgreSQL: asked once after resolve through the channel (delivered to a loopback
receiver), in the customer's language, per-queue settings; the customer's rating attaches to the resolved conversation
without reopening it (also when the PostgreSQL batch saw it first), shows in the timeline and in the reports. NPS
(0-10) alone or after the CSAT answer, the same way; the reports' NPS figure from real answers."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest
from sqlalchemy import select, update

from omnidesk.domain import csat
from omnidesk.server.csat.models import CsatSurvey
from omnidesk.server.csat.service import answer_choices
from omnidesk.server.customers.models import Customer
from omnidesk.server.ingest import batch_pg
from omnidesk.server.sla.worker import SlaWorker
from tests.server.customer_helpers import add_queue

PHONE = "+380501112233"


async def _resolved_conversation(
    api, sink_url, *, enabled=True, delay=0, language="uk", questions=None, asks=None, nps_questions=None
):
    queue_id = await add_queue(api, "Retail")
    sup = await api.headers_for("sup", "supervisor")
    settings = {"enabled": enabled, "delay_seconds": delay, "questions": questions or {}}
    if asks is not None:
        settings |= {"asks": asks, "nps_questions": nps_questions or {}}
    r = await api.client.put(f"/api/v1/csat/settings/{queue_id}", json=settings, headers=sup)
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


async def _resolve_more(api, channel_id, token, op, phone, language, external):
    """One more customer's conversation on the survey's channel, answered and resolved."""
    ack = (await api.inbound(channel_id, token, external, value=phone, text="Where is my parcel?")).json()
    async with api.db.session() as session:
        await session.execute(update(Customer).where(Customer.id == ack["customer_id"]).values(language=language))
        await session.commit()
    cid = ack["conversation_id"]
    assert (
        await api.client.post(f"/api/v1/conversations/{cid}/messages", json={"text": "On its way"}, headers=op)
    ).status_code == 201
    assert (
        await api.client.post(f"/api/v1/conversations/{cid}/status", json={"status": "resolved"}, headers=op)
    ).status_code == 200
    return cid


async def test_nps_follows_the_csat_answer_and_the_reports_nps_is_the_real_answers(api, webhook_sink):
    channel_id, token, first, sup, op = await _resolved_conversation(api, webhook_sink.url, asks="both")
    customers = [(PHONE, "uk", first)]
    for phone, language, n in (("+380501110002", "ru", 2), ("+380501110003", "en", 3)):
        customers.append((phone, language, await _resolve_more(api, channel_id, token, op, phone, language, f"p-{n}")))
    worker = SlaWorker(api.db)
    await worker.tick()
    delivered = await asyncio.to_thread(webhook_sink.wait_for, 6)  # three replies, three CSAT questions
    texts = [d["text"] for d in delivered]
    assert all(csat.QUESTIONS[lang] in texts for lang in ("uk", "ru", "en"))
    assert not any(csat.NPS_QUESTIONS[lang] in texts for lang in ("uk", "ru", "en"))  # NPS waits for the CSAT answer

    # The CSAT answers (one with a comment) over the real ingest path: each lands in its resolved conversation.
    for (phone, _lang, _cid), rating in zip(customers, ("5", "4 ok", "3"), strict=True):
        r = await api.inbound(channel_id, token, f"csat-{phone}", value=phone, text=rating)
        assert r.status_code == 201 and r.json()["conversation_id"] == _cid
    assert {s.awaiting for s in await _surveys(api)} == {None}
    await worker.tick()  # the NPS questions, each in its customer's language, once
    delivered = await asyncio.to_thread(webhook_sink.wait_for, 9)
    nps_asked = [d["text"] for d in delivered[6:]]
    assert sorted(nps_asked) == sorted(csat.NPS_QUESTIONS[lang] for lang in ("uk", "ru", "en"))
    surveys = await _surveys(api)
    assert all(s.nps_message_id is not None and s.nps_message_id != s.message_id for s in surveys)
    await worker.tick()
    await asyncio.sleep(0.3)
    assert len(webhook_sink.received) == 9  # asked once

    before = dict(batch_pg.STATS)
    for (phone, _lang, cid), answer in zip(customers, ("10", "9 - дуже добре", "3"), strict=True):
        r = await api.inbound(channel_id, token, f"nps-{phone}", value=phone, text=answer)
        assert r.status_code == 201 and r.json()["conversation_id"] == cid  # stored in the resolved conversation
        conv = (await api.client.get(f"/api/v1/conversations/{cid}", headers=op)).json()
        assert conv["status"] == "resolved"  # never reopened by the answer
    if not api.db.sqlite:  # the batch saw a possible NPS answer and left it to the general path
        assert batch_pg.STATS["declined"] - before["declined"] >= 1
    by_conversation = {s.conversation_id: s for s in await _surveys(api)}
    got = [(by_conversation[cid].score, by_conversation[cid].nps) for _p, _l, cid in customers]
    assert got == [(5, 10), (4, 9), (3, 3)]
    assert by_conversation[customers[1][2]].comment == "ok\nдуже добре"
    op_id = by_conversation[first].operator_id
    assert op_id is not None and all(s.operator_id == op_id for s in by_conversation.values())
    timeline = (await api.client.get(f"/api/v1/customers/{r.json()['customer_id']}/timeline", headers=sup)).json()
    kinds = [i["kind"] for i in timeline["items"]]
    assert kinds.count("csat_rated") == 1 and kinds.count("nps_rated") == 1
    (nps_item,) = [i for i in timeline["items"] if i["kind"] == "nps_rated"]
    assert {k: nps_item["payload"][k] for k in ("nps", "comment", "operator_id")} == {
        "nps": 3,
        "comment": None,
        "operator_id": op_id,
    }
    assert nps_item["conversation_id"] == customers[2][2]

    # Promoters 10 and 9 (2 of 3), detractor 3 (1 of 3): NPS = 66.7 - 33.3 = 33.3.
    totals = (await api.client.get("/api/v1/analytics/summary", headers=sup)).json()["totals"]
    assert (totals["nps"], totals["nps_responses"]) == (33.333, 3)
    assert (totals["csat"], totals["csat_responses"]) == (4.0, 3)
    await worker.tick()  # the roll-up refreshed: the same figure from the daily roll-up
    totals = (await api.client.get("/api/v1/analytics/summary", headers=sup)).json()["totals"]
    assert (totals["nps"], totals["nps_responses"]) == (33.333, 3)
    # Answered: a later "8" is an ordinary message (a new conversation), the NPS stays.
    again = await api.inbound(channel_id, token, "late-8", value=PHONE, text="8")
    assert again.json()["conversation_id"] != first
    assert {s.conversation_id: s.nps for s in await _surveys(api)}[first] == 10


async def test_a_queue_that_asks_only_nps_asks_it_first_with_its_own_question(api, webhook_sink):
    channel_id, token, conversation_id, sup, op = await _resolved_conversation(
        api, webhook_sink.url, asks="nps", language="en", nps_questions={"en": "Recommend us? 0-10"}
    )
    got = (await api.client.get(f"/api/v1/csat/settings/{(await _surveys(api))[0].queue_id}", headers=sup)).json()
    assert (got["asks"], got["nps_questions"]) == ("nps", {"en": "Recommend us? 0-10"})
    await SlaWorker(api.db).tick()
    delivered = await asyncio.to_thread(webhook_sink.wait_for, 2)
    assert "Recommend us? 0-10" in [d["text"] for d in delivered]
    assert csat.QUESTIONS["en"] not in [d["text"] for d in delivered]
    # "⭐⭐⭐" is a CSAT answer, not an NPS one: an ordinary message. "0" is NPS's lowest answer.
    stars = await api.inbound(channel_id, token, "s-1", value=PHONE, text="⭐⭐⭐")
    assert stars.json()["conversation_id"] != conversation_id
    await api.client.post(
        f"/api/v1/conversations/{stars.json()['conversation_id']}/status", json={"status": "resolved"}, headers=op
    )
    r = await api.inbound(channel_id, token, "n-1", value=PHONE, text="0")
    assert r.json()["conversation_id"] == conversation_id
    survey = next(s for s in await _surveys(api) if s.conversation_id == conversation_id)
    assert (survey.score, survey.nps, survey.awaiting, survey.answered_at is not None) == (None, 0, None, True)
    totals = (await api.client.get("/api/v1/analytics/summary", headers=sup)).json()["totals"]
    assert (totals["nps"], totals["nps_responses"], totals["csat_responses"]) == (-100.0, 1, 0)


async def test_survey_settings_refuse_an_unknown_question_kind_in_words(api):
    queue_id = await add_queue(api, "Retail")
    sup = await api.headers_for("sup", "supervisor")
    r = await api.client.put(f"/api/v1/csat/settings/{queue_id}", json={"enabled": True, "asks": "ces"}, headers=sup)
    assert r.status_code == 422 and "asks" in r.text
    r = await api.client.put(
        f"/api/v1/csat/settings/{queue_id}", json={"enabled": True, "nps_questions": {"uk": ""}}, headers=sup
    )
    assert r.status_code == 422


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0", (0, None)),
        ("9", (9, None)),
        ("10", (10, None)),
        ("10/10", (10, None)),
        ("7 - ok", (7, "ok")),
        ("11", None),
        ("5.5", None),
        ("-1", None),
        ("I have 2 questions", None),
        ("⭐⭐⭐", None),
    ],
)
def test_what_counts_as_an_nps_answer(text, expected):
    assert csat.parse_nps(text) == expected


def test_the_order_of_the_questions():
    assert (csat.first_question("csat"), csat.first_question("nps"), csat.first_question("both")) == (
        "csat",
        "nps",
        "csat",
    )
    assert csat.after_answer("both", "csat") == "nps"
    assert csat.after_answer("both", "nps") is None and csat.after_answer("csat", "csat") is None
    assert csat.question("ru", which="nps") == csat.NPS_QUESTIONS["ru"]
    assert csat.question("uk", {"uk": "Свій"}, which="nps") == "Свій"


def test_answer_buttons_follow_the_channels_declared_capabilities():
    # Telegram shows 100 buttons: 0..10, each sending its number; Viber and Messenger: quick replies; WhatsApp's three
    # buttons cannot hold eleven and it has no quick replies; e-mail and a webhook gateway: the text alone. The web
    # chat's widget shows quick replies as buttons.
    telegram = answer_choices("telegram", csat.NPS_BUTTONS)
    assert [b["title"] for b in telegram["buttons"]] == [str(i) for i in range(11)]
    assert all(b["payload"] == b["title"] for b in telegram["buttons"])
    assert answer_choices("viber", csat.NPS_BUTTONS) == {"quick_replies": list(csat.NPS_BUTTONS)}
    assert answer_choices("meta", csat.BUTTONS) == {"quick_replies": ["1", "2", "3", "4", "5"]}
    assert answer_choices("webchat", csat.NPS_BUTTONS) == {"quick_replies": list(csat.NPS_BUTTONS)}
    assert answer_choices("webchat", csat.BUTTONS) == {"quick_replies": list(csat.BUTTONS)}
    for kind in ("whatsapp", "email", "api"):
        assert answer_choices(kind, csat.NPS_BUTTONS) == {}, kind
