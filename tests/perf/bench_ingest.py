"""Benchmark: durable ingest through the inbound endpoint on PostgreSQL, and inbound → stream delivery latency.

Run on demand (it needs PostgreSQL at OMNIDESK_TEST_PG or 127.0.0.1:5432):

    .venv/bin/python tests/perf/bench_ingest.py [--senders 16] [--seconds 20] [--rate 200]

It starts real `omnidesk server` processes on a fresh PostgreSQL database and prints:

1. sustained ingest: messages/s acknowledged by POST /api/v1/channels/{id}/inbound with N concurrent senders on
   keep-alive connections, p50/p99 acknowledgement latency, and a check that every acknowledged message is in the
   database exactly once (acknowledged = committed);
2. the ceiling: the same load generator against a trivial FastAPI endpoint under the same uvicorn on this machine;
3. delivery latency at a paced rate: from the start of the inbound POST to the message.created event arriving on a
   connected SSE stream, p50/p99.

The load generator speaks HTTP/1.1 over asyncio streams so that it costs the 2-core machine as little CPU as possible.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import asyncpg
import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.helpers import LiveServer, free_port, pg_create_database, pg_drop_database, unique_name


class Connection:
    """One keep-alive HTTP/1.1 connection issuing POSTs with JSON bodies."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def post(self, path: str, body: dict, headers: dict[str, str]) -> tuple[int, bytes]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        raw = json.dumps(body).encode()
        head = [
            f"POST {path} HTTP/1.1",
            f"Host: {self.host}:{self.port}",
            "Content-Type: application/json",
            f"Content-Length: {len(raw)}",
        ]
        head += [f"{k}: {v}" for k, v in headers.items()]
        self.writer.write(("\r\n".join(head) + "\r\n\r\n").encode() + raw)
        assert self.reader is not None
        status_line = await self.reader.readline()
        status = int(status_line.split()[1])
        length = 0
        while True:
            line = await self.reader.readline()
            if line in (b"\r\n", b""):
                break
            name, _, value = line.decode().partition(":")
            if name.lower() == "content-length":
                length = int(value)
        payload = await self.reader.readexactly(length) if length else b""
        return status, payload

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()


