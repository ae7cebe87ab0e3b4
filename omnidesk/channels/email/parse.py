"""Reading one e-mail: the standard library's ``email`` package (policy ``default``), nh3 for HTML, no server.

``parse_message(raw)`` answers a :class:`ParsedMail`: sender and recipients, subject, the threading headers, the text
the operator reads (the quoted history trimmed, the full text kept), the HTML body sanitised (remote images removed
unless asked for), the attachments and inline images, and what kind of mail it is: a person's mail, an auto-reply, a
bounce, a delivery report that is not a failure, or a read receipt, each report naming the message it is about.

Reports are read by their machine-readable part, never by the sender's address alone: a delivery status notification
(RFC 3464, ``multipart/report; report-type=delivery-status``) is a bounce only when a recipient's ``Action`` is
``failed`` (or, without an Action, its ``Status`` is 5.x.x); ``delayed`` (4.x.x) means the mail is still being retried,
and ``delivered`` / ``relayed`` / ``expanded`` (2.x.x) that it reached the recipient's server. A message disposition
notification (RFC 8098, ``report-type=disposition-notification``, the "read receipt" of Outlook and Thunderbird) says
what the recipient did with the mail: ``displayed`` is read.
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import enum
import hashlib
import html as html_lib
import re
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import getaddresses, parseaddr, parsedate_to_datetime

import nh3

# Charsets our users meet under names Python does not know, or knows under another name.
_CHARSET_ALIASES = {
    "win-1251": "cp1251",
    "windows-1251": "cp1251",
    "x-cp1251": "cp1251",
    "koi8r": "koi8_r",
    "koi8-u": "koi8_u",
    "koi8u": "koi8_u",
    "unknown-8bit": "cp1251",
    "x-unknown": "cp1251",
}


class MailKind(enum.StrEnum):
    PERSON = "person"  # a mail a person wrote: opens or continues a conversation
    AUTO_REPLY = "auto_reply"  # out-of-office, vacation, "we received your request": stored nowhere as a request
    BOUNCE = "bounce"  # a failed delivery status notification (DSN, Action: failed / 5.x.x) or a non-delivery report
    DELIVERY_REPORT = "delivery_report"  # a DSN that is not a failure: delivered, relayed, expanded, or delayed
    READ_RECEIPT = "read_receipt"  # a message disposition notification (MDN, RFC 8098)


@dataclass(frozen=True)
class Attachment:
    file_name: str
    mime_type: str
    content: bytes
    content_id: str | None = None  # inline images: the cid: the HTML refers to
    inline: bool = False

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


@dataclass(frozen=True)
class Bounce:
    """A report about one message we sent: a DSN (bounce or not) or an MDN (read receipt)."""

    original_message_id: str | None
    recipient: str | None
    status: str | None  # the DSN status code, 5.1.1 (None for an MDN)
    reason: str  # the remote server's words (an MDN: its disposition line)
    # DSN: failed, delayed, delivered, relayed, expanded; MDN: the disposition type (displayed, deleted, ...).
    action: str = "failed"


@dataclass(frozen=True)
class ParsedMail:
    message_id: str
    from_address: str | None
    from_name: str | None
    to: tuple[str, ...]
    cc: tuple[str, ...]
    reply_to: str | None
    subject: str
    date: dt.datetime | None
    in_reply_to: str | None
    references: tuple[str, ...]
    text: str  # what the operator sees: the new part, quoted history trimmed
    full_text: str  # the whole plain text body, quotes included
    html: str | None  # sanitised HTML (no scripts, no remote images)
    kind: MailKind
    attachments: tuple[Attachment, ...] = ()
    bounce: Bounce | None = None  # the report of a BOUNCE, DELIVERY_REPORT or READ_RECEIPT
    headers: dict[str, str] = field(default_factory=dict)


_MSGID = re.compile(r"<[^<>\s]+>")


def message_ids(value: str | None) -> tuple[str, ...]:
    """The ``<id>`` tokens of a Message-ID / In-Reply-To / References header, in order."""
    if not value:
        return ()
    return tuple(_MSGID.findall(str(value)))


def _decode(part: EmailMessage) -> str:
    payload = part.get_payload(decode=True) or b""
    charset = (part.get_content_charset() or "utf-8").lower()
    charset = _CHARSET_ALIASES.get(charset, charset)
    try:
        return payload.decode(charset)
    except (LookupError, UnicodeDecodeError):
        for fallback in ("utf-8", "cp1251"):
            try:
                return payload.decode(fallback)
            except UnicodeDecodeError:
                continue
        return payload.decode("utf-8", "replace")


def _raw_header(msg: EmailMessage, name: str) -> str | None:
    """A header's text as written (unfolded): the id headers, which the typed parser truncates at some characters."""
    wanted = name.lower()
    for key, value in msg.raw_items():
        if key.lower() == wanted:
            return re.sub(r"\r?\n[ \t]+", " ", str(value)).strip()
    return None


