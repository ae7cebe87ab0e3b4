"""Benchmark: opening the timeline of a customer with 10,000 entries (target: first page under 200 ms).

Run on demand:

    /work/venv/bin/python tests/perf/bench_timeline.py [--items 10000] [--backend pg|sqlite|both]

It loads one customer with N timeline entries (messages in and out over three channels, status changes,
assignments) among other customers' history into a fresh database, starts the real server (uvicorn, in process) and
prints the time of GET /api/v1/customers/{id}/timeline over HTTP: the first page, the first page filtered by kind and
by channel, and a page deep in the history, p50/max over repeated requests.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from sqlalchemy import insert

from omnidesk.domain.enums import Role
from omnidesk.server import migrate
from omnidesk.server.admin.service import create_api_channel
from omnidesk.server.conversations.models import Conversation, Message
from omnidesk.server.customers.models import Customer, Identity
from omnidesk.server.db import Database
from omnidesk.server.timeline.models import TimelineEntry
from omnidesk.server.users.service import create_user
from tests.conftest import serve, test_settings
from tests.helpers import pg_create_database, pg_drop_database, sqlite_url, unique_name


async def load(db: Database, items: int, others: int) -> tuple[int, int]:
    """The measured customer (and `others` customers with 100 entries each); returns (customer id, channel id)."""
    async with db.session() as session:
        await create_user(session, username="sup", password="password-123", role=Role.SUPERVISOR)
        await create_user(session, username="op", password="password-123", role=Role.OPERATOR, queue_ids=[1])
        channels = [(await create_api_channel(session, name=f"ch{i}"))[0].id for i in range(3)]
        start = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
        target = None
        for c in range(others + 1):
            count = items if c == 0 else 100
            customer = await session.scalar(
                insert(Customer)
                .values(display_name=f"Customer {c}", created_at=start, updated_at=start)
                .returning(Customer.id)
            )
            target = target or customer
            identity = await session.scalar(
                insert(Identity)
                .values(customer_id=customer, kind="external", value=f"c{c}", created_at=start)
                .returning(Identity.id)
            )
            convs = []
            for ch in channels:
                convs.append(
                    await session.scalar(
                        insert(Conversation)
                        .values(
                            customer_id=customer,
                            channel_id=ch,
                            identity_id=identity,
                            queue_id=1,
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
            rows, entries = [], []
            for n in range(count):
                conv = convs[n % 3]
                rows.append(
                    dict(
                        conversation_id=conv,
                        channel_id=channels[n % 3],
                        external_id=f"{c}-{n}",
                        direction="in" if n % 2 else "out",
                        kind="text",
                        text=f"message {n}",
                        sent_at=start + dt.timedelta(minutes=n),
                        created_at=start,
                    )
                )
            ids = (
                await session.scalars(insert(Message).returning(Message.id, sort_by_parameter_order=True), rows)
            ).all()
            for n, (row, message_id) in enumerate(zip(rows, ids, strict=True)):
                kind = "message_in" if row["direction"] == "in" else "message_out"
                payload = {}
                if n % 10 == 9:  # every tenth entry: a status change instead
                    kind, message_id, payload = "status_changed", None, {"from": "open", "to": "pending"}
                entries.append(
                    dict(
                        customer_id=customer,
                        kind=kind,
                        at=row["sent_at"],
                        conversation_id=row["conversation_id"],
                        channel_id=row["channel_id"],
                        message_id=message_id,
                        payload=payload,
                    )
                )
            await session.execute(insert(TimelineEntry), entries)
        await session.commit()
    return target, channels[0]


async def timed(client: httpx.AsyncClient, path: str, params: dict, headers: dict, n: int) -> list[float]:
    times = []
    for _ in range(n):
        started = time.perf_counter()
        r = await client.get(path, params=params, headers=headers)
        times.append(time.perf_counter() - started)
        assert r.status_code == 200, r.text
    return times


async def bench(url: str, label: str, items: int, repeats: int) -> None:
    await asyncio.to_thread(migrate.upgrade, url)
    db = Database(url, pool_size=2)
    started = time.perf_counter()
    customer, channel = await load(db, items, others=50)
    print(
        f"{label}: loaded {items:,} entries for the customer (+5,000 for 50 others) in "
        f"{time.perf_counter() - started:.1f} s"
    )
    await db.dispose()
    async with serve(test_settings(url)) as (_app, base):
        async with httpx.AsyncClient(base_url=base, timeout=30) as client:
            token = await client.post("/api/v1/auth/login", json={"username": "sup", "password": "password-123"})
            headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
            path = f"/api/v1/customers/{customer}/timeline"
            first = (await client.get(path, params={"limit": 50}, headers=headers)).json()
            cursor = first["next_cursor"]
            for _ in range(40):  # walk 40 pages deep
                cursor = (await client.get(path, params={"limit": 50, "before": cursor}, headers=headers)).json()[
                    "next_cursor"
                ]
            cases = [
                ("first page (50)", {"limit": 50}),
                ("first page, kinds=message_out", {"limit": 50, "kinds": "message_out"}),
                ("first page, kinds=status_changed", {"limit": 50, "kinds": "status_changed"}),
                ("first page, one channel", {"limit": 50, "channel_id": channel}),
                ("page 41 (entries 2,001-2,050)", {"limit": 50, "before": cursor}),
            ]
            for name, params in cases:
                t = [v * 1000 for v in await timed(client, path, params, headers, repeats)]
                print(f"  {label:<7} {name:<36} p50 {statistics.median(t):7.1f} ms   max {max(t):7.1f} ms")
            token = await client.post("/api/v1/auth/login", json={"username": "op", "password": "password-123"})
            operator = {"Authorization": f"Bearer {token.json()['access_token']}"}
            t = [v * 1000 for v in await timed(client, path, {"limit": 50}, operator, repeats)]
            name = "first page (50), as an operator"
            print(f"  {label:<7} {name:<36} p50 {statistics.median(t):7.1f} ms   max {max(t):7.1f} ms")


async def run(items: int, backend: str, repeats: int) -> None:
    if backend in ("pg", "both"):
        name = unique_name("bench_timeline")
        url = pg_create_database(name)
        try:
            await bench(url, "pg", items, repeats)
        finally:
            pg_drop_database(name)
    if backend in ("sqlite", "both"):
        with tempfile.TemporaryDirectory() as folder:
            await bench(sqlite_url(Path(folder) / "bench.db"), "sqlite", items, repeats)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--backend", choices=["pg", "sqlite", "both"], default="both")
    parser.add_argument("--repeats", type=int, default=20)
    args = parser.parse_args()
    asyncio.run(run(args.items, args.backend, args.repeats))


if __name__ == "__main__":
    main()
