"""The e-mail channel against real servers: Debian's dovecot (IMAP, fed over LMTP) and Debian's postfix (the SMTP
server replies go through, delivering into dovecot), on SQLite and PostgreSQL. Fixtures in tests/channels/eml are
mails shaped as the real programs write them; postfix's own DSN bounces are tested as postfix writes them."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select

from omnidesk.channels.base import Author, ChannelConfig, OutboundMessage, Recipient, SendFailure
from omnidesk.channels.email.connector import EmailConnector, our_message
from omnidesk.channels.email.imap import Mailbox
from omnidesk.channels.email.parse import MailKind, parse_message, trim_quoted
from omnidesk.server.admin.models import Channel
from omnidesk.server.channel_settings.models import ChannelSettings
from omnidesk.server.conversations.models import Conversation, Message
from omnidesk.server.customers.models import Identity
from omnidesk.server.db import Database, utcnow
from omnidesk.server.email.models import MailAttachment, MailboxPosition, MailSkipped
from omnidesk.server.email.poller import MailboxReader, imap_settings, read_once
from omnidesk.server.email.service import create_email_channel, email_channels, store_mail
from tests.channels.mailservers import BUSY, DOMAIN, GONE, PASSWORD

EML = Path(__file__).parent / "eml"


def eml(name: str, **fill) -> bytes:
    raw = (EML / name).read_bytes()
    for key, value in fill.items():
        raw = raw.replace(b"{%s}" % key.upper().encode(), str(value).encode())
    return raw


# --- parsing (no servers) -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "subject", "text"),
    [
        ("cp1251.eml", "Выписка по счёту", "Прошу выслать выписку по счёту за ноябрь."),
        ("koi8r.eml", "Карта", "карта заблокирована после трёх неверных PIN"),
        ("koi8u.eml", "Ліміт", "Де подивитися ліміт картки?"),
    ],
)
def test_charsets_and_encoded_headers_read_as_written(name, subject, text):
    mail = parse_message((EML / name).read_bytes())
    assert mail.subject == subject
    assert text in mail.text
    assert mail.kind is MailKind.PERSON


def test_cp1251_sender_name_decoded_and_address_lowered():
    mail = parse_message((EML / "cp1251.eml").read_bytes())
    assert mail.from_name == "Иван Петров"
    assert mail.from_address == "ivan.petrov@customer.test"


def test_gmail_and_outlook_replies_are_trimmed_with_the_full_text_kept():
    gmail = parse_message(eml("gmail_reply.eml", channel=1, message=2))
    assert gmail.text == "Thank you, Friday suits me."
    assert "Your card is ready" in gmail.full_text
    assert gmail.in_reply_to == "<omnidesk.1.2@bank.test>" and our_message(gmail.in_reply_to) == (1, 2)
    outlook = parse_message((EML / "outlook_reply.eml").read_bytes())
    assert outlook.text == "Підписаний договір у вкладенні."
    assert "Надішліть, будь ласка" in outlook.full_text
    assert trim_quoted("Ok\n\n-----Original Message-----\nFrom: x") == "Ok"
    assert trim_quoted("Да.\n\n30.11.2026, 10:00, Bank пишет:\n> вопрос") == "Да."


def test_html_is_sanitised_tracking_pixels_dropped_inline_images_and_attachments_kept():
    mail = parse_message((EML / "newsletter.eml").read_bytes())
    html = mail.html
    assert "<script" not in html and "onclick" not in html and "onmouseover" not in html
    assert "javascript:" not in html and "<style" not in html
    assert "track.shop.customer.test" not in html  # the tracking pixel is gone
    assert 'src="cid:logo@shop"' in html
    files = {a.file_name: a for a in mail.attachments}
    assert files["logo.png"].inline and files["logo.png"].content_id == "logo@shop"
    assert files["offers.pdf"].content.startswith(b"%PDF") and not files["offers.pdf"].inline


def test_auto_replies_and_bounces_are_recognised():
    assert parse_message((EML / "autoreply.eml").read_bytes()).kind is MailKind.AUTO_REPLY
    bounce = parse_message(eml("bounce.eml", channel=3, message=44))
    assert bounce.kind is MailKind.BOUNCE
    assert bounce.bounce.original_message_id == "<omnidesk.3.44@bank.test>"
    assert bounce.bounce.status == "5.1.1" and "User unknown" in bounce.bounce.reason


@pytest.mark.parametrize(
    ("name", "kind", "action", "status", "recipient"),
    [
        ("bounce.eml", MailKind.BOUNCE, "failed", "5.1.1", "nobody@customer.test"),
        # A DSN that gives up after days of 4xx answers is a failure whatever its status class (RFC 3464 A.4).
        ("dsn_gave_up_rfc3464.eml", MailKind.BOUNCE, "failed", "4.0.0", "louisl@larry.slip.umd.edu"),
        ("dsn_relayed_postfix.eml", MailKind.DELIVERY_REPORT, "relayed", "2.0.0", "anna@customer.test"),
        ("dsn_delayed_postfix.eml", MailKind.DELIVERY_REPORT, "delayed", "4.4.1", "anna@customer.test"),
        ("dsn_delayed_rfc3464.eml", MailKind.DELIVERY_REPORT, "delayed", "4.0.0", "Mr.REMOTE.USER@REMOTE.DOMAIN"),
        ("mdn_rfc8098.eml", MailKind.READ_RECEIPT, "displayed", None, "Joe_Recipient@example.com"),
        ("mdn_thunderbird.eml", MailKind.READ_RECEIPT, "displayed", None, "anna@customer.test"),
        ("mdn_outlook.eml", MailKind.READ_RECEIPT, "displayed", None, "anna.kovalenko@customer.test"),
    ],
)
def test_delivery_reports_are_read_by_their_action_and_read_receipts_are_receipts(
    name, kind, action, status, recipient
):
    """RFC 3464: only a failed recipient is a bounce; delayed, delivered, relayed are reports. RFC 8098: an MDN is a
    read receipt about our reply, found by its Original-Message-ID (or the returned headers, or References)."""
    mail = parse_message(eml(name, channel=3, message=44))
    assert mail.kind is kind
    assert mail.bounce.action == action and mail.bounce.status == status and mail.bounce.recipient == recipient
    assert mail.bounce.original_message_id == "<omnidesk.3.44@bank.test>"
    assert not mail.attachments  # the report's parts are not files of a letter


def test_a_report_finds_its_reply_without_the_returned_headers_and_a_deleted_mdn_is_not_read():
    thunderbird = eml("mdn_thunderbird.eml", channel=3, message=44)
    head, _, _rest = thunderbird.partition(b"Content-Type: text/rfc822-headers")
    bare = head.replace(b"Original-Message-ID: <omnidesk.3.44@bank.test>\r\n", b"")
    mail = parse_message(bare + b"\r\n--------------oD5nK2vJ0p8zX1hQ7cR4yT3w--\r\n")
    assert mail.kind is MailKind.READ_RECEIPT
    assert mail.bounce.original_message_id == "<omnidesk.3.44@bank.test>"  # the last of its References
    deleted = parse_message(eml("mdn_outlook.eml", channel=3, message=44).replace(b"; displayed", b"; deleted"))
    assert deleted.kind is MailKind.READ_RECEIPT and deleted.bounce.action == "deleted"
    # A delivery report without an Action reads its Status class: 2.x.x delivered.
    relayed = eml("dsn_relayed_postfix.eml", channel=3, message=44).replace(b"Action: relayed\r\n", b"")
    assert parse_message(relayed).bounce.action == "delivered"
    # Outlook's out-of-office (auto-replied, no report) stays an auto-reply.
    ooo = (EML / "autoreply.eml").read_bytes()
    assert parse_message(ooo).kind is MailKind.AUTO_REPLY and parse_message(ooo).bounce is None


@pytest.mark.parametrize(
    "header",
    [
        "Auto-Submitted: auto-replied",
        "Auto-Submitted: auto-generated",
        "X-Autoreply: yes",
        "Precedence: auto_reply",
        "Precedence: bulk",
        "Precedence: list",
    ],
)
def test_out_of_office_headers_make_an_auto_reply_not_a_report(header):
    raw = (
        f"From: Anna <anna@customer.test>\r\nTo: support@{DOMAIN}\r\nSubject: Re: Card delivery\r\n"
        f"Message-ID: <ooo.1@customer.test>\r\nIn-Reply-To: <omnidesk.3.44@bank.test>\r\n{header}\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n\r\nI am away until Monday.\r\n"
    ).encode()
    mail = parse_message(raw)
    assert mail.kind is MailKind.AUTO_REPLY and mail.bounce is None
    assert parse_message(raw.replace(header.encode() + b"\r\n", b"")).kind is MailKind.PERSON


# --- against dovecot ------------------------------------------------------------------------------------------------


def _clear(servers, user: str) -> None:
    """A fresh mailbox (dovecot recreates the Maildir with a new UIDVALIDITY and UIDs from 1)."""
    shutil.rmtree(servers.maildir(user), ignore_errors=True)


async def _channel(db: Database, servers, **kw):
    async with db.session() as session:
        channel = await create_email_channel(
            session,
            name="Support mailbox",
            address=f"support@{DOMAIN}",
            username="support",
            password=PASSWORD,
            imap_host="127.0.0.1",
            imap_port=servers.imap_port,
            imap_tls=False,
            smtp_host="127.0.0.1",
            smtp_port=servers.smtp_port,
            smtp_security="none",
            signature="Bank Support, +380 44 000 00 00",
            **kw,
        )
        await session.commit()
        channel_id = channel.id
    ((ref, options, secrets),) = [c for c in await email_channels(db) if c[0].id == channel_id]
    return ref, options, secrets


@pytest.fixture
async def mailbox_db(db_url, mail_servers):
    for user in mail_servers.users:
        _clear(mail_servers, user)
    db = Database(db_url, pool_size=3)
    yield db, mail_servers
    await db.dispose()


def _mail(n: int, sender: str = "anna@customer.test", subject: str = "Card", extra: str = "") -> bytes:
    return (
        f"From: Anna <{sender}>\r\nTo: support@{DOMAIN}\r\nSubject: {subject}\r\n"
        f"Message-ID: <m{n}.{subject.replace(' ', '')}@customer.test>\r\n"
        f"Date: Tue, 1 Dec 2026 10:0{n % 10}:00 +0200\r\n"
        f"{extra}Content-Type: text/plain; charset=utf-8\r\n\r\nmessage {n}\r\n"
    ).encode()


async def _count(db: Database, model, *where) -> int:
    async with db.session() as session:
        return await session.scalar(select(func.count()).select_from(model).where(*where))


async def test_password_is_stored_encrypted_and_never_plain(mailbox_db):
    db, servers = mailbox_db
    ref, _options, secrets = await _channel(db, servers)
    assert secrets == {"password": PASSWORD}
    async with db.session() as session:
        row = await session.get(ChannelSettings, ref.id)
        assert PASSWORD not in (row.secrets or "") and "password" not in row.options
        assert (await session.get(Channel, ref.id)).kind == "email"


async def test_imap_ingest_is_exactly_once_across_reconnects_and_threads_replies(mailbox_db):
    db, servers = mailbox_db
    channel, options, secrets = await _channel(db, servers)
    for n in range(3):
        servers.deliver("support", _mail(n, subject=f"Topic {n}"))
    async with Mailbox(imap_settings(options, secrets)) as box:
        assert await read_once(db, channel, options, box) == 3
        assert await read_once(db, channel, options, box) == 0
    # A reconnect (a restart) reads from the saved UID: nothing twice.
    async with Mailbox(imap_settings(options, secrets)) as box:
        assert await read_once(db, channel, options, box) == 0
        uidvalidity = box.uidvalidity
    async with db.session() as session:
        pos = await session.get(MailboxPosition, (channel.id, "INBOX"))
        assert pos.uidvalidity == uidvalidity and pos.last_uid == 3
    assert await _count(db, Message, Message.channel_id == channel.id) == 3
    # Three subjects from one address: one customer, three conversations.
    async with db.session() as session:
        convs = (
            await session.execute(
                select(Conversation.id, Conversation.customer_id)
                .where(Conversation.channel_id == channel.id)
                .order_by(Conversation.id)
            )
        ).all()
    assert len(convs) == 3 and len({c.customer_id for c in convs}) == 1
    # A reply by In-Reply-To joins the first; a reply with only "Re:" and the same sender joins by subject.
    servers.deliver("support", _mail(5, subject="Re: Topic 0", extra="In-Reply-To: <m0.Topic0@customer.test>\r\n"))
    servers.deliver("support", _mail(6, subject="RE: Topic 2"))
    # The same mail delivered twice (a client re-sending it) is one message.
    servers.deliver("support", _mail(6, subject="RE: Topic 2"))
    servers.deliver("support", (EML / "autoreply.eml").read_bytes())
    async with Mailbox(imap_settings(options, secrets)) as box:
        assert await read_once(db, channel, options, box) == 4
    async with db.session() as session:
        rows = (
            await session.execute(
                select(Message.conversation_id, Message.text)
                .where(Message.channel_id == channel.id)
                .order_by(Message.id)
            )
        ).all()
    assert [r.conversation_id for r in rows] == [convs[0].id, convs[1].id, convs[2].id, convs[0].id, convs[2].id]
    assert await _count(db, Conversation, Conversation.channel_id == channel.id) == 3  # the auto-reply opened none
    assert await _count(db, MailSkipped, MailSkipped.kind == "auto_reply") == 1


async def test_charsets_attachments_and_html_stored_through_imap(mailbox_db):
    db, servers = mailbox_db
    channel, options, secrets = await _channel(db, servers)
    for name in ("cp1251.eml", "koi8r.eml", "koi8u.eml", "newsletter.eml"):
        servers.deliver("support", (EML / name).read_bytes())
    async with Mailbox(imap_settings(options, secrets)) as box:
        assert await read_once(db, channel, options, box) == 4
    async with db.session() as session:
        texts = (
            await session.scalars(select(Message.text).where(Message.channel_id == channel.id).order_by(Message.id))
        ).all()
        files = (await session.scalars(select(MailAttachment.file_name).order_by(MailAttachment.id))).all()
        emails = set((await session.scalars(select(Identity.value).where(Identity.kind == "email"))).all())
    assert "выписку по счёту" in texts[0] and "трёх неверных" in texts[1] and "ліміт картки" in texts[2]
    assert files == ["logo.png", "offers.pdf"]
    assert {"ivan.petrov@customer.test", "oleg@customer.test", "mykola@customer.test"} <= emails


async def test_uidvalidity_change_rereads_the_folder_without_doubles(mailbox_db):
    db, servers = mailbox_db
    channel, options, secrets = await _channel(db, servers)
    servers.deliver("support", _mail(1))
    async with Mailbox(imap_settings(options, secrets)) as box:
        await read_once(db, channel, options, box)
    async with db.session() as session:  # as if the folder had been recreated on the server
        pos = await session.get(MailboxPosition, (channel.id, "INBOX"))
        pos.uidvalidity, pos.last_uid = 1, 99
        await session.commit()
    servers.deliver("support", _mail(2))
    async with Mailbox(imap_settings(options, secrets)) as box:
        assert await read_once(db, channel, options, box) == 2  # the whole folder again
    assert await _count(db, Message, Message.channel_id == channel.id) == 2


async def test_one_reader_per_mailbox_the_standby_takes_over(mailbox_db):
    db, servers = mailbox_db
    if db.sqlite:
        pytest.skip("the advisory lock is PostgreSQL's; SQLite runs one server process")
    channel, options, secrets = await _channel(db, servers, poll_interval=0.2)
    db2 = Database(str(db.engine.url).replace("postgresql+asyncpg", "postgresql"), pool_size=2)
    first = MailboxReader(db, channel, options, secrets, standby_interval=0.2)
    second = MailboxReader(db2, channel, options, secrets, standby_interval=0.2)
    t1 = asyncio.create_task(first.run())
    await asyncio.wait_for(first.holding.wait(), 10)
    t2 = asyncio.create_task(second.run())
    servers.deliver("support", _mail(1))
    for _ in range(100):
        if await _count(db, Message, Message.channel_id == channel.id) == 1:
            break
        await asyncio.sleep(0.1)
    assert not second.holding.is_set()
    t1.cancel()  # the holder dies: its connection closes, the lock goes
    await asyncio.gather(t1, return_exceptions=True)
    await asyncio.wait_for(second.holding.wait(), 10)
    servers.deliver("support", _mail(2))
    for _ in range(100):
        if await _count(db, Message, Message.channel_id == channel.id) == 2:
            break
        await asyncio.sleep(0.1)
    t2.cancel()
    await asyncio.gather(t2, return_exceptions=True)
    await db2.dispose()
    assert await _count(db, Message, Message.channel_id == channel.id) == 2


# --- sending --------------------------------------------------------------------------------------------------------


def _outbound(channel_id: int, to: str, text: str = "Hello") -> OutboundMessage:
    return OutboundMessage(
        message_id=77,
        conversation_id=1,
        channel_id=channel_id,
        text=text,
        sent_at=utcnow(),
        recipient=Recipient(customer_id=1, name="Anna", address=to),
        author=Author(1, "op", "Operator"),
    )


async def test_smtp_5xx_is_permanent_with_the_servers_words_and_4xx_is_retried(mail_servers):
    config = ChannelConfig(
        1,
        "Support",
        secrets={},
        options={
            "address": f"support@{DOMAIN}",
            "smtp_host": "127.0.0.1",
            "smtp_port": mail_servers.smtp_port,
            "smtp_security": "none",
        },
    )
    connector = EmailConnector(config)
    with pytest.raises(SendFailure) as refused:
        await connector.send(None, _outbound(1, "nobody@customer.test"))
    # Postfix's own words for an address its virtual mailbox table lacks.
    assert not refused.value.retryable and "550" in refused.value.reason and "User unknown" in refused.value.reason
    with pytest.raises(SendFailure) as later:
        await connector.send(None, _outbound(1, BUSY))
    assert later.value.retryable and "451" in later.value.reason
    log = mail_servers.postfix.delivered()
    assert "reject: RCPT from localhost[127.0.0.1]: 550 5.1.1 <nobody@customer.test>" in log


async def test_reply_from_the_client_threads_in_the_customers_mailbox_and_a_bounce_marks_it_failed(api, mail_servers):
    for user in mail_servers.users:
        _clear(mail_servers, user)
    admin = await api.headers_for("admin", "admin")
    r = await api.client.post(
        "/api/v1/channels/email", headers=admin, json=mail_servers.channel_body(signature="Bank Support")
    )
    assert r.status_code == 201, r.text
    assert "password" not in r.text
    channel, options, secrets = next(c for c in await email_channels(api.db) if c[0].id == r.json()["id"])
    first = (
        b"From: Customer <customer@customer.test>\r\nTo: support@bank.test\r\nSubject: Card delivery\r\n"
        b"Message-ID: <CAF1x9=first@mail.gmail.com>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
        b"When will my card arrive?\r\n"
    )
    mail_servers.deliver("support", first)
    async with Mailbox(imap_settings(options, secrets)) as box:
        await read_once(api.db, channel, options, box)
    operator = await api.headers_for("op")
    convs = (await api.client.get("/api/v1/conversations", headers=operator)).json()["items"]
    conv_id = convs[0]["id"]
    r = await api.client.post(
        f"/api/v1/conversations/{conv_id}/messages",
        headers=operator,
        json={"text": "Your card is ready.", "client_key": "k1"},
    )
    assert r.status_code in (200, 201), r.text
    reply_id = r.json()["id"]
    for _ in range(100):
        inbox = mail_servers.read_inbox("customer")
        if inbox:
            break
        await asyncio.sleep(0.1)
    assert inbox, (
        (await api.client.get(f"/api/v1/conversations/{conv_id}/messages", headers=operator)).json()["items"][1].items()
    )
    (sent,) = inbox
    assert sent["In-Reply-To"] == "<CAF1x9=first@mail.gmail.com>"
    assert "<CAF1x9=first@mail.gmail.com>" in sent["References"]
    assert sent["Subject"] == "Re: Card delivery"
    assert our_message(sent["Message-ID"]) == (channel.id, reply_id)
    assert "Your card is ready." in sent.get_content() and "Bank Support" in sent.get_content()
    # It went through postfix, logged in as the mailbox (SASL against dovecot), and postfix delivered it over LMTP.
    assert any("(Postfix) with ESMTPA" in hop for hop in sent.get_all("Received"))
    log = mail_servers.postfix.delivered()
    assert "sasl_username=support" in log and "to=<customer@customer.test>" in log and "status=sent" in log
    # The customer's answer to our reply joins the conversation.
    mail_servers.deliver(
        "support",
        eml("gmail_reply.eml", channel=channel.id, message=reply_id).replace(
            b"anna.kovalenko@customer.test", b"customer@customer.test"
        ),
    )
    # A bounce of our reply marks it failed with the remote server's words.
    mail_servers.deliver("support", eml("bounce.eml", channel=channel.id, message=reply_id))
    async with Mailbox(imap_settings(options, secrets)) as box:
        await read_once(api.db, channel, options, box)  # the server's own reader may be first: no matter
    messages = (await api.client.get(f"/api/v1/conversations/{conv_id}/messages", headers=operator)).json()["items"]
    texts = [m["text"] for m in messages]
    assert "Thank you, Friday suits me." in texts
    ours = next(m for m in messages if m["id"] == reply_id)
    assert ours["delivery_status"] == "failed" and "5.1.1" in ours["delivery_error"]
    # The letter view: headers, the full text with the quote, audited.
    inbound = next(m for m in messages if m["text"] == "Thank you, Friday suits me.")
    letter = (await api.client.get(f"/api/v1/messages/{inbound['id']}/mail", headers=operator)).json()
    assert letter["subject"] == "Re: Card delivery" and "Your card is ready" in letter["full_text"]
    # Our reply reads as the letter that went out: the mailbox's From, the thread's headers, the signature.
    ours_letter = (await api.client.get(f"/api/v1/messages/{reply_id}/mail", headers=operator)).json()
    assert ours_letter["direction"] == "out" and ours_letter["rfc_message_id"] == sent["Message-ID"]
    assert ours_letter["from_address"] == "support@bank.test" and ours_letter["to"] == ["customer@customer.test"]
    assert ours_letter["subject"] == "Re: Card delivery" and ours_letter["in_reply_to"] == sent["In-Reply-To"]
    assert "Your card is ready." in ours_letter["full_text"] and "Bank Support" in ours_letter["full_text"]
    assert ours_letter["text"] == "Your card is ready."
    # A newsletter's tracking pixel stays out until the operator asks for remote images.
    mail_servers.deliver("support", (EML / "newsletter.eml").read_bytes())
    async with Mailbox(imap_settings(options, secrets)) as box:
        await read_once(api.db, channel, options, box)  # the server's own reader may be first: no matter
    convs = (await api.client.get("/api/v1/conversations", headers=operator)).json()["items"]
    news = next(c for c in convs if c["id"] != conv_id)
    (item,) = (await api.client.get(f"/api/v1/conversations/{news['id']}/messages", headers=operator)).json()["items"]
    safe = (await api.client.get(f"/api/v1/messages/{item['id']}/mail", headers=operator)).json()
    assert "track.shop.customer.test" not in safe["html"]
    assert [a["file_name"] for a in safe["attachments"]] == ["logo.png", "offers.pdf"]
    r = await api.client.get(f"/api/v1/messages/{item['id']}/mail", headers=operator, params={"remote_images": True})
    assert "https://track.shop.customer.test/open.gif?u=42" in r.json()["html"] and "<script" not in r.json()["html"]
    pdf = next(a for a in safe["attachments"] if a["file_name"] == "offers.pdf")
    r = await api.client.get(f"/api/v1/mail-attachments/{pdf['id']}", headers=operator)
    assert r.content.startswith(b"%PDF") and r.headers["content-disposition"].startswith("attachment")
    outsider = await api.headers_for("outsider", queue_ids=[])
    assert (await api.client.get(f"/api/v1/mail-attachments/{pdf['id']}", headers=outsider)).status_code in (403, 404)


async def test_the_server_reads_a_mailbox_on_its_own_once_it_is_connected(api, mail_servers):
    """No test hand on the reader: the running server's mail worker starts a reader for the new channel (IDLE)."""
    for user in mail_servers.users:
        _clear(mail_servers, user)
    mail_servers.deliver("support", _mail(1, subject="Before"))
    admin = await api.headers_for("admin", "admin")
    r = await api.client.post("/api/v1/channels/email", headers=admin, json=mail_servers.channel_body())
    assert r.status_code == 201
    operator = await api.headers_for("op")

    async def texts() -> list[str]:
        items = (await api.client.get("/api/v1/conversations", headers=operator)).json()["items"]
        return sorted(c["last_message_preview"] for c in items)

    for _ in range(150):
        if await texts() == ["message 1"]:
            break
        await asyncio.sleep(0.1)
    assert await texts() == ["message 1"]
    mail_servers.deliver("support", _mail(2, subject="While idle"))  # announced by IDLE, not by a poll
    for _ in range(150):
        if await texts() == ["message 1", "message 2"]:
            break
        await asyncio.sleep(0.1)
    assert await texts() == ["message 1", "message 2"]


