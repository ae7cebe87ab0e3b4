"""The Viber connector against a loopback Viber REST bot API: signature, callbacks, sending, errors, set_webhook."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json

import httpx
import pytest

from omnidesk.channels import connector_for
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
    Unverified,
)
from omnidesk.channels.viber.connector import MAX_TEXT, ViberConnector
from tests.channels.ch2_loopback import Platform, Seen, fixture

TOKEN = "445da6az1s345z78-dazcczb2542zv51a-e0vc5fva17480im9"
USER = "01234567890A="


class FakeViber:
    """Viber's send_message / set_webhook as documented: HTTP 200 always, the outcome in ``status``."""

    def __init__(self) -> None:
        self.subscribed = {USER}
        self.statuses: list[int] = []  # scripted error statuses for the next sends
        self.next_token = 5741311803571721087
        self.media = b"\x89PNG\r\n\x1a\n" + b"0" * 64
        self.webhook_answers: list[int] = []

    def __call__(self, seen: Seen):
        if seen.path.startswith("/media/"):
            return 200, self.media, {"Content-Type": "image/png"}
        if seen.headers.get("x-viber-auth-token") != TOKEN:
            return 200, {"status": 2, "status_message": "invalidAuthToken"}
        body = seen.json()
        if seen.path == "/pa/send_message":
            if self.statuses:
                status = self.statuses.pop(0)
                return 200, {"status": status, "status_message": "scripted"}
            if body.get("receiver") not in self.subscribed:
                return 200, {"status": 6, "status_message": "receiverNotSubscribed"}
            if body.get("type") == "text" and len(body.get("text", "")) > MAX_TEXT:
                return 200, {"status": 3, "status_message": "badData"}
            if body.get("type") == "rich_media" and not _rich_media_ok(body):
                return 200, {"status": 3, "status_message": "badData"}
            self.next_token += 1
            return 200, {"status": 0, "status_message": "ok", "message_token": self.next_token, "billing_status": 1}
        if seen.path == "/pa/set_webhook":
            return self._set_webhook(body)
        if seen.path == "/pa/get_account_info":
            return 200, {"status": 0, "status_message": "ok", "id": "pa:75346594275468546724", "name": "Bank"}
        return 404, {"status": 1}

    def _set_webhook(self, body: dict):
        if body["url"] == "":
            return 200, {"status": 0, "status_message": "ok"}
        # Viber checks the address with a signed "webhook" callback before it accepts it.
        raw = json.dumps({"event": "webhook", "timestamp": 1457764197627, "message_token": 241256543215}).encode()
        signature = hmac.new(TOKEN.encode(), raw, hashlib.sha256).hexdigest()
        answer = httpx.post(body["url"], content=raw, headers={"X-Viber-Content-Signature": signature})
        self.webhook_answers.append(answer.status_code)
        if answer.status_code != 200:
            return 200, {"status": 1, "status_message": "invalidUrl"}
        return 200, {"status": 0, "status_message": "ok", "event_types": body.get("event_types")}


def _rich_media_ok(body: dict) -> bool:
    """Viber's documented rich media limits: API version 2+, 1-6 columns and 1-7 rows a card, every button inside."""
    media = body.get("rich_media") or {}
    columns, rows = media.get("ButtonsGroupColumns", 6), media.get("ButtonsGroupRows", 7)
    buttons = media.get("Buttons") or []
    return (
        body.get("min_api_version", 1) >= 2
        and 1 <= columns <= 6
        and 1 <= rows <= 7
        and 0 < len(buttons) <= 6 * columns * rows
        and all(b.get("Columns", 6) <= columns and b.get("Rows", 1) <= rows for b in buttons)
    )


@pytest.fixture
def viber():
    fake = FakeViber()
    platform = Platform(fake).start()
    platform.fake = fake
    yield platform
    platform.stop()


def connector(api_base: str | None = None, token: str = TOKEN) -> ViberConnector:
    return connector_for(
        "viber", ChannelConfig(3, "Bank Viber", api_base=api_base, secrets={"auth_token": token}, options={})
    )


def signed(body: bytes, token: str = TOKEN) -> InboundRequest:
    signature = hmac.new(token.encode(), body, hashlib.sha256).hexdigest()
    return InboundRequest("POST", {"x-viber-content-signature": signature}, {}, body)


def outbound(text: str = "Добрий день!", **kw) -> OutboundMessage:
    return OutboundMessage(
        message_id=41,
        conversation_id=7,
        channel_id=3,
        text=text,
        sent_at=dt.datetime.now(dt.UTC),
        recipient=Recipient(1, "John", USER),
        author=Author(2, "oksana", "Оксана"),
        **kw,
    )


# -- verification ------------------------------------------------------------------------------------------------


