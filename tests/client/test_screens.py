"""The main window on a realistic desk in English, Ukrainian and Russian: every text translated and fitting its
widget, delivery states shown. With OMNIDESK_SCREENSHOTS=<folder> the same run saves the README screenshots
(inbox_en.png, inbox_uk.png, inbox_ru.png at 1280x800) from the real window."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import pytest

from omnidesk.client.models.messages import MessageRole
from tests.client.live import clipped_texts, settle, signed_in, until
from tests.client.scenes import FAILING_CUSTOMER, OPEN_CUSTOMER, seed
from tests.helpers import free_port

SCREENSHOTS = os.environ.get("OMNIDESK_SCREENSHOTS")
SIZE = (1280, 800)


def visible_words(window) -> list[str]:
    texts = [menu.title() for menu in (window.desk_menu, window.conversation_menu, window.view_menu, window.help_menu)]
    pane = window.conversation_pane
    texts += [pane.take.text(), pane.resolve.text(), pane.reopen.text(), pane.send.text()]
    texts += [window.inbox_pane.status.currentText(), window.link.text()]
    texts += [button.text() for button in window.inbox_pane.whose_buttons]
    return texts


async def test_main_window_in_three_languages_is_translated_fits_and_shows_delivery(
    api, webhook_sink, tmp_path, memory_keyring
):
    desk = await seed(api, webhook_sink.url, f"http://127.0.0.1:{free_port()}/down")
    client = await signed_in(tmp_path, api.url, "olena")
    window = client.window
    window.resize(*SIZE)
    await until(lambda: window.inbox.rowCount() == len(desk.conversations), what="the whole inbox")
    failing = window.inbox.row_of(desk.conversations[FAILING_CUSTOMER])
    window.inbox_pane.list.setCurrentIndex(window.inbox.index(failing, 0))

    def delivery(row: int) -> str | None:
        return window.messages.data(window.messages.index(row, 0), MessageRole.DELIVERY)

    await until(lambda: window.messages.rowCount() == 2 and delivery(1) == "failed", timeout=30, what="failure")
    failure = window.conversation_pane.bubbles._meta(window.messages.index(1, 0))[0]
    assert "Failed: " in failure and len(failure.split("Failed: ", 1)[1]) > 3  # the reason is shown

    window.inbox_pane.list.setCurrentIndex(
        window.inbox.index(window.inbox.row_of(desk.conversations[OPEN_CUSTOMER]), 0)
    )
    await until(lambda: window.messages.rowCount() == 5, what="the open conversation")
    await until(lambda: delivery(1) == "sent" and delivery(3) == "sent", timeout=30, what="replies sent")
    english = None
    for code in ("en", "uk", "ru"):
        client.choose_language(code)
        await asyncio.sleep(0.3)  # LanguageChange, then the layout requests it causes, travel up the widget tree
        window.conversation_pane.history.scrollToBottom()
        await asyncio.sleep(0.1)
        words = visible_words(window)
        if code == "en":
            english = words
        else:
            same = [word for word, source in zip(words, english, strict=True) if word == source]
            assert same == [], f"untranslated in {code}: {same}"
        clipped = clipped_texts(window)
        assert clipped == [], f"{code}: {clipped}"
        image = window.grab()
        assert (image.width(), image.height()) == SIZE
        target = Path(SCREENSHOTS) if SCREENSHOTS else tmp_path
        target.mkdir(parents=True, exist_ok=True)
        assert image.save(str(target / f"inbox_{code}.png"))
    client.choose_language("en")
    await settle(client)


pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
