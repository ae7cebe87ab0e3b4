"""Users, roles and queue membership: the service used by the API and by ``omnidesk user add``."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, status
from sqlalchemy import delete, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.domain.enums import Role
from omnidesk.protocol import UserCreate, UserOut
from omnidesk.server import audit
from omnidesk.server.audit import Actor
from omnidesk.server.context import AdminDep, CallerDep, SessionDep
from omnidesk.server.models import Queue, QueueMember, User
from omnidesk.server.security import hash_password

router = APIRouter(prefix="/api/v1", tags=["users"])


class UserExists(ValueError):
    pass


async def default_queue_id(session: AsyncSession) -> int | None:
    return await session.scalar(select(Queue.id).order_by(Queue.id).limit(1))


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
    username = username.strip()
    if not username:
        raise ValueError("user name is empty")
    if await session.scalar(select(User.id).where(User.username == username)) is not None:
        raise UserExists(f"user {username!r} already exists")
    user = User(
        username=username,
        display_name=(display_name or username).strip(),
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
        await session.execute(insert(QueueMember), [{"queue_id": q, "user_id": user.id} for q in queue_ids])
    await audit.record(session, actor, "user.create", "user", user.id, {"username": username, "role": role})
    return user


async def user_out(session: AsyncSession, user: User) -> UserOut:
    queue_ids = (await session.scalars(select(QueueMember.queue_id).where(QueueMember.user_id == user.id))).all()
    return UserOut(
        id=user.id, username=user.username, display_name=user.display_name, role=user.role, queue_ids=list(queue_ids)
    )


@router.get("/me", response_model=UserOut)
async def me(caller: CallerDep, session: SessionDep) -> UserOut:
    user = await session.get(User, caller.user_id)
    return await user_out(session, user)


@router.get("/users", response_model=list[UserOut])
async def list_users(caller: AdminDep, session: SessionDep) -> list[UserOut]:
    users = (await session.scalars(select(User).order_by(User.username))).all()
    return [await user_out(session, u) for u in users]


@router.post("/users", response_model=UserOut, status_code=status.HTTP_201_CREATED)
async def add_user(body: UserCreate, caller: AdminDep, session: SessionDep) -> UserOut:
    try:
        user = await create_user(
            session,
            username=body.username,
            password=body.password,
            role=body.role,
            display_name=body.display_name,
            queue_ids=body.queue_ids,
            actor=caller.actor,
        )
        await session.commit()
    except UserExists as exc:
        raise HTTPException(status.HTTP_409_CONFLICT, str(exc)) from None
    except IntegrityError:
        raise HTTPException(status.HTTP_409_CONFLICT, f"user {body.username!r} already exists") from None
    except ValueError as exc:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, str(exc)) from None
    return await user_out(session, user)


@router.delete("/users/{user_id}/sessions", status_code=status.HTTP_204_NO_CONTENT)
async def revoke_user_sessions(user_id: int, caller: AdminDep, session: SessionDep) -> None:
    """Log a user out everywhere (e.g. a lost laptop)."""
    from omnidesk.server.models import AuthSession

    await session.execute(delete(AuthSession).where(AuthSession.user_id == user_id))
    await audit.record(session, caller.actor, "user.sessions_revoked", "user", user_id)
    await session.commit()
