"""The Telegram Bot API connector (https://core.telegram.org/bots/api).

Inbound, Telegram delivers ``Update`` objects: POSTed to our webhook with the ``X-Telegram-Bot-Api-Secret-Token``
header we chose in ``setWebhook``, or fetched by ``getUpdates`` (the poller in the server, offset = last update_id + 1).
Each update becomes at most one channel-neutral item: a message (text, photo, document, voice, audio, video, sticker,
a shared contact or location, ``/start PAYLOAD``), an edit of one, or a pressed inline-keyboard button
(``callback_query``). A message's id is unique only within its chat, so our external id is ``<chat id>:<message id>``.

Outbound: ``sendMessage`` (texts past 4096 characters in several messages), ``sendPhoto``/``sendDocument``/``sendVoice``
with multipart uploads, inline keyboards (buttons) and reply keyboards (quick replies, a menu under the input field).
A 429 answer carries ``parameters.retry_after``: the outbox waits that long; 403 (the customer blocked the bot) and
"chat not found" are permanent, in words for the operator.
"""

from __future__ import annotations

import datetime as dt
import hmac
import json
import re
from typing import Any

import httpx

from omnidesk.channels.base import (
    AttachmentRef,
    Capabilities,
    Connector,
    Contact,
    Health,
    InboundItem,
    InboundRequest,
    ItemKind,
    Location,
    OutboundMessage,
    SenderRef,
    SendFailure,
    SendResult,
    Unverified,
    WebhookAnswer,
    retry_after_seconds,
    split_text,
)

DEFAULT_API_BASE = "https://api.telegram.org"
MAX_TEXT = 4096
MAX_CAPTION = 1024
SECRET_TOKEN = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
START = re.compile(r"^/start(?:@\w+)?(?:\s+(\S{1,64}))?\s*$")


def _name(user: dict) -> str | None:
    parts = [user.get("first_name"), user.get("last_name")]
    name = " ".join(p for p in parts if p)
    return name or user.get("username") or None


def _when(seconds: Any) -> dt.datetime | None:
    if isinstance(seconds, int | float) and seconds > 0:
        return dt.datetime.fromtimestamp(seconds, dt.UTC)
    return None


