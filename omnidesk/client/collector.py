"""Python's cyclic garbage collector, run on the GUI thread only.

CPython runs its cyclic collector in whichever thread happens to cross the allocation threshold. The client has other
threads: qasync's executor (host name lookups for httpx, file writes via ``asyncio.to_thread``) and, in the embedded
demo and the tests, aiosqlite's connection threads. A widget, a timer or any other QObject that ended up in a
reference cycle is then destroyed in that thread, which Qt forbids ("QObject::killTimer: Timers cannot be stopped from
another thread", a widget torn down off the GUI thread) and which can crash the process outright; the test suite saw
it as a worker dying with SIGSEGV in a random client test.

``install()`` turns automatic collection off and runs the same generational collection from a QTimer on the GUI
thread: generation 0 when as many allocations are pending as CPython's own threshold, an older generation when its
own counter is due, exactly as the automatic collector decides. Reference counting still frees everything that is not
in a cycle at once; only cycles wait for the next tick (half a second at most).
"""

from __future__ import annotations

import gc
import threading

from PySide6.QtCore import QCoreApplication, QObject, QTimer

__all__ = ["MainThreadCollector", "install", "installed"]


class MainThreadCollector(QObject):
    def __init__(self, parent: QObject | None = None, interval_ms: int = 500) -> None:
        super().__init__(parent)
        self.thresholds = gc.get_threshold()
        self.collections = 0
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.collect_if_due)

    def start(self) -> None:
        gc.disable()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
        gc.enable()

    @property
    def active(self) -> bool:
        return self._timer.isActive()

    def collect_if_due(self) -> int:
        """Collect the generation CPython would collect now, if any; returns the number of unreachable objects found.
        Off the main thread it does nothing: that is the point."""
        if threading.current_thread() is not threading.main_thread():
            return 0
        counts = gc.get_count()
        generation = -1
        for level in range(3):
            if counts[level] > self.thresholds[level]:
                generation = level
            else:
                break
        if generation < 0:
            return 0
        self.collections += 1
        return gc.collect(generation)


_installed: list[MainThreadCollector] = []


def install(app: QCoreApplication | None = None) -> MainThreadCollector:
    """Start collecting on the GUI thread (once per process; later calls return the running collector)."""
    if _installed:
        return _installed[0]
    owner = app or QCoreApplication.instance()
    if owner is None:
        raise RuntimeError("the collector needs the QApplication: create it first")
    if threading.current_thread() is not threading.main_thread():
        raise RuntimeError("the collector must be installed from the GUI thread")
    collector = MainThreadCollector(owner)
    collector.start()
    _installed.append(collector)
    return collector


def installed() -> MainThreadCollector | None:
    return _installed[0] if _installed else None
