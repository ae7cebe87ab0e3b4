"""The installation's permission overrides: read (cached briefly per process), listed and changed by admins."""

from __future__ import annotations

import time
from collections.abc import Mapping

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.domain.enums import Role
from omnidesk.domain.permissions import ADMIN_KEEPS, Permission
from omnidesk.server.db import utcnow
from omnidesk.server.permissions.models import RolePermission

Overrides = Mapping[tuple[Role, Permission], bool]


class PermissionCache:
    """Overrides per role, re-read at most every ``ttl`` seconds (a change made in this process applies at once;
    other server processes follow within ``ttl``)."""

    def __init__(self, ttl: float = 2.0) -> None:
        self.ttl = ttl
        self._value: dict[tuple[Role, Permission], bool] = {}
        self._until = 0.0

    def invalidate(self) -> None:
        self._until = 0.0

    async def get(self, session: AsyncSession) -> Overrides:
        now = time.monotonic()
        if now >= self._until:
            self._value = await load_overrides(session)
            self._until = now + self.ttl
        return self._value


async def load_overrides(session: AsyncSession) -> dict[tuple[Role, Permission], bool]:
    out: dict[tuple[Role, Permission], bool] = {}
    for row in (await session.execute(select(RolePermission))).scalars():
        try:
            out[Role(row.role), Permission(row.permission)] = bool(row.allowed)
        except ValueError:  # a permission a newer version wrote, or one since removed: ignored, never fatal
            continue
    return out


async def set_override(
    session: AsyncSession, role: Role, permission: Permission, allowed: bool | None, *, by: int | None
) -> None:
    """Grant (True), revoke (False) or return to the default (None); the caller commits and audits."""
    if role is Role.ADMIN and permission in ADMIN_KEEPS and allowed is False:
        raise ValueError(f"admins always keep {permission.value}: otherwise nobody could undo this")
    await session.execute(
        delete(RolePermission).where(RolePermission.role == role.value, RolePermission.permission == permission.value)
    )
    if allowed is not None:
        session.add(
            RolePermission(
                role=role.value, permission=permission.value, allowed=allowed, updated_at=utcnow(), updated_by=by
            )
        )
    await session.flush()
