"""The history search window against the real in-process server: finds word forms, pages, highlights, opens a hit,
speaks en/uk/ru, and opens with Ctrl+Shift+F."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QMainWindow

from omnidesk.client.api import ApiClient
from omnidesk.client.history import HistorySearchWindow, install_history_search
from omnidesk.client.history.search import HitRole
from omnidesk.client.history.window import snippet_html
from omnidesk.client.i18n import Translations
from omnidesk.client.tasks import TaskRegistry
from omnidesk.domain.enums import Role
from tests.client.live import clipped_texts, events_settled, until

pytestmark = pytest.mark.search_dictionaries  # word forms: the real hunspell chain (tests/conftest.py)

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


async def _seeded(api) -> ApiClient:
    channel_id, token = await api.channel("Site")
    texts = ["Моя картка заблокована, замовлення ORD-4412", "Не можу оплатити картку", "Карты не работают", "Дякую"]
    texts += [f"Заявка {n} на перевипуск картки" for n in range(60)]
    for n, text in enumerate(texts):
        r = await api.inbound(channel_id, token, f"h{n}", value=f"+38050777{n:04d}", text=text, name=f"Клієнт {n}")
        assert r.status_code in (200, 201), r.text
    await api.user("sup", Role.SUPERVISOR)
    client = ApiClient(api.url, verify=False)
    await client.login("sup", "password-123")
    return client


async def test_window_finds_word_forms_pages_and_opens_the_hit(api, qapp):
    client = await _seeded(api)
    window = HistorySearchWindow(client, TaskRegistry())
    opened = []
    window.openRequested.connect(lambda c, m: opened.append((c, m)))
    window.show()
    try:
        await until(lambda: window.channel.count() == 2, what="the channel filter")
        window.query.setText("картку")
        window.search_now()
        await until(lambda: window.searches == 1, what="the first page")
        assert len(window.results.hits) == 50 and window.more.isVisible()
        window.load_more()
        await until(lambda: window.searches == 2, what="the second page")
        assert len(window.results.hits) == 62 and not window.more.isVisible()
        assert len({h.message_id for h in window.results.hits}) == 62
        window.query.setText("ORD-4412")
        window.search_now()
        await until(lambda: window.searches == 3, what="the number search")
        (hit,) = window.results.hits
        assert '<span style="background:#FFE58A;font-weight:600">ORD-4412</span>' in snippet_html(hit)
        window.list.setCurrentIndex(window.results.index(0, 0))
        window.open_button.click()
        assert opened == [(hit.conversation_id, hit.message_id)]
        window.kind.setCurrentIndex(window.kind.findData("note"))
        await until(lambda: window.searches == 4, what="the notes-only search")
        assert window.results.hits == [] and "Nothing found" in window.status.text()
    finally:
        window.close()
        await client.aclose()


async def test_window_speaks_three_languages_and_keeps_markup_as_text(api, qapp):
    client = await _seeded(api)
    translations = Translations(qapp)
    window = HistorySearchWindow(client, TaskRegistry())
    window.show()
    titles = {}
    try:
        await until(lambda: window.channel.count() == 2, what="the channel filter")
        window.query.setText("картка")
        window.search_now()
        await until(lambda: window.searches == 1)
        for n, code in enumerate(("en", "uk", "ru"), start=1):
            translations.apply(code)
            window.retranslate()
            window.search_now()
            await until(lambda n=n: window.searches == n + 1, what=f"search in {code}")
            await events_settled()
            titles[code] = (window.windowTitle(), window.open_button.text(), window.status.text())
            assert not clipped_texts(window), (code, clipped_texts(window))
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            window.grab().save(str(SCREENSHOTS / f"history_search_{code}.png"))
        assert len({t[0] for t in titles.values()}) == 3 and len({t[1] for t in titles.values()}) == 3, titles
        assert "Пошук" in titles["uk"][0] and "Поиск" in titles["ru"][0]
        hit = window.results.index(0, 0).data(HitRole)
        hit.snippet.text = "<b>x</b> картка"
        hit.snippet.highlights = [(9, 15)]
        assert snippet_html(hit).startswith("&lt;b&gt;x&lt;/b&gt; <span")
    finally:
        translations.remove()
        window.close()
        await client.aclose()


async def test_ctrl_shift_f_opens_the_window_in_the_main_window(api, qapp):
    client = await _seeded(api)
    main = QMainWindow()
    opened = []
    shortcut = install_history_search(main, client, TaskRegistry(), lambda c, m: opened.append((c, m)))
    main.show()
    try:
        assert shortcut.key() == QKeySequence("Ctrl+Shift+F") and shortcut.parent() is main
        # The offscreen platform has no active window to deliver key presses to: fire the shortcut itself.
        shortcut.activated.emit()
        dialog = main._history_search
        assert dialog.isVisible()
        await until(lambda: dialog.channel.count() == 2, what="the channel filter")
        dialog.query.setText("ORD-4412")
        dialog.search_now()
        await until(lambda: dialog.searches == 1, what="the search")
        dialog.open_button.click()
        assert opened == [(dialog.results.hits[0].conversation_id, dialog.results.hits[0].message_id)]
        shortcut.activated.emit()  # again: the same window comes back, not a second one
        assert main._history_search is dialog
        dialog.close()
    finally:
        main.close()
        await client.aclose()
