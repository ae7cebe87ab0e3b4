"""The connector interface: what every channel (Telegram, WhatsApp, the generic API, e-mail...) does, in one shape.

A connector is the only code that knows a platform's wire format. It has four duties, as in Zammad's channel drivers:

* ``verify`` an inbound request (a signature, a secret header, a token) before anything is parsed or stored;
* ``parse`` the platform's real payload into channel-neutral :class:`InboundItem` values (a message with its text,
  attachments, pressed button, shared contact or location; an edit; a deletion; a delivery or read receipt for one of
  our outbound messages) that ingest stores exactly once, keyed by the platform's own id;
* ``send`` an :class:`OutboundMessage` (text, attachments, buttons or quick replies, a template where the platform
  requires one) and answer the platform's id for it;
* ``classify`` a failed send as :class:`SendFailure`: retryable (with the platform's own Retry-After) or permanent,
  with a reason an operator can read.

It also declares its :class:`Capabilities` (text length, media kinds and sizes, buttons, a reply window) so the
server and the client know what may be offered before anything is sent. Connectors import only the standard
library, httpx, domain/ and protocol/: never the server, so each one can be tested against a loopback server that
speaks the platform's protocol, with no database.
"""

from __future__ import annotations

import abc
import datetime as dt
import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

import httpx

from omnidesk.domain.reply_window import WindowState, reply_window


class ItemKind(enum.StrEnum):
    MESSAGE = "message"  # a customer's new message (text and/or attachments, a button press, a contact, a location)
    EDIT = "edit"  # the customer changed an earlier message (``target_external_id``)
    DELETION = "deletion"  # the customer deleted an earlier message
    RECEIPT = "receipt"  # the platform reports the state of one of our outbound messages
    # Added for channels II (Viber, VK, Meta, MAX); the kinds above are unchanged.
    ECHO = "echo"  # a message our side sent from the platform's own app (not through OmniDesk): history, marked so
    SUBSCRIBED = "subscribed"  # the customer allowed the channel to write to them (Viber subscribed, VK message_allow)
    UNSUBSCRIBED = "unsubscribed"  # ...and withdrew it: replies to them will be refused until they return


class ReceiptStatus(enum.StrEnum):
    SENT = "sent"
    DELIVERED = "delivered"
    READ = "read"
    FAILED = "failed"


@dataclass(frozen=True)
class SenderRef:
    """Who wrote: an identifier kind from domain.identity (phone, email, telegram, whatsapp, ...) and its value."""

    kind: str
    value: str
    name: str | None = None


@dataclass(frozen=True)
class AttachmentRef:
    """A file the platform holds; the server fetches it with :meth:`Connector.fetch_attachment` and stores it."""

    kind: str  # image, document, audio, voice, video, sticker
    platform_id: str  # the platform's file id (or a URL for platforms that give one)
    mime_type: str | None = None
    file_name: str | None = None
    size: int | None = None
    caption: str | None = None


@dataclass(frozen=True)
class Contact:
    name: str | None
    phone: str | None
    platform_user_id: str | None = None


@dataclass(frozen=True)
class Location:
    latitude: float
    longitude: float
    name: str | None = None
    address: str | None = None


@dataclass(frozen=True)
class ThreadRef:
    """A public thread a message belongs to: a comment under a post (VK wall, Instagram media).

    ``external_id`` addresses the comment a public answer replies to (opaque to the server, meaningful to the
    connector); ``context`` is the post as the operator should see it (its text, or a caption) and ``url`` links it.
    """

    kind: str  # "comment"
    external_id: str
    context: str | None = None
    url: str | None = None


@dataclass(frozen=True)
class InboundItem:
    """One channel-neutral thing a platform delivered. ``external_id`` is unique per channel and kind."""

    kind: ItemKind
    external_id: str
    sender: SenderRef | None = None
    text: str | None = None
    sent_at: dt.datetime | None = None
    attachments: tuple[AttachmentRef, ...] = ()
    button: str | None = None  # the payload of a pressed button / chosen list item
    contact: Contact | None = None
    location: Location | None = None
    identities: tuple[SenderRef, ...] = ()  # further identifiers (a shared contact's phone)
    start_payload: str | None = None  # a deep-link payload (Telegram /start PAYLOAD) linking the chat to a customer
    target_external_id: str | None = None  # for EDIT, DELETION and RECEIPT: the message it is about
    status: ReceiptStatus | None = None  # for RECEIPT
    error: str | None = None  # for a failed RECEIPT, in words
    raw: Mapping[str, Any] | None = None
    thread: ThreadRef | None = None  # set when the message is a public comment: a conversation of kind "comment"


@dataclass(frozen=True)
class Button:
    title: str
    payload: str | None = None
    url: str | None = None


@dataclass(frozen=True)
class Template:
    name: str
    language: str
    parameters: tuple[str, ...] = ()


