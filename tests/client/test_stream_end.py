"""The event stream's two endings besides a dropped network (issue 16): the server says the session is over
(`event: stream.end` with a reason, then closes) and the client goes to the login dialog saying why; the server
cannot replay from our last event (409) and the client starts again from the head and re-reads its views.

The server side of stream.end is the hardening work landing beside this; here an HTTP transport answers exactly
what that server sends (text/event-stream frames), so the client's half is tested on its own."""

from __future__ import annotations

import asyncio
import json

import httpx

from omnidesk.client.api import ApiClient
from omnidesk.client.sync import Backoff, EventStream, LinkState
from omnidesk.client.views.texts import session_end_text

EVENT = {"id": 43, "type": "conversation.updated", "at": "2026-01-01T00:00:00Z", "payload": {}}


def sse_server(script: list[httpx.Response]) -> tuple[httpx.MockTransport, list[httpx.Request]]:
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.path.endswith("/events/head"):
            return httpx.Response(200, json={"last_event_id": 42})
        return script.pop(0) if script else httpx.Response(503)

    return httpx.MockTransport(answer), seen


def stream(*frames: str) -> httpx.Response:
    return httpx.Response(200, headers={"content-type": "text/event-stream"}, content="".join(frames).encode())


async def test_a_409_resynchronises_from_the_head_and_stream_end_stops_with_the_reason():
    transport, seen = sse_server(
        [
            httpx.Response(409, json={"detail": "events after 7 are no longer kept"}),
            stream(
                ": heartbeat\n\n",
                f"id: 43\ndata: {json.dumps(EVENT)}\n\n",
                'event: stream.end\ndata: {"reason": "revoked"}\n\n',
            ),
        ]
    )
    api = ApiClient("http://desk.test", transport=transport)
    got: list[int] = []
    ended: list[str] = []
    states: list[LinkState] = []

    async def resync() -> int:
        return await api.events_head()  # as Workspace._resync does

    events = EventStream(
        api,
        on_event=lambda event: got.append(event.id),
        on_state=lambda state, _retry: states.append(state),
        on_session_ended=ended.append,
        on_resync=resync,
        last_event_id=7,
        backoff=Backoff(first=0.01, cap=0.02),
    )
    await asyncio.wait_for(events.run(), 5)  # returns: the session is over, no reconnecting
    assert events.resyncs == 1
    assert got == [43] and ended == ["revoked"]
    assert [r.url.params["after"] for r in seen if r.url.path.endswith("/events")] == ["7", "42"]
    assert states[-1] == LinkState.OFFLINE
    await api.aclose()


async def test_other_refusals_of_the_stream_are_retried_not_fatal():
    transport, seen = sse_server(
        [
            httpx.Response(422, json={"detail": "bad after"}),
            stream('event: stream.end\ndata: {"reason": "expired"}\n\n'),
        ]
    )
    api = ApiClient("http://desk.test", transport=transport)
    ended: list[str] = []
    events = EventStream(
        api, on_event=lambda event: None, on_session_ended=ended.append, backoff=Backoff(first=0.01, cap=0.02)
    )
    await asyncio.wait_for(events.run(), 5)
    assert ended == ["expired"] and len([r for r in seen if r.url.path.endswith("/events")]) == 2
    await api.aclose()


def test_the_reason_is_said_in_words(qapp):
    assert session_end_text("revoked") == "An administrator ended your session. Please sign in again."
    assert session_end_text("password_changed") == "Your password was changed. Please sign in with the new one."
    assert session_end_text("maintenance") == "The server ended your session (maintenance). Please sign in again."
