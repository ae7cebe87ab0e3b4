"""Login, token refresh and logout.

Tokens are opaque random strings; the database keeps only their SHA-256, so a session can be revoked at once and a
stolen backup reveals no usable token. Failed logins are counted from the audit log per user name and per address;
past the limit the answer is 429 with Retry-After, whatever the password.
"""

from __future__ import annotations

import datetime as dt

from omnidesk.server.auth.models import AuthSession
from omnidesk.server.db import utcnow
from omnidesk.server.security import new_token, token_hash
from omnidesk.server.users.models import User


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