@dataclass(frozen=True)
class Recipient:
    """Whom a reply goes to: the customer, and the platform address the conversation came from."""

    customer_id: int
    name: str
    address: str | None = None  # the platform's chat / user id, phone, e-mail address
    identities: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Author:
    id: int | None
    username: str | None
    name: str | None


@dataclass(frozen=True)
class OutboundFile:
    file_name: str
    mime_type: str
    content: bytes
    kind: str = "document"
    url: str | None = None  # a public address of the same file, for platforms that take media only by URL (Viber)


@dataclass(frozen=True)
class OutboundMessage:
    """An operator's reply as stored: ``message_id`` is the idempotency key of every attempt to send it."""

    message_id: int
    conversation_id: int
    channel_id: int
    text: str
    sent_at: dt.datetime
    recipient: Recipient
    author: Author
    files: tuple[OutboundFile, ...] = ()
    buttons: tuple[Button, ...] = ()
    quick_replies: tuple[str, ...] = ()
    template: Template | None = None
    last_inbound_at: dt.datetime | None = None  # the customer's last message in the conversation (reply windows)
    # ``thread``: the comment the conversation started from; with ``public`` the answer is a public reply under it,
    # otherwise a private message to its author.
    thread: ThreadRef | None = None
    public: bool = False


@dataclass(frozen=True)
class SendResult:
    external_ids: tuple[str, ...] = ()  # the platform's ids for what was sent (a long text may be several messages)
    copy: bytes | None = None  # the message exactly as it went out, where there is one (e-mail: the RFC 5322 bytes)


@dataclass(frozen=True)
class TemplateInfo:
    """An approved message template as the platform lists it (WhatsApp): the operator fills ``parameters`` slots."""

    name: str
    language: str
    status: str
    category: str | None = None
    body: str = ""
    parameters: int = 0


@dataclass(frozen=True)
class Health:
    """A channel's health in words: what was checked, and whether it is fine."""

    ok: bool
    checks: tuple[tuple[str, bool, str], ...] = ()  # (name, ok, detail)


class SendFailure(Exception):
    """A send that did not go through. ``retryable`` says whether the outbox tries again."""

    def __init__(self, reason: str, *, retryable: bool, retry_after: float | None = None, code: str | None = None):
        super().__init__(reason)
        self.reason = reason
        self.retryable = retryable
        self.retry_after = retry_after
        self.code = code


class Unverified(Exception):
    """An inbound request whose signature, secret or token does not match: refuse it, store nothing."""


@dataclass(frozen=True)
class Capabilities:
    max_text: int = 4096
    media_kinds: frozenset[str] = frozenset()
    max_media_bytes: int = 0
    buttons: bool = False
    quick_replies: bool = False
    templates: bool = False
    reply_window: dt.timedelta | None = None  # free replies only this long after the customer's last message
    edits: bool = False
    receipts: bool = False
    max_buttons: int = 0
    max_button_title: int = 0
    reply_keyboards: bool = False  # persistent menus under the input field (Telegram reply keyboards)
    media_by_url: bool = False  # files go only as a public address the platform fetches (Viber, Instagram)


@dataclass(frozen=True)
class ChannelConfig:
    """What a connector needs to know about its channel instance. Secrets are decrypted only into this object."""

    channel_id: int
    name: str
    api_base: str | None = None
    webhook_url: str | None = None
    secrets: Mapping[str, str] = field(default_factory=dict)
    options: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class InboundRequest:
    """The raw inbound HTTP request a connector verifies and parses: the body exactly as received."""

    method: str
    headers: Mapping[str, str]  # lower-case names
    query: Mapping[str, str]
    body: bytes


def retry_after_seconds(headers: Mapping[str, str], default: float | None = None) -> float | None:
    """The standard Retry-After header (seconds or an HTTP date) as seconds from now."""
    value = headers.get("retry-after") or headers.get("Retry-After")
    if not value:
        return default
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        from email.utils import parsedate_to_datetime

        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return default
    return max(0.0, (when - dt.datetime.now(dt.UTC)).total_seconds())


@dataclass(frozen=True)
class WebhookAnswer:
    """What the inbound route answers the platform: VK wants "ok" after a delivery; a verification request (WhatsApp's
    and Meta's GET with hub.challenge, VK's "confirmation" event, Telegram's test call) gets its own answer."""

    status: int = 200
    body: str | bytes = ""
    media_type: str = "text/plain"


