"""Reading one e-mail: the standard library's ``email`` package (policy ``default``), nh3 for HTML, no server.

``parse_message(raw)`` answers a :class:`ParsedMail`: sender and recipients, subject, the threading headers, the text
the operator reads (the quoted history trimmed, the full text kept), the HTML body sanitised (remote images removed
unless asked for), the attachments and inline images, and what kind of mail it is: a person's mail, an auto-reply, or
a bounce / delivery report naming the message it is about.
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
    BOUNCE = "bounce"  # a delivery status notification (DSN) or a non-delivery report


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
    original_message_id: str | None
    recipient: str | None
    status: str | None  # the DSN status code, 5.1.1
    reason: str  # the remote server's words


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
    bounce: Bounce | None = None
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


def _bounce(msg: EmailMessage) -> Bounce | None:
    content_type = msg.get_content_type()
    report_type = (msg.get_param("report-type") or "").lower() if content_type == "multipart/report" else ""
    sender = (parseaddr(_header(msg, "From") or "")[1] or "").lower()
    looks_like_ndr = sender.startswith(("mailer-daemon@", "postmaster@")) or (_header(msg, "Return-Path") or "") == "<>"
    if report_type != "delivery-status" and not looks_like_ndr:
        return None
    original_id = recipient = status = None
    reason_lines: list[str] = []
    human = ""
    for part in msg.walk():
        ctype = part.get_content_type()
        if ctype == "message/delivery-status":
            for block in part.get_payload():
                fields = {k.lower(): str(v) for k, v in block.items()}
                recipient = recipient or (fields.get("final-recipient") or fields.get("original-recipient") or "")
                recipient = recipient.split(";", 1)[-1].strip() or None
                status = status or fields.get("status")
                diag = fields.get("diagnostic-code")
                if diag:
                    reason_lines.append(diag.split(";", 1)[-1].strip())
        elif ctype in ("message/rfc822", "text/rfc822-headers"):
            if ctype == "message/rfc822":
                inner = part.get_payload()[0]
                original_id = original_id or _raw_header(inner, "Message-ID")
            else:
                raw = _decode(part)
                found = re.search(r"^Message-ID:\s*(<[^>]+>)", raw, re.I | re.M)
                original_id = original_id or (found.group(1) if found else None)
        elif ctype == "text/plain" and not human:
            human = _decode(part)
    if original_id is None:
        refs = message_ids(_raw_header(msg, "In-Reply-To")) or message_ids(_raw_header(msg, "References"))
        original_id = refs[-1] if refs else None
    if original_id is None and human:
        found = re.search(r"Message-ID:\s*(<[^>]+>)", human, re.I)
        original_id = found.group(1) if found else None
    reason = "; ".join(reason_lines) or (human.strip().splitlines()[0] if human.strip() else "undeliverable")
    return Bounce(message_ids(original_id)[0] if original_id else None, recipient, status, reason[:900])


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
        if ctype in ("message/delivery-status", "text/rfc822-headers"):
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
    bounce = _bounce(msg)
    if bounce is not None:
        kind = MailKind.BOUNCE
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
