"""The sending leases across real processes (``omnidesk/server/outbox/leases.py``): two outbox workers, each its own
OS process on one PostgreSQL database, send one Telegram bot's backlog to the loopback Bot API
(``omnidesk/demo/platforms.py``), and the platform's limits (``channels/limits.py``) hold across them, measured from
the arrival times at the loopback server.

The replies are queued through a real server in this process (its own workers off, so only the two worker processes
send). Each worker process runs the real ``OutboxWorker`` and writes, for the test to read, which channels' leases
it holds (``worker.leases.held``) each time that changes; SIGTERM stops it as the server's shutdown does (its run
task cancelled: deliveries in flight finish, then every lease is released).
"""

from __future__ import annotations

import asyncio
import bisect
import contextlib
import contextvars
import copy
import json
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from collections import Counter
from pathlib import Path

import httpx
import pytest
from cryptography.fernet import Fernet
from sqlalchemy import text

from omnidesk.channels.limits import LONGEST_WINDOW, PLATFORM_LIMITS
from omnidesk.domain.enums import Role
from omnidesk.server.db import Database
from omnidesk.server.outbox.leases import lock_key
from tests.channels.platforms import FakeTelegram, fixture, serve_asgi
from tests.conftest import Api, serve, test_settings

_client_port: contextvars.ContextVar[int] = contextvars.ContextVar("client_port", default=0)
ROOT = Path(__file__).resolve().parents[2]
LIMIT = PLATFORM_LIMITS["telegram"]
PLATFORM_SECOND = 1.0  # the platform counts its limits per second of arrival
SETTLE = 0.25  # a killed process's requests already in the loopback server's socket are answered within this

WORKER = textwrap.dedent(
    """
    import asyncio, contextlib, json, os, signal, sys, time
    from omnidesk.server.config import Settings
    from omnidesk.server.db import Database
    from omnidesk.server.outbox import leases
    from omnidesk.server.outbox.worker import OutboxWorker

    if os.environ.get("LEASE_TEST_IDLE_RELEASE"):
        leases.IDLE_RELEASE = float(os.environ["LEASE_TEST_IDLE_RELEASE"])

    def note(path, **values):
        with open(path, "a", encoding="utf-8") as f:
            f.write(json.dumps({"t": time.monotonic(), "pid": os.getpid(), **values}) + "\\n")

    async def main(path):
        settings = Settings()
        db = Database(settings.database_url, pool_size=settings.db_pool_size)
        worker = OutboxWorker(db, settings)
        pause = worker.leases.pacer.pause

        def paused(channel_id, seconds, *rest):  # each quiet a take (or a 429) imposes, for the test to read
            note(path, held=sorted(worker.leases.held), paused=[channel_id, seconds])
            return pause(channel_id, seconds, *rest)

        worker.leases.pacer.pause = paused
        run = asyncio.create_task(worker.run())
        asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, run.cancel)
        last = None
        while not run.done():
            state = (sorted(worker.leases.held), worker.leases.conn is not None)
            if state != last:
                note(path, held=state[0], connected=state[1])
                last = state
            await asyncio.wait([run], timeout=0.005)
        with contextlib.suppress(asyncio.CancelledError):
            await run
        note(path, held=sorted(worker.leases.held), stopped=True)
        await db.dispose()

    asyncio.run(main(sys.argv[1]))
    """
)


# -- the loopback Bot API, once per module, on its own thread (arrival times do not wait for the test's loop) -----


class Platform:
    def __init__(self) -> None:
        self.tg = FakeTelegram()
        self.arrivals: list[tuple[float, str, str]] = []  # (monotonic, chat id, text) of each accepted send
        self.ports: list[int] = []
        self.hook = None  # called with the arrival count after each accepted send (on the server's thread)
        self.tg.on_sent = self._sent
        self._ready = threading.Event()
        self._stop: asyncio.Event | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread = threading.Thread(target=asyncio.run, args=(self._serve(),), daemon=True)

    def _sent(self, method: str, params: dict) -> None:
        self.arrivals.append((time.monotonic(), str(params["chat_id"]), params["text"]))
        self.ports.append(_client_port.get())
        if self.hook is not None:
            self.hook(len(self.arrivals))

    async def _serve(self) -> None:
        self._loop, self._stop = asyncio.get_running_loop(), asyncio.Event()
        app = self.tg.app()

        async def traced(scope, receive, send):  # the sender's port: which process a send came from
            if scope["type"] == "http":
                _client_port.set(scope["client"][1])
            await app(scope, receive, send)

        async with serve_asgi(traced) as url:
            self.tg.url = url
            self._ready.set()
            await self._stop.wait()

    def start(self) -> Platform:
        self._thread.start()
        assert self._ready.wait(20), "the loopback Bot API did not start"
        return self

    def stop(self) -> None:
        self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(10)

    def reset(self) -> None:
        self.arrivals.clear()
        self.ports.clear()
        self.hook = None
        self.tg.calls.clear()
        self.tg.sent.clear()
        self.tg.failures.clear()


