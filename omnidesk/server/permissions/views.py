"""HTTP routes of the permission overrides: the matrix per role, and changing one cell (admins)."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, status

from omnidesk.domain.enums import Role
from omnidesk.domain.permissions import DEFAULTS, Permission, granted
from omnidesk.protocol.users import PermissionOverride, PermissionRow
from omnidesk.server.audit import service as audit
from omnidesk.server.context import SessionDep, StateDep, permitted
from omnidesk.server.permissions.service import load_overrides, set_override

router = APIRouter(prefix="/api/v1/permissions", tags=["admin"])
ManagerDep = permitted(Permission.PERMISSION_MANAGE)


async def _matrix(session) -> list[PermissionRow]:
    overrides = await load_overrides(session)
    now = {role: granted(role, overrides) for role in Role}
    return [
        PermissionRow(
            permission=p,
            roles={role: p in now[role] for role in Role},
            overridden={role: allowed for (role, q), allowed in overrides.items() if q is p},
        )
        for p in Permission
    ]


@router.get("", response_model=list[PermissionRow])
async def list_permissions(caller: ManagerDep, session: SessionDep) -> list[PermissionRow]:
    """Every permission with what each role has (role defaults plus this installation's overrides)."""
    rows = await _matrix(session)
    await session.rollback()
    return rows


@router.put(
    "/{role}/{permission}",
    response_model=list[PermissionRow],
    responses={409: {"description": "An admin cannot lose the right to manage users and permissions."}},
)
async def change_permission(
    role: Role, permission: Permission, body: PermissionOverride, caller: ManagerDep, session: SessionDep, st: StateDep
) -> list[PermissionRow]:
    """Grant or revoke ``permission`` for ``role``, or (``allowed: null``) return it to the default."""
    try:
        await set_override(session, role, permission, body.allowed, by=caller.user_id)
    except ValueError as exc:
        raise HTTPException(status.HTTP_409_CONFLICT, str(exc)) from None
    await audit.record(
        session,
        caller.actor,
        "permission.change",
        "role",
        role.value,
        {"permission": permission.value, "allowed": body.allowed, "default": permission in DEFAULTS[role]},
    )
    await session.commit()
    if st.permissions is not None:
        st.permissions.invalidate()
    return await _matrix(session)
