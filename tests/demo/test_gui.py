"""``run_demo`` with the desktop client (offscreen): it comes up signed in as the operator with the seeded inbox,
live traffic arrives in it, and closing the main window ends ``run_demo`` with the server and its thread stopped.

The test drives the client only through what anyone can see: Qt's top-level widgets, polled by a timer that runs
inside the client's own event loop."""

from __future__ import annotations

import os

os.environ["QT_QPA_PLATFORM"] = "offscreen"  # before anything imports Qt

import threading
import time
from pathlib import Path

import httpx
import keyring
import pytest
from keyring.backends import fail
from PySide6.QtCore import QTimer, QtMsgType
from PySide6.QtWidgets import QApplication

from omnidesk.client.views.login import LoginDialog
from omnidesk.client.views.main_window import MainWindow
from omnidesk.demo.run import run_demo
from tests.helpers import HEADLESS_MULTIMEDIA

pytestmark = pytest.mark.slow

HARMLESS = ("This plugin does not support", "QFont::setPointSizeF")
SCREENSHOTS = os.environ.get("OMNIDESK_SCREENSHOTS")


@pytest.fixture
def no_keyring():
    """The demo must not need (or touch) the operating system's keyring."""
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    yield
    keyring.set_keyring(previous)


class Observer:
    """Polls the application's windows from inside its event loop: signed in, inbox filled, live rows, then close."""

    def __init__(self, timeout: float) -> None:
        self.deadline = time.monotonic() + timeout
        self.first_rows: int | None = None
        self.user: str | None = None
        self.url: str | None = None
        self.rows = 0
        self.threads: list[str] = []
        self.timed_out = False
        self.window_title = ""
        self.shot: Path | None = None

    def start(self) -> None:
        QTimer.singleShot(200, self.check)

    def main_window(self) -> MainWindow | None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, MainWindow) and widget.isVisible():
                return widget
        return None

    def check(self) -> None:
        window = self.main_window()
        if window is not None and window.workspace.user is not None and window.inbox.rowCount() > 0:
            self.user = window.workspace.user.username
            self.url = window.workspace.server_url
            if self.first_rows is None:
                self.first_rows = window.inbox.rowCount()
            self.rows = window.inbox.rowCount()
            if self.rows > self.first_rows:  # a new customer wrote while we watched: live traffic
                self.window_title = window.windowTitle()
                self.threads = [t.name for t in threading.enumerate()]
                if SCREENSHOTS:
                    self.shot = Path(SCREENSHOTS) / "demo-inbox.png"
                    window.resize(1400, 820)
                    window.grab().save(str(self.shot))
                window.close()
                return
        if time.monotonic() > self.deadline:
            self.timed_out = True
            for widget in QApplication.topLevelWidgets():
                if isinstance(widget, MainWindow | LoginDialog) and widget.isVisible():
                    widget.close() if isinstance(widget, MainWindow) else widget.reject()
            return
        QTimer.singleShot(200, self.check)


def test_demo_opens_the_client_signed_in_and_closing_it_stops_everything(
    tmp_path, qapp, qtlog, no_keyring, monkeypatch
):
    monkeypatch.setenv("OMNIDESK_DEMO_INTERVAL", "0.4")
    observer = Observer(timeout=120)
    observer.start()
    code = run_demo(headless=False, port=None, data_dir=tmp_path, language="en")

    assert not observer.timed_out, f"the client did not come up signed in with live traffic (rows={observer.rows})"
    assert code == 0
    assert observer.user == "operator"
    assert observer.first_rows >= 40, "the seeded inbox fills the first page"
    assert "omnidesk-demo-services" in observer.threads, "the server ran while the client was open"
    assert not [t for t in threading.enumerate() if t.name.startswith("omnidesk-demo")], "no thread left behind"
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"{observer.url}/healthz", timeout=2)
    assert (tmp_path / "client").is_dir(), "the client keeps its settings inside the demo folder"
    warnings = [
        r.message
        for r in qtlog.records
        if r.type in (QtMsgType.QtWarningMsg, QtMsgType.QtCriticalMsg, QtMsgType.QtFatalMsg)
        and not any(h in r.message for h in HARMLESS)
        and not HEADLESS_MULTIMEDIA.match(r.message)
    ]
    assert not warnings, warnings
