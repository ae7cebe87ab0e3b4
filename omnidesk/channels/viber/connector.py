"""Viber REST bot API connector (https://developers.viber.com/docs/api/rest-bot-api/).

Inbound, Viber POSTs each callback to the webhook registered with ``set_webhook`` and signs it: the header
``X-Viber-Content-Signature`` is the hex HMAC-SHA256 of the raw body keyed with the bot's authentication token.
Events: ``webhook`` (Viber's check of the address at set_webhook time), ``message`` (text, picture, video, file,
sticker, contact, location, url), ``subscribed``, ``unsubscribed``, ``conversation_started`` (with the deep link's
``context``), ``delivered``, ``seen`` and ``failed``. Every event carries ``message_token``, the platform's id we
dedupe on.

Outbound, ``POST /pa/send_message`` with ``X-Viber-Auth-Token``. Viber answers HTTP 200 with ``status`` 0 for
success and a documented error code otherwise; a bot may message only subscribed users (status 6 otherwise).
"""

from __future__ import annotations

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
    OutboundMessage,
    ReceiptStatus,
    SenderRef,
    SendFailure,
    SendResult,
    Unverified,
)
from omnidesk.channels.wire import fetch_cdn, from_ms, hmac_sha256_hex, json_object, response_json, same, split_text

API_BASE = "https://chatapi.viber.com/pa"
SIGNATURE_HEADER = "x-viber-content-signature"
MAX_TEXT = 7000  # the documented limit of a text message
EVENT_TYPES = ("delivered", "seen", "failed", "subscribed", "unsubscribed", "conversation_started")
# Viber's documented error codes (the "status" of every answer): retryable ones, the rest are final.
ERRORS: dict[int, str] = {
    1: "invalid webhook URL",
    2: "invalid authentication token: check the bot's token",
    3: "Viber refused the request as malformed",
    4: "a required field is missing",
    5: "the receiver is not a Viber user (or the id is wrong)",
    6: "the customer is not subscribed to the bot: Viber lets a bot write only to its subscribers",
    7: "the bot is blocked",
    8: "the bot was not found",
    9: "the bot is suspended",
    10: "no webhook is set for the bot",
    11: "the customer has no device that can receive this message",
    12: "too many requests: Viber's rate limit",
    13: "the customer's Viber is too old for this message",
    14: "the message is incompatible with the customer's Viber version",
    15: "the bot is not authorised",
    16: "in-chat reply message not allowed",
    17: "the bot is not inline",
    18: "no public chat",
    19: "cannot send broadcast",
    20: "broadcast not allowed",
    21: "the customer's country is not supported",
    22: "payment not supported",
    23: "the bot's free messages are exhausted",
    24: "no balance for paid messages",
}
RETRYABLE = frozenset({12})
MEDIA_TYPES = {"image": "picture", "video": "video"}  # everything else goes as "file"
RICH_ROWS = 7  # rows of one rich media card (ButtonsGroupRows: 1-7)
RICH_MEDIA_API_VERSION = 2  # the lowest client API version that shows rich media (older ones get alt_text)
SHARE_PHONE = "share-phone"  # a Button with this payload asks for the customer's own number (Viber's share-phone)


