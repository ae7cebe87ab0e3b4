"""The operator's workspace after a day of use (issue 16): each defect found, tried as the operator would, against
the real in-process server. Every test here failed before its fix."""

from __future__ import annotations

import asyncio

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QComboBox, QDialog, QLabel, QMessageBox, QToolButton

from tests.client.live import Cable, events_settled, settle, signed_in, until
from tests.client.test_live import history, inbox_rows, open_row, server_messages, type_and_send

SQLITE_ONLY = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


async def _desk(api, names: list[str], *, role: str = "operator") -> tuple[dict, dict[str, int]]:
    await api.user("olena", role=role)
    headers = {"Authorization": f"Bearer {(await api.login('olena'))['access_token']}"}
    channel_id, token = await api.channel("Site")
    ids = {}
    for number, name in enumerate(names):
        r = await api.inbound(channel_id, token, f"m-{number}", f"+38050100000{number}", f"{name}: hello", name=name)
        assert r.status_code in (200, 201), r.text
        ids[name] = r.json()["conversation_id"]
    return headers, ids


def _open(window, conversation_id: int) -> None:
    open_row(window, window.inbox.row_of(conversation_id))


@SQLITE_ONLY
async def test_a_draft_stays_with_its_conversation_and_is_never_sent_to_another(api, tmp_path, memory_keyring):
    headers, ids = await _desk(api, ["Anna", "Bohdan"])
    client = await signed_in(tmp_path, api.url, "olena")
    window = client.window
    composer = window.conversation_pane.composer
    _open(window, ids["Anna"])
    await until(lambda: len(history(window)) == 1, what="Anna's history")
    composer.setFocus()
    composer.insertPlainText("Anna, your card is unblocked")

    _open(window, ids["Bohdan"])  # typed for Anna, then the operator looks at Bohdan
    await until(lambda: window.open_conversation_id == ids["Bohdan"], what="Bohdan open")
    await until(lambda: history(window) and history(window)[0][0] == "Bohdan: hello", what="Bohdan's history")
    assert composer.toPlainText() == ""
    QTest.keyClick(composer, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)  # nothing to send here
    type_and_send(window, "Bohdan, we check the terminal")
    await until(lambda: len(history(window)) == 2, what="Bohdan's reply")

    _open(window, ids["Anna"])
    await until(lambda: window.open_conversation_id == ids["Anna"], what="Anna open again")
    assert composer.toPlainText() == "Anna, your card is unblocked"
    bohdan: list[str] = []
    for _ in range(150):  # the reply leaves the client's outbox in the background: wait until the server has it
        bohdan = [m["text"] for m in await server_messages(api, headers, ids["Bohdan"])]
        if len(bohdan) == 2:
            break
        await asyncio.sleep(0.1)
    assert bohdan == ["Bohdan: hello", "Bohdan, we check the terminal"]
    await asyncio.sleep(0.3)  # and nothing else follows, to either of them
    anna = [m["text"] for m in await server_messages(api, headers, ids["Anna"])]
    assert anna == ["Anna: hello"]
    assert len(await server_messages(api, headers, ids["Bohdan"])) == 2
    await settle(client)  # closing the client keeps the draft

    again = await signed_in(tmp_path, api.url, "olena")
    _open(again.window, ids["Anna"])
    await until(lambda: again.window.open_conversation_id == ids["Anna"], what="Anna after a restart")
    assert again.window.conversation_pane.composer.toPlainText() == "Anna, your card is unblocked"
    _open(again.window, ids["Bohdan"])
    assert again.window.conversation_pane.composer.toPlainText() == ""  # sent: no draft left
    await settle(again)


