"""A customer's voice note (WhatsApp's OGG/Opus, through the loopback Cloud API and a real server) played in its
bubble in the history: the play button, the position advancing, pause, seeking on the track; where Qt Multimedia
cannot load, "Open in the player" hands the exact stored bytes to the desktop's player; a recording Qt cannot
decode falls back to the same in words. Screenshots (OMNIDESK_SCREENSHOTS=<folder>) in en/uk/ru.

The recording (tests/client/media/voice_note.ogg, 2.0 s of a 440 Hz tone, Opus in Ogg, mono 48 kHz) was made with
opus-tools: ``opusenc --bitrate 16 tone.wav voice_note.ogg`` from a WAV written by Python's wave module."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QStyleOptionViewItem

from omnidesk.client.attachments import voice
from omnidesk.client.models.messages import MessageRole
from tests.channels.server_fixtures import whatsapp_desk
from tests.client.live import settle, signed_in, until
from tests.client.test_attachments_panel import notification
from tests.client.test_composer_files import contents

SQLITE_ONLY = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
SCREENSHOTS = os.environ.get("OMNIDESK_SCREENSHOTS")
VOICE_NOTE = Path(__file__).parent / "media" / "voice_note.ogg"
VOICE_MEDIA_ID = "1003383421387258"  # the media id of tests/channels/fixtures/whatsapp/voice.json


class Voice:
    """The open conversation's voice bubble: its state, and clicks where a person clicks."""

    def __init__(self, window) -> None:
        self.window = window
        self.history = window.conversation_pane.history
        self.bubbles = window.conversation_pane.bubbles

    def index(self):
        model = self.window.messages
        rows = [r for r in range(model.rowCount()) if model.index(r, 0).data(MessageRole.VOICE) is not None]
        return model.index(rows[0], 0) if rows else None

    def state(self):
        index = self.index()
        return index.data(MessageRole.VOICE) if index is not None else None

    def parts(self):
        index = self.index()
        option = QStyleOptionViewItem()
        option.initFrom(self.history)
        option.rect = self.history.visualRect(index)
        box = self.bubbles._geometry(option, index)[4].translated(option.rect.topLeft())
        return box, *self.bubbles.voice_parts(box)

    def click(self, point: QPoint) -> None:
        QTest.mouseClick(self.history.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, point)

    def press_play(self) -> None:
        _, button, _ = self.parts()
        self.click(button.center())

    def seek(self, fraction: float) -> None:
        _, _, track = self.parts()
        self.click(QPoint(track.left() + int(track.width() * fraction), track.center().y()))