class ViberConnector(Connector):
    kind = "viber"
    capabilities = Capabilities(
        max_text=MAX_TEXT,
        media_kinds=frozenset({"image", "video", "document"}),
        max_media_bytes=50 * 1024 * 1024,  # files up to 50 MB (pictures 1 MB, videos 26 MB)
        buttons=True,
        quick_replies=True,
        receipts=True,
        media_by_url=True,  # send_message takes "media" as an address Viber fetches; there is no upload
    )

    # -- configuration ---------------------------------------------------------------------------------------

    @property
    def api_base(self) -> str:
        return (self.config.api_base or API_BASE).rstrip("/")

    @property
    def token(self) -> str:
        token = self.config.secrets.get("auth_token")
        if not token:
            raise SendFailure("the Viber channel has no authentication token", retryable=False, code="config")
        return token

    def _headers(self) -> dict[str, str]:
        return {"X-Viber-Auth-Token": self.token, "Content-Type": "application/json"}

    # -- inbound ---------------------------------------------------------------------------------------------

    def verify(self, request: InboundRequest) -> None:
        token = self.config.secrets.get("auth_token")
        signature = request.headers.get(SIGNATURE_HEADER, "").strip().lower()
        if not token or not signature:
            raise Unverified("X-Viber-Content-Signature missing")
        if not same(hmac_sha256_hex(token, request.body), signature):
            raise Unverified("X-Viber-Content-Signature does not match the body")

    def parse(self, request: InboundRequest) -> list[InboundItem]:
        event = json_object(request.body)
        name = event.get("event")
        token = event.get("message_token")
        when = from_ms(event.get("timestamp"))
        if name == "webhook":
            return []
        if token is None:
            raise ValueError(f"Viber event {name!r} without message_token")
        token = str(token)
        if name == "message":
            return [self._message(event, token, when)]
        if name in ("delivered", "seen", "failed"):
            status = {"delivered": ReceiptStatus.DELIVERED, "seen": ReceiptStatus.READ}.get(name, ReceiptStatus.FAILED)
            return [
                InboundItem(
                    kind=ItemKind.RECEIPT,
                    external_id=f"{name}:{token}",
                    sender=_user_ref(event.get("user_id")),
                    sent_at=when,
                    target_external_id=token,
                    status=status,
                    error=event.get("desc") if name == "failed" else None,
                    raw=event,
                )
            ]
        if name == "subscribed":
            user = event.get("user") or {}
            return [
                InboundItem(
                    ItemKind.SUBSCRIBED, f"subscribed:{token}", _user_ref(user.get("id"), user.get("name")), None, when
                )
            ]
        if name == "unsubscribed":
            return [
                InboundItem(ItemKind.UNSUBSCRIBED, f"unsubscribed:{token}", _user_ref(event.get("user_id")), None, when)
            ]
        if name == "conversation_started":
            user = event.get("user") or {}
            context = event.get("context")
            if not context:
                # The customer only opened the chat: nothing to store until they write or subscribe.
                return []
            return [
                InboundItem(
                    kind=ItemKind.MESSAGE,
                    external_id=f"start:{token}",
                    sender=_user_ref(user.get("id"), user.get("name")),
                    sent_at=when,
                    start_payload=str(context),
                    raw=event,
                )
            ]
        if name in ("client_status", "action"):
            return []
        raise ValueError(f"unknown Viber event {name!r}")

    def _message(self, event: dict[str, Any], token: str, when: Any) -> InboundItem:
        sender = event.get("sender") or {}
        message = event.get("message") or {}
        if not sender.get("id"):
            raise ValueError("Viber message without sender.id")
        ref = SenderRef("viber", str(sender["id"]), sender.get("name"))
        kind = message.get("type")
        text = message.get("text")
        attachments: list[AttachmentRef] = []
        contact = location = None
        identities: list[SenderRef] = []
        if kind in ("picture", "video", "file", "sticker"):
            url = message.get("media")
            if not url:
                raise ValueError(f"Viber {kind} message without media")
            attachments.append(
                AttachmentRef(
                    kind={"picture": "image", "file": "document"}.get(kind, kind),
                    platform_id=str(url),
                    file_name=message.get("file_name"),
                    size=message.get("size"),
                    caption=text if kind == "picture" else None,
                )
            )
            if kind != "picture":
                text = None if kind != "file" else text
        elif kind == "contact":
            shared = message.get("contact") or {}
            contact = Contact(shared.get("name"), shared.get("phone_number"))
            # Only the answer to our share-phone button is the sender's own number; any other contact card may be
            # someone else's, so it is shown, never taken as an identity.
            own = str(message.get("tracking_data") or "").endswith(":phone")
            if own and shared.get("phone_number"):
                identities.append(SenderRef("phone", str(shared["phone_number"]), shared.get("name")))
        elif kind == "location":
            point = message.get("location") or {}
            try:
                location = Location(float(point["lat"]), float(point["lon"]), address=point.get("address"))
            except (KeyError, TypeError, ValueError):
                raise ValueError("Viber location without lat/lon") from None
        elif kind == "url":
            text = message.get("media") or text
        elif kind != "text":
            raise ValueError(f"unknown Viber message type {kind!r}")
        tracking = str(message.get("tracking_data") or "")
        button = text if ":buttons" in tracking and kind == "text" else None
        return InboundItem(
            kind=ItemKind.MESSAGE,
            external_id=token,
            sender=ref,
            text=text,
            sent_at=when,
            attachments=tuple(attachments),
            button=button,
            contact=contact,
            location=location,
            identities=tuple(identities),
            raw=event,
        )

    # -- outbound --------------------------------------------------------------------------------------------

    def _rich_media(self, message: OutboundMessage) -> list[dict[str, Any]]:
        """Link buttons as ``rich_media`` cards in the chat itself: a keyboard's open-url button is gone as soon as
        another keyboard replaces it, a card stays with the message. One card holds up to ``RICH_ROWS`` buttons, a
        button a row (Viber: 1-7 rows of 6 columns a card); older clients show ``alt_text``."""
        links = [b for b in message.buttons if b.url and b.payload != SHARE_PHONE]
        cards = []
        for start in range(0, len(links), RICH_ROWS):
            group = links[start : start + RICH_ROWS]
            body = self._envelope(message, False)
            body.update(
                {
                    "type": "rich_media",
                    "min_api_version": RICH_MEDIA_API_VERSION,
                    "rich_media": {
                        "Type": "rich_media",
                        "ButtonsGroupColumns": 6,
                        "ButtonsGroupRows": len(group),
                        "BgColor": "#FFFFFF",
                        "Buttons": [
                            {
                                "Columns": 6,
                                "Rows": 1,
                                "ActionType": "open-url",
                                "ActionBody": b.url,
                                "Text": b.title,
                                "TextSize": "medium",
                                "TextVAlign": "middle",
                                "TextHAlign": "center",
                            }
                            for b in group
                        ],
                    },
                    "alt_text": "\n".join(f"{b.title}: {b.url}" for b in group),
                }
            )
            cards.append(body)
        return cards

    def _keyboard(self, message: OutboundMessage) -> dict[str, Any] | None:
        buttons: list[dict[str, Any]] = []
        for button in message.buttons:
            if button.payload == SHARE_PHONE:
                buttons.append({"ActionType": "share-phone", "ActionBody": SHARE_PHONE, "Text": button.title})
            elif button.url:
                continue  # a link goes as a rich media card (see _rich_media)
            else:
                buttons.append(
                    {"ActionType": "reply", "ActionBody": button.payload or button.title, "Text": button.title}
                )
        for title in message.quick_replies:
            buttons.append({"ActionType": "reply", "ActionBody": title, "Text": title, "Columns": 3})
        if not buttons:
            return None
        return {"Type": "keyboard", "DefaultHeight": False, "Buttons": buttons}

    def _envelope(self, message: OutboundMessage, keyboard: bool) -> dict[str, Any]:
        if not message.recipient.address:
            raise SendFailure("the conversation has no Viber user id to answer", retryable=False, code="no-address")
        sender = {"name": str(self.config.options.get("sender_name") or self.config.name)[:28]}
        if self.config.options.get("sender_avatar"):
            sender["avatar"] = str(self.config.options["sender_avatar"])
        tracking = f"omnidesk:{message.message_id}" + (":buttons" if keyboard else "")
        return {
            "receiver": message.recipient.address,
            "min_api_version": 1,
            "sender": sender,
            "tracking_data": tracking,
        }

    def bodies(self, message: OutboundMessage) -> list[dict[str, Any]]:
        """The send_message bodies for ``message``: media first, then the text (split), keyboard on the last."""
        keyboard = self._keyboard(message)
        bodies: list[dict[str, Any]] = []
        for file in message.files:
            if not file.url:
                raise SendFailure(
                    f"Viber takes files only by a public address; {file.file_name!r} has none",
                    retryable=False,
                    code="media-url",
                )
            body = self._envelope(message, False)
            kind = MEDIA_TYPES.get(file.kind, "file")
            body.update({"type": kind, "media": file.url})
            if kind == "picture":
                body["text"] = ""
            else:
                body["size"] = len(file.content)
                if kind == "file":
                    body["file_name"] = file.file_name
            bodies.append(body)
        cards = self._rich_media(message)
        if message.text or not (bodies or cards):
            for piece in split_text(message.text, MAX_TEXT):
                body = self._envelope(message, keyboard is not None)
                body.update({"type": "text", "text": piece})
                bodies.append(body)
        bodies.extend(cards)  # after the text they belong to
        if keyboard is not None:
            bodies[-1]["keyboard"] = keyboard
            phone = any(b["ActionType"] == "share-phone" for b in keyboard["Buttons"])
            bodies[-1]["tracking_data"] = f"omnidesk:{message.message_id}:buttons" + (":phone" if phone else "")
        return bodies

    async def send(self, client: httpx.AsyncClient, message: OutboundMessage) -> SendResult:
        ids: list[str] = []
        for body in self.bodies(message):
            response = await client.post(f"{self.api_base}/send_message", json=body, headers=self._headers())
            answer = self._checked(response)
            ids.append(str(answer.get("message_token")))
        return SendResult(tuple(ids))

    def _checked(self, response: httpx.Response) -> dict[str, Any]:
        if response.status_code != 200:
            raise self.classify(response)
        answer = response_json(response)
        status = answer.get("status")
        if status != 0:
            raise self.failure(status, answer.get("status_message"))
        return answer

    def failure(self, status: Any, message: Any = None) -> SendFailure:
        """A Viber error status in words, retryable only where waiting helps."""
        code = status if isinstance(status, int) else -1
        words = ERRORS.get(code, f"Viber error {status}: {message or 'general error'}")
        return SendFailure(
            words, retryable=code in RETRYABLE, retry_after=1.0 if code in RETRYABLE else None, code=str(status)
        )

    async def fetch_attachment(self, client: httpx.AsyncClient, ref: AttachmentRef) -> tuple[bytes, str | None]:
        """Viber gives each media as a URL on its CDN, fetched without the token."""
        return await fetch_cdn(client, ref)

    # -- administration --------------------------------------------------------------------------------------

    async def register_webhook(self, client: httpx.AsyncClient, url: str) -> dict[str, Any]:
        """``set_webhook``: Viber then calls ``url`` with the ``webhook`` event (answered 200) before it succeeds."""
        body = {"url": url, "event_types": list(EVENT_TYPES), "send_name": True, "send_photo": False}
        response = await client.post(f"{self.api_base}/set_webhook", json=body, headers=self._headers())
        return self._checked(response)

    async def remove_webhook(self, client: httpx.AsyncClient) -> None:
        response = await client.post(f"{self.api_base}/set_webhook", json={"url": ""}, headers=self._headers())
        self._checked(response)

    async def account_info(self, client: httpx.AsyncClient) -> dict[str, Any]:
        """``get_account_info``: checks the token and tells the bot's name and subscriber count."""
        response = await client.post(f"{self.api_base}/get_account_info", json={}, headers=self._headers())
        return self._checked(response)


def _user_ref(user_id: Any, name: Any = None) -> SenderRef | None:
    return SenderRef("viber", str(user_id), name) if user_id else None
