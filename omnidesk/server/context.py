"""What one server process shares between requests, and the request-level dependencies (caller, role checks)."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import Depends, HTTPException, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.domain.enums import Role
from omnidesk.server.audit import Actor
from omnidesk.server.config import Settings
from omnidesk.server.db import Database, utcnow
from omnidesk.server.models import AuthSession, QueueMember, User
from omnidesk.server.security import token_hash


@dataclass
class ServerState:
    settings: Settings
    db: Database
    hub: object | None = None  # events.EventHub
    ingest: Any = None  # ingest_pg.IngestBatcher on PostgreSQL; None on SQLite (general path only)
    tasks: list = field(default_factory=list)
    wake_outbox: object = lambda: None


async def state(request: Request) -> ServerState:
    # async on purpose: FastAPI runs a plain ``def`` dependency in a worker thread, a hop on every request.
    return request.app.state.omnidesk


async def db_session(request: Request) -> AsyncIterator[AsyncSession]:
    async with request.app.state.omnidesk.db.session() as session:
        yield session


SessionDep = Annotated[AsyncSession, Depends(db_session)]
StateDep = Annotated[ServerState, Depends(state)]

_bearer = HTTPBearer(auto_error=False, description="An access token from /api/v1/auth/login.")


@dataclass(frozen=True, slots=True)
class Caller:
    """The authenticated user of a request."""

    user_id: int
    username: str
    display_name: str
    role: Role
    queue_ids: frozenset[int]
    session_id: int
    ip: str | None

    @property
    def actor(self) -> Actor:
        return Actor(self.user_id, self.username, self.ip)

    @property
    def sees_all_queues(self) -> bool:
        return self.role.at_least(Role.SUPERVISOR)

    def may_see(self, queue_id: int | None, assignee_id: int | None) -> bool:
        if self.sees_all_queues:
            return True
        return assignee_id == self.user_id or (queue_id is not None and queue_id in self.queue_ids)


def client_ip(request: Request) -> str | None:
    return request.client.host if request.client else None


def unauthorized(detail: str = "not authenticated") -> HTTPException:
    return HTTPException(status.HTTP_401_UNAUTHORIZED, detail, headers={"WWW-Authenticate": "Bearer"})


async def current_caller(
    request: Request,
    session: SessionDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Caller:
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise unauthorized()
    row = (
        await session.execute(
            select(AuthSession.id, AuthSession.access_expires_at, AuthSession.revoked_at, User)
            .join(User, User.id == AuthSession.user_id)
            .where(AuthSession.access_hash == token_hash(credentials.credentials))
        )
    ).first()
    now = utcnow()
    if row is None or row.revoked_at is not None or row.access_expires_at <= now or not row.User.is_active:
        raise unauthorized("access token invalid or expired")
    user: User = row.User
    queue_ids = frozenset(
        (await session.scalars(select(QueueMember.queue_id).where(QueueMember.user_id == user.id))).all()
    )
    caller = Caller(user.id, user.username, user.display_name, Role(user.role), queue_ids, row.id, client_ip(request))
    # The dependency's read-only transaction must not hold SQLite's write lock while the endpoint works.
    await session.rollback()
    return caller


CallerDep = Annotated[Caller, Depends(current_caller)]


def require(role: Role):
    """A dependency that lets through callers with at least ``role`` (operator < supervisor < admin)."""

    async def _check(caller: CallerDep) -> Caller:
        if not caller.role.at_least(role):
            raise HTTPException(status.HTTP_403_FORBIDDEN, f"this needs the {role.value} role")
        return caller

    return _check


OperatorDep = Annotated[Caller, Depends(require(Role.OPERATOR))]
SupervisorDep = Annotated[Caller, Depends(require(Role.SUPERVISOR))]
AdminDep = Annotated[Caller, Depends(require(Role.ADMIN))]


def expires_in(at: dt.datetime) -> int:
    return max(0, int((at - utcnow()).total_seconds()))