@SQLITE_ONLY
async def test_logging_out_leaves_no_customer_on_screen_or_in_memory(api, tmp_path, memory_keyring):
    _, ids = await _desk(api, ["Оксана Мельник"], role="supervisor")
    client = await signed_in(tmp_path, api.url, "olena")
    window = client.window
    panel = window.customer_panel
    _open(window, ids["Оксана Мельник"])
    await until(lambda: panel.loads >= 1 and panel.card.name.text() == "Оксана Мельник", what="the card")
    await until(lambda: panel.timeline.rowCount() >= 1, what="the timeline")
    window.find_customer()
    window.conversation_pane.composer.insertPlainText("Добрий день")
    # The supervisor's other windows: the board (a top-level window of its own), the colleagues pop-up, the
    # reports, the history search, the rule editor; and a desktop notification of a new customer.
    board = window.workorg.open_board()
    await until(lambda: board.waiting_model.rowCount() >= 1, what="the board")
    window.workorg.colleagues.open_popup()
    window.features.open_reports()
    window.features.history_action.trigger()
    window.workorg.open_rules()
    notifier = window.notifier
    channel_id, token = await api.channel("Chat")
    await api.inbound(channel_id, token, "m-late", "+380509999999", "Петро: мій рахунок", name="Петро Коваль")
    await until(lambda: any("Петро" in notice.title for notice in notifier.shown), what="the notification")
    await until(lambda: notifier.unread >= 1, what="the unread count")

    window.sign_out_action.trigger()
    await until(lambda: client.login is not None and client.login.isVisible(), what="the login dialog")
    await events_settled()
    on_screen = [w for w in QApplication.topLevelWidgets() if w.isVisible()]
    assert on_screen == [client.login], [type(w).__name__ for w in on_screen]
    for text in _texts_in_windows():  # nothing on screen nor left in a hidden window or its models
        assert "Оксана" not in text and "Петро" not in text, text
    assert window.workorg.board is None and window.workorg.desk.board.waiting_list() == []
    window.workorg.desk.boardChanged.emit(set(), set())  # the closed board is gone, not left listening
    assert not window.workorg.desk.board_live and window.workorg.desk.presence == {}
    assert notifier.shown == [] and notifier.unread == 0
    opened: list[int] = []
    notifier.openRequested.connect(opened.append)
    notifier.clicked()  # a click on the last user's notification opens nothing
    assert opened == []
    if notifier.tray is not None:
        assert "Петро" not in notifier.tray.toolTip()
    assert panel.customer_id is None and panel.card.customer is None
    assert panel.timeline.rowCount() == 0 and window.messages.rowCount() == 0 and window.inbox.rowCount() == 0
    assert client.workspace.store.conversations == {} and window.customers.cards == {}
    assert window.conversation_pane.composer.toPlainText() == ""
    visible_dialogs = [w for w in QApplication.topLevelWidgets() if isinstance(w, QDialog) and w.isVisible()]
    assert visible_dialogs == [client.login]
    assert len(client.workspace.drafts) == 0  # the operator's drafts left with them

    # Signing in again: online again (the last session's "online" asked for is not taken as still in force), and a
    # new board of the new session's figures.
    from tests.client.test_session import login_through_dialog

    await login_through_dialog(client, "olena", "password-123")
    await until(lambda: client.window.isVisible(), what="the main window again")
    await until(lambda: window.workorg.desk.my_status == "online", what="online again")
    board = window.workorg.open_board()
    await until(lambda: board.waiting_model.rowCount() == 2, what="the new board")
    await settle(client)


def _texts_in_windows() -> list[str]:
    """Every label's text and every item view's rows in every window of the application (shown or hidden)."""
    from PySide6.QtWidgets import QAbstractItemView

    found: list[str] = []
    for top in QApplication.topLevelWidgets():
        for label in [top, *top.findChildren(QLabel)]:
            if isinstance(label, QLabel):
                found.append(label.text())
        for view in top.findChildren(QAbstractItemView):
            model = view.model()
            if model is None:
                continue
            for row in range(model.rowCount()):
                for column in range(model.columnCount()):
                    value = model.data(model.index(row, column))
                    if isinstance(value, str):
                        found.append(value)
    return found


@SQLITE_ONLY
async def test_ctrl_down_after_resolve_opens_the_next_conversation_and_skips_none(api, tmp_path, memory_keyring):
    _, ids = await _desk(api, ["Anna", "Bohdan", "Vira", "Halyna"])
    client = await signed_in(tmp_path, api.url, "olena")
    window = client.window
    assert [row["name"] for row in inbox_rows(window)] == ["Halyna", "Vira", "Bohdan", "Anna"]
    window.next_action.trigger()
    await until(lambda: window.open_conversation_id == ids["Halyna"], what="Halyna open")
    window.resolve_action.trigger()
    await until(lambda: window.inbox.rowCount() == 3, what="Halyna to leave the open inbox")
    await asyncio.sleep(0.05)
    view = window.inbox_pane.list
    assert not view.selectionModel().hasSelection()  # no highlight that is not the open conversation

    window.next_action.trigger()
    await until(lambda: window.open_conversation_id == ids["Vira"], what="Vira, who took Halyna's place")
    assert view.currentIndex().row() == window.inbox.row_of(ids["Vira"])
    window.take_action.trigger()  # taking keeps it in "All": the next one is below it
    await until(lambda: window.inbox.conversation_at(0).assignee_id is not None, what="taken")
    window.next_action.trigger()
    await until(lambda: window.open_conversation_id == ids["Bohdan"], what="Bohdan next")
    window.inbox_pane.choose_assignee("unassigned")
    await until(lambda: not window.inbox.loading and window.inbox.rowCount() == 2, what="the unassigned ones")
    _open(window, ids["Bohdan"])
    window.take_action.trigger()  # leaves "Unassigned"
    await until(lambda: window.inbox.rowCount() == 1, what="Bohdan taken")
    window.next_action.trigger()
    await until(lambda: window.open_conversation_id == ids["Anna"], what="Anna, not skipped")
    await settle(client)