@pytest.fixture(scope="module")
def platform():
    p = Platform().start()
    yield p
    p.stop()


# -- worker processes --------------------------------------------------------------------------------------------


class Worker:
    def __init__(self, path: Path, env: dict, extra_env: dict | None = None) -> None:
        self.path = path
        self.proc = subprocess.Popen(
            [sys.executable, "-c", WORKER, str(path)], cwd=ROOT, env={**env, **(extra_env or {})}
        )

    def notes(self) -> list[dict]:
        if not self.path.exists():
            return []
        out = []
        for line in self.path.read_text(encoding="utf-8").splitlines():
            with contextlib.suppress(json.JSONDecodeError):  # a line being written
                out.append(json.loads(line))
        return out

    def holds(self, channel: int) -> bool:
        notes = self.notes()
        return bool(notes) and channel in notes[-1]["held"] and not notes[-1].get("stopped")

    def connected(self) -> bool:
        assert self.proc.poll() is None, f"the worker process ended ({self.proc.returncode})"
        return any(n.get("connected") for n in self.notes())

    def taken_at(self, channel: int, after: float = 0.0) -> float | None:
        """When this process was first seen holding ``channel`` after ``after`` (monotonic)."""
        return next((n["t"] for n in self.notes() if n["t"] > after and channel in n["held"]), None)

    def pauses(self, channel: int, after: float = 0.0) -> list[float]:
        """The quiet seconds this process imposed on ``channel`` (on taking it, or on a 429) after ``after``."""
        return [n["paused"][1] for n in self.notes() if n["t"] > after and n.get("paused", [None])[0] == channel]

    def kill(self, sig=signal.SIGKILL) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(sig)


@pytest.fixture
async def desk(db_url, tmp_path, platform):
    """A server on the test's PostgreSQL database (workers off) with a Telegram bot on the loopback Bot API, and a
    way to start worker processes against the same database."""
    if db_url.startswith("sqlite"):
        pytest.skip("SQLite runs one server process: its pacing is in-process and it has no sending leases")
    platform.reset()
    key = Fernet.generate_key().decode()
    data = tmp_path / "data"
    settings = test_settings(
        db_url, channel_key=key, data_dir=str(data), workers=False, outbox_base_delay=0.2, outbox_max_attempts=30
    )
    env = {
        **os.environ,
        "OMNIDESK_DATABASE_URL": db_url,
        "OMNIDESK_CHANNEL_KEY": key,
        "OMNIDESK_DATA_DIR": str(data),
        "OMNIDESK_OUTBOX_BASE_DELAY": "0.2",
        "OMNIDESK_OUTBOX_MAX_DELAY": "2",
        "OMNIDESK_OUTBOX_MAX_ATTEMPTS": "30",
        "OMNIDESK_DB_POOL_SIZE": "8",
    }
    db = Database(db_url, pool_size=2)
    workers: list[Worker] = []
    async with serve(settings) as (app, url), httpx.AsyncClient(base_url=url, timeout=60) as client:
        api = Api(url=url, db=db, settings=settings, client=client, app=app)
        d = Desk(api, platform, env, tmp_path, workers)
        await d.prepare()
        try:
            yield d
        finally:
            for w in workers:
                w.kill()
            for w in workers:
                await asyncio.to_thread(w.proc.wait, 10)
    await db.dispose()


