"""The conversation's files, reply window and templates in the client, against a real server and a loopback WhatsApp
Cloud API: a customer's photo with its preview, a file sent from the client, the window in words, templates when it
is closed; screenshots in en/uk/ru (OMNIDESK_SCREENSHOTS=<folder>)."""

from __future__ import annotations

import copy
import datetime as dt
import io
import os
from pathlib import Path

import httpx
import pytest
from PIL import Image

from omnidesk.domain.enums import Role
from omnidesk.server.db import Database
from tests.channels.platforms import FakeWhatsApp, fixture
from tests.channels.server_fixtures import add_whatsapp, provider_settings
from tests.client.live import settle, signed_in, until
from tests.conftest import Api, serve

SQLITE_ONLY = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
SCREENSHOTS = os.environ.get("OMNIDESK_SCREENSHOTS")


def notification(name: str, hours_ago: float, wa_id: str, message_id: str) -> dict:
    payload = copy.deepcopy(fixture("whatsapp", name))
    value = payload["entry"][0]["changes"][0]["value"]
    value["contacts"][0]["wa_id"] = wa_id
    value["contacts"][0]["profile"]["name"] = {"16505551234": "Sheena Nelson"}.get(wa_id, "Оксана Петренко")
    message = value["messages"][0]
    message.update(
        {
            "from": wa_id,
            "id": message_id,
            "timestamp": str(int((dt.datetime.now(dt.UTC) - dt.timedelta(hours=hours_ago)).timestamp())),
        }
    )
    return payload


@SQLITE_ONLY
async def test_files_window_and_templates_in_the_conversation(db_url, tmp_path, memory_keyring):
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
        photo = io.BytesIO()
        Image.new("RGB", (400, 300), (220, 80, 40)).save(photo, "JPEG")
        wa.media["1003383421387256"] = ("image/jpeg", photo.getvalue())
        assert (await wa.notify(http, hook, notification("image", 2, "16505551234", "wamid.c1"))).status_code == 200
        assert (await wa.notify(http, hook, notification("text", 25, "380501234567", "wamid.c2"))).status_code == 200
        wa.templates = [
            {
                "name": "card_blocked",
                "language": "uk",
                "status": "APPROVED",
                "category": "UTILITY",
                "id": "1",
                "components": [{"type": "BODY", "text": "{{1}}, вашу картку заблоковано."}],
            }
        ]
        await http.post(f"/api/v1/admin/channels/{channel['id']}/templates/sync", headers=headers)
        convs = {
            c["customer"]["name"]: c["id"]
            for c in (await http.get("/api/v1/conversations", headers=headers)).json()["items"]
        }

        client = await signed_in(tmp_path, url, "olena")
        window = client.window
        extras = window.conversation_pane.extras
        window.open_conversation(convs["Sheena Nelson"])
        await until(lambda: extras.window is not None and extras.file_list.count() == 1, what="the photo listed")
        await until(lambda: extras._thumbs, what="its preview")
        # The picture is also shown in its own message's bubble, which grows to hold it (at most 240 x 180).
        from omnidesk.client.models.messages import MessageRole

        await until(lambda: extras.previews and window.messages.rowCount(), what="the preview and the history")
        photo_row = next(
            r for r in range(window.messages.rowCount())
            if window.messages.index(r, 0).data(MessageRole.PREVIEW) is not None
        )  # fmt: skip
        index = window.messages.index(photo_row, 0)
        preview = index.data(MessageRole.PREVIEW)
        assert (preview.width(), preview.height()) == (320, 240)  # the server's thumbnail of the 400 x 300 photo
        history = window.conversation_pane.history
        await until(lambda: history.visualRect(index).height() > 180, what="the bubble holding the picture")
        shown = history.viewport().grab(history.visualRect(index)).toImage()
        assert any(
            shown.pixelColor(x, y).red() > 200 and shown.pixelColor(x, y).green() < 110
            for x in range(0, shown.width(), 4)
            for y in range(0, shown.height(), 4)
        ), "the photo's colour is painted in the bubble"
        await until(lambda: extras.window_label.text(), what="the window in words")
        assert extras.window_label.text() == "21 h left to reply freely"
        assert not extras.template_row.isVisible() and extras.attach_button.isEnabled()

        document = tmp_path / "statement.pdf"
        document.write_bytes(b"%PDF-1.4\n% statement\n")
        extras.stage_paths([document])  # it waits above the composer, uploaded, until the reply goes
        staged = extras.staged_strip
        await until(lambda: staged.files and all(s.attachment_id for s in staged.files), what="the file uploaded")
        window.conversation_pane.composer.submit()  # a reply of files only may have no text
        await until(lambda: extras.file_list.count() == 2, what="the sent file listed")
        await until(lambda: any(s.get("type") == "document" for s in wa.sent), what="the file sent to WhatsApp")
        sent = next(s for s in wa.sent if s.get("type") == "document")
        assert sent["document"]["filename"] == "statement.pdf" and sent["to"] == "16505551234"
        open_texts = {"en": "21 h left", "uk": "Ще 21 год", "ru": "Ещё 21 ч"}
        for code in ("en", "uk", "ru"):
            client.choose_language(code)
            await until(lambda c=code: extras.window_label.text().startswith(open_texts[c]), what=f"window in {code}")
            # The strip keeps the photo's preview when the language change refills it.
            photo_item = next(
                extras.file_list.item(r) for r in range(extras.file_list.count())
                if extras.file_list.item(r).text() == "image.jpg"
            )  # fmt: skip
            pixels = photo_item.icon().pixmap(64, 64).toImage()
            assert pixels.pixelColor(32, 32).red() > 200, "the preview, not the generic file icon"
            if SCREENSHOTS:
                window.conversation_pane.grab().save(str(Path(SCREENSHOTS) / f"attachments_open_{code}.png"))
        assert extras.window_label.text() == "Ещё 21 ч для свободного ответа"
        client.choose_language("en")
        await until(lambda: extras.window_label.text().startswith("21 h"), what="back in English")

        window.open_conversation(convs["Оксана Петренко"])
        await until(lambda: extras.window is not None and extras.window.templates_required, what="window closed")
        await until(lambda: extras.template_row.isVisible() and extras.templates, what="templates offered")
        assert extras.window_label.text() == "Window closed: choose a template"
        assert extras.template_box.currentText() == "card_blocked (uk)" and not extras.attach_button.isEnabled()
        closed_texts = {"en": "Window closed", "uk": "Вікно закрито", "ru": "Окно закрыто"}
        for code in ("en", "uk", "ru"):
            client.choose_language(code)
            await until(lambda c=code: extras.window_label.text().startswith(closed_texts[c]), what=f"closed in {code}")
            if SCREENSHOTS:
                window.conversation_pane.grab().save(str(Path(SCREENSHOTS) / f"attachments_template_{code}.png"))
        assert extras.window_label.text() == "Окно закрыто: выберите шаблон"
        extras.template_params.setText("Оксано")
        extras.template_send.click()
        await until(lambda: any(s.get("type") == "template" for s in wa.sent), what="the template sent")
        template = next(s for s in wa.sent if s.get("type") == "template")["template"]
        assert template["components"][0]["parameters"] == [{"type": "text", "text": "Оксано"}]
        await settle(client)
    await db.dispose()