async def test_a_reply_postfix_cannot_deliver_comes_back_as_postfixs_bounce_and_is_marked_failed(api, mail_servers):
    """Postfix accepts the reply, the mail store refuses the recipient after the SMTP transaction: postfix mails our
    mailbox its DSN (multipart/report), the server's own reader reads it and marks the reply failed in its words."""
    for user in mail_servers.users:
        _clear(mail_servers, user)
    admin = await api.headers_for("admin", "admin")
    r = await api.client.post("/api/v1/channels/email", headers=admin, json=mail_servers.channel_body())
    assert r.status_code == 201, r.text
    mail_servers.deliver(
        "support",
        f"From: Gone <{GONE}>\r\nTo: support@{DOMAIN}\r\nSubject: Statement\r\nMessage-ID: <gone-1@customer.test>\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n\r\nPlease send my statement.\r\n".encode(),
    )
    operator = await api.headers_for("op")
    conv_id = None
    for _ in range(150):  # the server's mail worker reads the mailbox on its own
        items = (await api.client.get("/api/v1/conversations", headers=operator)).json()["items"]
        if items:
            conv_id = items[0]["id"]
            break
        await asyncio.sleep(0.1)
    assert conv_id, "the server's reader did not read the mail"
    r = await api.client.post(
        f"/api/v1/conversations/{conv_id}/messages", headers=operator, json={"text": "Attached.", "client_key": "g1"}
    )
    assert r.status_code in (200, 201), r.text
    reply_id = r.json()["id"]
    ours: dict = {}
    for _ in range(300):
        messages = (await api.client.get(f"/api/v1/conversations/{conv_id}/messages", headers=operator)).json()
        ours = next(m for m in messages["items"] if m["id"] == reply_id)
        if ours["delivery_status"] == "failed":
            break
        await asyncio.sleep(0.1)
    log = mail_servers.postfix.delivered()
    assert f"to=<{GONE}>" in log and "status=bounced" in log and "sender non-delivery notification" in log, log
    assert ours["delivery_status"] == "failed", ours
    assert "5.1.1" in ours["delivery_error"] and "User doesn't exist" in ours["delivery_error"], ours
    # The bounce opened no conversation of its own.
    items = (await api.client.get("/api/v1/conversations", headers=operator)).json()["items"]
    assert [c["id"] for c in items] == [conv_id]


