"""Logs: structured JSON lines (structlog) with a request id on every line of a request, and never a secret.

``configure(settings)`` sets up the root logger once per process: ``log_format = "json"`` writes one JSON object per
line (for the journal, Loki, Elastic...), ``"text"`` the familiar readable lines. Both pass through ``redact``: values
under secret-sounding keys, bearer tokens, OmniDesk tokens and passwords inside URLs are replaced before anything is
written. ``RequestIds`` gives each HTTP request an id (the caller's ``X-Request-ID`` when it is sane, else a new one),
binds it to every log line written while the request runs, returns it in the response header and logs one line per
request.
"""

from __future__ import annotations

import logging
import re
import sys
import time
import uuid
from typing import Any

import structlog
from starlette.types import ASGIApp, Message, Receive, Scope, Send

REDACTED = "[redacted]"
_SECRET_KEY = re.compile(r"pass(word)?|secret|token|authorization|cookie|api[_-]?key|credential", re.IGNORECASE)
_SECRET_TEXT = [
    (re.compile(r"(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]{8,}"), r"\1 " + REDACTED),
    (re.compile(r"\bod[ar]_[A-Za-z0-9_-]{16,}"), REDACTED),  # OmniDesk access and refresh tokens
    (re.compile(r"\b([a-z][a-z0-9+.-]*://[^:/@\s]+):[^@\s]+@"), r"\1:" + REDACTED + "@"),  # user:password@ in URLs
    (re.compile(r"(?i)\b(password|passwd|pwd|secret|token)=([^&\s]+)"), r"\1=" + REDACTED),
]
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


def redact_text(text: str) -> str:
    for pattern, replacement in _SECRET_TEXT:
        text = pattern.sub(replacement, text)
    return text


def _redact_value(key: str, value: Any) -> Any:
    if _SECRET_KEY.search(key) and value not in (None, "", False):
        return REDACTED
    if isinstance(value, str):
        return redact_text(value)
    if isinstance(value, dict):
        return {k: _redact_value(str(k), v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_redact_value(key, v) for v in value]
    return value


def redact(_logger, _method, event_dict: dict) -> dict:
    """structlog processor: no secret leaves the process in a log line."""
    return {k: (_redact_value(k, v) if k != "event" else redact_text(str(v))) for k, v in event_dict.items()}


def _text_line(_logger, _method, event_dict: dict) -> str:
    """The readable format: ``time LEVEL logger: message key=value ...``."""
    head = (
        f"{event_dict.pop('timestamp', '')} {str(event_dict.pop('level', '')).upper()} "
        f"{event_dict.pop('logger', '')}: {event_dict.pop('event', '')}"
    )
    exc = event_dict.pop("exception", None)
    tail = " ".join(f"{k}={v}" for k, v in event_dict.items())
    return " ".join(p for p in (head, tail) if p) + (f"\n{exc}" if exc else "")


def configure(settings) -> None:
    """Route every logger (ours, uvicorn's, SQLAlchemy's) through structlog's formatter, JSON or text."""
    fmt = getattr(settings, "log_format", "text")
    shared = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        structlog.stdlib.ExtraAdder(),
    ]
    renderer = (
        structlog.processors.JSONRenderer(ensure_ascii=False)
        if fmt == "json"
        else structlog.dev.ConsoleRenderer(colors=False)
    )
    formatter = structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=shared,
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            structlog.processors.format_exc_info,
            redact,
            renderer,
        ],
    )
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(formatter)
    handler.set_name("omnidesk")
    root = logging.getLogger()
    for old in [h for h in root.handlers if h.get_name() == "omnidesk"]:
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(settings.log_level.upper())
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        # uvicorn's own handlers would print a second, unredacted copy.
        logging.getLogger(name).handlers.clear()
        logging.getLogger(name).propagate = True
    structlog.configure(
        processors=[*shared, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )


# A plain stdlib logger: its fields travel as ``extra`` (structlog's ExtraAdder puts them into the JSON line), and an
# unconfigured process (tests, the demo) prints nothing.
access_log = logging.getLogger("omnidesk.access")


class RequestIds:
    """ASGI middleware: a request id per HTTP request, bound to its log lines and echoed as ``X-Request-ID``."""

    def __init__(self, app: ASGIApp, metrics=None, log_requests: bool = True) -> None:
        self.app = app
        self.metrics = metrics  # ops.metrics.Metrics: counted and timed here, at the start of each response
        self.log_requests = log_requests

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = dict(scope.get("headers") or []).get(b"x-request-id", b"").decode("latin-1")
        request_id = given if _REQUEST_ID.match(given) else uuid.uuid4().hex
        started = time.perf_counter()
        code = 500
        observed = False

        def observe() -> None:
            nonlocal observed
            if self.metrics is not None and not observed:
                observed = True
                self.metrics.observe(scope["method"], _route(scope), code, time.perf_counter() - started)

        async def with_id(message: Message) -> None:
            nonlocal code
            if message["type"] == "http.response.start":
                code = message["status"]
                message = {**message, "headers": [*message.get("headers", []), (b"x-request-id", request_id.encode())]}
                observe()  # a stream's latency is until it starts, not its hours of life
            await send(message)

        with structlog.contextvars.bound_contextvars(request_id=request_id):
            try:
                await self.app(scope, receive, with_id)
            finally:
                observe()
                if self.log_requests:
                    route = _route(scope)
                    client = scope.get("client")
                    access_log.info(
                        "request",
                        extra={
                            "method": scope["method"],
                            "route": route,
                            "status": code,
                            "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                            "client": client[0] if client else None,
                        },
                    )


def _route(scope: Scope) -> str:
    """The route's template (``/api/v1/conversations/{conversation_id}``), never the raw path with its ids."""
    return getattr(scope.get("route"), "path", None) or "unmatched"
