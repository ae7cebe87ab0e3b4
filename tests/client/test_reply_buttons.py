"""Buttons under a reply from the client (issue 10): the operator chooses them for the open conversation within the
channel's limits, they go with the next reply to the loopback WhatsApp Cloud API as interactive reply buttons, and
the next reply carries none."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import httpx
import pytest

from omnidesk.client.attachments.buttons import ReplyButton
from omnidesk.domain.enums import Role
from omnidesk.server.db import Database
from tests.channels.platforms import FakeWhatsApp
from tests.channels.server_fixtures import add_whatsapp, provider_settings
from tests.client.live import settle, signed_in, until
from tests.client.test_attachments_panel import notification
from tests.conftest import Api, serve

SQLITE_ONLY = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
SCREENSHOTS = os.environ.get("OMNIDESK_SCREENSHOTS")


@SQLITE_ONLY
async def test_the_operator_sends_buttons_with_a_reply(db_url, tmp_path, memory_keyring):
    settings = provider_settings(db_url, tmp_path)
    db = Database(db_url, pool_size=2)
    async with (
        FakeWhatsApp().running() as wa,
        serve(settings) as (app, url),
        httpx.AsyncClient(base_url=url, timeout=30) as http,
    ):
        api = Api(url=url, db=db, settings=settings, client=http, app=app)
        headers = await api.headers_for("olena", Role.ADMIN)
        channel = await add_whatsapp(api, wa, headers)
        hook = f"{url}/hooks/whatsapp/{channel['id']}"
        assert (await wa.notify(http, hook, notification("text", 1, "16505551234", "wamid.b1"))).status_code == 200
        [conversation] = (await http.get("/api/v1/conversations", headers=headers)).json()["items"]

        client = await signed_in(tmp_path, url, "olena")
        window = client.window
        extras = window.conversation_pane.extras
        window.open_conversation(conversation["id"])
        await until(lambda: extras.window is not None, what="the reply window read")
        assert extras.buttons_button.isVisible() and extras.buttons_button.isEnabled()
        assert extras.window.max_buttons == 3 and extras.window.max_button_title == 20  # WhatsApp's reply buttons

        dialog = extras.choose_buttons()
        assert len(dialog.titles) == 3 and dialog.titles[0].maxLength() == 20
        dialog.titles[0].setText("Так, заблокувати")
        dialog.titles[1].setText("Ні")
        dialog.links[2].setText("ftp://bank")
        assert not dialog.box.button(dialog.box.StandardButton.Ok).isEnabled()  # a link without a title, not web
        dialog.links[2].clear()
        if SCREENSHOTS:
            for code in ("uk", "en"):
                client.choose_language(code)
                dialog.retranslate()
                dialog.adjustSize()
                dialog.grab().save(str(Path(SCREENSHOTS) / f"reply_buttons_{code}.png"))
            client.choose_language("en")
        dialog.accept()
        assert extras.reply_buttons[conversation["id"]] == [ReplyButton("Так, заблокувати"), ReplyButton("Ні")]
        assert extras.buttons_button.text() == "&Buttons (2)…"
        if SCREENSHOTS:
            await asyncio.sleep(0.1)  # the pane lays the longer button out
            window.conversation_pane.grab().save(str(Path(SCREENSHOTS) / "reply_buttons_chosen_en.png"))

        pane = window.conversation_pane
        pane.composer.setPlainText("Заблокувати картку?")
        pane.composer.submit()
        await until(lambda: any(s.get("type") == "interactive" for s in wa.sent), what="the buttons sent")
        interactive = next(s for s in wa.sent if s.get("type") == "interactive")["interactive"]
        assert interactive["body"]["text"] == "Заблокувати картку?"
        assert [b["reply"]["title"] for b in interactive["action"]["buttons"]] == ["Так, заблокувати", "Ні"]
        assert extras.buttons_button.text() == "&Buttons…"  # used up by that reply

        sent = len(wa.sent)
        pane.composer.setPlainText("Дякую")
        pane.composer.submit()
        await until(lambda: len(wa.sent) > sent, what="the next reply")
        assert wa.sent[-1].get("type") == "text"  # no buttons this time
        await settle(client)
    await db.dispose()
