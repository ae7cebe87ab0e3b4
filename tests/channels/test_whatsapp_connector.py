"""The WhatsApp connector against the documented payloads and a loopback Graph API server (no database)."""

from __future__ import annotations

import datetime as dt

import httpx
import pytest

from omnidesk.channels.base import (
    Author,
    Button,
    ChannelConfig,
    InboundRequest,
    ItemKind,
    OutboundFile,
    OutboundMessage,
    ReceiptStatus,
    Recipient,
    SendFailure,
    Template,
    Unverified,
)
from omnidesk.channels.whatsapp.connector import WhatsAppConnector
from tests.channels.platforms import FakeWhatsApp, fixture

VERIFY = "verify-me-42"


def connector(fake: FakeWhatsApp) -> WhatsAppConnector:
    return WhatsAppConnector(
        ChannelConfig(
            3,
            "WA",
            api_base=fake.url or None,
            secrets={"access_token": fake.access_token, "app_secret": fake.app_secret, "verify_token": VERIFY},
            options={"phone_number_id": fake.phone_number_id, "business_account_id": fake.business_account_id},
        )
    )


def signed(fake: FakeWhatsApp, payload, secret=None) -> InboundRequest:
    body, headers = fake.signed(payload, secret)
    return InboundRequest("POST", {k.lower(): v for k, v in headers.items()}, {}, body)


def outbound(text="Hello", last_in=None, **kw) -> OutboundMessage:
    now = dt.datetime.now(dt.UTC)
    return OutboundMessage(
        message_id=9,
        conversation_id=1,
        channel_id=3,
        text=text,
        sent_at=now,
        recipient=Recipient(1, "Sheena", address="+16505551234"),
        author=Author(1, "op", "Operator"),
        last_inbound_at=now - dt.timedelta(hours=1) if last_in is None else last_in,
        **kw,
    )


def test_verification_handshake_and_signature():
    fake = FakeWhatsApp()
    c = connector(fake)
    query = {"hub.mode": "subscribe", "hub.verify_token": VERIFY, "hub.challenge": "1158201444"}
    assert c.handshake(InboundRequest("GET", {}, query, b"")).body == "1158201444"
    with pytest.raises(Unverified):
        c.handshake(InboundRequest("GET", {}, {**query, "hub.verify_token": "nope"}, b""))
    c.verify(signed(fake, fixture("whatsapp", "text")))
    with pytest.raises(Unverified):
        c.verify(signed(fake, fixture("whatsapp", "text"), secret="another-secret"))
    body, _ = fake.signed(fixture("whatsapp", "text"))
    with pytest.raises(Unverified):
        c.verify(InboundRequest("POST", {}, {}, body))
    tampered = signed(fake, fixture("whatsapp", "text"))
    with pytest.raises(Unverified):
        c.verify(InboundRequest("POST", tampered.headers, {}, tampered.body.replace(b"color", b"colour")))


def test_every_fixture_parses():
    fake = FakeWhatsApp()
    c = connector(fake)
    parse = lambda name: c.parse(signed(fake, fixture("whatsapp", name)))  # noqa: E731
    (text,) = parse("text")
    assert text.kind is ItemKind.MESSAGE and text.external_id.startswith("wamid.")
    assert (text.sender.kind, text.sender.value, text.sender.name) == ("whatsapp", "+16505551234", "Sheena Nelson")
    assert text.text == "Does it come in another color?"
    assert [(i.kind, i.value) for i in text.identities] == [("phone", "+16505551234")]
    image = parse("image")[0]
    assert image.attachments[0].platform_id == "1003383421387256" and image.text == "The card"
    assert parse("document")[0].attachments[0].file_name == "statement.pdf"
    assert parse("voice")[0].attachments[0].kind == "voice"
    assert parse("video")[0].attachments[0].kind == "video"
    loc = parse("location")[0].location
    assert (loc.latitude, loc.name) == (37.483307, "Main office")
    assert parse("contacts")[0].contact.name == "Barbara J. Johnson"
    assert (parse("button_reply")[0].button, parse("button_reply")[0].text) == ("unblock:yes", "Yes, unblock")
    assert parse("list_reply")[0].button == "topic-cards"
    assert parse("template_button")[0].button == "STOP"
    assert parse("unsupported")[0].text == "Message type unknown"
    for name, status in (("sent", "SENT"), ("delivered", "DELIVERED"), ("read", "READ"), ("failed", "FAILED")):
        (receipt,) = parse(f"status_{name}")
        assert receipt.kind is ItemKind.RECEIPT and receipt.status is ReceiptStatus[status]
        assert receipt.target_external_id == "WAMID_PLACEHOLDER"
    assert "24 hours" in parse("status_failed")[0].error


