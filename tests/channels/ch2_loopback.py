"""A loopback HTTP server standing in for a messenger platform's API (Viber, VK, Meta, MAX) in the connector tests.

Each test module gives it a handler that speaks the platform's documented protocol (paths, parameters, answers,
error codes); the server records every request as it arrived on the wire (method, path, query, headers, raw body),
so the tests check what the connector really sent over a real socket, not what it meant to send.
"""

from __future__ import annotations

import json
import pathlib
import threading
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

FIXTURES = pathlib.Path(__file__).parent / "fixtures"


def fixture(platform: str, name: str) -> bytes:
    """A payload as the platform's documentation shows it, byte for byte as stored."""
    return (FIXTURES / platform / name).read_bytes()


@dataclass
class Seen:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)

    def form(self) -> dict[str, str]:
        """A form-encoded body, or the plain fields of a multipart one."""
        kind = self.headers.get("content-type", "")
        if kind.startswith("multipart/form-data"):
            return {k: v for k, v in self.parts().items() if isinstance(v, str)}
        return {k: v[-1] for k, v in urllib.parse.parse_qs(self.body.decode(), keep_blank_values=True).items()}

    def parts(self) -> dict[str, str | tuple[str, bytes, str]]:
        """A multipart body: plain fields as text, files as (file name, content, content type)."""
        raw = f"Content-Type: {self.headers['content-type']}\r\n\r\n".encode() + self.body
        message = BytesParser(policy=HTTP).parsebytes(raw)
        out: dict[str, str | tuple[str, bytes, str]] = {}
        for part in message.iter_parts():
            name = part.get_param("name", header="content-disposition")
            filename = part.get_filename()
            content = part.get_payload(decode=True) or b""
            out[name] = (filename, content, part.get_content_type()) if filename else content.decode()
        return out


Reply = tuple[int, Any] | tuple[int, Any, dict[str, str]]
Handler = Callable[[Seen], Reply]


@dataclass
class Platform:
    """``handler(seen) -> (status, JSON-able body or bytes[, headers])`` answers each request."""

    handler: Handler
    url: str = ""
    seen: list[Seen] = field(default_factory=list)
    _server: ThreadingHTTPServer | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def start(self) -> Platform:
        platform = self

        class RequestHandler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _serve(self) -> None:
                parts = urllib.parse.urlsplit(self.path)
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                seen = Seen(
                    self.command,
                    parts.path,
                    {k: v[-1] for k, v in urllib.parse.parse_qs(parts.query, keep_blank_values=True).items()},
                    {k.lower(): v for k, v in self.headers.items()},
                    body,
                )
                with platform._lock:
                    platform.seen.append(seen)
                    reply = platform.handler(seen)
                status, payload = reply[0], reply[1]
                headers = reply[2] if len(reply) > 2 else {}
                if isinstance(payload, bytes):
                    raw, kind = payload, "application/octet-stream"
                else:
                    raw, kind = json.dumps(payload).encode(), "application/json"
                self.send_response(status)
                self.send_header("Content-Type", headers.pop("Content-Type", kind))
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

            do_GET = do_POST = do_DELETE = do_PUT = _serve

            def log_message(self, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), RequestHandler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        return self

    def stop(self) -> None:
        if self._server:
            self._server.shutdown()
            self._server.server_close()

    def calls(self, path: str) -> list[Seen]:
        with self._lock:
            return [s for s in self.seen if s.path == path]
