"""Opaque cursors for paged lists, shared by every feature that pages."""

from __future__ import annotations

import base64
import json

from fastapi import HTTPException, status


class BadCursor(ValueError):
    pass


def encode_cursor(*parts) -> str:
    return base64.urlsafe_b64encode(json.dumps(parts, separators=(",", ":")).encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> list:
    if len(cursor) > 1024:
        raise BadCursor("cursor is not one this server issued")
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        value = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (ValueError, UnicodeDecodeError):
        raise BadCursor("cursor is not one this server issued") from None
    if not isinstance(value, list) or any(
        isinstance(v, bool) or (isinstance(v, int) and not -(2**63) <= v < 2**63) or isinstance(v, (dict, list))
        for v in value
    ):
        raise BadCursor("cursor is not one this server issued")
    return value


def bad_request(detail: str) -> HTTPException:
    return HTTPException(status.HTTP_400_BAD_REQUEST, detail)
