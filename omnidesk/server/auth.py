"""Login, token refresh and logout.

Tokens are opaque random strings; the database keeps only their SHA-256, so a session can be revoked at once and a
stolen backup reveals no usable token. Failed logins are counted from the audit log per user name and per address;
past the limit the answer is 429 with Retry-After, whatever the password.
"""

from __future__ import annotations

import asyncio
import datetime as dt

from fastapi import APIRouter, HTTPException, Request, Response, status
from sqlalchemy import select, update

from omnidesk.protocol import LoginRequest, RefreshRequest, TokenPair
from omnidesk.server import audit
from omnidesk.server.audit import Actor
from omnidesk.server.context import CallerDep, SessionDep, StateDep, client_ip, unauthorized
from omnidesk.server.db import utcnow
from omnidesk.server.models import AuthSession, User
from omnidesk.server.security import hash_password, needs_rehash, new_token, token_hash, verify_password
from omnidesk.server.users import user_out

router = APIRouter(prefix="/api/v1/auth", tags=["auth"])


async def _issue(session, st, user: User, ip: str | None) -> tuple[AuthSession, str, str]:
    now = utcnow()
    access, refresh = new_token("oda"), new_token("odr")
    row = AuthSession(
        user_id=user.id,
        access_hash=token_hash(access),
        refresh_hash=token_hash(refresh),
        access_expires_at=now + dt.timedelta(seconds=st.settings.access_token_ttl),
        refresh_expires_at=now + dt.timedelta(seconds=st.settings.refresh_token_ttl),
        ip=ip,
    )
    session.add(row)
    return row, access, refresh


@router.post("/login", response_model=TokenPair, responses={401: {}, 429: {}})
async def login(body: LoginRequest, request: Request, session: SessionDep, st: StateDep) -> TokenPair:
    ip = client_ip(request)
    settings = st.settings
    since = utcnow() - dt.timedelta(seconds=settings.login_window)
    by_user, by_ip = await audit.count_failed_logins(session, username=body.username, ip=ip, since=since)
    # One address may serve a whole office behind NAT, so it gets a wider allowance than one user name.
    if by_user >= settings.login_max_failures or by_ip >= 4 * settings.login_max_failures:
        await audit.record(session, Actor(None, body.username, ip), "auth.login_throttled", "user", body.username)
        await session.commit()
        raise HTTPException(
            status.HTTP_429_TOO_MANY_REQUESTS,
            "too many failed logins; try again later",
            headers={"Retry-After": str(settings.login_window)},
        )
    user = await session.scalar(select(User).where(User.username == body.username))
    # argon2 takes tens of milliseconds of CPU: keep it off the event loop.
    ok = await asyncio.to_thread(verify_password, user.password_hash if user else None, body.password)
    if not ok or user is None or not user.is_active:
        await audit.record(session, Actor(None, body.username, ip), "auth.login_failed", "user", body.username)
        await session.commit()
        raise unauthorized("wrong user name or password")
    if needs_rehash(user.password_hash):
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


@router.post("/refresh", response_model=TokenPair, responses={401: {}})
async def refresh(body: RefreshRequest, request: Request, session: SessionDep, st: StateDep) -> TokenPair:
    """Trade a refresh token for a new pair; the old pair stops working (rotation)."""
    now = utcnow()
    row = await session.scalar(select(AuthSession).where(AuthSession.refresh_hash == token_hash(body.refresh_token)))
    if row is None or row.revoked_at is not None or row.refresh_expires_at <= now:
        raise unauthorized("refresh token invalid or expired")
    user = await session.get(User, row.user_id)
    if user is None or not user.is_active:
        raise unauthorized("user disabled")
    access, refresh_token = new_token("oda"), new_token("odr")
    # Compare-and-set on the old hash: two concurrent refreshes with one token cannot both succeed.
    result = await session.execute(
        update(AuthSession)
        .where(AuthSession.id == row.id, AuthSession.refresh_hash == token_hash(body.refresh_token))
        .values(
            access_hash=token_hash(access),
            refresh_hash=token_hash(refresh_token),
            access_expires_at=now + dt.timedelta(seconds=st.settings.access_token_ttl),
        )
    )
    if result.rowcount != 1:
        await session.rollback()
        raise unauthorized("refresh token already used")
    await audit.record(session, Actor(user.id, user.username, client_ip(request)), "auth.refresh", "user", user.id)
    await session.commit()
    return TokenPair(
        access_token=access,
        refresh_token=refresh_token,
        expires_in=st.settings.access_token_ttl,
        user=await user_out(session, user),
    )


@router.post("/logout", status_code=status.HTTP_204_NO_CONTENT)
async def logout(caller: CallerDep, session: SessionDep) -> Response:
    await session.execute(update(AuthSession).where(AuthSession.id == caller.session_id).values(revoked_at=utcnow()))
    await audit.record(session, caller.actor, "auth.logout", "user", caller.user_id)
    await session.commit()
    return Response(status_code=status.HTTP_204_NO_CONTENT)
