"""Benchmark: Telegram and WhatsApp webhooks against the generic API channel, and sending under platform limits.

    .venv/bin/python tests/perf/bench_channels.py [--seconds 6] [--senders 8] [--database sqlite|pg] [--replies 120]

One server (in this process, uvicorn on a loopback port) on a fresh database; loopback Telegram and WhatsApp servers
beside it. Then:

1. inbound throughput, three rounds interleaved (api, telegram, whatsapp, repeated), each with N concurrent senders
   on keep-alive connections for S seconds: acknowledged messages/s and the median acknowledgement latency. The
   Telegram payload carries the secret header, the WhatsApp one its HMAC signature, both as documented; the target is
   at least 0.8 of the generic API channel's rate. Every acknowledged message is checked stored exactly once.
2. outbound: R replies spread over the Telegram chats of step 1 while the loopback Bot API allows 30 sends/s and
   answers 429 with retry_after beyond that (and Telegram's one message a second to one chat holds, so they are
   not all to one chat); the time until all are sent, the rate achieved against the limit, and how many 429s.
   tests/perf/bench_outbound.py measures the same against a worker without the limits, in one run.
"""

from __future__ import annotations

import argparse
import asyncio
import copy
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from cryptography.fernet import Fernet
from sqlalchemy import func, select

from omnidesk.domain.enums import Role
from omnidesk.server import migrate
from omnidesk.server.conversations.models import Message
from omnidesk.server.db import Database
from tests.channels.platforms import FakeTelegram, FakeWhatsApp, counting_429, fixture, serve_asgi
from tests.conftest import Api, serve, test_settings
from tests.helpers import pg_create_database, pg_drop_database, unique_name


def telegram_update(n: int) -> dict:
    update = copy.deepcopy(fixture("telegram", "text"))
    update["update_id"] = 10_000_000 + n
    message = update["message"]
    user = n % 50 + 1
    message["message_id"] = n
    message["from"] = {**message["from"], "id": 5_000_000 + user, "username": f"user{user}"}
    message["chat"] = {**message["chat"], "id": 5_000_000 + user}
    message["date"] = int(time.time())
    return update


def whatsapp_notification(n: int) -> dict:
    payload = copy.deepcopy(fixture("whatsapp", "text"))
    value = payload["entry"][0]["changes"][0]["value"]
    wa_id = str(15_550_000_000 + n % 50)
    value["contacts"][0]["wa_id"] = wa_id
    value["messages"][0]["from"] = wa_id
    value["messages"][0]["id"] = f"wamid.bench{n:09d}"
    value["messages"][0]["timestamp"] = str(int(time.time()))
    return payload


async def round_(client: httpx.AsyncClient, make, seconds: float, senders: int, counter: list[int]):
    latencies: list[float] = []
    deadline = time.monotonic() + seconds

    async def sender():
        while time.monotonic() < deadline:
            counter[0] += 1
            url, content, headers = make(counter[0])
            start = time.perf_counter()
            r = await client.post(url, content=content, headers=headers)
            if r.status_code >= 300:
                raise RuntimeError(f"{url}: {r.status_code} {r.text[:200]}")
            latencies.append(time.perf_counter() - start)

    began = time.monotonic()
    await asyncio.gather(*(sender() for _ in range(senders)))
    return len(latencies) / (time.monotonic() - began), statistics.median(latencies) * 1000


