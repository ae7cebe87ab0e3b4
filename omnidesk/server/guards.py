"""What stands between any input and a 500: request guards, the error shield, and log redaction (issue 17).

* ``RequestGuard`` refuses, before any handler runs, what the handlers and the databases cannot represent: integers
  beyond 64 bits in the path, query or JSON body; NaN, Infinity and overflowing numbers; lone surrogates; and JSON
  objects with a repeated key (which one would win is a parser's accident). Every refusal is a 422 with the same
  structured ``detail`` as FastAPI's own validation errors.
* ``ErrorShield`` turns an unexpected exception into a proper response on a healthy connection: 503 with
  Retry-After when the database is away (so channels retry), 422 for a value a database refused as out of range,
  otherwise a 500 with a reference id; the log gets the traceback with SQL parameters and values removed.
* ``RedactQuery`` is a logging filter for the access log: query values (search terms are phone numbers and names)
  are replaced by ``…``.
"""

from __future__ import annotations

import json
import logging
import re
import traceback
import uuid
from collections.abc import Iterable

from sqlalchemy.exc import DBAPIError, DisconnectionError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from omnidesk.domain import problems

log = logging.getLogger("omnidesk.server")

MAX_INT = 2**63 - 1
MIN_INT = -(2**63)
_SURROGATE = re.compile("[\ud800-\udfff]")


class Refusal(ValueError):
    def __init__(self, loc: list, msg: str, type_: str) -> None:
        super().__init__(msg)
        self.loc, self.msg, self.type = loc, msg, type_


def problem(loc: list, msg: str, type_: str) -> list[dict]:
    return [{"loc": loc, "msg": msg, "type": type_}]


def _check_int(value: str) -> int:
    number = int(value)
    if not MIN_INT <= number <= MAX_INT:
        raise Refusal(["body"], f"the number {value[:30]}… does not fit in 64 bits", "value_error.number.too_big")
    return number


def _check_float(value: str) -> float:
    number = float(value)
    if number in (float("inf"), float("-inf")):
        raise Refusal(["body"], f"the number {value[:30]} is too large", "value_error.number.too_big")
    return number


def _refuse_constant(value: str):
    raise Refusal(["body"], f"{value} is not a JSON number", "value_error.number.not_finite")


def _check_text(value: str, loc: list) -> None:
    if _SURROGATE.search(value):
        raise Refusal(loc, "the text contains a lone surrogate (invalid Unicode)", "value_error.unicode")


def _pairs(pairs: Iterable[tuple[str, object]]) -> dict:
    out: dict = {}
    for key, value in pairs:
        _check_text(key, ["body", key.encode("utf-8", "replace").decode()])
        if key in out:
            raise Refusal(["body", key], f"the key {key!r} appears twice in one object", "value_error.duplicate_key")
        if isinstance(value, str):
            _check_text(value, ["body", key])
        out[key] = value
    return out


def check_json(body: bytes) -> None:
    """Raise Refusal for JSON this API refuses; malformed JSON is left to FastAPI (which answers 422 itself)."""
    try:
        value = json.loads(
            body,
            object_pairs_hook=_pairs,
            parse_int=_check_int,
            parse_float=_check_float,
            parse_constant=_refuse_constant,
        )
    except Refusal:
        raise
    except ValueError:
        return
    if isinstance(value, str):
        _check_text(value, ["body"])
    elif isinstance(value, list):
        for item in value:
            if isinstance(item, str):
                _check_text(item, ["body"])


def _check_segments(path: str, query: str) -> None:
    for segment in path.split("/"):
        if segment.isascii() and segment.isdigit() and len(segment) >= 19 and int(segment) > MAX_INT:
            raise Refusal(["path"], f"the id {segment[:30]} does not fit in 64 bits", "value_error.number.too_big")
    if not query:
        return
    from urllib.parse import parse_qsl

    for key, value in parse_qsl(query, keep_blank_values=True):
        text = value.strip().lstrip("+-")
        if text.isascii() and text.isdigit() and len(text) >= 19 and not MIN_INT <= int(value) <= MAX_INT:
            raise Refusal(
                ["query", key], f"the number {text[:30]} does not fit in 64 bits", "value_error.number.too_big"
            )
        if _SURROGATE.search(value):
            raise Refusal(["query", key], "the value contains invalid Unicode", "value_error.unicode")


async def _send_json(send: Send, status: int, payload: object, headers: dict[str, str] | None = None) -> None:
    body = json.dumps(payload, ensure_ascii=False).encode()
    raw = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    raw += [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()]
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": body})


