"""Typed async access to the OmniDesk HTTP API (/api/v1), with no Qt.

Every call returns protocol schemas. Failures become the exceptions below, each of which names what went
wrong in the operator's terms (the views translate them for display). An expired access token is
refreshed once, transparently; the rotated refresh token is handed to `on_tokens` so a remembered
session can keep it in the keyring.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import functools
import ssl
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from typing import Any

import httpx
from pydantic import TypeAdapter

from omnidesk.domain.enums import ConversationStatus
from omnidesk.protocol import (
    ChannelOut,
    ConversationOut,
    EventHead,
    MessageOut,
    Page,
    TokenPair,
    UserOut,
)

__all__ = [
    "ApiClient",
    "ApiError",
    "Conflict",
    "Forbidden",
    "NotFound",
    "Rejected",
    "ServerError",
    "ServerUnreachable",
    "SessionExpired",
    "Throttled",
    "TlsFailure",
    "WrongCredentials",
    "normalise_server_url",
]

API_PREFIX = "/api/v1"
STREAM_READ_TIMEOUT = 45.0  # three missed heartbeats (the server pings every 15 s)


class ApiError(Exception):
    """A call to the server failed; `str(error)` is an English explanation for logs. A refusal the server coded
    (omnidesk/domain/problems.py) carries its ``code`` and ``params``: the views word those in the operator's
    language."""

    status: int | None = None
    code: str | None = None
    params: dict[str, Any]

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.params = {}


class ServerUnreachable(ApiError):
    """No answer from the server: wrong address, server down, or the network is gone."""


class TlsFailure(ServerUnreachable):
    """The server answered but its certificate could not be verified."""


class WrongCredentials(ApiError):
    """The user name or password is wrong."""


class SessionExpired(ApiError):
    """The session was revoked or expired; the operator has to sign in again."""


class Throttled(ApiError):
    """Too many attempts; `retry_after` seconds to wait, when the server said."""

    def __init__(self, message: str, *, retry_after: float | None = None) -> None:
        super().__init__(message, status=429)
        self.retry_after = retry_after


class Forbidden(ApiError):
    """The operator's role does not allow this."""


class NotFound(ApiError):
    """The conversation (or other object) no longer exists."""


class Rejected(ApiError):
    """The server refused the request as invalid (422)."""


class Conflict(Rejected):
    """409: a colleague was faster, or the object changed meanwhile. ``holder`` is who now holds the conversation
    (when the server named them), ``reason`` the server's short code ("already taken")."""

    def __init__(self, message: str, *, status: int | None = 409, holder: str | None = None, reason: str | None = None):
        super().__init__(message, status=status)
        self.holder = holder
        self.reason = reason


class InvalidField(Rejected):
    """422 naming the part of the request that is wrong (``where``) and why (``reason``, the server's words)."""

    def __init__(self, message: str, *, status: int | None = 422, where: str = "", reason: str = ""):
        super().__init__(message, status=status)
        self.where = where
        self.reason = reason


class ServerError(ApiError):
    """The server failed (5xx)."""


def normalise_server_url(url: str) -> str:
    """Turn what an operator types ("desk.example.org", "127.0.0.1:8765/") into a base URL."""
    url = url.strip().rstrip("/")
    if not url:
        raise ValueError("empty server address")
    if "://" not in url:
        host = url.split("/")[0].split(":")[0]
        loopback = host in {"localhost", "::1"} or host.startswith("127.")
        url = ("http://" if loopback else "https://") + url
    if url.endswith(API_PREFIX):
        url = url[: -len(API_PREFIX)]
    return url


def _detail(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return response.text[:200] or response.reason_phrase
    detail = body.get("detail") if isinstance(body, dict) else None
    if isinstance(detail, list):  # FastAPI validation errors
        return "; ".join(str(item.get("msg", item)) for item in detail if isinstance(item, dict)) or str(detail)
    if isinstance(detail, dict):  # a structured refusal: its words, not the dict's repr
        words = detail.get("message") or detail.get("reason")
        if detail.get("where") and detail.get("reason"):
            words = f"{detail['where']}: {detail['reason']}"
        return str(words or detail)
    return str(detail) if detail is not None else response.reason_phrase


def _raw_detail(response: httpx.Response) -> object:
    """The ``detail`` of an error answer as sent: a dict (a structured refusal), a list (422 problems) or text."""
    try:
        body = response.json()
    except ValueError:
        return None
    return body.get("detail") if isinstance(body, dict) else None


def _coded(response: httpx.Response) -> tuple[str | None, dict[str, Any]]:
    """The refusal's stable code and its parameters, when the server gave them."""
    try:
        body = response.json()
    except ValueError:
        return None, {}
    if not isinstance(body, dict) or not isinstance(body.get("code"), str):
        return None, {}
    params = body.get("params")
    return body["code"], params if isinstance(params, dict) else {}


def _is_tls_problem(error: BaseException) -> bool:
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, ssl.SSLError):
            return True
        text = str(current)
        if "CERTIFICATE_VERIFY_FAILED" in text or "SSL" in text or "TLS" in text:
            return True
        current = current.__cause__ or current.__context__
    return False