def _header(msg: EmailMessage, name: str) -> str | None:
    try:
        value = msg.get(name)
    except Exception:  # a header the parser cannot fold into an object: keep its raw text
        value = msg.get_all(name, [None])[0] if hasattr(msg, "get_all") else None
    return None if value is None else str(value).strip()


# --- quoted history -------------------------------------------------------------------------------------------------

_QUOTE_HEADERS = [
    re.compile(r"^\s*On .{4,200}wrote:\s*$", re.I),  # Gmail, Apple Mail, Thunderbird
    re.compile(r"^\s*Am .{4,200}schrieb.*:\s*$", re.I),
    re.compile(r"^.{4,200}(пишет|написал|написала|написав|написала|пише):\s*$", re.I),
    re.compile(
        r"^\s*-{2,}\s*(Original Message|Исходное сообщение|Вихідне повідомлення|Пересланное сообщение)\s*-{2,}", re.I
    ),
    re.compile(r"^\s*_{10,}\s*$"),  # Outlook's rule above "From: ... Sent: ..."
    re.compile(r"^\s*(From|От|Від):\s.+$", re.I),
]
_SIGNATURE = re.compile(r"^-- ?$")


def trim_quoted(text: str) -> str:
    """The new part of a reply: everything before the first quote header, a '>' block at the end, or '-- '."""
    lines = text.replace("\r\n", "\n").split("\n")
    cut = len(lines)
    for i, line in enumerate(lines):
        if any(p.match(line) for p in _QUOTE_HEADERS):
            # "From:" alone is a quote header only when a "Sent:/Date:/Отправлено:" line follows (Outlook).
            if re.match(r"^\s*(From|От|Від):", line, re.I):
                nxt = " ".join(lines[i + 1 : i + 4])
                if not re.search(r"(Sent|Date|Отправлено|Дата|Надіслано):", nxt, re.I):
                    continue
            cut = i
            break
        if _SIGNATURE.match(line):
            cut = i
            break
    kept = lines[:cut]
    while kept and (kept[-1].strip() == "" or kept[-1].lstrip().startswith(">")):
        kept.pop()
    result = "\n".join(kept).strip()
    return result or text.strip()


# --- HTML -----------------------------------------------------------------------------------------------------------

_ALLOWED_TAGS = {
    "a",
    "b",
    "blockquote",
    "br",
    "code",
    "div",
    "em",
    "h1",
    "h2",
    "h3",
    "h4",
    "hr",
    "i",
    "img",
    "li",
    "ol",
    "p",
    "pre",
    "span",
    "strong",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "u",
    "ul",
    "font",
}


def sanitize_html(html: str, *, remote_images: bool = False) -> str:
    """Safe HTML for the client: no scripts, styles, event handlers or forms; ``cid:`` images kept; remote images
    (tracking pixels) dropped unless ``remote_images``."""

    def keep_attribute(tag: str, attr: str, value: str) -> str | None:
        if tag == "img" and attr == "src":
            if value.startswith("cid:"):
                return value
            if remote_images and value.startswith(("https://", "http://")):
                return value
            return None
        return value

    return nh3.clean(
        html,
        tags=_ALLOWED_TAGS,
        attributes={"a": {"href", "title"}, "img": {"src", "alt", "width", "height"}, "td": {"colspan", "rowspan"}},
        url_schemes={"http", "https", "mailto", "cid"},
        attribute_filter=keep_attribute,
        link_rel="noopener noreferrer nofollow",
    )


