"""Reply windows: how long after the customer's last message a platform lets the business answer freely.

Meta (Messenger, Instagram): free replies for 24 hours after the customer's last message ("standard messaging"),
then for up to 7 days only with the HUMAN_AGENT tag (a human answering), then not at all until the customer writes.
WhatsApp has the 24-hour window and templates afterwards. The server (before sending) and the client (to show the
state and the time left) ask this one function.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass

STANDARD = dt.timedelta(hours=24)
HUMAN_AGENT = dt.timedelta(days=7)


class WindowState(enum.StrEnum):
    OPEN = "open"  # free replies
    HUMAN_AGENT = "human_agent"  # only a human's reply, tagged HUMAN_AGENT
    CLOSED = "closed"  # nothing until the customer writes again
    UNKNOWN = "unknown"  # the customer has not written yet (a conversation we started): the platform decides


@dataclass(frozen=True)
class Window:
    state: WindowState
    closes_at: dt.datetime | None  # when the current state ends (None when closed or unknown)


def reply_window(
    last_customer_message_at: dt.datetime | None,
    now: dt.datetime,
    standard: dt.timedelta = STANDARD,
    extended: dt.timedelta | None = HUMAN_AGENT,
) -> Window:
    """The window at ``now`` given when the customer last wrote (``extended`` None: no human-agent extension)."""
    if last_customer_message_at is None:
        return Window(WindowState.UNKNOWN, None)
    last = last_customer_message_at
    if last.tzinfo is None:
        last = last.replace(tzinfo=dt.UTC)
    if now < last + standard:
        return Window(WindowState.OPEN, last + standard)
    if extended is not None and now < last + extended:
        return Window(WindowState.HUMAN_AGENT, last + extended)
    return Window(WindowState.CLOSED, None)
