"""The client's single asyncio loop: qasync's Qt-driven loop, with one gap closed.

qasync's `run_until_complete` processes Qt events once more after `run_forever` has returned and the
loop is no longer the running one. Timers and socket notifiers firing in that pass run asyncio callbacks
with no running loop, and anything that asks for it (`asyncio.sleep`, anyio, httpx) fails with
"no running event loop". `ClientLoop` keeps itself current for that last pass.
"""

from __future__ import annotations

import asyncio
from typing import Any

import qasync
from PySide6.QtWidgets import QApplication

__all__ = ["ClientLoop"]


class ClientLoop(qasync.QEventLoop):  # type: ignore[misc]
    def __init__(self, app: QApplication | None = None, **kwargs: Any) -> None:
        super().__init__(app or QApplication.instance(), **kwargs)

    def run_forever(self) -> Any:
        try:
            return super().run_forever()
        finally:
            asyncio.events._set_running_loop(self)  # for qasync's trailing processEvents()

    def run_until_complete(self, future: Any) -> Any:
        try:
            return super().run_until_complete(future)
        finally:
            asyncio.events._set_running_loop(None)
