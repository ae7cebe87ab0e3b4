"""Duplicate customers on the server: lookup keys, suggestions, the review list, "search before create".

The scoring is pure (omnidesk.domain.duplicates); here it meets the database. Each customer's blocking keys and name
search keys live in ``customer_keys`` (rewritten when its name or identities change), so finding the candidates of a
new or changed customer is one indexed query, however many customers there are. A pair that scores is stored once in
``duplicate_suggestions`` (lower id first) with its reasons as codes and parameters; the words are rendered per
request in the reader's language. Nothing here merges anything.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Any

from sqlalchemy import and_, case, delete, func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.domain.duplicates import CustomerFacts, Reason, blocking_keys, score_pair
from omnidesk.domain.identity import Identifier, IdentityKind, InvalidIdentifier, normalize
from omnidesk.domain.names import name_search_keys
from omnidesk.protocol.customers import (
    ReasonOut,
)
from omnidesk.server.customers.models import Customer, CustomerKey, Identity
from omnidesk.server.db import dialect_insert, utcnow
from omnidesk.server.duplicates.models import DuplicateSuggestion

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
        # executemany of one cached statement: a multi-row VALUES would be compiled anew for every row count.
    statement = dialect_insert(session)(DuplicateSuggestion)
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


def _live_pair():
    """Both sides still exist as customers of their own (not merged away)."""
    live = select(Customer.id).where(Customer.merged_into_id.is_(None))
    return and_(DuplicateSuggestion.customer_id.in_(live), DuplicateSuggestion.other_id.in_(live))


def draft_identifiers(identities: Iterable[Any], region: str) -> list[Identifier]:
    found = []
    for each in identities:
        try:
            found.append(normalize(each.kind, each.value, region))
        except InvalidIdentifier:
            continue  # a half-typed value must not stop the search; creating will say what is wrong
    return found


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
