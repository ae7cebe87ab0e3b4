"""Widgets on their own: the composer's keys, the shortcuts help, the login form, the link indicator, the
keyboard walk through the inbox, and failures of background work reaching the operator."""

from __future__ import annotations

import asyncio
import logging

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox

from omnidesk.client.credentials import KeyringStatus
from omnidesk.client.main import ClientApp
from omnidesk.client.models import InboxFilter
from omnidesk.client.views.composer import Composer
from omnidesk.client.views.dialogs import ShortcutsDialog
from omnidesk.client.views.login import LoginDialog
from omnidesk.client.views.status import LinkIndicator
from tests.client.client_factories import ConversationPages, conversation


def test_enter_adds_a_line_and_ctrl_enter_sends(qtbot):
    composer = Composer()
    qtbot.addWidget(composer)
    sent: list[str] = []
    composer.submitted.connect(sent.append)
    QTest.keyClicks(composer, "Hello")
    QTest.keyClick(composer, Qt.Key.Key_Return)
    QTest.keyClicks(composer, "second line")
    assert sent == [] and composer.toPlainText() == "Hello\nsecond line"
    QTest.keyClick(composer, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert sent == ["Hello\nsecond line"] and composer.toPlainText() == ""
    QTest.keyClicks(composer, "   ")
    QTest.keyClick(composer, Qt.Key.Key_Enter, Qt.KeyboardModifier.ControlModifier)
    assert sent == ["Hello\nsecond line"]  # blank replies are not sent


def test_login_asks_for_every_field_before_signing_in(qtbot):
    dialog = LoginDialog(KeyringStatus(usable=True, backend_name="Memory"))
    qtbot.addWidget(dialog)
    dialog.show()
    submitted: list[object] = []
    dialog.submitted.connect(submitted.append)
    dialog.fill("http://127.0.0.1:8765", "olena", True, "")
    dialog.sign_in.click()
    assert submitted == []
    assert dialog.error.text() == "Please fill in the server, the user name and the password."
    dialog.password.setText("secret")
    dialog.sign_in.click()
    assert len(submitted) == 1
    request = submitted[0]
    assert (request.server_url, request.username, request.password, request.remember) == (
        "http://127.0.0.1:8765",
        "olena",
        "secret",
        True,
    )
    assert "secret" not in repr(request)
    assert not dialog.sign_in.isEnabled() and dialog.sign_in.text() == "Signing in…"


def test_link_indicator_counts_down_to_the_next_attempt(qtbot):
    link = LinkIndicator()
    qtbot.addWidget(link)
    link.set_state("online")
    assert link.text() == "Online"
    link.set_state("reconnecting", 2.5)
    assert link.text() == "Reconnecting in 3 s"
    qtbot.waitUntil(lambda: link.text() == "Reconnecting in 2 s", timeout=3000)
    link.set_state("offline", 30)
    assert link.text() == "Offline, retrying in 30 s"
    link.set_state("offline")
    assert link.text() == "Offline"


def test_shortcuts_help_lists_every_action_with_its_keys(bare_window):
    bare_window.open_shortcuts()
    dialog = bare_window.findChild(ShortcutsDialog)
    table = dialog.table
    listed = {table.item(row, 0).text(): table.item(row, 1).text() for row in range(table.rowCount())}
    assert listed["Next conversation"].startswith("Ctrl+Down")
    assert listed["Previous conversation"].startswith("Ctrl+Up")
    assert listed["Write a reply"] == "Ctrl+L"
    assert listed["Send the reply"].startswith("Ctrl+Return")
    assert listed["Resolve the conversation"] == "Ctrl+Shift+R"
    assert listed["Keyboard shortcuts"] == "F1"
    assert set(listed) >= {"Take the conversation", "Reopen the conversation", "Show mine", "Settings"}
    dialog.close()


def test_keyboard_walks_through_the_inbox_and_opens_each_conversation(bare_window, drive):
    window = bare_window
    pages = ConversationPages([conversation(n) for n in range(1, 31)], page_size=20)

    async def source(chosen, cursor, limit=50):
        page = await pages(chosen, cursor, limit)
        window.workspace.store.note_conversations(page.items)  # as Workspace.inbox_page does
        return page

    window.inbox._source = source
    window.workspace.message_page = None  # opening only shows the header here; no history is loaded
    opened: list[int | None] = []
    window.messages.open = opened.append
    window.workspace.mark_read = lambda conversation_id: asyncio.sleep(0)
    window.inbox.set_filter(InboxFilter(statuses=()))
    drive(lambda: not window.inbox.loading)
    window.next_action.trigger()
    window.next_action.trigger()
    window.previous_action.trigger()
    window.next_action.trigger()
    assert opened == [30, 29, 30, 29]
    assert window.conversation_pane.customer.text() == "Customer 29"
    for _ in range(19):
        window.next_action.trigger()
    drive(lambda: not window.inbox.loading and window.inbox.rowCount() == 30)  # the next page came on the way
    assert opened[-1] == 11


def test_a_failure_in_background_work_is_shown_and_logged(qapp, qloop, tmp_path, memory_keyring, caplog):
    client = ClientApp(qapp, home=tmp_path, language="en")

    async def broken() -> None:
        raise RuntimeError("the disk is full")

    with caplog.at_level(logging.ERROR):
        task = client.tasks.spawn(broken(), name="broken")
        qloop.run_until_complete(asyncio.wait([task]))
        qloop.run_until_complete(asyncio.sleep(0.05))
    boxes = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()]
    assert len(boxes) == 1
    assert boxes[0].text() == "Unexpected error: RuntimeError('the disk is full')"
    assert "the disk is full" in boxes[0].detailedText()
    assert any("broken" in record.getMessage() for record in caplog.records)
    boxes[0].close()
    qloop.run_until_complete(asyncio.sleep(0.05))
    client.translations.remove()
