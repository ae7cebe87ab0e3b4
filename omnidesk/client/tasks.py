"""A registry of the client's background asyncio tasks.

Every task started by the client goes through `TaskRegistry.spawn`, which keeps a strong reference until
the task ends (asyncio holds only weak ones) and hands any failure to a reporter instead of letting it
vanish into "Task exception was never retrieved".
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from typing import Any

__all__ = ["TaskRegistry"]

log = logging.getLogger(__name__)

Reporter = Callable[[BaseException], None]


class TaskRegistry:
    def __init__(self, loop: asyncio.AbstractEventLoop | None = None, reporter: Reporter | None = None) -> None:
        self._loop = loop
        self._tasks: set[asyncio.Task[Any]] = set()
        self.reporter = reporter

    @property
    def loop(self) -> asyncio.AbstractEventLoop:
        if self._loop is None:
            try:
                self._loop = asyncio.get_running_loop()
            except RuntimeError:
                self._loop = asyncio.get_event_loop_policy().get_event_loop()
        return self._loop

    def spawn(self, coroutine: Coroutine[Any, Any, Any], name: str | None = None) -> asyncio.Task[Any]:
        task = self.loop.create_task(coroutine, name=name)
        self._tasks.add(task)
        task.add_done_callback(self._finished)
        return task

    def _finished(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if task.cancelled():
            return
        error = task.exception()
        if error is None:
            return
        log.error("background task %s failed", task.get_name(), exc_info=error)
        if self.reporter is not None:
            self.reporter(error)

    def __len__(self) -> int:
        return len(self._tasks)

    async def cancel_all(self, keep: asyncio.Task[Any] | None = None) -> None:
        """Cancel every task (but `keep`, usually the caller's own) and wait until they have ended."""
        tasks = [task for task in self._tasks if task is not keep]
        for task in tasks:
            task.cancel()
        if tasks:
            await asyncio.gather(*tasks, return_exceptions=True)
