"""The routing rule editor's preview and history in the real client against a real server, on both databases: the
preview tries a message at a chosen moment, from a new, a made-up or a real customer, by the unsaved form or the
saved rules, and answers in words; the history shows who changed what, before and after. With
OMNIDESK_SCREENSHOTS=<folder> the editor and the history are saved in English, Ukrainian and Russian."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
from pathlib import Path

from PySide6.QtCore import QDateTime, QLocale

from omnidesk.client.workorg.rule_history import when
from omnidesk.client.workorg.rule_preview import EDITED, NEW, REAL, SAMPLE, SAVED
from tests.client.live import settle, signed_in, until
from tests.server.customer_helpers import add_queue

SCREENSHOTS = os.environ.get("OMNIDESK_SCREENSHOTS")
OFFICE = {"tz": "Europe/Kyiv", "week": {str(d): [["09:00", "18:00"]] for d in range(5)}}
SATURDAY_EVENING = dt.datetime(2026, 3, 7, 18, 0, tzinfo=dt.UTC)  # 20:00 in Kyiv
WEDNESDAY_MORNING = dt.datetime(2026, 3, 4, 9, 0, tzinfo=dt.UTC)  # 11:00 in Kyiv


async def _shot(widget, name: str, code: str) -> None:
    if SCREENSHOTS:
        await asyncio.sleep(0.2)
        Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)  # noqa: ASYNC240 - a test's one folder
        widget.grab().save(str(Path(SCREENSHOTS) / f"{name}_{code}.png"))


def _at(box, moment: dt.datetime) -> None:
    box.moment.setDateTime(QDateTime.fromSecsSinceEpoch(int(moment.timestamp())))


def _choose(combo, value) -> None:
    index = combo.findData(value)
    assert index >= 0, value
    combo.setCurrentIndex(index)


async def _answer(box, failures) -> str:
    box.result.clear()
    box.preview()
    await until(lambda: box.result.text() not in ("", "Checking…") or failures, what="the preview's answer")
    assert not failures, failures
    return box.result.text()


async def test_preview_tries_the_moment_the_customer_and_unsaved_edits_and_the_history_shows_before_and_after(
    api, tmp_path, memory_keyring
):
    general = await add_queue(api, "Front desk")
    vip = await add_queue(api, "VIP support")
    weekend = await add_queue(api, "Weekend")
    sup = await api.headers_for("sup2", "supervisor")
    await api.user("sup", "supervisor")
    assert (await api.client.patch(f"/api/v1/queues/{vip}", json={"calendar": OFFICE}, headers=sup)).is_success
    channel_id, token = await api.channel("Site", queue_id=general)
    known = (await api.inbound(channel_id, token, "p-0", "+380501113333", "Старе", name="Ірина Коваль")).json()
    profile = {"language": "uk", "tags": ["vip"], "attributes": {"plan": "gold"}}
    r = await api.client.patch(f"/api/v1/customers/{known['customer_id']}", json=profile, headers=sup)
    assert r.status_code == 200, r.text
    after_hours = {
        "name": "After hours",
        "conditions": [{"field": "business_hours", "op": "is", "value": False, "calendar": vip}],
        "actions": {"queue_id": weekend, "auto_reply": "We answer on Monday"},
    }
    ukrainian_vip = {
        "name": "Ukrainian VIP",
        "conditions": [
            {"field": "language", "op": "eq", "value": "uk"},
            {"field": "tag", "op": "has", "value": "vip"},
            {"field": "attribute", "key": "plan", "op": "eq", "value": "gold"},
        ],
        "actions": {"queue_id": vip, "priority": 2, "skill": "billing", "max_wait_s": 30},
    }
    for rule in (after_hours, ukrainian_vip):
        assert (await api.client.post("/api/v1/routing/rules", json=rule, headers=sup)).status_code == 201

    client = await signed_in(tmp_path, api.url, "sup")
    try:
        editor = client.window.workorg.open_rules()
        editor.resize(1240, 900)
        box = editor.preview_box
        await until(lambda: editor.list.count() == 2 and box.channel.count() == 1, what="rules and channels")
        failures = []
        editor.desk.failed.connect(failures.append)
        # The moment starts at now and is shown in the interface's locale.
        assert abs(box.moment.dateTime().toSecsSinceEpoch() - QDateTime.currentSecsSinceEpoch()) < 120
        assert box.moment.displayFormat() == QLocale().dateTimeFormat(QLocale.FormatType.ShortFormat)

        # Saturday evening: outside the office's hours, a new customer goes to the weekend queue with its auto-reply.
        _at(box, SATURDAY_EVENING)
        _choose(box.who, NEW)
        _choose(box.judge, SAVED)
        assert not box.segment.isEnabled() and not box.search.isEnabled()
        answer = await _answer(box, failures)
        assert answer.splitlines() == [
            "Rule “After hours” would take it.",
            "Queue: Weekend",
            "Priority: normal",
            "Required skill: none",
            "Maximum wait: none",
            "Auto-reply: “We answer on Monday”",
        ]
        # Wednesday morning, a new customer: no rule matches; the channel's default queue says which.
        _at(box, WEDNESDAY_MORNING)
        answer = await _answer(box, failures)
        assert answer.splitlines()[:2] == [
            "No rule matched: the channel's default queue Front desk.",
            "Queue: Front desk",
        ]

        # A known customer described here: Ukrainian, tagged vip, on the gold plan.
        _choose(box.who, SAMPLE)
        assert box.segment.isEnabled() and not box.other_language.isVisible()
        _choose(box.language, "uk")
        assert box.language.currentText() == "Ukrainian"
        box.tags.setText("vip, wholesale")
        box.attributes.setText("plan=gold")
        assert box.body()["sample"] == {
            "segment": None,
            "language": "uk",
            "tags": ["vip", "wholesale"],
            "attributes": {"plan": "gold"},
        }
        answer = await _answer(box, failures)
        assert answer.splitlines() == [
            "Rule “Ukrainian VIP” would take it.",
            "Queue: VIP support",
            "Priority: high",
            "Required skill: billing",
            "Maximum wait: 30 s",
            "Auto-reply: none",
        ]
        _choose(box.language, "other")
        assert box.other_language.isVisible()
        box.other_language.setText("de")
        assert box.body()["sample"]["language"] == "de"
        assert (await _answer(box, failures)).startswith("No rule matched")
        box.attributes.setText("plan gold")  # not name=value: the form says how, nothing is sent
        assert box.body() is None and "name=value" in box.result.text()

        # A real customer, found by the customer search: their stored profile decides.
        _choose(box.who, REAL)
        assert box.body() is None  # nobody picked yet
        box.search.setText("Коваль")
        box.find_customers()
        await until(lambda: box.customer.currentData() == known["customer_id"], what="the customer found")
        assert "Ірина Коваль" in box.customer.currentText()
        assert box.body()["customer_id"] == known["customer_id"] and "sample" not in box.body()
        assert (await _answer(box, failures)).startswith("Rule “Ukrainian VIP” would take it.")

        # Unsaved edits in the form: the preview judges by them, the saved rules stay as they were.
        editor.list.setCurrentRow(1)
        assert editor.name.text() == "Ukrainian VIP"
        _choose(editor.priority, 3)
        editor.skill.setText("sales")
        _choose(box.judge, EDITED)
        answer = await _answer(box, failures)
        assert "Priority: urgent" in answer.splitlines() and "Required skill: sales" in answer.splitlines()
        _choose(box.judge, SAVED)
        assert "Priority: high" in (await _answer(box, failures)).splitlines()
        stored = (await api.client.get("/api/v1/routing/rules", headers=sup)).json()
        assert stored[1]["actions"]["priority"] == 2

        # A new rule not saved yet is tried at the end of the list, where saving would put it.
        editor.edit(None)
        editor._condition_row({"field": "text", "op": "contains_any", "value": "кредит"})
        editor.queue.setCurrentIndex(editor.queue.findData(general))
        _choose(editor.priority, 0)
        _choose(box.who, NEW)
        _choose(box.judge, EDITED)
        box.text.setText("Хочу кредит")
        answer = await _answer(box, failures)
        assert answer.splitlines()[:3] == ["Rule “(new rule)” would take it.", "Queue: Front desk", "Priority: low"]

        # Save the edit of "Ukrainian VIP"; its history says who changed what, before and after.
        editor.list.setCurrentRow(1)
        _choose(editor.priority, 3)
        editor.skill.setText("sales")
        editor.submit()
        await until(lambda: editor.rules[1].actions.get("priority") == 3, what="the saved edit")
        history = editor.show_history()
        await until(lambda: history.tree.topLevelItemCount() == 2, what="the rule's history")
        changed, created = history.tree.topLevelItem(0), history.tree.topLevelItem(1)
        assert [changed.text(1), changed.text(2)] == ["sup", "Changed"]
        assert changed.text(0) == when(history.changes[0].at) and changed.text(0) != ""
        assert [changed.child(i).text(2) for i in range(changed.childCount())] == [
            "Priority: high → urgent",
            "Required skill: billing → sales",
        ]
        assert [created.text(1), created.text(2)] == ["sup2", "Created"]
        assert [created.child(i).text(2) for i in range(created.childCount())] == [
            "Name: “Ukrainian VIP”",
            "Enabled: yes",
            "Conditions: customer.language = uk AND customer.tag has vip AND customer attribute.plan = gold",
            "Queue: VIP support",
            "Priority: high",
            "Required skill: billing",
            "Maximum wait: 30 s",
        ]

        _at(box, SATURDAY_EVENING)
        _choose(box.who, SAMPLE)
        _choose(box.language, "uk")
        box.tags.setText("vip")
        box.attributes.setText("plan=gold")
        await _answer(box, failures)
        for code in ("en", "uk", "ru"):
            client.choose_language(code)
            await asyncio.sleep(0.3)
            assert box.language.currentText() != "" and box.result.text() != ""
            await _shot(editor, "rule_preview", code)
            await _shot(history, "rule_history", code)
        client.choose_language("uk")
        await asyncio.sleep(0.3)
        assert box.language.currentText() == "Українська"
        assert history.tree.topLevelItem(0).child(0).text(2).startswith("Пріоритет: ")
        client.choose_language("en")
        history.close()
        editor.close()
    finally:
        await settle(client)
