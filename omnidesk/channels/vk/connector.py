"""VK community connector: Callback API and Bots Long Poll API in, the VK API methods out (https://dev.vk.com).

Inbound (Callback API), VK POSTs JSON ``{"type", "event_id", "v", "object", "group_id", "secret"}``. The first
request, ``confirmation``, must be answered with the community's confirmation string; every other event carries the
secret key set in the community's Callback API settings and must be answered with the plain text ``ok``, or VK
resends it. The Bots Long Poll API (``omnidesk.channels.vk.longpoll``) delivers the same event objects to servers
without a public address.

Events parsed: ``message_new`` (text, photo, doc, audio_message, video, sticker, geo, a keyboard button's
``payload``), ``message_reply`` (the community's own outgoing message: an echo), ``message_edit``,
``message_event`` (a callback button), ``message_allow`` / ``message_deny``, ``message_read`` (a read receipt), and
``wall_reply_new`` / ``wall_reply_edit`` / ``wall_reply_delete``: a comment under the community's post is a
conversation of kind "comment", answered publicly (``wall.createComment`` with ``guid``) or privately
(``messages.send``). Every private send carries a ``random_id`` derived from our message id, so a retry of the same
reply is dropped by VK instead of delivered twice.
"""

from __future__ import annotations

import json
from typing import Any

import httpx

from omnidesk.channels.base import (
    AttachmentRef,
    Capabilities,
    Connector,
    InboundItem,
    InboundRequest,
    ItemKind,
    Location,
    OutboundFile,
    OutboundMessage,
    ReceiptStatus,
    SenderRef,
    SendFailure,
    SendResult,
    ThreadRef,
    Unverified,
    WebhookAnswer,
)
from omnidesk.channels.wire import fetch_cdn, from_s, json_object, response_json, same, split_text

API_BASE = "https://api.vk.com/method"
API_VERSION = "5.199"
MAX_TEXT = 4096
# VK API error codes (https://dev.vk.com/ru/reference/errors): retryable ones with the wait that helps.
RETRYABLE: dict[int, float] = {1: 5.0, 6: 1.0, 9: 60.0, 10: 5.0, 29: 600.0}
ERRORS: dict[int, str] = {
    1: "unknown VK error",
    5: "VK refused the community token: check or renew it",
    6: "too many requests per second: VK's rate limit",
    7: "the community token lacks the permission for this method",
    9: "flood control: too many identical requests",
    10: "VK internal server error",
    15: "access denied",
    29: "VK's daily rate limit for this method is reached",
    100: "VK refused a parameter of the request",
    113: "invalid VK user id",
    212: "comments under this post are closed",
    213: "no access to this comment",
    222: "links are not allowed in this comment",
    223: "too many replies in this comment thread",
    900: "the customer has blacklisted the community",
    901: "the customer has not allowed messages from the community: answer publicly or wait until they write",
    902: "the customer's privacy settings forbid messages from the community",
    914: "the message is too long for VK",
    917: "the community has no access to this conversation",
    945: "the conversation is disabled",
}
IMAGE_TYPES = ("image/jpeg", "image/png", "image/gif")


def random_id(message_id: int, piece: int = 0) -> int:
    """The ``random_id`` of piece ``piece`` of our message: the same on every retry, so VK drops repeats."""
    return ((message_id * 64 + piece) % 2_147_483_646) + 1


