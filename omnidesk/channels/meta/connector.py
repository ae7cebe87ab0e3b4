"""Facebook Messenger and Instagram messaging through Meta's webhooks and Graph API.

Inbound, the app's webhook receives ``{"object": "page" | "instagram", "entry": [...]}``, signed with the header
``X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body keyed with the app secret>``. Subscribing the address
is checked first with a GET carrying ``hub.mode=subscribe``, ``hub.verify_token`` (ours) and ``hub.challenge``
(answered back as is). ``entry[].messaging[]`` holds messages (text, attachments, quick replies, replies), echoes
of the business's own messages (``is_echo``; ours are recognised by our ``app_id`` and skipped, the ones written in
Meta's own inbox are kept, marked as echoes), postbacks, referrals, edits, deletions (Instagram) and delivery / read
receipts; ``entry[].changes[]`` holds comments (Instagram ``comments``, Page ``feed``), each a conversation of kind
"comment" answered publicly (a reply comment) or privately (a private reply to the comment).

Delivery and read receipts of Messenger may carry only a ``watermark``: they are items with no target and
``sent_at`` = the watermark, meaning every message of ours sent before it was delivered / read.

Outbound, ``POST /<page or account id>/messages`` (the Send API) with ``messaging_type`` RESPONSE inside the
24-hour window and ``MESSAGE_TAG`` + ``HUMAN_AGENT`` up to 7 days (domain.reply_window decides).
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any, ClassVar

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
    retry_after_seconds,
)
from omnidesk.channels.wire import fetch_cdn, from_ms, hmac_sha256_hex, json_object, response_json, same, split_text
from omnidesk.domain.reply_window import HUMAN_AGENT, WindowState, reply_window

GRAPH_VERSION = "v21.0"
API_BASE = f"https://graph.facebook.com/{GRAPH_VERSION}"
SIGNATURE_HEADER = "x-hub-signature-256"
MESSENGER_FIELDS = (
    "messages",
    "messaging_postbacks",
    "messaging_referrals",
    "message_deliveries",
    "message_reads",
    "message_echoes",
    "message_edits",
    "feed",
)
INSTAGRAM_FIELDS = ("messages", "messaging_postbacks", "messaging_seen", "messaging_referral", "comments")
# Graph API error codes: rate limits and temporary failures are retried; the rest are final.
RATE_LIMITS = frozenset({4, 17, 32, 613, 80001, 80002, 80004, 80005, 80006, 80008, 80014})
TEMPORARY = frozenset({1, 2, 1200})
ATTACHMENT_KINDS = {"image": "image", "video": "video", "audio": "audio", "file": "document", "sticker": "sticker"}


class MetaConnector(Connector):
    """Facebook Messenger (a Page). :class:`InstagramConnector` is the same for an Instagram professional account."""

    kind = "meta"
    reply_window_extension = HUMAN_AGENT  # free for 24 hours, then a human's reply with HUMAN_AGENT for 7 days

    def window_closed_reason(self) -> str:
        return "more than 7 days since the customer's last message: Meta allows no reply until they write again"

    webhook_object: ClassVar[str] = "page"
    identity_kind: ClassVar[str] = "meta"
    text_limit: ClassVar[int] = 2000
    capabilities = Capabilities(
        max_text=2000,
        media_kinds=frozenset({"image", "video", "audio", "document"}),
        max_media_bytes=25 * 1024 * 1024,
        buttons=True,
        quick_replies=True,
        reply_window=dt.timedelta(hours=24),
        edits=True,
        receipts=True,
    )

    # -- configuration ---------------------------------------------------------------------------------------

    @property
    def api_base(self) -> str:
        return (self.config.api_base or API_BASE).rstrip("/")

    @property
    def account_id(self) -> str:
        account = self.config.options.get("page_id") or self.config.options.get("account_id")
        if not account:
            raise SendFailure(f"the {self.kind} channel has no page / account id", retryable=False, code="config")
        return str(account)

    def _auth(self) -> dict[str, str]:
        token = self.config.secrets.get("page_access_token")
        if not token:
            raise SendFailure("the channel has no page access token", retryable=False, code="config")
        return {"Authorization": f"Bearer {token}"}

    # -- inbound ---------------------------------------------------------------------------------------------

    def verify(self, request: InboundRequest) -> None:
        secret = self.config.secrets.get("app_secret")
        header = request.headers.get(SIGNATURE_HEADER, "").strip()
        scheme, _, signature = header.partition("=")
        if not secret or scheme.lower() != "sha256" or not signature:
            raise Unverified("X-Hub-Signature-256 missing")
        if not same(hmac_sha256_hex(secret, request.body), signature.lower()):
            raise Unverified("X-Hub-Signature-256 does not match the body")

    def handshake(self, request: InboundRequest) -> WebhookAnswer | None:
        if request.method.upper() != "GET":
            return None
        expected = self.config.secrets.get("verify_token")
        mode = request.query.get("hub.mode")
        token = request.query.get("hub.verify_token", "")
        challenge = request.query.get("hub.challenge")
        if mode != "subscribe" or not expected or not challenge or not same(expected, token):
            raise Unverified("the verification request's hub.verify_token does not match")
        return WebhookAnswer(200, challenge)

    def parse(self, request: InboundRequest) -> list[InboundItem]:
        document = json_object(request.body)
        if document.get("object") != self.webhook_object:
            raise ValueError(f"a {document.get('object')!r} webhook sent to a {self.kind} channel")
        ours = str(self.config.options.get("page_id") or self.config.options.get("account_id") or "")
        items: list[InboundItem] = []
        for entry in document.get("entry") or ():
            if ours and str(entry.get("id")) != ours:
                continue  # another page / account of the same app
            for event in entry.get("messaging") or ():
                items.extend(self._messaging(event))
            for change in entry.get("changes") or ():
                items.extend(self._change(change, ours))
        return items

    def _sender(self, user_id: Any, name: Any = None) -> SenderRef | None:
        return SenderRef(self.identity_kind, str(user_id), name) if user_id else None

    def _messaging(self, event: dict[str, Any]) -> list[InboundItem]:
        customer = (event.get("sender") or {}).get("id")
        when = from_ms(event.get("timestamp"))
        if "message" in event:
            message = event["message"] or {}
            mid = message.get("mid")
            if not mid:
                raise ValueError("Meta message without mid")
            if message.get("is_echo"):
                app_id = str(message.get("app_id") or "")
                if app_id and app_id == str(self.config.options.get("app_id") or ""):
                    return []  # our own send coming back: it is in the history already
                customer = (event.get("recipient") or {}).get("id")
                refs, location, notes = self._attachments(message)
                return [
                    InboundItem(
                        ItemKind.ECHO,
                        mid,
                        self._sender(customer),
                        _join(message.get("text"), notes),
                        when,
                        tuple(refs),
                        raw=event,
                    )
                ]
            if message.get("is_deleted"):
                return [
                    InboundItem(
                        ItemKind.DELETION, f"delete:{mid}", self._sender(customer), sent_at=when, target_external_id=mid
                    )
                ]
            refs, location, notes = self._attachments(message)
            quick = (message.get("quick_reply") or {}).get("payload")
            return [
                InboundItem(
                    kind=ItemKind.MESSAGE,
                    external_id=mid,
                    sender=self._sender(customer),
                    text=_join(message.get("text"), notes),
                    sent_at=when,
                    attachments=tuple(refs),
                    button=quick,
                    location=location,
                    raw=event,
                )
            ]
        if "postback" in event:
            postback = event["postback"] or {}
            referral = postback.get("referral") or {}
            return [
                InboundItem(
                    kind=ItemKind.MESSAGE,
                    external_id=postback.get("mid") or f"postback:{customer}:{event.get('timestamp')}",
                    sender=self._sender(customer),
                    text=postback.get("title"),
                    sent_at=when,
                    button=postback.get("payload"),
                    start_payload=referral.get("ref"),
                    raw=event,
                )
            ]
        if "referral" in event:
            referral = event["referral"] or {}
            if not referral.get("ref"):
                return []
            return [
                InboundItem(
                    kind=ItemKind.MESSAGE,
                    external_id=f"referral:{customer}:{event.get('timestamp')}",
                    sender=self._sender(customer),
                    sent_at=when,
                    start_payload=referral["ref"],
                    raw=event,
                )
            ]
        if "message_edit" in event:
            edit = event["message_edit"] or {}
            mid = edit.get("mid")
            return [
                InboundItem(
                    kind=ItemKind.EDIT,
                    external_id=f"edit:{mid}:{edit.get('num_edit')}",
                    sender=self._sender(customer),
                    text=edit.get("text"),
                    sent_at=when,
                    target_external_id=mid,
                    raw=event,
                )
            ]
        if "delivery" in event or "read" in event:
            name = "delivery" if "delivery" in event else "read"
            receipt = event[name] or {}
            status = ReceiptStatus.DELIVERED if name == "delivery" else ReceiptStatus.READ
            mids = list(receipt.get("mids") or ())
            if receipt.get("mid"):
                mids.append(receipt["mid"])  # Instagram's messaging_seen names the message read
            if mids:
                return [
                    InboundItem(
                        ItemKind.RECEIPT,
                        f"{name}:{mid}",
                        self._sender(customer),
                        sent_at=when,
                        target_external_id=mid,
                        status=status,
                        raw=event,
                    )
                    for mid in mids
                ]
            watermark = receipt.get("watermark")
            return [
                InboundItem(
                    ItemKind.RECEIPT,
                    f"{name}:{customer}:{watermark}",
                    self._sender(customer),
                    sent_at=from_ms(watermark),
                    status=status,
                    raw=event,
                )
            ]
        return []  # reactions, optins, handovers: nothing the help desk stores

    def _attachments(self, message: dict[str, Any]) -> tuple[list[AttachmentRef], Location | None, str | None]:
        refs: list[AttachmentRef] = []
        location = None
        notes: list[str] = []
        for attachment in message.get("attachments") or ():
            kind = attachment.get("type")
            payload = attachment.get("payload") or {}
            if kind == "location":
                point = payload.get("coordinates") or {}
                if "lat" in point and "long" in point:
                    location = Location(float(point["lat"]), float(point["long"]), attachment.get("title"))
            elif kind in ATTACHMENT_KINDS and payload.get("url"):
                refs.append(AttachmentRef(ATTACHMENT_KINDS[kind], payload["url"], caption=attachment.get("title")))
            elif payload.get("url"):
                # share, story_mention, reel, ig_reel, fallback: a link the operator can open
                notes.append(payload["url"])
        return refs, location, "\n".join(notes) or None

    def _change(self, change: dict[str, Any], ours: str) -> list[InboundItem]:
        field = change.get("field")
        value = change.get("value") or {}
        if field == "comments":  # Instagram
            author = value.get("from") or {}
            if not value.get("id") or not author.get("id") or (ours and str(author["id"]) == ours):
                return []
            media = value.get("media") or {}
            return [
                InboundItem(
                    kind=ItemKind.MESSAGE,
                    external_id=f"comment:{value['id']}",
                    sender=self._sender(author["id"], author.get("username")),
                    text=value.get("text"),
                    raw=change,
                    thread=ThreadRef(
                        "comment", str(value["id"]), context=media.get("caption"), url=media.get("permalink")
                    ),
                )
            ]
        if field == "feed" and value.get("item") == "comment":  # Facebook Page
            author = value.get("from") or {}
            comment = value.get("comment_id")
            if not comment or not author.get("id") or (ours and str(author["id"]) == ours):
                return []
            if value.get("verb") == "add":
                return [
                    InboundItem(
                        kind=ItemKind.MESSAGE,
                        external_id=f"comment:{comment}",
                        sender=self._sender(author["id"], author.get("name")),
                        text=value.get("message"),
                        sent_at=dt.datetime.fromtimestamp(value["created_time"], dt.UTC)
                        if isinstance(value.get("created_time"), int)
                        else None,
                        raw=change,
                        thread=ThreadRef("comment", str(comment), url=value.get("post", {}).get("permalink_url")),
                    )
                ]
            if value.get("verb") == "edited":
                return [
                    InboundItem(
                        ItemKind.EDIT,
                        f"edit:comment:{comment}:{value.get('created_time')}",
                        self._sender(author["id"], author.get("name")),
                        value.get("message"),
                        target_external_id=f"comment:{comment}",
                        raw=change,
                    )
                ]
            if value.get("verb") == "remove":
                return [
                    InboundItem(
                        ItemKind.DELETION,
                        f"delete:comment:{comment}",
                        self._sender(author["id"], author.get("name")),
                        target_external_id=f"comment:{comment}",
                        raw=change,
                    )
                ]
        return []

    async def post_context(self, client: httpx.AsyncClient, media_id: str) -> str | None:
        """The caption of the post (Instagram media) a comment is under, shown to the operator as its context."""
        response = await client.get(f"{self.api_base}/{media_id}", params={"fields": "caption"}, headers=self._auth())
        if response.status_code != 200:
            raise self.classify(response)
        return response_json(response).get("caption")

    # -- outbound --------------------------------------------------------------------------------------------

    def messaging_type(self, message: OutboundMessage, now: dt.datetime | None = None) -> dict[str, str]:
        """RESPONSE inside 24 h of the customer's last message, MESSAGE_TAG HUMAN_AGENT up to 7 days, else refuse."""
        window = reply_window(message.last_inbound_at, now or dt.datetime.now(dt.UTC))
        if window.state is WindowState.HUMAN_AGENT:
            return {"messaging_type": "MESSAGE_TAG", "tag": "HUMAN_AGENT"}
        if window.state is WindowState.CLOSED:
            raise SendFailure(
                "more than 7 days since the customer's last message: Meta allows no reply until they write again",
                retryable=False,
                code="window-closed",
            )
        return {"messaging_type": "RESPONSE"}

    def _recipient(self, message: OutboundMessage) -> dict[str, str]:
        if message.thread is not None:
            return {"comment_id": message.thread.external_id}  # a private reply to the comment
        if not message.recipient.address:
            raise SendFailure("the conversation has no Meta user id to answer", retryable=False, code="no-address")
        return {"id": message.recipient.address}

    def bodies(self, message: OutboundMessage, now: dt.datetime | None = None) -> list[dict[str, Any]]:
        """The Send API bodies (without uploads): the text (split), buttons or quick replies on the last piece."""
        base = {"recipient": self._recipient(message), **self.messaging_type(message, now)}
        pieces = split_text(message.text, self.text_limit) if message.text else []
        bodies: list[dict[str, Any]] = [{**base, "message": {"text": piece}} for piece in pieces]
        if message.buttons:
            text = (pieces[-1] if pieces else message.text or "…")[:640]
            buttons = [
                {"type": "web_url", "url": b.url, "title": b.title[:20]}
                if b.url
                else {"type": "postback", "title": b.title[:20], "payload": b.payload or b.title}
                for b in message.buttons[:3]
            ]
            template = {"type": "template", "payload": {"template_type": "button", "text": text, "buttons": buttons}}
            if bodies:
                bodies[-1] = {**base, "message": {"attachment": template}}
            else:
                bodies.append({**base, "message": {"attachment": template}})
        elif message.quick_replies and bodies:
            bodies[-1]["message"]["quick_replies"] = [
                {"content_type": "text", "title": title[:20], "payload": title} for title in message.quick_replies[:13]
            ]
        return bodies

    async def send(self, client: httpx.AsyncClient, message: OutboundMessage) -> SendResult:
        if message.thread is not None and message.public:
            return await self._public_reply(client, message)
        url = f"{self.api_base}/{self.account_id}/messages"
        ids: list[str] = []
        for file in message.files:
            ids.append(await self._send_file(client, url, message, file))
        for body in self.bodies(message):
            response = await client.post(url, json=body, headers=self._auth())
            ids.append(str(self._checked(response).get("message_id")))
        return SendResult(tuple(ids))

    async def _send_file(
        self, client: httpx.AsyncClient, url: str, message: OutboundMessage, file: OutboundFile
    ) -> str:
        kind = {"image": "image", "video": "video", "audio": "audio", "voice": "audio"}.get(file.kind, "file")
        base = {"recipient": json.dumps(self._recipient(message)), **self.messaging_type(message)}
        if file.url:
            payload = {"attachment": {"type": kind, "payload": {"url": file.url, "is_reusable": False}}}
            response = await client.post(url, data={**base, "message": json.dumps(payload)}, headers=self._auth())
        else:
            if self.kind == "instagram":
                raise SendFailure(
                    f"Instagram takes files only by a public address; {file.file_name!r} has none",
                    retryable=False,
                    code="media-url",
                )
            payload = {"attachment": {"type": kind, "payload": {"is_reusable": False}}}
            response = await client.post(
                url,
                data={**base, "message": json.dumps(payload)},
                files={"filedata": (file.file_name, file.content, file.mime_type)},
                headers=self._auth(),
            )
        return str(self._checked(response).get("message_id"))

    async def _public_reply(self, client: httpx.AsyncClient, message: OutboundMessage) -> SendResult:
        assert message.thread is not None
        if message.files:
            raise SendFailure("a public comment cannot carry files here: answer privately", retryable=False)
        edge = "replies" if self.kind == "instagram" else "comments"
        response = await client.post(
            f"{self.api_base}/{message.thread.external_id}/{edge}",
            data={"message": message.text[: self.text_limit]},
            headers=self._auth(),
        )
        return SendResult((f"comment:{self._checked(response).get('id')}",))

    def _checked(self, response: httpx.Response) -> dict[str, Any]:
        if response.status_code == 200:
            return response_json(response)
        try:
            error = (response.json() or {}).get("error") or {}
        except ValueError:
            error = {}
        if not error:
            raise self.classify(response)
        raise self.failure(error, retry_after_seconds(response.headers))

    def failure(self, error: dict[str, Any], retry_after: float | None = None) -> SendFailure:
        """A Graph API error in words: rate limits and transient errors retried, the rest final."""
        code = error.get("code")
        sub = error.get("error_subcode")
        label = f"{code}" + (f"/{sub}" if sub else "")
        if code in RATE_LIMITS:
            return SendFailure(
                "Meta's rate limit: sending later", retryable=True, retry_after=retry_after or 60.0, code=label
            )
        if code in TEMPORARY or error.get("is_transient"):
            return SendFailure(
                "a temporary failure at Meta", retryable=True, retry_after=retry_after or 10.0, code=label
            )
        if code == 10 and sub in (2018278, 2534022):
            words = "outside the reply window: Meta allows this reply no more (24 h, 7 days with HUMAN_AGENT)"
        elif code == 190:
            words = "Meta refused the page access token: renew it"
        elif code == 551 or sub == 1545041:
            words = "this person is not available on Messenger right now"
        elif code == 100 and sub in (2018001, 2018109):
            words = "no such user for this page (the customer may have blocked it)"
        elif code == 200 or code == 10:
            words = "the app lacks the permission for this message"
        elif code == 368:
            words = "Meta has temporarily blocked the page from sending for policy reasons"
        else:
            words = f"Meta refused the message: {error.get('message') or 'error ' + label}"
        return SendFailure(words, retryable=False, code=label)

    async def fetch_attachment(self, client: httpx.AsyncClient, ref: AttachmentRef) -> tuple[bytes, str | None]:
        """Meta gives each attachment as a signed CDN URL, fetched without the token."""
        return await fetch_cdn(client, ref)

    # -- administration --------------------------------------------------------------------------------------

    async def register_webhook(self, client: httpx.AsyncClient, url: str) -> dict[str, Any]:
        """Point the app's webhook at ``url`` (``POST /<app_id>/subscriptions`` with the app token; Meta checks it
        with the verification GET at once) and subscribe the page / account to the fields parsed here."""
        app_id = self.config.options.get("app_id")
        secret = self.config.secrets.get("app_secret")
        fields = MESSENGER_FIELDS if self.kind == "meta" else INSTAGRAM_FIELDS
        result: dict[str, Any] = {}
        if app_id and secret:
            response = await client.post(
                f"{self.api_base}/{app_id}/subscriptions",
                data={
                    "object": self.webhook_object,
                    "callback_url": url,
                    "verify_token": self.config.secrets.get("verify_token", ""),
                    "fields": ",".join(f for f in fields if f != "feed" or self.kind == "meta"),
                },
                headers={"Authorization": f"Bearer {app_id}|{secret}"},
            )
            result["app"] = self._checked(response)
        response = await client.post(
            f"{self.api_base}/{self.account_id}/subscribed_apps",
            data={"subscribed_fields": ",".join(fields)},
            headers=self._auth(),
        )
        result["account"] = self._checked(response)
        return result


class InstagramConnector(MetaConnector):
    """Instagram messaging and comments of a professional account linked to a Page."""

    kind = "instagram"
    webhook_object = "instagram"
    identity_kind = "instagram"
    text_limit = 1000
    capabilities = Capabilities(
        max_text=1000,
        media_kinds=frozenset({"image", "video", "audio"}),
        max_media_bytes=25 * 1024 * 1024,
        buttons=True,
        quick_replies=True,
        reply_window=dt.timedelta(hours=24),
        receipts=True,
        media_by_url=True,  # Instagram's Send API takes attachments by URL only
    )


def _join(text: str | None, notes: str | None) -> str | None:
    if text and notes:
        return f"{text}\n{notes}"
    return text or notes
