"""Colleagues' presence for an operator, in the real client against a real server on both databases: the status
bar's count and the pop-up list of the colleagues of their queues with presence and load, live from events, and a
double-click that opens the transfer dialog with that colleague chosen. With OMNIDESK_SCREENSHOTS=<folder> the
pop-up is saved in English, Ukrainian and Russian."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from tests.client.live import settle, signed_in, until
from tests.server.customer_helpers import add_queue

SCREENSHOTS = os.environ.get("OMNIDESK_SCREENSHOTS")


def double_click(widget, pos) -> None:
    QTest.mouseClick(widget, Qt.MouseButton.LeftButton, pos=pos)
    QTest.mouseDClick(widget, Qt.MouseButton.LeftButton, pos=pos)


async def _status(api, headers, status: str) -> None:
    assert (await api.client.put("/api/v1/presence", json={"status": status}, headers=headers)).is_success


async def test_an_operator_sees_colleagues_of_their_queues_live_and_hands_one_the_open_conversation(
    api, tmp_path, memory_keyring, qtmodeltester
):
    support, sales = await add_queue(api, "Support"), await add_queue(api, "Sales")
    await api.user("olena", queue_ids=[support])
    bob = await api.headers_for("bob", queue_ids=[support, sales])
    carol = await api.headers_for("carol", queue_ids=[sales])
    bob_id = (await api.client.get("/api/v1/me", headers=bob)).json()["id"]
    await _status(api, bob, "online")
    await _status(api, carol, "online")
    sales_line, sales_token = await api.channel("Sales line", queue_id=sales)
    await api.inbound(sales_line, sales_token, "c-1", "+380501115001", "Ціна?", name="Павло Мельник")
    assert (await api.client.post("/api/v1/conversations/next", headers=bob)).is_success
    support_line, support_token = await api.channel("Support line", queue_id=support)

    client = await signed_in(tmp_path, api.url, "olena")
    try:
        window = client.window
        button = window.workorg.colleagues
        # Carol is online too, but in Sales only: not olena's colleague, not counted.
        await until(lambda: button.text() == "Colleagues: 1 online", what="the colleagues' count")
        assert button.isVisible()
        loads = []
        window.workorg.desk.boardLoaded.connect(lambda: loads.append(1))
        popup = button.open_popup()
        await until(lambda: popup.model.rowCount() == 1, what="the colleagues list")
        qtmodeltester.check(popup.model)
        line = popup.model.data(popup.model.index(0, 0))
        assert line.startswith("bob — Online, 1 of "), line  # his Sales conversation counts in his load
        dot = popup.model.data(popup.model.index(0, 0), Qt.ItemDataRole.DecorationRole)
        assert dot.pixmap(16, 16).toImage().pixelColor(8, 8).name() == "#2e7d32"  # a green dot
        assert popup.model.data(popup.model.index(0, 0), Qt.ItemDataRole.ToolTipRole) == "Online"
        assert loads == [1]

        # Bob steps away and takes a Support conversation: the list follows the events, nothing is read again.
        await _status(api, bob, "away")
        await until(lambda: "— Away, " in popup.model.data(popup.model.index(0, 0)), what="bob away")
        assert button.text() == "Colleagues: 0 online"
        await api.inbound(support_line, support_token, "c-3", "+380501115003", "Ще питання", name="Марія")
        taken = (await api.client.post("/api/v1/conversations/next", headers=bob)).json()
        assert taken["queue_id"] == support
        await until(lambda: ", 2 of " in popup.model.data(popup.model.index(0, 0)), what="bob's load rising")
        assert loads == [1]

        for code in ("en", "uk", "ru"):
            client.choose_language(code)
            await asyncio.sleep(0.3)
            assert popup.title.text() != "" and button.text() != ""
            if SCREENSHOTS:
                Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)  # noqa: ASYNC240 - a test's one folder
                popup.grab().save(str(Path(SCREENSHOTS) / f"colleagues_{code}.png"))
                window.statusBar().grab().save(str(Path(SCREENSHOTS) / f"colleagues_status_{code}.png"))
        client.choose_language("uk")
        await until(lambda: button.text() == "Колеги: 0 у мережі", what="the count in Ukrainian")
        assert "— Відійшов, 2 з " in popup.model.data(popup.model.index(0, 0))
        client.choose_language("en")

        # No conversation open: a double-click says what to do and keeps the list.
        await asyncio.sleep(0.1)
        rect = popup.list.visualRect(popup.model.index(0, 0))
        double_click(popup.list.viewport(), rect.center())
        assert popup.isVisible() and "Open a conversation" in window.statusBar().currentMessage()
        # With her conversation open, a double-click on bob opens the transfer dialog with bob chosen.
        mine = (
            await api.inbound(support_line, support_token, "c-2", "+380501115002", "Допоможіть", name="Ірина")
        ).json()
        window.open_conversation(mine["conversation_id"])
        await until(lambda: window.open_conversation_id == mine["conversation_id"], what="the open conversation")
        double_click(popup.list.viewport(), rect.center())
        dialog = window.workorg.transfer_dialog
        assert not popup.isVisible() and dialog is not None
        await until(lambda: dialog.colleague.currentData() == bob_id, what="bob chosen in the transfer dialog")
        failures = []
        window.workorg.desk.failed.connect(failures.append)
        dialog.note.setPlainText("Клієнтка з Sales")
        dialog.submit()
        await until(lambda: not dialog.isVisible() or failures, what="the transfer")
        assert not failures, failures
        moved = (await api.client.get(f"/api/v1/conversations/{mine['conversation_id']}", headers=bob)).json()
        assert moved["assignee_id"] == bob_id
    finally:
        await settle(client)
