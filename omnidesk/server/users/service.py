"""Users, roles and queue membership: the service used by the API and by ``omnidesk user ...``.

Offboarding lives here too: disabling a user, changing a role or password, adding and removing queue memberships.
Every change is audited in the caller's transaction; disabling a user or changing their password revokes all of their
sessions, and open event streams notice within ``stream_recheck_interval`` (see events/views.py).
"""

from __future__ import annotations

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.domain.enums import Role
from omnidesk.domain.usernames import BadUserName, check_username, clean_display_name, skeleton
from omnidesk.protocol import UserOut
from omnidesk.server.audit import service as audit
from omnidesk.server.audit.service import Actor
from omnidesk.server.auth.models import AuthSession
from omnidesk.server.db import utcnow
from omnidesk.server.queues.models import Queue, QueueMember
from omnidesk.server.queues.service import default_queue_id
from omnidesk.server.security import hash_password
from omnidesk.server.users.models import User


class UserExists(ValueError):
    pass


class UserNotFound(LookupError):
    pass


class LastAdmin(ValueError):
    """The change would leave the installation without an active admin."""


def _display_name(value: str) -> str:
    name = clean_display_name(value)
    if not name:
        raise ValueError("the display name is empty")
    if len(name) > 200:
        raise ValueError("the display name is longer than 200 characters")
    return name


async def create_user(
    session: AsyncSession,
    *,
    username: str,
    password: str,
    role: Role,
    display_name: str | None = None,
    queue_ids: list[int] | None = None,
    actor: Actor | None = None,
) -> User:
    """Create a user (argon2-hashed password) in the given queues, or the default queue; caller commits."""
    try:
        username = check_username(username)
    except BadUserName as exc:
        raise ValueError(str(exc)) from None
    if await session.scalar(select(User.id).where(User.username == username)) is not None:
        raise UserExists(f"user {username!r} already exists")
    wanted = skeleton(username)
    for (existing,) in (await session.execute(select(User.username))).all():
        if skeleton(existing) == wanted:
            raise UserExists(f"user name {username!r} is too easily confused with the existing {existing!r}")
    user = User(
        username=username,
        display_name=_display_name(display_name or username),
        password_hash=hash_password(password),
        role=Role(role).value,
        is_active=True,
    )
    session.add(user)
    await session.flush()
    if queue_ids is None:
        queue = await default_queue_id(session)
        queue_ids = [queue] if queue is not None else []
    if queue_ids:
        known = set((await session.scalars(select(Queue.id).where(Queue.id.in_(queue_ids)))).all())
        missing = set(queue_ids) - known
        if missing:
            raise ValueError(f"no such queue: {sorted(missing)}")
        await session.execute(insert(QueueMember), [{"queue_id": q, "user_id": user.id} for q in set(queue_ids)])
    await audit.record(session, actor, "user.create", "user", user.id, {"username": username, "role": role})
    return user


async def user_out(session: AsyncSession, user: User) -> UserOut:
    queue_ids = (await session.scalars(select(QueueMember.queue_id).where(QueueMember.user_id == user.id))).all()
    return UserOut(
        id=user.id,
        username=user.username,
        display_name=user.display_name,
        role=user.role,
        queue_ids=sorted(queue_ids),
    )


async def get_user(session: AsyncSession, user_id: int, *, lock: bool = False) -> User:
    query = select(User).where(User.id == user_id)
    if lock:
        query = query.with_for_update()
    user = await session.scalar(query)
    if user is None:
        raise UserNotFound(f"user {user_id} not found")
    return user


async def find_user(session: AsyncSession, username: str) -> User:
    user = await session.scalar(select(User).where(User.username == username.strip()))
    if user is None:
        raise UserNotFound(f"no user {username!r}")
    return user


async def revoke_sessions(session: AsyncSession, user_id: int) -> int:
    """End every session of the user (tokens answer 401 at once; streams end within seconds)."""
    result = await session.execute(
        update(AuthSession)
        .where(AuthSession.user_id == user_id, AuthSession.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )
    return result.rowcount or 0


async def _other_active_admins(session: AsyncSession, user_id: int) -> int:
    return int(
        await session.scalar(
            select(func.count()).where(User.role == Role.ADMIN.value, User.is_active, User.id != user_id)
        )
        or 0
    )


async def update_user(
    session: AsyncSession,
    user_id: int,
    *,
    actor: Actor | None,
    display_name: str | None = None,
    role: Role | None = None,
    is_active: bool | None = None,
    password: str | None = None,
) -> User:
    """Change a user; disabling or a new password revokes all of their sessions. The caller commits."""
    user = await get_user(session, user_id, lock=True)
    changes: dict = {}
    if display_name is not None and display_name != user.display_name:
        user.display_name = _display_name(display_name)
        changes["display_name"] = user.display_name
    demoting = role is not None and role is not Role.ADMIN and user.role == Role.ADMIN.value
    disabling = is_active is False and user.is_active
    if (demoting or disabling) and user.role == Role.ADMIN.value and not await _other_active_admins(session, user.id):
        raise LastAdmin("this is the last active admin: make someone else an admin first")
    if role is not None and role.value != user.role:
        changes["role"] = {"from": user.role, "to": role.value}
        user.role = role.value
    if is_active is not None and is_active != user.is_active:
        user.is_active = is_active
        changes["is_active"] = is_active
    if password is not None:
        if len(password) < 8:
            raise ValueError("the password needs at least 8 characters")
        user.password_hash = hash_password(password)
        changes["password"] = "changed"  # never the password itself
    revoked = 0
    if disabling or password is not None:
        revoked = await revoke_sessions(session, user.id)
    await session.flush()
    if changes:
        await audit.record(session, actor, "user.update", "user", user.id, {**changes, "sessions_revoked": revoked})
    return user


async def add_membership(session: AsyncSession, user_id: int, queue_id: int, *, actor: Actor | None) -> bool:
    """Put the user in the queue; False if they were already in it. The caller commits."""
    await get_user(session, user_id, lock=True)
    if await session.get(Queue, queue_id) is None:
        raise ValueError(f"no such queue: {queue_id}")
    exists = await session.scalar(
        select(QueueMember.queue_id).where(QueueMember.user_id == user_id, QueueMember.queue_id == queue_id)
    )
    if exists is not None:
        return False
    await session.execute(insert(QueueMember).values(queue_id=queue_id, user_id=user_id))
    await audit.record(session, actor, "user.queue_add", "user", user_id, {"queue_id": queue_id})
    return True


async def remove_membership(session: AsyncSession, user_id: int, queue_id: int, *, actor: Actor | None) -> bool:
    """Take the user out of the queue (their streams stop delivering its events within seconds)."""
    await get_user(session, user_id, lock=True)
    result = await session.execute(
        delete(QueueMember).where(QueueMember.user_id == user_id, QueueMember.queue_id == queue_id)
    )
    if not result.rowcount:
        return False
    await audit.record(session, actor, "user.queue_remove", "user", user_id, {"queue_id": queue_id})
    return True
