"""Feature windows attached to the main window (omnidesk/client/features): reports, history search, comment threads.
They open from the View menu and their shortcuts, and logging out closes and forgets them."""

from __future__ import annotations

import pytest

from omnidesk.client.history.window import HistorySearchWindow
from omnidesk.client.reports.window import ReportsWindow
from tests.client.live import settle, signed_in, until

SQLITE_ONLY = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


@SQLITE_ONLY
async def test_reports_and_history_open_from_the_view_menu_and_logging_out_forgets_them(api, tmp_path, memory_keyring):
    await api.user("lead", role="supervisor")
    channel_id, token = await api.channel("Telegram")
    r = await api.inbound(channel_id, token, "f-1", "+380631112299", "Де моя картка?", name="Марта Коваль")
    assert r.status_code == 201, r.text
    client = await signed_in(tmp_path, api.url, "lead")
    window = client.window
    features = window.features
    menu = window.view_menu.actions()
    assert features.reports_action in menu and features.history_action in menu
    assert features.history_action.shortcut().toString() == "Ctrl+Shift+F"
    assert features.reports_action.text() and features.history_action.text()

    features.history_action.trigger()
    search = window._history_search
    assert isinstance(search, HistorySearchWindow) and search.isVisible()
    features.reports_action.trigger()
    reports = features.reports
    assert isinstance(reports, ReportsWindow) and reports.isVisible()
    features.reports_action.trigger()
    assert features.reports is reports  # one window, raised again

    window.clear_session()  # logout: nothing of this user's data stays on screen
    assert features.reports is None and window._history_search is None
    assert not reports.isVisible() and not search.isVisible()
    assert not features.thread_panel.isVisible()
    await settle(client)


@SQLITE_ONLY
async def test_the_comment_panel_stays_hidden_outside_comment_conversations(api, tmp_path, memory_keyring):
    await api.user("olena", role="operator")
    channel_id, token = await api.channel("Telegram")
    r = await api.inbound(channel_id, token, "f-2", "+380631112298", "Добрий вечір", name="Ігор Лис")
    assert r.status_code == 201, r.text
    client = await signed_in(tmp_path, api.url, "olena")
    window = client.window
    window.inbox_pane.list.setCurrentIndex(window.inbox.index(0, 0))
    await until(lambda: window.open_conversation_id == r.json()["conversation_id"], what="the conversation open")
    assert not window.features.thread_panel.isVisible()
    await settle(client)
