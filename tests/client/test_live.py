"""The real client against a real in-process server: live inbox, replies and their delivery state, a pulled
network cable (nothing missed, nothing doubled), the offline outbox across a restart, paging both ways."""

from __future__ import annotations

import asyncio
import json
import time

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from omnidesk.client.models.inbox import InboxRole
from omnidesk.client.models.messages import MessageRole
from omnidesk.client.outbox import Outbox
from tests.client.live import Cable, settle, signed_in, until

SQLITE_ONLY = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


def inbox_rows(window) -> list[dict]:
    model = window.inbox
    return [
        {
            "id": model.data(model.index(row, 0), InboxRole.ID),
            "name": model.data(model.index(row, 0), InboxRole.CUSTOMER),
            "preview": model.data(model.index(row, 0), InboxRole.PREVIEW),
            "unread": model.data(model.index(row, 0), InboxRole.UNREAD),
        }
        for row in range(model.rowCount())
    ]


def history(window) -> list[tuple[str, str | None, str]]:
    """(text, delivery state, key) of every row of the open conversation."""
    model = window.messages
    return [
        (
            model.data(model.index(row, 0)),
            model.data(model.index(row, 0), MessageRole.DELIVERY),
            model.data(model.index(row, 0), MessageRole.KEY),
        )
        for row in range(model.rowCount())
    ]


def open_row(window, row: int) -> None:
    window.inbox_pane.list.setCurrentIndex(window.inbox.index(row, 0))


def type_and_send(window, text: str) -> None:
    composer = window.conversation_pane.composer
    composer.setFocus()
    composer.insertPlainText(text)  # QTest.keyClicks types ASCII only
    QTest.keyClick(composer, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)


async def server_messages(api, headers, conversation_id: int) -> list[dict]:
    r = await api.client.get(f"/api/v1/conversations/{conversation_id}/messages?limit=500", headers=headers)
    assert r.status_code == 200, r.text
    return r.json()["items"]


async def test_a_message_posted_through_the_inbound_api_appears_in_the_inbox(
    api, tmp_path, memory_keyring, qtmodeltester
):
    await api.user("olena")
    channel_id, token = await api.channel("Mobile app")
    await api.inbound(channel_id, token, "old-1", "+380501110000", "Earlier question", name="Early Bird")
    client = await signed_in(tmp_path, api.url, "olena")
    window = client.window
    qtmodeltester.check(window.inbox)
    assert [row["name"] for row in inbox_rows(window)] == ["Early Bird"]

    posted = time.monotonic()
    r = await api.inbound(channel_id, token, "new-1", "+380509998877", "Доброго дня! Де моє замовлення?", name="Оксана")
    assert r.status_code == 201, r.text
    await until(lambda: len(inbox_rows(window)) == 2, what="the new conversation")
    took = time.monotonic() - posted
    rows = inbox_rows(window)
    assert rows[0]["name"] == "Оксана" and rows[0]["preview"] == "Доброго дня! Де моє замовлення?"
    assert rows[0]["unread"] == 1
    assert took < 5, f"the new conversation took {took:.2f} s to appear"

    # A second message of the same customer updates the row in place: no second row.
    await api.inbound(channel_id, token, "new-2", "+380509998877", "Номер 4821", name="Оксана")
    await until(lambda: inbox_rows(window)[0]["unread"] == 2, what="the unread count")
    assert [row["name"] for row in inbox_rows(window)] == ["Оксана", "Early Bird"]
    assert inbox_rows(window)[0]["preview"] == "Номер 4821"
    await settle(client)


async def test_a_reply_goes_out_and_its_state_turns_to_sent(api, tmp_path, memory_keyring, webhook_sink, qtmodeltester):
    await api.user("olena")
    channel_id, token = await api.channel("Site", webhook_url=webhook_sink.url)
    await api.inbound(channel_id, token, "q-1", "+380501112233", "Is the shop open on Sunday?", name="Emily Carter")
    client = await signed_in(tmp_path, api.url, "olena")
    window = client.window
    qtmodeltester.check(window.messages)
    open_row(window, 0)
    await until(lambda: len(history(window)) == 1, what="the history")
    assert window.conversation_pane.customer.text() == "Emily Carter"

    type_and_send(window, "Yes, from 10 to 16.")
    assert window.conversation_pane.composer.toPlainText() == ""
    await until(lambda: history(window)[-1][1] == "sent", what="the reply to be sent")
    assert [text for text, _, _ in history(window)] == ["Is the shop open on Sunday?", "Yes, from 10 to 16."]
    await until(lambda: len(webhook_sink.received) >= 1, what="the webhook")
    assert [hook["text"] for hook in webhook_sink.received] == ["Yes, from 10 to 16."]
    index = window.messages.index(1, 0)
    meta, _ = window.conversation_pane.bubbles._meta(index)
    assert meta.endswith("Sent")
    await asyncio.sleep(0.3)
    assert len(webhook_sink.received) == 1
    await settle(client)


