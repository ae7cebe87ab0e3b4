"""Customer protocol objects for client model tests (realistic names, identifiers and reasons in three languages),
and an in-memory timeline source with the server's order and cursor rules."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from omnidesk.client.customers import TimelineQuery
from omnidesk.protocol import Page
from omnidesk.protocol.customers import (
    CustomerMatch,
    CustomerSummary,
    DuplicateSuggestionOut,
    IdentityOut,
    ReasonOut,
    TimelineItem,
)

T0 = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)


def identity(number: int, kind: str, value: str) -> IdentityOut:
    return IdentityOut(id=number, kind=kind, value=value, created_at=T0)


OKSANA = CustomerSummary(
    id=11,
    name="Оксана Петренко",
    segment="VIP",
    identities=[identity(1, "phone", "+380501234567"), identity(2, "telegram_username", "kusya_99")],
)
OKSANA_LATIN = CustomerSummary(
    id=12, name="Oksana Petrenko", identities=[identity(3, "email", "oksana.petrenko@gmail.com")]
)
DMITRY = CustomerSummary(id=13, name="Дмитрий Соколов", identities=[identity(4, "phone", "+77012345678")])


def reason(code: str, text: str, **params: object) -> ReasonOut:
    return ReasonOut(code=code, params=dict(params), text=text)


def suggestion(number: int, customer: CustomerSummary, other: CustomerSummary, score: float) -> DuplicateSuggestionOut:
    return DuplicateSuggestionOut(
        id=number,
        customer=customer,
        other=other,
        score=score,
        reasons=[reason("name_translit", "the names match across scripts: Оксана Петренко and Oksana Petrenko")],
        status="open",
        created_at=T0,
    )


def match(customer: CustomerSummary, score: float) -> CustomerMatch:
    return CustomerMatch(customer=customer, score=score, reasons=[reason("same_phone", "the same phone +380501234567")])


KIND_CYCLE = ["message_in", "message_out", "status_changed", "assigned", "message_in", "merged"]


def timeline_item(
    number: int, customer_id: int = 11, *, minutes: float | None = None, **changes: object
) -> TimelineItem:
    kind = KIND_CYCLE[number % len(KIND_CYCLE)]
    payload: dict[str, object] = {}
    if kind.startswith("message"):
        payload = {
            "message": {
                "id": 5000 + number,
                "conversation_id": 1 + number % 3,
                "direction": "in" if kind == "message_in" else "out",
                "kind": "text",
                "author_id": None,
                "text": f"Повідомлення {number}",
                "sent_at": (T0 + timedelta(minutes=number)).isoformat(),
                "delivery_status": None if kind == "message_in" else "queued",
            }
        }
    elif kind == "status_changed":
        payload = {"from": "open", "to": "resolved", "by": 7}
    elif kind == "assigned":
        payload = {"from": None, "to": 7, "by": 7}
    elif kind == "merged":
        payload = {"merge_id": number, "survivor_id": customer_id, "other_id": 99, "other_name": "Ксюша", "by": 7}
    fields: dict[str, object] = {
        "id": number,
        "customer_id": customer_id,
        "kind": kind,
        "at": T0 + timedelta(minutes=number if minutes is None else minutes),
        "channel_id": None if kind == "merged" else 1 + number % 2,
        "conversation_id": None if kind == "merged" else 1 + number % 3,
        "payload": payload,
    }
    fields.update(changes)
    return TimelineItem.model_validate(fields)


class TimelinePages:
    """Serves a customer's items newest first in pages, with an opaque cursor, like the server."""

    def __init__(self, items: list[TimelineItem]) -> None:
        self.items = list(items)
        self.requests: list[tuple[int, TimelineQuery, str | None]] = []

    def add(self, item: TimelineItem) -> None:
        self.items.append(item)

    async def __call__(self, customer_id: int, query: TimelineQuery, before: str | None, limit: int) -> Page:
        self.requests.append((customer_id, query, before))
        await asyncio.sleep(0)
        ordered = sorted(
            (i for i in self.items if i.customer_id == customer_id and query.admits(i)),
            key=lambda i: (i.at, i.id),
            reverse=True,
        )
        if before:
            at, last = before.split("|")
            ordered = [i for i in ordered if (i.at.isoformat(), i.id) < (at, int(last))]
        page = ordered[:limit]
        more = len(ordered) > limit
        cursor = f"{page[-1].at.isoformat()}|{page[-1].id}" if more else None
        return Page[TimelineItem](items=page, next_cursor=cursor)