@SQLITE_ONLY
async def test_offline_shows_a_banner_with_retry_and_refuses_resolve_in_words(api, tmp_path, memory_keyring):
    headers, ids = await _desk(api, ["Anna"])
    cable = await Cable(api.url).start()
    client = await signed_in(tmp_path, cable.url, "olena")
    window = client.window
    banner = window.offline_banner
    assert not banner.isVisible()
    _open(window, ids["Anna"])
    await until(lambda: len(history(window)) == 1, what="the history")

    cable.unplug()
    await until(lambda: banner.isVisible(), timeout=10, what="the offline banner")
    assert "No connection to the server" in banner.message.text() and banner.retry.text() == "Retry now"
    window.resolve_action.trigger()
    assert "not resolved" in banner.message.text()
    assert "not resolved" in window.statusBar().currentMessage()
    await asyncio.sleep(0.3)
    r = await api.client.get(f"/api/v1/conversations/{ids['Anna']}", headers=headers)
    assert r.json()["status"] == "open"  # refused in words, not half-done

    cable.plug()
    banner.retry.click()  # "Retry now" reconnects at once, without waiting for the backoff
    await until(lambda: window.link.state == "online", timeout=5, what="back online")
    assert not banner.isVisible()
    await settle(client)
    await cable.close()


@SQLITE_ONLY
async def test_offline_a_note_waits_and_take_pending_reopen_next_transfer_are_refused_in_words(
    api, tmp_path, memory_keyring
):
    """Defect 7: nothing the operator does offline is lost or half-done. A note waits in the outbox as a reply does
    and goes out when the server is back; Take, Pending, Reopen, Take next, Transfer and presence are refused in
    words, as Resolve is (the server's state does not change)."""
    from omnidesk.client.models.messages import WAITING, MessageRole

    headers, ids = await _desk(api, ["Anna", "Bohdan"])
    cable = await Cable(api.url).start()
    client = await signed_in(tmp_path, cable.url, "olena")
    window, workorg = client.window, client.window.workorg
    store, banner = client.workspace.store, window.offline_banner
    _open(window, ids["Bohdan"])
    window.resolve_action.trigger()
    await until(lambda: store.conversation(ids["Bohdan"]).status == "resolved", what="Bohdan resolved")
    _open(window, ids["Anna"])
    await until(lambda: len(history(window)) == 1, what="Anna's history")
    await until(lambda: workorg.desk.my_status == "online", what="online presence")
    dialog = workorg.open_transfer()  # opened while online; the link drops before OK
    await until(lambda: dialog.queue.count() >= 1, what="the transfer dialog's queues")

    cable.unplug()
    await until(lambda: banner.isVisible(), timeout=10, what="the offline banner")

    def refused(words: str) -> None:
        assert words in banner.message.text(), banner.message.text()
        assert words in window.statusBar().currentMessage(), window.statusBar().currentMessage()

    window.take_action.trigger()
    refused("the conversation was not taken")
    window.pending_action.trigger()
    refused("the conversation was not set to pending")
    workorg.take_next_action.trigger()
    refused("no conversation was taken")
    workorg.presence._chosen("away")
    refused("your presence was not changed")
    assert workorg.presence.currentData() == "online"
    dialog.to_queue.setChecked(True)
    dialog.note.setPlainText("Wants a loan")
    dialog.submit()
    refused("the conversation was not transferred")
    assert "not transferred" in dialog.explain.text() and dialog.isVisible()
    assert dialog.note.toPlainText() == "Wants a loan"  # kept for when the connection is back
    dialog.reject()
    window.statusBar().clearMessage()
    assert workorg.open_transfer() is None  # offline: no dialog, the words instead
    refused("the conversation was not transferred")

    workorg.note_toggle.setChecked(True)
    type_and_send(window, "Перевірити картку")  # an internal note, offline
    assert window.conversation_pane.composer.toPlainText() == ""
    model = window.messages
    await until(lambda: model.rowCount() == 2, what="the note in the history")
    last = model.index(1, 0)
    assert model.data(last) == "Перевірити картку"
    assert model.data(last, MessageRole.KIND) == "note" and model.data(last, MessageRole.DELIVERY) == WAITING
    assert len(client.workspace.outbox) == 1  # on disk: a crash or a restart keeps it too
    await asyncio.sleep(0.5)  # typing told colleagues "typing" (it failed): the status bar still says the last refusal
    refused("the conversation was not transferred")
    workorg.note_toggle.setChecked(False)

    window.open_conversation(ids["Bohdan"])
    await until(lambda: window.open_conversation_id == ids["Bohdan"], what="Bohdan open")
    await until(lambda: not window.messages.loading, what="Bohdan's history tried")  # it says it failed first
    await events_settled()
    window.reopen_action.trigger()
    refused("the conversation was not reopened")

    await asyncio.sleep(0.3)
    anna = (await api.client.get(f"/api/v1/conversations/{ids['Anna']}", headers=headers)).json()
    assert anna["status"] == "open" and anna["assignee_id"] is None
    bohdan = (await api.client.get(f"/api/v1/conversations/{ids['Bohdan']}", headers=headers)).json()
    assert bohdan["status"] == "resolved"
    assert [m["text"] for m in await server_messages(api, headers, ids["Anna"])] == ["Anna: hello"]

    cable.plug()
    banner.retry.click()
    await until(lambda: window.link.state == "online", timeout=5, what="back online")
    notes: list[dict] = []
    for _ in range(100):  # the note leaves the outbox once the link is back
        notes = [m for m in await server_messages(api, headers, ids["Anna"]) if m["kind"] == "note"]
        if notes:
            break
        await asyncio.sleep(0.1)
    assert [m["text"] for m in notes] == ["Перевірити картку"]
    await until(lambda: len(client.workspace.outbox) == 0, what="the outbox emptied")
    await settle(client)
    await cable.close()


