"""The e-mail version of the satisfaction survey, on SQLite and PostgreSQL, through real mail servers (postfix and
dovecot, tests/channels/mailservers.py): a resolved e-mail conversation's customer gets a multipart question with one
link per score; following a link shows the page and records nothing (mail scanners prefetch), the page's POST
records the score and comment as a text reply would (survey row, timeline, the conversation stays resolved, NPS
follows CSAT); the same link a second time is refused in words; unknown and expired links are 404 and 410 pages;
the pages speak the survey's language; without ``public_url`` the question goes as text."""

from __future__ import annotations

import asyncio
import email
import email.policy
import logging
import re
import shutil

import httpx
import pytest
from sqlalchemy import func, select, update

from omnidesk.domain import csat
from omnidesk.server.csat import links, survey_views
from omnidesk.server.csat.models import CsatSurvey, CsatSurveyLink
from omnidesk.server.customers.models import Customer
from omnidesk.server.db import Database, utcnow
from omnidesk.server.guards import RedactQuery
from omnidesk.server.sla.worker import SlaWorker
from tests.channels import conftest as channel_fixtures
from tests.conftest import Api, serve, test_settings
from tests.server.customer_helpers import add_queue

mail_servers = channel_fixtures.mail_servers  # the session's postfix and dovecot (tests/channels/conftest.py)
PUBLIC = "https://desk.bank.test/help"  # the server's public base URL (behind a proxy, under a path)
LINK = re.compile(r"https://desk\.bank\.test/help(/survey/[A-Za-z0-9_-]+)\?score=(\d+)")


@pytest.fixture
async def links_api(db_url):
    survey_views.PER_ADDRESS._hits.clear()  # the limiter counts per process: each test starts with a clean slate
    settings = test_settings(db_url, public_url=PUBLIC)
    db = Database(db_url, pool_size=2)
    async with serve(settings) as (app, url):
        async with httpx.AsyncClient(base_url=url, timeout=30) as client:
            yield Api(url=url, db=db, settings=settings, client=client, app=app)
    await db.dispose()


async def _wait_mail(servers, count: int) -> list[email.message.EmailMessage]:
    for _ in range(150):
        inbox = servers.read_inbox("customer")
        if len(inbox) >= count:
            return inbox
        await asyncio.sleep(0.1)
    found = len(servers.read_inbox("customer"))
    raise AssertionError(f"{count} mails expected in the customer's mailbox, found {found}")


async def _resolved_mail_conversation(api, servers, *, asks="csat", language="uk"):
    for user in servers.users:
        shutil.rmtree(servers.maildir(user), ignore_errors=True)
    queue_id = await add_queue(api, "Mail")
    sup = await api.headers_for("sup", "supervisor")
    r = await api.client.put(
        f"/api/v1/csat/settings/{queue_id}", json={"enabled": True, "asks": asks, "delay_seconds": 0}, headers=sup
    )
    assert r.status_code == 200, r.text
    admin = await api.headers_for("admin", "admin")
    r = await api.client.post("/api/v1/channels/email", headers=admin, json=servers.channel_body(queue_id=queue_id))
    assert r.status_code == 201, r.text
    servers.deliver(
        "support",
        b"From: Customer <customer@customer.test>\r\nTo: support@bank.test\r\nSubject: Card\r\n"
        b"Message-ID: <first@customer.test>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nMy card?\r\n",
    )
    op = await api.headers_for("op", queue_ids=[queue_id])
    conv = await _wait_conversations(api, op, 1)  # the running server's mail worker reads the mailbox
    async with api.db.session() as session:
        await session.execute(update(Customer).where(Customer.id == conv["customer"]["id"]).values(language=language))
        await session.commit()
    r = await api.client.post(f"/api/v1/conversations/{conv['id']}/status", json={"status": "resolved"}, headers=op)
    assert r.status_code == 200, r.text
    return conv, op, sup


async def _wait_conversations(api, headers, count: int) -> dict:
    for _ in range(150):
        items = (await api.client.get("/api/v1/conversations", headers=headers)).json()["items"]
        if len(items) >= count:
            return items[0]
        await asyncio.sleep(0.1)
    raise AssertionError("the server's mail worker read no mail")


async def _survey(api) -> CsatSurvey:
    async with api.db.session() as session:
        (survey,) = (await session.scalars(select(CsatSurvey))).all()
        return survey


def _links(mail) -> tuple[list[tuple[str, int]], str, str]:
    """The mail's links from its text part, and both parts."""
    assert mail.get_content_type() == "multipart/alternative", mail.get_content_type()
    text = mail.get_body(("plain",)).get_content()
    html = mail.get_body(("html",)).get_content()
    found = [(path, int(score)) for path, score in LINK.findall(text)]
    return found, text, html


