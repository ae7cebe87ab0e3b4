"""The VK connector against a loopback VK API: Callback API handshake and secret, events, comments, Long Poll, sends."""

from __future__ import annotations

import datetime as dt
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
    ThreadRef,
    Unverified,
)
from omnidesk.channels.vk import longpoll
from omnidesk.channels.vk.connector import VkConnector, random_id
from tests.channels.ch2_loopback import Platform, Seen, fixture

GROUP = 123456
SECRET = "Kx9vQ2s7"
CONFIRMATION = "f2c8b3a1"
TOKEN = "vk1.a.community-token"
CUSTOMER = 1111


class FakeVk:
    """The VK API methods the connector calls, as documented: POST /method/<name>, {"response"} or {"error"}."""

    def __init__(self) -> None:
        self.url = ""
        self.allowed = {CUSTOMER}
        self.sent: dict[tuple[int, int], int] = {}  # (peer_id, random_id) -> message id
        self.comments: dict[str, int] = {}  # guid -> comment id
        self.errors: list[int] = []
        self.next_id = 3000
        self.lp_updates: list[list[dict]] = []
        self.lp_key = "lp-key-1"
        self.confirmations: list[str] = []
        self.media = b"\xff\xd8\xff" + b"1" * 32

    def __call__(self, seen: Seen):
        if seen.path.startswith("/media/"):
            return 200, self.media, {"Content-Type": "image/jpeg"}
        if seen.path == "/upload/photo":
            assert seen.parts()["photo"][1]
            return 200, {"server": 1, "photo": '[{"photo":"x"}]', "hash": "h4sh"}
        if seen.path == "/upload/doc":
            assert seen.parts()["file"][1]
            return 200, {"file": "doc-upload-token"}
        if seen.path == "/lp":
            return self._long_poll(seen.query)
        form = seen.form()
        if form.get("access_token") != TOKEN or "access_token" in seen.query:
            return 200, {"error": {"error_code": 5, "error_msg": "User authorization failed"}}
        if not form.get("v"):
            return 200, {"error": {"error_code": 8, "error_msg": "Invalid request: v is required"}}
        if self.errors:
            code = self.errors.pop(0)
            return 200, {"error": {"error_code": code, "error_msg": "scripted", "request_params": []}}
        method = seen.path.removeprefix("/method/")
        if method == "messages.send" and int(form["peer_id"]) not in self.allowed:
            return 200, {"error": {"error_code": 901, "error_msg": "Can't send messages for users without permission"}}
        return 200, {"response": self.method(method, form)}

    def method(self, name: str, form: dict[str, str]):
        if name == "messages.send":
            peer, rid = int(form["peer_id"]), int(form["random_id"])
            if (peer, rid) not in self.sent:  # the same random_id is not delivered twice
                self.next_id += 1
                self.sent[(peer, rid)] = self.next_id
            return self.sent[(peer, rid)]
        if name == "wall.createComment":
            if form["guid"] not in self.comments:
                self.next_id += 1
                self.comments[form["guid"]] = self.next_id
            return {"comment_id": self.comments[form["guid"]], "parents_stack": [int(form["reply_to_comment"])]}
        if name == "wall.getById":
            return {"items": [{"id": 5, "owner_id": -GROUP, "text": "Мы открываем новое отделение на Тверской"}]}
        if name == "photos.getMessagesUploadServer":
            return {"upload_url": self.url + "/upload/photo", "album_id": -3, "group_id": GROUP}
        if name == "photos.saveMessagesPhoto":
            assert form["hash"] == "h4sh"
            return [{"id": 457239999, "owner_id": -GROUP, "access_key": "k3y"}]
        if name == "docs.getMessagesUploadServer":
            return {"upload_url": self.url + "/upload/doc"}
        if name == "docs.save":
            assert form["file"] == "doc-upload-token"
            return {"type": "doc", "doc": {"id": 5550, "owner_id": -GROUP, "title": form.get("title")}}
        if name == "groups.getCallbackConfirmationCode":
            return {"code": CONFIRMATION}
        if name == "groups.addCallbackServer":
            # VK confirms the address: the server must answer the confirmation string.
            body = json.dumps({"type": "confirmation", "group_id": GROUP}).encode()
            self.confirmations.append(httpx.post(form["url"], content=body).text)
            return {"server_id": 3}
        if name == "groups.setCallbackSettings":
            assert form["wall_reply_new"] == "1" and form["message_new"] == "1"
            return 1
        if name == "groups.getLongPollServer":
            return {"key": self.lp_key, "server": self.url + "/lp", "ts": "10"}
        raise AssertionError(f"unexpected method {name}")

    def _long_poll(self, query: dict[str, str]):
        if query.get("key") != self.lp_key:
            return 200, {"failed": 2}
        ts = int(query["ts"])
        if not self.lp_updates:
            return 200, {"ts": str(ts), "updates": []}
        batch = self.lp_updates.pop(0)
        return 200, {"ts": str(ts + len(batch)), "updates": batch}


