"""Duplicate customers on the server: lookup keys, suggestions, the review list, "search before create".

The scoring is pure (omnidesk.domain.duplicates); here it meets the database. Each customer's blocking keys and name
search keys live in ``customer_keys`` (rewritten when its name or identities change), so finding the candidates of a
new or changed customer is one indexed query, however many customers there are. A pair that scores is stored once in
``duplicate_suggestions`` (lower id first) with its reasons as codes and parameters; the words are rendered per
request in the reader's language. Nothing here merges anything.
"""

from __future__ import annotations

import asyncio
import hashlib
import time
from collections.abc import Iterable
from typing import Annotated, Any

from fastapi import APIRouter, Header, HTTPException, Query, status
from sqlalchemy import and_, case, delete, func, insert, or_, select, tuple_, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.domain.duplicates import CustomerFacts, Reason, blocking_keys, scan_duplicates, score_pair
from omnidesk.domain.identity import Identifier, IdentityKind, InvalidIdentifier, normalize
from omnidesk.domain.names import name_search_keys
from omnidesk.protocol import Page
from omnidesk.protocol.customers import (
    CustomerMatch,
    DuplicateScanOut,
    DuplicateStatus,
    DuplicateSuggestionOut,
    MatchRequest,
    ReasonOut,
)
from omnidesk.server import audit
from omnidesk.server.context import OperatorDep, SessionDep, StateDep, SupervisorDep
from omnidesk.server.db import utcnow
from omnidesk.server.models import Customer, CustomerKey, DuplicateSuggestion, Identity

router = APIRouter(prefix="/api/v1", tags=["customers"])

SEARCH_PREFIX = "q:"
MAX_KEY = 200
MAX_CANDIDATES = 50
NAME_KEY_PREFIXES = ("name:", "initial:")
SHARED_IDENTIFIER_SCORE = 0.95

# Reasons the server itself gives (the scorer's own codes are worded by omnidesk.domain.duplicates).
_SERVER_REASONS = {
    "message_identifier": {
        "en": "one message came with {value}, which belongs to the other customer",
        "uk": "одне повідомлення надійшло з {value}, що належить іншому клієнту",
        "ru": "одно сообщение пришло с {value}, который принадлежит другому клиенту",
    },
    "identifier_taken": {
        "en": "an operator tried to add {value}, which belongs to the other customer",
        "uk": "оператор намагався додати {value}, що належить іншому клієнту",
        "ru": "оператор пытался добавить {value}, который принадлежит другому клиенту",
    },
}


def reason_text(code: str, params: dict[str, Any], lang: str) -> str:
    templates = _SERVER_REASONS.get(code)
    if templates is None:
        return Reason(code, {k: str(v) for k, v in params.items()}).text(lang)
    try:
        return templates.get(lang, templates["en"]).format(**params)
    except KeyError:
        return templates["en"]


def reasons_out(reasons: Iterable[dict[str, Any]], lang: str) -> list[ReasonOut]:
    return [
        ReasonOut(
            code=r["code"], params=r.get("params") or {}, text=reason_text(r["code"], r.get("params") or {}, lang)
        )
        for r in reasons
    ]


def pick_language(lang: str | None, accept_language: str | None) -> str:
    """``?lang=`` wins; else the first of en/uk/ru in Accept-Language; else English."""
    for candidate in [lang or "", *(part.split(";")[0] for part in (accept_language or "").split(","))]:
        code = candidate.strip().lower()[:2]
        if code in ("en", "uk", "ru"):
            return code
    return "en"


# --- keys ----------------------------------------------------------------------------------------------------


def _fit(key: str) -> str:
    if len(key) <= MAX_KEY:
        return key
    return key[: MAX_KEY - 41] + "#" + hashlib.sha1(key.encode()).hexdigest()


def search_keys(name: str) -> set[str]:
    return {SEARCH_PREFIX + k for k in name_search_keys(name)} if name.strip() else set()


def all_keys(facts: CustomerFacts) -> set[str]:
    return {_fit(k) for k in blocking_keys(facts) | search_keys(facts.name)}


