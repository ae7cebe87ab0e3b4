"""Work organisation in the real client against a real server (PostgreSQL and SQLite): presence goes away after the
configured idle time and comes back on input; on the supervisor board a conversation dropped onto an operator or onto
a queue tile is reassigned on the server, and a selection is moved at once, with what was refused said in words; the
server's coded refusals (a 409, a 422) reach the operator as sentences of their language, not the server's English.
With OMNIDESK_SCREENSHOTS=<folder> the board after the moves (en, uk, ru) and the refused rule (uk) are saved."""

from __future__ import annotations

import asyncio
import os
import time

from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent, QMouseEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from omnidesk.client.api import ApiError
from omnidesk.client.preferences import ClientFolders, Preferences
from omnidesk.client.views.texts import describe_error
from tests.client.live import settle, shot, signed_in, until
from tests.server.customer_helpers import add_queue

SCREENSHOTS = os.environ.get("OMNIDESK_SCREENSHOTS")


async def _presence_of(api, headers, name):
    listed = (await api.client.get("/api/v1/presence", headers=headers)).json()
    return next(p["status"] for p in listed if p["display_name"] == name)


async def _server_says(api, headers, name, status, timeout=10.0):
    deadline = time.monotonic() + timeout
    while (seen := await _presence_of(api, headers, name)) != status:
        assert time.monotonic() < deadline, f"{name} is {seen} on the server, not {status}"
        await asyncio.sleep(0.05)


async def test_presence_goes_away_after_the_configured_idle_time_and_back_on_input(api, tmp_path, memory_keyring):
    await api.user("olena")
    sup = await api.headers_for("sup", "supervisor")
    Preferences(ClientFolders.locate(tmp_path)).away_after = 2.0  # client.ini: presence/away_after
    client = await signed_in(tmp_path, api.url, "olena")
    try:
        window, work = client.window, client.window.workorg
        assert work.presence.idle_after == 2.0 and work.presence.idle_timer.interval() == 500
        await until(lambda: work.desk.my_status == "online", what="online after sign-in")
        # Working (a key now and then, each within the idle time) keeps her online well past the idle time.
        for _ in range(8):
            QTest.keyClick(window, Qt.Key.Key_Shift)
            await asyncio.sleep(0.5)
            assert work.desk.my_status == "online", "away while typing"
        await _server_says(api, sup, "olena", "online")
        # Then she leaves the keyboard: away once the idle time has passed, not before; colleagues see it.
        await until(lambda: work.desk.my_status == "away", timeout=10, what="away when idle")
        assert work.presence.idle.seconds_idle() >= 2.0 - 0.05  # since her last key, not since anything else
        assert work.presence.currentData() == "away"
        await _server_says(api, sup, "olena", "away")
        # Back: the first input brings her online again (within a check of the timer).
        back = time.monotonic()
        viewport = window.inbox_pane.list.viewport()  # a mouse move is input too (sent, as QTest's would spin Qt)
        moved = QMouseEvent(
            QEvent.Type.MouseMove,
            QPointF(20, 20),
            viewport.mapToGlobal(QPointF(20, 20)),
            Qt.MouseButton.NoButton,
            Qt.MouseButton.NoButton,
            Qt.KeyboardModifier.NoModifier,
        )
        QApplication.sendEvent(viewport, moved)
        await until(lambda: work.desk.my_status == "online", timeout=5, what="online on input")
        assert time.monotonic() - back < 2.0
        await _server_says(api, sup, "olena", "online")
        # Away chosen by hand stays away through input: only the automatic away comes back by itself.
        work.presence.activated.emit(work.presence.findData("away"))
        await until(lambda: work.desk.my_status == "away", what="away by hand")
        for _ in range(4):
            QTest.keyClick(window, Qt.Key.Key_Shift)
            await asyncio.sleep(0.5)
        assert work.desk.my_status == "away"
        await _server_says(api, sup, "olena", "away")
    finally:
        await settle(client)


def _drop(widget: QWidget, at: QPoint, mime) -> tuple[bool, bool]:
    """A drag of ``mime`` entering ``widget``, moving to ``at`` and dropped there, as Qt delivers a real one: whether
    the widget took the drag over that place, and whether it accepted the drop itself."""
    actions = Qt.DropAction.MoveAction
    buttons, modifiers = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    enter = QDragEnterEvent(at, actions, mime, buttons, modifiers)
    QApplication.sendEvent(widget, enter)
    move = QDragMoveEvent(at, actions, mime, buttons, modifiers)
    move.setAccepted(enter.isAccepted())  # as Qt's drag manager does: a move starts from the enter's answer
    QApplication.sendEvent(widget, move)
    drop = QDropEvent(QPointF(at), actions, mime, buttons, modifiers)
    QApplication.sendEvent(widget, drop)
    return enter.isAccepted() and move.isAccepted(), drop.isAccepted()


