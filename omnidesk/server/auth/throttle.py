"""Login throttling that holds under parallel guessing and cannot be turned against the person being guessed.

Three counters, each a row of ``login_throttle`` charged *before* the password is checked, in one conditional
UPDATE (the row lock orders parallel attempts, so 40 parallel guesses get exactly the allowed number of checks):

* the (account, address) pair: ``login_max_failures`` failures in ``login_window``, then 429 for that pair only;
* the address over all accounts: ``login_max_failures_per_address`` (password spraying), then 429 for the address;
* the account over all addresses: no lock-out, a progressive delay instead (1, 2, 4 ... s, at most
  ``login_max_delay``) after ``login_max_failures`` failures, so a distributed attack slows to a trickle while the
  owner, typing the right password, waits seconds, never a quarter of an hour.

A successful login clears the account's and the pair's counters. Addresses are the client's as ``client_ip`` tells
it (X-Forwarded-For only from trusted proxies). Accounts are keyed by a keyed hash of the typed name, so the table
never holds what someone typed (it may be a password typed into the wrong field).
"""

from __future__ import annotations

import hashlib
import hmac
import time
from dataclasses import dataclass

from sqlalchemy import case, delete, select, update

from omnidesk.server.auth.models import LoginThrottle
from omnidesk.server.config import Settings
from omnidesk.server.db import Database, dialect_insert


def name_tag(settings: Settings, username: str) -> str:
    """A short keyed hash of a typed user name: tells attempts apart without revealing what was typed."""
    digest = hmac.new(settings.audit_key.encode(), username.strip().casefold().encode(), hashlib.sha256)
    return digest.hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class Charge:
    allowed: bool
    retry_after: int = 0
    account_failures: int = 0  # failures on the account in the window, this attempt included
    pair_failures: int = 0
    first_refusal: bool = False  # the first refusal of this key in its window (worth one audit record)


def _delay(failures, limit: int, cap: float):
    """SQL for the seconds the account must wait after ``failures`` failures: 0 up to the limit, then doubling."""
    whens = [(failures < limit, 0.0)]
    step, seconds = 0, 1.0
    while seconds < cap:
        whens.append((failures == limit + step, seconds))
        step += 1
        seconds *= 2
    return case(*whens, else_=cap)


class LoginThrottler:
    def __init__(self, db: Database, settings: Settings) -> None:
        self.db = db
        self.settings = settings

    def keys(self, username: str, ip: str | None) -> tuple[str, str, str | None]:
        tag = name_tag(self.settings, username)
        return f"acct:{tag}", f"pair:{tag}|{ip or '-'}", (f"addr:{ip}" if ip else None)

    async def _charge(self, session, key: str, now: float, *, limit: int | None, delay_limit: int | None) -> tuple:
        """Count one attempt on ``key`` if it is allowed now; return (allowed, failures, next_allowed, refusals)."""
        s = self.settings
        insert = dialect_insert(self.db)
        await session.execute(
            insert(LoginThrottle)
            .values(key=key, failures=0, window_start=now, next_allowed=0.0, refusals=0)
            .on_conflict_do_nothing(index_elements=["key"])
        )
        cut = now - s.login_window
        expired = LoginThrottle.window_start < cut
        failures = case((expired, 1), else_=LoginThrottle.failures + 1)
        condition = LoginThrottle.next_allowed <= now
        if limit is not None:
            condition = condition & (expired | (LoginThrottle.failures < limit))
        values = dict(
            failures=failures,
            window_start=case((expired, now), else_=LoginThrottle.window_start),
            refusals=case((expired, 0), else_=LoginThrottle.refusals),
        )
        if delay_limit is not None:
            values["next_allowed"] = now + _delay(failures, delay_limit, s.login_max_delay)
        result = await session.execute(
            update(LoginThrottle)
            .where(LoginThrottle.key == key, condition)
            .values(**values)
            .returning(LoginThrottle.failures)
        )
        charged = result.scalar()
        if charged is not None:
            return True, int(charged), 0.0, 0
        refused = await session.execute(
            update(LoginThrottle)
            .where(LoginThrottle.key == key)
            .values(refusals=LoginThrottle.refusals + 1)
            .returning(
                LoginThrottle.failures, LoginThrottle.next_allowed, LoginThrottle.window_start, LoginThrottle.refusals
            )
        )
        row = refused.one()
        wait = max(row.next_allowed - now, 0.0)
        if limit is not None and row.failures >= limit:
            wait = max(wait, row.window_start + s.login_window - now)
        return False, int(row.failures), wait, int(row.refusals)

    async def charge(self, username: str, ip: str | None) -> Charge:
        """Count this attempt against every counter, or refuse it (before any password is checked)."""
        s = self.settings
        account, pair, address = self.keys(username, ip)
        now = time.time()
        async with self.db.session() as session:
            plan = [(pair, s.login_max_failures, None)]
            if address:
                plan.append((address, s.login_max_failures_per_address, None))
            plan.append((account, None, s.login_max_failures))
            counts = {}
            for key, limit, delay_limit in plan:
                ok, failures, wait, refusals = await self._charge(
                    session, key, now, limit=limit, delay_limit=delay_limit
                )
                if not ok:
                    await session.commit()
                    return Charge(False, max(1, int(wait + 0.999)), first_refusal=refusals == 1)
                counts[key] = failures
            await session.commit()
        return Charge(True, account_failures=counts[account], pair_failures=counts[pair])

    async def succeeded(self, session, username: str, ip: str | None) -> None:
        """The password was right: the account's and this pair's counters start again (the address keeps its own,
        less this attempt). Runs in the caller's transaction (the login's), which commits."""
        account, pair, address = self.keys(username, ip)
        await session.execute(delete(LoginThrottle).where(LoginThrottle.key.in_([account, pair])))
        if address:
            await session.execute(
                update(LoginThrottle)
                .where(LoginThrottle.key == address, LoginThrottle.failures > 0)
                .values(failures=LoginThrottle.failures - 1)
            )

    async def account_failures(self, username: str) -> int:
        account, _, _ = self.keys(username, None)
        async with self.db.session() as session:
            value = await session.scalar(select(LoginThrottle.failures).where(LoginThrottle.key == account))
            await session.rollback()
        return int(value or 0)
