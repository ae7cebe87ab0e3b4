"""The outbox's pacer (channels/limits.py) keeps the platforms' documented limits: never more than ``count`` sends in
any window, waiters in arrival order, a platform's "too many" pauses the channel, a chat's pace does not take the
channel's slots, and the memory of chats stays bounded. Only lower bounds on time are asserted (a loaded machine is
slower, never faster)."""

from __future__ import annotations

import asyncio
import time

from omnidesk.channels.limits import CHAT_MARGIN, PLATFORM_LIMITS, SendLimit, SendPacer, Window


async def _times(window: Window, n: int) -> list[float]:
    out = []
    for _ in range(n):
        await window.acquire()
        out.append(time.monotonic())
    return out


async def test_a_window_never_lets_more_than_its_count_through_in_any_window_length():
    window = Window(3, 0.3)
    times = await _times(window, 8)
    for i in range(len(times) - 3):  # any four consecutive sends span at least one window length
        assert times[i + 3] - times[i] >= 0.3 - 1e-3, times
    assert times[-1] - times[0] >= 0.6 - 1e-3  # 8 sends at 3 per 0.3 s need at least two full windows


async def test_waiters_are_served_in_arrival_order():
    window = Window(1, 0.1)
    order: list[int] = []

    async def send(n: int) -> None:
        await window.acquire()
        order.append(n)

    tasks = []
    for n in range(5):
        tasks.append(asyncio.create_task(send(n)))
        await asyncio.sleep(0)  # each one starts waiting before the next
    await asyncio.gather(*tasks)
    assert order == [0, 1, 2, 3, 4]


async def test_a_platforms_too_many_pauses_the_channel_for_its_retry_after():
    pacer = SendPacer({"x": SendLimit(per_second=100, per_chat_per_second=None)})
    await pacer.acquire("x", 1, "chat")
    pacer.pause(1, 0.4)
    started = time.monotonic()
    await pacer.acquire("x", 1, "chat")
    assert time.monotonic() - started >= 0.4 - 1e-3
    started = time.monotonic()
    await pacer.acquire("x", 2, "chat")  # another channel is not paused
    assert time.monotonic() - started < 0.4
    pacer.pause(99, 10)  # a channel that never sent: nothing to pause, nothing breaks


async def test_a_chats_pace_holds_its_own_messages_without_taking_the_channels_slots():
    pacer = SendPacer({"x": SendLimit(per_second=3, per_chat_per_second=1)})
    await pacer.acquire("x", 1, "slow")
    waiting = asyncio.create_task(pacer.acquire("x", 1, "slow"))  # held by its chat for ~1.2 s
    await asyncio.sleep(0.05)
    started = time.monotonic()
    for chat in ("a", "b"):  # the channel still has two slots in this second: the held message took none
        await pacer.acquire("x", 1, chat)
    assert time.monotonic() - started < 0.5 and not waiting.done()
    await waiting
    assert time.monotonic() - started >= 1.0 + CHAT_MARGIN - 0.1


async def test_a_kind_without_a_known_limit_is_not_paced_and_calls_count_each():
    pacer = SendPacer({"x": SendLimit(per_second=2, per_chat_per_second=None)})
    started = time.monotonic()
    for _ in range(50):
        await pacer.acquire("generic", 1, None)
    assert time.monotonic() - started < 0.5 and not pacer.channels
    await pacer.acquire("x", 1, None, calls=2)  # a long reply split in two pieces takes both slots
    started = time.monotonic()
    await pacer.acquire("x", 1, None)
    assert time.monotonic() - started >= 1.0 - 1e-3


async def test_the_memory_of_chats_is_bounded_by_forgetting_idle_ones():
    pacer = SendPacer({"x": SendLimit(per_second=None, per_chat_per_second=1000)})
    for n in range(10_050):
        await pacer.acquire("x", 1, f"chat-{n}")
    assert len(pacer.chats) <= 10_050
    for window in pacer.chats.values():  # make every chat idle (its last send a window ago)
        window.times = type(window.times)([time.monotonic() - 10])
    await pacer.acquire("x", 1, "one more")
    assert len(pacer.chats) < 100


def test_the_documented_platform_limits():
    assert PLATFORM_LIMITS["telegram"] == SendLimit(per_second=30, per_chat_per_second=1)
    assert PLATFORM_LIMITS["whatsapp"].per_second == 80 and PLATFORM_LIMITS["vk"].per_second == 20
