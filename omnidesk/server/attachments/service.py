"""Storing and reading attachments: the type sniffed from the bytes, a size limit, thumbnails, content addressing.

A file's type is what its content says (``filetype`` reads the magic numbers), never what its name or the platform
claims: a "photo.jpg" that is a PE executable is stored as application/x-msdownload and always served as a download.
Files up to ``attachment_db_max_bytes`` stay in the database row (one backup holds them); larger ones are written once
under ``<data dir>/attachments/<aa>/<bb>/<sha256>`` (content-addressed, so the same file sent twice is stored once),
atomically (a temporary file renamed into place). Images get a JPEG thumbnail of at most 320x320 (Pillow), made with
a pixel limit so that a decompression bomb is refused, not rendered.
"""

from __future__ import annotations

import hashlib
import io
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import filetype
from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.responses import Response, StreamingResponse

from omnidesk.server.attachments.models import Attachment
from omnidesk.server.config import Settings
from omnidesk.server.db import utcnow

THUMBNAIL = (320, 320)
MAX_PIXELS = 40_000_000
IMAGE_TYPES = {"image/jpeg", "image/png", "image/gif", "image/webp", "image/bmp", "image/tiff"}


class AttachmentRefused(ValueError):
    """The file cannot be stored (too large, empty); the message says why in words."""


@dataclass(frozen=True)
class Sniffed:
    mime_type: str
    extension: str | None


def sniff(data: bytes, declared: str | None = None, file_name: str | None = None) -> Sniffed:
    """The type the bytes say. A plain-text or unknown declared type is kept only when the bytes have no signature."""
    kind = filetype.guess(data[:8192])
    if kind is not None:
        return Sniffed(kind.mime, kind.extension)
    if data[:5] == b"%PDF-":
        return Sniffed("application/pdf", "pdf")
    try:
        data[:65536].decode("utf-8")
    except UnicodeDecodeError:
        # Unknown binary: keep a declared non-image, non-executable type (e.g. application/x-tgsticker), else generic.
        if declared and not declared.startswith(("image/", "text/html", "application/x-ms")) and "/" in declared:
            return Sniffed(declared[:127], None)
        return Sniffed("application/octet-stream", None)
    if declared in ("text/csv", "application/json", "text/calendar", "text/vcard", "text/x-vcard"):
        return Sniffed(declared, None)
    return Sniffed("text/plain", None)


def kind_for(mime_type: str, wanted: str | None = None) -> str:
    """Our kind of file from its sniffed type; the platform's word (voice, sticker) kept when the type agrees."""
    major = mime_type.split("/", 1)[0]
    if wanted == "sticker" and (mime_type in IMAGE_TYPES or mime_type.startswith("video/") or "tgsticker" in mime_type):
        return "sticker"
    if wanted == "voice" and major == "audio":
        return "voice"
    if mime_type in IMAGE_TYPES:
        return "image"
    if major in ("audio", "video"):
        return major
    return "document"


def safe_name(name: str | None, sniffed: Sniffed, kind: str) -> str:
    base = os.path.basename((name or "").replace("\\", "/")).strip().replace("\x00", "")
    base = "".join(ch for ch in base if ch.isprintable() and ch not in '<>:"/\\|?*')[:200]
    if not base:
        base = kind
    if sniffed.extension and not base.lower().endswith("." + sniffed.extension):
        base = f"{base}.{sniffed.extension}"
    return base


def thumbnail(data: bytes, mime_type: str) -> tuple[bytes | None, int | None, int | None]:
    """A JPEG thumbnail and the image's size; (None, None, None) for what Pillow cannot or must not open."""
    if mime_type not in IMAGE_TYPES:
        return None, None, None
    from PIL import Image

    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        with Image.open(io.BytesIO(data)) as image:
            width, height = image.size
            if width * height > MAX_PIXELS:
                return None, width, height
            image.thumbnail(THUMBNAIL)
            if image.mode not in ("RGB", "L"):
                background = Image.new("RGB", image.size, "white")
                rgba = image.convert("RGBA")
                background.paste(rgba, mask=rgba.split()[-1])
                image = background
            out = io.BytesIO()
            image.save(out, "JPEG", quality=80)
            return out.getvalue(), width, height
    except Exception:  # Pillow raises many kinds for broken or hostile files: no thumbnail, the file stays a file
        return None, None, None


def storage_dir(settings: Settings) -> Path:
    return settings.files_dir / "attachments"


def _path(settings: Settings, sha256: str) -> Path:
    return storage_dir(settings) / sha256[:2] / sha256[2:4] / sha256


