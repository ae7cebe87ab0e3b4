"""Login, refresh rotation, logout, throttling of failed logins, disabled users, and how passwords are stored."""

from __future__ import annotations

import asyncio

from sqlalchemy import select, update

from omnidesk.domain.enums import Role
from omnidesk.server.auth.models import AuthSession
from omnidesk.server.users.models import User

PASSWORD = "correct horse battery"


def _bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


async def test_login_returns_tokens_that_open_the_api(api):
    user = await api.user("olena", Role.SUPERVISOR, password=PASSWORD)
    tokens = await api.login("olena", PASSWORD)
    assert tokens["access_token"] and tokens["refresh_token"] and tokens["access_token"] != tokens["refresh_token"]
    assert tokens["expires_in"] == api.settings.access_token_ttl
    assert tokens["user"]["id"] == user["id"] and tokens["user"]["role"] == "supervisor"
    r = await api.client.get("/api/v1/me", headers=_bearer(tokens["access_token"]))
    assert r.status_code == 200 and r.json()["username"] == "olena"


async def test_wrong_password_or_unknown_user_is_401_alike(api):
    await api.user("olena", password=PASSWORD)
    wrong = await api.client.post("/api/v1/auth/login", json={"username": "olena", "password": "not it"})
    nobody = await api.client.post("/api/v1/auth/login", json={"username": "ghost", "password": PASSWORD})
    assert wrong.status_code == nobody.status_code == 401
    assert wrong.json() == nobody.json()  # the answer does not tell which user names exist
    assert "access_token" not in wrong.text


async def test_login_body_needs_both_fields(api):
    r = await api.client.post("/api/v1/auth/login", json={"username": "olena"})
    assert r.status_code == 422
    r = await api.client.post("/api/v1/auth/login", json={"username": "olena\x00", "password": "x"})
    assert r.status_code == 422