# What Qt Multimedia says on a machine with no sound server and no video acceleration (CI, an SSH session): it plays
# silently there, and these optional libraries are looked for on every start.
@SQLITE_ONLY
@pytest.mark.parametrize("player", ["in_app", "system"])
@pytest.mark.qt_log_ignore(r"^Could not open media\. FFmpeg error description: ")
async def test_a_voice_note_plays_in_its_bubble(db_url, tmp_path, memory_keyring, monkeypatch, player, desktop_opens):
    if player == "in_app" and voice.multimedia() is None:
        pytest.skip("Qt Multimedia (PySide6-Addons) is not installed here")
    if player == "system":  # as a client without Qt Multimedia (or where it cannot load) sees it
        monkeypatch.setattr(voice, "multimedia", lambda: None)
    recording = VOICE_NOTE.read_bytes()
    opened = desktop_opens
    async with whatsapp_desk(db_url, tmp_path) as (api, wa, headers, hook):
        http, url = api.client, api.url
        wa.media[VOICE_MEDIA_ID] = ("audio/ogg; codecs=opus", recording)
        assert (await wa.notify(http, hook, notification("voice", 1, "16505551234", "wamid.v1"))).status_code == 200
        (conversation,) = (await http.get("/api/v1/conversations", headers=headers)).json()["items"]

        client = await signed_in(tmp_path, url, "olena")
        window = client.window
        extras = window.conversation_pane.extras
        window.open_conversation(conversation["id"])
        bubble = Voice(window)
        await until(lambda: bubble.state() is not None, what="the voice note's control in its bubble")
        (attachment,) = extras.voices.values()
        assert attachment.kind == "voice" and attachment.mime_type == "audio/ogg"
        await until(lambda: bubble.history.visualRect(bubble.index()).height() > 40, what="the bubble grown")

        if player == "system":
            assert not bubble.state().in_app
            if SCREENSHOTS:
                take = window.conversation_pane.take
                for code, word in (("uk", "&Взяти"), ("en", "&Take")):
                    client.choose_language(code)
                    await until(lambda w=word: take.text() == w, what=f"the pane in {code}")
                    shot = bubble.history.viewport().grab(bubble.history.visualRect(bubble.index()))
                    shot.save(str(Path(SCREENSHOTS) / f"voice_open_{code}.png"))
            box, _, _ = bubble.parts()
            bubble.click(QPoint(box.left() + 60, box.center().y()))  # anywhere on "Open in the player"
            await until(lambda: opened.urls, what="the recording handed to the desktop's player")
            assert contents(opened.urls[0].toLocalFile()) == recording  # the exact bytes stored
            await settle(client)
            return

        assert bubble.state().in_app and not bubble.state().playing
        bubble.press_play()
        await until(lambda: bubble.state().playing, what="playing")
        media = voice.multimedia().QMediaPlayer.MediaStatus
        assert extras.voice.player.mediaStatus() in (media.LoadedMedia, media.BufferingMedia, media.BufferedMedia)
        await until(lambda: bubble.state().duration > 0, what="its duration known")
        assert abs(bubble.state().duration - 2000) <= 120  # the 2.0 s recording
        await until(lambda: bubble.state().position >= 400, what="the position advancing")
        bubble.press_play()  # pause
        await until(lambda: not bubble.state().playing, what="paused")
        held = bubble.state().position
        await asyncio.sleep(0.3)
        assert bubble.state().position == held  # paused: it does not move on
        bubble.seek(0.5)  # a click half-way along the track
        await until(lambda: abs(bubble.state().position - 1000) <= 150, what="moved to the middle")
        if SCREENSHOTS:
            take = window.conversation_pane.take
            for code, word in (("uk", "&Взяти"), ("ru", "&Взять"), ("en", "&Take")):
                client.choose_language(code)
                await until(lambda w=word: take.text() == w, what=f"the pane in {code}")
                window.conversation_pane.grab().save(str(Path(SCREENSHOTS) / f"voice_paused_{code}.png"))
        bubble.press_play()  # resume from there, to the end
        await until(lambda: bubble.state().playing, what="playing again")
        await until(lambda: not bubble.state().playing, timeout=5, what="played to the end")
        assert bubble.state().position == 0  # back to the start for the next click
        assert not opened.urls  # played here, nothing handed to the desktop

        # A recording Qt cannot decode: said in words, and the bubble offers the system's player instead.
        wa.media[VOICE_MEDIA_ID] = ("audio/ogg", b"OggS\x00\x02" + bytes(600))
        broken = notification("voice", 0.5, "16505551234", "wamid.v2")
        assert (await wa.notify(http, hook, broken)).status_code == 200
        await until(lambda: len(extras.voices) == 2, what="the second recording")
        model = window.messages
        second = max(extras.voices)
        window.conversation_pane.history.scrollToBottom()
        row = next(
            r for r in range(model.rowCount())
            if getattr(model.index(r, 0).data(MessageRole.MESSAGE), "id", 0) == second
        )  # fmt: skip
        extras.play_voice(second)
        await until(lambda: not model.index(row, 0).data(MessageRole.VOICE).in_app, what="the fallback")
        assert "cannot be played here" in window.statusBar().currentMessage()
        extras.play_voice(second)
        await until(lambda: opened.urls, what="handed to the desktop's player")
        # Signing out leaves no recording on disk for the next user.
        folder = extras.voice._folder
        assert folder is not None and any(folder.iterdir())
        window.sign_out_action.trigger()
        await until(lambda: not folder.exists(), what="the downloaded recordings removed")
        assert extras.voices == {} and extras.voice.current is None
        await settle(client)
