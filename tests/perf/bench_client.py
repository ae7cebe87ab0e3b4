"""Benchmark: the desktop client against a server holding 100,000 conversations.

Run on demand (needs PostgreSQL at OMNIDESK_TEST_PG or 127.0.0.1:5432):

    QT_QPA_PLATFORM=offscreen .venv/bin/python tests/perf/bench_client.py [--conversations 100000] [--messages 5000]

It seeds a fresh PostgreSQL database with bulk SQL (customers, channels, conversations with one message each,
and one conversation of N messages), starts `omnidesk server` as a real process, then runs the real client in
this process (offscreen) and prints:

1. login to painted inbox: from submitting the credentials to the first paint of the inbox list with its rows
   (target < 1 s), and the next pages while scrolling the inbox;
2. live traffic: from posting a message to the inbound API to its conversation at the top of the inbox;
3. opening the long conversation: from choosing it to the first paint of its newest messages (target < 300 ms),
   and then every older page as the operator scrolls to the very first message;
4. the client's resident memory (RSS) after all of that (target < 300 MB).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import asyncpg
import keyring
import psutil
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication

from omnidesk.client.eventloop import ClientLoop
from tests.client.live import MemoryKeyring, open_client, until
from tests.helpers import PG_ADMIN_URL, LiveServer, pg_create_database, pg_drop_database, unique_name

KINDS = ["telegram", "whatsapp", "viber", "vk", "meta", "email", "webchat", "webform", "phone", "api"]


async def seed(url: str, conversations: int, long_messages: int) -> int:
    """Bulk-insert the desk; returns the id of the long conversation."""
    conn = await asyncpg.connect(url.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        queue_id = await conn.fetchval("SELECT id FROM queues ORDER BY id LIMIT 1")
        async with conn.transaction():
            await conn.executemany(
                "INSERT INTO channels (kind, name, token_hash, queue_id, is_active, created_at)"
                " VALUES ($1, $2::text, md5($2::text), $3, true, now())",
                [(kind, f"{kind.title()} desk", queue_id) for kind in KINDS],
            )
            first_channel = await conn.fetchval("SELECT min(id) FROM channels")
            await conn.execute(
                "INSERT INTO customers (display_name, created_at, updated_at)"
                " SELECT 'Customer ' || g, now(), now() FROM generate_series(1, $1) g",
                conversations,
            )
            first_customer = await conn.fetchval("SELECT min(id) FROM customers")
            await conn.execute(
                "INSERT INTO conversations (customer_id, channel_id, queue_id, status, last_message_at,"
                " last_message_preview, last_message_direction, unread_count, created_at, updated_at)"
                " SELECT $1 + g - 1, $2 + g % 10, $3, 'open', now() - make_interval(secs => g * 7),"
                " 'Question number ' || g || ': where is my order?', 'in', g % 4, now(), now()"
                " FROM generate_series(1, $4) g",
                first_customer, first_channel, queue_id, conversations,
            )  # fmt: skip
            await conn.execute(
                "INSERT INTO messages (conversation_id, channel_id, external_id, direction, kind, text, sent_at,"
                " created_at) SELECT c.id, c.channel_id, 'seed-' || c.id, 'in', 'text', c.last_message_preview,"
                " c.last_message_at, c.last_message_at FROM conversations c"
            )
            long_id = await conn.fetchval("SELECT id FROM conversations ORDER BY last_message_at DESC, id DESC LIMIT 1")
            await conn.execute(
                "INSERT INTO messages (conversation_id, channel_id, external_id, direction, kind, author_id, text,"
                " sent_at, created_at, delivery_status)"
                " SELECT c.id, c.channel_id, CASE WHEN g % 2 = 1 THEN 'long-' || g END,"
                " CASE WHEN g % 2 = 1 THEN 'in' ELSE 'out' END, 'text', NULL,"
                " 'Message ' || g || ' of a long conversation. ' || repeat('Some words to wrap. ', 1 + g % 7),"
                " c.last_message_at - make_interval(secs => ($2 - g + 1) * 30),"
                " c.last_message_at - make_interval(secs => ($2 - g + 1) * 30),"
                " CASE WHEN g % 2 = 0 THEN 'sent' END"
                " FROM conversations c, generate_series(1, $2) g WHERE c.id = $1",
                long_id, long_messages,
            )  # fmt: skip
        await conn.execute("ANALYZE")
        return long_id
    finally:
        await conn.close()


class FirstPaint(QObject):
    """Notes when a widget is first painted while a condition holds."""

    def __init__(self, widget, condition) -> None:
        super().__init__()
        self.condition = condition
        self.at: float | None = None
        widget.installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:
        if event.type() == QEvent.Type.Paint and self.at is None and self.condition():
            self.at = time.perf_counter()
        return False


async def measure(server: LiveServer, long_id: int, long_messages: int, home: Path) -> dict[str, object]:
    figures: dict[str, object] = {}
    client = open_client(home)
    started = time.perf_counter()
    await client.start(server.url, "olena", "olena-password-1")
    window = client.window
    window.resize(1280, 800)
    inbox_view = window.inbox_pane.list
    painted = FirstPaint(inbox_view.viewport(), lambda: window.inbox.rowCount() > 0)
    await until(lambda: painted.at is not None, timeout=60, what="the painted inbox")
    figures["login → painted inbox"] = painted.at - started
    figures["inbox rows loaded"] = window.inbox.rowCount()

    pages = []
    for _ in range(10):
        rows = window.inbox.rowCount()
        began = time.perf_counter()
        inbox_view.scrollToBottom()
        await until(lambda rows=rows: window.inbox.rowCount() > rows and not window.inbox.loading, timeout=30)
        pages.append(time.perf_counter() - began)
    figures["next inbox page (median of 10)"] = statistics.median(pages)
    figures["inbox rows after scrolling"] = window.inbox.rowCount()

    channel_id, token = server.add_channel("Live traffic")
    latencies = []
    for number in range(10):
        began = time.perf_counter()
        ack = await asyncio.to_thread(
            server.inbound, channel_id, token, f"live-{number}", f"+38067000{number:04d}", f"Live {number}"
        )
        await until(lambda ack=ack: window.inbox.row_of(ack["conversation_id"]) == 0, timeout=30, what="live row")
        latencies.append(time.perf_counter() - began)
    figures["inbound message → top of the inbox (median of 10)"] = statistics.median(latencies)

    history = window.conversation_pane.history
    opened = FirstPaint(history.viewport(), lambda: window.messages.rowCount() > 0)
    began = time.perf_counter()
    window.open_conversation(long_id)
    await until(lambda: opened.at is not None, timeout=60, what="the painted conversation")
    figures[f"open a {long_messages}-message conversation → painted"] = opened.at - began
    figures["messages on the first page"] = window.messages.rowCount()

    bar = history.verticalScrollBar()
    began = time.perf_counter()
    older = 0
    while window.messages.rowCount() < long_messages + 0:
        rows = window.messages.rowCount()
        bar.setValue(0)
        await until(lambda rows=rows: window.messages.rowCount() > rows, timeout=60, what="older messages")
        older += 1
    figures[f"scroll up through all {long_messages} messages ({older} pages)"] = time.perf_counter() - began
    await asyncio.sleep(0.2)
    figures["client RSS (MB)"] = psutil.Process().memory_info().rss / 2**20
    client.quit()
    await client.wait()
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--conversations", type=int, default=100_000)
    parser.add_argument("--messages", type=int, default=5_000)
    args = parser.parse_args()

    name = unique_name("omnidesk_bench_client")
    url = pg_create_database(name)
    folder = Path(tempfile.mkdtemp(prefix="bench-client-"))
    server = LiveServer(url, log_dir=folder).prepare()
    try:
        began = time.perf_counter()
        long_id = asyncio.run(seed(url, args.conversations, args.messages))
        print(f"seeded {args.conversations:,} conversations + {args.messages:,} messages in "
              f"{time.perf_counter() - began:.1f} s (PostgreSQL {PG_ADMIN_URL.rsplit('/', 1)[0]})")  # fmt: skip
        server.start()
        server.add_user("olena", "olena-password-1")
        keyring.set_keyring(MemoryKeyring())
        app = QApplication.instance() or QApplication([])
        with asyncio.Runner(loop_factory=lambda: ClientLoop(app)) as runner:
            figures = runner.run(measure(server, long_id, args.messages, folder / "client"))
    finally:
        server.close()
        pg_drop_database(name)
    targets = {
        "login → painted inbox": 1.0,
        "inbound message → top of the inbox (median of 10)": 1.0,
        "client RSS (MB)": 300.0,
    }
    for label, value in figures.items():
        target = targets.get(label, 0.3 if label.startswith("open a") else None)
        if isinstance(value, float) and "MB" not in label:
            shown = f"{value * 1000:8.0f} ms"
            goal = f"(target < {target * 1000:.0f} ms)" if target else ""
        elif isinstance(value, float):
            shown, goal = f"{value:8.0f} MB", f"(target < {target:.0f} MB)"
        else:
            shown, goal = f"{value:8}", ""
        print(f"{label:<52} {shown} {goal}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
