"""A small Server-Sent Events reader for tests (the protocol as the WHATWG HTML standard defines it)."""

from __future__ import annotations

import asyncio
import contextlib
import json
from dataclasses import dataclass, field

import httpx


@dataclass
class StreamReader:
    """Follows ``/api/v1/events`` in a background task and collects the events and comment lines it sees."""

    base_url: str
    headers: dict
    after: int | None = None
    events: list[dict] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)
    connected: asyncio.Event = field(default_factory=asyncio.Event)
    _task: asyncio.Task | None = None
    _changed: asyncio.Event = field(default_factory=asyncio.Event)

    async def __aenter__(self) -> StreamReader:
        self._task = asyncio.create_task(self._run())
        await asyncio.wait_for(self.connected.wait(), 10)
        return self

    async def __aexit__(self, *exc) -> None:
        await self.close()

    async def close(self) -> None:
        if self._task:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task

    @property
    def last_id(self) -> int | None:
        return self.events[-1]["id"] if self.events else self.after

    async def _run(self) -> None:
        params = {} if self.after is None else {"after": self.after}
        async with httpx.AsyncClient(base_url=self.base_url, timeout=httpx.Timeout(30, read=None)) as client:
            async with client.stream("GET", "/api/v1/events", params=params, headers=self.headers) as response:
                response.raise_for_status()
                data: list[str] = []
                async for line in response.aiter_lines():
                    if line.startswith(":"):
                        self.comments.append(line[1:].strip())
                        self.connected.set()
                    elif line.startswith("data:"):
                        data.append(line[5:].lstrip())
                    elif line == "" and data:
                        self.events.append(json.loads("\n".join(data)))
                        data = []
                        self._changed.set()

    async def wait_for(self, predicate, timeout: float = 10.0) -> list[dict]:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not predicate(self.events):
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise AssertionError(f"stream condition not met; got {len(self.events)} events")
            self._changed.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._changed.wait(), remaining)
        return self.events

    async def wait_count(self, count: int, timeout: float = 10.0) -> list[dict]:
        return await self.wait_for(lambda events: len(events) >= count, timeout)


def of_type(events: list[dict], type_: str) -> list[dict]:
    return [e for e in events if e["type"] == type_]
