"""HTTP routes of the duplicates feature: thin handlers over duplicates.service."""

from __future__ import annotations

import asyncio
import time
from typing import Annotated

from fastapi import APIRouter, Header, HTTPException, Query, status
from sqlalchemy import or_, select, tuple_, update
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.domain.duplicates import CustomerFacts, scan_duplicates, score_pair
from omnidesk.domain.permissions import Permission
from omnidesk.protocol import Page
from omnidesk.protocol.customers import (
    CustomerMatch,
    DuplicateScanOut,
    DuplicateStatus,
    DuplicateSuggestionOut,
    MatchRequest,
)
from omnidesk.server.audit import service as audit
from omnidesk.server.context import OperatorDep, SessionDep, StateDep, permitted
from omnidesk.server.customers.service import load_visible_customer, summaries, visible_ids
from omnidesk.server.db import utcnow
from omnidesk.server.db.pagination import BadCursor, decode_cursor, encode_cursor
from omnidesk.server.duplicates.models import DuplicateSuggestion
from omnidesk.server.duplicates.service import (
    _live_pair,
    all_facts,
    all_keys,
    candidates,
    draft_identifiers,
    load_facts,
    pick_language,
    reasons_out,
    upsert_suggestions,
)

router = APIRouter(prefix="/api/v1", tags=["customers"])


async def suggestions_out(
    session: AsyncSession, rows: list[DuplicateSuggestion], lang: str
) -> list[DuplicateSuggestionOut]:

    briefs = await summaries(session, [r.customer_id for r in rows] + [r.other_id for r in rows])
    return [
        DuplicateSuggestionOut(
            id=r.id,
            customer=briefs[r.customer_id],
            other=briefs[r.other_id],
            score=r.score,
            reasons=reasons_out(r.reasons, lang),
            status=r.status,
            created_at=r.created_at,
        )
        for r in rows
    ]


@router.get("/duplicates", response_model=Page[DuplicateSuggestionOut])
async def review_list(
    caller: permitted(Permission.DUPLICATE_REVIEW),
    session: SessionDep,
    lang: Annotated[str | None, Query(description="en, uk or ru (else Accept-Language)")] = None,
    accept_language: Annotated[str | None, Header()] = None,
    suggestion_status: Annotated[DuplicateStatus, Query(alias="status")] = DuplicateStatus.OPEN,
    cursor: str | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> Page[DuplicateSuggestionOut]:
    """Suggested duplicate pairs for review, highest score first, with the reasons in words."""

    query = select(DuplicateSuggestion).where(DuplicateSuggestion.status == suggestion_status.value)
    if suggestion_status is DuplicateStatus.OPEN:
        query = query.where(_live_pair())
    if cursor:
        try:
            score, last_id = decode_cursor(cursor)
            query = query.where(
                tuple_(DuplicateSuggestion.score, -DuplicateSuggestion.id) < tuple_(float(score), -int(last_id))
            )
        except (BadCursor, ValueError, TypeError):
            raise HTTPException(status.HTTP_400_BAD_REQUEST, "cursor is not one this server issued") from None
    query = query.order_by(DuplicateSuggestion.score.desc(), DuplicateSuggestion.id).limit(limit + 1)
    rows = list((await session.scalars(query)).all())
    items = await suggestions_out(session, rows[:limit], pick_language(lang, accept_language))
    next_cursor = encode_cursor(items[-1].score, items[-1].id) if len(rows) > limit else None
    await audit.record(session, caller.actor, "duplicates.list", "customer", None, {"n": len(items)})
    await session.commit()
    return Page[DuplicateSuggestionOut](items=items, next_cursor=next_cursor)


@router.get("/customers/{customer_id}/duplicates", response_model=list[DuplicateSuggestionOut])
async def customer_duplicates(
    customer_id: int,
    caller: OperatorDep,
    session: SessionDep,
    lang: str | None = None,
    accept_language: Annotated[str | None, Header()] = None,
) -> list[DuplicateSuggestionOut]:
    """Open suggestions for this customer (only pairs whose other side the caller may see)."""

    await load_visible_customer(session, caller, customer_id, reading=True)
    rows = list(
        (
            await session.scalars(
                select(DuplicateSuggestion)
                .where(
                    or_(DuplicateSuggestion.customer_id == customer_id, DuplicateSuggestion.other_id == customer_id),
                    DuplicateSuggestion.status == "open",
                    _live_pair(),
                )
                .order_by(DuplicateSuggestion.score.desc(), DuplicateSuggestion.id)
                .limit(100)
            )
        ).all()
    )
    others = {r.other_id if r.customer_id == customer_id else r.customer_id for r in rows}
    allowed = await visible_ids(session, caller, others)
    rows = [r for r in rows if (r.other_id if r.customer_id == customer_id else r.customer_id) in allowed]
    items = await suggestions_out(session, rows, pick_language(lang, accept_language))
    await audit.record(session, caller.actor, "customer.read_duplicates", "customer", customer_id, {"n": len(items)})
    await session.commit()
    return items


@router.post("/duplicates/{suggestion_id}/dismiss", response_model=DuplicateSuggestionOut)
async def dismiss(
    suggestion_id: int,
    caller: permitted(Permission.DUPLICATE_DISMISS),
    session: SessionDep,
    lang: str | None = None,
    accept_language: Annotated[str | None, Header()] = None,
) -> DuplicateSuggestionOut:
    """ "Not the same person": the pair leaves the lists and is not suggested again."""

    row = await session.get(DuplicateSuggestion, suggestion_id)
    if row is None or len(await visible_ids(session, caller, [row.customer_id, row.other_id])) < 2:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"duplicate suggestion {suggestion_id} not found")
    if row.status == "merged":
        raise HTTPException(status.HTTP_409_CONFLICT, "this pair was merged; unmerge it instead")
    await session.execute(
        update(DuplicateSuggestion)
        .where(DuplicateSuggestion.id == suggestion_id)
        .values(status="dismissed", updated_at=utcnow())
    )
    await audit.record(
        session,
        caller.actor,
        "duplicates.dismiss",
        "duplicate_suggestion",
        suggestion_id,
        {"customer_id": row.customer_id, "other_id": row.other_id},
    )
    await session.commit()
    await session.refresh(row)
    return (await suggestions_out(session, [row], pick_language(lang, accept_language)))[0]