async def _wait_for(check, what: str, tries: int = 300):
    for _ in range(tries):
        found = await check()
        if found:
            return found
        await asyncio.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


async def test_postfixs_delivery_report_and_a_read_receipt_raise_the_reply_to_delivered_then_read(api, mail_servers):
    """The mailbox asks for reports: postfix delivers our reply and mails its own success DSN (multipart/report,
    report-type=delivery-status, Action: relayed, as dovecot's LMTP offers no DSN), the server's reader makes the
    reply delivered; the customer's Outlook read receipt (MDN) makes it read; a late success DSN and a delay warning
    change nothing after that. No report opens a conversation, becomes a customer message or marks anything
    failed."""
    for user in mail_servers.users:
        _clear(mail_servers, user)
    admin = await api.headers_for("admin", "admin")
    body = mail_servers.channel_body(delivery_reports=True, read_receipts=True)
    r = await api.client.post("/api/v1/channels/email", headers=admin, json=body)
    assert r.status_code == 201, r.text
    channel_id = r.json()["id"]
    mail_servers.deliver(
        "support",
        b"From: Customer <customer@customer.test>\r\nTo: support@bank.test\r\nSubject: Card delivery\r\n"
        b"Message-ID: <CAF1x9=first@mail.gmail.com>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
        b"When will my card arrive?\r\n",
    )
    operator = await api.headers_for("op")

    async def conversations():
        return (await api.client.get("/api/v1/conversations", headers=operator)).json()["items"]

    (conv,) = await _wait_for(conversations, "the server's reader to read the customer's mail")
    r = await api.client.post(
        f"/api/v1/conversations/{conv['id']}/messages",
        headers=operator,
        json={"text": "Your card is ready.", "client_key": "dsn-1"},
    )
    assert r.status_code in (200, 201), r.text
    reply_id = r.json()["id"]
    seen: list[str] = []

    async def reply():
        items = (await api.client.get(f"/api/v1/conversations/{conv['id']}/messages", headers=operator)).json()
        ours = next(m for m in items["items"] if m["id"] == reply_id)
        if not seen or seen[-1] != ours["delivery_status"]:
            seen.append(ours["delivery_status"])
        return ours, items["items"]

    async def reaches(state: str):
        ours, _items = await reply()
        return ours if ours["delivery_status"] == state else None

    ours = await _wait_for(lambda: reaches("delivered"), "postfix's success DSN to make the reply delivered")
    assert ours["delivery_error"] is None
    (sent,) = mail_servers.read_inbox("customer")
    assert sent["Disposition-Notification-To"] == "support@bank.test"
    log = mail_servers.postfix.delivered()
    assert "sender delivery status notification" in log, log  # postfix's own DSN, not a fixture
    # The customer opens it in Outlook, which sends its read receipt.
    mail_servers.deliver(
        "support",
        eml("mdn_outlook.eml", channel=channel_id, message=reply_id).replace(
            b"anna.kovalenko@customer.test", b"customer@customer.test"
        ),
    )
    await _wait_for(lambda: reaches("read"), "the read receipt to make the reply read")
    # Late reports never take it back: a success DSN of another hop and a delay warning.
    mail_servers.deliver("support", eml("dsn_relayed_postfix.eml", channel=channel_id, message=reply_id))
    mail_servers.deliver("support", eml("dsn_delayed_postfix.eml", channel=channel_id, message=reply_id))

    async def recorded():
        kinds = await _kinds(api.db, channel_id)
        return kinds if kinds.count("delivery_report") == 3 and "read_receipt" in kinds else None

    kinds = await _wait_for(recorded, "the reader to record the late reports")
    assert sorted(kinds) == ["delivery_report", "delivery_report", "delivery_report", "read_receipt"]
    ours, items = await reply()
    assert ours["delivery_status"] == "read" and ours["delivery_error"] is None
    order = ["queued", "sent", "delivered", "read"]
    assert "failed" not in seen and seen == sorted(seen, key=order.index) and seen[-2:] == order[-2:], seen
    dsn = next(m for m in mail_servers.read_inbox("support") if m["Subject"] == "Successful Mail Delivery Report")
    assert "Action: relayed" in dsn.as_string() and "Status: 2.0.0" in dsn.as_string()
    # Nothing but the customer's mail and our reply in the conversation; no conversation of its own for any report.
    assert [m["id"] for m in items if m["direction"] == "in"] != [] and len(items) == 2, items
    assert [c["id"] for c in await conversations()] == [conv["id"]]
    assert await _count(api.db, Message, Message.channel_id == channel_id) == 2
    async with api.db.session() as session:
        about = set((await session.scalars(select(MailSkipped.about_message_id))).all())
    assert about == {reply_id}