class VkConnector(Connector):
    kind = "vk"
    capabilities = Capabilities(
        max_text=MAX_TEXT,
        media_kinds=frozenset({"image", "document"}),
        max_media_bytes=200 * 1024 * 1024,  # documents up to 200 MB (photos 50 MB)
        buttons=True,
        quick_replies=True,
        edits=True,
        receipts=True,
    )
    ok_answer = WebhookAnswer(200, "ok")

    # -- configuration ---------------------------------------------------------------------------------------

    @property
    def api_base(self) -> str:
        return (self.config.api_base or API_BASE).rstrip("/")

    @property
    def group_id(self) -> int:
        try:
            return int(self.config.options["group_id"])
        except (KeyError, TypeError, ValueError):
            raise SendFailure("the VK channel has no community id", retryable=False, code="config") from None

    @property
    def version(self) -> str:
        return str(self.config.options.get("api_version") or API_VERSION)

    # -- inbound ---------------------------------------------------------------------------------------------

    def _event(self, request: InboundRequest) -> dict[str, Any]:
        """The callback's JSON, decoded once for verify and parse of the same request (the secret is inside it)."""
        memo = getattr(self, "_memo", None)
        if memo is not None and memo[0] is request.body:
            return memo[1]
        try:
            event = json_object(request.body)
        except ValueError as exc:
            raise Unverified(f"not a VK callback: {exc}") from None
        self._memo = (request.body, event)
        return event

    def _check_group(self, event: dict[str, Any]) -> None:
        expected = str(self.config.options.get("group_id") or "")
        if not expected or str(event.get("group_id")) != expected:
            raise Unverified("the callback is for another community")

    def verify(self, request: InboundRequest) -> None:
        event = self._event(request)
        self._check_group(event)
        secret = self.config.secrets.get("secret")
        given = event.get("secret")
        if not secret or not isinstance(given, str) or not same(secret, given):
            raise Unverified("the callback's secret key does not match")

    def handshake(self, request: InboundRequest) -> WebhookAnswer | None:
        """VK's ``confirmation`` event: answer the community's confirmation string (the group id must match)."""
        if request.method.upper() != "POST":
            return None
        try:
            event = json_object(request.body)
        except ValueError:
            return None
        if event.get("type") != "confirmation":
            return None
        self._check_group(event)
        secret = self.config.secrets.get("secret")
        if "secret" in event and (not secret or not same(secret, str(event["secret"]))):
            raise Unverified("the confirmation's secret key does not match")
        confirmation = self.config.secrets.get("confirmation")
        if not confirmation:
            raise Unverified("the channel has no confirmation string to answer")
        return WebhookAnswer(200, confirmation)

    def parse(self, request: InboundRequest) -> list[InboundItem]:
        memo = getattr(self, "_memo", None)
        event = memo[1] if memo is not None and memo[0] is request.body else json_object(request.body)
        return self.parse_event(event)

    def parse_event(self, event: dict[str, Any]) -> list[InboundItem]:
        """The items of one Callback / Long Poll event object."""
        kind = event.get("type")
        obj = event.get("object")
        if kind == "confirmation":
            return []
        if not isinstance(obj, dict):
            raise ValueError(f"VK event {kind!r} without an object")
        if kind == "message_new":
            message = obj.get("message", obj)  # API >= 5.103 wraps it with client_info
            return [self._message(message, event)]
        if kind == "message_reply":
            return [self._echo(obj, event)]
        if kind == "message_edit":
            return [self._edit(obj, event)]
        if kind == "message_event":
            return [self._button(obj, event)]
        if kind in ("message_allow", "message_deny"):
            user = obj.get("user_id")
            item_kind = ItemKind.SUBSCRIBED if kind == "message_allow" else ItemKind.UNSUBSCRIBED
            return [InboundItem(item_kind, f"{kind}:{event.get('event_id')}", _user(user), raw=event)]
        if kind == "message_read":
            return [
                InboundItem(
                    kind=ItemKind.RECEIPT,
                    external_id=f"read:{obj.get('peer_id')}:{obj.get('read_message_id')}",
                    sender=_user(obj.get("from_id")),
                    target_external_id=str(obj.get("read_message_id")),
                    status=ReceiptStatus.READ,
                    raw=event,
                )
            ]
        if kind == "wall_reply_new":
            if int(obj.get("from_id") or 0) < 0:
                return []  # the community's own comment (our public answers come back this way)
            return [self._comment(obj, event)]
        if kind == "wall_reply_edit":
            if int(obj.get("from_id") or 0) < 0:
                return []
            target = _comment_id(obj.get("post_owner_id", obj.get("owner_id")), obj.get("post_id"), obj.get("id"))
            return [
                InboundItem(
                    kind=ItemKind.EDIT,
                    external_id=f"edit:{target}:{event.get('event_id')}",
                    sender=_user(obj.get("from_id")),
                    text=obj.get("text"),
                    sent_at=from_s(obj.get("date")),
                    target_external_id=target,
                    raw=event,
                )
            ]
        if kind == "wall_reply_delete":
            target = _comment_id(obj.get("owner_id"), obj.get("post_id"), obj.get("id"))
            return [
                InboundItem(
                    kind=ItemKind.DELETION,
                    external_id=f"delete:{target}",
                    target_external_id=target,
                    raw=event,
                )
            ]
        if kind in ("message_typing_state", "group_join", "group_leave", "wall_post_new"):
            return []
        raise ValueError(f"unsupported VK event {kind!r}")

    def _attachments(self, message: dict[str, Any]) -> tuple[list[AttachmentRef], str | None]:
        refs: list[AttachmentRef] = []
        notes: list[str] = []
        for attachment in message.get("attachments") or ():
            kind = attachment.get("type")
            body = attachment.get(kind) or {}
            if kind == "photo":
                sizes = body.get("sizes") or []
                best = max(sizes, key=lambda s: (s.get("width") or 0) * (s.get("height") or 0), default=None)
                url = (best or {}).get("url") or (body.get("orig_photo") or {}).get("url")
                if url:
                    refs.append(AttachmentRef("image", url, "image/jpeg", caption=body.get("text") or None))
            elif kind == "doc":
                if body.get("url"):
                    ext = body.get("ext")
                    title = body.get("title") or (f"document.{ext}" if ext else "document")
                    refs.append(AttachmentRef("document", body["url"], file_name=title, size=body.get("size")))
            elif kind == "audio_message":
                url = body.get("link_ogg") or body.get("link_mp3")
                if url:
                    mime = "audio/ogg" if body.get("link_ogg") else "audio/mpeg"
                    refs.append(AttachmentRef("voice", url, mime))
            elif kind == "sticker":
                images = body.get("images") or []
                best = max(images, key=lambda s: s.get("width") or 0, default=None)
                if best and best.get("url"):
                    refs.append(AttachmentRef("sticker", best["url"], "image/png"))
            elif kind == "video":
                # VK gives no file for a video, only its page: keep the link in the text.
                notes.append(f"https://vk.com/video{body.get('owner_id')}_{body.get('id')}")
            elif kind == "link":
                notes.append(str(body.get("url")))
            elif kind == "wall":
                notes.append(f"https://vk.com/wall{body.get('owner_id', body.get('from_id'))}_{body.get('id')}")
        return refs, "\n".join(n for n in notes if n) or None

    def _message(self, message: dict[str, Any], event: dict[str, Any]) -> InboundItem:
        from_id = message.get("from_id")
        if not from_id:
            raise ValueError("VK message without from_id")
        refs, notes = self._attachments(message)
        text = message.get("text") or None
        if notes:
            text = f"{text}\n{notes}" if text else notes
        location = None
        geo = message.get("geo") or {}
        coordinates = geo.get("coordinates") or {}
        if "latitude" in coordinates and "longitude" in coordinates:
            place = geo.get("place") or {}
            location = Location(
                float(coordinates["latitude"]),
                float(coordinates["longitude"]),
                place.get("title"),
                place.get("address"),
            )
        return InboundItem(
            kind=ItemKind.MESSAGE,
            external_id=_message_id(message),
            sender=_user(from_id),
            text=text,
            sent_at=from_s(message.get("date")),
            attachments=tuple(refs),
            button=_payload(message.get("payload")),
            location=location,
            start_payload=_start(message.get("ref"), message.get("ref_source")),
            raw=event,
        )

    def _echo(self, message: dict[str, Any], event: dict[str, Any]) -> InboundItem:
        refs, notes = self._attachments(message)
        text = message.get("text") or None
        if notes:
            text = f"{text}\n{notes}" if text else notes
        # The conversation is the customer's: peer_id is them, from_id the community (negative).
        return InboundItem(
            kind=ItemKind.ECHO,
            external_id=_message_id(message),
            sender=_user(message.get("peer_id")),
            text=text,
            sent_at=from_s(message.get("date")),
            attachments=tuple(refs),
            raw=event,
        )

    def sent_by_us(self, item: InboundItem) -> int | None:
        """Our sends carry ``random_id(message_id, piece)``; a message from VK's own app carries 0."""
        raw = item.raw or {}
        obj = raw.get("object") if isinstance(raw.get("object"), dict) else raw
        value = obj.get("random_id") if isinstance(obj, dict) else None
        if not isinstance(value, int) or value <= 0:
            return None
        return (value - 1) // 64

    def _edit(self, message: dict[str, Any], event: dict[str, Any]) -> InboundItem:
        target = _message_id(message)
        stamp = message.get("update_time") or message.get("date")
        customer = message.get("peer_id") if message.get("out") else message.get("from_id")
        return InboundItem(
            kind=ItemKind.EDIT,
            external_id=f"edit:{target}:{stamp}",
            sender=_user(customer),
            text=message.get("text"),
            sent_at=from_s(stamp),
            target_external_id=target,
            raw=event,
        )

    def _button(self, obj: dict[str, Any], event: dict[str, Any]) -> InboundItem:
        payload = obj.get("payload")
        return InboundItem(
            kind=ItemKind.MESSAGE,
            external_id=f"event:{obj.get('event_id') or event.get('event_id')}",
            sender=_user(obj.get("user_id")),
            button=_payload(payload),
            raw=event,
        )

    def _comment(self, obj: dict[str, Any], event: dict[str, Any]) -> InboundItem:
        owner, post, comment = obj.get("post_owner_id", obj.get("owner_id")), obj.get("post_id"), obj.get("id")
        if owner is None or post is None or comment is None:
            raise ValueError("VK comment without post_owner_id, post_id or id")
        refs, notes = self._attachments(obj)
        text = obj.get("text") or None
        if notes:
            text = f"{text}\n{notes}" if text else notes
        target = _comment_id(owner, post, comment)
        return InboundItem(
            kind=ItemKind.MESSAGE,
            external_id=target,
            sender=_user(obj.get("from_id")),
            text=text,
            sent_at=from_s(obj.get("date")),
            attachments=tuple(refs),
            raw=event,
            thread=ThreadRef("comment", target, url=f"https://vk.com/wall{owner}_{post}?reply={comment}"),
        )

    # -- VK API ----------------------------------------------------------------------------------------------

    async def call(self, client: httpx.AsyncClient, method: str, **params: Any) -> Any:
        """One VK API method, its ``response`` or a classified failure. The token goes in the body, not the URL."""
        token = self.config.secrets.get("access_token")
        if not token:
            raise SendFailure("the VK channel has no community access token", retryable=False, code="config")
        data = {k: v for k, v in params.items() if v is not None}
        data.update({"access_token": token, "v": self.version})
        response = await client.post(f"{self.api_base}/{method}", data=data)
        if response.status_code != 200:
            raise self.classify(response)
        answer = response_json(response)
        if "error" in answer:
            error = answer["error"] or {}
            raise self.failure(error.get("error_code"), error.get("error_msg"))
        return answer.get("response")

    def failure(self, code: Any, message: Any = None) -> SendFailure:
        number = code if isinstance(code, int) else -1
        words = ERRORS.get(number) or f"VK error {code}: {message or 'unknown'}"
        wait = RETRYABLE.get(number)
        return SendFailure(words, retryable=wait is not None, retry_after=wait, code=str(code))

    async def post_context(self, client: httpx.AsyncClient, thread: ThreadRef) -> ThreadRef:
        """The post a comment is under, with its text as the context the operator sees (``wall.getById``)."""
        owner, post, _ = thread.external_id.removeprefix("wall:").split("_")
        answer = await self.call(client, "wall.getById", posts=f"{owner}_{post}")
        items = answer.get("items", []) if isinstance(answer, dict) else (answer or [])
        text = (items[0].get("text") if items else None) or None
        return ThreadRef(thread.kind, thread.external_id, text, thread.url)

    # -- outbound --------------------------------------------------------------------------------------------

    def keyboard(self, message: OutboundMessage) -> str | None:
        rows: list[list[dict[str, Any]]] = []
        for button in message.buttons:
            if button.url:
                action = {"type": "open_link", "link": button.url, "label": button.title[:40]}
            else:
                action = {
                    "type": "text",
                    "label": button.title[:40],
                    "payload": json.dumps({"button": button.payload or button.title}, ensure_ascii=False),
                }
            rows.append([{"action": action}])
        if rows:
            return json.dumps({"inline": True, "buttons": rows[:6]}, ensure_ascii=False)
        if message.quick_replies:
            quick = [
                {
                    "action": {
                        "type": "text",
                        "label": title[:40],
                        "payload": json.dumps({"button": title}, ensure_ascii=False),
                    },
                    "color": "secondary",
                }
                for title in message.quick_replies
            ]
            return json.dumps(
                {"one_time": True, "buttons": [quick[i : i + 4] for i in range(0, len(quick), 4)][:10]},
                ensure_ascii=False,
            )
        return None

    async def upload(self, client: httpx.AsyncClient, peer_id: int, file: OutboundFile) -> str:
        """A file as a VK attachment string: photos through the messages photo server, the rest as documents."""
        if file.kind == "image" and file.mime_type in IMAGE_TYPES:
            server = await self.call(client, "photos.getMessagesUploadServer", peer_id=peer_id)
            uploaded = await self._upload(client, server["upload_url"], "photo", file)
            saved = await self.call(
                client,
                "photos.saveMessagesPhoto",
                server=uploaded.get("server"),
                photo=uploaded.get("photo"),
                hash=uploaded.get("hash"),
            )
            photo = saved[0]
            key = f"_{photo['access_key']}" if photo.get("access_key") else ""
            return f"photo{photo['owner_id']}_{photo['id']}{key}"
        server = await self.call(client, "docs.getMessagesUploadServer", type="doc", peer_id=peer_id)
        uploaded = await self._upload(client, server["upload_url"], "file", file)
        saved = await self.call(client, "docs.save", file=uploaded.get("file"), title=file.file_name)
        doc = saved.get("doc") or saved
        return f"doc{doc['owner_id']}_{doc['id']}"

    async def _upload(self, client: httpx.AsyncClient, url: str, field: str, file: OutboundFile) -> dict[str, Any]:
        response = await client.post(url, files={field: (file.file_name, file.content, file.mime_type)})
        if response.status_code != 200:
            raise self.classify(response)
        answer = response_json(response)
        if answer.get("error"):
            raise SendFailure(f"VK refused the upload of {file.file_name!r}: {answer['error']}", retryable=False)
        return answer

    async def send(self, client: httpx.AsyncClient, message: OutboundMessage) -> SendResult:
        if message.thread is not None and message.public:
            return await self._public_reply(client, message)
        address = message.recipient.address
        try:
            peer_id = int(address or "")
        except ValueError:
            raise SendFailure(
                "the conversation has no VK peer id to answer", retryable=False, code="no-address"
            ) from None
        attachments = [await self.upload(client, peer_id, file) for file in message.files]
        pieces = split_text(message.text, MAX_TEXT) if message.text else [""]
        keyboard = self.keyboard(message)
        ids: list[str] = []
        for index, piece in enumerate(pieces):
            last = index == len(pieces) - 1
            answer = await self.call(
                client,
                "messages.send",
                peer_id=peer_id,
                random_id=random_id(message.message_id, index),
                message=piece or None,
                attachment=",".join(attachments) if last and attachments else None,
                keyboard=keyboard if last else None,
            )
            ids.append(str(answer))
        return SendResult(tuple(ids))

    async def _public_reply(self, client: httpx.AsyncClient, message: OutboundMessage) -> SendResult:
        assert message.thread is not None
        if message.files:
            raise SendFailure("a public comment cannot carry files here: answer privately", retryable=False)
        owner, post, comment = message.thread.external_id.removeprefix("wall:").split("_")
        answer = await self.call(
            client,
            "wall.createComment",
            owner_id=owner,
            post_id=post,
            from_group=self.group_id,
            message=message.text[:MAX_TEXT],
            reply_to_comment=comment,
            guid=f"omnidesk-{message.message_id}",
        )
        return SendResult((_comment_id(owner, post, answer["comment_id"]),))

    async def fetch_attachment(self, client: httpx.AsyncClient, ref: AttachmentRef) -> tuple[bytes, str | None]:
        """VK gives photos, documents and voice messages as direct URLs on its CDN."""
        return await fetch_cdn(client, ref)

    # -- administration --------------------------------------------------------------------------------------

    async def register_webhook(self, client: httpx.AsyncClient, url: str, title: str = "OmniDesk") -> dict[str, Any]:
        """Add ``url`` as a Callback API server of the community and subscribe it to the events parsed here.

        ``groups.getCallbackConfirmationCode`` gives the string VK's confirmation request expects; the caller stores
        it with the channel's secrets before VK sends the confirmation (it does so on ``groups.addCallbackServer``).
        """
        code = await self.call(client, "groups.getCallbackConfirmationCode", group_id=self.group_id)
        server = await self.call(
            client,
            "groups.addCallbackServer",
            group_id=self.group_id,
            url=url,
            title=title[:14],
            secret_key=self.config.secrets.get("secret"),
        )
        server_id = server["server_id"]
        await self.call(
            client,
            "groups.setCallbackSettings",
            group_id=self.group_id,
            server_id=server_id,
            api_version=self.version,
            message_new=1,
            message_reply=1,
            message_edit=1,
            message_event=1,
            message_allow=1,
            message_deny=1,
            message_read=1,
            wall_reply_new=1,
            wall_reply_edit=1,
            wall_reply_delete=1,
        )
        return {"server_id": server_id, "confirmation": code.get("code") if isinstance(code, dict) else code}


def _user(user_id: Any) -> SenderRef | None:
    return SenderRef("vk", str(user_id)) if user_id else None


def _message_id(message: dict[str, Any]) -> str:
    if message.get("id"):
        return str(message["id"])
    if message.get("conversation_message_id") and message.get("peer_id"):
        return f"{message['peer_id']}:{message['conversation_message_id']}"
    raise ValueError("VK message without id")


def _comment_id(owner: Any, post: Any, comment: Any) -> str:
    return f"wall:{owner}_{post}_{comment}"


def _payload(payload: Any) -> str | None:
    """A keyboard button's payload (a JSON string in messages, an object in message_event)."""
    if payload is None or payload == "":
        return None
    if isinstance(payload, str):
        try:
            payload = json.loads(payload)
        except json.JSONDecodeError:
            return payload
    if isinstance(payload, dict):
        if "button" in payload:
            return str(payload["button"])
        if "command" in payload:
            return str(payload["command"])
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"))


def _start(ref: Any, source: Any) -> str | None:
    """The ``ref`` of a vk.me/<community>?ref=... link the customer came by (with its ``ref_source``)."""
    return str(ref) if ref else None