async def main(args) -> None:
    tmp = Path(tempfile.mkdtemp(prefix="bench-channels-"))
    pg_name = None
    if args.database == "pg":
        pg_name = unique_name("bench_channels")
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
        db_pool_size=20,
    )
    db = Database(url, pool_size=2)
    try:
        tg, answered = FakeTelegram(), [0]
        async with (
            serve_asgi(counting_429(tg.app(), answered)) as tg.url,  # the 429s it answers, counted at its door
            FakeWhatsApp().running() as wa,
            serve(settings) as (app, base),
            httpx.AsyncClient(base_url=base, timeout=60, limits=httpx.Limits(max_connections=64)) as client,
        ):
            api = Api(url=base, db=db, settings=settings, client=client, app=app)
            headers = await api.headers_for("admin", Role.ADMIN)
            api_channel, token = await api.channel("Bench API")
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
            tg_channel = r.json()["id"]
            secret = tg.webhook["secret_token"]
            r = await client.post(
                "/api/v1/admin/channels/whatsapp",
                json={
                    "name": "Bench WA",
                    "phone_number_id": wa.phone_number_id,
                    "access_token": wa.access_token,
                    "app_secret": wa.app_secret,
                    "verify_token": "v",
                    "api_base": wa.url,
                    "api_version": wa.version,
                },
                headers=headers,
            )
            wa_channel = r.json()["id"]

            def api_make(n):
                body = {
                    "external_id": f"api-{n}",
                    "sender": {"kind": "phone", "value": f"+38050{1000000 + n % 50}", "name": "Bench"},
                    "text": "Добрий день, картка заблокована",
                }
                return (
                    f"/api/v1/channels/{api_channel}/inbound",
                    json.dumps(body).encode(),
                    {"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
                )

            def tg_make(n):
                return (
                    f"/hooks/telegram/{tg_channel}",
                    json.dumps(telegram_update(n)).encode(),
                    {"X-Telegram-Bot-Api-Secret-Token": secret, "Content-Type": "application/json"},
                )

            def wa_make(n):
                body, signed = wa.signed(whatsapp_notification(n))
                return f"/hooks/whatsapp/{wa_channel}", body, signed

            counter = [0]
            results: dict[str, list[tuple[float, float]]] = {"api": [], "telegram": [], "whatsapp": []}
            await round_(client, api_make, 1.0, args.senders, counter)  # warm-up
            for _ in range(args.rounds):
                for name, make in (("api", api_make), ("telegram", tg_make), ("whatsapp", wa_make)):
                    results[name].append(await round_(client, make, args.seconds, args.senders, counter))
            async with db.session() as session:
                stored = await session.scalar(select(func.count()).select_from(Message))
                distinct = await session.scalar(select(func.count(func.distinct(Message.external_id))))
            print(
                f"database: {args.database}, {args.senders} senders, {args.seconds:g} s per round, "
                f"{args.rounds} rounds each (median)"
            )
            base_rate = statistics.median(r for r, _ in results["api"])
            for name, rows in results.items():
                rate = statistics.median(r for r, _ in rows)
                latency = statistics.median(lat for _, lat in rows)
                rounds = ", ".join(f"{r:.0f}" for r, _ in rows)
                print(
                    f"  {name:<9} {rate:8.1f} msg/s   median ack {latency:6.1f} ms   "
                    f"ratio to api {rate / base_rate:5.2f}   (rounds: {rounds})"
                )
            print(f"  stored {stored} messages, {distinct} distinct external ids (acknowledged = stored once)")

            # --- outbound under Telegram's limit -----------------------------------------------------------
            tg.rate_limit = 30
            r = await client.post(
                f"/hooks/telegram/{tg_channel}",
                json=fixture("telegram", "text"),
                headers={"X-Telegram-Bot-Api-Secret-Token": secret},
            )
            conversations = (
                await client.get(f"/api/v1/conversations?channel_id={tg_channel}&limit=200", headers=headers)
            ).json()
            chats = [c["id"] for c in conversations["items"]]
            tg.sent.clear()
            start = time.monotonic()
            gate = asyncio.Semaphore(args.senders)

            async def post_reply(i: int) -> None:
                async with gate:
                    await client.post(
                        f"/api/v1/conversations/{chats[i % len(chats)]}/messages",
                        json={"text": f"reply {i}"},
                        headers=headers,
                    )

            await asyncio.gather(*(post_reply(i) for i in range(args.replies)))  # operators replying at once
            while len([s for s in tg.sent if s[0] == "sendMessage"]) < args.replies:
                if time.monotonic() - start > 120:
                    raise RuntimeError("outbound did not finish in 120 s")
                await asyncio.sleep(0.05)
            took = time.monotonic() - start
            limited = answered[0]
            texts = [p["text"] for m, p, _ in tg.sent if m == "sendMessage"]
            print(
                f"outbound: {args.replies} replies in {took:.2f} s = {args.replies / took:.1f} msg/s against "
                f"a limit of 30/s (ratio {args.replies / took / 30:.2f}); {max(0, limited)} answered 429; "
                f"{len(set(texts))} distinct texts sent (each once: {len(texts) == len(set(texts))}) "
                f"to {len(chats)} chats"
            )
    finally:
        await db.dispose()
        if pg_name:
            pg_drop_database(pg_name)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=6.0)
    parser.add_argument("--senders", type=int, default=8)
    parser.add_argument("--replies", type=int, default=120)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--database", choices=["sqlite", "pg"], default="sqlite")
    asyncio.run(main(parser.parse_args()))
