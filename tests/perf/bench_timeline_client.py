"""Benchmark: opening the timeline of a customer with 10,000 items in the desktop client.

Run on demand:

    QT_QPA_PLATFORM=offscreen /work/venv/bin/python tests/perf/bench_timeline_client.py [--items 10000] [--runs 5]

It starts `omnidesk server` as a real process on a fresh SQLite database, posts one message through the inbound
API (so the customer, the conversation and a real message exist), adds the rest of the customer's history with
bulk SQL (messages in and out, status changes, assignments), then runs the real client in this process (offscreen)
and prints, per run, the time from asking for the customer's card and timeline to the first paint of the timeline
list with its newest page (target < 200 ms), and the time of each older page while scrolling.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import httpx
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication

from tests.helpers import LiveServer, run_cli, sqlite_url

KINDS = ["message_in", "message_out", "status_changed", "assigned", "message_in"]


def seed(db_path: Path, customer_id: int, conversation_id: int, channel_id: int, message_id: int, items: int) -> None:
    """Add `items` timeline entries to the customer (messages reuse the real message: a page joins by key)."""
    now = datetime.now(UTC)
    rows = []
    for n in range(items - 1):
        kind = KINDS[n % len(KINDS)]
        at = (now - timedelta(minutes=items - n)).isoformat(sep=" ")
        payload = {} if kind.startswith("message") else {"from": "open", "to": "pending", "by": 1}
        rows.append(
            (customer_id, kind, at, conversation_id, channel_id, message_id if kind.startswith("message") else None,
             json.dumps(payload))
        )  # fmt: skip
    with sqlite3.connect(db_path) as conn:
        conn.executemany(
            "INSERT INTO timeline_items (customer_id, kind, at, conversation_id, channel_id, message_id, payload)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            rows,
        )


class FirstPaint(QObject):
    """Notes the moment the watched viewport is painted with rows in its model."""

    def __init__(self, model) -> None:
        super().__init__()
        self.model = model
        self.at: float | None = None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and self.at is None and self.model.rowCount() > 0:
            self.at = time.perf_counter()
        return False


async def until(condition, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("condition not met")
        await asyncio.sleep(0.001)


async def measure(server: LiveServer, customer_id: int, runs: int, home: Path) -> None:
    from omnidesk.client.credentials import SessionVault
    from omnidesk.client.main import ClientApp

    app = QApplication.instance()
    client = ClientApp(app, home=home, language="en", vault=SessionVault())
    await client.start(server.url, "bench", "bench-password-1")
    await until(lambda: client.window is not None and client.window.isVisible())
    window = client.window
    window.resize(1280, 800)
    panel = window.customer_panel
    opened = []
    for _ in range(runs):
        panel.show_customer(None)
        await asyncio.sleep(0.2)
        painted = FirstPaint(panel.timeline)
        panel.timeline_pane.list.viewport().installEventFilter(painted)
        start = time.perf_counter()
        panel.show_customer(customer_id)
        await until(lambda painted=painted: painted.at is not None)
        opened.append((painted.at - start) * 1000)
        panel.timeline_pane.list.viewport().removeEventFilter(painted)
    pages = []
    for _ in range(10):
        rows = panel.timeline.rowCount()
        start = time.perf_counter()
        panel.timeline_pane.list.scrollToBottom()
        panel.timeline.fetchMore()
        await until(lambda rows=rows: panel.timeline.rowCount() > rows)
        pages.append((time.perf_counter() - start) * 1000)
    print(f"open card + timeline to first paint (ms): {', '.join(f'{t:.0f}' for t in opened)}")
    print(f"  median {statistics.median(opened):.0f} ms, best {min(opened):.0f} ms (target < 200 ms)")
    print(f"older pages of 50 while scrolling (ms): median {statistics.median(pages):.0f}, worst {max(pages):.0f}")
    client.quit()
    await asyncio.wait_for(client.wait(), 10)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="omnidesk-bench-timeline-"))
    db_path = folder / "omnidesk.db"
    server = LiveServer(sqlite_url(db_path), log_dir=folder).prepare()
    run_cli("user", "add", "bench", "--role", "supervisor", "--password-stdin", database=server.database_url,
            stdin="bench-password-1\n")  # fmt: skip
    channel = json.loads(run_cli("channel", "add", "api", "Mobile app", "--json", database=server.database_url).stdout)
    server.start()
    try:
        ack = httpx.post(
            f"{server.url}/api/v1/channels/{channel['id']}/inbound",
            json={"external_id": "b-1", "sender": {"kind": "phone", "value": "+380501234567", "name": "Оксана"},
                  "text": "Добрий день! Де моя картка?"},
            headers={"Authorization": f"Bearer {channel['token']}"},
        ).json()  # fmt: skip
        started = time.perf_counter()
        seed(db_path, ack["customer_id"], ack["conversation_id"], channel["id"], ack["message_id"], args.items)
        print(f"seeded {args.items} timeline items in {time.perf_counter() - started:.1f} s")
        from omnidesk.client.eventloop import ClientLoop

        app = QApplication.instance() or QApplication([])
        loop = ClientLoop(app)
        asyncio.set_event_loop(loop)
        loop.run_until_complete(measure(server, ack["customer_id"], args.runs, folder / "home"))
    finally:
        server.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
