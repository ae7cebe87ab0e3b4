"""Where a reply's delivery state may go: forward only (queued, sent, delivered, read), so a late "delivered" never
undoes "read" and no attempt the outbox records lowers what the platform already confirmed.

One rule for the three paths that move the state: platform receipts (server/channels/inbound.py), e-mail delivery
reports and read receipts (server/email/service.py) and the outbox recording each attempt (server/outbox/worker.py).
A failure is outside this order; each path says what a failure may replace.
"""

from __future__ import annotations

from omnidesk.domain.enums import DeliveryStatus

ORDER: dict[str | None, int] = {
    None: 0,
    DeliveryStatus.QUEUED.value: 1,
    DeliveryStatus.SENT.value: 2,
    DeliveryStatus.DELIVERED.value: 3,
    DeliveryStatus.READ.value: 4,
}

# What the platform confirmed: the outbox's own record of an attempt never replaces these.
CONFIRMED = frozenset({DeliveryStatus.DELIVERED.value, DeliveryStatus.READ.value})


def advances(current: str | None, new: str) -> bool:
    """Whether a receipt of ``new`` moves a reply now at ``current`` forward (a failed or unknown state ranks 0)."""
    return ORDER.get(new, 0) > ORDER.get(current, 0)


def below(new: str) -> list[str]:
    """The states a receipt of ``new`` may replace (for an UPDATE's WHERE): those it moves forward from."""
    return [state for state, rank in ORDER.items() if state is not None and rank < ORDER.get(new, 0)]
