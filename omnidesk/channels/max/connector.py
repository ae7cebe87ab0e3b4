"""MAX messenger Bot API connector (https://dev.max.ru/docs-api), built against the API as documented in 2026:
host ``platform-api2.max.ru`` (the documentation moved bots there from ``platform-api.max.ru`` / ``botapi.max.ru``;
``--api-base`` overrides it), the token in the ``Authorization`` header (no longer accepted in the query), webhooks
over HTTPS only with a trusted certificate.

Inbound, either a webhook subscription (``POST /subscriptions`` with ``url``, ``update_types`` and ``secret``: MAX
then sends the header ``X-Max-Bot-Api-Secret`` with that secret on every POST of an ``Update``) or long polling
(``GET /updates`` with a ``marker``, ``omnidesk.channels.max.longpoll``). While a subscription is active long polling
gets nothing. Updates parsed: ``message_created`` (text; image, video, audio, file, sticker, contact, location and
share attachments), ``message_edited``, ``message_removed``, ``message_callback`` (an inline keyboard button),
``bot_started`` (with its deep-link ``payload``) and ``bot_stopped``.

Outbound, ``POST /messages?user_id=...`` with a ``NewMessageBody`` (text up to 4000 characters, attachments,
``inline_keyboard``); files are uploaded first (``POST /uploads?type=...`` then the returned URL). MAX allows about
30 requests per second per bot: the connector paces its own calls (``channels/limits.py``: the one window of the
token in this process) and reads 429 as retryable.
"""

from __future__ import annotations

import asyncio
from typing import Any

import httpx

from omnidesk.channels.base import (
    AttachmentRef,
    Capabilities,
    Connector,
    Contact,
    InboundItem,
    InboundRequest,
    ItemKind,
    Location,
    OutboundFile,
    OutboundMessage,
    SenderRef,
    SendFailure,
    SendResult,
    Unverified,
    retry_after_seconds,
)
from omnidesk.channels.limits import PLATFORM_LIMITS, token_window
from omnidesk.channels.wire import fetch_cdn, from_ms, json_object, response_json, same, split_text

API_BASE = "https://platform-api2.max.ru"
SECRET_HEADER = "x-max-bot-api-secret"
MAX_TEXT = 4000
UPDATE_TYPES = (
    "message_created",
    "message_edited",
    "message_removed",
    "message_callback",
    "bot_started",
    "bot_stopped",
)
UPLOAD_TYPES = {"image": "image", "video": "video", "audio": "audio", "voice": "audio"}
ERRORS: dict[str, str] = {
    "verify.token": "MAX refused the bot token: check it",
    "access.denied": "the bot may not write to this chat",
    "chat.denied": "the customer has stopped or blocked the bot",
    "not.found": "MAX does not know this chat or user",
    "proto.payload": "MAX refused the message as malformed",
    "too.many.requests": "too many requests: MAX's rate limit",
    "attachment.not.ready": "MAX is still processing the uploaded file",
}


