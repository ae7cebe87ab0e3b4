"""Issue 17, items 2, 3, 9, 10: throttling that holds, lockout that cannot be weaponised, an append-only audit."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest
from sqlalchemy import delete, insert, select, text, update
from sqlalchemy.exc import DBAPIError

from omnidesk.domain.enums import Role
from omnidesk.server.audit.models import AuditRecord
from omnidesk.server.auth import views as auth_views
from tests.server.hardening_helpers import api_with

PASSWORD = "password-123"


def _count_checks(monkeypatch) -> list[int]:
    calls = []
    real = auth_views.verify_password

    def counting(password_hash, password):
        calls.append(1)
        return real(password_hash, password)

    monkeypatch.setattr(auth_views, "verify_password", counting)
    return calls


async def _audit(api, action: str | None = None) -> list[AuditRecord]:
    async with api.db.session() as session:
        query = select(AuditRecord).order_by(AuditRecord.id)
        if action:
            query = query.where(AuditRecord.action == action)
        return list((await session.scalars(query)).all())


async def test_forty_parallel_wrong_passwords_get_at_most_the_allowed_password_checks(api, monkeypatch):
    await api.user("olena")
    checks = _count_checks(monkeypatch)
    results = await asyncio.gather(
        *(
            api.client.post("/api/v1/auth/login", json={"username": "olena", "password": f"guess-{i}"})
            for i in range(40)
        )
    )
    codes = [r.status_code for r in results]
    assert len(checks) <= api.settings.login_max_failures, codes
    assert codes.count(401) == len(checks) and codes.count(429) == 40 - len(checks)
    assert all(int(r.headers["Retry-After"]) >= 1 for r in results if r.status_code == 429)
    # The flood left a bounded trace: one record per checked guess and one for the throttling, not forty.
    assert len(await _audit(api, "auth.login_failed")) == len(checks)
    assert len(await _audit(api, "auth.login_throttled")) <= 2


@pytest.mark.parametrize("length", [65, 150])
async def test_long_user_names_are_counted_and_audited_not_500(api, length):
    name = "x" * length
    for _ in range(3):
        r = await api.client.post("/api/v1/auth/login", json={"username": name, "password": "wrong"})
        assert r.status_code == 401, r.text
    failed = await _audit(api, "auth.login_failed")
    assert len(failed) == 3 and all(f.details["name_length"] == length for f in failed)
    r = await api.client.post("/api/v1/auth/login", json={"username": "y" * 151, "password": "wrong"})
    assert r.status_code == 422


async def test_a_user_name_that_may_be_a_password_is_never_stored(api):
    typed = "Correct-Horse-Battery-9"
    r = await api.client.post("/api/v1/auth/login", json={"username": typed, "password": "x"})
    assert r.status_code == 401
    (row,) = await _audit(api, "auth.login_failed")
    stored = " ".join(str(v) for v in (row.username, row.object_id, row.details, row.ip))
    assert typed not in stored and typed.lower() not in stored.lower()
    assert row.object_id.startswith("unknown:") and row.username is None
    # The same typed name gets the same tag, so repeated attempts can still be told apart and counted.
    await api.client.post("/api/v1/auth/login", json={"username": typed, "password": "y"})
    first, second = await _audit(api, "auth.login_failed")
    assert first.object_id == second.object_id


async def test_forwarded_for_is_honoured_only_from_a_trusted_proxy(db_url):
    forged = {"X-Forwarded-For": "203.0.113.9, " + "9" * 80}
    async with api_with(db_url) as api:
        await api.user("olena")
        for i in range(api.settings.login_max_failures):
            headers = {"X-Forwarded-For": f"198.51.100.{i}"}  # a different "address" each time: ignored
            r = await api.client.post(
                "/api/v1/auth/login", json={"username": "olena", "password": "bad"}, headers=headers
            )
            assert r.status_code == 401
        r = await api.client.post("/api/v1/auth/login", json={"username": "olena", "password": "bad"}, headers=forged)
        assert r.status_code == 429  # the loopback client was counted as itself throughout
        assert {row.ip for row in await _audit(api, "auth.login_failed")} == {"127.0.0.1"}
    async with api_with(db_url, trusted_proxies=["127.0.0.1"]) as api:
        await api.user("taras")
        headers = {"X-Forwarded-For": "198.51.100.7"}
        r = await api.client.post("/api/v1/auth/login", json={"username": "taras", "password": "bad"}, headers=headers)
        assert r.status_code == 401
        r = await api.client.post("/api/v1/auth/login", json={"username": "taras", "password": "bad"}, headers=forged)
        assert r.status_code == 401  # an over-long, garbled chain is not a 500
        rows = [row for row in await _audit(api, "auth.login_failed") if row.object_id == "taras"]
        assert [row.ip for row in rows] == ["198.51.100.7", "127.0.0.1"]


async def test_an_attacker_cannot_lock_the_owner_out(db_url):
    async with api_with(db_url, trusted_proxies=["127.0.0.1"], login_max_delay=2.0, login_alert_failures=8) as api:
        await api.user("root", Role.ADMIN)
        attacker = {"X-Forwarded-For": "203.0.113.66"}
        codes = []
        for _ in range(12):
            r = await api.client.post(
                "/api/v1/auth/login", json={"username": "root", "password": "guess"}, headers=attacker
            )
            codes.append(r.status_code)
        assert codes[: api.settings.login_max_failures] == [401] * api.settings.login_max_failures
        assert set(codes[api.settings.login_max_failures :]) == {429}
        # The owner, from the office, with the right password: at most a short wait, never a lock-out.
        owner = {"X-Forwarded-For": "192.0.2.10"}
        for _ in range(10):
            r = await api.client.post(
                "/api/v1/auth/login", json={"username": "root", "password": PASSWORD}, headers=owner
            )
            if r.status_code == 200:
                break
            assert r.status_code == 429 and int(r.headers["Retry-After"]) <= 2
            await asyncio.sleep(int(r.headers["Retry-After"]))
        assert r.status_code == 200, r.text
        # Twenty failures from one address do not lock out others behind other addresses either.
        for i in range(20):
            await api.client.post(
                "/api/v1/auth/login", json={"username": f"nobody{i}", "password": "x"}, headers=attacker
            )
        await api.user("taras")
        r = await api.client.post(
            "/api/v1/auth/login",
            json={"username": "taras", "password": PASSWORD},
            headers={"X-Forwarded-For": "192.0.2.11"},
        )
        assert r.status_code == 200


async def test_sustained_attack_raises_one_alert_for_admins(db_url):
    async with api_with(db_url, trusted_proxies=["127.0.0.1"], login_max_delay=0.1, login_alert_failures=7) as api:
        await api.user("root", Role.ADMIN)
        for i in range(12):
            await api.client.post(
                "/api/v1/auth/login",
                json={"username": "root", "password": "guess"},
                headers={"X-Forwarded-For": f"203.0.113.{i}"},
            )
            await asyncio.sleep(0.15)
        alerts = await _audit(api, "security.login_attack")
        assert len(alerts) == 1 and alerts[0].object_id == "root"
        async with api.db.session() as session:
            rows = (await session.execute(text("SELECT type FROM events WHERE type = 'security.alert'"))).all()
        assert len(rows) == 1


async def test_audit_records_cannot_be_changed_or_deleted_before_their_retention(api):
    await api.user("olena")
    await api.login("olena")
    (record,) = await _audit(api, "auth.login")
    for statement in (
        update(AuditRecord).where(AuditRecord.id == record.id).values(action="nothing.happened"),
        delete(AuditRecord).where(AuditRecord.id == record.id),
    ):
        async with api.db.session() as session:
            with pytest.raises(DBAPIError, match="append-only"):
                await session.execute(statement)
                await session.commit()
    assert [r.action for r in await _audit(api, "auth.login")] == ["auth.login"]
    # A retention job may prune what is older than the retention period (365 days by default).
    async with api.db.session() as session:
        old = dt.datetime.now(dt.UTC) - dt.timedelta(days=400)
        await session.execute(insert(AuditRecord).values(at=old, action="ancient.history"))
        await session.commit()
        result = await session.execute(delete(AuditRecord).where(AuditRecord.action == "ancient.history"))
        await session.commit()
    assert result.rowcount == 1


async def test_listing_users_and_opening_a_stream_are_audited(api):
    admin = await api.headers_for("root", Role.ADMIN)
    assert (await api.client.get("/api/v1/users", headers=admin)).status_code == 200
    async with api.client.stream("GET", "/api/v1/events", headers=admin) as r:
        assert r.status_code == 200
    actions = [r.action for r in await _audit(api)]
    assert "user.list" in actions and "events.stream" in actions