async def load_facts(session: AsyncSession, customer_ids: Iterable[int]) -> dict[int, CustomerFacts]:
    ids = sorted(set(customer_ids))
    if not ids:
        return {}
    names = dict((await session.execute(select(Customer.id, Customer.display_name).where(Customer.id.in_(ids)))).all())
    identities: dict[int, list[Identifier]] = {i: [] for i in ids}
    rows = await session.execute(
        select(Identity.customer_id, Identity.kind, Identity.value)
        .where(Identity.customer_id.in_(ids))
        .order_by(Identity.id)
    )
    for customer_id, kind, value in rows:
        identities[customer_id].append(Identifier(IdentityKind(kind), value))
    return {i: CustomerFacts(i, names[i], tuple(identities[i])) for i in ids if i in names}


async def candidates(session: AsyncSession, keys: Iterable[str], exclude: Iterable[int] = ()) -> list[int]:
    """Customers (not merged away) sharing a blocking key, those sharing an identifier key first: one indexed query.

    A common name is a key of thousands of customers; the cap keeps a new customer's check small, and the order keeps
    the customers that share an identifier with it inside the cap."""
    wanted = sorted(k for k in keys if not k.startswith(SEARCH_PREFIX))
    if not wanted:
        return []
    excluded = list(exclude)
    weak = [k for k in wanted if k.startswith(NAME_KEY_PREFIXES)]
    rank = func.min(case((CustomerKey.key.in_(weak), 1), else_=0)) if weak else func.min(0)
    query = (
        select(CustomerKey.customer_id)
        .join(Customer, Customer.id == CustomerKey.customer_id)
        .where(CustomerKey.key.in_(wanted), Customer.merged_into_id.is_(None))
        .group_by(CustomerKey.customer_id)
        .order_by(rank, CustomerKey.customer_id.desc())
        .limit(MAX_CANDIDATES)
    )
    if excluded:
        query = query.where(CustomerKey.customer_id.not_in(excluded))
    return list((await session.scalars(query)).all())


async def refresh_customer(
    session: AsyncSession, customer_id: int, *, suggest: bool, new: CustomerFacts | None = None
) -> None:
    """Rewrite the customer's keys after a change of name or identities; optionally look for duplicates.

    ``new``: the facts of a customer created in this transaction (it has no keys yet, and nothing to read back)."""
    if new is None:
        facts = (await load_facts(session, [customer_id])).get(customer_id)
        await session.execute(delete(CustomerKey).where(CustomerKey.customer_id == customer_id))
        if facts is None:
            return
    else:
        facts = new
    keys = all_keys(facts)
    if keys:
        await session.execute(insert(CustomerKey), [{"customer_id": customer_id, "key": k} for k in sorted(keys)])
    if suggest:
        await suggest_for(session, facts, keys)


async def suggest_for(session: AsyncSession, facts: CustomerFacts, keys: Iterable[str]) -> int:
    """Score the customer against everyone sharing a key and store the pairs that score; return how many."""
    others = await load_facts(session, await candidates(session, keys, exclude=[facts.id]))
    found = [m for other in others.values() if (m := score_pair(facts, other)) is not None]
    reasons = [[{"code": r.code, "params": dict(r.params)} for r in m.reasons] for m in found]
    await upsert_suggestions(session, [(m.a_id, m.b_id, m.score, r) for m, r in zip(found, reasons, strict=True)])
    return len(found)


async def upsert_suggestions(session: AsyncSession, pairs: list[tuple[int, int, float, list[dict[str, Any]]]]) -> None:
    """Store or refresh open suggestions (one statement); a dismissed or merged pair stays as people decided."""
    if not pairs:
        return
    now = utcnow()
    rows = {}
    for first, second, score, reasons in pairs:
        a, b = sorted((first, second))
        rows[(a, b)] = dict(
            customer_id=a, other_id=b, score=score, reasons=reasons, status="open", created_at=now, updated_at=now
        )
    dialect_insert = sqlite_insert if session.bind.dialect.name == "sqlite" else pg_insert
    # executemany of one cached statement: a multi-row VALUES would be compiled anew for every row count.
    statement = dialect_insert(DuplicateSuggestion)
    statement = statement.on_conflict_do_update(
        index_elements=["customer_id", "other_id"],
        set_={
            "score": statement.excluded.score,
            "reasons": statement.excluded.reasons,
            "updated_at": statement.excluded.updated_at,
        },
        where=DuplicateSuggestion.status == "open",
    )
    await session.execute(statement, list(rows.values()))