async def _conversation(api, headers, conversation_id):
    return (await api.client.get(f"/api/v1/conversations/{conversation_id}", headers=headers)).json()


async def test_board_drops_onto_an_operator_and_a_queue_tile_and_moves_a_selection(api, tmp_path, memory_keyring):
    vip = await add_queue(api, "VIP support")
    sales = await add_queue(api, "Sales")
    sup = await api.headers_for("sup2", "supervisor")
    await api.user("sup", "supervisor")
    olena = await api.headers_for("olena", queue_ids=[vip, sales])
    olena_id = (await api.client.get("/api/v1/me", headers=olena)).json()["id"]
    await api.client.put("/api/v1/presence", json={"status": "online"}, headers=olena)
    channel_id, token = await api.channel("VIP line", queue_id=vip)
    names = ("Ірина Коваль", "Павло Мельник", "Марія Шевченко", "Олег Бондар", "Софія Ткач")
    ids = [
        (await api.inbound(channel_id, token, f"m-{i}", f"+38050222000{i}", f"Питання {i}", name=name)).json()[
            "conversation_id"
        ]
        for i, name in enumerate(names)
    ]
    client = await signed_in(tmp_path, api.url, "sup")
    try:
        board = client.window.workorg.open_board()
        board.resize(1180, 640)
        await until(lambda: board.waiting_model.rowCount() == 5, what="the board's first figures")
        await until(lambda: sales in board.tiles and vip in board.tiles, what="both queues' tiles")

        def row_of(conversation_id):
            return next(
                r
                for r in range(board.waiting_model.rowCount())
                if board.waiting_model.item(r).conversation_id == conversation_id
            )

        def dragged(*conversation_ids):
            """What the waiting list hands to a drag of these rows (its own MIME data)."""
            indexes = [board.waiting_model.index(row_of(c), 0) for c in conversation_ids]
            return board.waiting_model.mimeData(indexes)

        # 1. Onto Olena in the operators list: dropped on her row, as the view hit-tests it.
        operator_row = next(
            r for r in range(board.operators_model.rowCount()) if board.operators_model.item(r).user_id == olena_id
        )
        view = board.operators
        at = view.visualRect(board.operators_model.index(operator_row, 0)).center()
        # The list takes the drag over her row; it does not accept the drop as a move of rows (the server's event
        # moves the conversation, the waiting list must not delete it itself).
        assert _drop(view.viewport(), at, dragged(ids[0])) == (True, False)
        await until(
            lambda: (
                ids[0]
                not in [board.waiting_model.item(r).conversation_id for r in range(board.waiting_model.rowCount())]
            ),
            what="the assigned one to leave the waiting list",
        )
        assert (await _conversation(api, sup, ids[0]))["assignee_id"] == olena_id
        await until(lambda: board.operators_model.item(operator_row).load == 1, what="Olena's load on the board")
        await until(lambda: "Moved 1 conversation." == board.outcome.text(), what="the outcome of the drop")

        # 2. Onto the Sales tile: the conversation moves to that queue, still waiting there.
        tile = board.tiles[sales]
        assert _drop(tile, tile.rect().center(), dragged(ids[1])) == (True, True), "the queue tile refused the drop"
        await until(lambda: tile.waiting.text() == "1 waiting", what="the Sales tile counting it")
        moved = await _conversation(api, sup, ids[1])
        assert (moved["queue_id"], moved["assignee_id"]) == (sales, None)
        assert board.tiles[vip].waiting.text() == "3 waiting"
        # A drop of something else (not conversations) is refused by the tile and changes nothing.
        from PySide6.QtCore import QMimeData

        other = QMimeData()
        other.setText("hello")
        assert _drop(tile, tile.rect().center(), other) == (False, False)

        # 3. A selection of three (one of them already in Sales) moved to Sales with "Move selected".
        selection = board.waiting.selectionModel()
        for c in (ids[1], ids[2], ids[3]):
            selection.select(
                board.waiting_model.index(row_of(c), 0),
                selection.SelectionFlag.Select | selection.SelectionFlag.Rows,
            )
        assert sorted(board.selected_ids()) == sorted([ids[1], ids[2], ids[3]])
        board.target.setCurrentIndex(board.target_index(("queue", sales)))
        board.refresh()  # an event in between (here: a refresh as one causes) keeps the chosen target
        assert board.target.currentData() == ("queue", sales)
        QTest.mouseClick(board.assign, Qt.MouseButton.LeftButton)
        await until(lambda: tile.waiting.text() == "3 waiting", what="the selection arriving in Sales")
        for c in (ids[2], ids[3]):
            assert (await _conversation(api, sup, c))["queue_id"] == sales
        assert board.tiles[vip].waiting.text() == "1 waiting"
        await until(lambda: board.outcome.text().startswith("Moved 2 conversations."), what="the selection's outcome")
        assert board.outcome.text() == (
            "Moved 2 conversations. 1 not moved: "
            "The conversation is already there: with that colleague or in that queue."
        ), board.outcome.text()
        # The same in Ukrainian: the server's refusal in the operator's language, never its English.
        client.choose_language("uk")
        board.desk.reassign([ids[1]], queue_id=sales)
        await until(lambda: board.outcome.text().startswith("Переміщено 0"), what="the Ukrainian outcome")
        assert "already" not in board.outcome.text() and "Розмова вже там" in board.outcome.text(), board.outcome.text()
        if SCREENSHOTS:  # the board after the moves, the last refusal told in each language
            for code, start in (("en", "Moved 0"), ("uk", "Переміщено 0"), ("ru", "Перемещено 0")):
                client.choose_language(code)
                board.outcome.clear()
                board.desk.reassign([ids[1]], queue_id=sales)
                await until(lambda start=start: board.outcome.text().startswith(start), what=f"the outcome in {code}")
                await shot(board, "board_moves", code)
        client.choose_language("en")
        board.close()
    finally:
        await settle(client)