@SQLITE_ONLY
async def test_the_first_down_in_the_search_selects_the_first_result(api, tmp_path, memory_keyring):
    await _desk(api, ["Тарас Мельник", "Тарас Шевченко"])
    client = await signed_in(tmp_path, api.url, "olena")
    dialog = client.window.find_customer()
    dialog.query.setText("Тарас")
    dialog.search_now()
    await until(lambda: dialog.results.rowCount() == 2, what="two results")
    QTest.keyClick(dialog.query, Qt.Key.Key_Down)
    assert dialog.list.hasFocus() or QApplication.focusWidget() is dialog.list or dialog.list.currentIndex().row() == 0
    assert dialog.list.selectionModel().isSelected(dialog.results.index(0, 0))
    QTest.keyClick(dialog.list, Qt.Key.Key_Down)
    assert dialog.list.selectionModel().isSelected(dialog.results.index(1, 0))
    dialog.reject()
    await settle(client)


def test_alt_down_is_left_to_the_focused_drop_down(bare_window):
    window = bare_window
    keys = [sequence.toString() for action in window.actions() for sequence in action.shortcuts()]
    assert "Alt+Down" not in keys and "Alt+Up" not in keys
    assert "Ctrl+Down" in keys


def test_remove_identity_is_no_tab_stop(bare_window):
    from omnidesk.client.views.customer_card import CustomerCard

    card = CustomerCard()
    button = card._remove_button("email", [])
    assert button.focusPolicy() == Qt.FocusPolicy.ClickFocus
    assert button.accessibleName()
    card.deleteLater()


def test_the_merge_dialog_proposes_the_richer_profile(qtbot):
    from datetime import UTC, datetime

    from omnidesk.client.views.merge_dialog import MergeDialog
    from omnidesk.protocol.customers import CustomerOut

    now = datetime(2026, 1, 1, tzinfo=UTC)
    short = CustomerOut(id=1, name="Тарас М.", conversations=2, created_at=now, updated_at=now)
    full = CustomerOut(id=2, name="Мельник Тарас Іванович", conversations=1, created_at=now, updated_at=now)
    for first, second in ((short, full), (full, short)):
        dialog = MergeDialog(first, second, [])
        qtbot.addWidget(dialog)
        assert dialog.survivor.id == 2


def test_enter_in_the_merge_dialog_cancels_it_and_merges_nothing(qtbot):
    """Issue 16: a destructive confirmation defaults to Cancel, as Undo merge does (default_to_cancel). Enter from
    wherever the focus is in the dialog (its start, a survivor choice, a value's drop-down) closes it without
    merging; only the Merge button merges."""
    from datetime import UTC, datetime

    from omnidesk.client.views.merge_dialog import MergeDialog
    from omnidesk.protocol.customers import CustomerOut

    now = datetime(2026, 1, 1, tzinfo=UTC)
    short = CustomerOut(id=1, name="Тарас М.", language="uk", conversations=2, created_at=now, updated_at=now)
    full = CustomerOut(id=2, name="Мельник Тарас Іванович", conversations=1, created_at=now, updated_at=now)
    merged: list[object] = []

    def opened() -> MergeDialog:
        dialog = MergeDialog(short, full, [])
        qtbot.addWidget(dialog)
        dialog.accepted.connect(lambda: merged.append(dialog.request()))
        dialog.show()
        qtbot.waitExposed(dialog)
        return dialog

    for where in ("dialog", "survivor", "field"):
        for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            dialog = opened()
            assert dialog.cancel_button.isDefault() and not dialog.merge_button.isDefault()
            target = {"dialog": dialog, "survivor": dialog.survivor_buttons[0], "field": dialog.choices["language"]}
            QTest.keyClick(target[where], key)
            assert not dialog.isVisible() and dialog.result() == QDialog.DialogCode.Rejected, (where, key)
    assert merged == []
    dialog = opened()
    dialog.merge_button.click()
    assert [request.survivor_id for request in merged] == [2]