async def upsert_suggestion(
    session: AsyncSession, first: int, second: int, score: float, reasons: list[dict[str, Any]]
) -> None:
    await upsert_suggestions(session, [(first, second, score, reasons)])


async def shared_identifier(
    session: AsyncSession, customer_id: int, owner_id: int, identifier: Identifier, code: str = "message_identifier"
) -> None:
    """``identifier`` came for ``customer_id`` but belongs to ``owner_id``: ask people, never merge silently."""
    if customer_id == owner_id:
        return
    reasons = [{"code": code, "params": {"kind": identifier.kind.value, "value": identifier.value}}]
    await upsert_suggestion(session, customer_id, owner_id, SHARED_IDENTIFIER_SCORE, reasons)


# --- endpoints -------------------------------------------------------------------------------------------------


async def suggestions_out(
    session: AsyncSession, rows: list[DuplicateSuggestion], lang: str
) -> list[DuplicateSuggestionOut]:
    from omnidesk.server.customers import summaries

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


def _live_pair():
    """Both sides still exist as customers of their own (not merged away)."""
    live = select(Customer.id).where(Customer.merged_into_id.is_(None))
    return and_(DuplicateSuggestion.customer_id.in_(live), DuplicateSuggestion.other_id.in_(live))


@router.get("/duplicates", response_model=Page[DuplicateSuggestionOut])
async def review_list(
    caller: SupervisorDep,
    session: SessionDep,
    lang: Annotated[str | None, Query(description="en, uk or ru (else Accept-Language)")] = None,
    accept_language: Annotated[str | None, Header()] = None,
    suggestion_status: Annotated[DuplicateStatus, Query(alias="status")] = DuplicateStatus.OPEN,
    cursor: str | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> Page[DuplicateSuggestionOut]:
    """Suggested duplicate pairs for review, highest score first, with the reasons in words."""
    from omnidesk.server.conversations import BadCursor, decode_cursor, encode_cursor

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
    from omnidesk.server.customers import load_visible_customer, visible_ids

    await load_visible_customer(session, caller, customer_id)
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
    caller: OperatorDep,
    session: SessionDep,
    lang: str | None = None,
    accept_language: Annotated[str | None, Header()] = None,
) -> DuplicateSuggestionOut:
    """ "Not the same person": the pair leaves the lists and is not suggested again."""
    from omnidesk.server.customers import visible_ids

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


def draft_identifiers(identities: Iterable[Any], region: str) -> list[Identifier]:
    found = []
    for each in identities:
        try:
            found.append(normalize(each.kind, each.value, region))
        except InvalidIdentifier:
            continue  # a half-typed value must not stop the search; creating will say what is wrong
    return found


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
    from omnidesk.server.customers import summaries, visible_ids

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


async def all_facts(session: AsyncSession, batch: int = 20_000) -> list[CustomerFacts]:
    """Every customer that is not merged away, with its identities, read in id order and in batches."""
    facts: list[CustomerFacts] = []
    last = 0
    while True:
        ids = list(
            (
                await session.scalars(
                    select(Customer.id)
                    .where(Customer.id > last, Customer.merged_into_id.is_(None))
                    .order_by(Customer.id)
                    .limit(batch)
                )
            ).all()
        )
        if not ids:
            return facts
        loaded = await load_facts(session, ids)
        facts.extend(loaded[i] for i in ids if i in loaded)
        last = ids[-1]


@router.post("/duplicates/scan", response_model=DuplicateScanOut)
async def scan(caller: SupervisorDep, session: SessionDep) -> DuplicateScanOut:
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