def html_to_text(html: str) -> str:
    text = re.sub(r"(?is)<(script|style|head).*?</\1>", " ", html)
    text = re.sub(r"(?i)<br\s*/?>|</p>|</div>|</tr>|</h\d>|</li>", "\n", text)
    text = re.sub(r"<[^>]+>", "", text)
    text = html_lib.unescape(text)
    return re.sub(r"\n\s*\n+", "\n\n", re.sub(r"[ \t\xa0]+", " ", text)).strip()


# --- kinds ----------------------------------------------------------------------------------------------------------


def _is_auto_reply(msg: EmailMessage, subject: str) -> bool:
    auto = (_header(msg, "Auto-Submitted") or "no").lower()
    if auto and not auto.startswith("no"):
        return True
    if (_header(msg, "Precedence") or "").lower() in ("bulk", "junk", "list", "auto_reply"):
        return True
    if (
        _header(msg, "X-Autoreply")
        or _header(msg, "X-Autorespond")
        or _header(msg, "X-Auto-Response-Suppress")
        in (
            "All",
            "OOF",
        )
    ):
        return True
    return bool(re.match(r"^(auto(matic)?[ -]?reply|out of (the )?office|автоответ|автовідповідь)", subject, re.I))


_DSN_ACTIONS = ("failed", "delayed", "delivered", "relayed", "expanded")
_SUCCESS = ("delivered", "relayed", "expanded")


def _fields(block) -> dict[str, str]:
    return {k.lower(): re.sub(r"\s+", " ", str(v)).strip() for k, v in block.items()}


def _address(value: str | None) -> str | None:
    """``rfc822; anna@customer.test`` -> ``anna@customer.test``."""
    return (value or "").split(";", 1)[-1].strip().strip("<>") or None


def _action(fields: dict[str, str]) -> str:
    """A recipient's Action (RFC 3464 2.3.3), or the one its Status class implies when the field is missing."""
    action = (fields.get("action") or "").split()[0].lower() if fields.get("action") else ""
    if action in _DSN_ACTIONS:
        return action
    status = fields.get("status") or ""
    return {"2": "delivered", "4": "delayed"}.get(status[:1], "failed")


def _original_id(msg: EmailMessage, human: str, *, returned: str | None, field_value: str | None) -> str | None:
    """The message a report is about: its own Original-Message-ID, the returned message's headers, the report's
    In-Reply-To / References, and last the human-readable part's text."""
    for candidate in (field_value, returned):
        if candidate and message_ids(candidate):
            return message_ids(candidate)[0]
    refs = message_ids(_raw_header(msg, "In-Reply-To")) or message_ids(_raw_header(msg, "References"))
    if refs:
        return refs[-1]
    found = re.search(r"Message-ID:\s*(<[^>]+>)", human, re.I) if human else None
    return found.group(1) if found else None


def _returned_id(part: EmailMessage) -> str | None:
    """The Message-ID of a report's returned message (message/rfc822) or returned headers (text/rfc822-headers)."""
    if part.get_content_type() == "message/rfc822":
        payload = part.get_payload()
        inner = payload[0] if isinstance(payload, list) and payload else None
        return _raw_header(inner, "Message-ID") if inner is not None else None
    found = re.search(r"^Message-ID:[ \t]*(<[^>]+>)", _decode(part), re.I | re.M)
    return found.group(1) if found else None


