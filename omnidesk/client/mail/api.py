"""What the mail, web chat and web form views read from the server, as plain data (no Qt): the letter behind an
e-mail message, its files, the web chat visitor, the web form submission. A conversation of another kind answers 404,
which reads here as None."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from omnidesk.client.api import ApiClient, NotFound

MAX_REMOTE_IMAGES = 30  # per letter, when the operator asks for them
MAX_REMOTE_IMAGE_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True)
class MailFile:
    id: int
    file_name: str
    mime_type: str
    size: int
    inline: bool
    content_id: str | None

    @property
    def is_image(self) -> bool:
        return self.mime_type.startswith("image/")


@dataclass(frozen=True)
class Letter:
    """GET /api/v1/messages/{id}/mail."""

    message_id: int
    direction: str
    subject: str
    from_address: str | None
    from_name: str | None
    to: tuple[str, ...]
    cc: tuple[str, ...]
    rfc_message_id: str
    text: str  # the new part: the quoted history trimmed
    full_text: str
    html: str | None  # sanitised by the server (nh3); remote images only when asked for
    files: tuple[MailFile, ...] = ()
    remote_images: bool = False

    @property
    def trimmed(self) -> bool:
        """Did the server cut a quoted history off what the operator reads first?"""
        return self.full_text.strip() != self.text.strip() and len(self.full_text.strip()) > len(self.text.strip())

    @property
    def sender(self) -> str:
        if self.from_name and self.from_address:
            return f"{self.from_name} <{self.from_address}>"
        return self.from_address or self.from_name or ""

    @classmethod
    def from_json(cls, data: dict[str, Any], *, remote_images: bool = False) -> Letter:
        return cls(
            message_id=int(data["message_id"]),
            direction=str(data["direction"]),
            subject=str(data.get("subject") or ""),
            from_address=data.get("from_address"),
            from_name=data.get("from_name"),
            to=tuple(data.get("to") or ()),
            cc=tuple(data.get("cc") or ()),
            rfc_message_id=str(data.get("rfc_message_id") or ""),
            text=str(data.get("text") or ""),
            full_text=str(data.get("full_text") or ""),
            html=data.get("html"),
            files=tuple(
                MailFile(
                    int(f["id"]), f["file_name"], f["mime_type"], int(f["size"]), bool(f["inline"]), f.get("content_id")
                )
                for f in data.get("attachments") or ()
            ),
            remote_images=remote_images,
        )


async def fetch_letter(api: ApiClient, message_id: int, *, remote_images: bool = False) -> Letter | None:
    """The letter behind a message, or None when the message is not an e-mail (or not ours to see)."""
    params = {"remote_images": "true"} if remote_images else None
    try:
        response = await api.get(f"/messages/{message_id}/mail", params=params)
    except NotFound:
        return None
    return Letter.from_json(response.json(), remote_images=remote_images)


async def fetch_file(api: ApiClient, file_id: int) -> bytes:
    """The bytes of one file of a letter (audited by the server)."""
    return (await api.get(f"/mail-attachments/{file_id}")).content


async def fetch_remote_images(urls: list[str], *, timeout: float = 8.0) -> dict[str, bytes]:
    """The remote images of a letter, fetched from this workstation only because the operator asked to see them.

    At most MAX_REMOTE_IMAGES, each at most MAX_REMOTE_IMAGE_BYTES; one that fails is left out."""
    import httpx

    found: dict[str, bytes] = {}
    async with httpx.AsyncClient(timeout=timeout, follow_redirects=True, headers={"User-Agent": "Mozilla/5.0"}) as http:
        for url in urls[:MAX_REMOTE_IMAGES]:
            if not url.lower().startswith(("https://", "http://")):
                continue
            try:
                async with http.stream("GET", url) as response:
                    if response.status_code != 200:
                        continue
                    body = bytearray()
                    async for chunk in response.aiter_bytes():
                        body += chunk
                        if len(body) > MAX_REMOTE_IMAGE_BYTES:
                            break
                    else:
                        found[url] = bytes(body)
            except httpx.HTTPError:
                continue
    return found


@dataclass(frozen=True)
class Visitor:
    """GET /api/v1/conversations/{id}/webchat: what the server knows of the web chat visitor."""

    page_url: str | None
    referrer: str | None
    user_agent: str | None
    site_user: str | None
    last_seen_at: dt.datetime | None
    first_seen_at: dt.datetime | None
    online: bool
    typing: bool
    page_title: str | None = None
    language: str | None = None

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Visitor:
        def when(key: str) -> dt.datetime | None:
            value = data.get(key)
            if not value:
                return None
            parsed = dt.datetime.fromisoformat(str(value))
            return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)

        return cls(
            page_url=data.get("page_url"),
            referrer=data.get("referrer"),
            user_agent=data.get("user_agent"),
            site_user=data.get("site_user"),
            last_seen_at=when("last_seen_at"),
            first_seen_at=when("first_seen_at"),
            online=bool(data.get("online")),
            typing=bool(data.get("typing")),
            page_title=data.get("page_title"),
            language=data.get("language"),
        )


async def fetch_visitor(api: ApiClient, conversation_id: int) -> Visitor | None:
    try:
        response = await api.get(f"/conversations/{conversation_id}/webchat")
    except NotFound:
        return None
    return Visitor.from_json(response.json())


@dataclass(frozen=True)
class FormCard:
    """GET /api/v1/conversations/{id}/form: the submission a web form conversation started from."""

    conversation_id: int
    message_id: int
    form_name: str
    name: str | None
    phone: str | None
    email: str | None
    message: str | None
    fields: dict[str, str] = field(default_factory=dict)
    page_url: str | None = None
    utm: dict[str, str] = field(default_factory=dict)
    submitted_at: dt.datetime | None = None

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> FormCard:
        at = data.get("submitted_at")
        submitted = dt.datetime.fromisoformat(at) if at else None
        if submitted is not None and submitted.tzinfo is None:
            submitted = submitted.replace(tzinfo=dt.UTC)
        return cls(
            conversation_id=int(data["conversation_id"]),
            message_id=int(data["message_id"]),
            form_name=str(data.get("channel_name") or ""),
            name=data.get("name"),
            phone=data.get("phone"),
            email=data.get("email"),
            message=data.get("message"),
            fields={str(k): str(v) for k, v in (data.get("fields") or {}).items()},
            page_url=data.get("page_url"),
            utm={str(k): str(v) for k, v in (data.get("utm") or {}).items()},
            submitted_at=submitted,
        )


async def fetch_form(api: ApiClient, conversation_id: int) -> FormCard | None:
    try:
        response = await api.get(f"/conversations/{conversation_id}/form")
    except NotFound:
        return None
    return FormCard.from_json(response.json())
