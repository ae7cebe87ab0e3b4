"""The Meta connector (Messenger and Instagram) against a loopback Graph API: verification, signature, webhook
events, the 24-hour / 7-day window, Send API bodies, comment answers, errors and webhook registration."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import secrets

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
from omnidesk.channels.meta.connector import InstagramConnector, MetaConnector
from omnidesk.domain.reply_window import WindowState, reply_window
from tests.channels.ch2_loopback import Platform, Seen, fixture

APP_ID = "1517776481860111"
APP_SECRET = "6f1c0b6a4c2f4a1d9e8b7a6c5d4e3f21"
VERIFY = "omnidesk-verify-7c1e"
PAGE = "107942345678901"
IG = "17841405793187218"
PSID = "6789012345678901"
IGSID = "1234567890123456"
PAGE_TOKEN = "EAAG-page-token"
NOW = dt.datetime(2026, 12, 2, 12, 0, tzinfo=dt.UTC)


class FakeGraph:
    def __init__(self) -> None:
        self.errors: list[tuple[int, dict]] = []
        self.next_id = 0
        self.verifications: list[str] = []
        self.media = b"\xff\xd8\xff" + b"2" * 40

    def __call__(self, seen: Seen):
        if seen.path.startswith("/media/"):
            return 200, self.media, {"Content-Type": "image/jpeg"}
        path = seen.path.removeprefix("/v21.0")
        app_call = path == f"/{APP_ID}/subscriptions"
        expected = f"Bearer {APP_ID}|{APP_SECRET}" if app_call else f"Bearer {PAGE_TOKEN}"
        if seen.headers.get("authorization") != expected:
            return 400, {"error": {"message": "Invalid OAuth access token", "type": "OAuthException", "code": 190}}
        if self.errors:
            status, error = self.errors.pop(0)
            return status, {"error": {"type": "OAuthException", "fbtrace_id": "AbC", **error}}, {"Retry-After": "30"}
        if path in (f"/{PAGE}/messages", f"/{IG}/messages"):
            self.next_id += 1
            body = seen.json() if seen.headers["content-type"].startswith("application/json") else seen.form()
            recipient = body["recipient"] if isinstance(body["recipient"], dict) else json.loads(body["recipient"])
            return 200, {"recipient_id": recipient.get("id", PSID), "message_id": f"m_sent{self.next_id}"}
        if path.endswith("/replies") or path.endswith("/comments"):
            self.next_id += 1
            return 200, {"id": f"1786{self.next_id}"}
        if app_call:
            form = seen.form()
            challenge = secrets.token_hex(8)
            answer = httpx.get(
                form["callback_url"],
                params={"hub.mode": "subscribe", "hub.verify_token": form["verify_token"], "hub.challenge": challenge},
            )
            self.verifications.append("ok" if answer.text == challenge else f"failed {answer.status_code}")
            if answer.text != challenge:
                return 400, {"error": {"message": "The URL couldn't be validated", "code": 2200}}
            return 200, {"success": True}
        if path.endswith("/subscribed_apps"):
            return 200, {"success": True}
        if path == "/17895695668004550":
            return 200, {"id": "17895695668004550", "caption": "Нова колекція: сукні ручної роботи"}
        return 404, {"error": {"message": "Unknown path", "code": 803}}


@pytest.fixture
def graph():
    fake = FakeGraph()
    platform = Platform(fake).start()
    platform.fake = fake
    yield platform
    platform.stop()


def connector(kind: str = "meta", api_base: str | None = None, **secrets_) -> MetaConnector:
    keys = {"app_secret": APP_SECRET, "verify_token": VERIFY, "page_access_token": PAGE_TOKEN, **secrets_}
    account = {"page_id": PAGE} if kind == "meta" else {"account_id": IG}
    return connector_for(
        kind, ChannelConfig(5, "Bank Meta", api_base=api_base, secrets=keys, options={"app_id": APP_ID, **account})
    )


def signed(body: bytes, secret: str = APP_SECRET) -> InboundRequest:
    signature = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return InboundRequest("POST", {"x-hub-signature-256": signature}, {}, body)


def outbound(text="Вітаю!", last=NOW - dt.timedelta(hours=1), address=PSID, **kw) -> OutboundMessage:
    return OutboundMessage(
        message_id=63,
        conversation_id=9,
        channel_id=5,
        text=text,
        sent_at=NOW,
        recipient=Recipient(1, "Олена", address),
        author=Author(2, "ira", "Ірина"),
        last_inbound_at=last,
        **kw,
    )


# -- verification ------------------------------------------------------------------------------------------------


def test_verification_get_echoes_the_challenge_only_for_our_verify_token():
    query = {"hub.mode": "subscribe", "hub.verify_token": VERIFY, "hub.challenge": "1158201444"}
    answer = connector().handshake(InboundRequest("GET", {}, query, b""))
    assert (answer.status, answer.body) == (200, "1158201444")
    for forged in ({**query, "hub.verify_token": "guess"}, {**query, "hub.mode": "unsubscribe"}, {}):
        with pytest.raises(Unverified):
            connector().handshake(InboundRequest("GET", {}, forged, b""))
    assert connector().handshake(signed(b"{}")) is None  # a POST is a delivery


def test_x_hub_signature_256_over_the_raw_body():
    body = fixture("meta", "messenger_text.json")
    connector().verify(signed(body))
    for request in (
        InboundRequest("POST", {}, {}, body),
        signed(body, secret="another app"),
        InboundRequest("POST", signed(body).headers, {}, body.replace(b"107942345678901", b"107942345678902")),
        InboundRequest("POST", {"x-hub-signature-256": "sha1=" + "0" * 40}, {}, body),
    ):
        with pytest.raises(Unverified):
            connector().verify(request)


# -- Messenger events --------------------------------------------------------------------------------------------


def test_messenger_text_quick_reply_attachments_location():
    [text] = connector().parse(signed(fixture("meta", "messenger_text.json")))
    assert (text.kind, text.sender.kind, text.sender.value) == (ItemKind.MESSAGE, "meta", PSID)
    assert text.external_id.startswith("m_AG5Hz2Uq") and text.text.startswith("Добрий день")
    assert text.sent_at == dt.datetime.fromtimestamp(1458692752.478, dt.UTC)
    quick, attached = connector().parse(signed(fixture("meta", "messenger_quick_reply_and_attachments.json")))
    assert quick.button == "block-card"
    assert [(a.kind, a.platform_id) for a in attached.attachments] == [
        ("image", "MEDIA_URL/receipt.jpg"),
        ("document", "MEDIA_URL/statement.pdf"),
    ]
    assert (attached.location.latitude, attached.location.longitude) == (50.4501, 30.5234)


def test_postback_with_referral_echoes_receipts_and_edits():
    [postback] = connector().parse(signed(fixture("meta", "messenger_postback.json")))
    assert (postback.button, postback.start_payload, postback.external_id) == (
        "GET_STARTED",
        "customer-7Hq2",
        "m_postback1",
    )
    echoes = connector().parse(signed(fixture("meta", "messenger_echo.json")))
    assert [(e.kind, e.external_id, e.sender.value) for e in echoes] == [(ItemKind.ECHO, "m_echo_inbox", PSID)]
    delivered1, delivered2, read = connector().parse(signed(fixture("meta", "messenger_receipts.json")))
    assert [(d.status, d.target_external_id) for d in (delivered1, delivered2)] == [
        (ReceiptStatus.DELIVERED, "m_sent1"),
        (ReceiptStatus.DELIVERED, "m_sent2"),
    ]
    assert (read.status, read.target_external_id) == (ReceiptStatus.READ, None)
    assert read.sent_at == dt.datetime.fromtimestamp(1458668856.253, dt.UTC)  # the watermark
    [edit] = connector().parse(signed(fixture("meta", "messenger_edit.json")))
    assert edit.kind is ItemKind.EDIT and edit.target_external_id.startswith("m_AG5Hz2Uq")


def test_entries_of_another_page_or_object_are_not_ours():
    body = fixture("meta", "messenger_text.json").replace(PAGE.encode(), b"999")
    assert connector().parse(signed(body)) == []
    with pytest.raises(ValueError):
        connector("instagram").parse(signed(fixture("meta", "messenger_text.json")))
    with pytest.raises(ValueError):
        connector().parse(signed(b"[1]"))


# -- Instagram ---------------------------------------------------------------------------------------------------


def test_instagram_messages_deletions_seen_and_comments():
    ig = connector("instagram")
    assert isinstance(ig, InstagramConnector)
    [message] = ig.parse(signed(fixture("meta", "instagram_message.json")))
    assert (message.sender.kind, message.sender.value) == ("instagram", IGSID)
    deleted, seen = ig.parse(signed(fixture("meta", "instagram_deleted_and_seen.json")))
    assert (deleted.kind, deleted.target_external_id) == (ItemKind.DELETION, message.external_id)
    assert (seen.kind, seen.status) == (ItemKind.RECEIPT, ReceiptStatus.READ) and seen.target_external_id
    [comment] = ig.parse(signed(fixture("meta", "instagram_comment.json")))
    assert comment.thread.kind == "comment" and comment.thread.external_id == "17865799348089039"
    assert (comment.sender.value, comment.sender.name) == (IGSID, "olena.shop")
    assert comment.raw["value"]["media"]["id"] == "17895695668004550"


# -- the window ---------------------------------------------------------------------------------------------------


def test_reply_window_rule():
    assert reply_window(None, NOW).state is WindowState.UNKNOWN
    assert reply_window(NOW - dt.timedelta(hours=23), NOW).state is WindowState.OPEN
    human = reply_window(NOW - dt.timedelta(hours=25), NOW)
    assert human.state is WindowState.HUMAN_AGENT and human.closes_at == NOW + dt.timedelta(days=5, hours=23)
    assert reply_window(NOW - dt.timedelta(days=8), NOW).state is WindowState.CLOSED
    assert reply_window(NOW - dt.timedelta(hours=25), NOW, extended=None).state is WindowState.CLOSED


def test_messaging_type_follows_the_window():
    meta = connector()
    assert meta.bodies(outbound(), NOW)[0]["messaging_type"] == "RESPONSE"
    tagged = meta.bodies(outbound(last=NOW - dt.timedelta(days=2)), NOW)[0]
    assert (tagged["messaging_type"], tagged["tag"]) == ("MESSAGE_TAG", "HUMAN_AGENT")
    with pytest.raises(SendFailure) as closed:
        meta.bodies(outbound(last=NOW - dt.timedelta(days=8)), NOW)
    assert not closed.value.retryable and closed.value.code == "window-closed"


# -- sending -----------------------------------------------------------------------------------------------------


async def test_send_text_buttons_quick_replies_and_files(graph):
    meta = connector(api_base=graph.url + "/v21.0")
    now = dt.datetime.now(dt.UTC)
    async with httpx.AsyncClient() as client:
        buttons = (Button("Заблокувати", "block-card"), Button("Сайт", url="https://bank.ua"))
        result = await meta.send(client, outbound("Оберіть дію", last=now, buttons=buttons))
        body = graph.calls(f"/v21.0/{PAGE}/messages")[0].json()
        assert body["recipient"] == {"id": PSID} and body["messaging_type"] == "RESPONSE"
        template = body["message"]["attachment"]["payload"]
        assert template["template_type"] == "button" and template["text"] == "Оберіть дію"
        assert [b["type"] for b in template["buttons"]] == ["postback", "web_url"]
        assert result.external_ids == ("m_sent1",)

        await meta.send(client, outbound("Так чи ні?", last=now, quick_replies=("Так", "Ні")))
        quick = graph.calls(f"/v21.0/{PAGE}/messages")[1].json()["message"]["quick_replies"]
        assert [q["title"] for q in quick] == ["Так", "Ні"]

        pdf = OutboundFile("tariffs.pdf", "application/pdf", b"%PDF-1.7 tariffs", kind="document")
        await meta.send(client, outbound("", last=now, files=(pdf,)))
        upload = graph.calls(f"/v21.0/{PAGE}/messages")[2]
        parts = upload.parts()
        assert parts["filedata"] == ("tariffs.pdf", b"%PDF-1.7 tariffs", "application/pdf")
        assert json.loads(parts["message"])["attachment"]["type"] == "file"

        long = await meta.send(client, outbound("слово " * 600, last=now))
        assert len(long.external_ids) == 2
        assert all(len(c.json()["message"]["text"]) <= 2000 for c in graph.calls(f"/v21.0/{PAGE}/messages")[3:])


async def test_instagram_comment_answers_public_and_private(graph):
    ig = connector("instagram", api_base=graph.url + "/v21.0")
    [comment] = ig.parse(signed(fixture("meta", "instagram_comment.json")))
    async with httpx.AsyncClient() as client:
        caption = await ig.post_context(client, comment.raw["value"]["media"]["id"])
        assert caption == "Нова колекція: сукні ручної роботи"
        private = outbound("Надіслали вам ціну в Direct", address=IGSID, thread=comment.thread, public=False)
        result = await ig.send(client, private)
        body = graph.calls(f"/v21.0/{IG}/messages")[0].json()
        assert body["recipient"] == {"comment_id": "17865799348089039"} and result.external_ids == ("m_sent1",)
        public = outbound("Доставка до Львова — 70 грн", address=IGSID, thread=comment.thread, public=True)
        result = await ig.send(client, public)
        call = graph.calls("/v21.0/17865799348089039/replies")[0]
        assert call.form()["message"] == "Доставка до Львова — 70 грн" and result.external_ids[0].startswith("comment:")
        with pytest.raises(SendFailure) as no_url:
            await ig.send(
                client, outbound("", address=IGSID, files=(OutboundFile("a.jpg", "image/jpeg", b"x", "image"),))
            )
        assert "public address" in no_url.value.reason


async def test_graph_errors_are_classified(graph):
    meta = connector(api_base=graph.url + "/v21.0")
    cases = [
        ((400, {"code": 613, "message": "Calls to this api have exceeded the rate limit."}), True, "613"),
        ((500, {"code": 2, "message": "Service temporarily unavailable", "is_transient": True}), True, "2"),
        ((400, {"code": 10, "error_subcode": 2018278, "message": "outside of allowed window"}), False, "10/2018278"),
        ((400, {"code": 551, "message": "This person isn't available right now."}), False, "551"),
    ]
    async with httpx.AsyncClient() as client:
        for error, retryable, code in cases:
            graph.fake.errors = [error]
            with pytest.raises(SendFailure) as failure:
                await meta.send(client, outbound(last=dt.datetime.now(dt.UTC)))
            assert (failure.value.retryable, failure.value.code) == (retryable, code)
            if retryable:
                assert failure.value.retry_after == 30.0  # the platform's own Retry-After
        with pytest.raises(SendFailure) as token:
            await connector(api_base=graph.url + "/v21.0", page_access_token="stale").send(client, outbound())
        assert not token.value.retryable and "token" in token.value.reason


async def test_register_webhook_is_verified_by_the_challenge(graph):
    meta = connector(api_base=graph.url + "/v21.0")

    def receiver(seen: Seen):
        try:
            answer = meta.handshake(InboundRequest(seen.method, seen.headers, seen.query, seen.body))
        except Unverified:
            return 403, b"forbidden"
        return 200, answer.body.encode()

    hook = Platform(receiver).start()
    try:
        async with httpx.AsyncClient() as client:
            result = await meta.register_webhook(client, hook.url + "/hook")
            assert result["app"] == {"success": True} and result["account"] == {"success": True}
            assert graph.fake.verifications == ["ok"]
            fields = graph.calls(f"/v21.0/{PAGE}/subscribed_apps")[0].form()["subscribed_fields"].split(",")
            assert {"messages", "message_echoes", "message_reads", "message_deliveries", "feed"} <= set(fields)
            wrong = connector(api_base=graph.url + "/v21.0", verify_token="other")
            with pytest.raises(SendFailure):
                await wrong.register_webhook(client, hook.url + "/hook")
            assert graph.fake.verifications[-1].startswith("failed 403")
    finally:
        hook.stop()


async def test_fetch_attachment(graph):
    body = fixture("meta", "messenger_quick_reply_and_attachments.json").replace(
        b"MEDIA_URL", (graph.url + "/media").encode()
    )
    attached = connector().parse(signed(body))[1]
    async with httpx.AsyncClient() as client:
        content, mime = await connector().fetch_attachment(client, attached.attachments[0])
    assert (content, mime) == (graph.fake.media, "image/jpeg")


async def test_instagram_sends_a_file_as_its_public_address(graph):
    """Instagram takes attachments by URL only (media_by_url): the address the outbox gives goes in the payload."""
    ig = connector("instagram", api_base=graph.url + "/v21.0")
    assert ig.capabilities.media_by_url and not connector("meta").capabilities.media_by_url
    address = "https://desk.example.com/files/sealed-token/a.jpg"
    async with httpx.AsyncClient() as client:
        picture = OutboundFile("a.jpg", "image/jpeg", b"\xff\xd8\xff", "image", url=address)
        await ig.send(client, outbound("", address=IGSID, files=(picture,)))
    [call] = graph.calls(f"/v21.0/{IG}/messages")
    attachment = json.loads(call.form()["message"])["attachment"]
    assert attachment == {"type": "image", "payload": {"url": address, "is_reusable": False}}