def _mdn(msg: EmailMessage) -> Bounce:
    """A message disposition notification (RFC 8098): who did what with which of our mails."""
    fields: dict[str, str] = {}
    human = ""
    returned = None
    for part in msg.walk():
        ctype = part.get_content_type()
        if ctype == "message/disposition-notification":
            payload = part.get_payload()
            blocks = payload if isinstance(payload, list) else []
            for block in blocks:
                fields.update({k: v for k, v in _fields(block).items() if k not in fields})
            if not blocks:  # a body the parser kept as text: read its fields ourselves
                text = _decode(part) if not part.is_multipart() else ""
                for name, value in re.findall(r"^([A-Za-z-]+):[ \t]*(.*(?:\r?\n[ \t].*)*)", text, re.M):
                    fields.setdefault(name.lower(), re.sub(r"\s+", " ", value).strip())
        elif ctype in ("message/rfc822", "text/rfc822-headers"):
            returned = returned or _returned_id(part)
        elif ctype == "text/plain" and not human:
            human = _decode(part)
    disposition = fields.get("disposition") or ""
    # "manual-action/MDN-sent-manually; displayed" (modifiers after a slash: "displayed/error")
    kind = disposition.rsplit(";", 1)[-1].strip().split("/", 1)[0].strip().lower() if disposition else "displayed"
    original = _original_id(msg, human, returned=returned, field_value=fields.get("original-message-id"))
    return Bounce(
        original_message_id=original,
        recipient=_address(fields.get("final-recipient") or fields.get("original-recipient")),
        status=None,
        reason=(disposition or kind)[:900],
        action=kind or "displayed",
    )


def _report(msg: EmailMessage) -> tuple[MailKind, Bounce] | None:
    """The kind and report of a DSN, an MDN or a non-delivery report; None for any other mail."""
    content_type = msg.get_content_type()
    report_type = (msg.get_param("report-type") or "").lower() if content_type == "multipart/report" else ""
    if report_type == "disposition-notification":
        return MailKind.READ_RECEIPT, _mdn(msg)
    sender = (parseaddr(_header(msg, "From") or "")[1] or "").lower()
    looks_like_ndr = sender.startswith(("mailer-daemon@", "postmaster@")) or (_header(msg, "Return-Path") or "") == "<>"
    if report_type != "delivery-status" and not looks_like_ndr:
        return None
    recipients: list[tuple[str, dict[str, str]]] = []  # (action, per-recipient fields)
    human = ""
    returned = None
    for part in msg.walk():
        ctype = part.get_content_type()
        if ctype == "message/delivery-status":
            blocks = part.get_payload()
            # The first block is the per-message fields (Reporting-MTA, ...); each further one is a recipient's.
            for block in blocks if isinstance(blocks, list) else []:
                fields = _fields(block)
                if "final-recipient" in fields or "original-recipient" in fields or "action" in fields:
                    recipients.append((_action(fields), fields))
        elif ctype in ("message/rfc822", "text/rfc822-headers"):
            returned = returned or _returned_id(part)
        elif ctype == "text/plain" and not human:
            human = _decode(part)
    if not recipients and report_type != "delivery-status" and not (human or "").strip():
        return None  # a mail from a postmaster with nothing in it that reports a delivery: not a bounce
    failed = [f for a, f in recipients if a == "failed"]
    success = [f for a, f in recipients if a in _SUCCESS]
    if failed or not recipients:  # no machine-readable part (an old-style NDR): a bounce, as its human words say
        chosen, kind, action = failed, MailKind.BOUNCE, "failed"
    elif success:
        chosen, kind = success, MailKind.DELIVERY_REPORT
        action = next(a for a, _f in recipients if a in _SUCCESS)
    else:
        chosen, kind, action = [f for _a, f in recipients], MailKind.DELIVERY_REPORT, "delayed"
    first = chosen[0] if chosen else {}
    reasons = [f["diagnostic-code"].split(";", 1)[-1].strip() for f in chosen if f.get("diagnostic-code")]
    if reasons:
        reason = "; ".join(dict.fromkeys(reasons))
    elif kind is MailKind.BOUNCE:
        reason = human.strip().splitlines()[0] if human.strip() else "undeliverable"
    else:
        reason = action
    original = _original_id(msg, human, returned=returned, field_value=None)
    report = Bounce(
        original_message_id=original,
        recipient=_address(first.get("final-recipient") or first.get("original-recipient")),
        status=(first.get("status") or "").split()[0] if first.get("status") else None,
        reason=reason[:900],
        action=action,
    )
    return kind, report


