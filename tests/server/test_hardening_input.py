"""Issue 17, items 4, 5, 12, 14, 15: no 500 on any input, 503 on a database outage, redacted logs, clear refusals."""

from __future__ import annotations

import asyncio
import contextlib
import logging

import httpx
import pytest
from sqlalchemy.exc import DBAPIError

from omnidesk.domain.enums import Role
from omnidesk.server.guards import RedactQuery, redact, redacted_traceback
from tests.helpers import PG_ADMIN_URL, free_port
from tests.server.hardening_helpers import api_with

HUGE = str(2**64 + 5)


async def test_ordinary_bad_input_answers_4xx_with_a_reason_and_the_connection_stays_usable(api):
    admin = await api.headers_for("root", Role.ADMIN)
    operator = await api.headers_for("op")
    channel_id, token = await api.channel()
    customer = (await api.client.post("/api/v1/customers", json={"name": "Oksana"}, headers=operator)).json()["id"]
    channel = {"Authorization": f"Bearer {token}"}
    cases = [
        ("GET", f"/api/v1/conversations/{HUGE}", operator, None, None),
        ("GET", f"/api/v1/customers/{HUGE}", operator, None, None),
        ("GET", f"/api/v1/conversations?channel_id={HUGE}", operator, None, None),
        ("GET", "/api/v1/conversations?assignee=%C2%B2", operator, None, None),  # "²": a digit to str.isdigit
        ("GET", "/api/v1/conversations?cursor=WzEsMiwzXQ", operator, None, None),  # [1,2,3]
        ("GET", "/api/v1/conversations?cursor=" + "A" * 5000, operator, None, None),
        ("GET", "/api/v1/audit?cursor=WzE4NDQ2NzQ0MDczNzA5NTUxNjE2XQ", admin, None, None),  # [2**64]
        ("GET", "/api/v1/audit?since=0001-01-01T00:00:00%2B05:00", admin, None, None),
        ("GET", "/api/v1/audit?until=9999-12-31T23:59:59-14:00", admin, None, None),
        ("POST", "/api/v1/customers/merge", admin, {"survivor_id": int(HUGE), "other_id": 1}, None),
        ("PATCH", f"/api/v1/customers/{customer}", admin, '{"attributes": {"score": NaN}}', None),
        ("PATCH", f"/api/v1/customers/{customer}", admin, '{"attributes": {"score": Infinity}}', None),
        ("PATCH", f"/api/v1/customers/{customer}", admin, '{"attributes": {"score": 1e400}}', None),
        ("PATCH", f"/api/v1/customers/{customer}", admin, '{"attributes": {"\\ud800": "x"}}', None),
        ("PATCH", f"/api/v1/customers/{customer}", admin, {"name": "N" * 5000}, None),
        (
            "POST",
            "/api/v1/users",
            admin,
            {"username": "ok", "password": "password-123", "display_name": "D" * 500},
            None,
        ),
        (
            "POST",
            f"/api/v1/channels/{channel_id}/inbound",
            channel,
            {
                "external_id": "e1",
                "sender": {"kind": "phone", "value": "+380501234567"},
                "text": "hi",
                "sent_at": "9999-12-31T23:59:59-14:00",
            },
            None,
        ),
        (
            "POST",
            f"/api/v1/channels/{channel_id}/inbound",
            channel,
            {
                "external_id": "e2",
                "sender": {"kind": "phone", "value": "+380501234567"},
                "text": "hi",
                "sent_at": "0001-01-01T00:00:00+01:00",
            },
            None,
        ),
    ]
    problems = []
    for method, url, headers, body, _ in cases:
        kwargs = {}
        if isinstance(body, str):
            kwargs = {"content": body.encode(), "headers": {**headers, "Content-Type": "application/json"}}
        else:
            kwargs = {"json": body, "headers": headers} if body is not None else {"headers": headers}
        r = await api.client.request(method, url, **kwargs)
        if not 400 <= r.status_code < 500 or not r.json().get("detail"):
            problems.append(f"{method} {url[:60]} {str(body)[:40]}: {r.status_code} {r.text[:100]}")
        # The same connection serves the next request.
        assert (await api.client.get("/api/v1/me", headers=operator)).status_code == 200
    assert not problems, "\n".join(problems)


async def test_last_event_id_must_be_an_id_at_or_below_the_head(api):
    operator = await api.headers_for("op")
    for value, expected in (("²".encode(), 400), (HUGE, 400), ("12abc", 400), ("999999", 409)):
        async with api.client.stream("GET", "/api/v1/events", headers={**operator, "Last-Event-ID": value}) as r:
            assert r.status_code == expected, value
            body = await r.aread()
            assert b"detail" in body
    r = await api.client.get(f"/api/v1/events?after={HUGE}", headers=operator)
    assert r.status_code == 422


async def test_duplicate_json_keys_are_refused(api):
    admin = await api.headers_for("root", Role.ADMIN)
    body = b'{"username": "mallory", "password": "password-123", "role": "operator", "role": "admin"}'
    r = await api.client.post("/api/v1/users", content=body, headers={**admin, "Content-Type": "application/json"})
    assert r.status_code == 422
    assert r.json()["detail"][0]["type"] == "value_error.duplicate_key" and r.json()["detail"][0]["loc"] == [
        "body",
        "role",
    ]


async def test_confusable_and_invisible_user_names_are_refused_and_display_names_cleaned(api):
    admin = await api.headers_for("admin", Role.ADMIN)

    async def create(username: str, display_name: str | None = None) -> httpx.Response:
        body = {"username": username, "password": "password-123", "display_name": display_name}
        return await api.client.post("/api/v1/users", json=body, headers=admin)

    assert (await create("\u0430dmin")).status_code == 422  # Cyrillic "а" + Latin: mixed scripts
    assert (await create("ADMIN")).status_code == 409  # differs by case only
    assert (await create("adm1n")).status_code == 409  # a look-alike digit
    assert (await create("ad\u200bmin")).status_code == 422  # zero-width space
    assert (await create("evil\u202egnp")).status_code == 422  # right-to-left override
    assert (await create("олена")).status_code == 201  # one script (Cyrillic) is fine
    r = await create("mallory", "Mal\u202elory\u200b \u2066Admin\u2069\x07")
    assert r.status_code == 201 and r.json()["display_name"] == "Mallory Admin".replace(
        "Mallory", "Mallory"[:3] + "lory"
    )


async def test_a_missing_method_is_405_and_every_422_has_the_same_structured_detail(api):
    operator = await api.headers_for("op")
    r = await api.client.get("/api/v1/customers/matches", headers=operator)
    assert r.status_code == 405 and "POST" in r.headers["Allow"]
    r = await api.client.put("/api/v1/conversations", headers=operator)
    assert r.status_code == 405
    admin = await api.headers_for("root", Role.ADMIN)
    r = await api.client.post(
        "/api/v1/users", json={"username": "x", "password": "password-123", "queue_ids": [987]}, headers=admin
    )
    assert r.status_code == 422
    (item,) = r.json()["detail"]
    assert set(item) == {"loc", "msg", "type"} and "987" in item["msg"]


def test_the_openapi_document_lists_every_status_each_operation_can_answer():
    from omnidesk.server.app import create_app
    from tests.conftest import test_settings

    schema = create_app(test_settings("sqlite:///unused.db"), start_workers=False).openapi()
    missing = []
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            for code in ("401", "403", "404", "422", "503"):
                response = operation["responses"].get(code)
                if not response or "Problem" not in str(response.get("content")):
                    missing.append(f"{method.upper()} {path} {code}")
    assert not missing, missing


def test_access_log_and_tracebacks_are_redacted():
    record = logging.LogRecord(
        "uvicorn.access",
        logging.INFO,
        "",
        0,
        '%s - "%s %s HTTP/%s" %d',
        ("127.0.0.1:5000", "GET", "/api/v1/customers?q=%2B380501234567&limit=5", "1.1", 200),
        None,
    )
    RedactQuery().filter(record)
    line = record.getMessage()
    assert "380501234567" not in line and "/api/v1/customers?q=…&limit=…" in line
    try:
        raise DBAPIError("SELECT * FROM customers WHERE phone = $1", ("+380501234567",), ValueError("boom"))
    except DBAPIError as exc:
        text = redacted_traceback(exc)
    assert "380501234567" not in text and "[parameters redacted]" in text
    assert "380501234567" not in redact("invalid input for query argument $1: '+380501234567' (too long)")


class _Proxy:
    """A TCP proxy in front of PostgreSQL that can be cut: a database outage as the server sees it."""

    def __init__(self, target_port: int) -> None:
        self.target_port, self.port = target_port, free_port()
        self.server = None
        self.writers: list = []
        self.tasks: set = set()

    async def _pipe(self, reader, writer):
        with contextlib.suppress(Exception):
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        writer.close()

    async def _handle(self, reader, writer):
        try:
            up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.target_port)
        except OSError:
            writer.close()
            return
        self.writers += [writer, up_writer]
        for task in (self._pipe(reader, up_writer), self._pipe(up_reader, writer)):
            running = asyncio.create_task(task)
            self.tasks.add(running)
            running.add_done_callback(self.tasks.discard)

    async def start(self) -> None:
        self.server = await asyncio.start_server(self._handle, "127.0.0.1", self.port)

    async def cut(self) -> None:
        self.server.close()
        for w in self.writers:
            w.transport.abort()
        self.writers.clear()


@pytest.mark.pg
async def test_a_database_outage_answers_503_with_retry_after_also_to_channels(db_url):
    if not db_url.startswith("postgresql"):
        pytest.skip("the outage is staged with a TCP proxy in front of PostgreSQL")
    port = int(PG_ADMIN_URL.rsplit(":", 1)[1].split("/")[0])
    proxy = _Proxy(port)
    await proxy.start()
    through_proxy = db_url.replace(f":{port}/", f":{proxy.port}/")
    async with api_with(through_proxy) as api:
        operator = await api.headers_for("op")
        channel_id, token = await api.channel()
        assert (await api.inbound(channel_id, token, "before")).status_code == 201
        await proxy.cut()
        r = await api.client.get("/api/v1/conversations", headers=operator)
        assert r.status_code == 503, r.text
        assert int(r.headers["Retry-After"]) > 0
        r = await api.inbound(channel_id, token, "during")
        assert r.status_code == 503, r.text
        assert int(r.headers["Retry-After"]) > 0
        r = await api.client.post("/api/v1/auth/login", json={"username": "op", "password": "password-123"})
        assert r.status_code == 503
        await proxy.start()  # the database is back: the same server answers again
        for _ in range(50):
            r = await api.inbound(channel_id, token, "during")
            if r.status_code == 201:
                break
            await asyncio.sleep(0.2)
        assert r.status_code == 201, r.text


async def test_api_docs_load_without_any_third_party_host(api):
    for page in ("/docs", "/redoc"):
        r = await api.client.get(page)
        assert r.status_code == 200
        sources = [part.split('"')[1] for part in r.text.split("src=")[1:]] + [
            part.split('"')[1] for part in r.text.split("href=")[1:]
        ]
        assert sources and all(s.startswith("/") for s in sources), sources
        for source in sources:
            asset = await api.client.get(source)
            assert asset.status_code == 200 and len(asset.content) > 1000, source
    assert "cdn" not in (await api.client.get("/docs")).text.lower()


async def test_an_sqlite_database_held_locked_answers_503_with_retry_after_also_to_channels(db_url):
    """SQLite's outage: another process (a backup, a migration, a stuck tool) holds the write lock longer than
    ``sqlite_busy_timeout``. Requests wait that long, then answer 503 + Retry-After (channels retry), and the same
    server answers again once the lock is released."""
    if not db_url.startswith("sqlite"):
        pytest.skip("SQLite's write lock; PostgreSQL's outage is the test above")
    import sqlite3

    path = db_url.split("///", 1)[1].split("?", 1)[0]
    async with api_with(db_url, sqlite_busy_timeout=0.5) as api:
        operator = await api.headers_for("op")
        channel_id, token = await api.channel()
        before = await api.inbound(channel_id, token, "before")
        assert before.status_code == 201
        conversation_id = before.json()["conversation_id"]
        # The other process's write transaction, held (taken off the loop: the server's workers share this loop and
        # must be able to finish the transaction they may be in).
        holder = sqlite3.connect(path, timeout=10, isolation_level=None, check_same_thread=False)
        await asyncio.to_thread(holder.execute, "BEGIN IMMEDIATE")
        try:
            r = await api.inbound(channel_id, token, "during")
            assert r.status_code == 503, r.text
            assert int(r.headers["Retry-After"]) > 0 and "retry" in r.json()["detail"]
            r = await api.client.post(
                f"/api/v1/conversations/{conversation_id}/status",
                json={"status": "resolved"},
                headers=operator,
            )
            assert r.status_code == 503, r.text
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        r = await api.inbound(channel_id, token, "during")  # the platform's retry after Retry-After
        assert r.status_code == 201, r.text
        conversations = await api.client.get("/api/v1/conversations", headers=operator)
        assert conversations.status_code == 200