async def test_refresh_rotates_and_the_used_refresh_token_is_dead(api):
    await api.user("olena", password=PASSWORD)
    first = await api.login("olena", PASSWORD)
    r = await api.client.post("/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]})
    assert r.status_code == 200, r.text
    second = r.json()
    assert second["refresh_token"] != first["refresh_token"] and second["access_token"] != first["access_token"]
    # The old access token is gone; the new pair works, and rotates again.
    assert (await api.client.get("/api/v1/me", headers=_bearer(first["access_token"]))).status_code == 401
    assert (await api.client.get("/api/v1/me", headers=_bearer(second["access_token"]))).status_code == 200
    r = await api.client.post("/api/v1/auth/refresh", json={"refresh_token": second["refresh_token"]})
    assert r.status_code == 200
    third = r.json()
    # Presenting a rotated-away refresh token is refused, and (a copy exists: theft) ends the whole session
    # (issue 17, item 9): the pair it was rotated into stops working too.
    r = await api.client.post("/api/v1/auth/refresh", json={"refresh_token": second["refresh_token"]})
    assert r.status_code == 401
    assert (await api.client.get("/api/v1/me", headers=_bearer(third["access_token"]))).status_code == 401


async def test_concurrent_refreshes_with_one_token_only_one_wins(api):
    await api.user("olena", password=PASSWORD)
    tokens = await api.login("olena", PASSWORD)
    results = await asyncio.gather(
        *(api.client.post("/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]}) for _ in range(6))
    )
    codes = sorted(r.status_code for r in results)
    assert codes == [200] + [401] * 5, [r.text for r in results]


async def test_refresh_with_garbage_is_401(api):
    r = await api.client.post("/api/v1/auth/refresh", json={"refresh_token": "odr_nothing"})
    assert r.status_code == 401


async def test_logout_revokes_access_and_refresh(api):
    await api.user("olena", password=PASSWORD)
    tokens = await api.login("olena", PASSWORD)
    other_device = await api.login("olena", PASSWORD)
    r = await api.client.post("/api/v1/auth/logout", headers=_bearer(tokens["access_token"]))
    assert r.status_code == 204
    assert (await api.client.get("/api/v1/me", headers=_bearer(tokens["access_token"]))).status_code == 401
    r = await api.client.post("/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert r.status_code == 401
    # Only that session ends: the user's other device stays logged in.
    assert (await api.client.get("/api/v1/me", headers=_bearer(other_device["access_token"]))).status_code == 200


async def test_admin_revokes_every_session_of_a_user(api):
    await api.user("olena", password=PASSWORD)
    tokens = await api.login("olena", PASSWORD)
    admin = await api.headers_for("root", Role.ADMIN)
    olena_id = tokens["user"]["id"]
    assert (await api.client.delete(f"/api/v1/users/{olena_id}/sessions", headers=admin)).status_code == 204
    assert (await api.client.get("/api/v1/me", headers=_bearer(tokens["access_token"]))).status_code == 401


async def test_repeated_failures_are_throttled_with_retry_after(api):
    await api.user("olena", password=PASSWORD)
    limit = api.settings.login_max_failures
    for _ in range(limit):
        r = await api.client.post("/api/v1/auth/login", json={"username": "olena", "password": "guess"})
        assert r.status_code == 401
    # Past the limit even the right password is refused for a while.
    r = await api.client.post("/api/v1/auth/login", json={"username": "olena", "password": PASSWORD})
    assert r.status_code == 429
    assert int(r.headers["Retry-After"]) > 0
    assert "access_token" not in r.text
    # The throttle is per user name: a colleague can still log in.
    await api.user("taras", password=PASSWORD)
    assert (await api.login("taras", PASSWORD))["access_token"]


async def test_failures_below_the_limit_do_not_block_the_right_password(api):
    await api.user("olena", password=PASSWORD)
    for _ in range(api.settings.login_max_failures - 1):
        await api.client.post("/api/v1/auth/login", json={"username": "olena", "password": "guess"})
    assert (await api.login("olena", PASSWORD))["access_token"]


async def test_disabled_user_can_neither_log_in_nor_use_a_token_nor_refresh(api):
    user = await api.user("olena", password=PASSWORD)
    tokens = await api.login("olena", PASSWORD)
    async with api.db.session() as session:
        await session.execute(update(User).where(User.id == user["id"]).values(is_active=False))
        await session.commit()
    r = await api.client.post("/api/v1/auth/login", json={"username": "olena", "password": PASSWORD})
    assert r.status_code == 401
    assert (await api.client.get("/api/v1/me", headers=_bearer(tokens["access_token"]))).status_code == 401
    r = await api.client.post("/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert r.status_code == 401


async def test_passwords_are_argon2_hashes_and_tokens_are_stored_hashed(api, strong_password_hashing):
    await api.user("olena", password=PASSWORD)
    tokens = await api.login("olena", PASSWORD)
    async with api.db.session() as session:
        stored = await session.scalar(select(User.password_hash).where(User.username == "olena"))
        sessions = (await session.execute(select(AuthSession.access_hash, AuthSession.refresh_hash))).all()
    assert stored.startswith("$argon2id$")
    assert PASSWORD not in stored
    # At least the OWASP minimum for argon2id (19 MiB, 2 passes).
    params = dict(p.split("=") for p in stored.split("$")[3].split(","))
    assert int(params["m"]) >= 19 * 1024 and int(params["t"]) >= 2, params
    hashes = [h for row in sessions for h in row]
    assert tokens["access_token"] not in hashes and tokens["refresh_token"] not in hashes
    assert all(len(h) == 64 for h in hashes)  # SHA-256 hex


async def test_expired_access_token_is_401(api):
    await api.user("olena", password=PASSWORD)
    tokens = await api.login("olena", PASSWORD)
    from omnidesk.server.db import utcnow

    async with api.db.session() as session:
        await session.execute(update(AuthSession).values(access_expires_at=utcnow()))
        await session.commit()
    assert (await api.client.get("/api/v1/me", headers=_bearer(tokens["access_token"]))).status_code == 401
    # The refresh token still trades for a fresh pair.
    r = await api.client.post("/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert r.status_code == 200
