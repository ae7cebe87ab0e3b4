"""The loopback platforms (omnidesk/demo/platforms.py) and the documented payloads the tests feed them."""

from __future__ import annotations

import json
from pathlib import Path

from omnidesk.demo.platforms import FakeTelegram, FakeWhatsApp, serve_asgi

__all__ = ["FIXTURES", "FakeTelegram", "FakeWhatsApp", "fixture", "serve_asgi"]

FIXTURES = Path(__file__).parent / "fixtures"


def fixture(platform: str, name: str) -> dict:
    return json.loads((FIXTURES / platform / f"{name}.json").read_text(encoding="utf-8"))
