"""Notifications (issue 16): a new conversation in my queues and a new message in a conversation I hold notify, with
a sound outside quiet hours; what I am reading does not; the unread count reaches the tray and the window icon; a click
opens the conversation."""

from __future__ import annotations

from datetime import datetime, time

import pytest

from omnidesk.client.notifications import QuietHours
from tests.client.live import settle, signed_in, until

SQLITE_ONLY = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


def test_quiet_hours_wrap_midnight():
    quiet = QuietHours.parse("22:00-08:00")
    assert quiet.contains(time(23, 30)) and quiet.contains(time(7, 59)) and not quiet.contains(time(8, 0))
    assert not QuietHours.parse("09:00-09:00").contains(time(9, 0))
    assert not QuietHours.parse("nonsense").contains(time(3, 0))
    assert QuietHours.parse("12:00-13:00").contains(time(12, 30))


@SQLITE_ONLY
async def test_new_work_notifies_quiet_hours_mute_it_and_a_click_opens_it(api, tmp_path, memory_keyring):
    await api.user("olena")
    channel_id, token = await api.channel("Site")
    client = await signed_in(tmp_path, api.url, "olena")
    window = client.window
    notifier = window.notifier
    notifier.clock = lambda: datetime(2026, 1, 5, 14, 0)

    r = await api.inbound(channel_id, token, "n-1", "+380501000001", "Де моє замовлення?", name="Оксана")
    conversation_id = r.json()["conversation_id"]
    await until(lambda: len(notifier.shown) == 1, what="the notification")
    notice = notifier.shown[0]
    assert (notice.conversation_id, notice.title, notice.text) == (conversation_id, "New conversation: Оксана",
                                                                  "Де моє замовлення?")  # fmt: skip
    assert notice.sound and notifier.sounds == 1
    await until(lambda: notifier.unread == 1, what="the unread count")

    notifier.clicked()  # the operator clicks the notification
    await until(lambda: window.open_conversation_id == conversation_id, what="the conversation open")
    window.take_action.trigger()
    await until(lambda: client.workspace.store.conversation(conversation_id).assignee_id is not None, what="taken")

    notifier.quiet = QuietHours.parse("13:00-15:00")
    window.open_conversation(None)  # the operator looks elsewhere
    await api.inbound(channel_id, token, "n-2", "+380501000001", "Алло?", name="Оксана")
    await until(lambda: len(notifier.shown) == 2, what="the message in my conversation")
    assert notifier.shown[1].title == "Оксана wrote" and not notifier.shown[1].sound  # quiet hours: no sound
    assert notifier.sounds == 1

    # Someone else's new conversation in a queue I see still notifies; messages in conversations I do not hold do not.
    await api.inbound(channel_id, token, "n-3", "+380501000002", "Hello", name="Jan")
    await until(lambda: len(notifier.shown) == 3, what="the second new conversation")
    await api.inbound(channel_id, token, "n-4", "+380501000002", "Anyone?", name="Jan")
    await until(lambda: window.inbox.rowCount() == 2 and window.inbox.conversation_at(0).last_message_preview
                == "Anyone?", what="Jan's second message")  # fmt: skip
    assert len(notifier.shown) == 3
    await settle(client)
