"""Benchmark: identity resolution per inbound message with 1,000,000 customers in PostgreSQL.

Run on demand (PostgreSQL at OMNIDESK_TEST_PG or 127.0.0.1:5432):

    /work/venv/bin/python tests/perf/bench_identity.py [--customers 1000000] [--messages 300]

It creates a fresh database, migrates it, bulk-loads N customers with one phone identity each (COPY), and prints:

1. the identity lookup ingest runs (one indexed equality on (kind, value)), plain and with the share lock ingest takes
   against a concurrent merge, p50/p99 over random existing phones;
2. the whole ingest of a message from an existing customer (dedupe, identity, conversation, message, timeline item,
   events, commit), p50/p99, on the loaded database and on a near-empty one (baseline): the difference is what a
   million customers add per message;
3. ingest of a message from a new sender with several identifiers (customer, keys, duplicate candidates);
4. the customer search (a rare name prefix, a phone typed locally, a name every customer shares), as a supervisor
   and as an operator (whose visibility rule is checked per customer).
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import time
from pathlib import Path

import asyncpg

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from sqlalchemy import select

from omnidesk.domain.enums import Role
from omnidesk.domain.identity import normalize
from omnidesk.protocol import InboundMessage
from omnidesk.server import migrate
from omnidesk.server.admin.service import create_api_channel
from omnidesk.server.context import Caller
from omnidesk.server.customers.models import Identity
from omnidesk.server.customers.service import search_ids
from omnidesk.server.db import Database
from omnidesk.server.ingest.service import ChannelRef, ingest
from tests.helpers import pg_create_database, pg_drop_database, unique_name

BASE_PHONE = 380_500_000_000


def word(n: int) -> str:
    """A name word of its own for customer n: its digits as the letters b..k ("n" + 7 letters)."""
    return "n" + "".join("bcdfghjklm"[int(d)] for d in f"{n:07d}")


def phone(n: int) -> str:
    return f"+{BASE_PHONE + n}"


async def bulk_load(url: str, count: int) -> float:
    dsn = url.replace("postgresql+asyncpg://", "postgresql://")
    conn = await asyncpg.connect(dsn)
    started = time.perf_counter()
    try:
        import datetime as dt

        now = dt.datetime.now(dt.UTC)
        batch = 200_000
        for start in range(1, count + 1, batch):
            stop = min(start + batch, count + 1)
            await conn.copy_records_to_table(
                "customers",
                records=((i, f"Customer {i}", now, now) for i in range(start, stop)),
                columns=["id", "display_name", "created_at", "updated_at"],
            )
            await conn.copy_records_to_table(
                "identities",
                records=((i, i, "phone", phone(i), now) for i in range(start, stop)),
                columns=["id", "customer_id", "kind", "value", "created_at"],
            )
            await conn.copy_records_to_table(
                "customer_keys",
                records=(row for i in range(start, stop) for row in ((f"q:{word(i)}", i), ("q:customer", i))),
                columns=["key", "customer_id"],
            )
        await conn.execute("SELECT setval('customers_id_seq', $1)", count)
        await conn.execute("SELECT setval('identities_id_seq', $1)", count)
        await conn.execute("ANALYZE customers; ANALYZE identities; ANALYZE customer_keys")
    finally:
        await conn.close()
    return time.perf_counter() - started


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p * len(ordered)))]


def show(label: str, values: list[float]) -> None:
    ms = [v * 1000 for v in values]
    print(f"  {label:<58} p50 {statistics.median(ms):7.2f} ms   p99 {pct(ms, 0.99):7.2f} ms   (n={len(ms)})")


async def lookup_times(db: Database, count: int, n: int, *, share: bool) -> list[float]:
    times = []
    async with db.session() as session:
        for _ in range(n):
            value = phone(random.randint(1, count))
            query = select(Identity.customer_id).where(Identity.kind == "phone", Identity.value == value)
            if share:
                query = query.with_for_update(read=True)
            started = time.perf_counter()
            found = await session.scalar(query)
            times.append(time.perf_counter() - started)
            assert found is not None
        await session.rollback()
    return times


async def search_times(db: Database, count: int, n: int) -> dict[str, list[float]]:
    """GET /customers?q= as the endpoint runs it (search_ids), for a supervisor and for an operator."""
    supervisor = Caller(0, "bench", "bench", Role.SUPERVISOR, frozenset(), 0, None)
    operator = Caller(0, "bench", "bench", Role.OPERATOR, frozenset({1}), 0, None)
    cases = {
        "search a rare name (word prefix)": lambda: word(random.randint(1, count)).capitalize()[:6],
        "search a phone typed locally": lambda: f"0{(BASE_PHONE + random.randint(1, count)) % 10**9:09d}",
        "search a name every customer has": lambda: "Customer",
    }
    times: dict[str, list[float]] = {}
    async with db.session() as session:
        for label, make in cases.items():
            for who, caller in (("supervisor", supervisor), ("operator", operator)):
                key = f"{label}, {who}"
                times[key] = []
                for _ in range(n):
                    text = make()
                    started = time.perf_counter()
                    ids, _next = await search_ids(session, caller, text, "UA", before=None, limit=20)
                    times[key].append(time.perf_counter() - started)
                    assert ids, text
        await session.rollback()
    return times


async def ingest_times(db: Database, channel: ChannelRef, senders: list[int], rounds: int, tag: str) -> list[float]:
    """Warm each sender's conversation with one message, then time the following ones."""
    times = []
    serial = 0
    for r in range(rounds + 1):
        for n in senders:
            serial += 1
            ident = normalize("phone", phone(n))
            message = InboundMessage(
                external_id=f"{tag}-{serial}", sender={"kind": "phone", "value": ident.value}, text="benchmark message"
            )
            started = time.perf_counter()
            await ingest(db, channel, message, ident)
            if r:
                times.append(time.perf_counter() - started)
    return times


