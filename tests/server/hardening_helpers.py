"""Helpers of the hardening tests (issue 17): a server with chosen settings, reading an event stream to its end."""

from __future__ import annotations

import asyncio
import contextlib
import json
import time

import httpx

from omnidesk.server.db import Database
from tests.conftest import Api, serve, test_settings


@contextlib.asynccontextmanager
async def api_with(db_url: str, **overrides):
    """Like the ``api`` fixture, with settings overridden (trusted proxies, short delays...)."""
    settings = test_settings(db_url, **overrides)
    db = Database(db_url, pool_size=2)
    try:
        async with serve(settings) as (app, url):
            async with httpx.AsyncClient(base_url=url, timeout=30) as client:
                yield Api(url=url, db=db, settings=settings, client=client, app=app)
    finally:
        await db.dispose()


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


class StreamReader:
    """An open ``GET /api/v1/events``: collects frames in the background until the server ends the stream."""

    def __init__(self, client: httpx.AsyncClient, headers: dict) -> None:
        self.client, self.headers = client, headers
        self.frames: list[dict] = []
        self.ended = asyncio.Event()
        self.end_reason: str | None = None
        self.status: int | None = None
        self.opened = asyncio.Event()
        self._task: asyncio.Task | None = None

    async def _run(self) -> None:
        try:
            async with self.client.stream("GET", "/api/v1/events", headers=self.headers, timeout=60) as r:
                self.status = r.status_code
                self.opened.set()
                event = None
                async for line in r.aiter_lines():
                    if line.startswith("event: "):
                        event = line[7:]
                    elif line.startswith("data: "):
                        data = json.loads(line[6:])
                        self.frames.append({"event": event, **data})
                        if event == "stream.end":
                            self.end_reason = data["payload"]["reason"]
        finally:
            self.opened.set()
            self.ended.set()

    async def __aenter__(self) -> StreamReader:
        self._task = asyncio.create_task(self._run())
        await asyncio.wait_for(self.opened.wait(), 10)
        return self

    async def __aexit__(self, *exc) -> None:
        if self._task is not None and not self._task.done():
            self._task.cancel()
            with contextlib.suppress(BaseException):
                await self._task

    async def wait_end(self, within: float) -> float:
        """Seconds until the server closed the stream; fails if it stays open longer than ``within``."""
        start = time.monotonic()
        await asyncio.wait_for(self.ended.wait(), within)
        return time.monotonic() - start

    def texts(self) -> list[str]:
        return [f["payload"]["message"]["text"] for f in self.frames if f.get("event") == "message.created"]