def test_signature_is_hmac_sha256_of_the_body_with_the_token():
    body = fixture("viber", "message_text.json")
    assert isinstance(connector(), ViberConnector)
    connector().verify(signed(body))
    forged = [
        InboundRequest("POST", {}, {}, body),  # no signature
        signed(body, token="another-bot-token"),  # signed with another key
        InboundRequest("POST", signed(body).headers, {}, body.replace(b"a message", b"A message")),  # body changed
    ]
    for request in forged:
        with pytest.raises(Unverified):
            connector().verify(request)
    with pytest.raises(Unverified):
        connector(token="").verify(signed(body, token=""))


# -- parsing the documented callbacks ----------------------------------------------------------------------------


def test_text_message():
    [item] = connector().parse(signed(fixture("viber", "message_text.json")))
    assert item.kind is ItemKind.MESSAGE
    assert item.external_id == "4912661846655238145"
    assert (item.sender.kind, item.sender.value, item.sender.name) == ("viber", USER, "John McClane")
    assert item.text == "a message to the service"
    assert item.sent_at == dt.datetime(2016, 3, 12, 6, 29, 57, 627000, tzinfo=dt.UTC)
    assert item.button is None and item.raw["message_token"] == 4912661846655238145


def test_media_contact_location_sticker_and_button():
    picture = connector().parse(signed(fixture("viber", "message_picture.json")))[0]
    assert [(a.kind, a.platform_id, a.file_name, a.caption) for a in picture.attachments] == [
        ("image", "MEDIA_URL/photo.jpg", "photo.jpg", "my card")
    ]
    document = connector().parse(signed(fixture("viber", "message_file.json")))[0]
    assert [(a.kind, a.file_name, a.size) for a in document.attachments] == [("document", "statement.pdf", 10000)]
    contact = connector().parse(signed(fixture("viber", "message_contact.json")))[0]
    assert (contact.contact.name, contact.contact.phone) == ("Itamar", "+972511123123")
    assert contact.identities == ()  # a contact card may be anyone's
    own = json.loads(fixture("viber", "message_contact.json"))
    own["message"]["tracking_data"] = "omnidesk:41:buttons:phone"  # the answer to our share-phone button
    [shared] = connector().parse(signed(json.dumps(own).encode()))
    assert [(i.kind, i.value) for i in shared.identities] == [("phone", "+972511123123")]
    location = connector().parse(signed(fixture("viber", "message_location.json")))[0]
    assert (location.location.latitude, location.location.longitude) == (50.4501, 30.5234)
    sticker = connector().parse(signed(fixture("viber", "message_sticker.json")))[0]
    assert [a.kind for a in sticker.attachments] == ["sticker"]
    button = connector().parse(signed(fixture("viber", "message_button.json")))[0]
    assert button.button == "card-blocked"


def test_subscription_events_deep_link_and_the_webhook_check():
    [subscribed] = connector().parse(signed(fixture("viber", "subscribed.json")))
    assert subscribed.kind is ItemKind.SUBSCRIBED and subscribed.sender.value == USER
    [unsubscribed] = connector().parse(signed(fixture("viber", "unsubscribed.json")))
    assert unsubscribed.kind is ItemKind.UNSUBSCRIBED and unsubscribed.sender.value == USER
    [started] = connector().parse(signed(fixture("viber", "conversation_started.json")))
    assert started.kind is ItemKind.MESSAGE and started.start_payload == "customer-7Hq2" and started.text is None
    assert connector().parse(signed(fixture("viber", "webhook.json"))) == []


def test_receipts_name_our_message_token():
    for name, status in (("delivered", ReceiptStatus.DELIVERED), ("seen", ReceiptStatus.READ)):
        [item] = connector().parse(signed(fixture("viber", f"{name}.json")))
        assert (item.kind, item.status, item.target_external_id) == (ItemKind.RECEIPT, status, "4912661846655238145")
    [failed] = connector().parse(signed(fixture("viber", "failed.json")))
    assert (failed.status, failed.error) == (ReceiptStatus.FAILED, "failure description")
    ids = {connector().parse(signed(fixture("viber", f"{n}.json")))[0].external_id for n in ("delivered", "seen")}
    assert len(ids) == 2  # two receipts of one message are two items


def test_unreadable_payloads_are_value_errors():
    for body in (b"not json", b"[]", json.dumps({"event": "message", "message_token": 1}).encode()):
        with pytest.raises(ValueError):
            connector().parse(signed(body))


# -- sending -------------------------------------------------------------------------------------------------------