def forget_file(settings: Settings, sha256: str) -> None:
    """Remove a stored file no attachment refers to any more (retention, erasure); a missing one is no error."""
    path = _path(settings, sha256)
    path.unlink(missing_ok=True)
    for folder in (path.parent, path.parent.parent):  # the two-level fan-out folders, once empty
        try:
            folder.rmdir()
        except OSError:
            break


def _write(settings: Settings, sha256: str, data: bytes) -> None:
    path = _path(settings, sha256)
    if path.exists() and path.stat().st_size == len(data):
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        with _suppress():
            os.unlink(tmp)
        raise


class _suppress:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return True


async def store(
    session: AsyncSession,
    settings: Settings,
    *,
    conversation_id: int,
    message_id: int | None,
    direction: str,
    data: bytes,
    declared_mime: str | None = None,
    file_name: str | None = None,
    wanted_kind: str | None = None,
    platform_id: str | None = None,
    uploaded_by: int | None = None,
    max_bytes: int | None = None,
) -> int:
    """Store one file; return the attachment's id. Raises :class:`AttachmentRefused`. The caller commits."""
    limit = min(settings.attachment_max_bytes, max_bytes or settings.attachment_max_bytes)
    if not data:
        raise AttachmentRefused("the file is empty")
    if len(data) > limit:
        raise AttachmentRefused(f"the file is larger than {limit // 1024} KiB")
    sniffed = sniff(data, declared_mime, file_name)
    kind = kind_for(sniffed.mime_type, wanted_kind)
    sha256 = hashlib.sha256(data).hexdigest()
    thumb, width, height = thumbnail(data, sniffed.mime_type)
    in_db = len(data) <= settings.attachment_db_max_bytes
    if not in_db:
        _write(settings, sha256, data)
    return await session.scalar(
        insert(Attachment)
        .values(
            conversation_id=conversation_id,
            message_id=message_id,
            direction=direction,
            kind=kind,
            mime_type=sniffed.mime_type,
            file_name=safe_name(file_name, sniffed, kind),
            size=len(data),
            sha256=sha256,
            storage="db" if in_db else "disk",
            content=data if in_db else None,
            thumbnail=thumb,
            width=width,
            height=height,
            platform_id=platform_id,
            uploaded_by=uploaded_by,
            created_at=utcnow(),
        )
        .returning(Attachment.id)
    )


def content_disposition(name: str, inline: bool) -> str:
    """The Content-Disposition of a file served by name: an ASCII fallback and the UTF-8 name (RFC 6266)."""
    ascii_name = name.encode("ascii", "replace").decode().replace('"', "_").replace("?", "_")
    kind = "inline" if inline else "attachment"
    return f"{kind}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"


CHUNK = 256 * 1024  # a download is sent from disk in blocks of this size


def body(settings: Settings, attachment: Attachment) -> bytes | Iterator[bytes]:
    """The stored file for a download: the bytes of one kept in its row; for one on disk, blocks read as they are
    sent, so a 20 MB file is never held whole in the server (and fifty downloads at once are not a gigabyte). The
    checksum is checked along the way and the last block is held back until it matches: a damaged file breaks the
    download off (the client sees it short of its Content-Length) instead of arriving as if it were good. Raises
    OSError at once for a file that is missing or of the wrong size."""
    if attachment.storage == "db":
        return attachment.content or b""
    handle = _path(settings, attachment.sha256).open("rb")
    if os.fstat(handle.fileno()).st_size != attachment.size:
        handle.close()
        raise OSError(f"attachment {attachment.id}: the stored file is not of its recorded size")
    expected, name = attachment.sha256, attachment.id

    def blocks() -> Iterator[bytes]:
        digest = hashlib.sha256()
        held = b""
        with handle:
            while block := handle.read(CHUNK):
                digest.update(block)
                if held:
                    yield held
                held = block
        if digest.hexdigest() != expected:
            raise OSError(f"attachment {name}: the stored file does not match its checksum; download broken off")
        if held:
            yield held

    return blocks()


def file_response(data: bytes | Iterator[bytes], size: int, *, media_type: str, headers: dict[str, str]) -> Response:
    """The response of a download: the bytes at once, or the blocks streamed with the file's length announced."""
    if isinstance(data, bytes):
        return Response(data, media_type=media_type, headers=headers)
    return StreamingResponse(data, media_type=media_type, headers={**headers, "Content-Length": str(size)})


def read(settings: Settings, attachment: Attachment) -> bytes:
    if attachment.storage == "db":
        return attachment.content or b""
    data = _path(settings, attachment.sha256).read_bytes()
    if hashlib.sha256(data).hexdigest() != attachment.sha256:
        raise OSError(f"attachment {attachment.id}: the stored file does not match its checksum")
    return data