@router.post("/customers/matches", response_model=list[CustomerMatch])
async def matches(
    body: MatchRequest,
    caller: OperatorDep,
    session: SessionDep,
    st: StateDep,
    lang: str | None = None,
    accept_language: Annotated[str | None, Header()] = None,
) -> list[CustomerMatch]:
    """Search before create: existing customers that look like this draft, best first (nothing is saved)."""

    draft = CustomerFacts(0, body.name, tuple(draft_identifiers(body.identities, st.settings.default_region)))
    exclude = [body.exclude_id] if body.exclude_id is not None else []
    found = await load_facts(session, await candidates(session, all_keys(draft), exclude=exclude))
    scored = [(m, other) for other in found.values() if (m := score_pair(draft, other)) is not None]
    allowed = await visible_ids(session, caller, [other.id for _, other in scored])
    scored = [(m, o) for m, o in scored if o.id in allowed]
    scored.sort(key=lambda pair: (-pair[0].score, pair[1].id))
    scored = scored[:20]
    briefs = await summaries(session, [o.id for _, o in scored])
    language = pick_language(lang, accept_language)
    result = [
        CustomerMatch(
            customer=briefs[o.id],
            score=m.score,
            reasons=reasons_out(({"code": r.code, "params": dict(r.params)} for r in m.reasons), language),
        )
        for m, o in scored
    ]
    await audit.record(session, caller.actor, "customer.matches", "customer", None, {"n": len(result)})
    await session.commit()
    return result


@router.post("/duplicates/scan", response_model=DuplicateScanOut)
async def scan(caller: permitted(Permission.DUPLICATE_REVIEW), session: SessionDep) -> DuplicateScanOut:
    """Look for duplicates among all customers (e.g. after an import or an upgrade) and store the suggestions.

    The scoring runs in a worker thread, so the server keeps answering meanwhile; pairs people already dismissed or
    merged stay as they are."""
    started = time.perf_counter()
    facts = await all_facts(session)
    await session.rollback()  # release the read transaction while the scan runs
    result = await asyncio.to_thread(scan_duplicates, facts)
    rows = [
        (m.a_id, m.b_id, m.score, [{"code": r.code, "params": dict(r.params)} for r in m.reasons])
        for m in result.matches
    ]
    for start in range(0, len(rows), 1000):
        await upsert_suggestions(session, rows[start : start + 1000])
    out = DuplicateScanOut(
        customers=len(facts),
        pairs_compared=result.pairs_compared,
        suggestions=len(rows),
        seconds=round(time.perf_counter() - started, 3),
    )
    await audit.record(session, caller.actor, "duplicates.scan", "customer", None, out.model_dump())
    await session.commit()
    return out