async def test_send_text_with_keyboard_and_long_text(viber):
    async with httpx.AsyncClient() as client:
        result = await connector(viber.url + "/pa").send(
            client, outbound(buttons=(Button("Card blocked", "card-blocked"), Button("Site", url="https://bank.ua")))
        )
        assert len(result.external_ids) == 2  # the text (with the keyboard), then the link as a rich media card
        call, card_call = viber.calls("/pa/send_message")
        card = card_call.json()
        assert (card["type"], card["min_api_version"], card["receiver"]) == ("rich_media", 2, USER)
        [link] = card["rich_media"]["Buttons"]
        assert (link["ActionType"], link["ActionBody"], link["Text"]) == ("open-url", "https://bank.ua", "Site")
        assert card["rich_media"]["ButtonsGroupRows"] == 1 and card["alt_text"] == "Site: https://bank.ua"
        body = call.json()
        assert call.headers["x-viber-auth-token"] == TOKEN
        assert (body["receiver"], body["type"], body["text"]) == (USER, "text", "Добрий день!")
        assert body["sender"]["name"] == "Bank Viber"
        assert "keyboard" not in body  # the keyboard rides on the last message sent: the card
        assert card["keyboard"]["Type"] == "keyboard"
        assert [(b["ActionType"], b["ActionBody"]) for b in card["keyboard"]["Buttons"]] == [("reply", "card-blocked")]
        assert card["tracking_data"] == "omnidesk:41:buttons"

        long = await connector(viber.url + "/pa").send(client, outbound("слово " * 2000))
        assert len(long.external_ids) == 2
        assert all(len(c.json()["text"]) <= MAX_TEXT for c in viber.calls("/pa/send_message")[2:])

        links = tuple(Button(f"Branch {n}", url=f"https://bank.ua/b/{n}") for n in range(9))
        many = await connector(viber.url + "/pa").send(client, outbound("Our branches", buttons=links))
        cards = [c.json() for c in viber.calls("/pa/send_message")[-2:]]
        assert len(many.external_ids) == 3 and [c["rich_media"]["ButtonsGroupRows"] for c in cards] == [7, 2]
        assert [b["ActionBody"] for c in cards for b in c["rich_media"]["Buttons"]] == [b.url for b in links]


async def test_media_goes_by_public_url_and_is_refused_without_one(viber):
    async with httpx.AsyncClient() as client:
        file = OutboundFile("card.png", "image/png", b"png", kind="image", url="https://files.bank.ua/card.png")
        result = await connector(viber.url + "/pa").send(client, outbound("", files=(file,)))
        assert len(result.external_ids) == 1
        body = viber.calls("/pa/send_message")[0].json()
        assert (body["type"], body["media"]) == ("picture", "https://files.bank.ua/card.png")
        with pytest.raises(SendFailure) as refused:
            await connector(viber.url + "/pa").send(
                client, outbound(files=(OutboundFile("a.pdf", "application/pdf", b"x"),))
            )
        assert not refused.value.retryable and "public address" in refused.value.reason


async def test_errors_are_classified(viber):
    async with httpx.AsyncClient() as client:
        viber.fake.statuses = [12]
        with pytest.raises(SendFailure) as limited:
            await connector(viber.url + "/pa").send(client, outbound())
        assert limited.value.retryable and limited.value.code == "12" and limited.value.retry_after

        viber.fake.subscribed.clear()
        with pytest.raises(SendFailure) as unsubscribed:
            await connector(viber.url + "/pa").send(client, outbound())
        assert not unsubscribed.value.retryable and "subscrib" in unsubscribed.value.reason

        with pytest.raises(SendFailure) as bad_token:
            await connector(viber.url + "/pa", token="wrong").send(client, outbound())
        assert not bad_token.value.retryable and bad_token.value.code == "2"


async def test_http_failures_honour_retry_after():
    platform = Platform(lambda seen: (503, {"error": "down"}, {"Retry-After": "7"})).start()
    try:
        async with httpx.AsyncClient() as client:
            with pytest.raises(SendFailure) as down:
                await connector(platform.url + "/pa").send(client, outbound())
        assert down.value.retryable and down.value.retry_after == 7.0
    finally:
        platform.stop()


async def test_fetch_attachment_downloads_the_media_url(viber):
    body = fixture("viber", "message_picture.json").replace(b"MEDIA_URL", (viber.url + "/media").encode())
    [item] = connector().parse(signed(body))
    async with httpx.AsyncClient() as client:
        content, mime = await connector().fetch_attachment(client, item.attachments[0])
    assert content == viber.fake.media and mime == "image/png"


async def test_set_webhook_is_checked_by_a_signed_callback(viber):
    """set_webhook succeeds only when the address answers Viber's signed "webhook" event (verified, then 200)."""
    bot = connector(viber.url + "/pa")

    def receiver(seen: Seen):
        request = InboundRequest(seen.method, seen.headers, seen.query, seen.body)
        try:
            bot.verify(request)
        except Unverified:
            return 401, {"error": "unverified"}
        assert bot.parse(request) == []
        return 200, {}

    hook = Platform(receiver).start()
    try:
        async with httpx.AsyncClient() as client:
            answer = await bot.register_webhook(client, hook.url + "/hook")
            assert answer["status"] == 0 and "conversation_started" in answer["event_types"]
            assert viber.fake.webhook_answers == [200]
            info = await bot.account_info(client)
            assert info["name"] == "Bank"
            other = connector(viber.url + "/pa", token="wrong")
            with pytest.raises(SendFailure):
                await other.register_webhook(client, hook.url + "/hook")
    finally:
        hook.stop()
