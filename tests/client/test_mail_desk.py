"""E-mail, web chat and web forms in the client against a real server (SQLite and PostgreSQL): the letter view with
its headers, the trimmed history and the full original, remote images loaded only after "Show images", inline
images and files; Reply all through the window's own composer reaching a real SMTP server (aiosmtpd) with the
chosen To, Cc and subject; a bad address held back in words; the web chat visitor and the web form card; screenshots
in en/uk/ru when OMNIDESK_SCREENSHOTS=<folder>."""

from __future__ import annotations

import asyncio
import email
import email.policy
import io
import os
from pathlib import Path

import httpx
import pytest
from PIL import Image
from PySide6.QtCore import Qt

from omnidesk.client.models.messages import MessageRole
from omnidesk.domain.enums import Role
from omnidesk.protocol import MessageOut
from omnidesk.server.db import Database
from omnidesk.server.email.service import email_channels, store_mail
from tests.channels.server_fixtures import provider_settings
from tests.client.live import clipped_texts, settle, signed_in, until
from tests.conftest import Api, serve

SCREENSHOTS = os.environ.get("OMNIDESK_SCREENSHOTS")
CHROME_UA = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"
)


def png(colour: tuple[int, int, int]) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (48, 24), colour).save(out, "PNG")
    return out.getvalue()


def letter_eml() -> bytes:
    """A customer's reply with two colleagues in copy, a quoted history, an inline logo, a tracking pixel, a PDF."""
    import base64

    logo = base64.b64encode(png((40, 110, 200))).decode()
    return f"""From: Anna Kovalenko <anna@customer.test>
To: Bank Support <support@bank.test>, Petro <petro@customer.test>
Cc: lawyer@firm.test, support@bank.test
Subject: Re: Card delivery
Date: Tue, 1 Dec 2026 11:02:13 +0200
Message-ID: <letter-1@customer.test>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="mixed"

--mixed
Content-Type: multipart/related; boundary="related"

--related
Content-Type: multipart/alternative; boundary="alt"

--alt
Content-Type: text/plain; charset="utf-8"

Friday suits me, please deliver to the office.

On Mon, Nov 30, 2026 at 10:40 AM Bank Support <support@bank.test> wrote:
> Your card is ready. When would you like it delivered?

--alt
Content-Type: text/html; charset="utf-8"

<div>Friday suits me, please deliver to the <b>office</b>.<img src="cid:logo@customer"></div>
<img src="https://track.customer.test/open.gif?u=42" width="1" height="1">
<blockquote>Your card is ready. When would you like it delivered?</blockquote>
--alt--

--related
Content-Type: image/png
Content-ID: <logo@customer>
Content-Disposition: inline; filename="logo.png"
Content-Transfer-Encoding: base64

{logo}
--related--

--mixed
Content-Type: application/pdf
Content-Disposition: attachment; filename="contract.pdf"

%PDF-1.4 contract
--mixed--
""".replace("\n", "\r\n").encode()


class SmtpSink:
    """A real SMTP server on a loopback port that keeps what it is given."""

    def __init__(self) -> None:
        from aiosmtpd.controller import Controller

        self.received: list[tuple[list[str], email.message.EmailMessage]] = []
        sink = self

        class Handler:
            async def handle_DATA(self, server, session, envelope):
                message = email.message_from_bytes(envelope.content, policy=email.policy.default)
                sink.received.append((list(envelope.rcpt_tos), message))
                return "250 OK"

        import socket

        with socket.socket() as probe:  # aiosmtpd checks its port by connecting to it: give it a real one
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        from aiosmtpd.smtp import AuthResult

        self.controller = Controller(
            Handler(),
            hostname="127.0.0.1",
            port=self.port,
            auth_require_tls=False,  # the mailbox logs in with its password, over loopback
            authenticator=lambda *_args: AuthResult(success=True),
        )

    def __enter__(self) -> SmtpSink:
        self.controller.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.controller.stop()