class TelegramConnector(Connector):
    kind = "telegram"
    splits_long_text = True
    capabilities = Capabilities(
        max_text=MAX_TEXT,
        media_kinds=frozenset({"image", "document", "voice", "audio", "video", "sticker"}),
        max_media_bytes=20 * 1024 * 1024,  # getFile downloads at most 20 MB; uploads by multipart up to 50 MB
        buttons=True,
        quick_replies=True,
        edits=True,
        receipts=False,  # the Bot API reports no delivery or read state
        max_buttons=100,
        max_button_title=64,
        reply_keyboards=True,
    )

    # --- configuration ------------------------------------------------------------------------------------

    @property
    def token(self) -> str:
        token = self.config.secrets.get("token")
        if not token:
            raise SendFailure("the channel has no bot token", retryable=False, code="no_token")
        return token

    @property
    def api_base(self) -> str:
        return (self.config.api_base or DEFAULT_API_BASE).rstrip("/")

    def method_url(self, method: str) -> str:
        return f"{self.api_base}/bot{self.token}/{method}"

    def file_url(self, file_path: str) -> str:
        return f"{self.api_base}/file/bot{self.token}/{file_path.lstrip('/')}"

    # --- inbound ------------------------------------------------------------------------------------------

    def verify(self, request: InboundRequest) -> None:
        expected = self.config.secrets.get("webhook_secret")
        given = request.headers.get("x-telegram-bot-api-secret-token", "")
        if not expected:
            raise Unverified("the channel has no webhook secret (poll mode)")
        if not given or not hmac.compare_digest(given.encode(), expected.encode()):
            raise Unverified("X-Telegram-Bot-Api-Secret-Token missing or wrong")

    def parse(self, request: InboundRequest) -> list[InboundItem]:
        try:
            update = json.loads(request.body)
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise ValueError("the body is not JSON") from None
        return self.parse_update(update)

    def parse_update(self, update: Any) -> list[InboundItem]:
        if not isinstance(update, dict) or not isinstance(update.get("update_id"), int):
            raise ValueError("not a Telegram Update (update_id missing)")
        if isinstance(update.get("message"), dict):
            item = self._message(update["message"], update)
            return [item] if item else []
        if isinstance(update.get("edited_message"), dict):
            edited = update["edited_message"]
            item = self._message(edited, update)
            if item is None:
                return []
            key = f"{edited['chat']['id']}:{edited['message_id']}"
            return [
                InboundItem(
                    kind=ItemKind.EDIT,
                    external_id=f"edit:{key}:{edited.get('edit_date') or update['update_id']}",
                    sender=item.sender,
                    text=item.text,
                    sent_at=_when(edited.get("edit_date")) or item.sent_at,
                    target_external_id=key,
                    raw=update,
                )
            ]
        if isinstance(update.get("callback_query"), dict):
            return self._callback(update["callback_query"], update)
        return []  # channel posts, inline queries, polls...: not customer conversations

    def _sender(self, user: dict) -> tuple[SenderRef, tuple[SenderRef, ...]]:
        sender = SenderRef("telegram_id", str(user["id"]), _name(user))
        extra = ()
        if user.get("username"):
            extra = (SenderRef("telegram_username", str(user["username"]), _name(user)),)
        return sender, extra

    def _message(self, message: dict, update: dict) -> InboundItem | None:
        chat = message.get("chat") or {}
        user = message.get("from")
        if chat.get("type", "private") != "private" or not isinstance(user, dict) or user.get("is_bot"):
            return None  # groups and channels are not one customer's conversation
        if "message_id" not in message or "id" not in chat:
            raise ValueError("message without message_id or chat.id")
        sender, identities = self._sender(user)
        text = message.get("text") or message.get("caption") or ""
        attachments: list[AttachmentRef] = []
        caption = message.get("caption")
        if isinstance(message.get("photo"), list) and message["photo"]:
            best = max(message["photo"], key=lambda p: (p.get("width", 0) * p.get("height", 0), p.get("file_size", 0)))
            attachments.append(
                AttachmentRef("image", best["file_id"], "image/jpeg", None, best.get("file_size"), caption)
            )
        for field, kind in (("document", "document"), ("voice", "voice"), ("audio", "audio"), ("video", "video")):
            media = message.get(field)
            if isinstance(media, dict) and media.get("file_id"):
                attachments.append(
                    AttachmentRef(
                        kind, media["file_id"], media.get("mime_type"), media.get("file_name"), media.get("file_size")
                    )
                )
        if isinstance(message.get("video_note"), dict):
            note = message["video_note"]
            attachments.append(AttachmentRef("video", note["file_id"], "video/mp4", None, note.get("file_size")))
        if isinstance(message.get("sticker"), dict):
            sticker = message["sticker"]
            if sticker.get("is_video"):
                mime = "video/webm"
            elif sticker.get("is_animated"):
                mime = "application/x-tgsticker"
            else:
                mime = "image/webp"
            attachments.append(AttachmentRef("sticker", sticker["file_id"], mime, None, sticker.get("file_size")))
            if not text and sticker.get("emoji"):
                text = sticker["emoji"]
        contact = None
        if isinstance(message.get("contact"), dict):
            c = message["contact"]
            contact = Contact(_name(c), c.get("phone_number"), str(c["user_id"]) if c.get("user_id") else None)
            # Only the customer's own number (Telegram sets user_id to the sender's) becomes their identity; a
            # contact card of someone else is shown, never attached to this customer.
            if c.get("phone_number") and c.get("user_id") == user.get("id"):
                phone = str(c["phone_number"])
                identities += (SenderRef("phone", phone if phone.startswith("+") else "+" + phone, sender.name),)
        location = None
        if isinstance(message.get("location"), dict):
            loc = message["location"]
            venue = message.get("venue") or {}
            location = Location(
                float(loc["latitude"]), float(loc["longitude"]), venue.get("title"), venue.get("address")
            )
        start_payload = None
        if message.get("text"):
            match = START.match(message["text"])
            if match:
                start_payload = match.group(1)
                if start_payload:
                    identities += (SenderRef("external", start_payload, sender.name),)
        return InboundItem(
            kind=ItemKind.MESSAGE,
            external_id=f"{chat['id']}:{message['message_id']}",
            sender=sender,
            text=text,
            sent_at=_when(message.get("date")),
            attachments=tuple(attachments),
            contact=contact,
            location=location,
            identities=identities,
            start_payload=start_payload,
            raw=update,
        )

    def _callback(self, query: dict, update: dict) -> list[InboundItem]:
        user = query.get("from")
        if not isinstance(user, dict) or "id" not in query:
            raise ValueError("callback_query without id or from")
        data = query.get("data")
        if data is None:
            return []
        sender, identities = self._sender(user)
        title = data
        markup = ((query.get("message") or {}).get("reply_markup") or {}).get("inline_keyboard") or []
        for row in markup:
            for button in row:
                if isinstance(button, dict) and button.get("callback_data") == data:
                    title = button.get("text") or data
        return [
            InboundItem(
                kind=ItemKind.MESSAGE,
                external_id=f"callback:{query['id']}",
                sender=sender,
                text=title,
                button=data,
                identities=identities,
                raw=update,
            )
        ]

    def ack(self, items: list[InboundItem]) -> WebhookAnswer | None:
        """A webhook answer may carry one Bot API call: stop the spinner of a pressed button."""
        for item in items:
            if item.button is not None and item.external_id.startswith("callback:"):
                body = {"method": "answerCallbackQuery", "callback_query_id": item.external_id.split(":", 1)[1]}
                return WebhookAnswer(200, json.dumps(body), "application/json")
        return None

    async def fetch_attachment(self, client: httpx.AsyncClient, ref: AttachmentRef) -> tuple[bytes, str | None]:
        info = await self.call(client, "getFile", {"file_id": ref.platform_id})
        path = info.get("file_path")
        if not path:
            raise SendFailure("Telegram gave no file path (the file is over 20 MB)", retryable=False)
        response = await client.get(self.file_url(path))
        if response.status_code != 200:
            raise self.classify(response)
        return response.content, ref.mime_type

    # --- Bot API calls ------------------------------------------------------------------------------------

    async def call(self, client: httpx.AsyncClient, method: str, params: dict | None = None, files=None) -> Any:
        """One Bot API method; its ``result``, or :class:`SendFailure` in words."""
        url = self.method_url(method)
        if files:
            data = {k: v if isinstance(v, str) else json.dumps(v) for k, v in (params or {}).items()}
            response = await client.post(url, data=data, files=files)
        else:
            response = await client.post(url, json=params or {})
        try:
            document = response.json()
        except ValueError:
            document = None
        if response.status_code != 200 or not isinstance(document, dict) or not document.get("ok"):
            raise self.classify(response)
        return document.get("result")

    async def get_me(self, client: httpx.AsyncClient) -> dict:
        return await self.call(client, "getMe")

    async def set_webhook(self, client: httpx.AsyncClient, url: str, secret: str) -> None:
        if not SECRET_TOKEN.match(secret):
            raise ValueError("secret_token: 1-256 characters of A-Z a-z 0-9 _ -")
        await self.call(
            client,
            "setWebhook",
            {
                "url": url,
                "secret_token": secret,
                "allowed_updates": ["message", "edited_message", "callback_query"],
            },
        )

    async def delete_webhook(self, client: httpx.AsyncClient) -> None:
        await self.call(client, "deleteWebhook", {"drop_pending_updates": False})

    async def webhook_info(self, client: httpx.AsyncClient) -> dict:
        return await self.call(client, "getWebhookInfo")

    async def get_updates(self, client: httpx.AsyncClient, offset: int | None, timeout: int = 25) -> list[dict]:
        params: dict[str, Any] = {
            "timeout": timeout,
            "allowed_updates": ["message", "edited_message", "callback_query"],
        }
        if offset is not None:
            params["offset"] = offset
        return await self.call(client, "getUpdates", params) or []

    async def answer_callback(self, client: httpx.AsyncClient, callback_id: str) -> None:
        await self.call(client, "answerCallbackQuery", {"callback_query_id": callback_id})

    # --- outbound -----------------------------------------------------------------------------------------

    def _markup(self, message: OutboundMessage) -> dict | None:
        if message.buttons:
            rows = []
            for button in message.buttons:
                entry: dict[str, Any] = {"text": button.title[:64]}
                if button.url:
                    entry["url"] = button.url
                else:
                    entry["callback_data"] = (button.payload or button.title)[:64]
                rows.append([entry])
            return {"inline_keyboard": rows}
        if message.quick_replies:
            return {
                "keyboard": [[{"text": title[:64]}] for title in message.quick_replies],
                "resize_keyboard": True,
                "one_time_keyboard": True,
            }
        return None

    async def send(self, client: httpx.AsyncClient, message: OutboundMessage) -> SendResult:
        chat_id = message.recipient.address
        if not chat_id:
            raise SendFailure("the customer has no Telegram chat with this bot", retryable=False, code="no_chat")
        markup = self._markup(message)
        ids: list[str] = []
        text = message.text or ""
        caption_used = False
        for index, file in enumerate(message.files):
            method, field = {
                "image": ("sendPhoto", "photo"),
                "voice": ("sendVoice", "voice"),
                "audio": ("sendAudio", "audio"),
                "video": ("sendVideo", "video"),
            }.get(file.kind, ("sendDocument", "document"))
            params: dict[str, Any] = {"chat_id": chat_id}
            last = index == len(message.files) - 1
            if last and text and len(text) <= MAX_CAPTION:
                params["caption"] = text
                caption_used = True
                if markup:
                    params["reply_markup"] = markup
            result = await self.call(
                client, method, params, files={field: (file.file_name, file.content, file.mime_type)}
            )
            ids.append(f"{chat_id}:{result['message_id']}")
        if text and not caption_used:
            pieces = split_text(text, MAX_TEXT)
            for index, piece in enumerate(pieces):
                params = {"chat_id": chat_id, "text": piece}
                if markup and index == len(pieces) - 1:
                    params["reply_markup"] = markup
                result = await self.call(client, "sendMessage", params)
                ids.append(f"{chat_id}:{result['message_id']}")
        if not ids:
            raise SendFailure("nothing to send: no text and no file", retryable=False, code="empty")
        return SendResult(tuple(ids))

    def classify(self, response: httpx.Response) -> SendFailure:
        try:
            document = response.json()
        except ValueError:
            document = {}
        if not isinstance(document, dict):
            document = {}
        code = int(document.get("error_code") or response.status_code)
        description = str(document.get("description") or f"HTTP {response.status_code}")[:300]
        parameters = document.get("parameters") or {}
        if code == 429:
            retry = parameters.get("retry_after")
            seconds = float(retry) if isinstance(retry, int | float) else retry_after_seconds(response.headers, 1.0)
            return SendFailure(
                f"Telegram limits the bot's sending rate: retrying in {seconds:g} s",
                retryable=True,
                retry_after=seconds,
                code="429",
            )
        if code == 403:
            lowered = description.lower()
            if "blocked" in lowered:
                reason = "The customer has blocked the bot: Telegram refuses messages until they unblock it"
            elif "deactivated" in lowered:
                reason = "The customer's Telegram account is deleted"
            else:
                reason = f"Telegram refused the message: {description}"
            return SendFailure(reason, retryable=False, code="403")
        if code == 401:
            return SendFailure("Telegram rejects the bot token: set a new one", retryable=False, code="401")
        if code == 400 and "chat not found" in description.lower():
            return SendFailure("The customer has never started this bot (chat not found)", retryable=False, code="400")
        if code == 409:
            return SendFailure(f"Telegram: {description}", retryable=True, retry_after=5.0, code="409")
        if code >= 500 or code in (408, 425):
            return SendFailure(
                f"Telegram is unavailable ({code})",
                retryable=True,
                retry_after=retry_after_seconds(response.headers),
                code=str(code),
            )
        return SendFailure(f"Telegram refused the message: {description}", retryable=False, code=str(code))

    async def health(self, client: httpx.AsyncClient) -> Health:
        checks: list[tuple[str, bool, str]] = []
        try:
            me = await self.get_me(client)
            checks.append(("token", True, f"token valid (@{me.get('username')})"))
        except SendFailure as failure:
            return Health(False, (("token", False, failure.reason),))
        except httpx.HTTPError as exc:
            return Health(False, (("token", False, f"Telegram unreachable: {type(exc).__name__}"),))
        mode = self.config.options.get("mode", "poll")
        try:
            info = await self.webhook_info(client)
        except (SendFailure, httpx.HTTPError) as exc:
            checks.append(("webhook", False, f"getWebhookInfo failed: {exc}"))
            info = None
        if info is not None:
            url = info.get("url") or ""
            if mode == "webhook":
                ok = bool(url) and url == self.config.webhook_url
                detail = "webhook set" if ok else f"webhook not set to {self.config.webhook_url} (Telegram has {url!r})"
                if info.get("last_error_message"):
                    detail += f"; Telegram's last error: {info['last_error_message']}"
                checks.append(("webhook", ok, detail))
            else:
                ok = not url
                checks.append(("webhook", ok, "poll mode, no webhook set" if ok else f"a webhook is set ({url})"))
        return Health(all(c[1] for c in checks), tuple(checks))