class Desk:
    def __init__(self, api: Api, platform: Platform, env: dict, tmp: Path, workers: list[Worker]) -> None:
        self.api, self.platform, self.env, self.tmp, self.workers = api, platform, env, tmp, workers
        self.conversations: dict[int, int] = {}

    async def prepare(self) -> None:
        tg = self.platform.tg
        self.headers = await self.api.headers_for("admin", Role.ADMIN)
        r = await self.api.client.post(
            "/api/v1/admin/channels/telegram",
            json={"name": "Bot", "token": tg.token, "mode": "webhook", "public_url": self.api.url, "api_base": tg.url},
            headers=self.headers,
        )
        assert r.status_code == 201, r.text
        self.channel = r.json()["id"]

    async def open_chats(self, chats: int) -> None:
        """One conversation per chat, opened through the bot's real webhook."""
        secret = {"X-Telegram-Bot-Api-Secret-Token": self.platform.tg.webhook["secret_token"]}

        async def open_chat(chat: int) -> None:
            update = copy.deepcopy(fixture("telegram", "text"))
            update["update_id"] = 30_000_000 + chat
            person = {"id": 7_100_000 + chat, "first_name": f"Chat{chat:03d}", "last_name": "", "username": f"c{chat}"}
            message = update["message"]
            message.update(message_id=chat + 1, date=int(time.time()))
            message["from"] = {**message["from"], **person}
            message["chat"] = {**message["chat"], **person}
            r = await self.api.client.post(f"/hooks/telegram/{self.channel}", json=update, headers=secret)
            assert r.status_code < 300, r.text

        await asyncio.gather(*(open_chat(chat) for chat in range(chats)))
        r = await self.api.client.get(
            f"/api/v1/conversations?channel_id={self.channel}&limit=200", headers=self.headers
        )
        by_name = {c["customer"]["name"].strip(): c["id"] for c in r.json()["items"]}
        self.conversations = {chat: by_name[f"Chat{chat:03d}"] for chat in range(chats)}

    async def queue(self, per_chat: int, tag: str) -> dict[str, int]:
        """``per_chat`` replies in every conversation (in order within one, conversations at once); their texts
        and outbox ids."""

        async def replies_to(chat: int, conversation: int) -> None:
            for k in range(per_chat):
                r = await self.api.client.post(
                    f"/api/v1/conversations/{conversation}/messages",
                    json={"text": f"{tag} {chat}-{k}"},
                    headers=self.headers,
                )
                assert r.status_code < 300, r.text

        await asyncio.gather(*(replies_to(chat, conv) for chat, conv in self.conversations.items()))
        async with self.api.db.session() as session:
            rows = await session.execute(
                text(
                    "SELECT o.id, m.text FROM outbox o JOIN messages m ON m.id = o.message_id"
                    " WHERE o.channel_id = :c AND m.text LIKE :tag"
                ),
                {"c": self.channel, "tag": f"{tag} %"},
            )
            queued = {r.text: r.id for r in rows}
        assert len(queued) == per_chat * len(self.conversations)
        return queued

    async def backlog(self, chats: int, per_chat: int, tag: str, started: bool = True, **extra_env: str) -> dict:
        """Two worker processes, and a backlog they see all at once: while it is queued (and the processes start)
        this test holds the bot's sending lease itself, so neither may claim a reply; ``let_go`` hands it over."""
        self.gate = await self.api.db.engine.connect()
        await self.gate.execution_options(isolation_level="AUTOCOMMIT")
        await self.gate.execute(text("SELECT pg_advisory_lock(:k)"), {"k": lock_key(self.channel)})
        self.start(2, **extra_env)
        await self.open_chats(chats)
        queued = await self.queue(per_chat, tag)
        for w in self.workers:
            await wait_until(w.connected, timeout=60, what="the worker processes started")
        if started:
            await self.let_go()
        return queued

    async def let_go(self) -> None:
        await self.gate.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": lock_key(self.channel)})
        await self.gate.close()

    def start(self, n: int = 1, **extra_env: str) -> list[Worker]:
        started = [Worker(self.tmp / f"worker-{len(self.workers) + i}.jsonl", self.env, extra_env) for i in range(n)]
        self.workers.extend(started)
        return started

    async def outbox_states(self) -> Counter:
        async with self.api.db.session() as session:
            rows = await session.execute(
                text("SELECT state, count(*) AS n FROM outbox WHERE channel_id = :c GROUP BY state"),
                {"c": self.channel},
            )
            return Counter({r.state: r.n for r in rows})

    async def all_done(self, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while (states := await self.outbox_states()) != Counter({"done": sum(states.values())}):
            assert time.monotonic() < deadline, f"the backlog did not drain: {states}"
            await asyncio.sleep(0.05)
        await asyncio.sleep(SETTLE)  # a reply sent twice would arrive now

    def holder(self) -> Worker:
        holding = [w for w in self.workers if w.holds(self.channel)]
        assert len(holding) == 1, f"{len(holding)} processes hold the lease"
        return holding[0]


async def wait_until(predicate, timeout: float = 20.0, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        await asyncio.sleep(0.01)


def most_in(times: list[float], length: float = PLATFORM_SECOND) -> int:
    """The most arrivals in any sliding window of ``length`` seconds."""
    times = sorted(times)
    return max((bisect.bisect_left(times, t + length) - i for i, t in enumerate(times)), default=0)


def assert_within_limits(arrivals: list[tuple[float, str, str]]) -> None:
    overall = most_in([t for t, _, _ in arrivals])
    assert overall <= LIMIT.per_second, f"{overall} sends to the bot within one second (limit {LIMIT.per_second})"
    chats: dict[str, list[float]] = {}
    for t, chat, _ in arrivals:
        chats.setdefault(chat, []).append(t)
    worst = max(chats, key=lambda chat: most_in(chats[chat]))
    sends = [(round(t, 3), text) for t, chat, text in arrivals if chat == worst]
    assert most_in(chats[worst]) <= LIMIT.per_chat_per_second, f"sends to chat {worst} within one second: {sends}"


def delivered(arrivals: list[tuple[float, str, str]]) -> Counter:
    return Counter(t for _, _, t in arrivals)


# -- the tests ---------------------------------------------------------------------------------------------------


async def test_two_processes_keep_the_bots_limits_together_and_send_each_reply_once(desk):
    queued = await desk.backlog(chats=30, per_chat=4, tag="once")  # 120 replies: 4 s at 30/s, 4 to a chat at 1/s
    await desk.all_done()
    arrivals = desk.platform.arrivals
    assert delivered(arrivals) == Counter(dict.fromkeys(queued, 1)), "a reply lost or sent twice"
    assert_within_limits(arrivals)
    # Paced, not merely slow: the backlog went out near the limit (120 at 30/s need 4 windows).
    span = arrivals[-1][0] - arrivals[0][0]
    assert span < 3 * len(queued) / LIMIT.per_second, f"{len(queued)} replies took {span:.1f} s"


async def test_a_killed_holders_backlog_is_finished_by_the_other_process_after_a_quiet_window(desk):
    queued = await desk.backlog(chats=30, per_chat=4, tag="kill", started=False)
    killed: dict = {}
    at = 45  # mid-backlog, in the second window of sends

    def kill_holder(count: int) -> None:
        # On the server's thread, while the holder waits for the answer to send number ``at``: that reply was
        # accepted by the platform and its sender dies before it can record so.
        if count == at:
            victim = desk.holder()
            killed.update(worker=victim, t=time.monotonic(), text=desk.platform.arrivals[-1][2])
            victim.kill()

    desk.platform.hook = kill_holder
    await desk.let_go()
    await wait_until(lambda: "t" in killed, what=f"{at} sends")
    victim: Worker = killed["worker"]
    await asyncio.to_thread(victim.proc.wait, 10)
    await asyncio.sleep(SETTLE)
    # What the dead process had on the wire: accepted by the platform, never recorded as sent.
    async with desk.api.db.session() as session:
        pending = set(
            (
                await session.scalars(
                    text("SELECT id FROM outbox WHERE channel_id = :c AND state = 'pending'"), {"c": desk.channel}
                )
            ).all()
        )
    arrived = {t for _, _, t in desk.platform.arrivals}
    on_the_wire = {t for t in arrived if queued[t] in pending}
    assert killed["text"] in on_the_wire

    await desk.all_done()
    arrivals = desk.platform.arrivals
    survivor = next(w for w in desk.workers if w is not victim)
    assert survivor.taken_at(desk.channel, after=killed["t"]) is not None, "the other process never took the lease"
    counts = delivered(arrivals)
    assert set(counts) == set(queued), "a reply was lost"
    twice = {t for t, n in counts.items() if n > 1}
    assert all(counts[t] == 2 for t in twice)
    # Only a reply on the wire at the kill may be sent again (leases.py), and the one the platform had just accepted
    # is: its sender died before recording it.
    assert twice <= on_the_wire, f"sent twice though not on the wire at the kill: {twice - on_the_wire}"
    assert killed["text"] in twice
    # The new holder kept one full window of quiet (the dead holder may have sent in its last second) ...
    after = [t for t, _, _ in arrivals if t > killed["t"] + SETTLE]
    assert after and min(after) >= killed["t"] + LONGEST_WINDOW, (
        f"sent {min(after) - killed['t']:.2f} s after the kill (quiet promised: {LONGEST_WINDOW} s)"
    )
    # ... so no window across the kill holds more than the limit.
    assert_within_limits(arrivals)


async def test_a_429_met_by_one_holder_pauses_the_bot_for_the_next_holder(desk):
    queued = await desk.backlog(chats=10, per_chat=3, tag="pause", started=False)
    retry_after = 3  # longer than the dead holder's window of quiet: only the shared pause explains the wait
    assert retry_after > LONGEST_WINDOW + 1
    mark: dict = {}

    def refuse_next(count: int) -> None:  # the next send after the 5th is answered 429 with retry_after
        if count == 5:
            mark["t"] = time.monotonic()  # the 429 is answered after this (to a request already in or the next)
            desk.platform.tg.fail(
                "sendMessage", 429, f"Too Many Requests: retry after {retry_after}", retry_after=retry_after
            )
            mark["set"] = True

    desk.platform.hook = refuse_next
    await desk.let_go()
    await wait_until(lambda: "set" in mark and not desk.platform.tg.failures["sendMessage"], what="the 429")
    t429 = mark["t"]
    victim = desk.holder()
    await asyncio.sleep(0.2)  # the holder writes the pause for the next one
    t_kill = time.monotonic()
    victim.kill()
    await desk.all_done()
    arrivals = desk.platform.arrivals
    survivor = next(w for w in desk.workers if w is not victim)
    assert survivor.taken_at(desk.channel, after=t_kill) is not None, "the other process never took the lease"
    assert set(delivered(arrivals)) == set(queued)
    after = [t for t, _, _ in arrivals if t > t_kill + SETTLE]
    assert after, "the next holder sent nothing"
    assert min(after) >= t429 + retry_after, (
        f"the next holder sent {min(after) - t429:.2f} s after the 429 (Retry-After {retry_after} s)"
    )
    assert_within_limits(arrivals)


# Once, on a machine at load 9.6, the next process sent its first reply 2.7 s after its take after a "shutdown": the
# quiet it imposed on taking (``pauses``, noted by the process) tells a real wait from a slow machine.
@pytest.mark.parametrize("handoff", ["idle release", "shutdown"])
async def test_a_clean_hand_off_lets_the_other_process_send_at_once(desk, handoff):
    extra = {"LEASE_TEST_IDLE_RELEASE": "0.5"} if handoff == "idle release" else {}
    first = await desk.backlog(chats=5, per_chat=1, tag="before", **extra)
    await desk.all_done()
    assert set(delivered(desk.platform.arrivals)) == set(first)
    holder, other = sorted(desk.workers, key=lambda w: w.taken_at(desk.channel) is None)
    assert holder.taken_at(desk.channel) is not None and other.taken_at(desk.channel) is None
    await wait_until(other.connected, what="the other process connected")
    await asyncio.sleep(LONGEST_WINDOW)  # the holder's windows are empty: a clean release leaves no quiet to keep
    if handoff == "shutdown":
        holder.kill(signal.SIGTERM)
        assert await asyncio.to_thread(holder.proc.wait, 10) == 0
    else:
        await wait_until(lambda: not holder.holds(desk.channel), what="the idle release")
        holder.kill()  # released cleanly first: the other process has to take it, and need not wait
        await asyncio.to_thread(holder.proc.wait, 10)
    assert not other.holds(desk.channel)
    since = time.monotonic()
    second = await desk.queue(1, "after")
    await desk.all_done()
    taken = other.taken_at(desk.channel, after=since)
    assert taken is not None, "the other process never took the lease"
    async with desk.api.db.session() as session:  # released cleanly: nothing for the next holder to wait out
        row = (
            await session.execute(
                text(
                    "SELECT held, extract(epoch FROM quiet_after - now()) AS quiet FROM outbox_channels"
                    " WHERE channel_id = :c"
                ),
                {"c": desk.channel},
            )
        ).one()
    assert row.held and (row.quiet or 0) <= 0  # held again, by the other process
    assert other.pauses(desk.channel, after=since) == [], "the other process kept a quiet on taking the lease"
    after = [t for t, _, tx in desk.platform.arrivals if tx in second]
    assert set(delivered(desk.platform.arrivals)) == set(first) | set(second)
    assert min(after) - taken < LONGEST_WINDOW / 2, (
        f"first send {min(after) - taken:.2f} s after the take: waited as if the holder had died"
    )