def test_a_merge_item_no_longer_says_it_can_be_undone_after_the_undo():
    from datetime import UTC, datetime

    from omnidesk.client.views.timeline import describe_item
    from omnidesk.protocol.customers import TimelineItem

    item = TimelineItem.model_validate(
        {
            "id": 1,
            "customer_id": 3,
            "kind": "merged",
            "at": datetime(2026, 1, 1, tzinfo=UTC),
            "payload": {"merge_id": 5, "other_name": "Тарас М.", "by": None},
        }
    )
    assert describe_item(item)[1].endswith("can be undone")
    assert describe_item(item, undone={5})[1].endswith("undone")
    assert "can be undone" not in describe_item(item, undone={5})[1]
    served = item.model_copy(update={"payload": {**item.payload, "undone_at": "2026-01-02T00:00:00Z", "undone_by": 1}})
    assert "can be undone" not in describe_item(served)[1]  # undone elsewhere or before a restart: the server says so


NPS_TITLES = {"en": "Would recommend", "uk": "Порадив би", "ru": "Порекомендовал бы"}


@pytest.mark.parametrize(
    ("code", "title", "detail"),
    [
        ("en", "Transferred to the queue Sales", "from Olena · by Olena · Wants a loan"),
        ("uk", "Передано: черга Sales", "звідки: Olena · Olena · Wants a loan"),
        ("ru", "Передано: очередь Sales", "откуда: Olena · Olena · Wants a loan"),
    ],
)
def test_a_transfer_and_a_rating_read_as_such_in_the_timeline(qapp, code, title, detail):
    """Transfers (issue 11) and ratings (issue 14) were "Other event: transferred" / "csat_rated"; the Assignments
    filter now includes transfers."""
    from datetime import UTC, datetime

    from omnidesk.client.i18n import Translations
    from omnidesk.client.views.timeline import KIND_FILTERS, describe_item
    from omnidesk.protocol.customers import TimelineItem

    transfer = TimelineItem.model_validate(
        {
            "id": 1,
            "customer_id": 3,
            "kind": "transferred",
            "at": datetime(2026, 1, 1, tzinfo=UTC),
            "payload": {
                "from": {"queue_id": 1, "queue_name": "General", "user_id": 7},
                "to": {"queue_id": 2, "queue_name": "Sales", "user_id": None},
                "by": 7,
                "note": "Wants a loan",
            },
        }
    )
    rating = TimelineItem.model_validate(
        {
            "id": 2,
            "customer_id": 3,
            "kind": "csat_rated",
            "at": datetime(2026, 1, 1, tzinfo=UTC),
            "payload": {"score": 5, "comment": "Дякую", "operator_id": 7},
        }
    )
    nps = TimelineItem.model_validate(
        {
            "id": 3,
            "customer_id": 3,
            "kind": "nps_rated",
            "at": datetime(2026, 1, 1, tzinfo=UTC),
            "payload": {"nps": 9, "comment": "Раджу", "operator_id": 7},
        }
    )
    translations = Translations(qapp)
    translations.apply(code)
    try:
        users = {7: "Olena"}.__getitem__
        assert describe_item(transfer, users) == (title, detail)
        rated, comment = describe_item(rating, users)
        assert rated.count("5") == 2 and comment == "Дякую", rated  # "Rated 5 of 5", not "Other event: csat_rated"
        assert "csat_rated" not in rated
        recommend, said = describe_item(nps, users)  # the NPS answer (issue 14): "Would recommend: 9 of 10"
        assert "9" in recommend and "10" in recommend and said == "Раджу", recommend
        assert recommend.startswith(NPS_TITLES[code]) and "nps_rated" not in recommend
    finally:
        translations.remove()
    assert any("transferred" in kinds and "assigned" in kinds for kinds in KIND_FILTERS)


