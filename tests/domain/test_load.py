"""Operator load arithmetic (omnidesk.domain.load) on spans with known answers."""

from __future__ import annotations

import datetime as dt

from omnidesk.domain import load

T = dt.datetime(2026, 11, 2, 9, tzinfo=dt.UTC)
M = dt.timedelta(minutes=1)


def test_spans_start_from_the_state_at_the_period_start_and_clip_to_it():
    changes = [(T - 60 * M, True), (T + 30 * M, False), (T + 40 * M, True)]
    assert load.spans(True, changes, T, T + 60 * M) == [(T, T + 30 * M), (T + 40 * M, T + 60 * M)]
    assert load.spans(False, [], T, T + 60 * M) == []
    assert load.spans(False, [(T + 90 * M, True)], T, T + 60 * M) == []


def test_back_to_back_conversations_are_never_two_at_once_and_offline_time_is_not_busy():
    online = [(T, T + 60 * M)]
    active = [[(T - 120 * M, T + 20 * M)], [(T + 20 * M, T + 50 * M)], [(T + 70 * M, T + 90 * M)]]
    got = load.operator_load(online, active, handled=3)
    assert (got.online_seconds, got.busy_seconds, got.active_seconds, got.peak) == (3600, 3000, 3000, 1)
    assert load.figures(got, 5) == {
        "online_hours": 1.0,
        "handled": 3,
        "handled_per_hour": 3.0,
        "occupancy": 0.8333,
        "concurrent_mean": 0.833,
        "concurrent_peak": 1,
        "capacity": 5,
    }
    assert load.figures(load.Load(), None)["occupancy"] is None
