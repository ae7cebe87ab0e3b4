"""Benchmark: IMAP ingest of 10,000 mails from Debian's dovecot, with a restart half-way, against the API channel.

Run on demand (needs dovecot and PostgreSQL at OMNIDESK_TEST_PG or 127.0.0.1:5432; root, for dovecot's mail user):

    .venv/bin/python tests/perf/bench_email.py [--messages 10000] [--database pg|sqlite]

It fills a dovecot Maildir with N distinct mails (files in new/, as a local delivery agent writes them: 2,000
senders, 5,000 subjects, a quoted history to trim), then, each on a fresh database of its own:

1. the API channel baseline: the same N messages (same senders and texts) through the generic API channel's ingest,
   one after the other as one mailbox reader stores them (the general path, no group commit);
2. e-mail: the N mails through the e-mail channel (IMAP UID FETCH in batches of 200, parse, trim, thread, identity,
   conversation, message, mail row, events), the reader task cancelled half-way (a crash: what was in flight is lost,
   nothing committed is) and started again from the saved UIDVALIDITY/UID; then the check that every mail is stored
   exactly once and the saved position is the last UID;
3. the API baseline again (the machine's load drifts: the e-mail run is bracketed by two baselines).

Rates are sampled every second (messages committed in that second); it prints the median of the per-second rates,
the overall rate (N / wall time) and the ratio e-mail / API of the medians. It also prints the bare IMAP fetch
(nothing stored) for scale.

Measured 2026-12-02, PostgreSQL, 2 shared cores (load ~1.8): API baselines 38 and 44 msg/s (medians), e-mail 37
mails/s median, 35 overall (10,000 in 283 s, restart at 5,004), exactly once; ratio 0.90 of the medians (0.67 overall);
bare IMAP fetch 3,382 mails/s.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from cryptography.fernet import Fernet

os.environ.setdefault("OMNIDESK_CHANNEL_KEY", Fernet.generate_key().decode())

from sqlalchemy import func, select

from omnidesk.channels.email.imap import Mailbox
from omnidesk.domain.identity import IdentityKind, normalize
from omnidesk.protocol import InboundMessage
from omnidesk.server import migrate
from omnidesk.server.admin.service import create_api_channel
from omnidesk.server.conversations.models import Message
from omnidesk.server.db import Database
from omnidesk.server.email.models import MailboxPosition
from omnidesk.server.email.poller import imap_settings, read_once
from omnidesk.server.email.service import create_email_channel, email_channels
from omnidesk.server.ingest.service import ChannelRef, ingest
from tests.channels import mailservers
from tests.helpers import pg_create_database, pg_drop_database, unique_name


def sender(i: int) -> str:
    return f"customer{i % 2000}@customer.test"


def body(i: int) -> str:
    return f"Добрий день! Питання номер {i}."


def fill_maildir(servers, user: str, n: int) -> None:
    new = servers.maildir(user) / "new"
    for d in ("new", "cur", "tmp"):
        (servers.maildir(user) / d).mkdir(parents=True, exist_ok=True)
    for i in range(n):
        raw = (
            f"From: Customer {i % 2000} <{sender(i)}>\r\nTo: support@{mailservers.DOMAIN}\r\n"
            f"Subject: Question {i % 5000}\r\nMessage-ID: <bench-{i}@customer.test>\r\n"
            f"Date: Tue, 1 Dec 2026 10:00:00 +0200\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
            f"{body(i)}\r\n\r\nOn Mon, 30 Nov 2026 Bank wrote:\r\n> earlier text\r\n"
        ).encode()
        (new / f"{1700000000 + i}.M{i}P1.bench").write_bytes(raw)
    for path in [servers.maildir(user), *servers.maildir(user).rglob("*")]:
        shutil.chown(path, mailservers.MAIL_USER, mailservers.MAIL_USER)


async def baseline(settings, n: int) -> float:
    started = time.perf_counter()
    got, last = 0, 0
    async with Mailbox(settings) as box:
        while True:
            batch = await box.fetch_after(last, 200)
            if not batch:
                break
            got += len(batch)
            last = batch[-1].uid
    assert got == n, (got, n)
    return time.perf_counter() - started


class Sampler:
    """Counts the stored messages every second: the per-second rates, their median, the wall time."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.rates: list[float] = []

    async def count(self) -> int:
        async with self.db.session() as session:
            return await session.scalar(select(func.count()).select_from(Message))

    async def run(self) -> None:
        last, at = await self.count(), time.perf_counter()
        while True:
            await asyncio.sleep(1.0)
            now, t = await self.count(), time.perf_counter()
            if now > last:
                self.rates.append((now - last) / (t - at))
            last, at = now, t

    def median(self) -> float:
        return statistics.median(self.rates) if self.rates else 0.0


