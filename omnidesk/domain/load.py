"""Operator load: how much of an operator's online time went on conversations, and how many at once.

Pure arithmetic on intervals (omnidesk.server.analytics.load gathers them from the stored facts): the spans an
operator was online (presence), and per conversation the spans it was active for them (assigned to them and open:
not pending on the customer, not resolved). Only active time inside online time counts, so a conversation left
assigned overnight does not make an absent operator busy. Definitions: omnidesk.domain.metrics (``online_hours``,
``handled_per_hour``, ``occupancy``, ``concurrent_mean``, ``concurrent_peak``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

Span = tuple[dt.datetime, dt.datetime]


@dataclass(frozen=True, slots=True)
class Load:
    online_seconds: float = 0.0
    busy_seconds: float = 0.0  # online with at least one active conversation
    active_seconds: float = 0.0  # the sum over conversations of their active time while online
    peak: int = 0  # the most conversations active at once while online
    handled: int = 0  # conversations the operator replied in

    def __add__(self, other: Load) -> Load:
        return Load(
            self.online_seconds + other.online_seconds,
            self.busy_seconds + other.busy_seconds,
            self.active_seconds + other.active_seconds,
            max(self.peak, other.peak),
            self.handled + other.handled,
        )


def spans(
    initial: bool, changes: Iterable[tuple[dt.datetime, bool]], start: dt.datetime, end: dt.datetime
) -> list[Span]:
    """The spans inside [start, end) where a condition holds, from its value at ``start`` and its later changes
    (time-ordered; changes outside the period only move the state)."""
    out: list[Span] = []
    since = start if initial else None
    for at, value in changes:
        at = min(max(at, start), end)
        if value and since is None:
            since = at
        elif not value and since is not None:
            if at > since:
                out.append((since, at))
            since = None
    if since is not None and end > since:
        out.append((since, end))
    return out


def _clip(span: Span, online: Sequence[Span]) -> list[Span]:
    low, high = span
    return [(max(low, a), min(high, b)) for a, b in online if min(high, b) > max(low, a)]


def operator_load(online: Sequence[Span], active: Iterable[Sequence[Span]], handled: int = 0) -> Load:
    """One operator's load from their online spans and each conversation's active spans (all in one period)."""
    edges: list[tuple[dt.datetime, int]] = []
    active_seconds = 0.0
    for conversation in active:
        for span in conversation:
            for low, high in _clip(span, online):
                edges += [(low, 1), (high, -1)]
                active_seconds += (high - low).total_seconds()
    edges.sort(key=lambda e: (e[0], e[1]))  # an end before a start at one instant: back to back is not two at once
    busy, depth, peak, since = 0.0, 0, 0, None
    for at, step in edges:
        depth += step
        peak = max(peak, depth)
        if depth == 1 and step == 1:
            since = at
        elif depth == 0 and since is not None:
            busy += (at - since).total_seconds()
            since = None
    return Load(sum((b - a).total_seconds() for a, b in online), busy, active_seconds, peak, handled)


def figures(load: Load, capacity: int | None) -> dict[str, float | int | None]:
    """The reported figures of a load (one operator's, or a team's sum)."""
    online = load.online_seconds
    return {
        "online_hours": round(online / 3600, 3),
        "handled": load.handled,
        "handled_per_hour": round(load.handled * 3600 / online, 3) if online else None,
        "occupancy": round(load.busy_seconds / online, 4) if online else None,
        "concurrent_mean": round(load.active_seconds / online, 3) if online else None,
        "concurrent_peak": load.peak,
        "capacity": capacity,
    }
