"""The platforms' sending limits, one place for them: the outbox paces each channel's sends by them, so it never
provokes a 429, and a connector that paces every API call of its own (MAX) takes its window from here too.

Telegram allows a bot about 30 messages a second overall and one a second to one chat (core.telegram.org/bots/faq,
"My bot is hitting limits"); WhatsApp Cloud API 80 messages a second per business phone number by default; VK 20
API calls a second per community token; MAX 30 requests a second per bot token (dev.max.ru). A channel kind not
listed has no known limit and is paced only by its answers: a 429's Retry-After delays that reply's next attempt
(the outbox's retry), not the channel's other replies.

The windows live in one process. Across processes on PostgreSQL the outbox keeps them exact by letting one process
at a time send a rate-limited channel's replies (``server/outbox/leases.py``); SQLite runs one process.

``Window`` is a sliding window, not a token bucket: a bucket of 30 refilled at 30/s lets 60 through within one
second (a full bucket, then a second's refill), a window never more than ``count``. Each window is a little longer
than the platform's second (``MARGIN``), so the jitter between our clock and the platform's arrival times cannot
push one second over the limit.
"""

from __future__ import annotations

import asyncio
import bisect
import contextlib
import time
from collections import deque
from dataclasses import dataclass

MARGIN = 0.05  # seconds added to each platform second
CHAT_MARGIN = 0.2  # a chat's pace costs no throughput (the channel's limit binds first): a wider margin is free


@dataclass(frozen=True)
class SendLimit:
    per_second: int | None  # messages a second for the whole channel (the bot, the phone number)
    per_chat_per_second: int | None  # messages a second to one chat


PLATFORM_LIMITS: dict[str, SendLimit] = {
    "telegram": SendLimit(per_second=30, per_chat_per_second=1),
    "whatsapp": SendLimit(per_second=80, per_chat_per_second=None),
    "vk": SendLimit(per_second=20, per_chat_per_second=None),
    "max": SendLimit(per_second=30, per_chat_per_second=None),
}
LONGEST_WINDOW = 1.0 + max(MARGIN, CHAT_MARGIN)  # after this long without a send, every window is empty


class Window:
    """At most ``count`` acquisitions in any ``length`` seconds; waiters are served in arrival order."""

    def __init__(self, count: int, length: float, *, spaced: bool = False) -> None:
        self.count, self.length = count, length
        # spaced: also at least length / count apart, never a burst (calls from anywhere, not a queue's sends)
        self.gap = length / count if spaced else 0.0
        self.times: deque[float] = deque()
        self.paused_until = 0.0
        self.lock = asyncio.Lock()  # FIFO: the first to wait is the first to send

    def idle(self, now: float) -> bool:
        return (not self.times or now - self.times[-1] >= self.length) and now >= self.paused_until

    async def acquire(self) -> float:
        """Take a place in the window; returns its stamp (for ``sent``)."""
        async with self.lock:
            while True:
                now = time.monotonic()
                while self.times and now - self.times[0] >= self.length:
                    self.times.popleft()
                wait = max(self.paused_until - now, self.times[-1] + self.gap - now if self.times else 0.0)
                if wait <= 0 and len(self.times) < self.count:
                    self.times.append(now)
                    return now
                if wait <= 0:
                    wait = self.length - (now - self.times[0])
                await asyncio.sleep(wait)

    def sent(self, stamp: float, now: float | None = None) -> None:
        """The send that took the place ``stamp`` has been answered: it holds its place from now. The platform
        counts a send when it arrives, somewhere between our start and its answer; a place counted from the start
        would free too early by the time the send waited or travelled after it (another window, a pause, a new
        connection, a busy loop), and the platform would see more than ``count`` in one of its seconds."""
        now = time.monotonic() if now is None else now
        with contextlib.suppress(ValueError):  # already out of the window (a send longer than ``length``)
            self.times.remove(stamp)
        self.times.insert(bisect.bisect(self.times, now), now)

    def pause(self, seconds: float) -> None:
        """The platform said "too many": send nothing more on this window for ``seconds``."""
        self.paused_until = max(self.paused_until, time.monotonic() + seconds)

    def quiet_in(self, now: float) -> float:
        """Seconds until this window is empty again and its pause over."""
        last = self.times[-1] + self.length if self.times else 0.0
        return max(0.0, last - now, self.paused_until - now)