async def desk(http: httpx.AsyncClient, api: Api, smtp_port: int) -> dict[str, int]:
    """An e-mail, a web chat and a web form conversation, each through its real path."""
    admin = await api.headers_for("root", Role.ADMIN)
    await api.user("olena", Role.OPERATOR)
    body = {
        "name": "Support",
        "address": "support@bank.test",
        "imap_host": "127.0.0.1",
        "imap_port": 9,  # nothing listens: the server's own reader waits, the test stores the letter itself
        "imap_tls": False,
        "smtp_host": "127.0.0.1",
        "smtp_port": smtp_port,
        "smtp_security": "none",
        "password": "secret",
    }
    r = await http.post("/api/v1/channels/email", json=body, headers=admin)
    assert r.status_code == 201, r.text
    ref, options, _ = next(c for c in await email_channels(api.db) if c[0].id == r.json()["id"])
    stored = await store_mail(api.db, ref, options, letter_eml())
    assert stored.outcome == "stored", stored

    chat = (await http.post("/api/v1/channels/webchat", json={"name": "Site"}, headers=admin)).json()
    session = await http.post(
        f"/webchat/{chat['id']}/session",
        json={
            "page_url": "https://www.bank.test/cards/visa-gold",
            "referrer": "https://www.google.com/search?q=card",
            "page_title": "Visa Gold | Bank",
            "language": "uk-UA",
        },
        headers={"User-Agent": CHROME_UA, "Origin": "https://www.bank.test"},
    )
    token = session.json()["token"]
    r = await http.post(
        f"/webchat/{chat['id']}/messages",
        json={"text": "Чи можна замовити картку онлайн?", "client_key": "v1"},
        headers={"Authorization": f"Bearer {token}", "Origin": "https://www.bank.test"},
    )
    assert r.status_code == 201, r.text

    form = (await http.post("/api/v1/channels/forms", json={"name": "Contact"}, headers=admin)).json()
    r = await http.post(
        f"/forms/{form['id']}",
        json={
            "name": "Оксана Петренко",
            "phone": "050 123 45 67",
            "email": "oksana@customer.test",
            "message": "Передзвоніть, будь ласка,\nщодо кредиту.",
            "amount": "50000",
            "utm_source": "facebook",
            "page_url": "https://www.bank.test/credit",
        },
    )
    assert r.status_code in (200, 201), r.text
    conversations = (await http.get("/api/v1/conversations", headers=admin)).json()["items"]
    by_kind = {c["channel"]["kind"]: c["id"] for c in conversations}
    return {
        "email": by_kind["email"],
        "webchat": by_kind["webchat"],
        "webform": by_kind["webform"],
        "webchat_typing": (f"/webchat/{chat['id']}/typing", {"Authorization": f"Bearer {token}"}),
    }