class MaxConnector(Connector):
    kind = "max"
    capabilities = Capabilities(
        max_text=MAX_TEXT,
        media_kinds=frozenset({"image", "video", "audio", "document"}),
        max_media_bytes=4 * 1024 * 1024 * 1024,  # MAX documents files up to 4 GB
        buttons=True,
        quick_replies=True,
        edits=True,
    )

    # -- configuration ---------------------------------------------------------------------------------------

    @property
    def api_base(self) -> str:
        return (self.config.api_base or API_BASE).rstrip("/")

    @property
    def token(self) -> str:
        token = self.config.secrets.get("access_token")
        if not token:
            raise SendFailure("the MAX channel has no bot token", retryable=False, code="config")
        return token

    # -- inbound ---------------------------------------------------------------------------------------------

    def verify(self, request: InboundRequest) -> None:
        secret = self.config.secrets.get("webhook_secret")
        given = request.headers.get(SECRET_HEADER, "")
        if not secret or not given:
            raise Unverified("X-Max-Bot-Api-Secret missing")
        if not same(secret, given):
            raise Unverified("X-Max-Bot-Api-Secret does not match")

    def parse(self, request: InboundRequest) -> list[InboundItem]:
        return self.parse_update(json_object(request.body))

    def parse_update(self, update: dict[str, Any]) -> list[InboundItem]:
        kind = update.get("update_type")
        when = from_ms(update.get("timestamp"))
        if kind in ("message_created", "message_edited"):
            message = update.get("message") or {}
            body = message.get("body") or {}
            mid = body.get("mid")
            sender = message.get("sender") or {}
            if not mid or not sender.get("user_id"):
                raise ValueError(f"MAX {kind} without body.mid or sender.user_id")
            if sender.get("is_bot"):
                return []
            ref = _user(sender)
            if kind == "message_edited":
                return [
                    InboundItem(
                        kind=ItemKind.EDIT,
                        external_id=f"edit:{mid}:{update.get('timestamp')}",
                        sender=ref,
                        text=body.get("text"),
                        sent_at=when,
                        target_external_id=mid,
                        raw=update,
                    )
                ]
            refs, contact, location, notes = self._attachments(body)
            text = body.get("text") or None
            if notes:
                text = f"{text}\n{notes}" if text else notes
            # A contact card is the sender's own number only when it is their own MAX user (the request_contact
            # button's answer); anyone else's card is shown, never taken as an identity.
            own = contact is not None and contact.phone and contact.platform_user_id == ref.value
            identities = (SenderRef("phone", contact.phone, contact.name),) if own else ()
            return [
                InboundItem(
                    kind=ItemKind.MESSAGE,
                    external_id=mid,
                    sender=ref,
                    text=text,
                    sent_at=from_ms(message.get("timestamp")) or when,
                    attachments=tuple(refs),
                    contact=contact,
                    location=location,
                    identities=identities,
                    raw=update,
                )
            ]
        if kind == "message_removed":
            mid = update.get("message_id")
            return [
                InboundItem(
                    kind=ItemKind.DELETION,
                    external_id=f"delete:{mid}",
                    sender=_user({"user_id": update.get("user_id")}),
                    sent_at=when,
                    target_external_id=str(mid),
                    raw=update,
                )
            ]
        if kind == "message_callback":
            callback = update.get("callback") or {}
            user = callback.get("user") or {}
            if not callback.get("callback_id") or not user.get("user_id"):
                raise ValueError("MAX message_callback without callback_id or user")
            return [
                InboundItem(
                    kind=ItemKind.MESSAGE,
                    external_id=f"callback:{callback['callback_id']}",
                    sender=_user(user),
                    sent_at=from_ms(callback.get("timestamp")) or when,
                    button=callback.get("payload"),
                    raw=update,
                )
            ]
        if kind == "bot_started":
            user = update.get("user") or {}
            if not user.get("user_id"):
                raise ValueError("MAX bot_started without user")
            return [
                InboundItem(
                    kind=ItemKind.MESSAGE,
                    external_id=f"start:{user['user_id']}:{update.get('timestamp')}",
                    sender=_user(user),
                    sent_at=when,
                    start_payload=update.get("payload") or None,
                    raw=update,
                )
            ]
        if kind == "bot_stopped":
            user = update.get("user") or {}
            return [
                InboundItem(ItemKind.UNSUBSCRIBED, f"stop:{user.get('user_id')}:{update.get('timestamp')}", _user(user))
            ]
        if isinstance(kind, str):
            return []  # chat membership and title changes: nothing for the help desk
        raise ValueError("not a MAX update: no update_type")

    def _attachments(self, body: dict[str, Any]) -> tuple[list[AttachmentRef], Contact | None, Location | None, str]:
        refs: list[AttachmentRef] = []
        contact = location = None
        notes: list[str] = []
        for attachment in body.get("attachments") or ():
            kind = attachment.get("type")
            payload = attachment.get("payload") or {}
            if kind in ("image", "video", "audio", "file", "sticker") and payload.get("url"):
                refs.append(
                    AttachmentRef(
                        kind={"file": "document"}.get(kind, kind),
                        platform_id=payload["url"],
                        file_name=attachment.get("filename"),
                        size=attachment.get("size"),
                    )
                )
            elif kind == "contact":
                info = payload.get("max_info") or {}
                phone = _vcf_phone(payload.get("vcf_info"))
                name = info.get("name") or _vcf_name(payload.get("vcf_info"))
                contact = Contact(name, phone, str(info["user_id"]) if info.get("user_id") else None)
            elif kind == "location":
                if "latitude" in attachment and "longitude" in attachment:
                    location = Location(float(attachment["latitude"]), float(attachment["longitude"]))
            elif kind == "share" and payload.get("url"):
                notes.append(payload["url"])
        return refs, contact, location, "\n".join(notes)

    # -- API calls -------------------------------------------------------------------------------------------

    async def call(
        self, client: httpx.AsyncClient, method: str, path: str, *, params: dict[str, Any] | None = None, **kw: Any
    ) -> dict[str, Any]:
        rate = int(self.config.options.get("rate") or PLATFORM_LIMITS["max"].per_second)
        await token_window(self.token, rate).acquire()
        response = await client.request(
            method, f"{self.api_base}{path}", params=params, headers={"Authorization": self.token}, **kw
        )
        if response.status_code != 200:
            raise self.classify(response)
        return response_json(response)

    def classify(self, response: httpx.Response) -> SendFailure:
        try:
            error = response.json()
        except ValueError:
            error = {}
        code = str(error.get("code") or "") if isinstance(error, dict) else ""
        status = response.status_code
        retryable = status == 429 or status >= 500 or code in ("too.many.requests", "attachment.not.ready")
        words = ERRORS.get(code) or (f"MAX refused the request: {error.get('message')}" if code else f"HTTP {status}")
        wait = retry_after_seconds(response.headers, 1.0 if retryable else None)
        return SendFailure(words, retryable=retryable, retry_after=wait, code=code or str(status))

    # -- outbound --------------------------------------------------------------------------------------------

    def keyboard(self, message: OutboundMessage) -> dict[str, Any] | None:
        rows: list[list[dict[str, Any]]] = []
        for button in message.buttons:
            if button.url:
                rows.append([{"type": "link", "text": button.title, "url": button.url}])
            else:
                rows.append([{"type": "callback", "text": button.title, "payload": button.payload or button.title}])
        if message.quick_replies:
            quick = [{"type": "message", "text": title} for title in message.quick_replies]
            rows.extend(quick[i : i + 3] for i in range(0, len(quick), 3))
        if not rows:
            return None
        return {"type": "inline_keyboard", "payload": {"buttons": rows[:30]}}

    async def upload(self, client: httpx.AsyncClient, file: OutboundFile) -> dict[str, Any]:
        """Upload ``file`` and answer the attachment that sends it (``{"type": ..., "payload": {"token": ...}}``)."""
        kind = UPLOAD_TYPES.get(file.kind, "file")
        slot = await self.call(client, "POST", "/uploads", params={"type": kind})
        response = await client.post(slot["url"], files={"data": (file.file_name, file.content, file.mime_type)})
        if response.status_code != 200:
            raise self.classify(response)
        uploaded = response_json(response)
        if kind == "image":
            return {"type": "image", "payload": uploaded}  # {"photos": {...: {"token": ...}}}
        token = uploaded.get("token") or slot.get("token")
        if not token:
            raise SendFailure(f"MAX gave no token for the upload of {file.file_name!r}", retryable=True)
        return {"type": kind, "payload": {"token": token}}

    async def _post_message(self, client: httpx.AsyncClient, address: str, body: dict[str, Any]) -> str:
        delay = 0.5
        for _attempt in range(4):
            try:
                answer = await self.call(client, "POST", "/messages", params={"user_id": address}, json=body)
            except SendFailure as failure:
                # Documented: a message sent before its upload is processed answers attachment.not.ready.
                if failure.code != "attachment.not.ready":
                    raise
                await asyncio.sleep(delay)
                delay *= 2
                continue
            return str(((answer.get("message") or {}).get("body") or {}).get("mid"))
        raise SendFailure(ERRORS["attachment.not.ready"], retryable=True, retry_after=5.0, code="attachment.not.ready")

    async def send(self, client: httpx.AsyncClient, message: OutboundMessage) -> SendResult:
        address = message.recipient.address
        if not address:
            raise SendFailure("the conversation has no MAX user id to answer", retryable=False, code="no-address")
        attachments = [await self.upload(client, file) for file in message.files]
        keyboard = self.keyboard(message)
        pieces = split_text(message.text, MAX_TEXT) if message.text else [""]
        ids: list[str] = []
        for index, piece in enumerate(pieces):
            last = index == len(pieces) - 1
            body: dict[str, Any] = {"text": piece}
            extra = (attachments if index == 0 else []) + ([keyboard] if last and keyboard else [])
            if extra:
                body["attachments"] = extra
            ids.append(await self._post_message(client, address, body))
        return SendResult(tuple(ids))

    async def answer_callback(self, client: httpx.AsyncClient, callback_id: str, notification: str) -> None:
        """``POST /answers``: a short notice to the customer who pressed a button (MAX shows a spinner until then)."""
        await self.call(
            client, "POST", "/answers", params={"callback_id": callback_id}, json={"notification": notification}
        )

    async def fetch_attachment(self, client: httpx.AsyncClient, ref: AttachmentRef) -> tuple[bytes, str | None]:
        return await fetch_cdn(client, ref)

    # -- administration --------------------------------------------------------------------------------------

    async def register_webhook(self, client: httpx.AsyncClient, url: str) -> dict[str, Any]:
        """``POST /subscriptions`` with our secret, so every update carries X-Max-Bot-Api-Secret."""
        body = {"url": url, "update_types": list(UPDATE_TYPES), "secret": self.config.secrets.get("webhook_secret")}
        answer = await self.call(client, "POST", "/subscriptions", json=body)
        if not answer.get("success"):
            raise SendFailure(f"MAX refused the subscription: {answer.get('message')}", retryable=False)
        return answer

    async def remove_webhook(self, client: httpx.AsyncClient, url: str) -> None:
        await self.call(client, "DELETE", "/subscriptions", params={"url": url})

    async def me(self, client: httpx.AsyncClient) -> dict[str, Any]:
        """``GET /me``: checks the token and tells the bot's name."""
        return await self.call(client, "GET", "/me")


def _user(user: dict[str, Any]) -> SenderRef | None:
    if not user.get("user_id"):
        return None
    name = user.get("name") or " ".join(p for p in (user.get("first_name"), user.get("last_name")) if p) or None
    return SenderRef("max", str(user["user_id"]), name)


def _vcf_field(vcf: Any, prefix: str) -> str | None:
    if not isinstance(vcf, str):
        return None
    for line in vcf.replace("\r\n", "\n").split("\n"):
        head, _, value = line.partition(":")
        if head.upper().split(";")[0] == prefix and value.strip():
            return value.strip()
    return None


def _vcf_phone(vcf: Any) -> str | None:
    return _vcf_field(vcf, "TEL")


def _vcf_name(vcf: Any) -> str | None:
    return _vcf_field(vcf, "FN")
