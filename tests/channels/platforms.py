"""The loopback platforms (omnidesk/demo/platforms.py) and the documented payloads the tests feed them."""

from __future__ import annotations

import json
from pathlib import Path

from omnidesk.demo.platforms import FakeTelegram, FakeWhatsApp, serve_asgi

__all__ = ["FIXTURES", "FakeTelegram", "FakeWhatsApp", "counting_429", "fixture", "serve_asgi"]

FIXTURES = Path(__file__).parent / "fixtures"


def fixture(platform: str, name: str) -> dict:
    return json.loads((FIXTURES / platform / f"{name}.json").read_text(encoding="utf-8"))


def counting_429(app, answered: list[int]):
    """A loopback platform's app, counting the 429 answers it gives (it keeps no record of a refused call itself)."""

    async def counted(scope, receive, send):
        async def sending(message):
            if message["type"] == "http.response.start" and message["status"] == 429:
                answered[0] += 1
            await send(message)

        await app(scope, receive, sending)

    return counted
