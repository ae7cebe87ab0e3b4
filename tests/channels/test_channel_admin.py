"""Channel administration from the command line against a running server and the loopback platforms (SQLite and
PostgreSQL): ``channel show`` (settings without credentials, health, webhook, last update), ``channel templates sync``,
``channel disable`` (the webhook refuses, the poller stops, nothing more is sent), and outbound HTTP through the
standard proxy settings (HTTPS_PROXY) via a real CONNECT proxy on loopback."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import ipaddress
import json

import httpx
import uvicorn
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from sqlalchemy import func, select

from omnidesk.server.audit.models import AuditRecord
from omnidesk.server.channels.models import ChannelTemplate
from omnidesk.server.channels.service import ConnectorCache
from omnidesk.server.conversations.models import Message
from omnidesk.server.db import Database
from tests.channels.platforms import FakeTelegram, fixture
from tests.channels.server_fixtures import (
    VERIFY_TOKEN,
    add_telegram,
    add_whatsapp,
    admin_headers,
    messages,
    provider_settings,
    wait_for,
)
from tests.conftest import Api, serve
from tests.server.conftest import omnidesk_here


async def run(api: Api, *args: str, stdin: str = ""):
    """The command in a thread (the server and the loopback platforms in this loop answer it), on the server's
    database."""
    return await asyncio.to_thread(lambda: omnidesk_here(*args, database=api.settings.database_url, stdin=stdin))


async def count(api: Api, model, *where) -> int:
    async with api.db.session() as session:
        return await session.scalar(select(func.count()).select_from(model).where(*where))


TEMPLATES = [
    {
        "name": "card_blocked",
        "language": "uk",
        "status": "APPROVED",
        "category": "UTILITY",
        "id": "1",
        "components": [{"type": "BODY", "text": "{{1}}, вашу картку заблоковано."}],
    },
    {
        "name": "card_blocked",
        "language": "en",
        "status": "APPROVED",
        "category": "UTILITY",
        "id": "2",
        "components": [{"type": "BODY", "text": "{{1}}, your card is blocked."}],
    },
    {
        "name": "promo",
        "language": "uk",
        "status": "PENDING",
        "category": "MARKETING",
        "id": "3",
        "components": [{"type": "BODY", "text": "Знижка"}],
    },
]


async def test_channel_show_and_template_sync_from_the_command_line(provider_api, telegram, whatsapp, monkeypatch):
    api = provider_api
    monkeypatch.setenv("OMNIDESK_CHANNEL_KEY", api.settings.channel_key)  # the CLI unseals what the server sealed
    headers = await admin_headers(api)
    bot = await add_telegram(api, telegram, headers, mode="poll")
    wa = await add_whatsapp(api, whatsapp, headers)
    hook = f"{api.url}/hooks/whatsapp/{wa['id']}"
    assert (await whatsapp.notify(api.client, hook, fixture("whatsapp", "text"))).status_code == 200

    async def touched():
        return (await api.client.get(f"/api/v1/admin/channels/{wa['id']}", headers=headers)).json()["last_update_at"]

    await wait_for(touched, what="the delivery recorded as the last update")

    r = await run(api, "channel", "show", "Bank WhatsApp", "--json")
    assert r.returncode == 0, r.stdout + r.stderr
    for secret in (whatsapp.access_token, whatsapp.app_secret, VERIFY_TOKEN, api.settings.channel_key):
        assert secret not in r.stdout + r.stderr
    shown = json.loads(r.stdout)
    assert (shown["id"], shown["kind"], shown["name"], shown["active"]) == (wa["id"], "whatsapp", "Bank WhatsApp", True)
    assert shown["credentials"] == ["access_token", "app_secret", "verify_token"]  # named, never shown
    assert shown["options"]["phone_number_id"] == whatsapp.phone_number_id and shown["api_base"] == whatsapp.url
    assert shown["webhook_path"] == f"/hooks/whatsapp/{wa['id']}" and shown["last_update_at"]
    health = shown["health"]
    assert health["ok"] and health["checks"][0]["detail"].startswith("token valid, number")
    assert any(c["name"] == "updates" and c["detail"].startswith("last update ") for c in health["checks"])
    # The same words as the admin API's health check: one report, two ways to ask for it.
    api_health = (await api.client.get(f"/api/v1/admin/channels/{wa['id']}/health", headers=headers)).json()
    assert [c["name"] for c in api_health["checks"]] == [c["name"] for c in health["checks"]]

    r = await run(api, "channel", "show", "bank bot")  # a name in any case, the text form
    assert r.returncode == 0, r.stdout + r.stderr
    assert telegram.token not in r.stdout + r.stderr
    lines = r.stdout.splitlines()
    assert lines[0] == f"channel {bot['id']} 'Bank bot': telegram, active, queue {bot['queue_id']}"
    assert "webhook: none: long polling (getUpdates)" in lines
    assert "credentials: token, webhook_secret (sealed, never shown)" in lines
    (health_line,) = [line for line in lines if line.startswith("health: ")]
    assert health_line.startswith("health: ok: token valid (@bank_help_bot); poll mode, no webhook set; ")
    assert str(bot["id"]) in (await run(api, "channel", "show", str(bot["id"]))).stdout  # an id works too

    r = await run(api, "channel", "show", "No such channel")
    assert r.returncode == 2 and "no channel is named 'No such channel'" in r.stderr
    await add_whatsapp(api, whatsapp, headers)  # a second "Bank WhatsApp"
    r = await run(api, "channel", "show", "Bank WhatsApp")
    assert r.returncode == 2 and "2 channels are named 'Bank WhatsApp'" in r.stderr and "give the id" in r.stderr

    # Templates: synced from the business account by the service the admin API uses, and audited the same way.
    whatsapp.templates = TEMPLATES
    r = await run(api, "channel", "templates", "sync", str(wa["id"]))
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == f"3 template(s) of channel {wa['id']} (Bank WhatsApp) synced"
    offered = (await api.client.get(f"/api/v1/channels/{wa['id']}/templates", headers=headers)).json()
    assert [(t["name"], t["language"], t["parameters"]) for t in offered] == [
        ("card_blocked", "en", 1),
        ("card_blocked", "uk", 1),
    ]  # the pending one is kept but not offered
    async with api.db.session() as session:
        audited = (
            await session.execute(
                select(AuditRecord.username, AuditRecord.details).where(AuditRecord.action == "channel.templates_sync")
            )
        ).one()
    assert audited.username.startswith("cli:") and audited.details == {"count": 3}
    whatsapp.templates = TEMPLATES[:1]
    r = await run(api, "channel", "templates", "sync", str(wa["id"]), "--json")
    assert json.loads(r.stdout) == {"id": wa["id"], "name": "Bank WhatsApp", "count": 1}
    assert await count(api, ChannelTemplate, ChannelTemplate.channel_id == wa["id"]) == 1  # replaced, not added

    r = await run(api, "channel", "templates", "sync", "Bank bot")
    assert r.returncode == 2 and "has no templates to sync" in r.stderr
    whatsapp.access_token = "EAAJB0revoked"  # the platform now refuses our token
    r = await run(api, "channel", "templates", "sync", str(wa["id"]))
    assert r.returncode == 1 and "the platform refused the template list" in r.stderr
    assert await count(api, ChannelTemplate, ChannelTemplate.channel_id == wa["id"]) == 1  # nothing lost


async def test_a_disabled_channel_takes_nothing_polls_no_more_and_sends_nothing(
    provider_api, telegram, whatsapp, monkeypatch
):
    api = provider_api
    api.app.state.provider_connectors = ConnectorCache(ttl=0.2)  # the server sees the command's change at once
    headers = await admin_headers(api)
    bot = await add_telegram(api, telegram, headers, mode="poll")
    wa = await add_whatsapp(api, whatsapp, headers)
    hook = f"{api.url}/hooks/whatsapp/{wa['id']}"
    assert (await whatsapp.notify(api.client, hook, fixture("whatsapp", "text"))).status_code == 200
    telegram.push(fixture("telegram", "text"))
    await wait_for(lambda: _equal(count(api, Message, Message.channel_id == bot["id"]), 1), what="the polled update")
    (conv,) = [
        c
        for c in (await api.client.get("/api/v1/conversations", headers=headers)).json()["items"]
        if c["channel"]["id"] == bot["id"]
    ]
    # A reply waits in the outbox: Telegram asks for 3 s of patience, and meanwhile the channel is disabled.
    telegram.fail("sendMessage", 429, "Too Many Requests: retry after 3", retry_after=3)
    r = await api.client.post(f"/api/v1/conversations/{conv['id']}/messages", json={"text": "wait"}, headers=headers)
    assert r.status_code == 201, r.text
    waiting = r.json()["id"]
    await wait_for(lambda: _sent_tries(telegram, 1), what="the first attempt answered 429")

    r = await run(api, "channel", "disable", "Bank bot")
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith(f"channel {bot['id']} (Bank bot) disabled")
    assert (await run(api, "channel", "disable", "Bank WhatsApp")).returncode == 0
    polls = len([m for m, _ in telegram.calls if m == "getUpdates"])

    # WhatsApp's webhook: a correctly signed delivery hears 410 in words and nothing is stored; a forged one still
    # hears 401, so a disabled channel cannot be probed by anyone without its secret.
    later = fixture("whatsapp", "text")
    later["entry"][0]["changes"][0]["value"]["messages"][0]["id"] = "wamid.after-disable"
    before = await count(api, Message, Message.channel_id == wa["id"])
    r = await whatsapp.notify(api.client, hook, later)
    assert r.status_code == 410 and "disabled" in r.text
    body, signed = whatsapp.signed(later, secret="not-the-app-secret")
    assert (await api.client.post(hook, content=body, headers=signed)).status_code == 401
    handshake = {"hub.mode": "subscribe", "hub.verify_token": VERIFY_TOKEN, "hub.challenge": "1158201444"}
    r = await api.client.get(hook, params=handshake)
    assert r.status_code == 410 and "1158201444" not in r.text
    assert await count(api, Message, Message.channel_id == wa["id"]) == before

    # Telegram's poller stops: a new update stays unread on the platform.
    telegram.push({**fixture("telegram", "text"), "update_id": 900100})
    await asyncio.sleep(2.5)  # more than the long poll's 1 s timeout: a running poll has ended by now
    settled = len([m for m, _ in telegram.calls if m == "getUpdates"])
    await asyncio.sleep(2.0)
    assert len([m for m, _ in telegram.calls if m == "getUpdates"]) == settled <= polls + 1
    assert await count(api, Message, Message.channel_id == bot["id"], Message.direction == "in") == 1

    # Outbound: the queued reply fails in words at its next attempt; a new reply is refused at once.
    async def failed():
        row = next(m for m in await messages(api, headers, conv["id"]) if m["id"] == waiting)
        return row if row["delivery_status"] == "failed" else None

    row = await wait_for(failed, what="the queued reply failed")
    assert row["delivery_error"] == (
        "the channel 'Bank bot' is disabled: nothing is sent through it (an administrator disabled it)"
    )
    assert not [p for m, p, _ in telegram.sent if m == "sendMessage"]  # nothing went out
    r = await api.client.post(f"/api/v1/conversations/{conv['id']}/messages", json={"text": "x"}, headers=headers)
    assert r.status_code == 422 and "is disabled: nothing is sent" in r.text
    note = {"text": "for colleagues", "kind": "note"}
    r = await api.client.post(f"/api/v1/conversations/{conv['id']}/messages", json=note, headers=headers)
    assert r.status_code == 201  # internal notes never leave OmniDesk: still fine

    listed = {c["id"]: c for c in json.loads((await run(api, "channel", "list", "--json")).stdout)}
    assert not listed[bot["id"]]["active"] and not listed[wa["id"]]["active"]
    r = await run(api, "channel", "show", str(wa["id"]))  # without the channel key: said in words
    assert r.returncode == 1 and "disabled" in r.stdout.splitlines()[0], r.stdout
    assert "health: NOT OK: the channel credentials do not decrypt" in r.stdout
    monkeypatch.setenv("OMNIDESK_CHANNEL_KEY", api.settings.channel_key)
    r = await run(api, "channel", "show", str(wa["id"]))
    (health_line,) = [line for line in r.stdout.splitlines() if line.startswith("health: ")]
    assert r.returncode == 1 and health_line.startswith("health: NOT OK: token valid, number ")
    assert "; the channel is disabled; last update " in health_line
    r = await run(api, "channel", "disable", "Nobody")
    assert r.returncode == 2 and "no channel is named 'Nobody'" in r.stderr


async def _equal(awaitable, value) -> bool:
    return (await awaitable) == value


async def _sent_tries(fake: FakeTelegram, tries: int) -> bool:
    return len([m for m, _ in fake.calls if m == "sendMessage"]) >= tries


# --- outbound HTTP through the standard proxy settings ---------------------------------------------------------


class ConnectProxy:
    """A real HTTPS proxy on loopback (HTTP CONNECT tunnels, as corporate egress proxies offer), recording each
    tunnel's target and the local port of its connection to the target."""

    def __init__(self) -> None:
        self.tunnels: list[str] = []
        self.outgoing_ports: set[int] = set()
        self.url = ""

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        with contextlib.suppress(ConnectionError, OSError):
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        with contextlib.suppress(Exception):
            writer.close()

    async def _client(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = await reader.readuntil(b"\r\n\r\n")
        method, target, _ = head.split(b"\r\n", 1)[0].decode().split(" ", 2)
        if method != "CONNECT":
            writer.write(b"HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            writer.close()
            return
        host, port = target.rsplit(":", 1)
        upstream_reader, upstream_writer = await asyncio.open_connection(host, int(port))
        self.tunnels.append(target)
        self.outgoing_ports.add(upstream_writer.get_extra_info("sockname")[1])
        writer.write(b"HTTP/1.1 200 Connection established\r\n\r\n")
        await writer.drain()
        await asyncio.gather(self._pipe(reader, upstream_writer), self._pipe(upstream_reader, writer))

    @contextlib.asynccontextmanager
    async def running(self):
        server = await asyncio.start_server(self._client, "127.0.0.1", 0)
        self.url = f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}"
        try:
            yield self
        finally:
            server.close()


def loopback_certificate(folder) -> tuple[str, str, str]:
    """A throwaway CA and a certificate for 127.0.0.1 signed by it: (CA file, certificate file, key file)."""
    now = dt.datetime.now(dt.UTC)

    def name(common: str) -> x509.Name:
        return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common)])

    ca_key, key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    ca = (
        x509.CertificateBuilder()
        .subject_name(name("OmniDesk test CA"))
        .issuer_name(name("OmniDesk test CA"))
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True
        )  # keyCertSign, cRLSign
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    cert = (
        x509.CertificateBuilder()
        .subject_name(name("127.0.0.1"))
        .issuer_name(ca.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    paths = folder / "ca.pem", folder / "cert.pem", folder / "key.pem"
    paths[0].write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    paths[1].write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    paths[2].write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return tuple(str(p) for p in paths)


@contextlib.asynccontextmanager
async def serve_tls(app, cert: str, key: str):
    """An ASGI app over HTTPS on a loopback port; yields the port. Every request's peer port is recorded."""
    peers: list[int] = []

    async def recording(scope, receive, send):
        if scope["type"] == "http":
            peers.append(scope["client"][1])
        await app(scope, receive, send)

    config = uvicorn.Config(
        recording, host="127.0.0.1", port=0, log_level="warning", lifespan="off", ssl_certfile=cert, ssl_keyfile=key
    )
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()
        await asyncio.sleep(0.01)
    try:
        yield server.servers[0].sockets[0].getsockname()[1], peers
    finally:
        server.should_exit = True
        await asyncio.wait_for(task, 5)


async def test_outbound_http_goes_through_the_https_proxy(db_url, tmp_path, monkeypatch):
    ca, cert, key = loopback_certificate(tmp_path)
    telegram = FakeTelegram()
    async with ConnectProxy().running() as proxy, serve_tls(telegram.app(), cert, key) as (port, peers):
        telegram.url = f"https://127.0.0.1:{port}"
        for name in ("HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy", "NO_PROXY", "no_proxy", "https_proxy"):
            monkeypatch.delenv(name, raising=False)
        monkeypatch.setenv("HTTPS_PROXY", proxy.url)  # before the server starts: its clients read it when made
        monkeypatch.setenv("SSL_CERT_FILE", ca)  # the loopback platform's CA, as a bank adds its proxy's CA
        settings = provider_settings(db_url, tmp_path)
        monkeypatch.setenv("OMNIDESK_CHANNEL_KEY", settings.channel_key)
        db = Database(db_url, pool_size=2)
        async with serve(settings) as (app, url), httpx.AsyncClient(base_url=url, timeout=30) as client:
            api = Api(url=url, db=db, settings=settings, client=client, app=app)
            headers = await admin_headers(api)
            channel = await add_telegram(api, telegram, headers, mode="webhook")  # getMe, setWebhook
            assert telegram.webhook["url"] == f"{url}/hooks/telegram/{channel['id']}"
            secret = {"X-Telegram-Bot-Api-Secret-Token": telegram.webhook["secret_token"]}
            r = await client.post(f"/hooks/telegram/{channel['id']}", json=fixture("telegram", "text"), headers=secret)
            assert r.status_code == 200, r.text
            (conv,) = (await client.get("/api/v1/conversations", headers=headers)).json()["items"]
            r = await client.post(
                f"/api/v1/conversations/{conv['id']}/messages", json={"text": "через проксі"}, headers=headers
            )
            assert r.status_code == 201, r.text

            async def delivered():
                return any(m == "sendMessage" and p["text"] == "через проксі" for m, p, _ in telegram.sent)

            await wait_for(delivered, what="the reply sent through the proxy")  # the outbox worker's own client
            r = await asyncio.to_thread(lambda: omnidesk_here("channel", "health", str(channel["id"]), database=db_url))
            assert r.returncode == 0 and "token valid" in r.stdout, r.stdout + r.stderr  # the command line's client
        await db.dispose()
    methods = [m for m, _ in telegram.calls]
    assert {"getMe", "setWebhook", "sendMessage", "getWebhookInfo"} <= set(methods)
    assert proxy.tunnels and set(proxy.tunnels) == {f"127.0.0.1:{port}"}
    # Every request the platform saw came over one of the proxy's tunnels, none straight from OmniDesk.
    assert peers and set(peers) <= proxy.outgoing_ports
