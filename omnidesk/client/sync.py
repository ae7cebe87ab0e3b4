"""The live event stream (server-sent events), in plain asyncio with no Qt.

One `EventStream` holds the operator's single connection to `GET /api/v1/events`. It resumes after the
last event id it handed on, drops any id it has already seen, and on a broken connection retries with
exponential backoff and jitter, reporting its state (online / reconnecting in N s / offline) as it goes.
"""

from __future__ import annotations

import asyncio
import json
import logging
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from enum import StrEnum

from pydantic import ValidationError

from omnidesk.client.api import ApiClient, ApiError, Rejected, ServerUnreachable, SessionExpired
from omnidesk.protocol import Event

__all__ = ["Backoff", "EventStream", "LinkState", "parse_sse"]

log = logging.getLogger(__name__)


class LinkState(StrEnum):
    CONNECTING = "connecting"
    ONLINE = "online"
    RECONNECTING = "reconnecting"
    OFFLINE = "offline"


@dataclass
class Backoff:
    """Exponential backoff with "equal jitter": half the delay is fixed, half random."""

    first: float = 0.5
    cap: float = 30.0
    offline_after: int = 4  # failed attempts in a row before the link is called offline

    def delay(self, attempt: int) -> float:
        ceiling = min(self.cap, self.first * (2 ** max(attempt - 1, 0)))
        return ceiling / 2 + random.uniform(0, ceiling / 2)


class SseParser:
    """Incremental parser of text/event-stream lines into (id, type, data) triples."""

    def __init__(self) -> None:
        self._reset()

    def _reset(self) -> None:
        self.event_id: str | None = None
        self.event_type: str | None = None
        self.data: list[str] = []

    def feed(self, line: str) -> tuple[str | None, str | None, str] | None:
        if line == "":
            if not self.data:
                self._reset()
                return None
            frame = (self.event_id, self.event_type, "\n".join(self.data))
            self._reset()
            return frame
        if line.startswith(":"):
            return None  # heartbeat comment
        field, _, value = line.partition(":")
        value = value.removeprefix(" ")
        if field == "id":
            self.event_id = value
        elif field == "event":
            self.event_type = value
        elif field == "data":
            self.data.append(value)
        return None


def parse_sse(lines: list[str]) -> list[Event]:
    """Parse complete SSE text into events (used by tests and tools)."""
    parser = SseParser()
    events = []
    for line in [*lines, ""]:
        frame = parser.feed(line)
        if frame is not None:
            events.append(Event.model_validate(json.loads(frame[2])))
    return events


StateListener = Callable[[LinkState, float | None], None]


class EventStream:
    """Keeps one resumable subscription to the server's events alive until cancelled."""

    def __init__(
        self,
        api: ApiClient,
        *,
        on_event: Callable[[Event], Awaitable[None] | None],
        on_state: StateListener | None = None,
        on_session_expired: Callable[[], None] | None = None,
        on_session_ended: Callable[[str], None] | None = None,
        on_resync: Callable[[], Awaitable[int]] | None = None,
        last_event_id: int = 0,
        backoff: Backoff | None = None,
    ) -> None:
        self.api = api
        self.on_event = on_event
        self.on_state = on_state
        self.on_session_expired = on_session_expired
        self.on_session_ended = on_session_ended
        self.on_resync = on_resync
        self.resyncs = 0
        self._delay = 0.0
        self.last_event_id = last_event_id
        self.backoff = backoff or Backoff()
        self.state = LinkState.CONNECTING
        self.retry_in: float | None = None
        self._wake = asyncio.Event()

    def _set_state(self, state: LinkState, retry_in: float | None = None) -> None:
        if (state, retry_in) == (self.state, self.retry_in):
            return
        self.state, self.retry_in = state, retry_in
        if self.on_state is not None:
            self.on_state(state, retry_in)

    def retry_now(self) -> None:
        """Cut the current wait short (the operator pressed "retry", or the network came back)."""
        self._wake.set()

    async def run(self) -> None:
        failures = 0
        while True:
            try:
                await self._follow()
                failures = 0  # the server closed a healthy stream: reconnect at once
                continue
            except _SessionEnded as ended:
                log.info("event stream: the server ended the session (%s)", ended.reason)
                self._set_state(LinkState.OFFLINE)
                if self.on_session_ended is not None:
                    self.on_session_ended(ended.reason)
                elif self.on_session_expired is not None:
                    self.on_session_expired()
                return
            except Rejected as error:
                if error.status != 409 or self.on_resync is None:
                    log.info("event stream refused: %s", error)
                    failures += 1
                    self._wait_state(failures)
                    await self._pause()
                    continue
                # The server no longer holds the events after ours: replaying is impossible, so take its head
                # and let the views read their state afresh (nothing between is lost: it is in what they read).
                log.info("event stream: cannot resume after %s, resynchronising", self.last_event_id)
                try:
                    self.last_event_id = await self.on_resync()
                    self.resyncs += 1
                    continue
                except ApiError as resync_error:
                    log.info("resynchronising failed: %s", resync_error)
                    failures += 1
            except SessionExpired:
                log.info("event stream: session expired")
                self._set_state(LinkState.OFFLINE)
                if self.on_session_expired is not None:
                    self.on_session_expired()
                return
            except ApiError as error:
                log.info("event stream broke: %s", error)
                if not isinstance(error, _StreamEnded):
                    failures += 1
            self._wait_state(failures)
            await self._pause()

    def _wait_state(self, failures: int) -> None:
        self._delay = self.backoff.delay(max(failures, 1))
        state = LinkState.OFFLINE if failures >= self.backoff.offline_after else LinkState.RECONNECTING
        self._set_state(state, self._delay)

    async def _pause(self) -> None:
        self._wake.clear()
        try:
            await asyncio.wait_for(self._wake.wait(), self._delay)
        except TimeoutError:
            pass
        if self.state != LinkState.OFFLINE:
            self._set_state(LinkState.RECONNECTING, None)

    async def _follow(self) -> None:
        parser = SseParser()
        async with self.api.event_lines(self.last_event_id) as lines:
            self._set_state(LinkState.ONLINE)
            async for line in lines:
                frame = parser.feed(line)
                if frame is None:
                    continue
                await self._deliver(frame)
        raise _StreamEnded("the server closed the stream")

    async def _deliver(self, frame: tuple[str | None, str | None, str]) -> None:
        if frame[1] == "stream.end":
            try:
                said = json.loads(frame[2])
            except ValueError:
                said = {}
            raise _SessionEnded(str(said.get("reason") or "") if isinstance(said, dict) else "")
        try:
            event = Event.model_validate(json.loads(frame[2]))
        except (ValueError, ValidationError) as error:
            log.warning("skipping an unreadable event %s: %s", frame[0], error)
            return
        if event.id <= self.last_event_id:
            return  # seen already (a resumed stream may overlap)
        try:
            outcome = self.on_event(event)
            if outcome is not None:
                await outcome
        except Exception:
            # A bug in applying one event must not stop the stream; the operator sees the log entry.
            log.exception("applying event %s failed", event.id)
        self.last_event_id = event.id


class _StreamEnded(ServerUnreachable):
    """The server ended the stream cleanly (restart, proxy timeout): reconnect without penalty."""


class _SessionEnded(Exception):
    """The server said `event: stream.end`: the session is over (revoked, expired, password changed...)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason
