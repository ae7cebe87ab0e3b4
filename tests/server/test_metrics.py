"""Operations: Prometheus metrics at /metrics (who may scrape, what it shows), request ids, redacted JSON logs."""

from __future__ import annotations

import json
import logging

import httpx
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import func, select

from omnidesk.server.ops import logging as ops_logging
from tests.conftest import serve, test_settings
from tests.helpers import LiveServer, sqlite_url


def _samples(text: str) -> dict[tuple[str, tuple], float]:
    out = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            out[sample.name, tuple(sorted(sample.labels.items()))] = sample.value
    return out


async def test_metrics_count_requests_by_route_template_and_show_pipeline_state(api):
    channel_id, token = await api.channel()
    for n in range(3):
        r = await api.inbound(channel_id, token, f"m{n}", text=f"hello {n}")
        assert r.status_code in (200, 201), r.text
    headers = await api.headers_for("sup", "supervisor")
    assert (await api.client.get("/api/v1/conversations/424242", headers=headers)).status_code == 404
    r = await api.client.get("/metrics")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/plain")
    samples = _samples(r.text)
    inbound = (
        "omnidesk_http_requests_total",
        (("method", "POST"), ("route", "/api/v1/channels/{channel_id}/inbound"), ("status", "201")),
    )
    assert samples.get(inbound, 0) + samples.get((inbound[0], (*inbound[1][:2], ("status", "200"))), 0) == 3
    missing = (
        "omnidesk_http_requests_total",
        (("method", "GET"), ("route", "/api/v1/conversations/{conversation_id}"), ("status", "404")),
    )
    assert samples[missing] == 1
    assert not any("424242" in str(labels) for _name, labels in samples)  # ids never become labels
    assert samples["omnidesk_messages_stored", ()] >= 3
    assert ("omnidesk_event_lag_seconds", ()) in samples and ("omnidesk_outbox_oldest_pending_seconds", ()) in samples
    assert any(name == "omnidesk_http_request_duration_seconds_bucket" for name, _ in samples)


async def test_metrics_refused_through_the_proxy_and_without_the_token(db_url):
    async with serve(test_settings(db_url)) as (_app, url), httpx.AsyncClient(base_url=url) as client:
        assert (await client.get("/metrics")).status_code == 200  # loopback, direct
        proxied = await client.get("/metrics", headers={"X-Forwarded-For": "203.0.113.9"})
        assert proxied.status_code == 403
    async with serve(test_settings(db_url, metrics_token="scrape-secret-123")) as (_app, url):
        async with httpx.AsyncClient(base_url=url) as client:
            assert (await client.get("/metrics")).status_code == 403
            wrong = await client.get("/metrics", headers={"Authorization": "Bearer nope"})
            assert wrong.status_code == 403
            ok = await client.get("/metrics", headers={"Authorization": "Bearer scrape-secret-123"})
            assert ok.status_code == 200 and "omnidesk_http_requests_total" in ok.text


async def test_every_response_carries_a_request_id(api):
    r = await api.client.get("/healthz")
    assert len(r.headers["x-request-id"]) == 32
    r = await api.client.get("/healthz", headers={"X-Request-ID": "lb-7f3a.1"})
    assert r.headers["x-request-id"] == "lb-7f3a.1"
    r = await api.client.get("/healthz", headers={"X-Request-ID": "bad id\twith junk" * 10})
    assert r.headers["x-request-id"] != "bad id\twith junk" * 10


def test_json_log_lines_are_redacted(capsys):
    settings = test_settings("sqlite:///unused.db", log_format="json", log_level="info")
    root = logging.getLogger()
    level = root.level
    try:
        ops_logging.configure(settings)
        log = logging.getLogger("omnidesk.test")
        log.info(
            "connecting to postgresql://omnidesk:db-pass-123@db.internal/omnidesk "
            "with Bearer oda_abcdefghijklmnopqrstu",
            extra={"ldap_bind_password": "svc-pass-456", "user": "oksana", "url": "ldaps://x/?token=tok-789"},
        )
        lines = [json.loads(line) for line in capsys.readouterr().err.splitlines() if line.startswith("{")]
    finally:
        for handler in [h for h in root.handlers if h.get_name() == "omnidesk"]:
            root.removeHandler(handler)
        root.setLevel(level)
    (line,) = [entry for entry in lines if entry.get("logger") == "omnidesk.test"]
    text = json.dumps(line, ensure_ascii=False)
    for secret in ("db-pass-123", "svc-pass-456", "abcdefghijklmnopqrstu", "tok-789"):
        assert secret not in text
    assert line["user"] == "oksana" and line["level"] == "info" and "timestamp" in line


