"""Directory sign-in and sync: who may sign in with a directory password, and with which role and queues.

``directory_login`` is the one hook the login route calls. It answers None for "not a directory sign-in, check the
local password" (directory sign-in off, or the name belongs to a local account), else ``(ok, user)``. A directory
user signing in for the first time gets an OmniDesk account; at every sign-in their role and queues are set from
their groups (omnidesk.domain.directory decides). ``sync_directory`` applies the same rule to every directory user
without a sign-in, and switches off those the directory no longer has, has disabled, or has taken out of every
OmniDesk group (their sessions end at once).
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from dataclasses import dataclass

from fastapi import HTTPException, status
from sqlalchemy import delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.domain.directory import DirectoryGrant, grant_for_groups
from omnidesk.server.audit import service as audit
from omnidesk.server.audit.service import Actor
from omnidesk.server.auth.models import AuthSession
from omnidesk.server.auth_ldap.directory import Directory, DirectoryEntry, DirectoryRefused, DirectoryUnavailable
from omnidesk.server.auth_ldap.models import DirectoryAccount
from omnidesk.server.config import Settings
from omnidesk.server.db import utcnow
from omnidesk.server.queues.models import Queue, QueueMember
from omnidesk.server.security import hash_password
from omnidesk.server.users.models import User

log = logging.getLogger("omnidesk.ldap")


def grant_of(settings: Settings, entry: DirectoryEntry) -> DirectoryGrant:
    """The role and queues the configured group mapping gives ``entry``."""
    return grant_for_groups(
        entry.groups, settings.ldap_group_roles, settings.ldap_group_queues, settings.ldap_default_role
    )


def enabled(settings: Settings) -> bool:
    return bool(settings.ldap_url)


async def is_directory_user(session: AsyncSession, user_id: int) -> bool:
    return await session.scalar(select(DirectoryAccount.user_id).where(DirectoryAccount.user_id == user_id)) is not None


async def directory_login(
    session: AsyncSession, settings: Settings, username: str, password: str, local: User | None, ip: str | None
) -> tuple[bool, User | None] | None:
    """The login route's directory hook (see the module docstring). 503 when the directory cannot be asked."""
    if not enabled(settings):
        return None
    if local is not None and not await is_directory_user(session, local.id):
        return None  # a local account (a break-glass admin): its own password decides
    try:
        entry = await asyncio.to_thread(Directory(settings).authenticate, username, password)
    except DirectoryRefused as exc:
        await audit.record(
            session, Actor(None, username, ip), "auth.ldap_refused", "user", username, {"reason": str(exc)}
        )
        return False, local
    except DirectoryUnavailable as exc:
        log.error("directory sign-in unavailable: %s", exc)
        await audit.record(session, Actor(None, username, ip), "auth.ldap_unavailable", "user", username)
        await session.commit()
        raise HTTPException(
            status.HTTP_503_SERVICE_UNAVAILABLE, "the directory server cannot be reached; try again later"
        ) from None
    grant = grant_of(settings, entry)
    if grant.role is None:
        await audit.record(
            session,
            Actor(None, username, ip),
            "auth.ldap_refused",
            "user",
            username,
            {"reason": "in no OmniDesk group"},
        )
        return False, local
    if local is None or local.username != entry.username:
        local = await session.scalar(select(User).where(User.username == entry.username))
        if local is not None and not await is_directory_user(session, local.id):
            return False, None  # the directory's name is a local account's: never take it over
    user = await apply_entry(session, settings, entry, local, Actor(None, f"ldap:{username}", ip), signing_in=True)
    return user.is_active, user