def test_a_notification_for_another_number_is_not_this_channels():
    fake = FakeWhatsApp(phone_number_id="999")
    assert connector(fake).parse(signed(fake, fixture("whatsapp", "text"))) == []


async def test_send_text_buttons_media_and_template():
    async with FakeWhatsApp().running() as fake, httpx.AsyncClient() as client:
        c = connector(fake)
        result = await c.send(client, outbound("Hi"))
        assert fake.sent[-1] == {
            "messaging_product": "whatsapp",
            "recipient_type": "individual",
            "to": "16505551234",
            "type": "text",
            "text": {"preview_url": False, "body": "Hi"},
        }
        assert result.external_ids[0].startswith("wamid.")
        await c.send(client, outbound("Unblock?", buttons=(Button("Yes", "y"), Button("No", "n"))))
        assert fake.sent[-1]["interactive"]["action"]["buttons"] == [
            {"type": "reply", "reply": {"id": "y", "title": "Yes"}},
            {"type": "reply", "reply": {"id": "n", "title": "No"}},
        ]
        pdf = b"%PDF-1.4 test"
        await c.send(client, outbound("Your statement", files=(OutboundFile("st.pdf", "application/pdf", pdf),)))
        (media_id,) = fake.uploads
        assert fake.uploads[media_id] == ("application/pdf", pdf)
        assert fake.sent[-1]["document"] == {"id": media_id, "caption": "Your statement", "filename": "st.pdf"}
        old = dt.datetime.now(dt.UTC) - dt.timedelta(hours=25)
        count = len(fake.sent)
        with pytest.raises(SendFailure) as caught:
            await c.send(client, outbound("late", last_in=old))
        assert not caught.value.retryable and "24 hours" in caught.value.reason and len(fake.sent) == count
        await c.send(client, outbound("", last_in=old, template=Template("card_blocked", "uk", ("Olena",))))
        assert fake.sent[-1]["template"] == {
            "name": "card_blocked",
            "language": {"code": "uk"},
            "components": [{"type": "body", "parameters": [{"type": "text", "text": "Olena"}]}],
        }


async def test_graph_errors_are_classified_in_words():
    async with FakeWhatsApp().running() as fake, httpx.AsyncClient() as client:
        c = connector(fake)
        fake.fail(130429, "(#130429) Rate limit hit", details="Cloud API message throughput has been reached.")
        with pytest.raises(SendFailure) as caught:
            await c.send(client, outbound())
        assert caught.value.retryable and caught.value.retry_after == 60.0
        fake.fail(131026, "(#131026) Message Undeliverable")
        with pytest.raises(SendFailure) as caught:
            await c.send(client, outbound())
        assert not caught.value.retryable and "cannot be delivered" in caught.value.reason
        fake.fail(131000, "Something went wrong", status=500)
        with pytest.raises(SendFailure) as caught:
            await c.send(client, outbound())
        assert caught.value.retryable
        fake.access_token = "rotated"
        with pytest.raises(SendFailure) as caught:
            await c.send(client, outbound())
        assert not caught.value.retryable and "access token" in caught.value.reason


async def test_media_download_templates_and_health():
    async with FakeWhatsApp().running() as fake, httpx.AsyncClient() as client:
        c = connector(fake)
        fake.media["1003383421387256"] = ("image/jpeg", b"\xff\xd8\xff\xe0photo")
        (item,) = c.parse(signed(fake, fixture("whatsapp", "image")))
        assert await c.fetch_attachment(client, item.attachments[0]) == (b"\xff\xd8\xff\xe0photo", "image/jpeg")
        fake.templates = [
            {
                "name": f"t{i}",
                "language": "uk",
                "status": "APPROVED",
                "category": "UTILITY",
                "id": str(i),
                "components": [{"type": "BODY", "text": "Hello {{1}}, card {{2}}"}],
            }
            for i in range(5)
        ]
        found = await c.templates(client)
        assert [t.name for t in found] == ["t0", "t1", "t2", "t3", "t4"] and found[0].parameters == 2
        health = await c.health(client)
        assert health.ok and "15550783881" in health.checks[0][2]
