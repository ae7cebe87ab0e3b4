"""Closing the workspace never swallows a cancellation of its caller (the flaky teardown hang of
test_customer_screens: the client's shutdown ate the loop's cancel and the final cancel-all waited forever)."""

from __future__ import annotations

import asyncio

import pytest

from omnidesk.client.credentials import SessionVault
from omnidesk.client.outbox import Outbox
from omnidesk.client.tasks import TaskRegistry
from omnidesk.client.workspace import Workspace


async def _slow_to_stop(stopping: asyncio.Event) -> None:
    try:
        await asyncio.sleep(3600)
    except asyncio.CancelledError:
        stopping.set()
        await asyncio.sleep(0.3)  # an HTTP stream takes a moment to close its connection
        raise


@pytest.mark.parametrize("leave", ["close", "sign_out"])
def test_a_cancelled_close_is_cancelled_and_the_stream_still_ends(tmp_path, memory_keyring, leave):
    async def scenario() -> None:
        workspace = Workspace(vault=SessionVault(), outbox=Outbox(tmp_path / "outbox.json"), tasks=TaskRegistry())
        stopping = asyncio.Event()
        stream = asyncio.get_running_loop().create_task(_slow_to_stop(stopping))
        await asyncio.sleep(0)
        workspace._stream_task = stream
        closing = asyncio.get_running_loop().create_task(getattr(workspace, leave)())
        await stopping.wait()  # close() now waits for the stream task to end
        closing.cancel()  # e.g. the loop's teardown cancels every task
        with pytest.raises(asyncio.CancelledError):
            await asyncio.wait_for(closing, 2)
        assert closing.cancelled()
        await asyncio.wait({stream}, timeout=2)
        assert stream.done()

    asyncio.run(scenario())
