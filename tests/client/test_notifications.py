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


@SQLITE_ONLY
async def test_sla_warnings_and_breaches_notify_whoever_must_act(api, tmp_path, memory_keyring):
    """The server's SLA timer events (a 4 s first-response promise, warned at half): the operator of the queue hears
    the warning and the breach of an unassigned conversation, with the promise and the customer named."""
    await api.user("olena")
    lead = await api.headers_for("lead", "supervisor")
    policy = {"name": "Fast", "channel_kind": "api", "first_response_seconds": 4, "warn_fraction": 0.5}
    assert (await api.client.post("/api/v1/sla/policies", json=policy, headers=lead)).status_code == 201
    channel_id, token = await api.channel("Site")
    client = await signed_in(tmp_path, api.url, "olena")
    notifier = client.window.notifier
    r = await api.inbound(channel_id, token, "sla-1", "+380501000009", "Картка заблокована", name="Ірина")
    conversation_id = r.json()["conversation_id"]
    await until(lambda: any(n.title == "SLA missed: Ірина" for n in notifier.shown), timeout=20, what="the breach")
    soon = next(n for n in notifier.shown if n.title == "SLA soon: Ірина")
    assert soon.conversation_id == conversation_id and soon.text.startswith("The first response is due in")
    missed = next(n for n in notifier.shown if n.title == "SLA missed: Ірина")
    assert missed.text == "The first response promise was not kept."
    await settle(client)


def test_sla_events_notify_the_holder_and_supervisors_not_colleagues(qapp):
    """Who hears what: a warning only the holder (or, unassigned, the queue); a breach the holder and every
    supervisor; a colleague's warning or breach is not an operator's business."""
    from datetime import UTC, timedelta

    from PySide6.QtGui import QIcon

    from omnidesk.client.notifications import Notifier
    from omnidesk.client.store import Store
    from omnidesk.protocol import Event, UserOut

    def event(kind: str, assignee: int | None) -> Event:
        conversation = {
            "id": 5,
            "channel": {"id": 1, "kind": "api", "name": "Site"},
            "customer": {"id": 3, "name": "Ірина"},
            "queue_id": 2,
            "status": "open",
            "created_at": datetime.now(UTC).isoformat(),
            "assignee_id": assignee,
            "last_message_at": datetime.now(UTC).isoformat(),
            "last_message_preview": "Картка",
            "unread_count": 1,
        }
        due = (datetime.now(UTC) + timedelta(minutes=10)).isoformat()
        payload = {"conversation_id": 5, "target": "resolution", "due_at": due, "conversation": conversation}
        return Event(id=1, type=kind, at=datetime.now(UTC), payload=payload)

    heard = {}
    for role, user_id in (("operator", 7), ("supervisor", 9)):
        store = Store()
        store.set_user(UserOut(id=user_id, username=role, display_name=role, role=role))
        notifier = Notifier(store, QIcon())
        notifier.sound = False
        for kind, assignee in (("sla.warning", 7), ("sla.warning", 8), ("sla.breached", 8), ("sla.breached", None)):
            notifier.on_event(event(kind, assignee))
        heard[role] = [n.title for n in notifier.shown]
        notifier.close()
    assert heard["operator"] == ["SLA soon: Ірина", "SLA missed: Ірина"]  # mine; the unassigned breach
    assert heard["supervisor"] == ["SLA missed: Ірина", "SLA missed: Ірина"]  # every breach, no one else's warning