async def test_mail_webchat_and_form_in_the_conversation(db_url, tmp_path, memory_keyring, monkeypatch):
    settings = provider_settings(db_url, tmp_path)
    db = Database(db_url, pool_size=2)
    fetched: list[list[str]] = []

    async def remote_images(urls, **_kw):
        fetched.append(list(urls))
        return {url: png((200, 40, 40)) for url in urls}

    monkeypatch.setattr("omnidesk.client.mail.fetch_remote_images", remote_images)
    with SmtpSink() as smtp:
        async with serve(settings) as (app, url), httpx.AsyncClient(base_url=url, timeout=30) as http:
            api = Api(url=url, db=db, settings=settings, client=http, app=app)
            ids = await desk(http, api, smtp.port)
            client = await signed_in(tmp_path, url, "olena")
            window = client.window
            mail = window.features.mail
            reader = mail.reader

            # --- the letter: headers, the new part first, the quoted history one click away ---
            window.open_conversation(ids["email"])
            await until(lambda: reader.letter is not None and reader.isVisible(), what="the letter shown")
            await until(lambda: "cid:logo@customer" in reader.body.images, what="the inline logo")
            assert reader.subject.text() == "Re: Card delivery"
            assert reader.header_values["from"].text() == "Anna Kovalenko <anna@customer.test>"
            assert "petro@customer.test" in reader.header_values["to"].text()
            assert reader.header_values["cc"].text() == "lawyer@firm.test, support@bank.test"
            assert "2026" in reader.header_values["date"].text()
            assert reader.body.toPlainText().strip() == "Friday suits me, please deliver to the office."
            assert reader.quoted.isVisible() and reader.quoted.text() == "Show the full original"
            assert [reader.files.item(i).text().split(" (")[0] for i in range(reader.files.count())] == [
                "logo.png",
                "contract.pdf",
            ]
            # No remote image was asked for, let alone fetched, before the operator says so.
            assert reader.images_bar.isVisible() and reader.hidden_images == 1 and not fetched
            mail.original_action.trigger()  # Ctrl+U
            assert "Your card is ready" in reader.body.toPlainText() and reader.full
            assert "cid:logo@customer" in reader.body.asked
            assert not any(a.startswith("http") for a in reader.body.asked)
            mail.images_action.trigger()  # Ctrl+Shift+I: this letter only
            await until(lambda: fetched and reader.letter.remote_images, what="remote images asked for")
            assert fetched == [["https://track.customer.test/open.gif?u=42"]]
            await until(lambda: not reader.images_bar.isVisible(), what="the bar gone")
            assert "https://track.customer.test/open.gif?u=42" in reader.body.images and reader.full

            # --- Reply all: the envelope from the server, the mailbox itself left out; sent through the composer ---
            mail.reply_all_action.trigger()  # Ctrl+Shift+E
            envelope = mail.envelope
            await until(lambda: envelope.to.text(), what="the envelope filled")
            assert envelope.to.text() == "anna@customer.test"
            assert envelope.cc.text() == "petro@customer.test, lawyer@firm.test"
            assert envelope.subject.text() == "Re: Card delivery"
            composer = window.conversation_pane.composer
            composer.setPlainText("Delivery on Friday, 10:00-14:00.")
            envelope.quote.setChecked(True)
            assert "> Friday suits me" in composer.toPlainText() and "Anna Kovalenko" in composer.toPlainText()
            # A bad address holds the reply back in words; nothing is queued, the text stays.
            envelope.cc.setText("petro@customer.test, lawyer at firm")
            assert envelope.error.isVisible() and "lawyer at firm" in envelope.error.text()
            composer.submit()
            assert "lawyer at firm" in window.statusBar().currentMessage()
            assert not client.workspace.outbox.pending(client.workspace.server_url, client.workspace.user.id)
            assert composer.toPlainText().startswith("Delivery on Friday")
            envelope.cc.setText("petro@customer.test; Lawyer <lawyer@firm.test>")
            assert not envelope.error.isVisible()
            composer.submit()
            try:
                await until(lambda: smtp.received, timeout=20, what="the mail at the SMTP server")
            except AssertionError:
                admin = await api.headers_for("root2", Role.ADMIN)
                history = await http.get(f"/api/v1/conversations/{ids['email']}/messages", headers=admin)
                raise AssertionError(history.json()) from None
            recipients, sent = smtp.received[0]
            assert sent["To"] == "anna@customer.test"
            assert sent["Cc"] == "petro@customer.test, lawyer@firm.test"
            assert sent["Subject"] == "Re: Card delivery" and sent["In-Reply-To"] == "<letter-1@customer.test>"
            assert sorted(recipients) == ["anna@customer.test", "lawyer@firm.test", "petro@customer.test"]
            body = sent.get_content()
            assert "Delivery on Friday" in body and "> Friday suits me" in body
            assert not envelope.quote.isChecked()  # the next reply starts without this quote

            # --- our reply, once sent, reads as the letter that went out: the mailbox's From, the To and Cc chosen ---
            history_model = window.messages

            def sent_row() -> int | None:
                for row in range(history_model.rowCount()):
                    message = history_model.index(row, 0).data(MessageRole.MESSAGE)
                    if (
                        isinstance(message, MessageOut)
                        and str(message.direction) == "out"
                        and str(message.delivery_status) == "sent"
                        and "Delivery on Friday" in (message.text or "")
                    ):
                        return row
                return None

            await until(lambda: sent_row() is not None, what="the reply sent")
            window.conversation_pane.history.setCurrentIndex(history_model.index(sent_row(), 0))
            await until(lambda: reader.letter is not None and reader.letter.direction == "out", what="the sent letter")
            assert reader.header_values["from"].text().endswith("<support@bank.test>")
            assert reader.header_values["to"].text() == "anna@customer.test"
            assert reader.header_values["cc"].text() == "petro@customer.test, lawyer@firm.test"
            assert reader.subject.text() == "Re: Card delivery" and reader.header_names["date"].text() == "Sent:"
            assert reader.letter.rfc_message_id == sent["Message-ID"]
            assert "Delivery on Friday" in reader.body.toPlainText()
            # A follow-up to our own letter goes to its recipients, never to the mailbox itself.
            mail.reply_action.trigger()
            await until(lambda: envelope.to.text() == "anna@customer.test", what="the follow-up envelope")

            # --- the web chat visitor ---
            window.open_conversation(ids["webchat"])
            visitor = mail.visitor
            await until(lambda: visitor.visitor is not None and visitor.isVisible(), what="the visitor panel")
            assert not reader.isVisible() and not envelope.isVisible()
            values = {key: label.text() for key, label in visitor.values.items()}
            assert "www.bank.test/cards/visa-gold" in values["page"] and "google.com" in values["referrer"]
            assert values["browser"] == "Chrome 131" and values["system"] == "Windows 10/11"
            assert values["page_title"] == "Visa Gold | Bank" and values["language"] == "Ukrainian"
            assert "time" in values
            # The visitor types: told live through the event stream (not the panel's periodic read), shown on the
            # visitor panel, and never taken for a colleague in the collision line.
            path, visitor_auth = ids["webchat_typing"]
            assert (await http.post(path, headers=visitor_auth)).status_code == 204
            await until(lambda: visitor.typing_live, what="the visitor typing, live")
            assert "typing…" in visitor.status.text()
            assert window.workorg.desk.others(ids["webchat"]) == []

            # --- the web form card ---
            window.open_conversation(ids["webform"])
            form = mail.form
            await until(lambda: form.card is not None and form.isVisible(), what="the form card")
            assert not visitor.isVisible()
            values = {key: label.text() for key, label in form.values.items()}
            assert values["name"] == "Оксана Петренко" and values["phone"] == "+380501234567"
            assert values["message"] == "Передзвоніть, будь ласка,<br>щодо кредиту."
            assert values["field_0"] == "50000" and values["utm"] == "source=facebook"
            assert form.title.text() == "Web form: Contact"

            if SCREENSHOTS:
                await screenshots(client, ids, Path(SCREENSHOTS))
            await settle(client)
            await asyncio.sleep(0.05)
    await db.dispose()