def transport_error(error: httpx.TransportError, base_url: str) -> ServerUnreachable:
    """Classify a failure to talk to the server."""
    if _is_tls_problem(error):
        return TlsFailure(f"TLS failure talking to {base_url}: {error}")
    return ServerUnreachable(f"cannot reach {base_url}: {error!r}")


def error_for(response: httpx.Response, *, during_login: bool = False) -> ApiError:
    """The typed exception for an unsuccessful response, with the refusal's code and parameters if it had them."""
    error = _error_for(response, during_login=during_login)
    error.code, error.params = _coded(response)
    return error


def _error_for(response: httpx.Response, *, during_login: bool) -> ApiError:
    status = response.status_code
    detail = _detail(response)
    if status == 401:
        if during_login:
            return WrongCredentials(detail, status=status)
        return SessionExpired(detail, status=status)
    if status == 429:
        retry_after: float | None
        try:
            retry_after = float(response.headers.get("Retry-After", ""))
        except ValueError:
            retry_after = None
        return Throttled(detail, retry_after=retry_after)
    raw = _raw_detail(response)
    structured = raw if isinstance(raw, dict) else {}
    if status == 409:
        holder = structured.get("assignee_name") or (structured.get("holder") or {}).get("display_name")
        return Conflict(f"{status}: {detail}", holder=holder, reason=structured.get("reason"))
    if status == 422 and structured.get("where") and structured.get("reason"):
        return InvalidField(f"{status}: {detail}", where=str(structured["where"]), reason=str(structured["reason"]))
    if status == 422 and detail:  # the server's uniform list of problems: the field (if any) and the reason
        problems = [p for p in raw if isinstance(p, dict)] if isinstance(raw, list) else []
        if problems:
            where = ".".join(str(p) for p in problems[0].get("loc", []) if p not in ("body", "request", "query"))
            return InvalidField(f"{status}: {detail}", where=where, reason=detail)
    kinds: dict[int, type[ApiError]] = {403: Forbidden, 404: NotFound, 409: Rejected, 422: Rejected}
    kind = kinds.get(status, ServerError if status >= 500 else ApiError)
    return kind(f"{status}: {detail}", status=status)


@functools.cache
def trusted_certificates() -> ssl.SSLContext:
    """The system's trusted CAs, loaded once: loading them costs ~70 ms, every sign-in would pay it again."""
    return ssl.create_default_context()


_conversation_page = TypeAdapter(Page[ConversationOut])
_message_page = TypeAdapter(Page[MessageOut])
_channels = TypeAdapter(list[ChannelOut])


# While a call the operator is watching for is in flight (the newest messages of the conversation just opened), the
# other calls wait to be sent: the server answers requests of one process on one thread, so the card, the timeline and
# the reply window sent alongside would otherwise share its time with the one the operator waits for. A waiting call
# goes anyway after PRIORITY_WAIT, so nothing is held up for long by a slow priority call.
PRIORITY_WAIT = 0.3
_IN_PRIORITY: contextvars.ContextVar[bool] = contextvars.ContextVar("omnidesk_api_priority", default=False)


