"""The generic API connector on its own: token check, parsing, webhook body and signature, failure classification."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json

import httpx
import pytest

from omnidesk.channels import connector_for
from omnidesk.channels.api.connector import ApiConnector, token_digest
from omnidesk.channels.base import (
    Author,
    ChannelConfig,
    InboundRequest,
    ItemKind,
    OutboundMessage,
    Recipient,
    SendFailure,
    Unverified,
    retry_after_seconds,
)


def _request(body: bytes, token: str | None) -> InboundRequest:
    headers = {"authorization": f"Bearer {token}"} if token else {}
    return InboundRequest("POST", headers, {}, body)


def _connector(**kw) -> ApiConnector:
    return ApiConnector(ChannelConfig(7, "Bank app", secrets={"token_hash": token_digest("odc_right")}, **kw))


def test_verify_accepts_only_the_channel_token():
    connector = _connector()
    connector.verify(_request(b"{}", "odc_right"))
    for token in (None, "odc_wrong", ""):
        with pytest.raises(Unverified):
            connector.verify(_request(b"{}", token))


def test_parse_gives_one_channel_neutral_message_with_all_identifiers():
    body = {
        "external_id": "m-1",
        "sender": {"kind": "phone", "value": "050 123 45 67", "name": "Оксана"},
        "identities": [{"kind": "email", "value": "oksana@example.com"}],
        "text": "Добрий день!",
    }
    [item] = _connector().parse(_request(json.dumps(body).encode(), "odc_right"))
    assert item.kind is ItemKind.MESSAGE
    assert (item.external_id, item.text) == ("m-1", "Добрий день!")
    assert (item.sender.kind, item.sender.value, item.sender.name) == ("phone", "050 123 45 67", "Оксана")
    assert [(i.kind, i.value) for i in item.identities] == [("email", "oksana@example.com")]


def test_parse_refuses_a_body_that_is_not_an_inbound_message():
    with pytest.raises(ValueError):
        _connector().parse(_request(b'{"text": "no sender"}', "odc_right"))


def _message() -> OutboundMessage:
    return OutboundMessage(
        message_id=42,
        conversation_id=3,
        channel_id=7,
        text="Вітаю!",
        sent_at=dt.datetime(2026, 12, 1, 9, 30, tzinfo=dt.UTC),
        recipient=Recipient(customer_id=5, name="Оксана", identities=(("phone", "+380501234567"),)),
        author=Author(2, "olena", "Олена"),
    )


async def test_send_posts_the_signed_body_with_the_idempotency_key():
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(204)

    connector = ApiConnector(
        ChannelConfig(7, "Bank app", webhook_url="https://app.example/hook", secrets={"webhook_secret": "s3"})
    )
    async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as client:
        await connector.send(client, _message())
    [request] = seen
    assert request.headers["idempotency-key"] == "omnidesk-message-42"
    body = json.loads(request.content)
    assert body["customer"]["identities"] == [{"kind": "phone", "value": "+380501234567"}]
    assert body["author"] == {"id": 2, "username": "olena", "name": "Олена"}
    timestamp = request.headers["x-omnidesk-timestamp"]
    expected = hmac.new(b"s3", timestamp.encode() + b"." + request.content, hashlib.sha256).hexdigest()
    assert request.headers["x-omnidesk-signature"] == f"sha256={expected}"


@pytest.mark.parametrize(
    ("status", "retryable"), [(400, False), (403, False), (422, False), (408, True), (429, True), (500, True)]
)
async def test_send_failures_are_classified_and_never_echo_the_receivers_answer(status, retryable):
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, headers={"Retry-After": "7"}, text="<html>internal admin page</html>")

    connector = ApiConnector(ChannelConfig(7, "Bank app", webhook_url="https://app.example/hook"))
    async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as client:
        with pytest.raises(SendFailure) as info:
            await connector.send(client, _message())
    assert info.value.retryable is retryable
    assert info.value.retry_after == 7.0
    assert info.value.reason == f"HTTP {status}"


async def test_a_channel_without_webhook_fails_permanently_in_words():
    connector = connector_for("api", ChannelConfig(7, "Bank app"))
    async with httpx.AsyncClient() as client:
        with pytest.raises(SendFailure) as info:
            await connector.send(client, _message())
    assert not info.value.retryable
    assert "webhook" in info.value.reason


def test_retry_after_reads_seconds_and_http_dates():
    assert retry_after_seconds({"retry-after": "12"}) == 12.0
    later = (dt.datetime.now(dt.UTC) + dt.timedelta(seconds=60)).strftime("%a, %d %b %Y %H:%M:%S GMT")
    assert 50 <= retry_after_seconds({"retry-after": later}) <= 61
    assert retry_after_seconds({}, 3.0) == 3.0
    assert retry_after_seconds({"retry-after": "soon"}) is None