async def screenshots(client, ids: dict[str, int], folder: Path) -> None:
    """The letter with its reply envelope, the web chat visitor and the form card, in each language and theme (light,
    dark, high contrast): saved as <kind>_<language>[_<theme>].png, and no text cut anywhere in the pane."""
    from PySide6.QtWidgets import QApplication

    from omnidesk.client.views import theme

    window = client.window
    mail = window.features.mail
    os.makedirs(folder, exist_ok=True)
    window.resize(1400, 900)
    app = QApplication.instance()
    try:
        for name in ("light", "dark", "contrast"):
            theme.apply(app, name)
            suffix = "" if name == "light" else f"_{name}"
            for code in ("en", "uk", "ru"):
                client.choose_language(code)
                window.open_conversation(ids["email"])
                await until(lambda: mail.reader.letter is not None, what="letter")
                await until(lambda: "cid:logo@customer" in mail.reader.body.images, what="logo")
                mail.reply_all_action.trigger()
                await until(lambda: mail.envelope.to.text(), what="envelope")
                await asyncio.sleep(0.2)
                assert clipped_texts(window.conversation_pane) == [], (name, code)
                window.conversation_pane.grab().save(str(folder / f"mail_{code}{suffix}.png"))
                mail.original_action.trigger()  # the full original: the letter's own HTML on the theme's colours
                await asyncio.sleep(0.1)
                window.conversation_pane.grab().save(str(folder / f"mail_original_{code}{suffix}.png"))
                mail.original_action.trigger()
                for kind in ("webchat", "webform"):
                    window.open_conversation(ids[kind])
                    panel = mail.visitor if kind == "webchat" else mail.form
                    await until(lambda p=panel: p.isVisible(), what=kind)
                    await asyncio.sleep(0.2)
                    assert clipped_texts(window.conversation_pane) == [], (name, code, kind)
                    window.conversation_pane.grab().save(str(folder / f"{kind}_{code}{suffix}.png"))
    finally:
        theme.apply(app, "light")
        client.choose_language("en")


@pytest.fixture(autouse=True)
def _no_focus_stealing(qapp):
    qapp.setAttribute(Qt.ApplicationAttribute.AA_DontUseNativeDialogs, True)
    yield