def wait_http(url: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            httpx.get(url, timeout=1)
            return
        except httpx.HTTPError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def load(port: int, path: str, headers: dict, senders: int, seconds: float, body_for) -> dict:
    """Closed-loop load: each sender posts back to back for `seconds` after a short warm-up."""
    latencies: list[float] = []
    acked: list[str] = []
    errors = 0
    warmup_until = time.perf_counter() + 2.0
    stop_at = warmup_until + seconds

    async def sender(index: int) -> None:
        nonlocal errors
        conn = Connection("127.0.0.1", port)
        n = 0
        try:
            while (now := time.perf_counter()) < stop_at:
                external = f"s{index}-{n}"
                n += 1
                status, _ = await conn.post(path, body_for(external, index, n), headers)
                took = time.perf_counter() - now
                if status >= 300:
                    errors += 1
                elif now >= warmup_until:
                    latencies.append(took)
                    acked.append(external)
        finally:
            conn.close()

    await asyncio.gather(*(sender(i) for i in range(senders)))
    return {
        "rate": len(latencies) / seconds,
        "p50_ms": percentile(latencies, 0.50) * 1000,
        "p99_ms": percentile(latencies, 0.99) * 1000,
        "count": len(latencies),
        "errors": errors,
        "acked": acked,
    }


POOL = 1000  # returning customers, created before the measurement
NEW_SHARE = 0.1  # share of measured messages from first-time senders


def inbound_body(external: str, index: int, n: int) -> dict:
    # Live traffic is mostly people already in a conversation; one message in ten comes from a new sender.
    if NEW_SHARE and n % round(1 / NEW_SHARE) == 0:
        phone = f"+38063{index:03d}{n:05d}"
    else:
        phone = f"+38050{(index * 7919 + n) % POOL:07d}"
    return {
        "external_id": external,
        "sender": {"kind": "phone", "value": phone, "name": f"Bench {index}"},
        "text": f"benchmark message {external}",
    }


async def seed_customers(port: int, path: str, headers: dict) -> None:
    """One first message from each pooled customer, so the measured run sees returning senders."""
    queue = list(range(POOL))

    async def worker() -> None:
        conn = Connection("127.0.0.1", port)
        while queue:
            i = queue.pop()
            body = {"external_id": f"seed-{i}", "sender": {"kind": "phone", "value": f"+38050{i:07d}"}, "text": "hi"}
            await conn.post(path, body, headers)
        conn.close()

    await asyncio.gather(*(worker() for _ in range(8)))


CEILING_APP = textwrap.dedent(
    """
    import sys
    import uvicorn
    from fastapi import FastAPI
    from pydantic import BaseModel

    app = FastAPI()

    class Body(BaseModel):
        external_id: str
        sender: dict
        text: str

    @app.post("/echo", status_code=201)
    async def echo(body: Body) -> dict:
        return {"message_id": 1, "conversation_id": 1, "customer_id": 1}

    uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), log_level="warning", access_log=False)
    """
)


async def ceiling(senders: int, seconds: float) -> dict:
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-c", CEILING_APP, str(port)])  # noqa: ASYNC220
    try:
        wait_http(f"http://127.0.0.1:{port}/docs", timeout=30)
        return await load(port, "/echo", {}, senders, seconds, inbound_body)
    finally:
        proc.terminate()
        proc.wait(10)


async def delivery(server: LiveServer, channel_id: int, token: str, rate: float, seconds: float) -> dict:
    """Paced open-loop sends at `rate` per second while one SSE stream is connected; latency POST start → event."""
    headers = server.admin_headers()
    async with httpx.AsyncClient(base_url=server.url, timeout=None) as client:
        head = (await client.get("/api/v1/events/head", headers=headers)).json()
        after = head["last_event_id"]
        sent_at: dict[str, float] = {}
        received: dict[str, float] = {}
        connected = asyncio.Event()

        async def listen() -> None:
            async with client.stream("GET", f"/api/v1/events?after={after}", headers=headers) as resp:
                async for line in resp.aiter_lines():
                    if line.startswith(":"):
                        connected.set()
                    if line.startswith("data:"):
                        event = json.loads(line[5:])
                        if event["type"] == "message.created":
                            text = event["payload"]["message"]["text"]
                            received.setdefault(text, time.perf_counter())

        listener = asyncio.create_task(listen())
        await asyncio.wait_for(connected.wait(), 10)
        conns = [Connection("127.0.0.1", server.port) for _ in range(16)]
        free: asyncio.Queue[Connection] = asyncio.Queue()
        for conn in conns:
            free.put_nowait(conn)
        path = f"/api/v1/channels/{channel_id}/inbound"
        auth = {"Authorization": f"Bearer {token}"}

        async def send(i: int) -> None:
            conn = await free.get()
            text = f"delivery message d-{i}"
            body = {
                "external_id": f"d-{i}",
                "sender": {"kind": "phone", "value": f"+38050{i % POOL:07d}"},
                "text": text,
            }
            sent_at[text] = time.perf_counter()
            await conn.post(path, body, auth)
            free.put_nowait(conn)

        total = int(rate * seconds)
        start = time.perf_counter()
        tasks = []
        for i in range(total):
            delay = start + i / rate - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(send(i)))
        await asyncio.gather(*tasks)
        achieved = total / (time.perf_counter() - start)
        deadline = time.perf_counter() + 10
        while len(received.keys() & sent_at.keys()) < total and time.perf_counter() < deadline:
            await asyncio.sleep(0.05)
        listener.cancel()
        for conn in conns:
            conn.close()
    latencies = [received[t] - sent_at[t] for t in sent_at if t in received]
    return {
        "target_rate": rate,
        "achieved_rate": achieved,
        "delivered": len(latencies),
        "sent": total,
        "p50_ms": percentile(latencies, 0.5) * 1000,
        "p99_ms": percentile(latencies, 0.99) * 1000,
        "max_ms": max(latencies) * 1000,
    }