def test_each_process_of_a_multi_process_server_logs_structured_and_redacted(capsys, monkeypatch, tmp_path):
    """app_from_environment (what every process of `omnidesk server --workers N` runs) set up plain, unredacted
    logging (its call of ops_logging.configure sat after a return)."""
    from omnidesk.server import app as app_module

    settings = test_settings(sqlite_url(tmp_path / "omnidesk.db"), log_format="json", log_level="info")
    monkeypatch.setenv(app_module.SETTINGS_ENV, settings.model_dump_json())
    root = logging.getLogger()
    level = root.level
    try:
        app_module.app_from_environment()
        logging.getLogger("omnidesk.test").info("bind with password=svc-pass-456 done")
        lines = [json.loads(line) for line in capsys.readouterr().err.splitlines() if line.startswith("{")]
    finally:
        for handler in [h for h in root.handlers if h.get_name() == "omnidesk"]:
            root.removeHandler(handler)
        root.setLevel(level)
    (line,) = [entry for entry in lines if entry.get("logger") == "omnidesk.test"]
    assert "svc-pass-456" not in json.dumps(line) and line["level"] == "info"


def test_server_process_writes_json_lines_with_request_ids(tmp_path):
    server = LiveServer(
        sqlite_url(tmp_path / "omnidesk.db"),
        env={"OMNIDESK_LOG_FORMAT": "json", "OMNIDESK_LOG_LEVEL": "info"},
        log_dir=tmp_path,
    )
    server.prepare().start()
    try:
        r = httpx.post(
            f"{server.url}/api/v1/auth/login",
            json={"username": "nobody", "password": "secret-password-1"},
            headers={"X-Request-ID": "req-abc-1"},
        )
        assert r.status_code == 401
    finally:
        server.close()
    text = "".join(p.read_text() for p in tmp_path.glob("server-*.log"))
    lines = [json.loads(line) for line in text.splitlines() if line.startswith("{")]
    (login,) = [e for e in lines if e.get("route") == "/api/v1/auth/login"]
    assert login["request_id"] == "req-abc-1" and login["status"] == 401 and login["method"] == "POST"
    assert "secret-password-1" not in text


async def test_metrics_show_sla_timers_and_each_channels_health(db_url):
    """SLA clocks waiting and due (the worker's backlog and its lag) and, per channel, enabled, last update, refused
    requests and a failing poll. Workers off: nothing handles the due clock behind the test's back."""
    import datetime as dt

    from sqlalchemy import update

    from omnidesk.server.channels.models import ChannelSettings
    from omnidesk.server.db import Database
    from omnidesk.server.sla.models import ConversationSla
    from tests.conftest import Api

    async with serve(test_settings(db_url, workers=False)) as (app, url):
        async with httpx.AsyncClient(base_url=url, timeout=30) as client:
            api = Api(
                url=url, db=Database(db_url, pool_size=1), settings=app.state.omnidesk.settings, client=client, app=app
            )
            sup = await api.headers_for("sup", "supervisor")
            policy = {"name": "API chat", "channel_kind": "api", "first_response_seconds": 3600}
            assert (await client.post("/api/v1/sla/policies", json=policy, headers=sup)).status_code == 201
            channel_id, token = await api.channel("Site")
            for n in range(3):
                r = await api.inbound(channel_id, token, f"s{n}", value=f"+38063111220{n}", text="Допоможіть")
                assert r.status_code in (200, 201), r.text
            now = dt.datetime.now(dt.UTC)
            async with api.db.session() as session:
                first = await session.scalar(select(func.min(ConversationSla.conversation_id)))
                await session.execute(
                    update(ConversationSla)
                    .where(ConversationSla.conversation_id == first)
                    .values(next_check_at=now - dt.timedelta(seconds=90))
                )
                session.add(
                    ChannelSettings(channel_id=channel_id, options={}, rejected=4, last_error="getUpdates: 401")
                )
                await session.flush()
                await session.execute(
                    update(ChannelSettings)
                    .where(ChannelSettings.channel_id == channel_id)
                    .values(last_update_at=now - dt.timedelta(seconds=30))
                )
                await session.commit()
            samples = _samples((await client.get("/metrics")).text)
            await api.db.dispose()
    assert samples["omnidesk_sla_timers", (("state", "due"),)] == 1
    assert samples["omnidesk_sla_timers", (("state", "waiting"),)] == 2
    assert 90 <= samples["omnidesk_sla_timer_lag_seconds", ()] < 120
    labels = (("channel_id", str(channel_id)), ("kind", "api"))
    assert samples["omnidesk_channel_active", labels] == 1
    assert 30 <= samples["omnidesk_channel_last_update_seconds", labels] < 60
    assert samples["omnidesk_channel_rejected_requests", labels] == 4
    assert samples["omnidesk_channel_error", labels] == 1