async def test_a_real_409_and_422_reach_the_operator_in_ukrainian(api, tmp_path, memory_keyring):
    """The transfer's 409 (already there) and the rule editor's 422 (a queue without business hours) are coded by
    the server; the client words them in Ukrainian (nothing of the server's English detail shows)."""
    support = await add_queue(api, "Підтримка")
    await api.user("sup", "supervisor", queue_ids=[support])
    channel_id, token = await api.channel("Site", queue_id=support)
    ack = (await api.inbound(channel_id, token, "u-1", "+380501119001", "Допоможіть")).json()
    client = await signed_in(tmp_path, api.url, "sup", language="uk")
    try:
        window = client.window
        window.open_conversation(ack["conversation_id"])
        dialog = window.workorg.open_transfer()
        await until(lambda: dialog.queue.findData(support) >= 0, what="queues in the dialog")
        dialog.to_queue.setChecked(True)
        dialog.queue.setCurrentIndex(dialog.queue.findData(support))  # where it already is
        dialog.submit()
        bar = window.statusBar()
        await until(lambda: "Розмова вже там" in bar.currentMessage(), what="the 409 in Ukrainian")
        assert bar.currentMessage() == "Розмова вже там: у цього колеги або в цій черзі.", bar.currentMessage()
        assert "409" not in bar.currentMessage() and "already" not in bar.currentMessage()
        dialog.reject()

        editor = window.workorg.open_rules()
        await until(lambda: editor.queue.findData(support) >= 0, what="queues in the editor")
        editor.edit(None)
        editor.name.setText("Робочі години")
        editor._condition_row({"field": "business_hours", "op": "is", "value": True, "calendar": support})
        editor.priority.setCurrentIndex(editor.priority.findData(2))
        editor.submit()
        await until(lambda: editor.error.text() != "", what="the 422 in the editor")
        assert editor.error.text() == (
            "Умова 1: у цієї черги немає робочих годин. Спершу задайте їх у «Черги та учасники»."
        ), editor.error.text()
        editor.resize(1180, 680)
        await shot(editor, "rules_refused", "uk")
        editor.close()
    finally:
        await settle(client)


def test_an_unknown_code_falls_back_to_the_servers_words(qapp):
    known = ApiError("409: x", status=409)
    known.code, known.params = "conversation.taken", {"holder_id": 3, "holder_name": "Olena"}
    assert describe_error(known) == "Olena is already handling this conversation."
    newer = ApiError("409: the queue is frozen", status=409)
    newer.code, newer.params = "queue.frozen", {}
    assert describe_error(newer) == "The server answered with an error: 409: the queue is frozen"