async def stored_exactly_once(url: str, channel_id: int, externals: list[str]) -> tuple[int, int]:
    conn = await asyncpg.connect(url)
    try:
        rows = await conn.fetch(
            "SELECT external_id, count(*) AS n FROM messages WHERE channel_id = $1 AND external_id = ANY($2::text[])"
            " GROUP BY external_id",
            channel_id,
            externals,
        )
    finally:
        await conn.close()
    return len(rows), sum(1 for r in rows if r["n"] != 1)


async def main() -> None:
    global NEW_SHARE
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--senders", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--rate", type=float, default=200, help="paced rate for the delivery-latency run")
    parser.add_argument("--delivery-seconds", type=float, default=15)
    parser.add_argument("--new-share", type=float, default=NEW_SHARE, help="share of first-time senders (0..1)")
    parser.add_argument("--processes", type=int, default=0, help="server processes (0: one per core)")
    parser.add_argument(
        "--unix-socket", metavar="DIR", help="connect the server to PostgreSQL through its Unix socket in DIR"
    )
    parser.add_argument("--skip", action="append", default=[], choices=["ceiling", "ingest", "delivery"])
    args = parser.parse_args()
    NEW_SHARE = args.new_share

    print(
        f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}; {args.senders} senders, "
        f"{args.seconds:.0f} s after 2 s warm-up; server processes: {args.processes or 'one per core'}",
        flush=True,
    )
    if "ceiling" not in args.skip:
        top = await ceiling(args.senders, args.seconds)
        print(
            f"ceiling  (trivial FastAPI endpoint): {top['rate']:8.0f} req/s   p50 {top['p50_ms']:6.1f} ms   "
            f"p99 {top['p99_ms']:6.1f} ms",
            flush=True,
        )

    name = unique_name("omnidesk_bench")
    url = pg_create_database(name)
    server_url = url
    if args.unix_socket:  # same database, reached through the socket instead of TCP on loopback
        server_url = f"postgresql://postgres@/{name}?host={args.unix_socket}"
    print(f"database: PostgreSQL over {'the Unix socket' if args.unix_socket else 'TCP on loopback'}", flush=True)
    server = LiveServer(server_url, env={"OMNIDESK_PROCESSES": str(args.processes)}).prepare().start()
    try:
        channel_id, token = server.add_channel("Bench")
        path = f"/api/v1/channels/{channel_id}/inbound"
        await seed_customers(server.port, path, {"Authorization": f"Bearer {token}"})
        if "ingest" not in args.skip:
            result = await load(
                server.port, path, {"Authorization": f"Bearer {token}"}, args.senders, args.seconds, inbound_body
            )
            found, doubled = await stored_exactly_once(url, channel_id, result["acked"])
            print(
                f"ingest   (inbound endpoint, PG, {NEW_SHARE:.0%} new senders): {result['rate']:8.0f} msg/s   "
                f"p50 {result['p50_ms']:6.1f} ms   "
                f"p99 {result['p99_ms']:6.1f} ms   errors {result['errors']}",
                flush=True,
            )
            print(
                f"         acknowledged {result['count']}, found in database {found}, stored more than once {doubled}",
                flush=True,
            )
        if "delivery" not in args.skip:
            lat = await delivery(server, channel_id, token, args.rate, args.delivery_seconds)
            print(
                f"delivery (inbound POST → SSE event) at {lat['achieved_rate']:.0f}/s: p50 {lat['p50_ms']:.1f} ms   "
                f"p99 {lat['p99_ms']:.1f} ms   max {lat['max_ms']:.1f} ms   "
                f"({lat['delivered']}/{lat['sent']} delivered)"
            )
    finally:
        server.close()
        pg_drop_database(name)


if __name__ == "__main__":
    asyncio.run(main())