class SendPacer:
    """The windows of one process's outbox: one per rate-limited channel and one per chat of it."""

    def __init__(self, limits: dict[str, SendLimit] | None = None) -> None:
        self.limits = PLATFORM_LIMITS if limits is None else limits
        self.channels: dict[int, Window] = {}
        self.chats: dict[tuple[int, str], Window] = {}

    async def acquire(self, kind: str, channel_id: int, chat: str | None, calls: int = 1) -> list[tuple[Window, float]]:
        """Wait until ``calls`` platform calls to ``chat`` of the channel fit both of its limits. Returns the places
        taken: pass them to ``sent`` when the send is answered."""
        limit = self.limits.get(kind)
        if limit is None:
            return []
        places: list[tuple[Window, float]] = []
        for _ in range(max(1, calls)):
            if limit.per_chat_per_second and chat is not None:
                # The chat first, then the channel: a message held by its chat's pace takes no channel slot.
                window = self._chat(channel_id, chat, limit.per_chat_per_second)
                places.append((window, await window.acquire()))
            if limit.per_second:
                window = self._channel(channel_id, limit.per_second)
                places.append((window, await window.acquire()))
        return places

    def sent(self, places: list[tuple[Window, float]]) -> None:
        """The send that took ``places`` is answered (or failed): its places count from now (``Window.sent``)."""
        now = time.monotonic()
        for window, stamp in places:
            window.sent(stamp, now)

    def pause(self, channel_id: int, seconds: float, kind: str | None = None) -> None:
        """Hold the channel's sends for ``seconds``; ``kind`` creates its window if it has not sent yet (a pause
        learnt from another process)."""
        window = self.channels.get(channel_id)
        limit = self.limits.get(kind) if kind else None
        if window is None and limit is not None and limit.per_second:
            window = self._channel(channel_id, limit.per_second)
        if window is not None:
            window.pause(seconds)

    def quiet_in(self, channel_id: int) -> float:
        """Seconds until none of the channel's windows (its own and its chats') holds a send or a pause."""
        now = time.monotonic()
        windows = [w for (c, _), w in self.chats.items() if c == channel_id]
        if channel_id in self.channels:
            windows.append(self.channels[channel_id])
        return max((w.quiet_in(now) for w in windows), default=0.0)

    def _channel(self, channel_id: int, per_second: int) -> Window:
        window = self.channels.get(channel_id)
        if window is None:
            window = self.channels[channel_id] = Window(per_second, 1.0 + MARGIN)
        return window

    def _chat(self, channel_id: int, chat: str, per_second: int) -> Window:
        key = (channel_id, chat)
        window = self.chats.get(key)
        if window is None:
            if len(self.chats) > 10_000:  # forget chats whose window is empty again
                now = time.monotonic()
                self.chats = {k: w for k, w in self.chats.items() if not (w.idle(now) and not w.lock.locked())}
            window = self.chats[key] = Window(per_second, 1.0 + CHAT_MARGIN)
        return window


_token_windows: dict[str, Window] = {}


def token_window(token: str, per_second: int) -> Window:
    """The process's one window of a platform credential (MAX: every API call of a bot token), shared by every
    connector instance holding the token; spaced, since its calls come from everywhere at once; a changed rate
    replaces it."""
    window = _token_windows.get(token)
    if window is None or window.count != per_second:
        window = _token_windows[token] = Window(per_second, 1.0 + MARGIN, spaced=True)
    return window
