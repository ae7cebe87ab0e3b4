"""Work organisation in the real client against a real server: presence, Ctrl+N, note mode, "/" canned replies,
transfer, the live supervisor board with drag and drop, the routing rule editor. With OMNIDESK_SCREENSHOTS=<folder>
the board and the rule editor are saved in English, Ukrainian and Russian."""

from __future__ import annotations

import asyncio

import pytest
from PySide6.QtCore import Qt, QTime
from PySide6.QtTest import QTest
from sqlalchemy import select, update

from omnidesk.client.workorg.models import encode_ids
from omnidesk.server.admin.models import Channel
from tests.client.live import settle, shot, signed_in, until
from tests.server.customer_helpers import add_queue

SQLITE_ONLY = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


async def _presence(api, headers, name):
    listed = (await api.client.get("/api/v1/presence", headers=headers)).json()
    return next(p["status"] for p in listed if p["display_name"] == name)


async def _messages(api, headers, conversation_id):
    return (await api.client.get(f"/api/v1/conversations/{conversation_id}/messages", headers=headers)).json()["items"]


@SQLITE_ONLY
async def test_operator_goes_online_takes_next_with_ctrl_n_and_writes_a_note(api, tmp_path, memory_keyring):
    await api.user("olena")
    sup = await api.headers_for("sup", "supervisor")
    channel_id, token = await api.channel("Site")
    first = (await api.inbound(channel_id, token, "t-1", "+380501110001", "Перше", name="Ірина")).json()
    await api.inbound(channel_id, token, "t-2", "+380501110002", "Друге", name="Павло")
    client = await signed_in(tmp_path, api.url, "olena")
    window = client.window
    work = window.workorg
    await until(lambda: work.desk.my_status == "online", what="online after sign-in")
    assert await _presence(api, sup, "olena") == "online"
    work.presence.activated.emit(work.presence.findData("away"))
    await asyncio.sleep(0.3)
    assert await _presence(api, sup, "olena") == "away"

    QTest.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    await until(lambda: window.open_conversation_id == first["conversation_id"], what="the longest waiting one")
    conversation = (await api.client.get(f"/api/v1/conversations/{first['conversation_id']}", headers=sup)).json()
    assert conversation["assignee_name"] == "olena"

    work.note_toggle.setChecked(True)
    composer = window.conversation_pane.composer
    composer.setFocus()
    composer.insertPlainText("Перевірити ліміт, @sup")
    QTest.keyClick(composer, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)

    async def kinds():
        return [(m["kind"], m["text"]) for m in await _messages(api, sup, first["conversation_id"])]

    for _ in range(100):
        if len(await kinds()) == 2:
            break
        await asyncio.sleep(0.05)
    assert await kinds() == [("text", "Перше"), ("note", "Перевірити ліміт, @sup")]
    mentions = (await api.client.get("/api/v1/mentions", headers=sup)).json()
    assert [m["author_name"] for m in mentions] == ["olena"]
    await settle(client)
    # The supervisor's "Mentions" list opens the conversation.
    boss = await signed_in(tmp_path / "sup", api.url, "sup")
    dialog = boss.window.workorg.open_mentions()
    await until(lambda: dialog.list.count() == 1, what="the mention in the list")
    dialog._activated(dialog.list.item(0))
    await until(lambda: boss.window.open_conversation_id == first["conversation_id"], what="the conversation open")
    for _ in range(100):  # the mark-read request runs in the background
        if (await api.client.get("/api/v1/mentions?unread=true", headers=sup)).json() == []:
            break
        await asyncio.sleep(0.05)
    assert (await api.client.get("/api/v1/mentions?unread=true", headers=sup)).json() == []
    await settle(boss)


