"""API schemas of the e-mail, web chat and web form channels (issue 13)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from omnidesk.protocol.schemas import Contract, Strict

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Host = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=255)]


class EmailChannelCreate(Strict):
    name: Name
    address: Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=320)]
    imap_host: Host
    imap_port: int | None = Field(None, ge=1, le=65535)
    imap_tls: bool = True
    folder: Annotated[str, StringConstraints(min_length=1, max_length=200)] = "INBOX"
    smtp_host: Host
    smtp_port: int | None = Field(None, ge=1, le=65535)
    smtp_security: Literal["tls", "starttls", "none"] = "starttls"
    username: Annotated[str, StringConstraints(max_length=320)] | None = None
    password: Annotated[str, StringConstraints(min_length=1, max_length=1000)] = Field(
        description="Stored encrypted; never returned."
    )
    signature: Annotated[str, StringConstraints(max_length=4000)] | None = None
    delivery_reports: bool = Field(
        False, description="Ask the SMTP server for delivery reports (DSN): a reply becomes 'delivered'."
    )
    read_receipts: bool = Field(False, description="Ask the customer's mail program for a read receipt (MDN).")
    poll_interval: float = Field(60.0, ge=1, le=3600)
    queue_id: int | None = None


class WebChannelCreated(Contract):
    id: int
    kind: str
    name: str
    queue_id: int | None = None
    secret: str | None = Field(None, description="Web chat: the HMAC key for the site's signed user token; shown once.")
    snippet: str | None = Field(None, description="The HTML to paste into the site.")


class WebchatChannelCreate(Strict):
    name: Name
    origins: list[Annotated[str, StringConstraints(max_length=300)]] = Field([], max_length=20)
    queue_id: int | None = None
    color: Annotated[str, StringConstraints(pattern=r"^#[0-9a-fA-F]{6}$")] = "#1f6feb"
    greeting: Annotated[str, StringConstraints(max_length=500)] | None = None
    language: Literal["en", "uk", "ru"] = "en"
    position: Literal["right", "left"] = "right"
    prechat: bool = True


class FormChannelCreate(Strict):
    name: Name
    origins: list[Annotated[str, StringConstraints(max_length=300)]] = Field([], max_length=20)
    queue_id: int | None = None
    thank_you_url: Annotated[str, StringConstraints(max_length=2000)] | None = None


class MailAttachmentOut(Contract):
    id: int
    file_name: str
    mime_type: str
    size: int
    inline: bool
    content_id: str | None = None


class MailOut(Contract):
    """A stored message as the letter it was: headers, the full text (quotes included), sanitised HTML, files."""

    message_id: int
    direction: str
    rfc_message_id: str
    subject: str
    from_address: str | None
    from_name: str | None
    to: list[str]
    cc: list[str]
    in_reply_to: str | None
    text: str = Field(description="What the operator reads first: the new part, the quoted history trimmed.")
    full_text: str = Field(description="The whole body, quoted history included ('show quoted').")
    html: str | None = Field(description="Sanitised HTML; remote images removed.")
    attachments: list[MailAttachmentOut]


class FormSubmissionOut(Contract):
    """A web form submission as the operator reads it: the known fields, the custom ones as sent, where it came from."""

    conversation_id: int
    message_id: int
    channel_name: str
    name: str | None
    phone: str | None
    email: str | None
    message: str | None = Field(description="The message field, when the form had one.")
    fields: dict[str, str] = Field(description="Every other field of the form, by its name, in the order sent.")
    page_url: str | None
    utm: dict[str, str]
    submitted_at: datetime
