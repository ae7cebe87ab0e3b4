"""Refresh tokens as a family (issue 17, item 9 completed): any rotated-away token ends the whole session."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import select

from omnidesk.server.audit.models import AuditRecord
from omnidesk.server.auth.models import AuthSession, RefreshHistory

PASSWORD = "correct horse battery"


def _bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


async def _refresh(api, token: str):
    return await api.client.post("/api/v1/auth/refresh", json={"refresh_token": token})


async def _rotations(api, count: int) -> list[dict]:
    """A login and ``count`` rotations: the pairs in order, generation 0 first."""
    pairs = [await api.login("olena", PASSWORD)]
    for _ in range(count):
        r = await _refresh(api, pairs[-1]["refresh_token"])
        assert r.status_code == 200, r.text
        pairs.append(r.json())
    return pairs


async def _reuse_records(api) -> list[AuditRecord]:
    async with api.db.session() as s:
        return list((await s.scalars(select(AuditRecord).where(AuditRecord.action == "auth.refresh_reused"))).all())


@pytest.mark.parametrize("back", [1, 2, 5])
async def test_a_refresh_token_from_any_earlier_generation_revokes_the_whole_family(api, back):
    await api.user("olena", password=PASSWORD)
    other = await api.login("olena", PASSWORD)  # another login of the same person: a different family
    pairs = await _rotations(api, 6)
    current = pairs[-1]
    assert (await api.client.get("/api/v1/me", headers=_bearer(current["access_token"]))).status_code == 200
    stolen = pairs[-1 - back]["refresh_token"]
    r = await _refresh(api, stolen)
    assert r.status_code == 401
    # The whole family ends: the current access and refresh tokens die with it ...
    assert (await api.client.get("/api/v1/me", headers=_bearer(current["access_token"]))).status_code == 401
    assert (await _refresh(api, current["refresh_token"])).status_code == 401
    # ... and no token of the family works again, the first one included.
    assert (await _refresh(api, pairs[0]["refresh_token"])).status_code == 401
    # A separate login is a separate family: untouched.
    assert (await api.client.get("/api/v1/me", headers=_bearer(other["access_token"]))).status_code == 200
    records = await _reuse_records(api)
    assert records, "the reuse is audited"
    first = records[0]
    assert first.details["generation"] == 6 - back and first.details["current_generation"] == 6
    assert first.details["rotations_back"] == back and first.details["action"] == "session revoked"
    assert first.ip and first.username == "olena"


async def test_every_rotation_keeps_the_family_and_counts_a_generation(api):
    await api.user("olena", password=PASSWORD)
    pairs = await _rotations(api, 3)
    async with api.db.session() as s:
        families = (await s.scalars(select(AuthSession))).all()
        history = (await s.scalars(select(RefreshHistory).order_by(RefreshHistory.generation))).all()
    assert len(families) == 1 and families[0].refresh_generation == 3
    assert [h.generation for h in history] == [0, 1, 2] and {h.session_id for h in history} == {families[0].id}
    assert (await api.client.get("/api/v1/me", headers=_bearer(pairs[-1]["access_token"]))).status_code == 200


async def test_a_concurrent_refresh_race_of_one_token_has_exactly_one_winner(api):
    await api.user("olena", password=PASSWORD)
    pairs = await _rotations(api, 2)
    results = await asyncio.gather(*(_refresh(api, pairs[-1]["refresh_token"]) for _ in range(8)))
    codes = sorted(r.status_code for r in results)
    assert codes == [200] + [401] * 7, [r.text for r in results]
    async with api.db.session() as s:
        family = (await s.scalars(select(AuthSession))).one()
        history = (await s.scalars(select(RefreshHistory))).all()
    # One rotation happened (generation 2 -> 3), recorded once; the losers presented a token that had just been
    # rotated away, which is reuse: the family is revoked and each loser audited.
    assert family.refresh_generation == 3 and len(history) == 3
    assert family.revoked_at is not None
    assert len(await _reuse_records(api)) == 7