async def new_sender_times(db: Database, channel: ChannelRef, n: int, tag: str) -> list[float]:
    times = []
    for i in range(n):
        ident = normalize("phone", phone(900_000_000 + i))
        extra = [normalize("email", f"new{tag}{i}@example.com")]
        message = InboundMessage(
            external_id=f"{tag}-new-{i}",
            sender={"kind": "phone", "value": ident.value, "name": f"Оксана Петренко {i}"},
            identities=[{"kind": "email", "value": extra[0].value}],
            text="first message",
        )
        started = time.perf_counter()
        await ingest(db, channel, message, ident, extra)
        times.append(time.perf_counter() - started)
    return times


async def prepare(url: str, label: str) -> ChannelRef:
    db = Database(url, pool_size=1)
    try:
        async with db.session() as session:
            channel, _ = await create_api_channel(session, name=f"bench {label}")
            await session.commit()
        return ChannelRef(channel.id, channel.kind, channel.name, channel.queue_id, None)
    finally:
        await db.dispose()


async def run(customers: int, messages: int, rounds: int) -> None:
    """Both databases exist side by side and are measured in alternating rounds, so that the load of this shared
    machine falls on both alike."""
    setups = {}
    names = []
    try:
        for label, count in (("baseline", 1_000), ("loaded", customers)):
            name = unique_name("bench_identity")
            names.append(name)
            url = pg_create_database(name)
            await asyncio.to_thread(migrate.upgrade, url)
            seconds = await bulk_load(url, count)
            print(f"{label}: {count:,} customers + identities loaded with COPY in {seconds:.1f} s")
            setups[label] = (url, count, await prepare(url, label))
        results = {label: {"plain": [], "share": [], "ingest": [], "new": []} for label in setups}
        per_round = max(1, messages // rounds)
        for r in range(rounds):
            for label, (url, count, channel) in setups.items():
                db = Database(url, pool_size=1)
                try:
                    res = results[label]
                    res["plain"] += await lookup_times(db, count, per_round, share=False)
                    res["share"] += await lookup_times(db, count, per_round, share=True)
                    senders = random.sample(range(1, count + 1), min(per_round, count))
                    res["ingest"] += await ingest_times(db, channel, senders, 1, f"{label}-{r}")
                    res["new"] += await new_sender_times(db, channel, max(1, per_round // 5), f"{label}-{r}")
                    for key, values in (await search_times(db, count, max(1, per_round // 10))).items():
                        res.setdefault(key, []).extend(values)
                finally:
                    await db.dispose()
    finally:
        for name in names:
            pg_drop_database(name)
    print("\nIdentity resolution on PostgreSQL (alternating rounds)")
    for label, r in results.items():
        print(f" {label}:")
        show("identity lookup (indexed equality)", r["plain"])
        show("identity lookup as ingest runs it (FOR SHARE)", r["share"])
        show("ingest, existing customer (whole transaction)", r["ingest"])
        show("ingest, new customer with 2 identifiers + dup check", r["new"])
        for key, values in r.items():
            if key.startswith("search"):
                show(key, values)
    base, loaded = results["baseline"], results["loaded"]
    added = statistics.median(loaded["ingest"]) - statistics.median(base["ingest"])
    lookup_added = statistics.median(loaded["share"]) - statistics.median(base["share"])
    print(f"\n  ingest p50, {customers:,} customers minus 1,000 customers: {added * 1000:+.2f} ms per message")
    print(
        f"  identity lookup p50, {customers:,} minus 1,000 customers: {lookup_added * 1000:+.3f} ms "
        "(target: under 2 ms added per message)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--messages", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=6)
    args = parser.parse_args()
    asyncio.run(run(args.customers, args.messages, args.rounds))


if __name__ == "__main__":
    main()
