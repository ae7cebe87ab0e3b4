"""Cycles of Qt objects are freed on the GUI thread, never in a worker thread (omnidesk.client.collector)."""

from __future__ import annotations

import gc
import threading
import weakref

from PySide6.QtCore import QObject, QTimer

from omnidesk.client import collector


class Cyclic(QObject):
    """A QObject with a running timer, kept alive only by a reference cycle, as a closed view often is."""

    def __init__(self) -> None:
        super().__init__()
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.tick)
        self.timer.start(60_000)
        self.me = self

    def tick(self) -> None:
        pass


def test_a_worker_thread_allocating_never_frees_qt_objects_only_the_gui_thread_does(qapp):
    running = collector.install(qapp)
    assert running.active and not gc.isenabled()
    freed_in: list[str] = []
    dropped = Cyclic()
    watch = weakref.ref(dropped, lambda _ref: freed_in.append(threading.current_thread().name))
    del dropped

    def allocate() -> None:  # far past generation 0's threshold, as aiosqlite's thread does under load
        for _ in range(20):
            junk = [[] for _ in range(running.thresholds[0] * 5)]
            for item in junk:
                item.append(item)
            del junk

    worker = threading.Thread(target=allocate, name="worker")
    worker.start()
    worker.join()
    assert watch() is not None and freed_in == []

    for _ in range(3):  # at most a generation 2 collection away
        running.collect_if_due()
        if watch() is None:
            break
    assert watch() is None
    assert freed_in == [threading.main_thread().name]


def test_the_collector_collects_only_when_cpython_would(qapp):
    running = collector.install(qapp)
    gc.collect()
    before = running.collections
    assert running.collect_if_due() == 0 and running.collections == before  # nothing pending yet
    junk = [{} for _ in range(running.thresholds[0] + 10)]
    running.collect_if_due()
    assert running.collections == before + 1
    del junk
