"""Helpers of the client tests that run the real client against a real server on one qasync loop.

`Cable` is a loopback TCP relay between the client and the server that a test can unplug and plug back in:
the client sees exactly what a pulled network cable does to it (refused and dropped connections).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import time
import weakref
from collections.abc import Callable
from pathlib import Path
from typing import Any

import keyring.errors
from keyring.backend import KeyringBackend
from PySide6.QtWidgets import QAbstractButton, QApplication, QComboBox, QLabel, QWidget

from omnidesk.client.credentials import SessionVault
from omnidesk.client.main import ClientApp
from omnidesk.client.sync import Backoff


class MemoryKeyring(KeyringBackend):
    """A real keyring backend that keeps secrets in this process only."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.secrets: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.secrets.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.secrets[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.secrets.pop((service, username), None) is None:
            raise keyring.errors.PasswordDeleteError(username)


FAST_BACKOFF = Backoff(first=0.2, cap=0.8, offline_after=3)
_opened: weakref.WeakSet[ClientApp] = weakref.WeakSet()


def still_open() -> list[ClientApp]:
    """Clients a test opened and did not close (it failed half-way)."""
    return [client for client in _opened if not client.finished.done()]


def clipped_texts(root: QWidget) -> list[str]:
    """Texts wider than the widget showing them (buttons, one-line labels, combo boxes)."""
    found = []
    for widget in root.findChildren(QWidget):
        if not widget.isVisibleTo(root) or widget.width() <= 0:
            continue
        if isinstance(widget, QAbstractButton) and widget.text():
            if widget.width() < widget.sizeHint().width():
                found.append(f"button {widget.text()!r}: {widget.width()} < {widget.sizeHint().width()}")
        elif isinstance(widget, QLabel) and widget.text() and not widget.wordWrap():
            shown = widget.text()
            if widget.buddy() is not None:  # "&Server:" shows as "Server:" with an underline
                shown = shown.replace("&&", "\0").replace("&", "").replace("\0", "&")
            need = widget.fontMetrics().horizontalAdvance(shown)
            if widget.width() < need:
                found.append(f"label {widget.text()!r}: {widget.width()} < {need}")
        elif isinstance(widget, QComboBox) and widget.currentText():
            need = widget.fontMetrics().horizontalAdvance(widget.currentText()) + 24
            if widget.width() < need:
                found.append(f"combo {widget.currentText()!r}: {widget.width()} < {need}")
    return found


async def until(condition: Callable[[], Any], timeout: float = 15.0, what: str = "") -> Any:
    """Wait (on the running loop, so Qt and the server keep working) until `condition()` is truthy."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what or condition}")
        await asyncio.sleep(0.02)


async def events_settled(passes: int = 3) -> None:
    """Let the running qasync loop process the Qt events posted so far (layouts, paints). Never call
    QApplication.processEvents() inside a coroutine on that loop: it would run other tasks' steps re-entrantly, inside
    this one ("Cannot enter into task ... while another task is being executed")."""
    for _ in range(passes):
        await asyncio.sleep(0.01)


async def shot(widget: QWidget, name: str, code: str) -> None:
    """With OMNIDESK_SCREENSHOTS=<folder>, save ``widget`` as <folder>/<name>_<code>.png (after its layout settled)."""
    folder = os.environ.get("OMNIDESK_SCREENSHOTS")
    if folder:
        await asyncio.sleep(0.2)
        Path(folder).mkdir(parents=True, exist_ok=True)  # noqa: ASYNC240 - a test's one folder
        widget.grab().save(str(Path(folder) / f"{name}_{code}.png"))


def open_client(home: Path, *, language: str | None = "en", backoff: Backoff | None = FAST_BACKOFF) -> ClientApp:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    client = ClientApp(app, home=home, language=language, vault=SessionVault(), backoff=backoff)
    _opened.add(client)
    return client


async def signed_in(home: Path, url: str, username: str, password: str = "password-123", **kw: Any) -> ClientApp:
    """A client signed in with the given credentials, its inbox loaded and its event stream online."""
    client = open_client(home, **kw)
    await client.start(url, username, password)
    await until(lambda: client.window is not None and client.window.isVisible(), what="main window")
    await until(lambda: client.workspace.store.link_state == "online", what="stream online")
    await until(lambda: not client.window.inbox.loading, what="inbox loaded")
    return client


async def settle(*clients: ClientApp) -> None:
    """Close the clients and let the server finish every request, before pytest-qt processes events
    outside the loop (asyncio callbacks need a running loop)."""
    for client in clients:
        client.quit()
        await asyncio.wait_for(client.wait(), 10)
    current = asyncio.current_task()

    def busy() -> list[asyncio.Task[Any]]:
        """Requests the server still handles, and the client's own tasks."""
        found = []
        for task in asyncio.all_tasks():
            code = getattr(task.get_coro(), "cr_code", None)
            if task is current or task.done() or code is None:
                continue
            if code.co_qualname == "RequestResponseCycle.run_asgi" or "omnidesk/client" in code.co_filename:
                found.append(task)
        return found

    with contextlib.suppress(AssertionError):
        await until(lambda: not busy(), timeout=5, what="requests to finish")
    await asyncio.sleep(0.05)


class Cable:
    """A TCP relay on a loopback port: `unplug()` drops every connection and refuses new ones."""

    def __init__(self, target_url: str) -> None:
        host_port = target_url.split("://", 1)[1]
        self._target_host, port = host_port.rsplit(":", 1)
        self._target_port = int(port)
        self._server: asyncio.base_events.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()
        self._pipes: set[asyncio.Task[None]] = set()
        self.plugged = True
        self.port = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def start(self) -> Cable:
        self._server = await asyncio.start_server(self._connected, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def _connected(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if not self.plugged:
            writer.close()
            return
        try:
            up_reader, up_writer = await asyncio.open_connection(self._target_host, self._target_port)
        except OSError:
            writer.close()
            return
        self._writers.update((writer, up_writer))
        for source, sink in ((reader, up_writer), (up_reader, writer)):
            task = asyncio.get_running_loop().create_task(self._pipe(source, sink))
            self._pipes.add(task)
            task.add_done_callback(self._pipes.discard)

    async def _pipe(self, source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
        try:
            while chunk := await source.read(65536):
                sink.write(chunk)
                await sink.drain()
        except (ConnectionError, OSError):
            pass
        finally:
            self._writers.discard(sink)
            sink.close()

    def unplug(self) -> None:
        self.plugged = False
        for writer in list(self._writers):
            writer.transport.abort()
        self._writers.clear()

    def plug(self) -> None:
        self.plugged = True

    async def close(self) -> None:
        self.unplug()
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
        for task in list(self._pipes):
            task.cancel()
        await asyncio.gather(*self._pipes, return_exceptions=True)
