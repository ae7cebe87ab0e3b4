"""Export and print (issue 15): a conversation and a customer's whole history as PDF and HTML, conversations of a
period in bulk as CSV and JSON; the permission, the queue scope and the audit record, on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from html.parser import HTMLParser

import pytest
from pypdf import PdfReader
from sqlalchemy import insert, select, update

from omnidesk.domain.enums import Role
from omnidesk.server.audit.models import AuditRecord
from omnidesk.server.conversations.models import Conversation, Message
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


class _Page(HTMLParser):
    """Checks a page is well-formed: every element that opens closes, in order; collects the message blocks."""

    VOID = {"meta", "br", "hr", "img", "link", "input"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.messages: list[str] = []  # the class of each message block, in order
        self.texts: list[str] = []
        self._in_text = False

    def handle_starttag(self, tag, attrs) -> None:
        css = dict(attrs).get("class") or ""
        if tag == "div" and css.startswith("msg "):
            self.messages.append(css.split()[1])
        self._in_text = tag == "div" and css == "text"
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag) -> None:
        self._in_text = False
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:]}")
            return
        self.stack.pop()

    def handle_data(self, data) -> None:
        if self._in_text:
            self.texts.append(data)


async def _long_history(api, conv: int, n: int) -> None:
    """``n`` more messages in the conversation, one in ten an internal note, one in fifty a system line."""
    async with api.db.session() as session:
        channel_id = await session.scalar(select(Conversation.channel_id).where(Conversation.id == conv))
        start = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
        rows = [
            {
                "conversation_id": conv,
                "channel_id": channel_id,
                "direction": "in" if i % 2 else "out",
                "kind": "note" if i % 10 == 3 else "system" if i % 50 == 7 else "text",
                "text": (f"секрет {i}" if i % 10 == 3 else f"system {i}" if i % 50 == 7 else f"повідомлення {i}"),
                "sent_at": start + dt.timedelta(seconds=i),
            }
            for i in range(n)
        ]
        for chunk in range(0, n, 1000):
            await session.execute(insert(Message), rows[chunk : chunk + 1000])
        await session.commit()


@pytest.mark.parametrize("notes", [True, False])
async def test_a_long_history_streams_as_one_complete_well_formed_page_and_the_customers_copy_has_no_notes(api, notes):
    customer_id, conv, _other, sup = await _history(api)
    n = 3000
    await _long_history(api, conv, n)
    chunks = 0
    body = bytearray()
    async with api.client.stream(
        "GET", f"/api/v1/customers/{customer_id}/history/export",
        params={"format": "html", "notes": str(notes).lower()}, headers=sup,
    ) as r:  # fmt: skip
        assert r.status_code == 200
        assert "content-length" not in r.headers  # written as it is read, not one string measured first
        async for chunk in r.aiter_raw():
            chunks += 1
            body += chunk
    page = body.decode("utf-8")
    assert chunks > 1 and page.endswith("</body></html>")
    parser = _Page()
    parser.feed(page)
    parser.close()
    assert parser.errors == [] and parser.stack == [], (parser.errors[:3], parser.stack)
    notes_seeded = sum(1 for i in range(n) if i % 10 == 3) + 1  # and _history's own note
    system_seeded = sum(1 for i in range(n) if i % 10 != 3 and i % 50 == 7)
    everything = n + 4  # _history: the customer's first message, the reply, the note, the other channel's message
    if notes:
        assert len(parser.messages) == everything
        assert parser.messages.count("note") == notes_seeded and parser.messages.count("system") == system_seeded
        assert "Перевірено паспорт" in page and "секрет 3" in page and "Internal note" in page
        assert "Queue" in page and "Assignee" in page and "Exported by" in page
    else:
        assert len(parser.messages) == everything - notes_seeded - system_seeded
        assert not {"note", "system"} & set(parser.messages)
        assert "секрет" not in page and "Перевірено паспорт" not in page and "Internal note" not in page
        assert "system 7" not in page and "Queue" not in page and "Assignee" not in page
        assert "The customer&#x27;s copy: internal notes" in page
    ordered = [int(t.split()[-1]) for t in parser.texts if t.startswith("повідомлення ")]
    assert ordered == sorted(ordered) and len(ordered) == n - notes_seeded + 1 - system_seeded
    async with api.db.session() as session:
        details = await session.scalar(
            select(AuditRecord.details)
            .where(AuditRecord.action == "customer.history.export")
            .order_by(AuditRecord.id.desc())
            .limit(1)
        )
    assert details["notes"] is notes and details["format"] == "html"
    assert details["messages"] == len(parser.messages)


async def test_the_customers_copy_as_pdf_leaves_the_notes_out_and_the_choice_is_audited(api):
    _customer_id, conv, _other, sup = await _history(api)
    path = f"/api/v1/conversations/{conv}/export"
    full = pdf_text((await api.client.get(path, params={"format": "pdf"}, headers=sup)).content)
    r = await api.client.get(path, params={"format": "pdf", "notes": "false", "lang": "uk"}, headers=sup)
    assert r.status_code == 200, r.text
    copy = pdf_text(r.content)
    assert "Перевірено паспорт" in full and "Internal note" in full and "Assignee" in full
    assert "Перевірено паспорт" not in copy and "Внутрішня нотатка" not in copy and "Виконавець" not in copy
    assert "Розблокуємо за хвилину" in copy and "Примірник для клієнта" in copy
    async with api.db.session() as session:
        audited = (
            await session.scalars(
                select(AuditRecord.details)
                .where(AuditRecord.action == "conversation.export", AuditRecord.object_id == str(conv))
                .order_by(AuditRecord.id)
            )
        ).all()
    assert [(d["format"], d["notes"]) for d in audited] == [("pdf", True), ("pdf", False)]
    bad = await api.client.get(path, params={"format": "pdf", "notes": "maybe"}, headers=sup)
    assert bad.status_code == 422


async def test_among_thousands_of_users_and_queues_a_document_names_its_own_and_reads_only_those(api):
    """A bank's directory: 3,000 users and 300 queues. The history names its conversations' queues and assignees
    right, and reads those names only (not every user's per document); the bulk export names each row's."""
    from omnidesk.server.export.service import _names
    from omnidesk.server.queues.models import Queue
    from omnidesk.server.users.models import User

    customer_id, conv, other, sup = await _history(api)
    async with api.db.session() as session:
        await session.execute(
            insert(User),
            [{"username": f"agent{i}", "display_name": f"Агент {i:04d}", "password_hash": "x", "role": "operator"}
             for i in range(3000)],
        )  # fmt: skip
        await session.execute(insert(Queue), [{"name": f"Черга {i:03d}"} for i in range(300)])
        user = dict((await session.execute(select(User.display_name, User.id))).all())
        queue = dict((await session.execute(select(Queue.name, Queue.id))).all())
        picks = {conv: (queue["Черга 123"], user["Агент 1777"]), other: (queue["Черга 250"], user["Агент 2999"])}
        for conversation_id, (queue_id, assignee_id) in picks.items():
            await session.execute(
                update(Conversation)
                .where(Conversation.id == conversation_id)
                .values(queue_id=queue_id, assignee_id=assignee_id)
            )
        await session.commit()
        conversations = list((await session.scalars(select(Conversation).order_by(Conversation.id))).all())
        queues, users = await _names(session, conversations)
    assert queues == {queue["Черга 123"]: "Черга 123", queue["Черга 250"]: "Черга 250"}
    assert users == {user["Агент 1777"]: "Агент 1777", user["Агент 2999"]: "Агент 2999"}

    r = await api.client.get(f"/api/v1/customers/{customer_id}/history/export", params={"format": "html"}, headers=sup)
    assert r.status_code == 200, r.text
    for name in ("Черга 123", "Черга 250", "Агент 1777", "Агент 2999"):
        assert name in r.text, name
    assert "Агент 1776" not in r.text and "Черга 124" not in r.text
    r = await api.client.get(f"/api/v1/conversations/{other}/export", params={"format": "pdf"}, headers=sup)
    text = pdf_text(r.content)
    assert "Черга 250" in text and "Агент 2999" in text and "Агент 1777" not in text
    r = await api.client.get(
        "/api/v1/exports/conversations",
        params={"from": "2020-01-01T00:00:00Z", "to": "2029-01-01T00:00:00Z", "format": "json"},
        headers=sup,
    )
    assert r.status_code == 200, r.text
    rows = {row["id"]: (row["queue"], row["assignee"]) for row in json.loads(r.text)}
    assert rows == {conv: ("Черга 123", "Агент 1777"), other: ("Черга 250", "Агент 2999")}