class Connector(abc.ABC):
    """One channel kind's driver. Instances are cheap: one per channel instance and configuration."""

    kind: ClassVar[str]
    capabilities: ClassVar[Capabilities] = Capabilities()
    # Whether replies go to the platform's own API (True), or need the channel's webhook URL (the generic API channel).
    delivers_itself: ClassVar[bool] = True
    # Whether ``send`` splits a text longer than ``capabilities.max_text`` into several messages (else it is refused).
    # How long after the standard reply window a human agent may still answer (Meta's HUMAN_AGENT tag: 7 days).
    reply_window_extension: ClassVar[dt.timedelta | None] = None
    splits_long_text: ClassVar[bool] = False
    # The answer after the items of a request are committed (VK's Callback API resends anything but "ok").
    ok_answer: ClassVar[WebhookAnswer] = WebhookAnswer()

    def __init__(self, config: ChannelConfig) -> None:
        self.config = config

    @abc.abstractmethod
    def verify(self, request: InboundRequest) -> None:
        """Raise :class:`Unverified` unless the request provably comes from the platform for this channel."""

    @abc.abstractmethod
    def parse(self, request: InboundRequest) -> list[InboundItem]:
        """The channel-neutral items of a verified request (raise ValueError for a payload that cannot be read)."""

    @abc.abstractmethod
    async def send(self, client: httpx.AsyncClient, message: OutboundMessage) -> SendResult:
        """Send ``message``; raise :class:`SendFailure` (through :meth:`classify`) when the platform refuses it."""

    def classify(self, response: httpx.Response) -> SendFailure:
        """The usual HTTP reading: 408, 425, 429 and 5xx are retryable (honouring Retry-After), other 4xx final."""
        code = response.status_code
        retryable = code >= 500 or code in (408, 425, 429)
        reason = f"HTTP {code}"
        phrase = response.reason_phrase
        if phrase:
            reason += f" {phrase}"
        return SendFailure(
            reason, retryable=retryable, retry_after=retry_after_seconds(response.headers), code=str(code)
        )

    def handshake(self, request: InboundRequest) -> WebhookAnswer | None:
        """The answer to a request by which the platform checks the webhook address (Meta's verification GET with
        hub.challenge, VK's "confirmation" event), or None for an ordinary delivery (the default). Raises
        :class:`Unverified` when the check itself is forged. Nothing is stored for a handshake."""
        return None

    async def fetch_attachment(self, client: httpx.AsyncClient, ref: AttachmentRef) -> tuple[bytes, str | None]:
        """The bytes and MIME type of an inbound attachment (channels with attachments override it)."""
        raise NotImplementedError(f"{self.kind} has no attachments")

    def sent_by_us(self, item: InboundItem) -> int | None:
        """For an ECHO: the id of our own message it reports, when the platform says (VK's ``random_id``), else None."""
        return None

    def ack(self, items: list[InboundItem]) -> WebhookAnswer | None:
        """The answer to a verified delivery once its items are committed (default: ``ok_answer``, an empty 200;
        VK's Callback API resends anything but "ok")."""
        return self.ok_answer

    def window_closes_at(
        self, last_inbound_at: dt.datetime | None, now: dt.datetime | None = None
    ) -> dt.datetime | None:
        """Until when a reply may go out now (domain/reply_window.py decides: the standard window, then the
        channel's ``reply_window_extension`` if it has one); None when it may not (or there is no window)."""
        window = self.capabilities.reply_window
        if window is None or last_inbound_at is None:
            return None
        found = reply_window(last_inbound_at, now or dt.datetime.now(dt.UTC), window, self.reply_window_extension)
        return found.closes_at if found.state in (WindowState.OPEN, WindowState.HUMAN_AGENT) else None

    def within_window(self, last_inbound_at: dt.datetime | None, now: dt.datetime | None = None) -> bool:
        """Whether a reply may be sent now, given the customer's last message (always, without a reply window)."""
        if self.capabilities.reply_window is None:
            return True
        return self.window_closes_at(last_inbound_at, now) is not None

    def window_closed_reason(self) -> str:
        """Why a reply outside the window is refused, in words for the operator."""
        hours = int((self.capabilities.reply_window or dt.timedelta()).total_seconds() // 3600)
        if self.capabilities.templates:
            return f"the {hours}-hour reply window is closed: choose an approved template"
        return f"the {hours}-hour reply window is closed: the customer has to write first"

    async def health(self, client: httpx.AsyncClient) -> Health:
        """Check the credentials and the platform's view of this channel (channels with an API override it)."""
        return Health(ok=True)

    async def templates(self, client: httpx.AsyncClient) -> list[TemplateInfo]:
        """The approved templates of the account (channels whose window needs templates override it)."""
        return []


def split_text(text: str, limit: int) -> list[str]:
    """``text`` in pieces of at most ``limit`` characters, cut at a paragraph, line or word end where there is one."""
    pieces: list[str] = []
    rest = text
    while len(rest) > limit:
        cut = -1
        for sep in ("\n\n", "\n", " "):
            cut = rest.rfind(sep, limit // 2, limit)
            if cut > 0:
                break
        if cut <= 0:
            cut = limit
        pieces.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest or not pieces:
        pieces.append(rest)
    return pieces