async def _kinds(db: Database, channel_id: int) -> list[str]:
    async with db.session() as session:
        return list((await session.scalars(select(MailSkipped.kind).where(MailSkipped.channel_id == channel_id))).all())


async def test_reports_move_a_reply_only_forward_a_delay_keeps_it_sent_and_a_failure_stays(api, mail_servers):
    """Each report through store_mail (the reader's one path): a delay warning leaves the reply sent with the delay
    noted; a 'deleted' MDN is no read; a displayed MDN makes it read, and a bounce after that leaves it read. A reply
    that bounced stays failed whatever success report comes after. A report about a mail not ours changes nothing."""
    for user in mail_servers.users:
        _clear(mail_servers, user)
    admin = await api.headers_for("admin", "admin")
    r = await api.client.post("/api/v1/channels/email", headers=admin, json=mail_servers.channel_body())
    assert r.status_code == 201, r.text
    channel, options, _secrets = next(c for c in await email_channels(api.db) if c[0].id == r.json()["id"])
    mail_servers.deliver("support", _mail(1, sender="customer@customer.test"))
    operator = await api.headers_for("op")

    async def conversations():
        return (await api.client.get("/api/v1/conversations", headers=operator)).json()["items"]

    (conv,) = await _wait_for(conversations, "the server's reader to read the customer's mail")

    async def reply(key: str) -> int:
        r = await api.client.post(
            f"/api/v1/conversations/{conv['id']}/messages", headers=operator, json={"text": key, "client_key": key}
        )
        assert r.status_code in (200, 201), r.text
        return r.json()["id"]

    async def state(message_id: int):
        async with api.db.session() as session:
            row = await session.get(Message, message_id, populate_existing=True)
            return row.delivery_status, row.delivery_error

    async def store(name: str, message_id: int, *replace: tuple[bytes, bytes]):
        raw = eml(name, channel=channel.id, message=message_id)
        for old, new in replace:
            raw = raw.replace(old, new)
        return await store_mail(api.db, channel, options, raw)

    first, second = await reply("first"), await reply("second")
    for m in (first, second):
        await _wait_for(lambda m=m: _is_sent(state, m), f"reply {m} to be sent")
    result = await store("dsn_delayed_postfix.eml", first)
    assert (result.outcome, result.message_id) == ("delivery_report", first)
    assert await state(first) == ("sent", None)
    async with api.db.session() as session:
        noted = await session.scalar(select(MailSkipped.reason).where(MailSkipped.about_message_id == first))
    assert noted.startswith("delayed: 4.4.1") and "Connection timed out" in noted
    deleted = await store("mdn_thunderbird.eml", first, (b"; displayed", b"; deleted"), (b"<7c1e", b"<del-7c1e"))
    assert deleted.outcome == "read_receipt" and await state(first) == ("sent", None)
    assert (await store("mdn_rfc8098.eml", first)).outcome == "read_receipt"
    assert await state(first) == ("read", None)
    assert (await store("bounce.eml", first)).outcome == "bounce"
    assert await state(first) == ("read", None)
    assert (await store("dsn_relayed_postfix.eml", first)).outcome == "delivery_report"
    assert await state(first) == ("read", None)
    # The second reply bounces: failed, and no later success report or receipt hides that.
    await store("dsn_gave_up_rfc3464.eml", second)
    status, error = await state(second)
    assert status == "failed" and "4.0.0" in error and "426 connection timed out" in error
    await store("dsn_relayed_postfix.eml", second, (b"4Q1x7Z0cKd@", b"second@"))
    await store("mdn_outlook.eml", second, (b"<AM9PR", b"<second-AM9PR"))
    assert (await state(second))[0] == "failed"
    # A report about a mail this server never sent.
    stranger = await store("mdn_thunderbird.eml", 0, (b"omnidesk.", b"elsewhere."), (b"<7c1e", b"<x-7c1e"))
    assert (stranger.outcome, stranger.message_id) == ("read_receipt", None)
    assert [c["id"] for c in await conversations()] == [conv["id"]]
    assert await _count(api.db, Message, Message.channel_id == channel.id) == 3


async def _is_sent(state, message_id: int) -> bool:
    return (await state(message_id))[0] == "sent"
