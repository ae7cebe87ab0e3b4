"""Public, signed, expiring addresses of the files operators send, for platforms that take media only by URL.

Viber's ``send_message`` and Instagram's Send API accept a picture, a video or a file only as an address the platform
then fetches itself; there is no upload. A reply with a file on those channels therefore carries, per file, the
address ``<public_url>/files/<token>/<file name>``: the token is sealed with the server's channel key (Fernet:
encrypted and authenticated, so it neither reveals nor lets anyone forge an attachment id) and carries the time it was
made, so it is refused after ``public_file_link_hours``. The file name ends the path because Viber wants the media's
extension as the address's last segment.

What such an address opens is deliberately narrow: a file of an operator's reply (never an inbound file, never one
of an internal note), and only that file's bytes, checked against their stored checksum. Each fetch is audited as
the platform's (``attachment.fetched``), and the token never reaches the access log (``guards.RedactQuery``).
"""

from __future__ import annotations

import json
import time
from urllib.parse import quote

from cryptography.fernet import InvalidToken

from omnidesk.server.attachments.models import Attachment
from omnidesk.server.channels import crypto
from omnidesk.server.config import Settings

PREFIX = "/files/"


class LinkRefused(Exception):
    """The token is not one of ours, is damaged, or has expired."""


def link(settings: Settings, attachment: Attachment, now: float | None = None) -> str | None:
    """The public address of ``attachment``, or None when the server has no ``public_url``."""
    if not settings.public_url:
        return None
    payload = json.dumps({"a": attachment.id, "h": attachment.sha256[:16]}, separators=(",", ":")).encode()
    token = crypto.box(settings).encrypt_at_time(payload, int(now if now is not None else time.time())).decode()
    return f"{settings.public_url.rstrip('/')}{PREFIX}{token}/{quote(attachment.file_name, safe='')}"


def opened(settings: Settings, token: str, now: float | None = None) -> tuple[int, str]:
    """The attachment id and checksum prefix a token names; ``LinkRefused`` when it is forged or expired."""
    ttl = settings.public_file_link_hours * 3600
    try:
        raw = crypto.box(settings).decrypt_at_time(token.encode(), ttl, int(now if now is not None else time.time()))
        payload = json.loads(raw)
        return int(payload["a"]), str(payload["h"])
    except (InvalidToken, ValueError, KeyError, TypeError) as exc:
        raise LinkRefused("this file address is not valid or has expired") from exc
