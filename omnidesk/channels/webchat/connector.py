"""The web chat connector: the visitor's own live stream is the transport, so a reply is "sent" once stored.

The widget follows its conversation over ``/webchat/{channel}/stream`` (server-sent events): an operator's reply is
on it as soon as its message.created event is (the outbox still records the reply as sent, so the operator sees the
usual delivery state). Tokens: a visitor token names one browser identity; a site user token, made by the bank's web
backend with the channel's secret, says which logged-in customer the visitor is.
"""

from __future__ import annotations

import hashlib
import hmac
import time

import httpx

from omnidesk.channels.base import (
    Capabilities,
    Connector,
    InboundItem,
    InboundRequest,
    OutboundMessage,
    SendResult,
    Unverified,
)


def sign(secret: str, text: str) -> str:
    return hmac.new(secret.encode(), text.encode(), hashlib.sha256).hexdigest()


def visitor_token(secret: str, channel_id: int, visitor_key: str) -> str:
    body = f"v1.{channel_id}.{visitor_key}"
    return f"{body}.{sign(secret, body)}"


def read_visitor_token(secret: str, channel_id: int, token: str | None) -> str | None:
    """The visitor key a token names, or None when it is not one this channel signed."""
    if not token or token.count(".") != 3:
        return None
    version, channel, key, sig = token.split(".")
    if version != "v1" or channel != str(channel_id) or not key.isalnum():
        return None
    return key if hmac.compare_digest(sig, sign(secret, f"v1.{channel}.{key}")) else None


def site_user_token(secret: str, user_id: str, expires: int) -> str:
    """What the site's backend puts in ``data-user-token``: ``<user id>.<expiry unix time>.<HMAC-SHA256 hex>``."""
    return f"{user_id}.{expires}.{sign(secret, f'{user_id}.{expires}')}"


def read_site_user_token(secret: str, token: str | None, now: float | None = None) -> str | None:
    if not token or token.count(".") < 2:
        return None
    user_id, expires, sig = token.rsplit(".", 2)
    if not expires.isdigit() or int(expires) < (now or time.time()) or not user_id:
        return None
    return user_id if hmac.compare_digest(sig, sign(secret, f"{user_id}.{expires}")) else None


class WebchatConnector(Connector):
    kind = "webchat"
    # Files both ways: the visitor downloads an operator's file through the widget's own endpoint (token-scoped).
    # Quick replies (a survey's scores, an operator's choices): the widget shows them as a row of buttons under the
    # message, each sending its text as the visitor's message, until a newer message arrives.
    capabilities = Capabilities(
        max_text=4000,
        media_kinds=frozenset({"image", "document", "audio", "video"}),
        max_media_bytes=10 * 1024 * 1024,
        quick_replies=True,
    )

    def verify(self, request: InboundRequest) -> None:
        raise Unverified("web chat messages arrive through the widget's own endpoints")

    def parse(self, request: InboundRequest) -> list[InboundItem]:
        return []

    async def send(self, client: httpx.AsyncClient, message: OutboundMessage) -> SendResult:
        return SendResult(external_ids=(f"webchat:{message.message_id}",))