async def apply_entry(
    session: AsyncSession,
    settings: Settings,
    entry: DirectoryEntry,
    user: User | None,
    actor: Actor,
    *,
    signing_in: bool,
) -> User:
    """Create or update the OmniDesk account of a directory entry allowed in: role, queues, name. Caller commits."""
    grant = grant_of(settings, entry)
    assert grant.role is not None
    account = None
    if user is None:
        # The password column holds a random hash: a directory user never has a usable local password.
        user = User(
            username=entry.username,
            display_name=entry.display_name,
            password_hash=hash_password(secrets.token_urlsafe(32)),
            role=grant.role.value,
            is_active=True,
        )
        session.add(user)
        await session.flush()
        session.add(DirectoryAccount(user_id=user.id, dn=entry.dn, synced_at=utcnow()))
        await audit.record(
            session, actor, "user.directory_create", "user", user.id, {"dn": entry.dn, "role": grant.role.value}
        )
    else:
        account = await session.get(DirectoryAccount, user.id)
    changes: dict = {}
    if user.role != grant.role.value:
        changes["role"] = [user.role, grant.role.value]
        user.role = grant.role.value
    if user.display_name != entry.display_name:
        user.display_name = entry.display_name
    if account is not None:
        account.dn = entry.dn
        account.synced_at = utcnow()
        if not user.is_active and account.disabled_by_directory:
            user.is_active = True
            account.disabled_by_directory = False
            changes["active"] = [False, True]
    if settings.ldap_group_queues:
        wanted = (
            set((await session.scalars(select(Queue.id).where(Queue.name.in_(grant.queue_names)))).all())
            if grant.queue_names
            else set()
        )
        unknown = set(grant.queue_names) - set(
            (await session.scalars(select(Queue.name).where(Queue.id.in_(wanted)))).all()
        )
        if unknown:
            log.warning("ldap_group_queues names queues that do not exist: %s", sorted(unknown))
        have = set((await session.scalars(select(QueueMember.queue_id).where(QueueMember.user_id == user.id))).all())
        if wanted != have:
            changes["queues"] = [sorted(have), sorted(wanted)]
            if have - wanted:
                await session.execute(
                    delete(QueueMember).where(QueueMember.user_id == user.id, QueueMember.queue_id.in_(have - wanted))
                )
            if wanted - have:
                await session.execute(insert(QueueMember), [{"queue_id": q, "user_id": user.id} for q in wanted - have])
    if changes and account is not None:
        await audit.record(session, actor, "user.directory_update", "user", user.id, changes)
    if signing_in:
        await audit.record(
            session,
            actor,
            "auth.ldap_login",
            "user",
            user.id,
            {"role": grant.role.value, "queues": list(grant.queue_names)},
        )
    return user


@dataclass
class SyncReport:
    checked: int = 0
    updated: int = 0
    disabled: int = 0
    unavailable: str | None = None


async def sync_directory(session: AsyncSession, settings: Settings, actor: Actor | None = None) -> SyncReport:
    """Re-read every active directory user; switch off the ones no longer allowed in. Caller commits."""
    actor = actor or Actor(None, "ldap-sync")
    report = SyncReport()
    rows = (
        await session.execute(
            select(User, DirectoryAccount).join(DirectoryAccount, DirectoryAccount.user_id == User.id).order_by(User.id)
        )
    ).all()
    directory = Directory(settings)
    for user, account in rows:
        if not user.is_active and not account.disabled_by_directory:
            continue  # switched off by an admin: the directory does not switch them back on
        try:
            entry = await asyncio.to_thread(directory.find, user.username)
        except DirectoryUnavailable as exc:
            # Never disable everybody because the directory is down for a minute.
            report.unavailable = str(exc)
            log.error("directory sync stopped: %s", exc)
            break
        report.checked += 1
        grant = grant_of(settings, entry) if entry is not None else None
        if entry is None or entry.disabled or grant is None or grant.role is None:
            if user.is_active:
                reason = (
                    "removed from the directory"
                    if entry is None
                    else ("disabled in the directory" if entry.disabled else "in no OmniDesk group")
                )
                user.is_active = False
                account.disabled_by_directory = True
                account.synced_at = utcnow()
                await session.execute(
                    update(AuthSession)
                    .where(AuthSession.user_id == user.id, AuthSession.revoked_at.is_(None))
                    .values(revoked_at=utcnow())
                )
                await audit.record(session, actor, "user.directory_disable", "user", user.id, {"reason": reason})
                report.disabled += 1
            continue
        before = (user.role, user.is_active)
        await apply_entry(session, settings, entry, user, actor, signing_in=False)
        if (user.role, user.is_active) != before:
            report.updated += 1
    await audit.record(
        session,
        actor,
        "ldap.sync",
        None,
        None,
        {
            "checked": report.checked,
            "updated": report.updated,
            "disabled": report.disabled,
            "error": report.unavailable,
        },
    )
    return report
