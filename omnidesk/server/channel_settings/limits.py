"""Abuse limits of the public routes (web forms, the chat widget): a sliding-window counter per key, per process.

Each server process counts on its own, so N processes allow up to N times the limit: the limit is a brake on
floods from one address, not an exact quota (a reverse proxy's limit is the outer wall).
"""

from __future__ import annotations

import time
from collections import deque


class RateLimiter:
    def __init__(self, limit: int, window: float, *, max_keys: int = 100_000) -> None:
        self.limit = limit
        self.window = window
        self.max_keys = max_keys
        self._hits: dict[str, deque[float]] = {}

    def hit(self, key: str) -> float | None:
        """Count one request; None when allowed, else the seconds until the next one would be."""
        now = time.monotonic()
        hits = self._hits.get(key)
        if hits is None:
            if len(self._hits) >= self.max_keys:
                self._hits.clear()
            hits = self._hits[key] = deque()
        while hits and hits[0] <= now - self.window:
            hits.popleft()
        if len(hits) >= self.limit:
            return max(0.1, hits[0] + self.window - now)
        hits.append(now)
        return None


def origin_allowed(origin: str | None, allowed: list[str]) -> bool:
    """A browser's Origin against the channel's list (empty list: any origin; no Origin header: not a browser)."""
    if not allowed or origin is None:
        return True
    return origin.rstrip("/").lower() in {o.rstrip("/").lower() for o in allowed}
