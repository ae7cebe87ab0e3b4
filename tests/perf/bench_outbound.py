"""Benchmark: the outbox sending to Telegram under its limits, paced by them against the same worker learning them
from 429 answers only, in the same run.

    .venv/bin/python tests/perf/bench_outbound.py [--database sqlite|pg] [--chats 60] [--per-chat 3] [--rounds 3]

Telegram allows a bot about 30 messages a second overall and one a second per chat; beyond that it answers 429
with retry_after. Each run starts a server (uvicorn on a loopback port) on a fresh database beside the loopback Bot
API (which enforces the 30/s and answers 429 beyond it), opens one conversation per chat through the real webhook,
queues ``per-chat`` replies in every conversation with the outbox held back, then releases the outbox and times
until every reply is accepted. Reported per run: messages/s and its ratio to the 30/s limit, the most sends in any
1 s window overall and to one chat, 429 answers, and whether each reply was sent exactly once and in order within
its conversation. Runs alternate between two workers, so both meet the same machine load: "paced" is the current
worker (its SendPacer keeps Telegram's limits, omnidesk/channels/limits.py), "unpaced" the same worker with no
limits known, which sends as fast as it can and only waits out the platform's 429 retry_after (what the pacer
replaced). The medians and the paced/unpaced ratio close the report.
"""

from __future__ import annotations

import argparse
import asyncio
import bisect
import copy
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from cryptography.fernet import Fernet

import omnidesk.server.app as server_app
from omnidesk.channels.limits import SendPacer
from omnidesk.domain.enums import Role
from omnidesk.server import migrate
from omnidesk.server.db import Database
from omnidesk.server.outbox.worker import OutboxWorker
from tests.channels.platforms import FakeTelegram, counting_429, fixture, serve_asgi
from tests.conftest import Api, serve, test_settings
from tests.helpers import pg_create_database, pg_drop_database, unique_name

LIMIT, PER_CHAT = 30, 1