@SQLITE_ONLY
async def test_a_mentioned_colleague_outside_the_queue_clicks_the_notification_reads_along_and_writes_a_note(
    api, tmp_path, memory_keyring
):
    back_office = await add_queue(api, "Back office")
    await api.user("anna", queue_ids=[back_office])
    olena = await api.headers_for("olena")
    sup = await api.headers_for("sup", "supervisor")
    channel_id, token = await api.channel("Site")
    ack = (await api.inbound(channel_id, token, "r-1", "+380501110009", "Картку заблоковано", name="Ірина")).json()
    conversation_id = ack["conversation_id"]
    client = await signed_in(tmp_path, api.url, "anna")
    window = client.window
    assert window.inbox.row_of(conversation_id) < 0  # not her queue
    r = await api.client.post(
        f"/api/v1/conversations/{conversation_id}/messages",
        json={"text": "@anna це для бек-офісу?", "kind": "note"},
        headers=olena,
    )
    assert r.status_code == 201
    notifier = window.notifier
    await until(lambda: any(n.conversation_id == conversation_id for n in notifier.shown), what="the notification")
    notifier.clicked()  # what the desktop notification's click does
    await until(lambda: window.open_conversation_id == conversation_id, what="the conversation open")
    await until(lambda: window.messages.rowCount() == 2, what="its history")
    await until(lambda: window.conversation_pane.composer.isEnabled(), what="the composer")
    work = window.workorg
    # Not her queue: she reads along and writes notes; the note toggle is held on.
    await until(lambda: work.read_along, what="the conversation read along")
    assert work.note_toggle.isChecked() and not work.note_toggle.isEnabled()
    assert "notes only" in work.note_toggle.toolTip()
    pane = window.conversation_pane
    assert not pane.take.isVisible() and not pane.resolve.isVisible() and not window.take_action.isEnabled()
    # The customer's card is shown to read, not to edit or merge (the server would refuse both).
    card = window.customer_panel.card
    await until(lambda: card.customer is not None, what="the customer's card")
    assert window.customer_panel.read_only and not card.edit.isVisible() and not card.mergeable
    composer = window.conversation_pane.composer
    composer.setFocus()
    composer.insertPlainText("Так, передаю далі")
    QTest.keyClick(composer, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)

    async def kinds():
        return [(m["kind"], m["text"]) for m in await _messages(api, sup, conversation_id)]

    for _ in range(100):
        if len(await kinds()) == 3:
            break
        await asyncio.sleep(0.05)
    assert await kinds() == [
        ("text", "Картку заблоковано"),
        ("note", "@anna це для бек-офісу?"),
        ("note", "Так, передаю далі"),
    ]
    # The customer writes again: it reaches her open conversation live.
    await api.inbound(channel_id, token, "r-2", "+380501110009", "Коли розблокуєте?")
    await until(lambda: window.messages.rowCount() == 4, what="the customer's new message, live")
    assert window.inbox.row_of(conversation_id) < 0  # read along, not listed in her inbox
    assert work.note_toggle.isChecked() and not pane.take.isVisible()
    assert "note" in pane.composer.placeholderText()
    for code in ("en", "uk", "ru"):
        client.choose_language(code)
        await asyncio.sleep(0.1)
        assert work.note_toggle.isChecked() and not work.note_toggle.isEnabled()
        await shot(window, "mention_read_along", code)
    client.choose_language("en")
    # Opening a conversation of her own queue gives the toggle back.
    other_channel, other_token = await api.channel("Back office site", queue_id=back_office)
    own = (await api.inbound(other_channel, other_token, "r-3", "+380501110010", "Привіт")).json()
    await until(lambda: window.inbox.row_of(own["conversation_id"]) >= 0, what="her own queue's conversation")
    window.open_conversation(own["conversation_id"])
    assert work.note_toggle.isEnabled() and not work.note_toggle.isChecked()
    assert pane.take.isVisible() and window.take_action.isEnabled()
    await settle(client)