class RequestGuard:
    """Refuse inputs no handler can represent (see the module docstring) with a structured 422."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        try:
            _check_segments(scope.get("path", ""), scope.get("query_string", b"").decode("latin-1"))
        except Refusal as exc:
            await _send_json(send, 422, {"detail": problem(exc.loc, exc.msg, exc.type)})
            return
        if scope["method"] in ("GET", "HEAD", "OPTIONS", "DELETE"):
            await self.app(scope, receive, send)
            return
        chunks: list[bytes] = []
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        kind = dict(scope.get("headers") or []).get(b"content-type", b"")
        if body and (b"json" in kind or not kind):
            try:
                check_json(body)
            except Refusal as exc:
                await _send_json(send, 422, {"detail": problem(exc.loc, exc.msg, exc.type)})
                return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


_OUTAGE_NAMES = {
    "CannotConnectNowError",
    "ConnectionDoesNotExistError",
    "ConnectionFailureError",
    "AdminShutdownError",
    "CrashShutdownError",
    "InterfaceError",
    "InternalClientError",
    "TooManyConnectionsError",
    "ConnectionResetError",
    "ConnectionRefusedError",
}


def _chain(exc: BaseException) -> Iterable[BaseException]:
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        yield exc
        exc = exc.__cause__ or exc.__context__


def is_database_outage(exc: BaseException) -> bool:
    """Whether ``exc`` means the database cannot be reached now (not that the request is wrong)."""
    for item in _chain(exc):
        if isinstance(item, DBAPIError) and item.connection_invalidated:
            return True
        if isinstance(item, (PoolTimeout, DisconnectionError, InterfaceError)):
            return True
        if isinstance(item, OperationalError):
            text = str(item.orig).lower()
            if any(w in text for w in ("locked", "unable to open", "disk i/o", "busy", "connection", "shutting")):
                return True
        if type(item).__name__ in _OUTAGE_NAMES or isinstance(item, (ConnectionError, TimeoutError)):
            return True
        if isinstance(item, OSError) and item.errno is not None:
            return True
    return False


def is_out_of_range(exc: BaseException) -> bool:
    """A value a database (or the datetime arithmetic before it) could not hold: the request's fault."""
    for item in _chain(exc):
        if isinstance(item, OverflowError):
            return True
        name = type(item).__name__
        if name in (
            "DataError",
            "NumericValueOutOfRangeError",
            "StringDataRightTruncationError",
            "DatetimeFieldOverflowError",
        ):
            return True
        if isinstance(item, DBAPIError) and type(item.orig).__name__.endswith("DataError"):
            return True
    return False


_PARAMS = re.compile(r"\[parameters: .*?\]|\(Background on this error.*?\)", re.S)
_VALUES = re.compile(r"(argument \$\d+|value|key)\s*[:=(]\s*.*", re.I)


def redact(text: str) -> str:
    """A message without SQL parameters or the values drivers quote in their errors."""
    return _VALUES.sub(r"\1: [redacted]", _PARAMS.sub("[parameters redacted]", text))


def redacted_traceback(exc: BaseException) -> str:
    """The traceback's frames (file, line, function) and redacted messages: no source lines, which may quote values."""
    lines = []
    for item in reversed(list(_chain(exc))):
        lines.extend(
            f'  File "{frame.filename}", line {frame.lineno}, in {frame.name}\n'
            for frame in traceback.extract_tb(item.__traceback__)
        )
        lines.append(f"{type(item).__module__}.{type(item).__qualname__}: {redact(str(item))}\n")
    return "".join(lines)


class ErrorShield:
    """Answer any exception a handler lets through with a response, and keep the connection usable."""

    def __init__(self, app: ASGIApp, retry_after: int = 5) -> None:
        self.app = app
        self.retry_after = retry_after

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception as exc:
            path = scope.get("path", "")
            if is_database_outage(exc):
                log.warning("database unavailable during %s %s: %s", scope["method"], path, type(exc).__name__)
                if not started:
                    await _send_json(
                        send,
                        503,
                        {"detail": "the database is unavailable; retry shortly"},
                        {"Retry-After": str(self.retry_after)},
                    )
                return
            if is_out_of_range(exc) and not started:
                await _send_json(
                    send,
                    422,
                    {"detail": problem(["request"], "a value in the request is out of range", "value_error.range")},
                )
                return
            reference = uuid.uuid4().hex[:12]
            log.error("unhandled error %s in %s %s\n%s", reference, scope["method"], path, redacted_traceback(exc))
            if not started:
                await _send_json(send, 500, {"detail": f"internal error (reference {reference})"})


