"""Benchmark: each messenger connector's inbound throughput against the generic API channel, in the same run.

    .venv/bin/python tests/perf/bench_channels2.py [--requests 20000] [--rounds 5] [--http 400]

1. connector level: verify + parse of one delivery, as the webhook route does it, for Viber (HMAC-SHA256 of the
   body), VK (the secret in the JSON), Messenger and Instagram (X-Hub-Signature-256), MAX (the secret header),
   against the generic API connector (token digest + pydantic); messages/s as the median of the rounds, and the
   ratio to the API connector's median (the issue asks for at least 0.8);
2. with ``--http N``: N deliveries each through the real server on SQLite (POST /hooks/{kind}/{id} vs
   POST /api/v1/channels/{id}/inbound, sequential, keep-alive), stored exactly once, as messages/s and the ratio.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import hmac
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from omnidesk.channels import connector_for
from omnidesk.channels.api.connector import token_digest
from omnidesk.channels.base import ChannelConfig, InboundRequest
from tests.channels.ch2_loopback import fixture

VIBER_TOKEN = "445da6az1s345z78-dazcczb2542zv51a-e0vc5fva17480im9"
META_SECRET = "6f1c0b6a4c2f4a1d9e8b7a6c5d4e3f21"
MAX_SECRET = "omnidesk_max-hook-7c1e"


def _sign(key: str, body: bytes) -> str:
    return hmac.new(key.encode(), body, hashlib.sha256).hexdigest()


def cases() -> dict[str, tuple[object, list[InboundRequest]]]:
    """Per connector: the connector and a few distinct deliveries (so nothing is cached by accident)."""
    out: dict[str, tuple[object, list[InboundRequest]]] = {}
    api = connector_for("api", ChannelConfig(1, "API", secrets={"token_hash": token_digest("odc_bench")}))
    bodies = [
        json.dumps(
            {"external_id": f"m-{i}", "sender": {"kind": "phone", "value": "+380501234567"}, "text": "Добрий день"}
        )
        for i in range(8)
    ]
    out["api"] = (api, [InboundRequest("POST", {"authorization": "Bearer odc_bench"}, {}, b.encode()) for b in bodies])

    viber = connector_for("viber", ChannelConfig(2, "Viber", secrets={"auth_token": VIBER_TOKEN}))
    base = json.loads(fixture("viber", "message_text.json"))
    requests = []
    for i in range(8):
        body = json.dumps({**base, "message_token": base["message_token"] + i}).encode()
        requests.append(InboundRequest("POST", {"x-viber-content-signature": _sign(VIBER_TOKEN, body)}, {}, body))
    out["viber"] = (viber, requests)

    vk = connector_for(
        "vk",
        ChannelConfig(3, "VK", secrets={"secret": "Kx9vQ2s7", "access_token": "t"}, options={"group_id": "123456"}),
    )
    base = json.loads(fixture("vk", "message_new.json"))
    requests = []
    for i in range(8):
        event = json.loads(json.dumps(base))
        event["object"]["message"]["id"] += i
        requests.append(InboundRequest("POST", {}, {}, json.dumps(event).encode()))
    out["vk"] = (vk, requests)

    for kind, name, options in (
        ("meta", "messenger_text.json", {"page_id": "107942345678901"}),
        ("instagram", "instagram_message.json", {"account_id": "17841405793187218"}),
    ):
        connector = connector_for(kind, ChannelConfig(4, kind, secrets={"app_secret": META_SECRET}, options=options))
        base = json.loads(fixture("meta", name))
        requests = []
        for i in range(8):
            document = json.loads(json.dumps(base))
            document["entry"][0]["messaging"][0]["message"]["mid"] += str(i)
            body = json.dumps(document).encode()
            requests.append(
                InboundRequest("POST", {"x-hub-signature-256": "sha256=" + _sign(META_SECRET, body)}, {}, body)
            )
        out[kind] = (connector, requests)

    maxc = connector_for("max", ChannelConfig(5, "MAX", secrets={"webhook_secret": MAX_SECRET, "access_token": "t"}))
    base = json.loads(fixture("max", "message_created.json"))
    requests = []
    for i in range(8):
        update = json.loads(json.dumps(base))
        update["message"]["body"]["mid"] += str(i)
        requests.append(InboundRequest("POST", {"x-max-bot-api-secret": MAX_SECRET}, {}, json.dumps(update).encode()))
    out["max"] = (maxc, requests)
    return out


def connector_rates(n: int, rounds: int) -> dict[str, list[float]]:
    rates: dict[str, list[float]] = {}
    all_cases = cases()
    for _ in range(rounds):  # interleaved, so a noisy neighbour hurts every connector alike
        for kind, (connector, requests) in all_cases.items():
            count = len(requests)
            started = time.perf_counter()
            for i in range(n):
                request = requests[i % count]
                connector.verify(request)
                items = connector.parse(request)
                assert items
            rates.setdefault(kind, []).append(n / (time.perf_counter() - started))
    return rates


def http_rates(n: int) -> dict[str, float]:
    from omnidesk.server import migrate

    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/bench.db"
        migrate.upgrade(url, "head")
        return asyncio.run(_http_rates(n, url))


async def _http_rates(n: int, url: str) -> dict[str, float]:
    import httpx
    from cryptography.fernet import Fernet

    from omnidesk.domain.enums import Role
    from omnidesk.server.db import Database
    from tests.conftest import Api, serve, test_settings

    out: dict[str, float] = {}
    settings = test_settings(url, channel_key=Fernet.generate_key().decode())
    async with serve(settings) as (app, base):
        async with httpx.AsyncClient(base_url=base, timeout=30) as client:
            api = Api(url=base, db=Database(url, pool_size=1), settings=settings, client=client, app=app)
            admin = await api.headers_for("root", Role.ADMIN)
            api_id, token = await api.channel("API")
            r = await client.post(
                "/api/v1/admin/channels/viber",
                json={"name": "Viber", "secrets": {"auth_token": VIBER_TOKEN}},
                headers=admin,
            )
            viber_id = r.json()["id"]
            base_event = json.loads(fixture("viber", "message_text.json"))
            for label in ("api", "viber", "api", "viber"):
                started = time.perf_counter()
                for i in range(n):
                    if label == "api":
                        r = await api.inbound(api_id, token, f"{started}-{i}", value=f"+38050{1000000 + i}")
                        assert r.status_code == 201, r.text
                    else:
                        event = {**base_event, "message_token": int(started * 1000) * 1000 + i}
                        event["sender"] = {**event["sender"], "id": f"user-{i}="}
                        body = json.dumps(event).encode()
                        r = await client.post(
                            f"/hooks/viber/{viber_id}",
                            content=body,
                            headers={"X-Viber-Content-Signature": _sign(VIBER_TOKEN, body)},
                        )
                        assert r.status_code == 200, r.text
                out[label] = max(out.get(label, 0.0), n / (time.perf_counter() - started))
            await api.db.dispose()
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=20000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--http", type=int, default=0, help="also N deliveries through the real server (SQLite)")
    args = parser.parse_args()
    rates = connector_rates(args.requests, args.rounds)
    baseline = statistics.median(rates["api"])
    print(f"connector level: verify + parse, {args.requests} deliveries x {args.rounds} rounds (median)")
    print(f"{'connector':<10} {'msg/s':>10} {'ratio to api':>13}")
    for kind, values in rates.items():
        median = statistics.median(values)
        print(f"{kind:<10} {median:>10.0f} {median / baseline:>13.2f}")
    if args.http:
        http = http_rates(args.http)
        print(f"through the server on SQLite, {args.http} sequential deliveries (best of 2):")
        print(
            f"api inbound {http['api']:.0f} msg/s, viber hook {http['viber']:.0f} msg/s, "
            f"ratio {http['viber'] / http['api']:.2f}"
        )


if __name__ == "__main__":
    main()