@SQLITE_ONLY
async def test_an_offer_shows_a_corner_notice_accepted_by_keyboard_and_declined_by_its_button(
    api, tmp_path, memory_keyring
):
    from omnidesk.client.workorg.offers import OfferToast
    from omnidesk.server.presence.models import AssignmentOffer

    queue = await add_queue(api, "Cards")
    await api.user("olena", queue_ids=[queue])
    sup = await api.headers_for("sup", "supervisor")
    r = await api.client.patch(
        f"/api/v1/queues/{queue}", json={"auto_assign": True, "offer_timeout_s": 60}, headers=sup
    )
    assert r.status_code == 200
    client = await signed_in(tmp_path, api.url, "olena")
    window = client.window
    toast: OfferToast = window.workorg.offers
    assert not toast.isVisible()
    await until(lambda: window.workorg.desk.my_status == "online", what="online after sign-in")
    channel_id, token = await api.channel("Cards site", queue_id=queue)
    first = (await api.inbound(channel_id, token, "of-1", "+380501110021", "Де моя картка?", name="Ірина")).json()
    await until(lambda: toast.isVisible() and toast.current is not None, what="the offer notice")
    assert toast.current.conversation_id == first["conversation_id"]
    assert "Ірина" in toast.title.text() and toast.preview.text() == "Де моя картка?"
    assert 0 < toast.seconds_left() <= 60
    composer = window.conversation_pane.composer
    composer.setFocus()
    assert not toast.hasFocus() and not toast.accept_button.hasFocus()  # non-modal: the composer keeps the keys
    assert toast.accept_button.focusPolicy() & Qt.FocusPolicy.TabFocus
    for code in ("en", "uk", "ru"):
        client.choose_language(code)
        await asyncio.sleep(0.1)
        await shot(window, "offer_toast", code)
    client.choose_language("en")
    await until(lambda: toast.accept_button.text() == "Accept", what="the notice back in English")
    QTest.keyClick(window, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    await until(lambda: window.open_conversation_id == first["conversation_id"], what="the accepted one open")
    assert not toast.isVisible()
    conversation = (await api.client.get(f"/api/v1/conversations/{first['conversation_id']}", headers=sup)).json()
    assert conversation["assignee_name"] == "olena"

    second = (await api.inbound(channel_id, token, "of-2", "+380501110022", "Кредит", name="Павло")).json()
    await until(lambda: toast.current is not None and toast.current.conversation_id == second["conversation_id"],
                what="the second offer")  # fmt: skip
    offer_id = toast.current.id
    toast.decline_button.click()
    assert not toast.isVisible()

    async def outcome():
        async with api.db.session() as session:
            return await session.scalar(select(AssignmentOffer.outcome).where(AssignmentOffer.id == offer_id))

    for _ in range(100):
        if await outcome() == "declined":
            break
        await asyncio.sleep(0.05)
    assert await outcome() == "declined"
    await asyncio.sleep(1.5)  # the assigner's next passes do not offer it to her again
    assert not toast.isVisible()
    conversation = (await api.client.get(f"/api/v1/conversations/{second['conversation_id']}", headers=sup)).json()
    assert conversation["assignee_id"] is None
    await settle(client)


@SQLITE_ONLY
async def test_slash_shortcut_offers_canned_replies_and_inserts_the_filled_text(api, tmp_path, memory_keyring):
    await api.user("olena")
    channel_id, token = await api.channel("Site")
    ack = (await api.inbound(channel_id, token, "c-1", "+380501110003", "Привіт", name="Оксана Петренко")).json()
    headers = {"Authorization": f"Bearer {(await api.login('olena'))['access_token']}"}
    for shortcut, body in (
        ("hello", "Добрий день, {customer.first_name}! Мене звати {operator.name}."),
        ("bye", "До побачення"),
    ):
        r = await api.client.post(
            "/api/v1/canned-replies",
            json={"shortcut": shortcut, "title": shortcut.title(), "language": "uk", "body": body},
            headers=headers,
        )
        assert r.status_code == 201
    client = await signed_in(tmp_path, api.url, "olena")
    window = client.window
    window.open_conversation(ack["conversation_id"])
    composer = window.conversation_pane.composer
    composer.setFocus()
    composer.insertPlainText("/he")
    picker = window.workorg.canned.picker
    await until(lambda: picker.isVisible() and picker.count() == 1, what="the picker filtered to /hello")
    assert picker.shortcuts == ["hello"]
    QTest.keyClick(composer, Qt.Key.Key_Return)
    await until(lambda: "Оксана" in composer.toPlainText(), what="the rendered reply")
    assert composer.toPlainText() == "Добрий день, Оксана! Мене звати olena."
    assert not picker.isVisible()
    await settle(client)


@SQLITE_ONLY
async def test_canned_replies_are_listed_filtered_edited_and_deleted_in_the_client(api, tmp_path, memory_keyring):
    """The manager (Work → Canned replies…): the operator's own and the shared replies, filtered by what is typed
    and by language; their own edited (PUT) and deleted (the confirmation defaults to Cancel); a shared one offered
    read-only; the "/" picker follows the changes."""
    olena = await api.headers_for("olena")
    sup = await api.headers_for("sup", "supervisor")
    for headers, shortcut, language, body, shared in (
        (olena, "hello", "uk", "Добрий день, {customer.first_name}!", False),
        (olena, "privet", "ru", "Добрый день!", False),
        (sup, "rules", "uk", "Правила обслуговування: bank.test/rules", True),
    ):
        r = await api.client.post(
            "/api/v1/canned-replies",
            json={
                "shortcut": shortcut,
                "title": shortcut.title(),
                "language": language,
                "body": body,
                "shared": shared,
            },
            headers=headers,
        )
        assert r.status_code == 201, r.text
    client = await signed_in(tmp_path, api.url, "olena")
    try:
        manager = client.window.workorg.open_canned_manager()
        await until(lambda: manager.list.count() == 3, what="the three replies")
        manager.filter.setText("обслуговування")  # found by its text
        assert [r.shortcut for r in manager.visible()] == ["rules"]
        manager.list.setCurrentRow(0)
        assert not manager.edit_button.isEnabled() and not manager.delete_button.isEnabled()
        assert manager.edit() is None  # shared: read-only for an operator
        manager.filter.clear()
        manager.language.setCurrentIndex(manager.language.findData("ru"))
        assert [r.shortcut for r in manager.visible()] == ["privet"]
        manager.language.setCurrentIndex(manager.language.findData(""))
        manager.filter.setText("/hel")
        manager.list.setCurrentRow(0)
        editor = manager.edit()
        assert editor.shortcut.text() == "hello" and editor.windowTitle() == "Edit canned reply"
        editor.body.setPlainText("Вітаємо, {customer.first_name}!")
        editor.save()
        await until(lambda: manager.loads >= 2, what="the list read again")
        listed = (await api.client.get("/api/v1/canned-replies", headers=olena)).json()
        hello = next(r for r in listed if r["shortcut"] == "hello")
        assert hello["body"] == "Вітаємо, {customer.first_name}!" and hello["owner_id"] is not None
        manager.filter.setText("privet")
        manager.list.setCurrentRow(0)
        box = manager.delete()
        assert box.defaultButton() is box.button(box.StandardButton.Cancel)
        box.button(box.StandardButton.Cancel).click()
        await asyncio.sleep(0.3)
        assert len((await api.client.get("/api/v1/canned-replies", headers=olena)).json()) == 3  # kept
        box = manager.delete()
        next(b for b in box.buttons() if box.buttonRole(b) == box.ButtonRole.DestructiveRole).click()
        await until(lambda: manager.loads >= 3, what="the list after the deletion")
        listed = (await api.client.get("/api/v1/canned-replies", headers=olena)).json()
        assert sorted(r["shortcut"] for r in listed) == ["hello", "rules"]
        assert client.window.workorg.canned.replies is None  # the picker reads them again when next needed
        manager.filter.clear()
        for code in ("en", "uk", "ru"):
            client.choose_language(code)
            await asyncio.sleep(0.2)
            assert manager.new_button.text() and manager.windowTitle() != ""
            await shot(manager, "canned_manager", code)
        client.choose_language("en")
        manager.close()
    finally:
        await settle(client)


@SQLITE_ONLY
async def test_transfer_dialog_moves_the_conversation_to_another_queue_with_a_note(api, tmp_path, memory_keyring):
    sales = await add_queue(api, "Sales")
    await api.user("olena")
    sup = await api.headers_for("sup", "supervisor")
    channel_id, token = await api.channel("Site")
    ack = (await api.inbound(channel_id, token, "x-1", "+380501110004", "Кредит")).json()
    client = await signed_in(tmp_path, api.url, "olena")
    window = client.window
    window.open_conversation(ack["conversation_id"])
    dialog = window.workorg.open_transfer()
    await until(lambda: dialog.queue.findData(sales) >= 0, what="queues in the dialog")
    dialog.to_queue.setChecked(True)
    dialog.queue.setCurrentIndex(dialog.queue.findData(sales))
    dialog.note.setPlainText("Хоче кредит")
    dialog.submit()
    await until(lambda: not dialog.isVisible(), what="the dialog to close")
    conversation = (await api.client.get(f"/api/v1/conversations/{ack['conversation_id']}", headers=sup)).json()
    assert conversation["queue_id"] == sales
    assert ("note", "Хоче кредит") in [
        (m["kind"], m["text"]) for m in await _messages(api, sup, ack["conversation_id"])
    ]
    await settle(client)


@SQLITE_ONLY
async def test_an_operator_opens_a_read_only_board_of_their_own_queues(api, tmp_path, memory_keyring):
    vip = await add_queue(api, "VIP support")
    await add_queue(api, "Sales")
    await api.user("olena", queue_ids=[vip])
    channel_id, token = await api.channel("VIP line", queue_id=vip)
    await api.inbound(channel_id, token, "ob-1", "+380501114001", "Питання", name="Ірина Коваль")
    client = await signed_in(tmp_path, api.url, "olena")
    try:
        workorg = client.window.workorg
        assert workorg.board_action.isVisible() and workorg.board_action.text() == "Queue board"
        board = workorg.open_board()
        await until(lambda: board.waiting_model.rowCount() == 1, what="the operator's board")
        assert list(board.tiles) == [vip] and board.windowTitle() == "Queue board"
        assert not board.waiting.dragEnabled() and not board.operators.acceptDrops()
        assert not board.assign.isVisible() and "Ctrl+N" in board.hint.text()
        board.close()
    finally:
        await settle(client)


@SQLITE_ONLY
async def test_board_is_live_from_events_and_a_drop_on_an_operator_assigns(
    api, tmp_path, memory_keyring, qtmodeltester
):
    vip = await add_queue(api, "VIP support")
    sup_headers = await api.headers_for("sup", "supervisor")
    op = await api.headers_for("olena", queue_ids=[vip])
    op_id = (await api.client.get("/api/v1/me", headers=op)).json()["id"]
    await api.client.put("/api/v1/presence", json={"status": "online"}, headers=op)
    channel_id, token = await api.channel("VIP line", queue_id=vip)
    ids = [
        (await api.inbound(channel_id, token, f"b-{i}", f"+38050111000{i}", f"Питання {i}", name=name)).json()[
            "conversation_id"
        ]
        for i, name in enumerate(("Ірина Коваль", "Павло Мельник"))
    ]
    client = await signed_in(tmp_path, api.url, "sup")
    board = client.window.workorg.open_board()
    board.resize(1180, 640)
    await until(lambda: board.waiting_model.rowCount() == 2, what="the board's first figures")
    qtmodeltester.check(board.waiting_model)
    qtmodeltester.check(board.operators_model)
    tile = board.tiles[vip]
    assert tile.waiting.text() == "2 waiting"

    # A new customer writes: the board hears it from the event stream (no reload, no polling).
    loads = []
    board.desk.boardLoaded.connect(lambda: loads.append(1))
    await api.inbound(channel_id, token, "b-9", "+380501119999", "Терміново!", name="Марія Шевченко")
    await until(lambda: board.waiting_model.rowCount() == 3, what="the new conversation on the board")
    assert tile.waiting.text() == "3 waiting" and loads == []

    # Drag the first waiting conversation onto Olena.
    row = next(r for r in range(board.operators_model.rowCount()) if board.operators_model.item(r).user_id == op_id)
    dropped = board.operators_model.dropMimeData(
        encode_ids([ids[0]]), Qt.DropAction.MoveAction, -1, -1, board.operators_model.index(row, 0)
    )
    assert dropped is False  # the server's event moves it, not the drop
    await until(lambda: board.waiting_model.rowCount() == 2, what="the assigned conversation to leave the list")
    await until(lambda: board.operators_model.item(row).load == 1, what="Olena's load")
    conversation = (await api.client.get(f"/api/v1/conversations/{ids[0]}", headers=op)).json()
    assert conversation["assignee_id"] == op_id

    # Push mode with offers: the two still waiting are offered to Olena. The board hears the offer events: the
    # tile counts them, each row says to whom and since when, Olena's row shows her pending offer.
    assert not tile.offered.isVisible()
    r = await api.client.patch(
        f"/api/v1/queues/{vip}", json={"auto_assign": True, "offer_timeout_s": 120}, headers=sup_headers
    )
    assert r.status_code == 200
    await until(lambda: tile.offered.text() == "2 offered", what="the offered count in the tile")
    assert tile.waiting.text() == "2 waiting" and tile.offered.isVisible() and loads == []
    offer_column = board.waiting_model.OFFER
    assert board.waiting_model.headerData(offer_column, Qt.Orientation.Horizontal) == "Offered to"
    for r in range(board.waiting_model.rowCount()):
        shown = board.waiting_model.data(board.waiting_model.index(r, offer_column))
        assert shown.startswith("olena, for 0:0"), shown
    olena_row = board.operators_model.data(board.operators_model.index(row, 0))
    assert "Offered: " in olena_row and "(VIP support, 0:0" in olena_row and "and 1 more" in olena_row, olena_row
    assert client.window.workorg.offers.current is None  # the supervisor hears them; the notice is Olena's alone
    qtmodeltester.check(board.waiting_model)
    for code in ("en", "uk", "ru"):
        client.choose_language(code)
        await asyncio.sleep(0.3)
        assert board.windowTitle() != "" and tile.title.text() == "VIP support"
        assert tile.offered.text() != ""
        await shot(board, "board", code)
    client.choose_language("uk")
    await until(lambda: tile.offered.text() == "2 запропоновано", what="the offered count in Ukrainian")
    client.choose_language("en")

    # Olena declines one: its offer leaves the row and the count, live.
    offers = (await api.client.get("/api/v1/offers", headers=op)).json()
    declined = offers[0]["conversation_id"]
    assert (await api.client.post(f"/api/v1/offers/{offers[0]['id']}/decline", headers=op)).status_code == 200
    await until(lambda: tile.offered.text() == "1 offered", what="the count after a decline")
    row_of = {board.waiting_model.item(r).conversation_id: r for r in range(board.waiting_model.rowCount())}
    assert board.waiting_model.data(board.waiting_model.index(row_of[declined], offer_column)) == ""
    assert "and 1 more" not in board.operators_model.data(board.operators_model.index(row, 0))
    assert loads == []
    board.close()
    await settle(client)


@SQLITE_ONLY
async def test_rule_editor_writes_the_vip_rule_shows_it_in_words_and_the_next_message_follows_it(
    api, tmp_path, memory_keyring
):
    vip = await add_queue(api, "VIP support")
    await api.user("sup", "supervisor")
    sup = await api.headers_for("sup2", "supervisor")
    always = {"tz": "Europe/Kyiv", "week": {str(d): [["00:00", "23:59:59"]] for d in range(7)}}
    assert (await api.client.patch(f"/api/v1/queues/{vip}", json={"calendar": always}, headers=sup)).status_code == 200
    channel_id, token = await api.channel("WhatsApp")
    async with api.db.session() as session:
        await session.execute(update(Channel).where(Channel.id == channel_id).values(kind="whatsapp"))
        await session.commit()
    known = (await api.inbound(channel_id, token, "v-0", "+380501112222", "Старе", name="Ірина")).json()
    await api.client.patch(f"/api/v1/customers/{known['customer_id']}", json={"segment": "VIP"}, headers=sup)
    await api.client.post(
        f"/api/v1/conversations/{known['conversation_id']}/status", json={"status": "resolved"}, headers=sup
    )

    client = await signed_in(tmp_path, api.url, "sup")
    editor = client.window.workorg.open_rules()
    editor.resize(1180, 680)
    await until(lambda: editor.queue.findData(vip) >= 0, what="queues in the editor")
    editor.edit(None)
    editor.name.setText("VIP WhatsApp")
    for condition in (
        {"field": "channel", "op": "eq", "value": "whatsapp"},
        {"field": "segment", "op": "eq", "value": "VIP"},
        {"field": "business_hours", "op": "is", "value": True, "calendar": vip},
    ):
        editor._condition_row(condition)
    editor.queue.setCurrentIndex(editor.queue.findData(vip))
    editor.priority.setCurrentIndex(editor.priority.findData(2))
    editor.max_wait.setValue(30)
    assert editor.words.text() == (
        "IF channel = whatsapp AND customer.segment = VIP AND time = business hours (VIP support) "
        "THEN queue = VIP support, priority = high, max wait = 30 s"
    )
    editor.submit()
    await until(lambda: editor.list.count() == 1, what="the saved rule in the list")
    rules = (await api.client.get("/api/v1/routing/rules", headers=sup)).json()
    assert rules[0]["conditions"][2] == {"field": "business_hours", "op": "is", "value": True, "calendar": vip}
    failures = []
    editor.desk.failed.connect(failures.append)
    editor.preview_box.text.setText("Добрий день")
    editor.preview_box.who.setCurrentIndex(editor.preview_box.who.findData("sample"))
    editor.preview_box.segment.setText("VIP")
    assert editor.preview_box.channel.currentData() is not None, "channels in the preview"
    editor.preview()
    try:
        await until(lambda: "VIP WhatsApp" in editor.preview_box.result.text() or failures, what="the preview's answer")
    except AssertionError:
        raise AssertionError(f"preview: {editor.preview_box.result.text()!r} {editor.rule_json()}") from None
    assert not failures, failures

    ack = (await api.inbound(channel_id, token, "v-1", "+380501112222", "Де моя картка?")).json()
    conversation = (await api.client.get(f"/api/v1/conversations/{ack['conversation_id']}", headers=sup)).json()
    assert (conversation["queue_id"], conversation["priority"]) == (vip, 2)

    editor.name.setText("")  # a rule without a name is refused before it is sent
    editor.submit()
    assert editor.error.text() != ""
    for code in ("en", "uk", "ru"):
        client.choose_language(code)
        await asyncio.sleep(0.3)
        editor.edit(editor.rules[0])
        await shot(editor, "rules", code)
    client.choose_language("en")
    editor.close()
    await settle(client)


@SQLITE_ONLY
async def test_two_operators_in_one_conversation_see_each_other_and_a_send_asks_first(api, tmp_path, memory_keyring):
    await api.user("olena")
    await api.user("pavlo")
    channel_id, token = await api.channel("Site")
    ack = (await api.inbound(channel_id, token, "k-1", "+380501110009", "Допоможіть")).json()
    one = await signed_in(tmp_path / "one", api.url, "olena")
    two = await signed_in(tmp_path / "two", api.url, "pavlo")
    for client in (one, two):
        client.window.open_conversation(ack["conversation_id"])
    composer = one.window.conversation_pane.composer
    composer.setFocus()
    composer.insertPlainText("Зараз перевірю")
    label = two.window.workorg.collision
    await until(lambda: "olena is typing a reply" in label.text(), what="Pavlo to see Olena typing")
    await until(lambda: "pavlo is viewing" in one.window.workorg.collision.text(), what="Olena to see Pavlo viewing")
    box = two.window.workorg._submitted("Я відповім") or two.window.workorg.confirmation
    await until(lambda: box.isVisible(), what="the confirmation")
    assert "olena" in box.text()
    box.button(box.StandardButton.No).click()
    assert two.window.conversation_pane.composer.toPlainText() == "Я відповім"  # kept, not sent
    # Olena turns her text into an internal note: that is not typing a reply (nor shown to a web chat visitor).
    one.window.workorg.note_toggle.setChecked(True)
    await until(lambda: "olena is viewing" in label.text(), timeout=15, what="Olena's note not taken for a reply")
    one.window.workorg.note_toggle.setChecked(False)
    two.window.workorg.note_toggle.setChecked(True)
    two.window.resize(1280, 800)
    for code in ("en", "uk", "ru"):
        two.choose_language(code)
        await asyncio.sleep(0.3)
        assert two.window.workorg.menu.title() and two.window.workorg.note_toggle.text()
        await shot(two.window, "workorg_desk", code)
    two.choose_language("en")
    await settle(one, two)


async def test_taking_a_conversation_a_colleague_holds_says_who_in_the_operators_language(
    api, tmp_path, memory_keyring
):
    """The server's 409 names the holder; the client said "The server did not accept this: 409: {...}" (an English
    dict). Now the status bar says who has it, in the interface's language."""
    from omnidesk.server.users.models import User

    olena = await api.headers_for("olena")
    await api.user("pavlo")
    async with api.db.session() as session:
        await session.execute(update(User).where(User.username == "olena").values(display_name="Олена Коваль"))
        await session.commit()
    channel_id, token = await api.channel("Site")
    ack = (await api.inbound(channel_id, token, "k-2", "+380501110019", "Допоможіть")).json()
    r = await api.client.post(f"/api/v1/conversations/{ack['conversation_id']}/assign", json={}, headers=olena)
    assert r.status_code == 200, r.text
    two = await signed_in(tmp_path / "two", api.url, "pavlo", language="uk")
    try:
        two.window.open_conversation(ack["conversation_id"])
        two.window.take()
        bar = two.window.statusBar()
        await until(lambda: "Олена Коваль" in bar.currentMessage(), what="who holds it")
        assert bar.currentMessage() == "Цією розмовою вже займається Олена Коваль.", bar.currentMessage()
        assert "409" not in bar.currentMessage() and "{" not in bar.currentMessage()
    finally:
        await settle(two)


@SQLITE_ONLY
async def test_queue_admin_creates_a_queue_with_hours_and_a_member_with_skills(api, tmp_path, memory_keyring):
    await api.user("sup", "supervisor")
    olena = await api.user("olena")
    sup = await api.headers_for("sup2", "supervisor")
    client = await signed_in(tmp_path, api.url, "sup")
    dialog = client.window.workorg.open_queues()
    await until(lambda: dialog.list.count() == 1 and dialog.user.count() >= 2, what="queues and colleagues")
    dialog.new_name.setText("Кредити")
    dialog._add_queue()
    await until(lambda: dialog.list.count() == 2 and dialog.current_queue().name == "Кредити", what="the new queue")
    dialog.push.setChecked(True)
    assert dialog.offer_cooldown.isEnabled() and dialog.offer_cooldown.value() == 600  # the default
    dialog.offer_cooldown.setValue(300)
    dialog.tz.setText("Europe/Kyiv")
    dialog.hours.open_days[5].setChecked(True)  # Saturday, shorter
    dialog.hours.opens[5].setTime(QTime(10, 0))
    dialog.hours.closes[5].setTime(QTime(15, 0))
    dialog.hours.open_days[6].setChecked(True)  # and Sunday
    dialog.holidays.setText("2026-12-25, 2027-01-01")
    dialog._save_queue()
    queue_id = dialog.current_queue().id
    await until(lambda: (dialog.current_queue().calendar or {}).get("holidays"), what="the saved calendar")
    dialog.user.setCurrentIndex(dialog.user.findData(olena["id"]))
    dialog.skills.setText("loans, cards")
    dialog.chat.setValue(3)
    dialog._save_member()
    await until(lambda: dialog.member_list.count() == 1, what="the member in the list")
    members = (await api.client.get(f"/api/v1/queues/{queue_id}/members", headers=sup)).json()
    assert members[0]["skills"] == ["cards", "loans"] and members[0]["capacity"]["chat"] == 3
    queue = next(q for q in (await api.client.get("/api/v1/queues", headers=sup)).json() if q["id"] == queue_id)
    week = queue["calendar"]["week"]
    assert queue["auto_assign"] is True and week["5"] == [["10:00", "15:00"]] and week["6"] == [["09:00", "18:00"]]
    assert queue["offer_cooldown_s"] == 300
    assert week["0"] == [["09:00", "18:00"]] and queue["calendar"]["holidays"] == ["2026-12-25", "2027-01-01"]
    # A lunch break set through the API, and a rename here: the untouched days keep their spans, the holidays stay.
    lunch = {**queue["calendar"], "week": {**week, "1": [["09:00", "13:00"], ["14:00", "18:00"]]}}
    r = await api.client.patch(f"/api/v1/queues/{queue_id}", json={"calendar": lunch}, headers=sup)
    assert r.status_code == 200, r.text
    dialog.reload(queue_id)
    await until(lambda: len((dialog.current_queue().calendar or {})["week"].get("1", [])) == 2, what="the lunch break")
    assert dialog.holidays.text() == "2026-12-25, 2027-01-01" and dialog.hours.opens[1].time() == QTime(9, 0)
    dialog.name.setText("Кредити та картки")
    dialog._save_queue()
    await until(lambda: dialog.current_queue() and dialog.current_queue().name == "Кредити та картки", what="rename")
    queue = next(q for q in (await api.client.get("/api/v1/queues", headers=sup)).json() if q["id"] == queue_id)
    assert queue["calendar"]["week"]["1"] == [["09:00", "13:00"], ["14:00", "18:00"]]
    assert queue["calendar"]["holidays"] == ["2026-12-25", "2027-01-01"]
    dialog.holidays.setText("2026-13-40")  # refused by the server, said in the dialog in words
    dialog._save_queue()
    await until(lambda: "2026-13-40" in dialog.error.text(), what="the refusal")
    assert "422" not in dialog.error.text()
    dialog.holidays.setText("2026-12-25, 2027-01-01")
    dialog.tz.setText("Mars/Base")
    dialog._save_queue()
    await until(lambda: "Mars/Base" in dialog.error.text(), what="the refusal")
    for code in ("en", "uk", "ru"):
        client.choose_language(code)
        await asyncio.sleep(0.3)
        assert dialog.windowTitle()
        await shot(dialog, "queues", code)
    client.choose_language("en")
    dialog.close()
    await settle(client)
