"""What one server process shares between requests, and the request-level dependencies (caller, role checks)."""

from __future__ import annotations

import datetime as dt
import ipaddress
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import Depends, HTTPException, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.domain.enums import Role
from omnidesk.domain.permissions import ConversationAccess, Permission, allowed, conversation_access, granted
from omnidesk.server.audit.service import Actor
from omnidesk.server.auth.models import AuthSession
from omnidesk.server.config import Settings
from omnidesk.server.conversations.models import Conversation
from omnidesk.server.db import Database, utcnow
from omnidesk.server.notes.models import Mention
from omnidesk.server.queues.models import QueueMember
from omnidesk.server.refusals import Refusal
from omnidesk.server.security import token_hash
from omnidesk.server.users.models import User


@dataclass
class ServerState:
    settings: Settings
    db: Database
    hub: object | None = None  # events.EventHub
    ingest: Any = None  # ingest_pg.IngestBatcher on PostgreSQL; None on SQLite (general path only)
    tasks: list = field(default_factory=list)
    wake_outbox: object = lambda: None
    permissions: Any = None  # permissions.service.PermissionCache (the installation's overrides)
    sla: Any = None  # sla.worker.SlaWorker where this process runs workers
    search_db: Any = None  # search.pool.SearchPool on PostgreSQL with search_pool_size > 0; else searches use ``db``


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
    overrides: Mapping | None = None  # the installation's permission overrides per role (server/permissions)
    sees_unlinked: bool = True  # operators see customers without conversations (setting unlinked_customers_visible)
    # Conversations outside the caller's queues that a colleague mentioned them in (read and notes; issue 11).
    mentioned_in: frozenset[int] = frozenset()

    @property
    def actor(self) -> Actor:
        return Actor(self.user_id, self.username, self.ip)

    @property
    def sees_all_queues(self) -> bool:
        return self.role.at_least(Role.SUPERVISOR)

    def may(self, permission: Permission) -> bool:
        """Whether the caller's role grants ``permission`` (omnidesk.domain.permissions decides)."""
        return allowed(self.role, permission, self.permission_overrides)

    @property
    def permission_overrides(self) -> Mapping | None:
        return self.overrides

    @property
    def permissions(self) -> frozenset[Permission]:
        return granted(self.role, self.overrides)

    def access(self, conversation_id: int, queue_id: int | None, assignee_id: int | None) -> ConversationAccess:
        """How far the caller may go in this conversation (omnidesk.domain.permissions.conversation_access)."""
        return conversation_access(
            sees_all_queues=self.sees_all_queues,
            user_id=self.user_id,
            queue_ids=self.queue_ids,
            mentioned_in=self.mentioned_in,
            conversation_id=conversation_id,
            queue_id=queue_id,
            assignee_id=assignee_id,
        )

    def may_read(self, conversation_id: int, queue_id: int | None, assignee_id: int | None) -> bool:
        """Whether the caller may read the conversation (its scope, or a mention in one of its notes)."""
        return self.access(conversation_id, queue_id, assignee_id) >= ConversationAccess.MENTIONED

    def may_see(self, queue_id: int | None, assignee_id: int | None) -> bool:
        """Whether the conversation is in the caller's full scope (their queues, their own, or a supervisor's)."""
        return self.access(0, queue_id, assignee_id) is ConversationAccess.FULL


async def mentioned_outside_scope(session: AsyncSession, user_id: int, queue_ids: frozenset[int]) -> frozenset[int]:
    """Conversations outside the user's queues and assignments that a note mentioned them in (issue 11)."""
    query = (
        select(Mention.conversation_id)
        .join(Conversation, Conversation.id == Mention.conversation_id)
        .where(Mention.user_id == user_id, Conversation.assignee_id.is_distinct_from(user_id))
        .distinct()
    )
    if queue_ids:
        query = query.where(or_(Conversation.queue_id.is_(None), Conversation.queue_id.not_in(sorted(queue_ids))))
    return frozenset((await session.scalars(query)).all())


def _networks(values) -> tuple:
    return tuple(ipaddress.ip_network(v, strict=False) for v in values)


def _trusted(address: str, networks: tuple) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in net for net in networks)


def forwarded_client(peer: str | None, forwarded_for: str | None, trusted: tuple) -> str | None:
    """The client's address: the peer, unless the peer is a trusted proxy; then the right-most address of
    X-Forwarded-For that is not itself a trusted proxy. A forged or malformed header from anyone else is ignored."""
    if peer is None or not trusted or not forwarded_for or not _trusted(peer, trusted):
        return peer
    hops = [h.strip() for h in forwarded_for.split(",")][-32:]
    for hop in reversed(hops):
        try:
            address = str(ipaddress.ip_address(hop))
        except ValueError:
            return peer  # garbage in the chain: trust nothing beyond the proxy itself
        if not _trusted(address, trusted):
            return address
    return peer


def client_ip(request: Request) -> str | None:
    """Where the request came from, honouring X-Forwarded-For only from ``trusted_proxies`` (see config.py)."""
    peer = request.client.host if request.client else None
    st = getattr(request.app.state, "omnidesk", None)
    trusted = st.settings.trusted_networks if st is not None else ()
    address = forwarded_client(peer, request.headers.get("x-forwarded-for"), trusted)
    return address[:64] if address else address


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
    role = Role(user.role)
    mentioned = (
        frozenset() if role.at_least(Role.SUPERVISOR) else await mentioned_outside_scope(session, user.id, queue_ids)
    )
    st: ServerState = request.app.state.omnidesk
    overrides = await st.permissions.get(session) if st.permissions is not None else None
    caller = Caller(
        user.id,
        user.username,
        user.display_name,
        role,
        queue_ids,
        row.id,
        client_ip(request),
        overrides,
        st.settings.unlinked_customers_visible,
        mentioned,
    )
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


def require_permission(permission: Permission):
    """A dependency that lets through callers whose role grants ``permission``; 403 names what is missing."""

    async def _check(caller: CallerDep) -> Caller:
        if not caller.may(permission):
            raise Refusal(
                status.HTTP_403_FORBIDDEN,
                "permission.missing",
                f"this needs the permission {permission.value}",
                permission=permission.value,
            )
        return caller

    return _check


def permitted(permission: Permission):
    """``Annotated[Caller, ...]`` for an endpoint that needs ``permission``: ``caller: permitted(P.X)``."""
    return Annotated[Caller, Depends(require_permission(permission))]


OperatorDep = Annotated[Caller, Depends(require(Role.OPERATOR))]
SupervisorDep = Annotated[Caller, Depends(require(Role.SUPERVISOR))]
AdminDep = Annotated[Caller, Depends(require(Role.ADMIN))]


def expires_in(at: dt.datetime) -> int:
    return max(0, int((at - utcnow()).total_seconds()))
