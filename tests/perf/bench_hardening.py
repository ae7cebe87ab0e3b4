"""Benchmark: what the hardening layer (issue 17) costs per request, against the same server without it.

Run on demand:

    .venv/bin/python tests/perf/bench_hardening.py [--requests 400] [--database sqlite|pg]

Two in-process servers on one fresh database, measured in the same run, interleaved: the full app, and the same app
with the request guard (JSON re-parse with duplicate-key, number and surrogate checks) and the error shield removed
from its middleware stack. It times three requests that every client makes constantly: ``GET /api/v1/me`` (caller,
permission overrides from the per-process cache), ``PATCH /api/v1/customers/{id}`` with a body (the guard re-parses
it), and ``POST /api/v1/channels/{id}/inbound`` (the channel's hot path), and prints medians, p95 and ratios.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import httpx

from omnidesk.domain.enums import Role
from omnidesk.server import guards, migrate
from omnidesk.server.db import Database
from tests.conftest import Api, serve, test_settings
from tests.helpers import pg_create_database, pg_drop_database, sqlite_url, unique_name


def _strip(app) -> None:
    """The same app without the guard and the shield (the baseline)."""
    app.user_middleware = [m for m in app.user_middleware if m.cls not in (guards.RequestGuard, guards.ErrorShield)]
    app.middleware_stack = None


async def _time(client: httpx.AsyncClient, method: str, url: str, **kw) -> float:
    start = time.perf_counter()
    r = await client.request(method, url, **kw)
    elapsed = time.perf_counter() - start
    assert r.status_code < 300, r.text
    return elapsed * 1000


async def main(requests: int, url: str, database: str, name: str | None) -> None:
    settings = test_settings(url, login_max_failures=1000)
    db = Database(url, pool_size=2)
    try:
        async with (
            serve(settings) as (full_app, full_url),
            serve(settings, start_workers=False) as (bare_app, bare_url),
        ):
            _strip(bare_app)
            async with httpx.AsyncClient(base_url=full_url) as full, httpx.AsyncClient(base_url=bare_url) as bare:
                api = Api(url=full_url, db=db, settings=settings, client=full, app=full_app)
                headers = await api.headers_for("bench", Role.SUPERVISOR)
                channel_id, token = await api.channel()
                customer = (await api.inbound(channel_id, token, "seed")).json()["customer_id"]
                channel = {"Authorization": f"Bearer {token}"}
                results: dict[str, dict[str, list[float]]] = {}
                for n in range(requests):
                    pair = [("hardened", full), ("baseline", bare)]
                    for label, client in pair if n % 2 == 0 else pair[::-1]:  # alternate: no order bias
                        cases = {
                            "GET /me": ("GET", "/api/v1/me", {"headers": headers}),
                            "PATCH customer": (
                                "PATCH",
                                f"/api/v1/customers/{customer}",
                                {"headers": headers, "json": {"attributes": {"n": n, "note": "x" * 200}}},
                            ),
                            "POST inbound": (
                                "POST",
                                f"/api/v1/channels/{channel_id}/inbound",
                                {
                                    "headers": channel,
                                    "json": {
                                        "external_id": f"{label}-{n}",
                                        "sender": {"kind": "phone", "value": "+380501234567"},
                                        "text": "Hello " * 20,
                                    },
                                },
                            ),
                        }
                        for case, (method, path, kw) in cases.items():
                            took = await _time(client, method, path, **kw)
                            results.setdefault(case, {}).setdefault(label, []).append(took)
        print(f"hardening overhead, {database}, {requests} requests each, interleaved (ms):")
        for case, by in results.items():
            h, b = by["hardened"][10:], by["baseline"][10:]  # skip the warm-up
            mh, mb = statistics.median(h), statistics.median(b)
            p95h = statistics.quantiles(h, n=20)[-1]
            p95b = statistics.quantiles(b, n=20)[-1]
            print(f"  {case:15} median {mh:6.2f} vs {mb:6.2f} (x{mh / mb:.2f})   p95 {p95h:6.2f} vs {p95b:6.2f}")
    finally:
        await db.dispose()
        if name:
            pg_drop_database(name)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--database", choices=["sqlite", "pg"], default="sqlite")
    args = parser.parse_args()
    db_name = None
    if args.database == "pg":
        db_name = unique_name("omnidesk_bench")
        db_url = pg_create_database(db_name)
    else:
        db_url = sqlite_url(Path(tempfile.mkdtemp()) / "bench.db")
    migrate.upgrade(db_url)
    asyncio.run(main(args.requests, db_url, args.database, db_name))