@pytest.fixture
def vk():
    fake = FakeVk()
    platform = Platform(fake).start()
    fake.url = platform.url
    platform.fake = fake
    yield platform
    platform.stop()


def connector(api_base: str | None = None, **secrets) -> VkConnector:
    keys = {"access_token": TOKEN, "secret": SECRET, "confirmation": CONFIRMATION, **secrets}
    return connector_for(
        "vk", ChannelConfig(4, "Bank VK", api_base=api_base, secrets=keys, options={"group_id": str(GROUP)})
    )


def request(body: bytes) -> InboundRequest:
    return InboundRequest("POST", {"content-type": "application/json"}, {}, body)


def outbound(text: str = "Добрый день!", address: str = str(CUSTOMER), **kw) -> OutboundMessage:
    return OutboundMessage(
        message_id=52,
        conversation_id=8,
        channel_id=4,
        text=text,
        sent_at=dt.datetime.now(dt.UTC),
        recipient=Recipient(1, "Иван", address),
        author=Author(2, "olga", "Ольга"),
        **kw,
    )


# -- Callback API handshake and secret ---------------------------------------------------------------------------


def test_confirmation_is_answered_with_the_string_and_nothing_else():
    answer = connector().handshake(request(fixture("vk", "confirmation.json")))
    assert (answer.status, answer.body) == (200, CONFIRMATION)
    assert connector().handshake(request(fixture("vk", "message_new.json"))) is None
    with pytest.raises(Unverified):  # a confirmation for another community
        connector().handshake(request(json.dumps({"type": "confirmation", "group_id": 99}).encode()))
    assert connector().ok_answer.body == "ok"


def test_every_event_must_carry_the_secret_key():
    body = fixture("vk", "message_new.json")
    connector().verify(request(body))
    event = json.loads(body)
    for forged in (
        {**event, "secret": "guess"},
        {k: v for k, v in event.items() if k != "secret"},
        {**event, "group_id": 1},
    ):
        with pytest.raises(Unverified):
            connector().verify(request(json.dumps(forged).encode()))
    with pytest.raises(Unverified):
        connector(secret="").verify(request(body))
    with pytest.raises(Unverified):
        connector().verify(request(b"not json"))


# -- events ----------------------------------------------------------------------------------------------------


def test_message_new_text_and_media():
    [item] = connector().parse(request(fixture("vk", "message_new.json")))
    assert (item.kind, item.external_id, item.sender.kind, item.sender.value) == (
        ItemKind.MESSAGE,
        "2345",
        "vk",
        "1111",
    )
    assert item.text == "Здравствуйте, карта не работает"
    assert item.sent_at == dt.datetime.fromtimestamp(1700000000, dt.UTC)
    [media] = connector().parse(request(fixture("vk", "message_new_media.json")))
    assert [(a.kind, a.platform_id) for a in media.attachments] == [
        ("image", "MEDIA_URL/photo_z.jpg"),  # the largest size
        ("document", "MEDIA_URL/doc.pdf"),
        ("voice", "MEDIA_URL/voice.ogg"),
        ("sticker", "MEDIA_URL/sticker_128.png"),
    ]
    assert media.attachments[1].file_name == "statement.pdf" and media.attachments[1].size == 48213
    assert (media.location.latitude, media.location.longitude, media.location.name) == (
        55.7558,
        37.6173,
        "Москва, Россия",
    )
    [button] = connector().parse(request(fixture("vk", "message_new_button.json")))
    assert button.button == "card-blocked"


