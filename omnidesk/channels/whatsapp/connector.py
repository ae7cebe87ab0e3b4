"""The WhatsApp Business Cloud API connector (Graph API, https://developers.facebook.com/docs/whatsapp/cloud-api).

Inbound: Meta verifies the webhook once with a GET (``hub.mode=subscribe``, ``hub.verify_token``, ``hub.challenge``:
we echo the challenge when the token is ours), then POSTs ``whatsapp_business_account`` notifications signed with
``X-Hub-Signature-256: sha256=<HMAC-SHA256 of the raw body with the app secret>``. A notification's ``messages``
become inbound items (text, image, document, audio and voice, video, sticker, location, contacts, interactive button
and list replies, template quick-reply buttons); its ``statuses`` (sent, delivered, read, failed) become receipts for
our own messages, keyed by the ``wamid``. Meta redelivers for days, so duplicates are normal: ingest keys on wamid.

Outbound: ``POST /<version>/<phone number id>/messages``. Free text only within 24 hours of the customer's last
message; outside that window only an approved template (synced from the business account's
``message_templates``). Files are uploaded first (``/<phone number id>/media``) and sent by media id; buttons are
interactive reply buttons (at most 3, titles of at most 20 characters). Graph error codes map to retryable (rate
limits, temporary errors) or permanent with a reason the operator can act on.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
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
    ReceiptStatus,
    SenderRef,
    SendFailure,
    SendResult,
    TemplateInfo,
    Unverified,
    WebhookAnswer,
    retry_after_seconds,
)

DEFAULT_API_BASE = "https://graph.facebook.com"
DEFAULT_VERSION = "v21.0"
MAX_TEXT = 4096
WINDOW = dt.timedelta(hours=24)

# Graph API error codes (WhatsApp Cloud API "Error codes" page) that a later attempt may get through.
RETRYABLE_CODES = {
    1: "WhatsApp had an unknown temporary error",
    2: "WhatsApp's service is temporarily unavailable",
    4: "the app reached its API call limit",
    80007: "the WhatsApp Business Account reached its rate limit",
    130429: "the phone number's message throughput limit was reached",
    131000: "WhatsApp had an unknown error sending the message",
    131016: "WhatsApp's service is temporarily overloaded",
    131056: "too many messages to this customer in a short time",
    133004: "the WhatsApp server is temporarily unavailable",
}
PERMANENT_CODES = {
    0: "WhatsApp could not authenticate the app: check the access token",
    3: "the app lacks the permission to send WhatsApp messages",
    10: "the access token lacks the whatsapp_business_messaging permission",
    100: "WhatsApp rejected a parameter of the message",
    190: "the access token has expired or is invalid: set a new one",
    368: "the WhatsApp account is temporarily blocked for policy violations",
    131008: "a required parameter is missing",
    131009: "a parameter value is invalid",
    131021: "the recipient is the business's own number",
    131026: "the message cannot be delivered to this number (not on WhatsApp, or an old app version)",
    131030: "the recipient's number is not in the allowed list of this test account",
    131031: "the WhatsApp Business Account is locked",
    131042: "a payment problem on the WhatsApp Business Account",
    131045: "the phone number is not registered",
    131047: "more than 24 hours have passed since the customer last wrote: send an approved template",
    131051: "WhatsApp does not support this message type",
    131052: "WhatsApp could not download the customer's media",
    131053: "WhatsApp could not upload the media (type or size not supported)",
    132000: "the template's parameters do not match its placeholders",
    132001: "the template does not exist in this language, or is not approved",
    132005: "the filled template text is too long",
    132007: "the template's content violates WhatsApp policy",
    132012: "the template parameter format does not match",
    132015: "the template is paused for low quality",
    132016: "the template is disabled",
    135000: "WhatsApp refused the message (generic user error)",
}
STATUS = {
    "sent": ReceiptStatus.SENT,
    "delivered": ReceiptStatus.DELIVERED,
    "read": ReceiptStatus.READ,
    "failed": ReceiptStatus.FAILED,
}
MEDIA_TYPES = ("image", "document", "audio", "video", "sticker")


def _when(seconds: Any) -> dt.datetime | None:
    try:
        value = int(seconds)
    except (TypeError, ValueError):
        return None
    return dt.datetime.fromtimestamp(value, dt.UTC) if value > 0 else None


def signature(app_secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(app_secret.encode(), body, hashlib.sha256).hexdigest()


class WhatsAppConnector(Connector):
    kind = "whatsapp"
    capabilities = Capabilities(
        max_text=MAX_TEXT,
        media_kinds=frozenset({"image", "document", "audio", "voice", "video", "sticker"}),
        max_media_bytes=16 * 1024 * 1024,  # audio/video 16 MB; documents up to 100 MB, images 5 MB
        buttons=True,
        quick_replies=False,
        templates=True,
        reply_window=WINDOW,
        edits=False,
        receipts=True,
        max_buttons=3,
        max_button_title=20,
    )

    # --- configuration ------------------------------------------------------------------------------------

    @property
    def api_base(self) -> str:
        return (self.config.api_base or DEFAULT_API_BASE).rstrip("/")

    @property
    def version(self) -> str:
        return str(self.config.options.get("api_version") or DEFAULT_VERSION)

    @property
    def phone_number_id(self) -> str:
        return str(self.config.options.get("phone_number_id") or "")

    def url(self, path: str) -> str:
        return f"{self.api_base}/{self.version}/{path.lstrip('/')}"

    def auth(self) -> dict[str, str]:
        token = self.config.secrets.get("access_token")
        if not token:
            raise SendFailure("the channel has no access token", retryable=False, code="no_token")
        return {"Authorization": f"Bearer {token}"}

    # --- inbound ------------------------------------------------------------------------------------------

    def handshake(self, request: InboundRequest) -> WebhookAnswer | None:
        if request.method != "GET":
            return None
        expected = self.config.secrets.get("verify_token") or ""
        mode = request.query.get("hub.mode")
        token = request.query.get("hub.verify_token", "")
        challenge = request.query.get("hub.challenge", "")
        if mode != "subscribe" or not expected or not hmac.compare_digest(token.encode(), expected.encode()):
            raise Unverified("hub.verify_token does not match")
        return WebhookAnswer(200, challenge)

    def verify(self, request: InboundRequest) -> None:
        secret = self.config.secrets.get("app_secret")
        given = request.headers.get("x-hub-signature-256", "")
        if not secret:
            raise Unverified("the channel has no app secret")
        if not given or not hmac.compare_digest(given.encode(), signature(secret, request.body).encode()):
            raise Unverified("X-Hub-Signature-256 missing or wrong")

    def parse(self, request: InboundRequest) -> list[InboundItem]:
        try:
            document = json.loads(request.body)
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise ValueError("the body is not JSON") from None
        if not isinstance(document, dict) or document.get("object") != "whatsapp_business_account":
            raise ValueError("not a whatsapp_business_account notification")
        items: list[InboundItem] = []
        for entry in document.get("entry") or []:
            for change in (entry or {}).get("changes") or []:
                if not isinstance(change, dict) or change.get("field") != "messages":
                    continue
                value = change.get("value") or {}
                phone_id = str((value.get("metadata") or {}).get("phone_number_id") or "")
                if self.phone_number_id and phone_id and phone_id != self.phone_number_id:
                    continue  # another number of the same app: not this channel's
                names = {
                    str(c.get("wa_id")): ((c.get("profile") or {}).get("name"))
                    for c in value.get("contacts") or []
                    if isinstance(c, dict)
                }
                for message in value.get("messages") or []:
                    item = self._message(message, names, document)
                    if item is not None:
                        items.append(item)
                for status in value.get("statuses") or []:
                    item = self._status(status, document)
                    if item is not None:
                        items.append(item)
        return items

    def _message(self, message: dict, names: dict, raw: dict) -> InboundItem | None:
        if not isinstance(message, dict) or not message.get("id") or not message.get("from"):
            raise ValueError("a message without id or from")
        wa_id = str(message["from"])
        name = names.get(wa_id)
        sender = SenderRef("whatsapp", "+" + wa_id.lstrip("+"), name)
        identities: tuple[SenderRef, ...] = (SenderRef("phone", "+" + wa_id.lstrip("+"), name),)
        kind = message.get("type")
        text = ""
        button = None
        attachments: list[AttachmentRef] = []
        contact = None
        location = None
        if kind == "text":
            text = (message.get("text") or {}).get("body") or ""
        elif kind in MEDIA_TYPES:
            media = message.get(kind) or {}
            voice = kind == "audio" and bool(media.get("voice"))
            attachments.append(
                AttachmentRef(
                    "voice" if voice else kind,
                    str(media.get("id")),
                    media.get("mime_type"),
                    media.get("filename"),
                    None,
                    media.get("caption"),
                )
            )
            text = media.get("caption") or ""
        elif kind == "location":
            loc = message.get("location") or {}
            location = Location(float(loc["latitude"]), float(loc["longitude"]), loc.get("name"), loc.get("address"))
        elif kind == "contacts":
            cards = message.get("contacts") or []
            if cards:
                card = cards[0]
                phones = card.get("phones") or []
                phone = phones[0].get("phone") if phones else None
                contact = Contact(
                    (card.get("name") or {}).get("formatted_name"),
                    phone,
                    phones[0].get("wa_id") if phones else None,
                )
        elif kind == "interactive":
            interactive = message.get("interactive") or {}
            reply = interactive.get("button_reply") or interactive.get("list_reply") or {}
            button = reply.get("id")
            text = reply.get("title") or button or ""
        elif kind == "button":  # a template's quick-reply button
            pressed = message.get("button") or {}
            button = pressed.get("payload")
            text = pressed.get("text") or button or ""
        elif kind in ("reaction", "system", "request_welcome"):
            return None
        else:  # "unsupported" and types newer than this connector: stored, so nothing is silently dropped
            errors = message.get("errors") or []
            text = (errors[0].get("title") if errors else None) or f"[{kind}]"
        return InboundItem(
            kind=ItemKind.MESSAGE,
            external_id=str(message["id"]),
            sender=sender,
            text=text,
            sent_at=_when(message.get("timestamp")),
            attachments=tuple(attachments),
            button=button,
            contact=contact,
            location=location,
            identities=identities,
            raw=raw,
        )

    def _status(self, status: dict, raw: dict) -> InboundItem | None:
        if not isinstance(status, dict) or status.get("status") not in STATUS or not status.get("id"):
            return None
        error = None
        errors = status.get("errors") or []
        if errors:
            first = errors[0]
            code = first.get("code")
            error = PERMANENT_CODES.get(code) or RETRYABLE_CODES.get(code) or first.get("title") or "not delivered"
            details = (first.get("error_data") or {}).get("details")
            if details and code not in PERMANENT_CODES:
                error += f" ({details})"
        wamid = str(status["id"])
        return InboundItem(
            kind=ItemKind.RECEIPT,
            external_id=f"status:{wamid}:{status['status']}",
            sent_at=_when(status.get("timestamp")),
            target_external_id=wamid,
            status=STATUS[status["status"]],
            error=error,
            raw=raw,
        )

    async def fetch_attachment(self, client: httpx.AsyncClient, ref: AttachmentRef) -> tuple[bytes, str | None]:
        response = await client.get(self.url(ref.platform_id), headers=self.auth())
        if response.status_code != 200:
            raise self.classify(response)
        info = response.json()
        media = await client.get(info["url"], headers=self.auth())
        if media.status_code != 200:
            raise self.classify(media)
        return media.content, info.get("mime_type") or ref.mime_type

    # --- outbound -----------------------------------------------------------------------------------------

    async def _post(self, client: httpx.AsyncClient, body: dict) -> str:
        response = await client.post(self.url(f"{self.phone_number_id}/messages"), json=body, headers=self.auth())
        if response.status_code != 200:
            raise self.classify(response)
        try:
            return str(response.json()["messages"][0]["id"])
        except (ValueError, KeyError, IndexError, TypeError):
            raise SendFailure("WhatsApp answered without a message id", retryable=False, code="bad_answer") from None

    async def upload(self, client: httpx.AsyncClient, file_name: str, mime_type: str, content: bytes) -> str:
        response = await client.post(
            self.url(f"{self.phone_number_id}/media"),
            data={"messaging_product": "whatsapp", "type": mime_type},
            files={"file": (file_name, content, mime_type)},
            headers=self.auth(),
        )
        if response.status_code != 200:
            raise self.classify(response)
        return str(response.json()["id"])

    async def send(self, client: httpx.AsyncClient, message: OutboundMessage) -> SendResult:
        to = (message.recipient.address or "").lstrip("+")
        if not to:
            raise SendFailure("the customer has no WhatsApp number", retryable=False, code="no_number")
        base = {"messaging_product": "whatsapp", "recipient_type": "individual", "to": to}
        if message.template is not None:
            template: dict[str, Any] = {"name": message.template.name, "language": {"code": message.template.language}}
            if message.template.parameters:
                template["components"] = [
                    {"type": "body", "parameters": [{"type": "text", "text": p} for p in message.template.parameters]}
                ]
            return SendResult((await self._post(client, {**base, "type": "template", "template": template}),))
        if not self.within_window(message.last_inbound_at):
            raise SendFailure(PERMANENT_CODES[131047], retryable=False, code="131047")
        ids: list[str] = []
        text = message.text or ""
        for index, file in enumerate(message.files):
            media_id = await self.upload(client, file.file_name, file.mime_type, file.content)
            kind = {"image": "image", "video": "video", "voice": "audio", "audio": "audio"}.get(file.kind, "document")
            media: dict[str, Any] = {"id": media_id}
            last = index == len(message.files) - 1
            if kind in ("image", "video", "document") and last and text and not message.buttons and len(text) <= 1024:
                media["caption"] = text
                text = ""
            if kind == "document":
                media["filename"] = file.file_name
            ids.append(await self._post(client, {**base, "type": kind, kind: media}))
        if message.buttons:
            buttons = [
                {"type": "reply", "reply": {"id": (b.payload or b.title)[:256], "title": b.title[:20]}}
                for b in message.buttons[:3]
            ]
            interactive = {"type": "button", "body": {"text": (text or "…")[:1024]}, "action": {"buttons": buttons}}
            ids.append(await self._post(client, {**base, "type": "interactive", "interactive": interactive}))
        elif text:
            body = {**base, "type": "text", "text": {"preview_url": False, "body": text[:MAX_TEXT]}}
            ids.append(await self._post(client, body))
        if not ids:
            raise SendFailure("nothing to send: no text and no file", retryable=False, code="empty")
        return SendResult(tuple(ids))

    def classify(self, response: httpx.Response) -> SendFailure:
        try:
            error = (response.json() or {}).get("error") or {}
        except (ValueError, AttributeError):
            error = {}
        code = error.get("code")
        retry_after = retry_after_seconds(response.headers)
        if code in RETRYABLE_CODES:
            return SendFailure(
                f"WhatsApp: {RETRYABLE_CODES[code]}",
                retryable=True,
                retry_after=retry_after if retry_after is not None else (60.0 if code in (4, 80007, 130429) else None),
                code=str(code),
            )
        if code in PERMANENT_CODES:
            return SendFailure(f"WhatsApp: {PERMANENT_CODES[code]}", retryable=False, code=str(code))
        status = response.status_code
        if status >= 500 or status in (408, 429):
            return SendFailure(
                f"WhatsApp is unavailable (HTTP {status})", retryable=True, retry_after=retry_after, code=str(status)
            )
        message = str(error.get("message") or f"HTTP {status}")[:300]
        return SendFailure(f"WhatsApp refused the message: {message}", retryable=False, code=str(code or status))

    async def health(self, client: httpx.AsyncClient) -> Health:
        try:
            response = await client.get(
                self.url(self.phone_number_id),
                params={"fields": "display_phone_number,verified_name,quality_rating"},
                headers=self.auth(),
            )
        except httpx.HTTPError as exc:
            return Health(False, (("token", False, f"WhatsApp unreachable: {type(exc).__name__}"),))
        if response.status_code != 200:
            return Health(False, (("token", False, self.classify(response).reason),))
        info = response.json()
        detail = f"token valid, number {info.get('display_phone_number')} ({info.get('verified_name')})"
        checks = [("token", True, detail)]
        if info.get("quality_rating"):
            checks.append(("quality", info["quality_rating"] != "RED", f"quality rating {info['quality_rating']}"))
        return Health(all(c[1] for c in checks), tuple(checks))

    async def templates(self, client: httpx.AsyncClient) -> list[TemplateInfo]:
        waba = self.config.options.get("business_account_id")
        if not waba:
            raise SendFailure("the channel has no WhatsApp Business Account id to list templates", retryable=False)
        found: list[TemplateInfo] = []
        url: str | None = self.url(f"{waba}/message_templates")
        params: dict | None = {"fields": "name,language,status,category,components", "limit": 100}
        while url:
            response = await client.get(url, params=params, headers=self.auth())
            if response.status_code != 200:
                raise self.classify(response)
            document = response.json()
            for t in document.get("data") or []:
                body = next((c.get("text", "") for c in t.get("components") or [] if c.get("type") == "BODY"), "")
                found.append(
                    TemplateInfo(
                        name=t["name"],
                        language=t["language"],
                        status=t.get("status", ""),
                        category=t.get("category"),
                        body=body,
                        parameters=body.count("{{"),
                    )
                )
            url = (document.get("paging") or {}).get("next")
            params = None
        return found