# --- the whole message ----------------------------------------------------------------------------------------------


def parse_message(raw: bytes, *, remote_images: bool = False) -> ParsedMail:
    """Parse one RFC 5322 message (as fetched over IMAP). Raises ValueError only for bytes that are not a message."""
    if not raw or not raw.strip():
        raise ValueError("empty message")
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    subject = re.sub(r"\s+", " ", _header(msg, "Subject") or "").strip()
    from_name, from_address = parseaddr(_header(msg, "From") or "")
    reply_to = parseaddr(_header(msg, "Reply-To") or "")[1] or None
    to = tuple(a for _, a in getaddresses([_header(msg, "To") or ""]) if a)
    cc = tuple(a for _, a in getaddresses([_header(msg, "Cc") or ""]) if a)
    try:
        date = parsedate_to_datetime(_header(msg, "Date")) if _header(msg, "Date") else None
        if date is not None and date.tzinfo is None:
            date = date.replace(tzinfo=dt.UTC)
    except (TypeError, ValueError):
        date = None
    ids = message_ids(_raw_header(msg, "Message-ID"))
    message_id = ids[0] if ids else "<sha256." + hashlib.sha256(raw).hexdigest()[:40] + "@omnidesk.invalid>"
    in_reply_to = (message_ids(_raw_header(msg, "In-Reply-To")) or (None,))[0]
    references = message_ids(_raw_header(msg, "References"))

    plain: str | None = None
    html: str | None = None
    attachments: list[Attachment] = []
    for part in msg.walk():
        if part.is_multipart():
            continue
        ctype = part.get_content_type()
        disposition = part.get_content_disposition()
        filename = part.get_filename()
        if ctype in ("message/delivery-status", "message/disposition-notification", "text/rfc822-headers"):
            continue
        if (
            disposition == "attachment"
            or (filename and ctype not in ("text/plain", "text/html"))
            or (ctype.startswith(("image/", "application/", "audio/", "video/")))
        ):
            content = part.get_payload(decode=True) or b""
            cid = part.get("Content-ID")
            attachments.append(
                Attachment(
                    file_name=filename or f"attachment-{len(attachments) + 1}",
                    mime_type=ctype,
                    content=content,
                    content_id=message_ids(str(cid))[0][1:-1] if cid and message_ids(str(cid)) else None,
                    inline=disposition == "inline" or bool(cid and disposition != "attachment"),
                )
            )
        elif ctype == "text/plain" and plain is None:
            plain = _decode(part)
        elif ctype == "text/html" and html is None:
            html = _decode(part)
    full_text = plain if plain is not None else (html_to_text(html) if html else "")
    full_text = full_text.replace("\r\n", "\n").strip()
    report = _report(msg)
    bounce = None
    if report is not None:
        kind, bounce = report
    elif _is_auto_reply(msg, subject):
        kind = MailKind.AUTO_REPLY
    else:
        kind = MailKind.PERSON
    headers = {k: str(v)[:2000] for k, v in msg.items()[:100]} if hasattr(msg, "items") else {}
    return ParsedMail(
        message_id=message_id,
        from_address=from_address.lower() or None,
        from_name=from_name or None,
        to=to,
        cc=cc,
        reply_to=reply_to,
        subject=subject,
        date=date,
        in_reply_to=in_reply_to,
        references=references,
        text=trim_quoted(full_text) if full_text else (f"({subject})" if subject else "(no text)"),
        full_text=full_text,
        html=sanitize_html(html, remote_images=remote_images) if html else None,
        kind=kind,
        attachments=tuple(attachments),
        bounce=bounce,
        headers=headers,
    )


def thread_subject(subject: str) -> str:
    """The subject without reply and forward prefixes (Re:, Fwd:, AW:, Отв:, Відп:) for the subject fallback."""
    previous = None
    subject = subject.strip()
    while previous != subject:
        previous = subject
        subject = re.sub(r"^\s*(re|fwd?|aw|wg|отв|ответ|відп|пересл|fw)\s*(\[\d+\])?\s*:\s*", "", subject, flags=re.I)
    return subject.strip().lower()