def test_reply_edit_callback_button_allow_deny_read():
    [echo] = connector().parse(request(fixture("vk", "message_reply.json")))
    assert (echo.kind, echo.external_id, echo.sender.value) == (ItemKind.ECHO, "2348", "1111")
    [edit] = connector().parse(request(fixture("vk", "message_edit.json")))
    assert (edit.kind, edit.target_external_id) == (ItemKind.EDIT, "2345")
    assert edit.text.endswith("в банкомате") and edit.external_id != "2345"
    [pressed] = connector().parse(request(fixture("vk", "message_event.json")))
    assert (pressed.kind, pressed.button, pressed.external_id) == (ItemKind.MESSAGE, "call-me", "event:3159dc190b1f")
    [allow] = connector().parse(request(fixture("vk", "message_allow.json")))
    [deny] = connector().parse(request(fixture("vk", "message_deny.json")))
    assert (allow.kind, deny.kind, allow.sender.value) == (ItemKind.SUBSCRIBED, ItemKind.UNSUBSCRIBED, "1111")
    [read] = connector().parse(request(fixture("vk", "message_read.json")))
    assert (read.kind, read.status, read.target_external_id) == (ItemKind.RECEIPT, ReceiptStatus.READ, "2348")


def test_wall_comment_is_a_comment_conversation():
    [comment] = connector().parse(request(fixture("vk", "wall_reply_new.json")))
    assert comment.kind is ItemKind.MESSAGE and comment.thread.kind == "comment"
    assert comment.external_id == comment.thread.external_id == "wall:-123456_5_88"
    assert comment.thread.url == "https://vk.com/wall-123456_5?reply=88"
    assert (comment.sender.value, comment.text) == ("2222", "Когда откроется отделение на Тверской?")
    assert connector().parse(request(fixture("vk", "wall_reply_new_own.json"))) == []  # our own public answer
    [edit] = connector().parse(request(fixture("vk", "wall_reply_edit.json")))
    assert (edit.kind, edit.target_external_id) == (ItemKind.EDIT, "wall:-123456_5_88")
    [deletion] = connector().parse(request(fixture("vk", "wall_reply_delete.json")))
    assert (deletion.kind, deletion.target_external_id) == (ItemKind.DELETION, "wall:-123456_5_88")


def test_unknown_or_broken_events_are_value_errors():
    for body in (b"{}", json.dumps({"type": "message_new", "object": {"message": {"text": "x"}}}).encode()):
        with pytest.raises(ValueError):
            connector().parse(request(body))


# -- sending -----------------------------------------------------------------------------------------------------


async def test_messages_send_is_idempotent_by_random_id(vk):
    bot = connector(vk.url + "/method")
    async with httpx.AsyncClient() as client:
        message = outbound(
            buttons=(Button("Карта заблокирована", "card-blocked"), Button("Сайт", url="https://bank.ru"))
        )
        first = await bot.send(client, message)
        again = await bot.send(client, message)  # the outbox retries after a lost answer
    assert first == again and len(vk.fake.sent) == 1
    call = vk.calls("/method/messages.send")[0]
    form = call.form()
    assert (form["peer_id"], form["random_id"], form["v"]) == ("1111", str(random_id(52)), "5.199")
    assert "access_token" not in call.query  # the token never goes in a URL
    keyboard = json.loads(form["keyboard"])
    assert keyboard["inline"] is True
    assert [row[0]["action"]["type"] for row in keyboard["buttons"]] == ["text", "open_link"]
    assert json.loads(keyboard["buttons"][0][0]["action"]["payload"]) == {"button": "card-blocked"}


async def test_files_are_uploaded_then_attached(vk):
    bot = connector(vk.url + "/method")
    files = (
        OutboundFile("card.jpg", "image/jpeg", b"\xff\xd8jpeg", kind="image"),
        OutboundFile("tariffs.pdf", "application/pdf", b"%PDF-1.7", kind="document"),
    )
    async with httpx.AsyncClient() as client:
        await bot.send(client, outbound("Тарифы во вложении", files=files))
    form = vk.calls("/method/messages.send")[0].form()
    assert form["attachment"] == f"photo-{GROUP}_457239999_k3y,doc-{GROUP}_5550"


