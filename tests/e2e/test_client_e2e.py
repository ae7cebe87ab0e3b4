"""End to end: the real desktop client against `omnidesk server` running as its own process.

The operator signs in through the dialog (remembered in the keyring), sees a customer's message arrive, answers
it, loses the server (kill -9) while typing the next answer, gets the server back and sees that answer sent
once, switches the language, closes the client and opens it again without a password. A second test starts the
client through `run()`, the function behind `omnidesk client`.
"""

from __future__ import annotations

import asyncio
import os

import keyring
import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from omnidesk.client.eventloop import ClientLoop
from omnidesk.client.main import run
from omnidesk.client.models.messages import MessageRole
from omnidesk.client.views.dialogs import SettingsDialog
from omnidesk.client.views.main_window import MainWindow
from tests.client.live import MemoryKeyring, open_client, until
from tests.helpers import LiveServer, sqlite_url

pytestmark = pytest.mark.slow

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture
def server(tmp_path):
    live = LiveServer(
        sqlite_url(tmp_path / "omnidesk.db"), log_dir=tmp_path, env={"OMNIDESK_OUTBOX_BASE_DELAY": "0.1"}
    ).prepare()
    live.start()
    yield live
    live.close()


@pytest.fixture
def keyring_in_memory():
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


def on_client_loop(qapp, scenario) -> None:
    loop = ClientLoop(qapp)
    asyncio.set_event_loop(loop)
    try:
        loop.run_until_complete(asyncio.wait_for(scenario(), 150))
    finally:
        pending = [task for task in asyncio.all_tasks(loop) if not task.done()]
        for task in pending:
            task.cancel()
        loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
        loop.close()
        asyncio.set_event_loop(None)


def history(window) -> list[tuple[str, str | None]]:
    model = window.messages
    rows = range(model.rowCount())
    return [(model.data(model.index(r, 0)), model.data(model.index(r, 0), MessageRole.DELIVERY)) for r in rows]


def send(window, text: str) -> None:
    composer = window.conversation_pane.composer
    composer.setFocus()
    QTest.keyClicks(composer, text)
    QTest.keyClick(composer, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)


def test_operator_works_the_inbox_through_a_server_crash(qapp, tmp_path, server, webhook_sink, keyring_in_memory):
    server.add_user("olena", "olena-password-1")
    channel_id, token = server.add_channel("Site", webhook_sink.url)
    home = tmp_path / "client"

    async def scenario() -> None:
        client = open_client(home)
        await client.start(server.url)
        login = client.login
        await until(lambda: login.isVisible(), what="the login dialog")
        login.username.setText("olena")
        login.password.setText("olena-password-1")
        login.remember.setChecked(True)
        login.sign_in.click()
        window = await until(lambda: client.window if client.window and client.window.isVisible() else None)
        await until(lambda: client.workspace.store.link_state == "online", what="online")

        server.inbound(channel_id, token, "m-1", "+380671234567", "Where is my order 4821?", name="Andrii")
        await until(lambda: window.inbox.rowCount() == 1, what="the customer's message")
        window.next_action.trigger()  # keyboard: Ctrl+Down opens the first conversation
        await until(lambda: len(history(window)) == 1, what="the conversation")
        send(window, "It ships today.")
        await until(lambda: history(window)[-1] == ("It ships today.", "sent"), what="the first reply sent")

        server.kill()
        await until(lambda: window.link.state != "online", what="the link to drop")
        send(window, "Tracking number follows.")
        await until(lambda: history(window)[-1] == ("Tracking number follows.", "waiting"), what="waiting reply")
        server.start()
        await until(lambda: history(window)[-1] == ("Tracking number follows.", "sent"), timeout=60, what="sent")
        server.inbound(channel_id, token, "m-2", "+380671234567", "Thank you!", name="Andrii")
        await until(lambda: len(history(window)) == 4, what="the customer's thanks")
        await asyncio.sleep(0.5)
        assert [text for text, _ in history(window)] == [
            "Where is my order 4821?",
            "It ships today.",
            "Tracking number follows.",
            "Thank you!",
        ]
        assert window.inbox.rowCount() == 1

        window.open_settings()
        settings = await until(lambda: window.findChild(SettingsDialog), what="the settings dialog")
        settings.language.setCurrentIndex(settings.language.findData("uk"))
        await until(lambda: window.conversation_pane.send.text() == "Надіс&лати", what="Ukrainian")
        settings.close()
        window.close()
        await asyncio.wait_for(client.wait(), 10)

        again = open_client(home, language=None)
        await again.start()  # the remembered session: no dialog, and still in Ukrainian
        window = await until(lambda: again.window if again.window and again.window.isVisible() else None)
        assert again.login is None
        assert window.conversation_pane.send.text() == "Надіс&лати"
        await until(lambda: window.inbox.rowCount() == 1, what="the inbox")
        window.inbox_pane.list.setCurrentIndex(window.inbox.index(0, 0))
        await until(lambda: len(history(window)) == 4, what="the history")
        assert [state for _, state in history(window)][1:3] == ["sent", "sent"]
        again.quit()
        await asyncio.wait_for(again.wait(), 10)

    on_client_loop(qapp, scenario)
    assert [hook["text"] for hook in webhook_sink.received] == ["It ships today.", "Tracking number follows."]


def test_run_signs_in_and_paints_the_inbox(qapp, tmp_path, server, keyring_in_memory):
    server.add_user("olena", "olena-password-1")
    channel_id, token = server.add_channel("Site")
    server.inbound(channel_id, token, "m-1", "ivan@example.org", "Доброго дня!", kind="email", name="Іван")
    seen: dict[str, object] = {}

    def look() -> None:
        windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]
        if windows and windows[0].inbox.rowCount() == 1:
            window = windows[0]
            seen["customer"] = window.inbox.index(0, 0).data()
            seen["menu"] = window.desk_menu.title()
            window.close()
        else:
            QTimer.singleShot(50, look)

    QTimer.singleShot(0, look)
    code = run(
        [], server_url=server.url, username="olena", password="olena-password-1", language="ru", home=tmp_path / "c"
    )
    assert code == 0
    assert seen == {"customer": "Іван", "menu": "&Рабочее место"}
