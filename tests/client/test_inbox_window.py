"""The real client against a real in-process server, deep in a long inbox: the model holds a window of the list,
and letting go of pages (or reading them again above) does not move what the operator is looking at."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint

from omnidesk.client.models import inbox
from omnidesk.client.models.inbox import InboxRole
from tests.client.live import settle, signed_in, until

SQLITE_ONLY = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
SHOTS = os.environ.get("OMNIDESK_SCREENSHOTS")


def top_row_id(window) -> int | None:
    view = window.inbox_pane.list
    index = view.indexAt(QPoint(4, 4))
    return index.data(InboxRole.ID) if index.isValid() else None


def held(window) -> list[int]:
    model = window.inbox
    return [model.data(model.index(row, 0), InboxRole.ID) for row in range(model.rowCount())]


@SQLITE_ONLY
async def test_paging_deep_and_back_keeps_the_rows_in_sight(api, tmp_path, memory_keyring, monkeypatch):
    monkeypatch.setattr(inbox, "WINDOW", 400)
    await api.user("olena")
    channel_id, token = await api.channel("Site")
    total = 600
    for start in range(0, total, 60):
        await asyncio.gather(
            *(
                api.inbound(channel_id, token, f"c-{n}", f"+38050200{n:04d}", "Hi", name=f"Customer {n}")
                for n in range(start, min(total, start + 60))
            )
        )
    client = await signed_in(tmp_path, api.url, "olena")
    window = client.window
    window.resize(900, 700)
    view = window.inbox_pane.list
    bar = view.verticalScrollBar()
    await until(lambda: window.inbox.rowCount() == 50, what="the first page")
    newest = held(window)[0]

    seen: set[int] = set(held(window))
    shifted = 0
    while window.inbox.canFetchMore():
        before = held(window)
        view.scrollToBottom()
        looking_at = top_row_id(window)  # the page is asked for, not in yet
        await until(lambda before=before: not window.inbox.loading and held(window) != before, what="the next page")
        seen.update(held(window))
        if held(window)[0] != before[0]:
            shifted += 1  # pages at the top were let go
        assert top_row_id(window) == looking_at  # the operator still looks at the same rows
    assert len(seen) == total and window.inbox.rowCount() <= 400 and shifted > 0
    assert not window.inbox.at_start
    pane = window.inbox_pane
    assert pane.newest.isVisible() and pane.newest.text() == "↑ Back to the newest"
    assert pane.newest.geometry().top() < 40  # over the top of the list, nothing below it moved
    window.grab().save(str(tmp_path / "inbox_deep.png"))
    if SHOTS:
        window.grab().save(str(Path(SHOTS) / "inbox_deep_en.png"))

    # Back up to the top: each read above keeps the row at the top of the view in sight.
    reads = 0
    while not window.inbox.at_start:
        view.scrollToTop()
        first = top_row_id(window)
        await until(lambda: not window.inbox.loading, what="the page above")
        await until(lambda first=first: held(window).index(first) > 0, what="rows above")
        assert top_row_id(window) == first  # the operator still looks at the same conversation
        assert bar.value() > 0
        reads += 1
    assert held(window)[0] == newest and reads > 0
    assert window.inbox.rowCount() <= 400 and window.inbox.canFetchMore()
    assert len(set(held(window))) == window.inbox.rowCount()
    assert not pane.newest.isVisible()

    # Deep again, then one click back to the newest: the first page, read afresh.
    while window.inbox.at_start:
        before = held(window)
        view.scrollToBottom()
        await until(lambda before=before: not window.inbox.loading and held(window) != before, what="a page")
    assert pane.newest.isVisible()
    pane.newest.click()
    await until(lambda: not window.inbox.loading and window.inbox.at_start, what="back at the newest")
    assert held(window)[0] == newest and bar.value() == 0 and not pane.newest.isVisible()
    await settle(client)