async def test_public_and_private_answers_to_a_comment(vk):
    bot = connector(vk.url + "/method")
    [comment] = connector().parse(request(fixture("vk", "wall_reply_new.json")))
    async with httpx.AsyncClient() as client:
        thread = await bot.post_context(client, comment.thread)
        assert thread.context == "Мы открываем новое отделение на Тверской"
        public = outbound("С понедельника, 9:00", address="2222", thread=comment.thread, public=True)
        result = await bot.send(client, public)
        assert result == await bot.send(client, public)  # guid: a retry posts no second comment
        form = vk.calls("/method/wall.createComment")[0].form()
        assert (form["owner_id"], form["post_id"], form["reply_to_comment"], form["from_group"]) == (
            "-123456",
            "5",
            "88",
            str(GROUP),
        )
        assert form["guid"] == "omnidesk-52" and result.external_ids[0].startswith("wall:-123456_5_")
        private = outbound("Напишу вам в личные сообщения", address="2222", thread=comment.thread, public=False)
        with pytest.raises(SendFailure) as not_allowed:  # 2222 has never allowed the community's messages
            await bot.send(client, private)
        assert not not_allowed.value.retryable and not_allowed.value.code == "901"
        vk.fake.allowed.add(2222)
        await bot.send(client, private)
        assert vk.calls("/method/messages.send")[0].form()["peer_id"] == "2222"


async def test_vk_errors_are_classified(vk):
    bot = connector(vk.url + "/method")
    async with httpx.AsyncClient() as client:
        for code, retryable in ((6, True), (9, True), (10, True), (901, False), (914, False), (5, False)):
            vk.fake.errors = [code]
            with pytest.raises(SendFailure) as failure:
                await bot.send(client, outbound())
            assert failure.value.retryable is retryable and failure.value.code == str(code)
        vk.fake.errors = [901]
        with pytest.raises(SendFailure) as denied:
            await bot.send(client, outbound())
        assert "not allowed messages" in denied.value.reason
        with pytest.raises(SendFailure):
            await connector(vk.url + "/method", access_token="stale").send(client, outbound())


async def test_fetch_attachment(vk):
    body = fixture("vk", "message_new_media.json").replace(b"MEDIA_URL", (vk.url + "/media").encode())
    [item] = connector().parse(request(body))
    async with httpx.AsyncClient() as client:
        content, mime = await connector().fetch_attachment(client, item.attachments[0])
    assert (content, mime) == (vk.fake.media, "image/jpeg")


# -- registration and Long Poll ---------------------------------------------------------------------------------


async def test_register_webhook_passes_vk_confirmation(vk):
    bot = connector(vk.url + "/method")

    def receiver(seen: Seen):
        answer = bot.handshake(InboundRequest(seen.method, seen.headers, seen.query, seen.body))
        return (answer.status, answer.body.encode()) if answer else (200, b"ok")

    hook = Platform(receiver).start()
    try:
        async with httpx.AsyncClient() as client:
            result = await bot.register_webhook(client, hook.url + "/hook")
    finally:
        hook.stop()
    assert result == {"server_id": 3, "confirmation": CONFIRMATION}
    assert vk.fake.confirmations == [CONFIRMATION]


async def test_long_poll_delivers_the_same_events_and_recovers_an_expired_key(vk):
    bot = connector(vk.url + "/method")
    events = [json.loads(fixture("vk", name)) for name in ("message_new.json", "wall_reply_new.json")]
    for event in events:
        event.pop("secret")  # Long Poll events carry no secret: the connection itself is authenticated
    vk.fake.lp_updates = [events]
    async with httpx.AsyncClient() as client:
        items, position = await longpoll.poll(client, bot, longpoll.Position(), wait=0)
        assert [i.external_id for i in items] == ["2345", "wall:-123456_5_88"]
        assert position.ts == "12"
        vk.fake.lp_key = "lp-key-2"  # the key expired: failed 2, a new key, the same ts
        items, position = await longpoll.poll(client, bot, position, wait=0)
        assert items == [] and position.key == "lp-key-2" and position.ts == "12"
        vk.fake.lp_updates = [[json.loads(fixture("vk", "message_reply.json"))]]
        items, position = await longpoll.poll(client, bot, position, wait=0)
        assert [i.kind for i in items] == [ItemKind.ECHO] and position.ts == "13"


def test_thread_ref_round_trips_the_comment_address():
    thread = ThreadRef("comment", "wall:-123456_5_88")
    assert thread.external_id.removeprefix("wall:").split("_") == ["-123456", "5", "88"]