async def api_baseline(url: str, n: int) -> tuple[float, float]:
    """The same N messages through the API channel's ingest, one at a time; (median per-second rate, overall)."""
    db = Database(url, pool_size=5)
    async with db.session() as session:
        channel, _token = await create_api_channel(session, name="Bench API")
        await session.commit()
        ref = ChannelRef(channel.id, channel.kind, channel.name, channel.queue_id, None)
    sampler = Sampler(db)
    task = asyncio.create_task(sampler.run())
    started = time.perf_counter()
    for i in range(n):
        identifier = normalize(IdentityKind.EMAIL, sender(i))
        message = InboundMessage(
            external_id=f"<bench-{i}@customer.test>",
            sender={"kind": "email", "value": identifier.value, "name": f"Customer {i % 2000}"},
            text=body(i),
        )
        await ingest(db, ref, message, identifier)
    took = time.perf_counter() - started
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
    assert await sampler.count() == n
    await db.dispose()
    return sampler.median(), n / took


def fresh_database(kind: str, tmp: Path, made: list[str]) -> str:
    if kind == "sqlite":
        url = f"sqlite:///{tmp / f'bench-{len(made)}.db'}"
        made.append(url)
    else:
        name = unique_name("omnidesk_bench_mail")
        made.append(name)
        url = pg_create_database(name)
    migrate.upgrade(url)
    return url


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--database", choices=("pg", "sqlite"), default="pg")
    args = parser.parse_args()
    n = args.messages
    root = Path(tempfile.mkdtemp(prefix="omnidesk-bench-mail-"))
    root.chmod(0o755)
    servers, stop = mailservers.start(root)
    made: list[str] = []
    try:
        fill_maildir(servers, "support", n)
        print(f"{n} mails, database {args.database}, load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        api1 = asyncio.run(api_baseline(fresh_database(args.database, root, made), n))
        print(f"API channel baseline 1: median {api1[0]:.0f} msg/s, overall {api1[1]:.0f} msg/s")
        mail = asyncio.run(run(servers, fresh_database(args.database, root, made), n))
        api2 = asyncio.run(api_baseline(fresh_database(args.database, root, made), n))
        print(f"API channel baseline 2: median {api2[0]:.0f} msg/s, overall {api2[1]:.0f} msg/s")
        api_median = statistics.mean([api1[0], api2[0]])
        print(
            f"ratio e-mail / API channel (medians of per-second rates): {mail[0] / api_median:.2f} "
            f"(overall: {mail[1] / statistics.mean([api1[1], api2[1]]):.2f})"
        )
    finally:
        stop()
        for name in made:
            if args.database == "pg":
                pg_drop_database(name)
        shutil.rmtree(root, ignore_errors=True)


async def run(servers, url: str, n: int) -> tuple[float, float]:
    db = Database(url, pool_size=5)
    async with db.session() as session:
        await create_email_channel(
            session,
            name="Bench",
            address=f"support@{mailservers.DOMAIN}",
            username="support",
            password=mailservers.PASSWORD,
            imap_host="127.0.0.1",
            imap_port=servers.imap_port,
            imap_tls=False,
            smtp_host="127.0.0.1",
            smtp_port=25,
            smtp_security="none",
        )
        await session.commit()
    ((channel, options, secrets),) = await email_channels(db)
    settings = imap_settings(options, secrets)
    await baseline(settings, n)  # the first pass lets dovecot index the new Maildir
    base = await baseline(settings, n)
    print(f"bare IMAP fetch of {n} mails, nothing stored: {base:.2f} s = {n / base:.0f} mails/s")
    sampler = Sampler(db)
    sampling = asyncio.create_task(sampler.run())
    started = time.perf_counter()

    async def first_run():
        async with Mailbox(settings) as box:
            await read_once(db, channel, options, box)

    task = asyncio.create_task(first_run())
    while await sampler.count() < n // 2:
        await asyncio.sleep(0.2)
    task.cancel()  # a crash half-way: whatever was in flight is lost, nothing committed is
    await asyncio.gather(task, return_exceptions=True)
    at_restart = await sampler.count()
    async with Mailbox(settings) as box:
        await read_once(db, channel, options, box)
        uidvalidity = box.uidvalidity
    took = time.perf_counter() - started
    sampling.cancel()
    await asyncio.gather(sampling, return_exceptions=True)
    async with db.session() as session:
        stored = await session.scalar(select(func.count()).select_from(Message))
        distinct = await session.scalar(select(func.count(func.distinct(Message.external_id))))
        pos = await session.get(MailboxPosition, (channel.id, "INBOX"))
    once = stored == distinct == n and pos.uidvalidity == uidvalidity and pos.last_uid == n
    print(
        f"e-mail: {n} mails with a restart at {at_restart}: median {sampler.median():.0f} mails/s, "
        f"overall {n / took:.0f} mails/s ({took:.1f} s)"
    )
    print(
        f"  stored {stored}, distinct Message-IDs {distinct}, saved position UID {pos.last_uid}: "
        f"{'exactly once' if once else 'WRONG'}"
    )
    await db.dispose()
    return sampler.median(), n / took


if __name__ == "__main__":
    main()
