"""The SLA step of the PostgreSQL ingest batch: every conversation of a batch gets its clock in two round trips.

The rule is `omnidesk.server.sla.service.plan_inbound`, the one the general path applies message by message; here
the stored clocks of the batch's conversations are read in one statement and the changed ones written in one, with
their business durations (`omnidesk.server.sla.service.business_values`, as the general path stores them).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import asyncpg

from omnidesk.domain import sla
from omnidesk.server.conversations.models import Conversation
from omnidesk.server.sla.service import (
    BUSINESS_FIELDS,
    CLOCK_FIELDS,
    business_values,
    clock_of,
    load_rules_asyncpg,
    plan_inbound,
    row_values,
)

COLUMNS = ["conversation_id", *CLOCK_FIELDS, "next_check_at", *BUSINESS_FIELDS]
_TYPES = {
    "policy_id": "bigint",
    "alerted": "int",
    "breached": "int",
    "conversation_id": "bigint",
    **dict.fromkeys(BUSINESS_FIELDS, "float8"),
}
UPSERT = (
    f"INSERT INTO conversation_sla ({', '.join(COLUMNS)}) SELECT * FROM unnest("
    + ", ".join(f"${i}::{_TYPES.get(c, 'timestamptz')}[]" for i, c in enumerate(COLUMNS, 1))
    + ") ON CONFLICT (conversation_id) DO UPDATE SET "
    + ", ".join(f"{c} = EXCLUDED.{c}" for c in COLUMNS[1:])
)
READ = "SELECT * FROM conversation_sla WHERE conversation_id = ANY($1::bigint[])"
# The work-organisation feature's priority column, where it is merged in (policies may match on it).
PRIORITY = "SELECT id, priority FROM conversations WHERE id = ANY($1::bigint[])"


@dataclass(frozen=True, slots=True)
class Facts:
    conversation_id: int
    queue_id: int | None
    channel_kind: str | None
    segment: str | None


async def apply(conn: asyncpg.Connection, facts: Sequence[Facts], at: dt.datetime, key: Any) -> dict[int, sla.Clock]:
    """Each conversation's clock after the batch's customer messages (one per conversation: the batch updates each
    conversation once, at ``at``, as the general path would for its messages arriving at that moment)."""
    rules = await load_rules_asyncpg(conn, key)
    ids = [f.conversation_id for f in facts]
    stored = {r["conversation_id"]: clock_of(dict(r)) for r in await conn.fetch(READ, ids)}
    priorities: dict[int, int | None] = {}
    if hasattr(Conversation, "priority"):
        priorities = {r["id"]: r["priority"] for r in await conn.fetch(PRIORITY, ids)}
    out: dict[int, sla.Clock] = {}
    changed: list[tuple[Facts, sla.Clock]] = []
    for f in facts:
        before = stored.get(f.conversation_id, sla.Clock())
        after = plan_inbound(
            rules,
            before,
            queue_id=f.queue_id,
            channel_kind=f.channel_kind,
            priority=priorities.get(f.conversation_id),
            segment=f.segment,
            at=at,
        )
        out[f.conversation_id] = after
        if after != before:
            changed.append((f, after))
    if changed:
        rows = [
            {"conversation_id": f.conversation_id, **row_values(clock), **business_values(rules, f.queue_id, clock)}
            for f, clock in changed
        ]
        await conn.execute(UPSERT, *([r[c] for r in rows] for c in COLUMNS))
    return out
