"""The pure rule of "take next" around push mode's offers, and the decline cooldown (domain/routing.py)."""

from __future__ import annotations

import datetime as dt

import pytest

from omnidesk.domain.routing import TakeTier, WaitingWork, choose_next, still_refused, take_tier

T0 = dt.datetime(2026, 12, 3, 9, 0, tzinfo=dt.UTC)
ANN, BEN = 1, 2


def _w(cid, priority=1, minutes=0, to=None):
    return WaitingWork(cid, priority, T0 + dt.timedelta(minutes=minutes), to)


@pytest.mark.parametrize(
    ("offered_to", "taker", "tier"),
    [(None, ANN, TakeTier.FREE), (ANN, ANN, TakeTier.FREE), (BEN, ANN, TakeTier.OFFERED_TO_ANOTHER)],
)
def test_a_conversation_is_held_only_for_the_colleague_it_is_offered_to(offered_to, taker, tier):
    assert take_tier(offered_to, taker) is tier


def test_take_next_skips_work_offered_to_a_colleague_while_anything_else_waits():
    waiting = [_w(1, priority=3, minutes=0, to=BEN), _w(2, priority=0, minutes=9)]
    assert choose_next(waiting, ANN).conversation_id == 2  # low and recent, but free
    assert choose_next(waiting, BEN).conversation_id == 1  # his own offer: the waiting order holds


def test_take_next_takes_work_offered_to_a_colleague_when_nothing_else_waits():
    waiting = [_w(1, priority=1, minutes=5, to=BEN), _w(2, priority=2, minutes=8, to=BEN), _w(3, minutes=1, to=BEN)]
    assert choose_next(waiting, ANN).conversation_id == 2  # then the usual order: priority, longest waiting
    assert choose_next([], ANN) is None


def test_within_the_free_tier_priority_then_waiting_time_then_id_decide():
    waiting = [_w(5, priority=2, minutes=3), _w(4, priority=2, minutes=3, to=ANN), _w(6, priority=2, minutes=1)]
    assert choose_next(waiting, ANN).conversation_id == 6
    assert choose_next(waiting[:2], ANN).conversation_id == 4


def test_a_refusal_holds_until_the_cooldown_has_passed():
    decided = T0
    assert still_refused(decided, 600, T0 + dt.timedelta(seconds=599))
    assert not still_refused(decided, 600, T0 + dt.timedelta(seconds=600))
    assert not still_refused(decided, 0, T0)  # no cooldown: offered again at once