def test_a_combo_box_opens_with_alt_down_inside_the_window(bare_window, qtbot):
    window = bare_window
    window.show()
    combo: QComboBox = window.inbox_pane.status
    combo.setFocus()
    opened = window.open_conversation_id
    QTest.keyClick(combo, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert window.open_conversation_id == opened
    qtbot.waitUntil(lambda: combo.view().isVisible(), timeout=2000)
    combo.hidePopup()


def test_permissions_from_me_hide_or_disable_what_the_role_may_not_do(bare_window):
    window = bare_window
    store = window.workspace.store
    user = store.user
    assert not window.review_duplicates_action.isVisible()  # an operator by the role's defaults
    assert window.resolve_action.isEnabled() and window.take_action.isEnabled()

    store.set_user(user, frozenset({"conversation.reply", "duplicate.review"}))  # as GET /me listed them
    assert window.review_duplicates_action.isVisible()
    assert not window.resolve_action.isEnabled() and not window.conversation_pane.resolve.isEnabled()
    assert window.conversation_pane.resolve.toolTip() == "Your role may not change a conversation's status."
    assert not window.take_action.isEnabled()
    assert window.conversation_pane.take.toolTip() == "Your role may not take conversations."
    assert window.send_action.isEnabled()


def test_take_over_and_undo_merge_are_offered_only_as_the_server_would_allow(bare_window):
    """Item 14: an operator may take an unassigned conversation but not a colleague's (take_from_colleague), and may
    not undo a merge (unmerge_own / unmerge_any); each is disabled and says why, as domain.permissions decides."""
    from datetime import UTC, datetime

    from omnidesk.client.customers import why_not_unmerge
    from omnidesk.protocol.customers import TimelineItem
    from tests.client.client_factories import conversation

    window = bare_window
    pane = window.conversation_pane
    user = window.workspace.store.user  # olena, an operator (id 7), by the role's defaults
    window.workspace.store.put_conversation(conversation(1))
    window.workspace.store.put_conversation(conversation(2, assignee_id=9, assignee_name="Taras"))

    def show(number: int) -> None:
        pane.show_conversation(window.workspace.store.conversation(number), user)
        window._apply_permissions()

    show(1)
    assert pane.take.isEnabled() and window.take_action.isEnabled()
    show(2)
    assert not pane.take.isEnabled() and not window.take_action.isEnabled()
    assert pane.take.toolTip() == "A colleague holds this conversation, and your role may not take it over."
    window.workspace.store.set_user(user, frozenset({"conversation.take", "conversation.take_from_colleague"}))
    show(2)
    assert pane.take.isEnabled()

    merge = TimelineItem(
        id=1,
        customer_id=5,
        kind="merged",
        at=datetime.now(UTC),
        payload={"merge_id": 3, "other_name": "Тарас М.", "by": 7},
    )
    operator = frozenset({"conversation.reply"})
    assert why_not_unmerge(user, 7, operator) == "Your role may not undo merges."
    assert why_not_unmerge(user, 7, {"customer.unmerge_own"}) == ""  # their own merge
    assert (
        why_not_unmerge(user, 8, {"customer.unmerge_own"})
        == "A colleague made this merge: undoing it needs a supervisor."
    )
    assert why_not_unmerge(user, 8, {"customer.unmerge_any"}) == ""
    timeline = window.customer_panel.timeline_pane
    window.workspace.store.set_user(user, operator)
    assert timeline.why_not_unmerge(merge) == "Your role may not undo merges."
    requested = []
    timeline.unmergeRequested.connect(lambda *args: requested.append(args))
    timeline.merge_item = lambda: merge
    timeline._current_changed()
    assert not timeline.unmerge.isEnabled() and timeline.unmerge.toolTip() == "Your role may not undo merges."
    timeline.request_unmerge()
    assert requested == []  # never sent to be refused
    window.workspace.store.set_user(user, frozenset({"customer.unmerge_own"}))
    timeline._current_changed()
    assert timeline.unmerge.isEnabled()
    timeline.request_unmerge()
    assert requested == [(3, "Тарас М.")]


def test_take_next_transfer_rules_queues_and_new_customer_follow_the_permissions(bare_window):
    """Item 14: each action is offered by the permission the server checks for it, not by the role's name."""
    from omnidesk.client.views.customer_search import CustomerSearchDialog

    window = bare_window
    work = window.workorg
    store = window.workspace.store
    user = store.user
    assert work.take_next_action.isEnabled() and work.transfer_action.isEnabled()  # an operator's defaults
    assert not work.rules_action.isVisible() and not work.queues_action.isVisible()
    assert CustomerSearchDialog(window.customers, window).new_button.isEnabled()

    store.set_user(user, frozenset({"conversation.reply", "routing.manage"}))  # as GET /me listed them
    assert not work.take_next_action.isEnabled() and work.take_next_action.toolTip() == (
        "Your role may not take conversations."
    )
    assert not work.transfer_action.isEnabled()
    assert work.rules_action.isVisible() and not work.queues_action.isVisible()
    assert work.open_transfer() is None  # the colleagues' pop-up cannot open it either
    assert window.statusBar().currentMessage() == "Your role may not transfer conversations."
    search = CustomerSearchDialog(window.customers, window)
    assert not search.new_button.isEnabled()
    assert search.new_button.toolTip() == "Your role may not create customers."
    search.deleteLater()


def test_a_selected_row_is_highlighted_only_with_the_conversation_open(bare_window, drive):
    """The inbox keeps no highlight on a row that is not the open conversation (defect 3)."""
    from tests.client.client_factories import ConversationPages, conversation

    window = bare_window
    pages = ConversationPages([conversation(n) for n in range(1, 5)], page_size=20)

    async def source(chosen, cursor, limit=50):
        page = await pages(chosen, cursor, limit)
        window.workspace.store.note_conversations(page.items)
        return page

    window.inbox._source = source
    window.messages.open = lambda conversation_id: None
    window.workspace.mark_read = lambda conversation_id: asyncio.sleep(0)
    from omnidesk.client.models import InboxFilter

    window.inbox.set_filter(InboxFilter(statuses=()))
    drive(lambda: not window.inbox.loading)
    view = window.inbox_pane.list
    view.selectionModel().setCurrentIndex(window.inbox.index(0, 0), QItemSelectionModel.SelectionFlag.ClearAndSelect)
    assert window.open_conversation_id == 4
    resolved = conversation(4, status="resolved")
    window.inbox.set_filter(InboxFilter())  # open and pending
    drive(lambda: not window.inbox.loading)
    window.workspace.store.put_conversation(resolved)
    drive(asyncio.sleep(0.05))
    window.next_action.trigger()
    assert window.open_conversation_id == 3


def test_destructive_confirmations_default_to_cancel(bare_window, qtbot):
    """Enter on the removal confirmation cancels (defect 5)."""
    from datetime import UTC, datetime

    from omnidesk.protocol.customers import CustomerOut, IdentityOut

    panel = bare_window.customer_panel
    now = datetime(2026, 1, 1, tzinfo=UTC)
    panel.card.customer = CustomerOut(id=1, name="Ірина", created_at=now, updated_at=now)
    identity = IdentityOut.model_validate(
        {"id": 9, "kind": "email", "value": "i@example.com", "created_at": "2026-01-01T00:00:00Z"}
    )
    panel.confirm_remove_identity(identity)
    box: QMessageBox = panel.confirm
    assert box.buttonRole(box.defaultButton()) == QMessageBox.ButtonRole.RejectRole
    assert box.buttonRole(box.escapeButton()) == QMessageBox.ButtonRole.RejectRole
    box.close()


def test_no_remove_identity_buttons_without_the_permission(bare_window):
    from datetime import UTC, datetime

    from omnidesk.protocol.customers import CustomerOut

    panel = bare_window.customer_panel
    now = datetime(2026, 1, 1, tzinfo=UTC)
    card = CustomerOut.model_validate(
        {
            "id": 1,
            "name": "Ірина",
            "identities": [
                {
                    "kind": "email",
                    "items": [
                        {"id": 9, "kind": "email", "value": "i@example.com", "created_at": "2026-01-01T00:00:00Z"}
                    ],
                }
            ],
            "created_at": now,
            "updated_at": now,
        }
    )
    panel.customer_id = 1
    panel._card_changed(card)  # an operator: may edit, may not remove identities (domain defaults)
    assert panel.card.edit.isVisibleTo(panel) or panel.card.editable
    assert panel.card.findChild(QToolButton, "remove_identity_email") is None


@SQLITE_ONLY
async def test_a_session_the_server_ended_goes_to_the_login_dialog_with_the_reason(api, tmp_path, memory_keyring):
    _, ids = await _desk(api, ["Anna"])
    client = await signed_in(tmp_path, api.url, "olena")
    _open(client.window, ids["Anna"])
    await until(lambda: client.window.customer_panel.card.name.text() == "Anna", what="the card")
    client.workspace._session_ended("revoked")  # what the stream does on `event: stream.end`
    await until(lambda: client.login is not None and client.login.isVisible(), what="the login dialog")
    assert client.login.error.text() == "An administrator ended your session. Please sign in again."
    assert client.window.customer_panel.card.name.text() == ""
    await settle(client)


@SQLITE_ONLY
async def test_the_inbox_answers_who_to_answer_next(api, tmp_path, memory_keyring):
    from omnidesk.client.models.inbox import InboxRole

    _, ids = await _desk(api, ["Bohdan", "Anna"])  # Bohdan wrote first: he has waited longest
    client = await signed_in(tmp_path, api.url, "olena")
    window = client.window
    assert [row["name"] for row in inbox_rows(window)] == ["Anna", "Bohdan"]  # newest activity first
    window.waiting_order_action.trigger()
    await until(lambda: not window.inbox.loading and window.inbox.filter.order == "waiting", what="waiting order")
    assert [row["name"] for row in inbox_rows(window)] == ["Bohdan", "Anna"]
    first = window.inbox.index(0, 0)
    assert window.inbox.data(first, InboxRole.WAITING_SINCE) is not None
    assert window.inbox.data(first, InboxRole.HOLDER) == ""

    _open(window, ids["Bohdan"])
    window.take_action.trigger()
    await until(lambda: window.inbox.data(window.inbox.index(0, 0), InboxRole.HOLDER) == "olena", what="the holder")
    type_and_send(window, "Bohdan, the terminal works again")
    await until(lambda: [row["name"] for row in inbox_rows(window)] == ["Anna"], what="answered: no longer waiting")

    window.pending_action.trigger()  # Pending from the keyboard, on the open conversation
    headers = {"Authorization": f"Bearer {(await api.login('olena'))['access_token']}"}
    for _ in range(100):
        r = await api.client.get(f"/api/v1/conversations/{ids['Bohdan']}", headers=headers)
        if r.json()["status"] == "pending":
            break
        await asyncio.sleep(0.05)
    assert r.json()["status"] == "pending"
    await until(lambda: not window.conversation_pane.pending.isVisibleTo(window), what="the Pending button to go")
    await settle(client)


@SQLITE_ONLY
async def test_the_card_says_whose_it_is_and_lists_the_customers_conversations(api, tmp_path, memory_keyring):
    _, ids = await _desk(api, ["Anna", "Bohdan"])
    mail_id, mail_token = await api.channel("Mail")
    r = await api.inbound(mail_id, mail_token, "mail-1", "+380501000000", "Anna by mail", name="Anna")
    anna_mail = r.json()["conversation_id"]
    client = await signed_in(tmp_path, api.url, "olena")
    window, panel = client.window, client.window.customer_panel
    _open(window, ids["Anna"])
    await until(lambda: panel.loads >= 1 and panel.conversations.count() == 2, what="Anna's card and conversations")
    assert "the customer of the open conversation (Site)" in panel.context.text()
    assert not panel.back.isVisibleTo(panel)

    bohdan = client.workspace.store.conversation(ids["Bohdan"]).customer.id
    panel.show_customer(bohdan)  # e.g. chosen in the search
    await until(lambda: panel.card.customer is not None and panel.card.customer.name == "Bohdan", what="Bohdan")
    assert "NOT the customer of the open conversation (Anna, Site)" in panel.context.text()
    assert panel.back.isVisibleTo(panel) and panel.back.text() == "Show Anna"
    # The open conversation changes meanwhile (taken): the card stays on whom the operator chose (it went back to
    # Anna on any change of her conversation, e.g. a new message, and took the operator's place in the card away).
    window.take_action.trigger()
    await until(lambda: client.workspace.store.conversation(ids["Anna"]).assignee_id is not None, what="Anna's taken")
    await events_settled()
    assert panel.customer_id == bohdan and panel.card.customer.name == "Bohdan"
    panel.back.click()
    await until(lambda: panel.card.customer is not None and panel.card.customer.name == "Anna", what="back to Anna")
    await until(lambda: panel.conversations.count() == 2, what="Anna's conversations again")

    mail_row = next(row for row in range(2) if panel.conversations.item(row).text().startswith("Mail"))
    panel._conversation_activated(panel.conversations.item(mail_row))  # one action opens it
    await until(lambda: window.open_conversation_id == anna_mail, what="the mail conversation open")
    await settle(client)


def test_the_window_size_and_panes_are_kept_across_a_restart(qloop, qtbot, tmp_path, memory_keyring):
    from omnidesk.client.credentials import SessionVault
    from omnidesk.client.outbox import Outbox
    from omnidesk.client.preferences import ClientFolders, Preferences
    from omnidesk.client.tasks import TaskRegistry
    from omnidesk.client.views.main_window import MainWindow
    from omnidesk.client.workspace import Workspace

    def window() -> MainWindow:
        workspace = Workspace(vault=SessionVault(), outbox=Outbox(tmp_path / "o.json"), tasks=TaskRegistry(qloop))
        made = MainWindow(workspace)
        qtbot.addWidget(made)
        return made

    prefs = Preferences(ClientFolders.locate(tmp_path))
    first = window()
    first.resize(780, 560)  # within the offscreen screen (800x600): restoreGeometry keeps windows on screen
    first.splitter.setSizes([300, 140, 340])
    sizes = first.splitter.sizes()
    prefs.window_layout = first.saved_layout()

    second = window()
    second.restore_layout(*Preferences(ClientFolders.locate(tmp_path)).window_layout)
    assert (second.width(), second.height()) == (780, 560)
    assert second.splitter.sizes() == sizes


def test_timeline_says_who_an_offer_went_to_and_how_it_ended(qapp):
    from datetime import UTC, datetime

    from omnidesk.client.views.timeline import KIND_FILTERS, describe_item
    from omnidesk.protocol.customers import TimelineItem

    def item(payload):
        at = datetime(2026, 1, 1, tzinfo=UTC)
        return TimelineItem.model_validate({"id": 1, "customer_id": 3, "kind": "offer", "at": at, "payload": payload})

    users = {7: "Olena"}.__getitem__
    assert describe_item(item({"to": 7, "outcome": "offered", "timeout_s": 30}), users) == (
        "Offered to Olena",
        "30 s to accept",
    )
    assert describe_item(item({"to": 7, "outcome": "declined"}), users) == ("Declined by Olena", "")
    assert describe_item(item({"to": 7, "outcome": "expired"}), users) == ("Offer to Olena expired", "")
    assert any("offer" in kinds for kinds in KIND_FILTERS)  # shown with the assignments