class UnpacedWorker(OutboxWorker):
    """The baseline: the same worker knowing no platform limit; only a 429's retry_after holds it back."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.pacer = SendPacer(limits={})
        self.leases.pacer = self.pacer


def gated(worker: type, gate: asyncio.Event) -> type:
    class Gated(worker):
        async def run(self) -> None:
            await gate.wait()
            await super().run()

    return Gated


def update_for(chat: int) -> dict:
    update = copy.deepcopy(fixture("telegram", "text"))
    update["update_id"] = 20_000_000 + chat
    message = update["message"]
    person = {"id": 6_000_000 + chat, "first_name": f"Bench{chat:03d}", "last_name": "", "username": f"bench{chat}"}
    message["message_id"] = chat + 1
    message["from"] = {**message["from"], **person}
    message["chat"] = {**message["chat"], **person}
    message["date"] = int(time.time())
    return update


def most_in_a_second(times: list[float]) -> int:
    times = sorted(times)
    return max((bisect.bisect_left(times, t + 1.0) - i for i, t in enumerate(times)), default=0)


async def one_run(args, worker: type) -> dict:
    tmp = Path(tempfile.mkdtemp(prefix="bench-outbound-"))
    pg_name = None
    if args.database == "pg":
        pg_name = unique_name("bench_outbound")
        url = pg_create_database(pg_name)
    else:
        url = f"sqlite:///{tmp / 'bench.db'}"
    await asyncio.to_thread(migrate.upgrade, url)
    settings = test_settings(
        url,
        channel_key=Fernet.generate_key().decode(),
        data_dir=str(tmp),
        outbox_base_delay=0.2,
        outbox_max_delay=5.0,
        outbox_max_attempts=30,
    )
    gate = asyncio.Event()
    server_app.OutboxWorker = gated(worker, gate)
    db = Database(url, pool_size=2)
    accepted: list[tuple[float, str, str]] = []
    try:
        tg = FakeTelegram(rate_limit=LIMIT)
        answered = [0]
        async with (
            serve_asgi(counting_429(tg.app(), answered)) as tg.url,
            serve(settings) as (app, base),
            httpx.AsyncClient(base_url=base, timeout=60) as client,
        ):
            tg.on_sent = lambda method, params: accepted.append(
                (time.monotonic(), str(params["chat_id"]), params["text"])
            )
            api = Api(url=base, db=db, settings=settings, client=client, app=app)
            headers = await api.headers_for("admin", Role.ADMIN)
            r = await client.post(
                "/api/v1/admin/channels/telegram",
                json={
                    "name": "Bench bot",
                    "token": tg.token,
                    "mode": "webhook",
                    "public_url": base,
                    "api_base": tg.url,
                },
                headers=headers,
            )
            channel = r.json()["id"]
            secret = {"X-Telegram-Bot-Api-Secret-Token": tg.webhook["secret_token"]}
            for chat in range(args.chats):
                r = await client.post(f"/hooks/telegram/{channel}", json=update_for(chat), headers=secret)
                assert r.status_code < 300, r.text
            listed = (await client.get(f"/api/v1/conversations?channel_id={channel}&limit=200", headers=headers)).json()
            conversations = {c["customer"]["name"].strip(): c["id"] for c in listed["items"]}
            assert len(conversations) == args.chats, conversations

            async def replies_to(chat: int) -> None:  # in order within a conversation, conversations at once
                for k in range(args.per_chat):
                    r = await client.post(
                        f"/api/v1/conversations/{conversations[f'Bench{chat:03d}']}/messages",
                        json={"text": f"reply {chat}-{k}"},
                        headers=headers,
                    )
                    assert r.status_code < 300, r.text

            await asyncio.gather(*(replies_to(chat) for chat in range(args.chats)))
            total = args.chats * args.per_chat
            start = time.monotonic()
            gate.set()
            while len(accepted) < total:
                if time.monotonic() - start > 180:
                    raise RuntimeError(f"only {len(accepted)} of {total} sent in 180 s")
                await asyncio.sleep(0.02)
            took = accepted[-1][0] - start
            await asyncio.sleep(0.5)  # anything sent twice would arrive now
            per_chat: dict[str, list] = defaultdict(list)
            for at, chat, text in accepted:
                per_chat[chat].append((at, text))
            in_order = all(
                [t for _, t in sends] == sorted((t for _, t in sends), key=lambda s: int(s.rsplit("-", 1)[1]))
                for sends in per_chat.values()
            )
            texts = [t for _, _, t in accepted]
            return {
                "rate": total / took,
                "took": took,
                "peak": most_in_a_second([a for a, _, _ in accepted]),
                "peak_chat": max(most_in_a_second([a for a, _ in sends]) for sends in per_chat.values()),
                "limited": answered[0],
                "once": len(texts) == len(set(texts)) == total,
                "in_order": in_order,
            }
    finally:
        server_app.OutboxWorker = OutboxWorker
        await db.dispose()
        if pg_name:
            pg_drop_database(pg_name)


async def main(args) -> None:
    workers = {"unpaced": UnpacedWorker, "paced": OutboxWorker}
    if args.only:  # one worker alone, e.g. to profile it with py-spy
        workers = {args.only: workers[args.only]}
    results: dict[str, list[dict]] = defaultdict(list)
    print(
        f"{args.database}: {args.chats} chats x {args.per_chat} replies; "
        f"Telegram's limits {LIMIT}/s, {PER_CHAT}/s per chat"
    )
    for round_ in range(args.rounds):
        for name, worker in workers.items():
            result = await one_run(args, worker)
            results[name].append(result)
            print(
                f"  round {round_ + 1} {name}: {result['rate']:5.1f} msg/s (x{result['rate'] / LIMIT:.2f} of the "
                f"limit) in {result['took']:.2f} s; peak {result['peak']}/s overall, {result['peak_chat']}/s to one "
                f"chat; {result['limited']} answered 429; once: {result['once']}; in order: {result['in_order']}"
            )
    medians = {name: statistics.median(r["rate"] for r in runs) for name, runs in results.items()}
    for name, median in medians.items():
        runs = results[name]
        print(
            f"{name}: median {median:.1f} msg/s = x{median / LIMIT:.2f} of {LIMIT}/s; "
            f"peaks {max(r['peak'] for r in runs)}/s overall, {max(r['peak_chat'] for r in runs)}/s per chat; "
            f"429s {sum(r['limited'] for r in runs)}"
        )
    if len(medians) == 2:
        print(f"paced / unpaced: x{medians['paced'] / medians['unpaced']:.2f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", choices=["sqlite", "pg"], default="sqlite")
    parser.add_argument("--chats", type=int, default=60)
    parser.add_argument("--per-chat", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--only", choices=["unpaced", "paced"])
    asyncio.run(main(parser.parse_args()))