async def test_the_mail_has_a_link_per_score_get_records_nothing_and_post_records_once(links_api, mail_servers):
    api = links_api
    conv, op, sup = await _resolved_mail_conversation(api, mail_servers, asks="both")
    await SlaWorker(api.db, public_url=PUBLIC).tick()
    (mail,) = await _wait_mail(mail_servers, 1)
    found, text, html = _links(mail)
    assert [s for _, s in found] == [1, 2, 3, 4, 5]
    assert len({p for p, _ in found}) == 1  # one token for the question, one link per score
    path = found[0][0]
    assert csat.QUESTIONS["uk"] in text and links.WORDS["uk"]["choose"] in text
    assert all(f'href="{PUBLIC}{path}?score={s}"' in html for s in range(1, 6))
    # The operators' copy of the question has no link: only the customer holds the token.
    msgs = (await api.client.get(f"/api/v1/conversations/{conv['id']}/messages", headers=op)).json()["items"]
    assert msgs[-1]["text"] == csat.QUESTIONS["uk"] and "survey/" not in str(msgs)
    async with api.db.session() as session:
        (link,) = (await session.scalars(select(CsatSurveyLink))).all()
        assert link.token_hash != path.rsplit("/", 1)[1] and path.rsplit("/", 1)[1] not in link.sealed  # hashed

    # A mail scanner (or the customer) follows the link: the page, score 4 preselected, nothing recorded.
    r = await api.client.get(f"{path}?score=4")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert links.WORDS["uk"]["csat"] in r.text and 'value="4" checked' in r.text and r.text.count("checked") == 1
    assert r.headers["referrer-policy"] == "no-referrer" and r.headers["cache-control"] == "no-store"
    assert (await _survey(api)).score is None

    r = await api.client.post(path, data={"score": "4", "comment": "Дякую, швидко"})
    assert r.status_code == 200 and links.WORDS["uk"]["thanks"] in r.text and "<strong>4</strong>" in r.text
    survey = await _survey(api)
    assert (survey.score, survey.comment, survey.awaiting) == (4, "Дякую, швидко", None)
    conv_now = (await api.client.get(f"/api/v1/conversations/{conv['id']}", headers=op)).json()
    assert conv_now["status"] == "resolved"  # never reopened
    timeline = (await api.client.get(f"/api/v1/customers/{conv['customer']['id']}/timeline", headers=sup)).json()
    rated = [i for i in timeline["items"] if i["kind"] == "csat_rated"]
    assert len(rated) == 1 and rated[0]["payload"]["score"] == 4 and rated[0]["conversation_id"] == conv["id"]

    # The same link again: refused in words, the answer kept as it was.
    for again in (api.client.post(path, data={"score": "1"}), api.client.get(f"{path}?score=1")):
        r = await again
        assert r.status_code == 409 and links.WORDS["uk"]["answered"] in r.text
    assert (await _survey(api)).score == 4

    # NPS follows the CSAT answer (asks both): its own mail with 0..10, answered the same way.
    await SlaWorker(api.db, public_url=PUBLIC).tick()
    mails = await _wait_mail(mail_servers, 2)
    nps_mail = next(m for m in mails if csat.NPS_QUESTIONS["uk"] in m.get_body(("plain",)).get_content())
    nps_found, _, _ = _links(nps_mail)
    assert [s for _, s in nps_found] == list(range(11)) and nps_found[0][0] != path
    r = await api.client.post(nps_found[0][0], data={"score": "9"})
    assert r.status_code == 200, r.text
    survey = await _survey(api)
    assert (survey.score, survey.nps, survey.comment) == (4, 9, "Дякую, швидко")
    totals = (await api.client.get("/api/v1/analytics/summary", headers=sup)).json()["totals"]
    assert totals["csat_responses"] == 1 and totals["csat"] == 4.0


