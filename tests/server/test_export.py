"""Export and print (issue 15): a conversation and a customer's whole history as PDF and HTML, conversations of a
period in bulk as CSV and JSON; the permission, the queue scope and the audit record, on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest
from pypdf import PdfReader
from sqlalchemy import select, update

from omnidesk.domain.enums import Role
from omnidesk.server.conversations.models import Conversation
from omnidesk.server.queues.models import QueueMember
from tests.server.customer_helpers import add_queue, audit_actions, deliver, grant


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


async def _history(api):
    """One customer who wrote on two channels (the same phone): two conversations, a reply and an internal note."""
    tg, tg_token = await api.channel("Telegram desk")
    site, site_token = await api.channel("Site chat")
    first = await deliver(api, tg, tg_token, "t1", "phone", "+380671112233", name="Оксана Петренко",
                          text="Добрий день, картку заблоковано")  # fmt: skip
    sup = await api.headers_for("sup", Role.SUPERVISOR)
    conv = first["conversation_id"]
    r = await api.client.post(
        f"/api/v1/conversations/{conv}/messages",
        headers=sup,
        json={"text": "Розблокуємо за хвилину", "client_key": "r1"},
    )
    assert r.status_code in (200, 201), r.text
    r = await api.client.post(
        f"/api/v1/conversations/{conv}/messages",
        headers=sup,
        json={"text": "Перевірено паспорт", "kind": "note", "client_key": "n1"},
    )
    assert r.status_code in (200, 201), r.text
    second = await deliver(api, site, site_token, "s1", "phone", "+380671112233", text="<script>alert(1)</script>")
    assert second["customer_id"] == first["customer_id"] and second["conversation_id"] != conv
    return first["customer_id"], conv, second["conversation_id"], sup


async def test_a_customers_history_prints_to_pdf_and_html_with_every_channel(api):
    customer_id, _conv, _other, sup = await _history(api)
    r = await api.client.get(
        f"/api/v1/customers/{customer_id}/history/export", params={"format": "pdf", "tz": "Europe/Kyiv", "lang": "uk"},
        headers=sup,
    )  # fmt: skip
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/pdf" and r.content.startswith(b"%PDF")
    assert f'filename="customer-{customer_id}-history.pdf"' in r.headers["content-disposition"]
    text = pdf_text(r.content)
    for expected in (
        "Історія клієнта: Оксана Петренко",
        "Добрий день, картку заблоковано",
        "Розблокуємо за хвилину",
        "Внутрішня нотатка",
        "Перевірено паспорт",
        "Telegram desk",
        "Site chat",
        "+03:00"
        if dt.datetime.now(dt.UTC).astimezone(__import__("zoneinfo").ZoneInfo("Europe/Kyiv")).utcoffset()
        == dt.timedelta(hours=3)
        else "+02:00",
        "Сторінка 1 з",
    ):
        assert expected in text, (expected, text)
    assert text.index("Добрий день") < text.index("<script>"), "oldest first"

    r = await api.client.get(f"/api/v1/customers/{customer_id}/history/export", params={"format": "html"}, headers=sup)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    page = r.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>" not in page, "bodies are escaped"
    assert "Customer history: Оксана Петренко" in page and "phone: +380671112233" in page
    assert page.count('class="msg ') == 4 and "Internal note" in page
    assert "default-src 'none'" in r.headers["content-security-policy"]
    actions = await audit_actions(api, customer_id)
    assert actions.count("customer.history.export") == 2


async def test_a_conversation_exports_alone_and_the_scope_and_permission_hold(api):
    _customer_id, conv, _other, sup = await _history(api)
    r = await api.client.get(f"/api/v1/conversations/{conv}/export", params={"format": "html"}, headers=sup)
    assert r.status_code == 200
    assert "Розблокуємо за хвилину" in r.text and "&lt;script&gt;" not in r.text, "only this conversation"
    assert "conversation.export" in await audit_actions(api, conv)
    pdf = await api.client.get(f"/api/v1/conversations/{conv}/export", headers=sup)
    assert (
        pdf.status_code == 200
        and "Розмова" not in pdf_text(pdf.content)
        and f"Conversation {conv}" in pdf_text(pdf.content)
    )
    # Operators do not export by default (403 names the permission); granted, they export only their queues' work.
    operator = await api.headers_for("olena")
    r = await api.client.get(f"/api/v1/conversations/{conv}/export", headers=operator)
    assert r.status_code == 403
    await grant(api, Role.OPERATOR, "conversation.export")
    queue = await add_queue(api, "Cards")
    async with api.db.session() as session:
        await session.execute(update(Conversation).where(Conversation.id == conv).values(queue_id=queue))
        await session.commit()
    r = await api.client.get(f"/api/v1/conversations/{conv}/export", headers=operator)
    assert r.status_code == 404, "outside her queues: as if it did not exist"
    async with api.db.session() as session:
        user_id = (await api.client.get("/api/v1/me", headers=operator)).json()["id"]
        session.add(QueueMember(queue_id=queue, user_id=user_id))
        await session.commit()
    r = await api.client.get(f"/api/v1/conversations/{conv}/export", headers=operator)
    assert r.status_code == 200
    bad = await api.client.get(f"/api/v1/conversations/{conv}/export", params={"tz": "Mars/Olympus"}, headers=sup)
    assert bad.status_code == 422 and "time zone" in bad.text
    assert (await api.client.get("/api/v1/conversations/987654/export", headers=sup)).status_code == 404


async def test_conversations_of_a_period_in_bulk_as_csv_and_json(api):
    _customer_id, conv, other, sup = await _history(api)
    queue, loans = await add_queue(api, "Cards"), await add_queue(api, "Loans")
    async with api.db.session() as session:
        await session.execute(update(Conversation).where(Conversation.id == other).values(queue_id=queue))
        await session.execute(update(Conversation).where(Conversation.id == conv).values(queue_id=loans))
        created = (await session.scalars(select(Conversation.created_at).order_by(Conversation.id))).all()
        await session.commit()
    period = {"from": (created[0] - dt.timedelta(minutes=1)).isoformat(), "to": (dt.datetime.now(dt.UTC) +
              dt.timedelta(minutes=1)).isoformat()}  # fmt: skip
    r = await api.client.get("/api/v1/exports/conversations", params={**period, "format": "csv"}, headers=sup)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text.lstrip("\ufeff"))))
    assert [int(x["id"]) for x in rows] == [conv, other]
    first = rows[0]
    assert first["channel"] == "Telegram desk" and first["customer"] == "Оксана Петренко"
    assert first["messages"] == "2" and first["first_response_at"], "the note is not a message; the reply answered"
    assert [x["queue"] for x in rows] == ["Loans", "Cards"]
    r = await api.client.get(
        "/api/v1/exports/conversations", params={**period, "format": "json", "queue_id": queue}, headers=sup
    )
    assert [x["id"] for x in json.loads(r.text)] == [other]
    # An operator granted the export sees only her queues' conversations (Cards, not Loans).
    await grant(api, Role.OPERATOR, "conversation.export")
    operator = await api.headers_for("olena")
    user_id = (await api.client.get("/api/v1/me", headers=operator)).json()["id"]
    async with api.db.session() as session:
        session.add(QueueMember(queue_id=queue, user_id=user_id))
        await session.commit()
    r = await api.client.get("/api/v1/exports/conversations", params={**period, "format": "json"}, headers=operator)
    assert [x["id"] for x in json.loads(r.text)] == [other]
    bad = await api.client.get(
        "/api/v1/exports/conversations", params={"from": period["to"], "to": period["from"]}, headers=sup
    )
    assert bad.status_code == 422
    assert "conversation.bulk_export" in await audit_actions(api)


@pytest.mark.parametrize("formula", ['=HYPERLINK("x")', "+1", "@SUM(A1)"])
def test_a_csv_cell_never_starts_a_formula(formula):
    from omnidesk.server.export.views import _cell

    assert _cell(formula).startswith("'") and _cell(42) == "42"