@SQLITE_ONLY
async def test_a_stream_drop_and_resume_misses_nothing_and_shows_nothing_twice(api, tmp_path, memory_keyring):
    await api.user("olena")
    channel_id, token = await api.channel("Site")
    cable = await Cable(api.url).start()
    client = await signed_in(tmp_path, cable.url, "olena")
    window, store = client.window, client.workspace.store
    added: list[int] = []
    store.messageAdded.connect(lambda message: added.append(message.id))

    await api.inbound(channel_id, token, "a-1", "+380501000001", "A: first", name="Anna")
    await until(lambda: len(inbox_rows(window)) == 1, what="Anna's conversation")
    open_row(window, 0)
    await until(lambda: len(history(window)) == 1, what="Anna's history")

    cable.unplug()
    await until(lambda: window.link.state in ("reconnecting", "offline"), what="the link to drop")
    assert window.link.text().startswith(("Reconnecting", "Offline"))
    for number in (2, 3):
        await api.inbound(channel_id, token, f"a-{number}", "+380501000001", f"A: message {number}", name="Anna")
    await api.inbound(channel_id, token, "b-1", "+380501000002", "B: hello", name="Bohdan")
    await asyncio.sleep(0.5)
    assert len(inbox_rows(window)) == 1  # nothing can arrive through a pulled cable

    cable.plug()
    await until(lambda: window.link.state == "online", what="the link to come back")
    await until(lambda: len(inbox_rows(window)) == 2 and len(history(window)) == 3, what="the missed events")
    await asyncio.sleep(0.5)  # anything doubled would show up now
    rows = inbox_rows(window)
    assert [row["name"] for row in rows] == ["Bohdan", "Anna"]
    assert rows[1]["preview"] == "A: message 3"
    assert [text for text, _, _ in history(window)] == ["A: first", "A: message 2", "A: message 3"]
    keys = [key for _, _, key in history(window)]
    assert len(keys) == len(set(keys))
    assert len(added) == 4 and len(set(added)) == 4  # four messages, each applied once
    await settle(client)
    await cable.close()


@SQLITE_ONLY
async def test_a_reply_typed_offline_is_sent_once_after_reconnect(api, tmp_path, memory_keyring, webhook_sink):
    await api.user("olena")
    channel_id, token = await api.channel("Site", webhook_url=webhook_sink.url)
    await api.inbound(channel_id, token, "q-1", "+380501112233", "Чи можна змінити адресу?", name="Андрій")
    cable = await Cable(api.url).start()
    client = await signed_in(tmp_path, cable.url, "olena")
    window = client.window
    open_row(window, 0)
    await until(lambda: len(history(window)) == 1, what="the history")

    cable.unplug()
    await until(lambda: window.link.state != "online", what="the link to drop")
    type_and_send(window, "Так, напишіть нову адресу.")
    await until(lambda: len(history(window)) == 2, what="the waiting reply")
    assert history(window)[-1][1] == "waiting"
    assert window.conversation_pane.bubbles._meta(window.messages.index(1, 0))[0].endswith("Waiting for the server")
    on_disk = json.loads((tmp_path / "outbox.json").read_text(encoding="utf-8"))
    assert [reply["text"] for reply in on_disk["replies"]] == ["Так, напишіть нову адресу."]
    await asyncio.sleep(0.6)
    assert webhook_sink.received == []

    cable.plug()
    await until(lambda: history(window)[-1][1] == "sent", what="the reply to be sent")
    await until(lambda: len(webhook_sink.received) >= 1, what="the webhook")
    await asyncio.sleep(0.5)
    assert [hook["text"] for hook in webhook_sink.received] == ["Так, напишіть нову адресу."]
    assert len(history(window)) == 2
    assert json.loads((tmp_path / "outbox.json").read_text(encoding="utf-8"))["replies"] == []
    await settle(client)
    await cable.close()


