"""Voice notes (Telegram's and WhatsApp's are OGG/Opus) and audio files played in the history, in the client.

One player for the client: a bubble's play button starts its message's recording (downloaded once into a temporary
file), pauses and resumes it; a click on its track seeks. Qt Multimedia (PySide6-Addons, its FFmpeg backend) does
the playing; where it cannot be loaded (a build without it) or cannot play a file, the bubble offers "Open" instead,
which hands the file to the desktop's own player, and says why.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import NamedTuple

from PySide6.QtCore import QObject, QUrl, Signal

from omnidesk.protocol.channels import AttachmentOut

__all__ = ["VoicePlayer", "VoiceState", "multimedia"]

log = logging.getLogger(__name__)
PLAYABLE = ("voice", "audio")


def multimedia():
    """The QtMultimedia module, or None where it is not installed or cannot load (no PySide6-Addons)."""
    try:
        from PySide6 import QtMultimedia
    except ImportError as error:
        log.info("voice notes open in the system's player: Qt Multimedia is not available (%s)", error)
        return None
    return QtMultimedia


class VoiceState(NamedTuple):
    attachment_id: int
    in_app: bool  # False: the bubble offers "Open" (the desktop's player)
    playing: bool = False
    loading: bool = False
    position: int = 0  # milliseconds
    duration: int = 0  # milliseconds; 0 while unknown


class VoicePlayer(QObject):
    """Plays one recording at a time; ``changed(message_id)`` whenever a bubble's control has to repaint."""

    changed = Signal(int)
    failed = Signal(object)  # a text in the operator's words

    def __init__(
        self,
        download: Callable[[AttachmentOut], Awaitable[bytes | None]],
        open_externally: Callable[[AttachmentOut], None],
        spawn: Callable[[Awaitable[None], str], object],
        parent: QObject | None = None,
        *,
        in_app: bool | None = None,
    ) -> None:
        super().__init__(parent)
        self._download = download
        self._open_externally = open_externally
        self._spawn = spawn
        # Qt Multimedia (and its FFmpeg backend) loads when a voice note first needs it, not at the client's start.
        self._wanted = in_app is not False
        self._loaded: tuple[object | None] | None = None
        self.player = None
        self.output = None
        self.current: AttachmentOut | None = None
        self._message_id: int | None = None
        self._files: dict[int, Path] = {}  # attachment id → its downloaded copy
        self._folder: Path | None = None
        self._refused: set[int] = set()  # attachments the player could not play: "Open" for them
        self._loading = False

    @property
    def _module(self):
        if self._loaded is None:
            self._loaded = (multimedia() if self._wanted else None,)
        return self._loaded[0]

    @property
    def in_app(self) -> bool:
        return self._module is not None

    def state(self, message_id: int, attachment: AttachmentOut) -> VoiceState:
        in_app = self.in_app and attachment.id not in self._refused
        if self.current is None or self.current.id != attachment.id or self.player is None:
            return VoiceState(attachment.id, in_app)
        playing = self.player.playbackState() == self._module.QMediaPlayer.PlaybackState.PlayingState
        return VoiceState(
            attachment.id, in_app, playing, self._loading, int(self.player.position()), int(self.player.duration())
        )

    # --- actions --------------------------------------------------------------------------------------------

    def toggle(self, message_id: int, attachment: AttachmentOut) -> None:
        """Play, pause or resume the recording; "Open" in the desktop's player where it cannot play here."""
        if not self.in_app or attachment.id in self._refused:
            self._open_externally(attachment)
            return
        if self.current is not None and self.current.id == attachment.id and self.player is not None:
            if self._loading:
                return
            if self.player.playbackState() == self._module.QMediaPlayer.PlaybackState.PlayingState:
                self.player.pause()
            else:
                self.player.play()
            return
        self.stop()
        self.current, self._message_id, self._loading = attachment, message_id, True
        self.changed.emit(message_id)
        self._spawn(self._load(message_id, attachment), "voice-load")

    def seek(self, message_id: int, attachment: AttachmentOut, fraction: float) -> None:
        if self.player is None or self.current is None or self.current.id != attachment.id:
            return
        duration = self.player.duration()
        if duration > 0:
            self.player.setPosition(int(max(0.0, min(1.0, fraction)) * duration))

    def stop(self) -> None:
        """Stop what plays (another conversation opened, the client closes)."""
        previous = self._message_id
        if self.player is not None:
            self.player.stop()
            self.player.setSource(QUrl())
        self.current, self._message_id, self._loading = None, None, False
        if previous is not None:
            self.changed.emit(previous)

    def forget(self) -> None:
        """Sign-out: stop, and remove the downloaded recordings (a customer's voice stays on no disk)."""
        self.stop()
        self._files.clear()
        self._refused.clear()
        if self._folder is not None:
            shutil.rmtree(self._folder, ignore_errors=True)
            self._folder = None

    # --- inside -----------------------------------------------------------------------------------------------

    def _ensure_player(self) -> None:
        if self.player is not None:
            return
        module = self._module
        self.player = module.QMediaPlayer(self)
        self.output = module.QAudioOutput(self)  # without a sound device it still plays, silently
        self.player.setAudioOutput(self.output)
        self.player.positionChanged.connect(self._tick)
        self.player.durationChanged.connect(self._tick)
        self.player.playbackStateChanged.connect(self._tick)
        self.player.mediaStatusChanged.connect(self._status)
        self.player.errorOccurred.connect(self._error)

    async def _load(self, message_id: int, attachment: AttachmentOut) -> None:
        path = self._files.get(attachment.id)
        if path is None or not path.exists():
            data = await self._download(attachment)
            if data is None:  # the download failed (said by the panel)
                if self.current is not None and self.current.id == attachment.id:
                    self.stop()
                return
            if self._folder is None:
                self._folder = Path(tempfile.mkdtemp(prefix="omnidesk-voice-"))
            path = self._folder / f"{attachment.id}-{Path(attachment.file_name).name or 'voice'}"
            path.write_bytes(data)
            self._files[attachment.id] = path
        if self.current is None or self.current.id != attachment.id:
            return  # another recording was started meanwhile
        self._ensure_player()
        self.player.setSource(QUrl.fromLocalFile(str(path)))
        self.player.play()

    def _tick(self, *_: object) -> None:
        if self._message_id is not None:
            self.changed.emit(self._message_id)

    def _status(self, status) -> None:
        statuses = self._module.QMediaPlayer.MediaStatus
        if status in (statuses.LoadedMedia, statuses.BufferedMedia, statuses.BufferingMedia, statuses.EndOfMedia):
            self._loading = False
        if status == statuses.EndOfMedia and self.player is not None:
            self.player.setPosition(0)  # played to the end: the next click starts again
        if status == statuses.InvalidMedia:
            self._error(self._module.QMediaPlayer.Error.FormatError, self.player.errorString())
            return
        self._tick()

    def _error(self, error, text: str = "") -> None:
        if error == self._module.QMediaPlayer.Error.NoError or self.current is None:
            return
        attachment, message_id = self.current, self._message_id
        reason = text or (self.player.errorString() if self.player is not None else "") or str(error)
        self._refused.add(attachment.id)
        self.stop()
        self.failed.emit(
            self.tr("This recording cannot be played here (%1): open it in your player.").replace("%1", reason)
        )
        if message_id is not None:
            self.changed.emit(message_id)
