"""HTTP routes of the auth feature: thin handlers over auth.service."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging

from fastapi import APIRouter, HTTPException, Request, Response, status
from sqlalchemy import select, update

from omnidesk.protocol import LoginRequest, RefreshRequest, TokenPair
from omnidesk.server.audit import service as audit
from omnidesk.server.audit.service import Actor
from omnidesk.server.auth.models import AuthSession, RefreshHistory
from omnidesk.server.auth.service import _issue
from omnidesk.server.auth.throttle import LoginThrottler, name_tag
from omnidesk.server.auth_ldap.service import directory_login
from omnidesk.server.context import CallerDep, SessionDep, StateDep, client_ip, unauthorized
from omnidesk.server.db import utcnow
from omnidesk.server.events.service import emit
from omnidesk.server.security import hash_password, needs_rehash, new_token, token_hash, verify_password
from omnidesk.server.users.models import User
from omnidesk.server.users.service import user_out

router = APIRouter(prefix="/api/v1/auth", tags=["auth"])


log = logging.getLogger("omnidesk.auth")


def _throttler(st) -> LoginThrottler:
    throttler = getattr(st, "_login_throttler", None)
    if throttler is None:
        throttler = st._login_throttler = LoginThrottler(st.db, st.settings)
    return throttler


def _attempted(settings, username: str, user: User | None) -> tuple[str | None, str, dict]:
    """How the audit log names the account tried: a real user by name and id; an unknown name only by a keyed tag
    (it may be a password typed into the user-name field)."""
    if user is not None:
        return user.username, user.username, {}
    tag = name_tag(settings, username)
    return None, f"unknown:{tag}", {"name_tag": tag, "name_length": len(username)}


@router.post(
    "/login",
    response_model=TokenPair,
    responses={
        401: {"description": "Wrong user name or password, or the account is disabled."},
        429: {"description": "Too many failed attempts: wait Retry-After seconds."},
    },
)
async def login(body: LoginRequest, request: Request, session: SessionDep, st: StateDep) -> TokenPair:
    ip = client_ip(request)
    settings = st.settings
    throttler = _throttler(st)
    charge = await throttler.charge(body.username, ip)
    user = await session.scalar(select(User).where(User.username == body.username))
    name, object_id, extra = _attempted(settings, body.username, user)
    if not charge.allowed:
        if charge.first_refusal:  # one record per throttled key and window, however hard it is hammered
            await audit.record(
                session,
                Actor(None, name, ip),
                "auth.login_throttled",
                "user",
                object_id,
                {**extra, "retry_after": charge.retry_after},
            )
            await session.commit()
        else:
            await session.rollback()
        raise HTTPException(
            status.HTTP_429_TOO_MANY_REQUESTS,
            "too many failed logins; try again later",
            headers={"Retry-After": str(charge.retry_after)},
        )
    # Directory sign-in hook (omnidesk/server/auth_ldap): None = not a directory account, check the local password.
    directory = await directory_login(session, settings, body.username, body.password, user, ip)
    if directory is not None:
        ok, user = directory
    else:
        # argon2 takes tens of milliseconds of CPU: keep it off the event loop.
        ok = await asyncio.to_thread(verify_password, user.password_hash if user else None, body.password)
    if not ok or user is None or not user.is_active:
        details = {**extra, "failures": charge.account_failures}
        if ok and user is not None:
            details["reason"] = "disabled"
        await audit.record(session, Actor(None, name, ip), "auth.login_failed", "user", object_id, details)
        if charge.account_failures == settings.login_alert_failures:
            log.warning("sustained login attack on %s: %d failures", object_id, charge.account_failures)
            await audit.record(
                session,
                Actor(None, name, ip),
                "security.login_attack",
                "user",
                object_id,
                {**extra, "failures": charge.account_failures, "window": settings.login_window},
            )
            await emit(
                session,
                st.db,
                "security.alert",
                {"kind": "login_attack", "account": name or object_id, "failures": charge.account_failures},
                queue_id=None,
            )
        await session.commit()
        raise unauthorized("wrong user name or password")
    await throttler.succeeded(session, body.username, ip)
    if directory is None and needs_rehash(user.password_hash):
        user.password_hash = hash_password(body.password)
    _row, access, refresh = await _issue(session, st, user, ip)
    await audit.record(session, Actor(user.id, user.username, ip), "auth.login", "user", user.id)
    await session.commit()
    return TokenPair(
        access_token=access,
        refresh_token=refresh,
        expires_in=settings.access_token_ttl,
        user=await user_out(session, user),
    )


@router.post(
    "/refresh",
    response_model=TokenPair,
    responses={401: {"description": "Invalid, expired or already used; reuse of a rotated token ends the session."}},
)
async def refresh(body: RefreshRequest, request: Request, session: SessionDep, st: StateDep) -> TokenPair:
    """Trade a refresh token for a new pair; the old pair stops working (rotation).

    The session is a token family: each rotation keeps its id, counts one generation up and remembers the token it
    replaced. Presenting any rotated-away token again, however many rotations back, means two parties hold the
    family (one of them a thief): the whole session is revoked, so the pair in use stops working too."""
    now = utcnow()
    digest = token_hash(body.refresh_token)
    ip = client_ip(request)
    row = await session.scalar(select(AuthSession).where(AuthSession.refresh_hash == digest))
    if row is None:
        earlier = await session.get(RefreshHistory, digest)
        if earlier is not None:
            await _revoke_family(session, earlier.session_id, earlier.generation, ip)
        raise unauthorized("refresh token invalid or expired")
    if row.revoked_at is not None or row.refresh_expires_at <= now:
        raise unauthorized("refresh token invalid or expired")
    user = await session.get(User, row.user_id)
    if user is None or not user.is_active:
        raise unauthorized("user disabled")
    access, refresh_token = new_token("oda"), new_token("odr")
    generation = row.refresh_generation
    # Compare-and-set on the old hash and generation: of concurrent refreshes with one token exactly one succeeds
    # (PostgreSQL's row lock makes the others re-check and miss; SQLite's writers are serial).
    result = await session.execute(
        update(AuthSession)
        .where(
            AuthSession.id == row.id,
            AuthSession.refresh_hash == digest,
            AuthSession.refresh_generation == generation,
            AuthSession.revoked_at.is_(None),
        )
        .values(
            access_hash=token_hash(access),
            refresh_hash=token_hash(refresh_token),
            refresh_generation=generation + 1,
            access_expires_at=now + dt.timedelta(seconds=st.settings.access_token_ttl),
        )
    )
    if result.rowcount != 1:
        session_id = row.id
        await session.rollback()
        # The loser of a race with the same token: that token is now a rotated one, and reusing it ends the family.
        await _revoke_family(session, session_id, generation, ip)
        raise unauthorized("refresh token already used")
    session.add(RefreshHistory(refresh_hash=digest, session_id=row.id, generation=generation, rotated_at=now))
    await audit.record(
        session, Actor(user.id, user.username, ip), "auth.refresh", "user", user.id, {"generation": generation + 1}
    )
    await session.commit()
    return TokenPair(
        access_token=access,
        refresh_token=refresh_token,
        expires_in=st.settings.access_token_ttl,
        user=await user_out(session, user),
    )


async def _revoke_family(session, session_id: int, presented: int, ip: str | None) -> None:
    """Revoke the session a reused refresh token belongs to, and audit which generation came back."""
    family = await session.get(AuthSession, session_id)
    if family is None:
        return
    await session.execute(
        update(AuthSession)
        .where(AuthSession.id == session_id, AuthSession.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )
    owner = await session.get(User, family.user_id)
    await audit.record(
        session,
        Actor(family.user_id, owner.username if owner else None, ip),
        "auth.refresh_reused",
        "session",
        session_id,
        {
            "action": "session revoked",
            "generation": presented,
            "current_generation": family.refresh_generation,
            "rotations_back": family.refresh_generation - presented,
        },
    )
    await session.commit()


@router.post("/logout", status_code=status.HTTP_204_NO_CONTENT)
async def logout(caller: CallerDep, session: SessionDep) -> Response:
    await session.execute(update(AuthSession).where(AuthSession.id == caller.session_id).values(revoked_at=utcnow()))
    await audit.record(session, caller.actor, "auth.logout", "user", caller.user_id)
    await session.commit()
    return Response(status_code=status.HTTP_204_NO_CONTENT)
