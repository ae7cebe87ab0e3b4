"""Web forms: a submission becomes one customer with all its identifiers and a conversation; guarded against abuse.
Also the scenario that defines omnichannel: a form with phone and e-mail, then a mail from that address (read from
a real dovecot mailbox) joins the same customer. On SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from email.utils import format_datetime

import pytest
from sqlalchemy import func, select

from omnidesk.channels.email.imap import Mailbox
from omnidesk.server.conversations.models import Conversation, Message
from omnidesk.server.customers.models import Customer, Identity
from omnidesk.server.email.poller import imap_settings, read_once
from omnidesk.server.email.service import email_channels
from omnidesk.server.forms import views as form_views
from omnidesk.server.forms.models import FormSubmission


@pytest.fixture(autouse=True)
def fresh_limits():
    for limiter in (form_views.PER_ADDRESS, form_views.PER_EMAIL):
        limiter._hits.clear()


async def _form(api, **body) -> int:
    admin = await api.headers_for("admin", "admin")
    r = await api.client.post("/api/v1/channels/forms", headers=admin, json={"name": "Contact form", **body})
    assert r.status_code == 201, r.text
    assert f'action="{api.url}/forms/{r.json()["id"]}"' in r.json()["snippet"]
    return r.json()["id"]


async def _count(api, model, *where) -> int:
    async with api.db.session() as session:
        return await session.scalar(select(func.count()).select_from(model).where(*where))


FIELDS = {
    "name": "Olena Marchenko",
    "phone": "050 123 45 67",
    "email": "Olena.M@customer.test",
    "message": "Please call me about a mortgage",
    "product": "mortgage",
    "utm_source": "facebook",
    "page_url": "https://bank.test/mortgage",
}


async def test_a_form_creates_the_customer_with_both_identifiers_and_a_conversation(api):
    form_id = await _form(api)
    r = await api.client.post(f"/forms/{form_id}", data=FIELDS)
    assert r.status_code == 200 and "Thank you" in r.text
    async with api.db.session() as session:
        ids = (await session.execute(select(Identity.kind, Identity.value, Identity.customer_id))).all()
        sub = (await session.scalars(select(FormSubmission))).one()
        msg = await session.get(Message, sub.message_id)
    assert {(i.kind, i.value) for i in ids} == {("phone", "+380501234567"), ("email", "olena.m@customer.test")}
    assert len({i.customer_id for i in ids}) == 1
    assert sub.fields == {"product": "mortgage"} and sub.utm == {"utm_source": "facebook"}
    assert sub.page_url == "https://bank.test/mortgage"
    assert "Please call me about a mortgage" in msg.text and "product: mortgage" in msg.text
    # A second submission is a second request of the same customer.
    r = await api.client.post(f"/forms/{form_id}", json={**FIELDS, "message": "And a deposit"})
    assert r.status_code == 201 and r.json()["status"] == "received"
    assert await _count(api, Conversation) == 2 and await _count(api, Customer) == 1


async def test_a_known_phone_joins_its_customer(api):
    channel_id, token = await api.channel()
    assert (await api.inbound(channel_id, token, "x-1", value="+380501234567", name="Olena")).status_code == 201
    form_id = await _form(api)
    assert (await api.client.post(f"/forms/{form_id}", json=FIELDS)).status_code == 201
    assert await _count(api, Customer) == 1 and await _count(api, Identity) == 2


async def test_a_phone_of_another_customer_raises_a_suggestion_never_a_silent_merge(api):
    channel_id, token = await api.channel()
    r = await api.inbound(channel_id, token, "x-1", value="+380501234567", name="Someone")
    assert r.status_code == 201
    r = await api.inbound(channel_id, token, "x-2", kind="email", value="olena.m@customer.test", name="Olena")
    assert r.status_code == 201
    form_id = await _form(api)
    r = await api.client.post(f"/forms/{form_id}", json=FIELDS)
    assert r.status_code == 201
    assert await _count(api, Customer) == 2
    supervisor = await api.headers_for("sup", "supervisor")
    suggestions = (await api.client.get("/api/v1/duplicates", headers=supervisor)).json()["items"]
    assert suggestions, "the shared phone must be offered for review"


async def test_bad_input_answers_clearly_and_stores_nothing(api):
    form_id = await _form(api)
    r = await api.client.post(f"/forms/{form_id}", json={"name": "X", "phone": "12", "email": "not-an-address"})
    assert r.status_code == 422 and set(r.json()["detail"]) == {"phone", "email"}
    r = await api.client.post(f"/forms/{form_id}", json={"name": "X", "message": "no contact"})
    assert r.status_code == 422 and "contact" in r.json()["detail"]
    r = await api.client.post(f"/forms/{form_id}", content=b"[1]", headers={"content-type": "application/json"})
    assert r.status_code == 400
    r = await api.client.post(f"/forms/{form_id}", content=b"x", headers={"content-type": "text/plain"})
    assert r.status_code == 415
    assert (await api.client.post("/forms/987654", json=FIELDS)).status_code == 404
    assert await _count(api, Message) == 0


async def test_honeypot_rate_limit_and_origin_protect_the_form(api):
    form_id = await _form(api, origins=["https://bank.test"])
    r = await api.client.post(f"/forms/{form_id}", json={**FIELDS, "website_url": "http://spam.test"})
    assert r.status_code == 200 and await _count(api, Message) == 0
    r = await api.client.post(f"/forms/{form_id}", json=FIELDS, headers={"origin": "https://evil.test"})
    assert r.status_code == 403
    codes = []
    for n in range(6):
        r = await api.client.post(
            f"/forms/{form_id}", json={**FIELDS, "message": f"m{n}"}, headers={"origin": "https://bank.test"}
        )
        codes.append(r.status_code)
    assert codes == [201] * 5 + [429] and int(r.headers["retry-after"]) > 0
    assert await _count(api, Message) == 5


async def test_form_then_mail_from_the_same_address_joins_one_customer(api, mail_servers):
    import shutil

    shutil.rmtree(mail_servers.maildir("support"), ignore_errors=True)
    form_id = await _form(api)
    assert (await api.client.post(f"/forms/{form_id}", data=FIELDS)).status_code == 200
    admin = await api.headers_for("admin2", "admin")
    r = await api.client.post("/api/v1/channels/email", headers=admin, json=mail_servers.channel_body())
    assert r.status_code == 201
    day_later = format_datetime(dt.datetime.now(dt.UTC) + dt.timedelta(days=1))
    mail_servers.deliver(  # the address as the mail program writes it, not as the form had it
        "support",
        (
            "From: Olena <olena.m@Customer.Test>\r\nTo: support@bank.test\r\nSubject: Mortgage documents\r\n"
            f"Date: {day_later}\r\n"
            "Message-ID: <day-later@customer.test>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
            "I am sending the documents you asked for.\r\n"
        ).encode(),
    )
    channel, options, secrets = next(c for c in await email_channels(api.db) if c[0].id == r.json()["id"])
    async with Mailbox(imap_settings(options, secrets)) as box:
        await read_once(api.db, channel, options, box)  # the server's own reader may be first: no matter
    assert await _count(api, Customer) == 1
    async with api.db.session() as session:
        owners = set((await session.scalars(select(Conversation.customer_id))).all())
        kinds = set((await session.scalars(select(Conversation.channel_id))).all())
    assert len(owners) == 1 and await _count(api, Conversation) == 2 and len(kinds) == 2  # the form's and the mail's
    assert await _count(api, Identity) == 2  # the phone and the e-mail address: no second address for one person