@SQLITE_ONLY
async def test_a_reply_typed_offline_is_sent_once_after_the_client_restarts(
    api, tmp_path, memory_keyring, webhook_sink
):
    operator = await api.user("olena")
    headers = {"Authorization": f"Bearer {(await api.login('olena'))['access_token']}"}
    channel_id, token = await api.channel("Site", webhook_url=webhook_sink.url)
    ack = (await api.inbound(channel_id, token, "q-1", "+380501112233", "Where is my parcel?", name="Jan")).json()
    cable = await Cable(api.url).start()
    first = await signed_in(tmp_path, cable.url, "olena")
    open_row(first.window, 0)
    await until(lambda: len(history(first.window)) == 1, what="the history")
    cable.unplug()
    await until(lambda: first.window.link.state != "online", what="the link to drop")
    type_and_send(first.window, "It left the warehouse today.")
    await until(lambda: len(history(first.window)) == 2, what="the waiting reply")
    await settle(first)  # the operator closes the client while the network is still down

    # A reply sent earlier whose answer never came back: the server has it, the outbox still holds it.
    lost = Outbox(tmp_path / "outbox.json").add(
        server_url=cable.url, user_id=operator["id"], conversation_id=ack["conversation_id"], text="Lost answer"
    )
    r = await api.client.post(
        f"/api/v1/conversations/{ack['conversation_id']}/messages",
        json={"text": "Lost answer", "client_key": lost.client_key},
        headers=headers,
    )
    assert r.status_code in (200, 201), r.text

    cable.plug()
    second = await signed_in(tmp_path, cable.url, "olena")
    await until(lambda: len(Outbox(tmp_path / "outbox.json")) == 0, what="the outbox to empty")
    await until(lambda: len(webhook_sink.received) >= 2, what="the webhook")
    await asyncio.sleep(0.5)
    assert sorted(hook["text"] for hook in webhook_sink.received) == [
        "It left the warehouse today.",
        "Lost answer",
    ]
    texts = [m["text"] for m in await server_messages(api, headers, ack["conversation_id"])]
    assert sorted(texts) == ["It left the warehouse today.", "Lost answer", "Where is my parcel?"]
    open_row(second.window, 0)
    await until(lambda: len(history(second.window)) == 3, what="the history")
    await asyncio.sleep(0.2)
    assert len(history(second.window)) == 3
    await settle(second)
    await cable.close()


@SQLITE_ONLY
async def test_take_resolve_and_reopen_from_the_conversation(api, tmp_path, memory_keyring):
    await api.user("olena")
    headers = {"Authorization": f"Bearer {(await api.login('olena'))['access_token']}"}
    channel_id, token = await api.channel("Site")
    ack = (await api.inbound(channel_id, token, "q-1", "+380501112233", "Help", name="Ігор")).json()
    client = await signed_in(tmp_path, api.url, "olena")
    window, pane = client.window, client.window.conversation_pane
    open_row(window, 0)
    await until(lambda: pane.conversation is not None, what="the conversation")
    assert pane.take.isVisibleTo(window) and pane.resolve.isVisibleTo(window)

    window.take_action.trigger()
    await until(lambda: not pane.take.isVisibleTo(window), what="taken")
    conversation = (await api.client.get(f"/api/v1/conversations/{ack['conversation_id']}", headers=headers)).json()
    assert conversation["assignee_id"] is not None
    assert "Assigned to me" in pane.details.text()

    pane.resolve.click()
    await until(lambda: pane.reopen.isVisibleTo(window), what="resolved")
    await until(lambda: window.inbox.rowCount() == 0, what="the resolved row to leave the open inbox")
    assert window.open_conversation_id == ack["conversation_id"]  # the operator still sees it
    conversation = (await api.client.get(f"/api/v1/conversations/{ack['conversation_id']}", headers=headers)).json()
    assert conversation["status"] == "resolved"

    pane.reopen.click()
    await until(lambda: window.inbox.rowCount() == 1 and pane.resolve.isVisibleTo(window), what="reopened")
    window.mine_action.trigger()
    await until(lambda: not window.inbox.loading and window.inbox.rowCount() == 1, what="mine")
    window.unassigned_action.trigger()
    await until(lambda: not window.inbox.loading and window.inbox.rowCount() == 0, what="unassigned")
    await settle(client)


@SQLITE_ONLY
async def test_inbox_and_history_page_from_the_server_as_the_operator_scrolls(api, tmp_path, memory_keyring):
    await api.user("olena")
    channel_id, token = await api.channel("Site")
    for number in range(70):
        await api.inbound(channel_id, token, f"long-{number}", "+380500000001", f"Line {number}", name="Long Talk")
    for number in range(59):
        await api.inbound(channel_id, token, f"c-{number}", f"+38050100{number:04d}", "Hi", name=f"Customer {number}")
    client = await signed_in(tmp_path, api.url, "olena")
    window = client.window
    assert window.inbox.rowCount() == 50 and window.inbox.canFetchMore()
    window.inbox_pane.list.scrollToBottom()
    await until(lambda: window.inbox.rowCount() == 60, what="the next page of the inbox")
    assert len({row["id"] for row in inbox_rows(window)}) == 60

    open_row(window, window.inbox.rowCount() - 1)  # the oldest activity: the long conversation
    await until(lambda: len(history(window)) == 50, what="the newest page of the history")
    assert history(window)[-1][0] == "Line 69"
    bar = window.conversation_pane.history.verticalScrollBar()
    await until(lambda: bar.value() == bar.maximum() and bar.maximum() > 0, what="the history at its bottom")
    bar.setValue(0)
    await until(lambda: len(history(window)) == 70, what="older messages")
    assert [text for text, _, _ in history(window)] == [f"Line {n}" for n in range(70)]
    assert bar.value() > 0  # the rows the operator was reading stay in view
    await settle(client)
