"""Benchmark: history search over N messages (target: p95 under 100 ms over 1,000,000 messages).

Run on demand:

    /work/main/.venv/bin/python tests/perf/bench_search.py [--messages 1000000] [--backend pg|sqlite|both]
        [--concurrency 4] [--repeats 30] [--keep NAME] [--in-process]

It fills a fresh, migrated database with N messages in Ukrainian, Russian and English (word forms of a few hundred
stems, order numbers, e-mail-like noise) over 2,000 conversations in two queues, starts the real server (``omnidesk
server`` in a process of its own, as deployed, with its warmed search connections) and times GET
/api/v1/search/messages over HTTP with ``concurrency`` clients searching at once: a rare word form, a common word, a
part of an order number, two terms, a channel filter, and an operator limited to one queue.
Baselines measured in the same run: GET /api/v1/me (the server's floor for an authenticated request) and the same
rare-word query without the index (a sequential ILIKE scan, run directly on the database).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from sqlalchemy import insert, text

from omnidesk.domain.enums import Role
from omnidesk.server import migrate
from omnidesk.server.admin.service import create_api_channel
from omnidesk.server.conversations.models import Conversation, Message
from omnidesk.server.customers.models import Customer
from omnidesk.server.db import Database
from omnidesk.server.queues.models import Queue
from omnidesk.server.users.service import create_user
from tests.conftest import serve, test_settings
from tests.helpers import (
    LiveServer,
    pg_create_database,
    pg_drop_database,
    pg_keep_database,
    sqlite_url,
    unique_name,
)

UK = "картка картку карткою заявка заявку платіж платежу переказ переказу рахунок рахунку кредит кредиту відділення "
UK += "допоможіть будь ласка не можу оплатити заблоковано працює дякую чекаю відповідь термін банкомат"
RU = "карта карты картой заявка заявку платёж платежа перевод перевода счёт счета кредит кредита отделение "
RU += "помогите пожалуйста не могу оплатить заблокирована работает спасибо жду ответ срок банкомат"
EN = "card cards payment payments refund refunded transfer transfers account accounts loan branch please help "
EN += "cannot pay blocked working thanks waiting answer deadline cash machine statement"
WORDS = UK.split() + RU.split() + EN.split()
RARE = "перевипустити"  # one message in about 2,000 has it


def fake_text(rng: random.Random, n: int) -> str:
    words = rng.choices(WORDS, k=rng.randint(6, 18))
    if rng.random() < 0.3:
        words.insert(rng.randrange(len(words)), f"ORD-{rng.randrange(10**7):07d}")
    if n % 2000 == 7:
        words.insert(0, RARE)
    return " ".join(words).capitalize()


async def load(db: Database, messages: int) -> tuple[int, int]:
    """Returns (channel id, the operator's queue id)."""
    rng = random.Random(15)
    async with db.session() as session:
        await create_user(session, username="sup", password="password-123", role=Role.SUPERVISOR)
        queue_b = Queue(name="Second line")
        session.add(queue_b)
        await session.flush()
        await create_user(session, username="op", password="password-123", role=Role.OPERATOR, queue_ids=[1])
        channels = [(await create_api_channel(session, name=f"ch{i}"))[0].id for i in range(2)]
        start = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
        conversations = []
        for c in range(2000):
            customer = await session.scalar(
                insert(Customer)
                .values(display_name=f"C {c}", created_at=start, updated_at=start)
                .returning(Customer.id)
            )
            conversations.append(
                await session.scalar(
                    insert(Conversation)
                    .values(
                        customer_id=customer,
                        channel_id=channels[c % 2],
                        queue_id=1 if c % 2 else queue_b.id,
                        status="resolved",
                        last_message_at=start,
                        last_message_preview="",
                        unread_count=0,
                        created_at=start,
                        updated_at=start,
                    )
                    .returning(Conversation.id)
                )
            )
        await session.commit()
        batch = []
        for n in range(messages):
            c = n % 2000
            batch.append(
                dict(
                    conversation_id=conversations[c],
                    channel_id=channels[c % 2],
                    direction="in" if n % 3 else "out",
                    kind="text",
                    text=fake_text(rng, n),
                    sent_at=start + dt.timedelta(seconds=30 * n),
                    created_at=start,
                )
            )
            if len(batch) == 20_000:
                await session.execute(insert(Message), batch)
                await session.commit()
                batch = []
        if batch:
            await session.execute(insert(Message), batch)
            await session.commit()
        if db.sqlite:
            await session.execute(text("INSERT INTO messages_fts(messages_fts) VALUES ('optimize')"))
        else:
            await session.execute(text("ANALYZE messages"))
            await session.execute(text("ANALYZE conversations"))
        await session.commit()
    return channels[0], 1


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


async def timed(client, path, params, headers, repeats, concurrency) -> list[float]:
    times: list[float] = []

    async def one_client():
        for _ in range(repeats):
            started = time.perf_counter()
            r = await client.get(path, params=params, headers=headers)
            times.append((time.perf_counter() - started) * 1000)
            assert r.status_code == 200, r.text

    await asyncio.gather(*(one_client() for _ in range(concurrency)))
    return times


async def naive_scan(db: Database, word: str, repeats: int) -> list[float]:
    """The rare-word query as a plain substring scan without the search index (the baseline)."""
    times = []
    async with db.session() as session:
        for _ in range(repeats):
            started = time.perf_counter()
            await session.execute(
                text("SELECT id FROM messages WHERE lower(text) LIKE :p ORDER BY id DESC LIMIT 21"),
                {"p": f"%{word}%"},
            )
            times.append((time.perf_counter() - started) * 1000)
    return times


async def loaded(db: Database) -> int | None:
    """The first channel's id when a kept database already holds the benchmark's data, else None."""
    async with db.session() as session:
        try:
            if await session.scalar(text("SELECT count(*) FROM users WHERE username = 'op'")):
                return await session.scalar(text("SELECT min(id) FROM channels"))
        except Exception:  # a fresh database has no tables yet
            await session.rollback()
    return None


@contextlib.asynccontextmanager
async def _server(url: str, concurrency: int, in_process: bool):
    """The server's base URL: ``omnidesk server`` in a process of its own, as deployed (the clients' work then does not
    queue on the server's event loop and GIL), or in this process (``--in-process``, as before 4 December: the
    clients' own time is then in every figure). Searches run on their own warmed connections either way."""
    pool = max(4, concurrency)
    if in_process:
        settings = test_settings(url, db_pool_size=max(5, concurrency + 1), search_pool_size=pool)
        async with serve(settings) as (_app, base):
            yield base
        return
    env = {"OMNIDESK_DB_POOL_SIZE": str(max(5, concurrency + 1)), "OMNIDESK_SEARCH_POOL_SIZE": str(pool)}
    server = LiveServer(url, env=env)
    await asyncio.to_thread(server.start)
    try:
        yield server.url
    finally:
        server.close()


async def _warm(db: Database, pool: int, timeout: float = 60.0) -> None:
    from omnidesk.server.search.pool import WARMED_NAME

    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        async with db.session() as session:
            warm = await session.scalar(
                text("SELECT count(*) FROM pg_stat_activity WHERE application_name = :n"), {"n": WARMED_NAME}
            )
        if warm >= pool:
            return
        await asyncio.sleep(0.2)
    print(f"  (only {warm} of {pool} search connections warm after {timeout:.0f} s)")


async def bench(url: str, label: str, messages: int, repeats: int, concurrency: int, in_process: bool) -> None:
    await asyncio.to_thread(migrate.upgrade, url)
    db = Database(url, pool_size=2)
    channel = await loaded(db)
    if channel is None:
        started = time.perf_counter()
        channel, _queue = await load(db, messages)
        print(f"{label}: loaded {messages:,} messages (with search index) in {time.perf_counter() - started:.1f} s")
    else:
        print(f"{label}: reusing the kept database")
    async with _server(url, concurrency, in_process) as base:
        if not db.sqlite:  # the server warms its search connections as it starts: timed once they are warm
            await _warm(db, max(4, concurrency))
        async with httpx.AsyncClient(base_url=base, timeout=60) as client:

            async def headers_of(username):
                r = await client.post("/api/v1/auth/login", json={"username": username, "password": "password-123"})
                return {"Authorization": f"Bearer {r.json()['access_token']}"}

            sup, op = await headers_of("sup"), await headers_of("op")
            path = "/api/v1/search/messages"
            # Every pooled connection used once (the search pool's have their dictionaries loaded by the server).
            await timed(client, path, {"q": "картка"}, sup, 2, concurrency + 1)
            floor = await timed(client, "/api/v1/me", {}, sup, repeats, concurrency)
            floor_p50 = statistics.median(floor)
            print(f"  {label:<7} {'baseline GET /api/v1/me':<40} p50 {floor_p50:7.1f} ms  p95 {pct(floor, 95):7.1f} ms")
            cases = [
                ("rare word form (перевипустити)", {"q": "перевипустити"}, sup),
                ("common word form (картку)", {"q": "картку"}, sup),
                ("Russian form (карты)", {"q": "карты"}, sup),
                ("English form (refunds)", {"q": "refunds"}, sup),
                ("order number fragment (4412)", {"q": "4412"}, sup),
                ("two terms (заявка ORD-12)", {"q": "заявка ORD-12"}, sup),
                ("common word, one channel", {"q": "платіж", "channel": channel}, sup),
                ("common word, second page", None, sup),
                ("operator (one queue), common word", {"q": "переказ"}, op),
            ]
            worst = 0.0
            for name, params, headers in cases:
                if params is None:
                    first = (await client.get(path, params={"q": "платіж"}, headers=headers)).json()
                    params = {"q": "платіж", "cursor": first["next_cursor"]}
                t = await timed(client, path, params, headers, repeats, concurrency)
                p50, p95 = statistics.median(t), pct(t, 95)
                worst = max(worst, p95)
                print(
                    f"  {label:<7} {name:<40} p50 {p50:7.1f} ms  p95 {p95:7.1f} ms  (p50 {p50 / floor_p50:4.1f}x floor)"
                )
    scan = await naive_scan(db, RARE, 3)
    print(f"  {label:<7} {'baseline: same rare word, no index (scan)':<40} p50 {statistics.median(scan):7.1f} ms")
    print(f"  {label:<7} worst p95 {worst:.1f} ms with {concurrency} concurrent clients over {messages:,} messages")
    await db.dispose()


async def run(messages: int, backend: str, repeats: int, concurrency: int, keep: str | None, in_process: bool) -> None:
    if backend in ("pg", "both"):
        if keep:
            await bench(pg_keep_database(f"{keep}_{messages}"), "pg", messages, repeats, concurrency, in_process)
        else:
            name = unique_name("bench_search")
            url = pg_create_database(name)
            try:
                await bench(url, "pg", messages, repeats, concurrency, in_process)
            finally:
                pg_drop_database(name)
    if backend in ("sqlite", "both"):
        if keep:
            path = Path(tempfile.gettempdir()) / f"{keep}_{messages}.db"
            await bench(sqlite_url(path), "sqlite", messages, repeats, concurrency, in_process)
        else:
            with tempfile.TemporaryDirectory() as folder:
                await bench(sqlite_url(Path(folder) / "bench.db"), "sqlite", messages, repeats, concurrency, in_process)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--messages", type=int, default=1_000_000)
    parser.add_argument("--backend", choices=["pg", "sqlite", "both"], default="both")
    parser.add_argument("--repeats", type=int, default=30)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument(
        "--keep",
        metavar="NAME",
        help="keep the loaded data in database NAME_<messages> (PostgreSQL) or $TMPDIR/NAME_<messages>.db and reuse it",
    )
    parser.add_argument(
        "--in-process", action="store_true", help="serve from this process (the clients' time counts in the figures)"
    )
    args = parser.parse_args()
    asyncio.run(run(args.messages, args.backend, args.repeats, args.concurrency, args.keep, args.in_process))


if __name__ == "__main__":
    main()