class RedactQuery(logging.Filter):
    """Replace query values in uvicorn's access log lines (``GET /customers?q=%2B38050… HTTP/1.1``)."""

    _QUERY = re.compile(r"=([^&\s]*)")
    _SURVEY = re.compile(r"^/survey/[^/?]+")  # a survey link's token (omnidesk.server.csat.links) is a secret
    _FILE = re.compile(r"^/files/[^/?]+")  # a reply file's public address (omnidesk.server.attachments.links)

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) >= 3 and isinstance(args[2], str):
            target = self._FILE.sub("/files/…", self._SURVEY.sub("/survey/…", args[2]))
            if "?" in target:
                path, _, query = target.partition("?")
                target = f"{path}?{self._QUERY.sub('=…', query)}"
            record.args = (*args[:2], target, *args[3:])
        return True


def install_log_redaction() -> None:
    access = logging.getLogger("uvicorn.access")
    if not any(isinstance(f, RedactQuery) for f in access.filters):
        access.addFilter(RedactQuery())


def _flat_routes(routes) -> Iterable:
    try:
        from fastapi.routing import iter_route_contexts
    except ImportError:  # older FastAPI lists its routes flat
        return routes
    return iter_route_contexts(routes)


def other_methods(app, scope: Scope) -> set[str]:
    """Methods of routes whose path is this request's literally (no path parameter) but whose method is not its:
    for those the honest answer is 405, not a 422 about a parameter (GET /customers/matches is not customer
    "matches")."""
    allowed: set[str] = set()
    path = scope.get("path", "")
    method = scope.get("method", "")
    for route in _flat_routes(app.router.routes):
        methods = getattr(route, "methods", None) or set()
        if getattr(route, "path", None) == path and method not in methods:
            allowed |= set(methods) - {"HEAD"}
    return allowed


# What any operation may answer besides its own documented responses (every one with the Problem body).
COMMON_RESPONSES = {
    "400": "The request is malformed (a bad cursor, a bad header).",
    "401": "Not authenticated, or the token is invalid or expired.",
    "403": "The caller's role or permissions do not allow this.",
    "404": "Not found, or not visible to the caller.",
    "405": "The path exists, but not with this method.",
    "409": "The change conflicts with the current state.",
    "413": "The request body is too large.",
    "422": "The request is invalid; ``detail`` lists each problem with its location.",
    "429": "Too many requests; see Retry-After.",
    "500": "An unexpected error; the answer carries a reference for the server log.",
    "503": "The database is unavailable; retry after Retry-After seconds.",
}


def document_responses(app) -> None:
    """Make the OpenAPI document list every status code each operation can answer, each with its body schema."""
    from fastapi.openapi.utils import get_openapi

    def openapi() -> dict:
        if app.openapi_schema:
            return app.openapi_schema
        schema = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components["Problem"] = {
            "title": "Problem",
            "type": "object",
            "required": ["detail"],
            "properties": {
                "detail": {
                    "anyOf": [
                        {"type": "string"},
                        {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "required": ["loc", "msg", "type"],
                                "properties": {
                                    "loc": {
                                        "type": "array",
                                        "items": {"anyOf": [{"type": "string"}, {"type": "integer"}]},
                                    },
                                    "msg": {"type": "string"},
                                    "type": {"type": "string"},
                                },
                            },
                        },
                        {"type": "object"},
                    ]
                },
                "code": {
                    "type": "string",
                    "enum": sorted(problems.CODES),
                    "description": "A refusal's stable code (work organisation), for a client to word it in its "
                    "user's language; `detail` stays the English text. Each code with its parameters:\n\n"
                    + "\n".join(
                        f"- `{code}` ({c.status}; params: {', '.join(c.params) or 'none'}): {c.meaning}"
                        for code, c in sorted(problems.CODES.items())
                    ),
                },
                "params": {
                    "type": "object",
                    "description": "The code's parameters (see `code`); `rule` also names the rule of an unsaved "
                    "list a preview judged.",
                },
            },
        }
        problem_ref = {"application/json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
        for item in schema.get("paths", {}).values():
            for operation in item.values():
                if not isinstance(operation, dict) or "responses" not in operation:
                    continue
                responses = operation["responses"]
                for code, description in COMMON_RESPONSES.items():
                    entry = responses.setdefault(code, {"description": description})
                    if not entry.get("description"):
                        entry["description"] = description
                    if code != "200" and not str(code).startswith("2"):
                        entry["content"] = problem_ref
        app.openapi_schema = schema
        return schema

    app.openapi = openapi
