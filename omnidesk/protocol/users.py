"""Schemas of user administration, the caller's permissions, and the permission overrides (issue 17)."""

from __future__ import annotations

from typing import Annotated

from pydantic import StringConstraints

from omnidesk.domain.enums import Role
from omnidesk.domain.permissions import Permission
from omnidesk.protocol.schemas import Contract, Strict, UserOut


class MeOut(UserOut):
    """The caller, with what the server lets them do (the client shows or hides actions by it)."""

    permissions: list[Permission]
    is_active: bool = True


class UserAdminOut(UserOut):
    is_active: bool


class UserUpdate(Strict):
    """Change a user: any of the fields; disabling ends every session and stream of the user at once."""

    display_name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)] | None = None
    role: Role | None = None
    is_active: bool | None = None
    password: Annotated[str, StringConstraints(min_length=8, max_length=1024)] | None = None


class PermissionRow(Contract):
    permission: Permission
    roles: dict[Role, bool]  # what each role has now (defaults with overrides)
    overridden: dict[Role, bool]  # the installation's overrides (absent: the default applies)


class PermissionOverride(Strict):
    allowed: bool | None  # True grants, False revokes, null returns to the default


class ChannelTokenOut(Contract):
    id: int
    token: str  # shown once; the old token stops working now
