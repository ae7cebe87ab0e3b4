"""Fixtures of the client tests: offscreen Qt, a qasync loop, Qt warnings as failures, an in-memory keyring."""

from __future__ import annotations

import os

os.environ["QT_QPA_PLATFORM"] = "offscreen"  # before anything imports Qt
os.environ.setdefault("QT_ACCESSIBILITY", "0")

import asyncio
import weakref
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

import keyring
import pytest
import pytestqt.plugin
from keyring.backend import KeyringBackend
from PySide6.QtCore import QObject, QtMsgType, QUrl, Slot
from PySide6.QtGui import QDesktopServices

from tests.client.live import MemoryKeyring
from tests.helpers import HEADLESS_MULTIMEDIA

# Harmless messages of the offscreen platform itself, not of our code.
IGNORED_QT_MESSAGES = (
    "This plugin does not support propagateSizeHints()",
    "This plugin does not support raise()",
    "This plugin does not support grabbing the keyboard",
    "QFont::setPointSizeF: Point size <= 0",
)


@pytest.fixture(autouse=True)
def qt_warnings_fail(request: pytest.FixtureRequest) -> Iterator[None]:
    """Any Qt warning (or worse) logged during a test fails it."""
    if "qtlog" not in request.fixturenames:
        request.getfixturevalue("qtlog")
    yield
    qtlog = request.getfixturevalue("qtlog")
    bad = [
        record.message
        for record in qtlog.records
        if record.type in (QtMsgType.QtWarningMsg, QtMsgType.QtCriticalMsg, QtMsgType.QtFatalMsg)
        and not any(ignored in record.message for ignored in IGNORED_QT_MESSAGES)
        and not HEADLESS_MULTIMEDIA.match(record.message)
        and not record.ignored  # a test's own @pytest.mark.qt_log_ignore("regex", ...)
    ]
    assert not bad, f"Qt warnings: {bad}"


@pytest.fixture(autouse=True)
def qt_cycles_collected_on_the_gui_thread(qapp: Any) -> Iterator[None]:
    """As in the app (omnidesk.client.collector): cycles are collected on this thread, never in aiosqlite's or the
    executor's threads, where freeing a widget or a timer crashes the worker."""
    from omnidesk.client import collector

    running = collector.install(qapp)
    if not running.active:
        running.start()
    yield
    running.collect_if_due()


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture
def no_keyring() -> Iterator[KeyringBackend]:
    from keyring.backends import fail

    previous = keyring.get_keyring()
    backend = fail.Keyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture
def qloop(qapp: Any) -> Iterator[asyncio.AbstractEventLoop]:
    """A qasync loop driving Qt and asyncio together, as in the real client."""
    from omnidesk.client.eventloop import ClientLoop

    loop = ClientLoop(qapp)
    _open_loops.add(loop)
    asyncio.set_event_loop(loop)
    yield loop
    asyncio.runners._cancel_all_tasks(loop)  # bounded: see tests/conftest.py
    loop.run_until_complete(loop.shutdown_asyncgens())
    loop.close()
    asyncio.set_event_loop(None)


@pytest.fixture
def drive(qloop: asyncio.AbstractEventLoop) -> Callable[..., Any]:
    """Run a coroutine (or wait for a condition) on the qasync loop, with a timeout."""

    def drive(work: Awaitable[Any] | Callable[[], bool], timeout: float = 10.0) -> Any:
        if callable(work):
            condition = work

            async def waiting() -> bool:
                while not condition():
                    await asyncio.sleep(0.02)
                return True

            work = waiting()
        return qloop.run_until_complete(asyncio.wait_for(work, timeout))

    return drive


# qasync loops of the tests that are open now. pytest-qt processes Qt events between a test's phases; with a
# qasync loop open but not running, that would run asyncio callbacks (the in-process server's timers, stream
# reads) outside their loop and break them with "no running event loop". Their loop processes Qt events anyway.
_open_loops: weakref.WeakSet[asyncio.AbstractEventLoop] = weakref.WeakSet()
_qt_process_events = pytestqt.plugin._process_events


def _process_events_unless_a_loop_owns_them() -> None:
    from tests.conftest import CURRENT_ITEM_USES_QT

    if not CURRENT_ITEM_USES_QT[0]:
        return  # a test without Qt (the worker ran Qt tests before): its phases are none of Qt's business
    if not any(not loop.is_closed() for loop in _open_loops):
        _qt_process_events()


pytestqt.plugin._process_events = _process_events_unless_a_loop_owns_them


def _qasync_loop() -> asyncio.AbstractEventLoop:
    from PySide6.QtWidgets import QApplication

    from omnidesk.client.eventloop import ClientLoop

    loop = ClientLoop(QApplication.instance() or QApplication([]))
    _open_loops.add(loop)
    return loop


def pytest_asyncio_loop_factories(config: pytest.Config, item: pytest.Item) -> dict[str, Callable[[], Any]]:
    """Async client tests (and their async fixtures, e.g. the in-process server) run on one qasync loop:
    the server, the client and Qt's own events share it, as in the desktop app."""
    return {"qasync": _qasync_loop}


@pytest.fixture
async def api(api):
    """The in-process server of tests/conftest.py; clients a failed test left open are closed before it stops."""
    yield api
    from tests.client.live import settle, still_open

    await settle(*still_open())


@pytest.fixture(autouse=True)
def no_crash_dialogs() -> Iterator[None]:
    """A failure the client had to show in a crash dialog fails the test that caused it."""
    from omnidesk.client import main

    yield
    shown = [f"{box.text()}\n{box.detailedText()}" for box in main._crash_boxes]
    for box in list(main._crash_boxes):
        box.close()
    main._crash_boxes.clear()
    assert not shown, f"the client showed a crash dialog: {shown}"


@pytest.fixture
def bare_window(qloop, qtbot, tmp_path, memory_keyring):
    """A main window over a workspace that is not signed in, its inbox fed from memory."""
    from omnidesk.client.credentials import SessionVault
    from omnidesk.client.outbox import Outbox
    from omnidesk.client.tasks import TaskRegistry
    from omnidesk.client.views.main_window import MainWindow
    from omnidesk.client.workspace import Workspace
    from omnidesk.protocol import UserOut

    workspace = Workspace(vault=SessionVault(), outbox=Outbox(tmp_path / "outbox.json"), tasks=TaskRegistry(qloop))
    workspace.store.set_user(UserOut(id=7, username="olena", display_name="Olena", role="operator"))
    window = MainWindow(workspace)
    qtbot.addWidget(window)
    return window


class DesktopOpens(QObject):
    """What the client handed to the desktop to open (QDesktopServices.openUrl of a file: URL), caught."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[QUrl] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        self.urls.append(url)


@pytest.fixture
def desktop_opens() -> Iterator[DesktopOpens]:
    opened = DesktopOpens()
    QDesktopServices.setUrlHandler("file", opened, "open")
    yield opened
    QDesktopServices.unsetUrlHandler("file")