async def test_bad_tokens_expiry_bad_forms_and_the_limit_are_clear_pages(links_api, mail_servers):
    api = links_api
    await _resolved_mail_conversation(api, mail_servers, language="ru")
    await SlaWorker(api.db, public_url=PUBLIC).tick()
    (mail,) = await _wait_mail(mail_servers, 1)
    path = _links(mail)[0][0][0]

    for bad in ("/survey/srv_nope", "/survey/" + "x" * 300, "/survey/%D0%BA%D0%BB%D1%8E%D1%87"):
        r = await api.client.get(bad)
        assert r.status_code == 404 and links.WORDS["en"]["unknown"] in r.text, (bad, r.status_code)
        r = await api.client.post(bad, data={"score": "5"})
        assert r.status_code == 404
    # A bad score on the page preselects nothing; a form without a valid score or with a too long comment: 422.
    r = await api.client.get(f"{path}?score=77")
    assert r.status_code == 200 and "checked" not in r.text and links.WORDS["ru"]["csat"] in r.text
    for form in ({}, {"score": "6"}, {"score": "0"}, {"score": "four"}, {"score": "4", "comment": "x" * 2001}):
        r = await api.client.post(path, data=form)
        assert r.status_code == 422 and 'class="error"' in r.text, (form, r.status_code)
    r = await api.client.post(path, json={"score": 4})
    assert r.status_code == 422
    r = await api.client.post(path, content=b"score=4&comment=" + b"y" * 20000)
    assert r.status_code == 413
    assert (await _survey(api)).score is None  # nothing of that recorded

    # Expired: a clear 410, also for the POST.
    async with api.db.session() as session:
        await session.execute(update(CsatSurveyLink).values(expires_at=utcnow()))
        await session.commit()
    r = await api.client.get(f"{path}?score=5")
    assert r.status_code == 410 and links.WORDS["ru"]["expired"] in r.text
    r = await api.client.post(path, data={"score": "5"})
    assert r.status_code == 410 and (await _survey(api)).score is None

    # Rate-limited per address like the other public routes.
    statuses = [(await api.client.get("/survey/srv_nope")).status_code for _ in range(survey_views.PER_ADDRESS.limit)]
    assert statuses[-1] == 429 and "Retry-After" in (await api.client.get("/survey/srv_nope")).headers


async def test_the_pages_speak_the_surveys_language(links_api, mail_servers):
    api = links_api
    await _resolved_mail_conversation(api, mail_servers, asks="nps", language="en")
    await SlaWorker(api.db, public_url=PUBLIC).tick()
    (mail,) = await _wait_mail(mail_servers, 1)
    found, text, _ = _links(mail)
    assert [s for _, s in found] == list(range(11)) and links.WORDS["en"]["low_nps"] in text
    path = found[0][0]
    expected = {
        "uk": (
            "Наскільки ймовірно, що ви порекомендуєте нас другу?",
            "Надіслати",
            "Дякуємо! Вашу відповідь збережено.",
        ),
        "ru": ("Насколько вероятно, что вы порекомендуете нас другу?", "Отправить", "Спасибо! Ваш ответ сохранён."),
        "en": ("How likely are you to recommend us to a friend?", "Send", "Thank you! Your answer has been recorded."),
    }
    for language, (heading, send, _thanks) in expected.items():
        async with api.db.session() as session:
            await session.execute(update(CsatSurvey).values(language=language))
            await session.commit()
        r = await api.client.get(f"{path}?score=10")
        assert r.status_code == 200 and heading in r.text and send in r.text and f'lang="{language}"' in r.text
    r = await api.client.post(path, data={"score": "10"})
    assert r.status_code == 200 and expected["en"][2] in r.text
    assert (await _survey(api)).nps == 10


async def test_without_public_url_the_mail_question_is_text_and_it_is_logged_once(api, mail_servers, caplog):
    links._warned = False
    caplog.set_level(logging.WARNING, logger="omnidesk.csat")
    await _resolved_mail_conversation(api, mail_servers, language="uk")
    await SlaWorker(api.db).tick()
    (mail,) = await _wait_mail(mail_servers, 1)
    assert mail.get_content_type() == "text/plain" and "/survey/" not in mail.get_content()
    assert csat.QUESTIONS["uk"] in mail.get_content()
    async with api.db.session() as session:
        assert await session.scalar(select(func.count()).select_from(CsatSurveyLink)) == 0
    assert [r.message for r in caplog.records if "public_url" in r.message] == [
        "public_url is not set: e-mail surveys go as text ('reply with a number'), without links"
    ]
    # The text answer still works: a reply "5" to the mail.
    mail_servers.deliver(
        "support",
        b"From: Customer <customer@customer.test>\r\nTo: support@bank.test\r\nSubject: Re: Card\r\n"
        b"Message-ID: <second@customer.test>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n5\r\n",
    )
    for _ in range(150):  # the server's mail worker reads it
        if (await _survey(api)).score is not None:
            break
        await asyncio.sleep(0.1)
    assert (await _survey(api)).score == 5


def test_the_access_log_never_shows_a_survey_token():
    record = logging.LogRecord(
        "uvicorn.access",
        logging.INFO,
        __file__,
        1,
        '%s - "%s %s HTTP/%s" %d',
        ("127.0.0.1:5000", "GET", "/survey/srv_S3cr3tT0ken?score=4", "1.1", 200),
        None,
    )
    RedactQuery().filter(record)
    line = record.getMessage()
    assert "S3cr3tT0ken" not in line and "/survey/…?score=…" in line