class ApiClient:
    """One signed-in (or signing-in) connection to a server."""

    def __init__(
        self,
        server_url: str,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        verify: bool | ssl.SSLContext = True,
        timeout: float = 10.0,
        on_tokens: Callable[[TokenPair], Awaitable[None] | None] | None = None,
    ) -> None:
        self.server_url = normalise_server_url(server_url)
        if verify is True:
            verify = trusted_certificates()
        self._http = httpx.AsyncClient(
            base_url=self.server_url + API_PREFIX,
            transport=transport,
            verify=verify,
            timeout=httpx.Timeout(timeout),
            headers={"User-Agent": "OmniDesk-Client"},
        )
        self._tokens: TokenPair | None = None
        self._refresh_lock = asyncio.Lock()
        self._priority_calls = 0
        self._no_priority = asyncio.Event()
        self._no_priority.set()
        self.on_tokens = on_tokens

    @contextlib.asynccontextmanager
    async def priority(self) -> AsyncIterator[None]:
        """Calls made inside go first: calls from elsewhere wait (at most PRIORITY_WAIT) until these are answered."""
        release = self.hold()
        token = _IN_PRIORITY.set(True)
        try:
            yield
        finally:
            _IN_PRIORITY.reset(token)
            release()

    def hold(self) -> Callable[[], None]:
        """From now on other calls wait (at most PRIORITY_WAIT each) until the returned function is called: for a
        priority call that is about to be made by a task not yet running (the first inbox page at sign-in)."""
        self._priority_calls += 1
        self._no_priority.clear()
        released = False

        def release() -> None:
            nonlocal released
            if released:
                return
            released = True
            self._priority_calls -= 1
            if not self._priority_calls:
                self._no_priority.set()

        return release

    async def _give_way(self) -> None:
        if self._no_priority.is_set() or _IN_PRIORITY.get():
            return
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._no_priority.wait(), PRIORITY_WAIT)

    # --- session ------------------------------------------------------------------------------------

    @property
    def user(self) -> UserOut | None:
        return self._tokens.user if self._tokens else None

    @property
    def refresh_token(self) -> str | None:
        return self._tokens.refresh_token if self._tokens else None

    async def aclose(self) -> None:
        await self._http.aclose()

    async def _send(self, request: httpx.Request, *, stream: bool = False) -> httpx.Response:
        try:
            return await self._http.send(request, stream=stream)
        except httpx.TransportError as error:
            raise transport_error(error, self.server_url) from error

    async def _adopt(self, response: httpx.Response, *, during_login: bool) -> TokenPair:
        if response.status_code != 200:
            raise error_for(response, during_login=during_login)
        tokens = TokenPair.model_validate(response.json())
        self._tokens = tokens
        if self.on_tokens is not None:
            outcome = self.on_tokens(tokens)
            if outcome is not None:
                await outcome
        return tokens

    async def login(self, username: str, password: str) -> TokenPair:
        request = self._http.build_request("POST", "/auth/login", json={"username": username, "password": password})
        return await self._adopt(await self._send(request), during_login=True)

    async def resume(self, refresh_token: str) -> TokenPair:
        """Sign in with a remembered refresh token (rotated by the server)."""
        request = self._http.build_request("POST", "/auth/refresh", json={"refresh_token": refresh_token})
        return await self._adopt(await self._send(request), during_login=False)

    async def _refresh(self, stale_access: str | None) -> None:
        async with self._refresh_lock:
            if self._tokens is None:
                raise SessionExpired("not signed in")
            if self._tokens.access_token != stale_access:
                return  # another call refreshed meanwhile
            await self.resume(self._tokens.refresh_token)

    async def logout(self) -> None:
        """Revoke the session on the server; forgetting it locally even when the server is unreachable."""
        if self._tokens is None:
            return
        try:
            await self._call("POST", "/auth/logout", refresh=False)
        except ApiError:
            pass  # the token dies with its expiry anyway; the operator asked to leave
        finally:
            self._tokens = None

    def _authorised(self, method: str, path: str, **kwargs: Any) -> httpx.Request:
        request = self._http.build_request(method, path, **kwargs)
        if self._tokens is not None:
            request.headers["Authorization"] = f"Bearer {self._tokens.access_token}"
        return request

    async def _call(self, method: str, path: str, *, refresh: bool = True, **kwargs: Any) -> httpx.Response:
        await self._give_way()
        access = self._tokens.access_token if self._tokens else None
        response = await self._send(self._authorised(method, path, **kwargs))
        if response.status_code == 401 and refresh and self._tokens is not None:
            await self._refresh(access)
            response = await self._send(self._authorised(method, path, **kwargs))
        if response.status_code >= 400:
            raise error_for(response)
        return response

    # --- resources ----------------------------------------------------------------------------------

    async def get(self, path: str, params: Any = None) -> httpx.Response:
        """GET any API path (under /api/v1) with the session's token: for feature packages with their own schemas."""
        return await self._call("GET", path, params=params)

    async def me(self) -> UserOut:
        return UserOut.model_validate((await self._call("GET", "/me")).json())

    async def my_permissions(self) -> list[str] | None:
        """The permission names GET /me lists (None when this server does not list them)."""
        listed = (await self._call("GET", "/me")).json().get("permissions")
        return [str(name) for name in listed] if isinstance(listed, list) else None

    async def channels(self) -> list[ChannelOut]:
        return _channels.validate_python((await self._call("GET", "/channels")).json())

    async def conversations(
        self,
        *,
        statuses: Iterable[ConversationStatus] = (),
        assignee: str | int | None = None,
        channel_id: int | None = None,
        customer_id: int | None = None,
        order: str = "activity",
        sla: str | None = None,
        cursor: str | None = None,
        limit: int = 50,
    ) -> Page[ConversationOut]:
        params: list[tuple[str, str | int]] = [("status", str(status)) for status in statuses]
        if sla is not None:
            params.append(("sla", sla))
        if assignee is not None:
            params.append(("assignee", assignee))
        if customer_id is not None:
            params.append(("customer_id", customer_id))
        if order != "activity":
            params.append(("order", order))
        if channel_id is not None:
            params.append(("channel_id", channel_id))
        if cursor:
            params.append(("cursor", cursor))
        params.append(("limit", limit))
        response = await self._call("GET", "/conversations", params=params)
        return _conversation_page.validate_python(response.json())

    async def conversation(self, conversation_id: int) -> ConversationOut:
        response = await self._call("GET", f"/conversations/{conversation_id}")
        return ConversationOut.model_validate(response.json())

    async def mark_read(self, conversation_id: int) -> ConversationOut:
        response = await self._call("POST", f"/conversations/{conversation_id}/read")
        return ConversationOut.model_validate(response.json())

    async def messages(self, conversation_id: int, *, cursor: str | None = None, limit: int = 50) -> Page[MessageOut]:
        """A page of the history: the first is the newest; `next_cursor` leads to older ones."""
        params: dict[str, str | int] = {"limit": limit}
        if cursor:
            params["cursor"] = cursor
        response = await self._call("GET", f"/conversations/{conversation_id}/messages", params=params)
        return _message_page.validate_python(response.json())

    async def reply(
        self, conversation_id: int, text: str, client_key: str, details: dict[str, Any] | None = None
    ) -> MessageOut:
        """Send a reply; repeating the same `client_key` returns the same message and sends nothing twice.

        ``details``: more fields of the body (an e-mail's ``mail``: To, Cc, subject)."""
        body = {**(details or {}), "text": text, "client_key": client_key}
        response = await self._call("POST", f"/conversations/{conversation_id}/messages", json=body)
        return MessageOut.model_validate(response.json())

    async def set_status(self, conversation_id: int, status: ConversationStatus) -> ConversationOut:
        response = await self._call("POST", f"/conversations/{conversation_id}/status", json={"status": str(status)})
        return ConversationOut.model_validate(response.json())

    async def assign(self, conversation_id: int, user_id: int | None = None) -> ConversationOut:
        response = await self._call("POST", f"/conversations/{conversation_id}/assign", json={"user_id": user_id})
        return ConversationOut.model_validate(response.json())

    async def events_head(self) -> int:
        return EventHead.model_validate((await self._call("GET", "/events/head")).json()).last_event_id

    @contextlib.asynccontextmanager
    async def event_lines(self, after: int) -> AsyncIterator[AsyncIterator[str]]:
        """Open the event stream after event `after`; yields the raw lines of the text/event-stream."""
        timeout = httpx.Timeout(self._http.timeout.connect, read=STREAM_READ_TIMEOUT)

        def request() -> httpx.Request:
            built = self._authorised(
                "GET",
                "/events",
                params={"after": after},
                headers={"Accept": "text/event-stream", "Last-Event-ID": str(after)},
                timeout=timeout,
            )
            return built

        await self._give_way()
        access = self._tokens.access_token if self._tokens else None
        response = await self._send(request(), stream=True)
        if response.status_code == 401 and self._tokens is not None:
            await response.aclose()
            await self._refresh(access)
            response = await self._send(request(), stream=True)
        try:
            if response.status_code >= 400:
                await response.aread()
                raise error_for(response)
            yield self._lines(response)
        finally:
            await response.aclose()

    async def _lines(self, response: httpx.Response) -> AsyncIterator[str]:
        try:
            async for line in response.aiter_lines():
                yield line
        except httpx.TransportError as error:
            raise transport_error(error, self.server_url) from error
