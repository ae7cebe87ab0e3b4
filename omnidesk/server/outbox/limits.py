"""The platforms' sending limits, kept by the outbox so it never provokes a 429.

Telegram allows a bot about 30 messages a second overall and one a second to one chat (core.telegram.org/bots/faq,
"My bot is hitting limits"); WhatsApp Cloud API 80 messages a second per business phone number by default; VK 20
API calls a second per community token. A channel kind not listed has no known limit and is paced only by its
answers (a 429's Retry-After pauses the whole channel).

``Window`` is a sliding window, not a token bucket: a bucket of 30 refilled at 30/s lets 60 through within one
second (a full bucket, then a second's refill), a window never more than ``count``. Each window is a little longer
than the platform's second (``MARGIN``), so the jitter between our clock and the platform's arrival times cannot
push one second over the limit.
"""

from __future__ import annotations

import asyncio
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
}


class Window:
    """At most ``count`` acquisitions in any ``length`` seconds; waiters are served in arrival order."""

    def __init__(self, count: int, length: float) -> None:
        self.count, self.length = count, length
        self.times: deque[float] = deque()
        self.paused_until = 0.0
        self.lock = asyncio.Lock()  # FIFO: the first to wait is the first to send

    def idle(self, now: float) -> bool:
        return (not self.times or now - self.times[-1] >= self.length) and now >= self.paused_until

    async def acquire(self) -> None:
        async with self.lock:
            while True:
                now = time.monotonic()
                while self.times and now - self.times[0] >= self.length:
                    self.times.popleft()
                wait = self.paused_until - now
                if wait <= 0 and len(self.times) < self.count:
                    self.times.append(now)
                    return
                if wait <= 0:
                    wait = self.length - (now - self.times[0])
                await asyncio.sleep(wait)

    def pause(self, seconds: float) -> None:
        """The platform said "too many": send nothing more on this window for ``seconds``."""
        self.paused_until = max(self.paused_until, time.monotonic() + seconds)


class SendPacer:
    """The windows of one process's outbox: one per rate-limited channel and one per chat of it."""

    def __init__(self, limits: dict[str, SendLimit] | None = None) -> None:
        self.limits = PLATFORM_LIMITS if limits is None else limits
        self.channels: dict[int, Window] = {}
        self.chats: dict[tuple[int, str], Window] = {}

    async def acquire(self, kind: str, channel_id: int, chat: str | None, calls: int = 1) -> None:
        """Wait until ``calls`` platform calls to ``chat`` of the channel fit both of its limits."""
        limit = self.limits.get(kind)
        if limit is None:
            return
        for _ in range(max(1, calls)):
            if limit.per_chat_per_second and chat is not None:
                # The chat first, then the channel: a message held by its chat's pace takes no channel slot.
                await self._chat(channel_id, chat, limit.per_chat_per_second).acquire()
            if limit.per_second:
                await self._channel(channel_id, limit.per_second).acquire()

    def pause(self, channel_id: int, seconds: float) -> None:
        window = self.channels.get(channel_id)
        if window is not None:
            window.pause(seconds)

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
