"""The comment panel and Meta's reply window: the post as context, the explicit public / private choice saved on a
real server (SQLite), Meta's window states (as the server names them) in three languages in the conversation's reply
window line; screenshots in docs/screenshots (comment_<lang>.png) when OMNIDESK_SCREENSHOTS=<folder>."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from PySide6.QtWidgets import QApplication, QVBoxLayout, QWidget

from omnidesk.client.api import ApiClient
from omnidesk.client.attachments.panel import ConversationExtras
from omnidesk.client.i18n import Translations
from omnidesk.client.threads import CommentThreadPanel, ThreadInfo
from omnidesk.client.threads.panel import fetch_thread, save_reply_mode
from omnidesk.domain.enums import Role
from omnidesk.protocol.channels import ReplyWindow
from omnidesk.server.db import Database
from tests.channels.ch2_loopback import fixture
from tests.client.live import clipped_texts, until
from tests.conftest import Api, serve, test_settings

SCREENSHOTS = os.environ.get("OMNIDESK_SCREENSHOTS")
THREAD = ThreadInfo(
    7, "comment", "wall:-123456_5_88", "https://vk.com/wall-123456_5?reply=88", "Мы открываем новое отделение", True
)


def meta_window(state: str, seconds_left: float) -> ReplyWindow:
    """The window as GET /conversations/{id}/window answers it for a Messenger conversation."""
    return ReplyWindow(
        conversation_id=1,
        channel_kind="meta",
        free_text=state != "closed",
        seconds_left=seconds_left,
        state=state,
        templates_required=False,
        max_text=2000,
        buttons=True,
        max_buttons=3,
        media_kinds=["audio", "document", "image", "video"],
        max_media_bytes=25 * 1024 * 1024,
    )


def window_line(state: str, seconds_left: float) -> ConversationExtras:
    extras = ConversationExtras()
    extras.window = meta_window(state, seconds_left)
    extras.retranslate()
    extras._refresh_visibility()
    return extras


async def test_panel_shows_the_post_and_makes_the_choice_explicit(qtbot, english):
    saved: list[bool] = []

    async def save(public: bool) -> None:
        saved.append(public)

    panel = CommentThreadPanel(save=save)
    qtbot.addWidget(panel)
    assert not panel.isVisible() and panel.thread is None
    panel.set_thread(THREAD)
    panel.show()
    assert panel.context.text() == "Мы открываем новое отделение"
    assert panel.public_choice.isChecked() and not panel.private_choice.isChecked()
    assert "Everyone" in panel.hint.text()
    changed: list[bool] = []  # a plain connection: waitSignal would spin a nested Qt loop inside this coroutine
    panel.modeChanged.connect(changed.append)
    panel.private_choice.click()
    assert changed == [False] and not panel.public
    await until(lambda: saved == [False], what="the choice saved")
    assert "direct message" in panel.hint.text()
    panel.set_thread(ThreadInfo(8, "comment", "178", None, None, False))
    assert panel.private_choice.isChecked() and not panel.open_post.isVisible()
    assert panel.context.text() == "The post's text is not available."
    assert saved == [False]  # showing a thread is not a choice


@pytest.fixture
def english():
    translations = Translations(QApplication.instance())
    translations.apply("en")
    yield
    translations.remove()


def test_meta_window_states_in_words(qtbot, english):
    open_ = window_line("open", 4 * 3600 + 120)
    assert open_.window_label.text() == "4 h left to reply freely" and open_.attach_button.isEnabled()
    human = window_line("human_agent", 4 * 86400 + 3600)
    assert human.window_label.text() == "24 h passed: only an operator's own reply (human agent), 4 days left"
    assert human.attach_button.isEnabled()  # free text and files still go, tagged HUMAN_AGENT
    assert window_line("human_agent", 5 * 3600).window_label.text().endswith("5 h left")
    closed = window_line("closed", 0)
    assert closed.window_label.text() == "Window closed: nothing can be sent until the customer writes again"
    assert not closed.attach_button.isEnabled() and not closed.template_row.isVisibleTo(closed)  # no templates


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
async def test_the_choice_is_read_and_saved_on_the_server(db_url, qtbot):
    settings = test_settings(db_url, channel_key=Fernet.generate_key().decode())
    async with serve(settings) as (app, url):
        import httpx

        async with httpx.AsyncClient(base_url=url, timeout=30) as http:
            api = Api(url=url, db=Database(db_url, pool_size=2), settings=settings, client=http, app=app)
            admin = await api.headers_for("root", Role.ADMIN)
            await api.user("olena", Role.OPERATOR)
            body = {
                "name": "Bank VK",
                "secrets": {"access_token": "t", "secret": "Kx9vQ2s7", "confirmation": "c"},
                "options": {"group_id": "123456"},
                "api_base": "http://127.0.0.1:9/method",  # nothing listens: the post's text stays unavailable
            }
            vk = (await http.post("/api/v1/admin/channels/vk", json=body, headers=admin)).json()
            event = fixture("vk", "wall_reply_new.json")
            assert (await http.post(f"/hooks/vk/{vk['id']}", content=event)).text == "ok"
            conversations = (await http.get("/api/v1/conversations", headers=admin)).json()["items"]
            conversation = conversations[0]["id"]
            client = ApiClient(url, verify=False)
            try:
                await client.login("olena", "password-123")
                thread = await fetch_thread(client, conversation)
                assert thread.comment_id == "wall:-123456_5_88" and thread.public and thread.context is None
                saved = await save_reply_mode(client, conversation, False)
                assert saved.public is False
                assert (await fetch_thread(client, conversation)).public is False
                assert await fetch_thread(client, 999999) is None
            finally:
                await client.aclose()
            await api.db.dispose()
    assert json.loads(event)["object"]["id"] == 88


@pytest.mark.parametrize("code", ["en", "uk", "ru"])
def test_every_language_fits_and_screenshots(qtbot, code):
    translations = Translations(QApplication.instance())
    try:
        translations.apply(code)
        host = QWidget()
        qtbot.addWidget(host)
        layout = QVBoxLayout(host)
        panel = CommentThreadPanel()
        panel.set_thread(THREAD)
        layout.addWidget(panel)
        lines = [window_line(*w) for w in (("open", 4 * 3600), ("human_agent", 5 * 86400), ("closed", 0))]
        for line in lines:
            layout.addWidget(line)
        host.resize(460, 330)
        host.show()
        qtbot.waitExposed(host)
        texts = [panel.title.text(), panel.public_choice.text(), panel.private_choice.text()]
        if code != "en":
            assert all(line.window_label.text().isascii() is False for line in lines), "translated"
            assert texts != [
                "Comment under a post",
                "Reply publicly, under the comment",
                "Reply privately, in a direct message",
            ]
        assert not clipped_texts(host), clipped_texts(host)
        if SCREENSHOTS:
            Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
            host.grab().save(str(Path(SCREENSHOTS) / f"comment_{code}.png"))
    finally:
        translations.apply("en")
        translations.remove()
