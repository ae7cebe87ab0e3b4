"""Benchmark: web chat live delivery to many concurrent visitors on one server process (PostgreSQL).

    .venv/bin/python tests/perf/bench_webchat.py [--visitors 500] [--replies 500] [--rate 50]

Starts one `omnidesk server` process on a fresh PostgreSQL database, opens a web chat session, a first message and
a live stream (/webchat/{id}/stream, server-sent events) for each of N visitors, then operators reply to random
visitors at a paced rate. It prints, from the start of the reply POST to the reply arriving on the visitor's
stream, p50 and p99; and as the baseline measured in the same run, the same replies' arrival on the operator's own
event stream (/api/v1/events), which the visitor path is built on.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import sys
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from cryptography.fernet import Fernet

from tests.helpers import LiveServer, pg_create_database, pg_drop_database, unique_name


def address(i: int) -> dict[str, str]:
    """Visitor ``i``'s own address, through the loopback "proxy" the server trusts (OMNIDESK_TRUSTED_PROXIES)."""
    return {"x-forwarded-for": f"10.{i // 65536 % 256}.{i // 256 % 256}.{i % 256}"}


def percentile(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))] if values else float("nan")


async def read_stream(client: httpx.AsyncClient, url: str, params: dict, headers: dict, arrivals: dict, ready):
    async with client.stream("GET", url, params=params, headers=headers) as r:
        assert r.status_code == 200, r.status_code
        ready.set()
        async for line in r.aiter_lines():
            if line.startswith("data: ") and "bench-reply-" in line:
                now = time.perf_counter()
                data = json.loads(line[6:])
                text = (data.get("message") or data.get("payload", {}).get("message") or {}).get("text", "")
                if text.startswith("bench-reply-") and (data.get("type") == "message.created"):
                    arrivals.setdefault(text, now)


async def run(server: LiveServer, visitors: int, replies: int, rate: float) -> None:
    limits = httpx.Limits(max_connections=visitors + 100, max_keepalive_connections=visitors + 100)
    async with httpx.AsyncClient(base_url=server.url, timeout=60, limits=limits) as client:
        admin = server.admin_headers()
        channel = (await client.post("/api/v1/channels/webchat", headers=admin, json={"name": "Bench"})).json()
        cid = channel["id"]
        sem = asyncio.Semaphore(20)

        async def visitor(i: int):
            async with sem:
                # Each visitor from an address of its own (through the loopback "proxy" the server trusts), as on
                # a real site: the limit on new chats per address is not what this measures.
                forwarded = address(i)
                s = (await client.post(f"/webchat/{cid}/session", json={}, headers=forwarded)).json()
                assert "token" in s, s
                r = await client.post(
                    f"/webchat/{cid}/messages",
                    headers={"Authorization": f"Bearer {s['token']}", **forwarded},
                    json={"text": f"hello {i}", "client_key": f"k{i}"},
                )
                return s["token"], r.json()["id"]

        started = time.perf_counter()
        made = await asyncio.gather(*(visitor(i) for i in range(visitors)))
        print(f"{visitors} visitors with a first message in {time.perf_counter() - started:.1f} s")
        convs = [
            c["id"]
            for c in (await client.get("/api/v1/conversations", headers=admin, params={"limit": 200})).json()["items"]
        ]
        page = (await client.get("/api/v1/conversations", headers=admin, params={"limit": 200})).json()
        while page.get("next_cursor") and len(convs) < visitors:
            page = (
                await client.get(
                    "/api/v1/conversations", headers=admin, params={"limit": 200, "cursor": page["next_cursor"]}
                )
            ).json()
            convs += [c["id"] for c in page["items"]]
        visitor_arrivals: dict[str, float] = {}
        operator_arrivals: dict[str, float] = {}
        tasks = []
        readies = []
        for i, (token, _) in enumerate(made):
            ready = asyncio.Event()
            readies.append(ready)
            # Each visitor its own address (the server trusts X-Forwarded-For from loopback), as on a real site.
            tasks.append(
                asyncio.create_task(
                    read_stream(
                        client,
                        f"/webchat/{cid}/stream",
                        {"token": token},
                        address(i),
                        visitor_arrivals,
                        ready,
                    )
                )
            )
        ready = asyncio.Event()
        readies.append(ready)
        tasks.append(asyncio.create_task(read_stream(client, "/api/v1/events", {}, admin, operator_arrivals, ready)))
        await asyncio.gather(*(r.wait() for r in readies))
        await asyncio.sleep(1.0)
        print(f"{len(tasks) - 1} visitor streams and 1 operator stream open")
        sent: dict[str, float] = {}
        interval = 1.0 / rate
        next_at = time.perf_counter()
        for n in range(replies):
            conv = random.choice(convs)
            text = f"bench-reply-{n}"
            sent[text] = time.perf_counter()
            r = await client.post(
                f"/api/v1/conversations/{conv}/messages", headers=admin, json={"text": text, "client_key": f"r{n}"}
            )
            assert r.status_code in (200, 201), r.text
            next_at += interval
            await asyncio.sleep(max(0.0, next_at - time.perf_counter()))
        await asyncio.sleep(3.0)
        for t in tasks:
            t.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        v = [(visitor_arrivals[k] - sent[k]) * 1000 for k in sent if k in visitor_arrivals]
        o = [(operator_arrivals[k] - sent[k]) * 1000 for k in sent if k in operator_arrivals]
        print(
            f"visitor streams: {len(v)}/{replies} replies arrived; p50 {percentile(v, 0.5):.1f} ms, "
            f"p99 {percentile(v, 0.99):.1f} ms"
        )
        print(
            f"baseline, operator event stream: {len(o)}/{replies}; p50 {percentile(o, 0.5):.1f} ms, "
            f"p99 {percentile(o, 0.99):.1f} ms"
        )
        if o and v:
            print(f"ratio p99 visitor / operator: {percentile(v, 0.99) / percentile(o, 0.99):.2f}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--visitors", type=int, default=500)
    parser.add_argument("--replies", type=int, default=500)
    parser.add_argument("--rate", type=float, default=50.0)
    args = parser.parse_args()
    name = unique_name("omnidesk_bench_webchat")
    url = pg_create_database(name)
    env = {
        "OMNIDESK_PROCESSES": "1",
        "OMNIDESK_CHANNEL_KEY": Fernet.generate_key().decode(),
        "OMNIDESK_TRUSTED_PROXIES": "127.0.0.1",
    }
    server = LiveServer(url, env=env).prepare().start()
    try:
        asyncio.run(run(server, args.visitors, args.replies, args.rate))
    finally:
        server.close()
        pg_drop_database(name)


if __name__ == "__main__":
    os.nice(0)
    main()
