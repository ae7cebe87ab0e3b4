"""Files in the reply, from the client against a real server and a loopback WhatsApp Cloud API: a real drop
(QDragEnterEvent, QDragMoveEvent, QDropEvent with QMimeData) on the composer and on the rest of the reply area, Ctrl+V
of clipboard image data (a PNG attachment), of a file URL list (those files) and of text (stays text); the files
wait above the composer and go with the next reply. A received file opened with the desktop's application and
saved: both write exactly the bytes the server stored. Screenshots (OMNIDESK_SCREENSHOTS=<folder>) in en/uk/ru."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PIL import Image
from PySide6.QtCore import QLocale, QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QColor, QDragEnterEvent, QDragMoveEvent, QDropEvent, QGuiApplication, QImage
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QFileDialog, QLabel, QToolButton
from sqlalchemy import select

from omnidesk.client.attachments.panel import FILE_ROLE
from omnidesk.server.attachments import service as attachment_service
from omnidesk.server.attachments.models import Attachment
from tests.channels.server_fixtures import whatsapp_desk
from tests.client.live import settle, signed_in, until
from tests.client.test_attachments_panel import notification

SQLITE_ONLY = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
SCREENSHOTS = os.environ.get("OMNIDESK_SCREENSHOTS")


def drop(widget, point: QPoint, mime: QMimeData) -> bool:
    """A drag entering ``widget`` at ``point``, moving and dropping there, as Qt's drag manager delivers it; whether
    the drop was accepted."""
    where = QPointF(point)
    actions = Qt.DropAction.CopyAction
    buttons, modifiers = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    enter = QDragEnterEvent(point, actions, mime, buttons, modifiers)
    QApplication.sendEvent(widget, enter)
    if not enter.isAccepted():
        return False
    move = QDragMoveEvent(point, actions, mime, buttons, modifiers)
    QApplication.sendEvent(widget, move)
    event = QDropEvent(where, actions, mime, buttons, modifiers)
    QApplication.sendEvent(widget, event)
    return event.isAccepted()


def urls(*paths: Path) -> QMimeData:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    return mime


def contents(path: str) -> bytes:
    return Path(path).read_bytes()


def pdf_bytes() -> bytes:
    return b"%PDF-1.4\n% statement\n" + bytes(range(256)) * 12  # larger than the row limit: stored on disk


@SQLITE_ONLY
async def test_files_dropped_and_pasted_go_with_the_reply(db_url, tmp_path, memory_keyring, desktop_opens):
    opened = desktop_opens
    async with whatsapp_desk(db_url, tmp_path) as (api, wa, headers, hook):
        http, url, db, settings = api.client, api.url, api.db, api.settings
        received = pdf_bytes()
        wa.media["1003383421387257"] = ("application/pdf", received)
        document = notification("document", 1, "16505551234", "wamid.f1")
        assert (await wa.notify(http, hook, document)).status_code == 200
        assert (await wa.notify(http, hook, notification("text", 30, "380501234567", "wamid.f2"))).status_code == 200
        convs = {
            c["customer"]["name"]: c["id"]
            for c in (await http.get("/api/v1/conversations", headers=headers)).json()["items"]
        }

        client = await signed_in(tmp_path, url, "olena")
        window = client.window
        pane = window.conversation_pane
        extras, composer = pane.extras, pane.composer
        window.open_conversation(convs["Sheena Nelson"])
        await until(lambda: extras.window is not None and extras.file_list.count() == 1, what="the received file")

        # Open and save the customer's file: exactly the bytes the server stored (on disk, content-addressed).
        async with db.session() as session:
            stored = (await session.scalars(select(Attachment).where(Attachment.direction == "in"))).one()
        assert stored.storage == "disk" and attachment_service.read(settings, stored) == received
        item = extras.file_list.item(0)
        assert item.text() == "statement.pdf"
        attachment = item.data(FILE_ROLE)
        extras.open_file(attachment)
        await until(lambda: opened.urls, what="the file handed to the desktop")
        assert contents(opened.urls[0].toLocalFile()) == received
        target = tmp_path / "saved" / "выписка.pdf"
        target.parent.mkdir()
        dialog = extras.save_file(attachment)
        assert isinstance(dialog, QFileDialog) and dialog.acceptMode() == QFileDialog.AcceptMode.AcceptSave
        dialog.selectFile(str(target))
        dialog.accept()
        await until(target.exists, what="the file saved")
        await until(lambda: target.stat().st_size == len(received), what="all of it written")
        assert target.read_bytes() == received
        assert window.statusBar().currentMessage() == f"Saved {target}"

        # A real drop of two files on the composer: both wait for the reply, the composer's text is untouched.
        statement = tmp_path / "statement.pdf"
        statement.write_bytes(b"%PDF-1.4\n% ours\n")
        photo = tmp_path / "card.jpg"
        Image.new("RGB", (200, 120), (30, 120, 220)).save(photo, "JPEG")
        composer.setPlainText("Ось документи")
        assert drop(composer.viewport(), QPoint(20, 20), urls(statement, photo))
        assert composer.toPlainText() == "Ось документи"
        await until(lambda: len(extras.staged.get(convs["Sheena Nelson"], [])) == 2, what="two files waiting")
        await until(lambda: all(s.attachment_id for s in extras.staged[convs["Sheena Nelson"]]), what="both uploaded")
        assert [s.name for s in extras.staged_strip.files] == ["statement.pdf", "card.jpg"]
        assert extras.staged_strip.isVisible()
        # A drop beside the composer (the send button's row) attaches too; one on the history does not.
        extras.unstage(extras.staged[convs["Sheena Nelson"]][1].key)
        send_row = pane.send.geometry().center()
        assert drop(pane, send_row, urls(photo))
        await until(lambda: len(extras.staged[convs["Sheena Nelson"]]) == 2, what="the photo back")
        assert not drop(pane, pane.history.geometry().center(), urls(photo))
        # Text dropped stays text.
        text = QMimeData()
        text.setText(" — дякуємо")
        composer.moveCursor(composer.textCursor().MoveOperation.End)
        assert drop(composer.viewport(), composer.cursorRect().center(), text)
        assert composer.toPlainText().endswith("дякуємо") and len(extras.staged[convs["Sheena Nelson"]]) == 2

        # Ctrl+V: pasted pixels become a PNG; a copied file list attaches those files; pasted text stays text.
        clipboard = QGuiApplication.clipboard()
        pixels = QImage(160, 90, QImage.Format.Format_RGB32)
        pixels.fill(QColor(220, 40, 40))
        clipboard.setImage(pixels)
        composer.setFocus()
        composer.moveCursor(composer.textCursor().MoveOperation.End)
        QTest.keyClick(composer, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
        await until(lambda: len(extras.staged[convs["Sheena Nelson"]]) == 3, what="the pasted image waiting")
        pasted = extras.staged[convs["Sheena Nelson"]][2]
        assert pasted.name.startswith("image-") and pasted.name.endswith(".png") and pasted.mime == "image/png"
        assert pasted.thumb is not None and pasted.thumb.toImage().pixelColor(5, 5).red() > 200
        await until(lambda: pasted.attachment_id, what="the pasted image uploaded")
        copied = QMimeData()
        copied.setUrls([QUrl.fromLocalFile(str(statement))])
        copied.setText(str(statement))  # file managers put the path beside the URL list
        clipboard.setMimeData(copied)
        QTest.keyClick(composer, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
        await until(lambda: len(extras.staged[convs["Sheena Nelson"]]) == 4, what="the copied file waiting")
        clipboard.setText(" до 18:00")
        QTest.keyClick(composer, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
        assert composer.toPlainText().endswith("до 18:00") and len(extras.staged[convs["Sheena Nelson"]]) == 4
        extras.unstage(extras.staged[convs["Sheena Nelson"]][3].key)  # the second copy of the statement off

        await until(lambda: all(s.attachment_id for s in extras.staged[convs["Sheena Nelson"]]), what="uploads")
        strip = extras.staged_strip
        captions = {"en": "With your reply:", "uk": "З відповіддю:", "ru": "С ответом:"}
        tips = {
            "en": "Take statement.pdf off the reply",
            "uk": "Прибрати statement.pdf з відповіді",
            "ru": "Убрать statement.pdf из ответа",
        }
        for code in ("uk", "ru", "en"):
            client.choose_language(code)
            await until(lambda c=code: strip.caption.text() == captions[c], what=f"the strip in {code}")
            sizes = [label.text() for label in strip.findChildren(QLabel, "stagedState")]
            written = QLocale().formattedDataSize(photo.stat().st_size)  # "1.02 KiB", "1,02 KiB"
            assert written in sizes and ("," in written) == (code != "en"), sizes  # as the language writes it
            remove = strip.findChildren(QToolButton, "stagedRemove")[0]
            assert remove.toolTip() == tips[code]
            if SCREENSHOTS:
                window.conversation_pane.grab().save(str(Path(SCREENSHOTS) / f"composer_pasted_{code}.png"))
        waiting = [s.attachment_id for s in extras.staged[convs["Sheena Nelson"]]]

        # Another conversation keeps its own (empty) reply; back here the files still wait.
        window.open_conversation(convs["Оксана Петренко"])
        await until(lambda: extras.window is not None and not extras.window.free_text, what="the closed window")
        assert not strip.isVisible()
        clipboard.setImage(pixels)
        composer.setFocus()
        QTest.keyClick(composer, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
        await until(lambda: window.statusBar().currentMessage(), what="the refusal in words")
        assert window.statusBar().currentMessage().startswith("The reply window is closed: files can be sent")
        assert convs["Оксана Петренко"] not in extras.staged
        window.open_conversation(convs["Sheena Nelson"])
        await until(lambda: extras.window is not None and extras.window.free_text, what="back")
        assert [s.attachment_id for s in strip.files] == waiting and strip.isVisible()

        # Ctrl+Enter: the text and the three files go out together; nothing waits any more.
        await until(lambda: composer.toPlainText(), what="the draft back")
        QTest.keyClick(composer, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        await until(lambda: len([s for s in wa.sent if s.get("type") in ("image", "document")]) == 3, what="sent")
        assert not extras.staged.get(convs["Sheena Nelson"]) and not strip.isVisible()
        kinds = sorted(s["type"] for s in wa.sent if s.get("type") in ("image", "document"))
        assert kinds == ["document", "image", "image"]
        async with db.session() as session:
            sent = (
                await session.execute(select(Attachment.id, Attachment.message_id).where(Attachment.id.in_(waiting)))
            ).all()
        assert len({m for _, m in sent}) == 1 and None not in {m for _, m in sent}  # one reply carries them all
        await until(lambda: extras.file_list.count() == 4, what="the sent files listed")

        # Files only: the reply may go without text.
        clipboard.setImage(pixels)
        composer.clear()
        QTest.keyClick(composer, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
        await until(lambda: extras.staged.get(convs["Sheena Nelson"]), what="one more image")
        await until(lambda: extras.staged[convs["Sheena Nelson"]][0].attachment_id, what="uploaded")
        before = len(wa.sent)
        pane.send.click()
        await until(lambda: len(wa.sent) > before, what="the image alone sent")
        assert wa.sent[-1]["type"] == "image"
        # Files waiting when the operator signs out are not kept for the next user.
        clipboard.setImage(pixels)
        QTest.keyClick(composer, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
        await until(lambda: extras.staged.get(convs["Sheena Nelson"]), what="a file waiting")
        window.sign_out_action.trigger()
        await until(lambda: client.login is not None and client.login.isVisible(), what="the login dialog")
        assert extras.staged == {} and not extras.staged_strip.isVisible()
        await settle(client)
