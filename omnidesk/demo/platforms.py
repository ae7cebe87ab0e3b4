"""Loopback servers that speak the Telegram Bot API and the WhatsApp Cloud (Graph) API, for the real connectors
(the channel tests drive them, and the demo runs its Telegram and WhatsApp customers through them).

They follow each platform's documented protocol: Telegram's ``{"ok": ..., "result"/"error_code"/"description"/
"parameters": {"retry_after"}}`` envelope, ``/bot<token>/<method>`` and ``/file/bot<token>/<path>``, the getUpdates
offset rule and its 409 while a webhook is set; Graph's ``/<version>/<phone number id>/messages`` and ``/media``,
media ids resolved to a download URL that needs the bearer token, ``message_templates`` with paging, Graph errors
``{"error": {"message", "type", "code", "error_data", "fbtrace_id"}}``, and webhooks signed with X-Hub-Signature-256.
Tests script failures (``fail``) and read what the connector sent (``sent``).
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import itertools
import json
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

import httpx
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route


@contextlib.asynccontextmanager
async def serve_asgi(app):
    """An ASGI app on a loopback port (uvicorn in this event loop); yields its base URL."""
    config = uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan="off")
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()
        await asyncio.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        try:
            await asyncio.wait_for(task, 5)
        except TimeoutError:
            task.cancel()


# --- Telegram ------------------------------------------------------------------------------------------------


@dataclass
class FakeTelegram:
    token: str = "7000001:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"
    bot: dict = field(
        default_factory=lambda: {
            "id": 7000001,
            "is_bot": True,
            "first_name": "Bank help",
            "username": "bank_help_bot",
            "can_join_groups": False,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }
    )
    updates: list[dict] = field(default_factory=list)
    webhook: dict = field(default_factory=dict)
    sent: list[tuple[str, dict, dict]] = field(default_factory=list)  # (method, params, files {field: (name, bytes)})
    files: dict[str, tuple[str, bytes]] = field(default_factory=dict)  # file_id -> (file_path, bytes)
    failures: dict[str, list[tuple[int, dict]]] = field(default_factory=lambda: defaultdict(list))
    calls: list[tuple[str, float]] = field(default_factory=list)
    confirmed: int = 0  # the highest update_id a getUpdates offset confirmed
    rate_limit: int = 0  # send* calls per second the bot may make (Telegram: about 30); beyond it, 429 retry_after
    on_sent: Callable[[str, dict], None] | None = None  # (method, params) of each accepted send
    url: str = ""

    def __post_init__(self) -> None:
        self._ids = itertools.count(1000)
        self._new = asyncio.Event()

    def push(self, update: dict) -> None:
        self.updates.append(update)
        self._new.set()

    def fail(self, method: str, status: int, description: str, **parameters) -> None:
        body = {"ok": False, "error_code": status, "description": description}
        if parameters:
            body["parameters"] = parameters
        self.failures[method].append((status, body))

    def app(self) -> Starlette:
        return Starlette(
            routes=[
                Route("/bot{token}/{method}", self._method, methods=["GET", "POST"]),
                Route("/file/bot{token}/{path:path}", self._file, methods=["GET"]),
            ]
        )

    @contextlib.asynccontextmanager
    async def running(self):
        async with serve_asgi(self.app()) as url:
            self.url = url
            yield self

    async def _params(self, request: Request) -> tuple[dict, dict]:
        kind = request.headers.get("content-type", "")
        if kind.startswith("application/json"):
            return (await request.json()) or {}, {}
        if kind.startswith(("multipart/form-data", "application/x-www-form-urlencoded")):
            form = await request.form()
            params, files = {}, {}
            for key, value in form.multi_items():
                if hasattr(value, "read"):
                    files[key] = (value.filename, await value.read(), value.content_type)
                else:
                    try:
                        params[key] = json.loads(value) if value[:1] in "{[" else value
                    except json.JSONDecodeError:
                        params[key] = value
            return params, files
        return dict(request.query_params), {}

    def _message(self, chat_id, **extra) -> dict:
        chat = {"id": int(chat_id), "type": "private"}
        return {"message_id": next(self._ids), "from": self.bot, "chat": chat, "date": int(time.time()), **extra}

    async def _method(self, request: Request) -> Response:
        if request.path_params["token"] != self.token:
            return JSONResponse({"ok": False, "error_code": 401, "description": "Unauthorized"}, status_code=401)
        method = request.path_params["method"]
        self.calls.append((method, time.monotonic()))
        params, files = await self._params(request)
        if self.failures.get(method):
            status, body = self.failures[method].pop(0)
            return JSONResponse(body, status_code=status)
        ok = lambda result, **kw: JSONResponse({"ok": True, "result": result, **kw})  # noqa: E731
        if method == "getMe":
            return ok(self.bot)
        if method == "setWebhook":
            self.webhook = {"url": params.get("url", ""), "secret_token": params.get("secret_token")}
            return ok(True, description="Webhook was set")
        if method == "deleteWebhook":
            self.webhook = {}
            return ok(True, description="Webhook was deleted")
        if method == "getWebhookInfo":
            return ok({"url": self.webhook.get("url", ""), "has_custom_certificate": False, "pending_update_count": 0})
        if method == "getUpdates":
            if self.webhook.get("url"):
                return JSONResponse(
                    {
                        "ok": False,
                        "error_code": 409,
                        "description": "Conflict: can't use getUpdates method while webhook is active; "
                        "use deleteWebhook to delete the webhook first",
                    },
                    status_code=409,
                )
            offset = int(params.get("offset") or 0)
            if offset:
                self.confirmed = max(self.confirmed, offset - 1)
                self.updates = [u for u in self.updates if u["update_id"] >= offset]
            pending = [u for u in self.updates if u["update_id"] > self.confirmed]
            if not pending:
                self._new.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._new.wait(), min(float(params.get("timeout") or 0), 1.0))
                pending = [u for u in self.updates if u["update_id"] > self.confirmed]
            return ok(pending[:100])
        if method == "getFile":
            file_id = params.get("file_id")
            if file_id not in self.files:
                return JSONResponse(
                    {"ok": False, "error_code": 400, "description": "Bad Request: invalid file_id"}, status_code=400
                )
            path, data = self.files[file_id]
            return ok(
                {"file_id": file_id, "file_unique_id": "u" + file_id[-6:], "file_size": len(data), "file_path": path}
            )
        if method == "answerCallbackQuery":
            self.sent.append((method, params, {}))
            return ok(True)
        if method in ("sendMessage", "sendPhoto", "sendDocument", "sendVoice", "sendAudio", "sendVideo"):
            if self.rate_limit:
                now = time.monotonic()
                recent = [t for m, t in self.calls[:-1] if m.startswith("send") and now - t < 1.0]
                if len(recent) >= self.rate_limit:
                    self.calls.pop()
                    return JSONResponse(
                        {
                            "ok": False,
                            "error_code": 429,
                            "description": "Too Many Requests: retry after 1",
                            "parameters": {"retry_after": 1},
                        },
                        status_code=429,
                    )
            if "chat_id" not in params:
                return JSONResponse(
                    {"ok": False, "error_code": 400, "description": "Bad Request: chat_id is empty"}, status_code=400
                )
            if method == "sendMessage" and len(params.get("text", "")) > 4096:
                return JSONResponse(
                    {"ok": False, "error_code": 400, "description": "Bad Request: message is too long"},
                    status_code=400,
                )
            self.sent.append((method, params, files))
            if self.on_sent is not None:
                self.on_sent(method, params)
            extra = {"text": params["text"]} if "text" in params else {"caption": params.get("caption", "")}
            return ok(self._message(params["chat_id"], **extra))
        return JSONResponse({"ok": False, "error_code": 404, "description": "Not Found"}, status_code=404)

    async def _file(self, request: Request) -> Response:
        if request.path_params["token"] != self.token:
            return Response(status_code=401)
        for path, data in self.files.values():
            if path == request.path_params["path"]:
                return Response(data, media_type="application/octet-stream")
        return Response(status_code=404)


# --- WhatsApp Cloud API ----------------------------------------------------------------------------------------


@dataclass
class FakeWhatsApp:
    access_token: str = "EAAJB0example-access-token"
    app_secret: str = "d3b07384d113edec49eaa6238ad5ff00"
    phone_number_id: str = "106540352242922"
    business_account_id: str = "102290129340398"
    version: str = "v21.0"
    sent: list[dict] = field(default_factory=list)
    uploads: dict[str, tuple[str, bytes]] = field(default_factory=dict)
    media: dict[str, tuple[str, bytes]] = field(default_factory=dict)  # inbound media id -> (mime, bytes)
    templates: list[dict] = field(default_factory=list)
    failures: list[tuple[int, dict]] = field(default_factory=list)
    calls: list[float] = field(default_factory=list)
    on_sent: Callable[[dict, str], None] | None = None  # (request body, wamid) of each accepted message
    url: str = ""

    def __post_init__(self) -> None:
        self._ids = itertools.count(1)

    def fail(self, code: int, message: str, status: int = 400, details: str | None = None) -> None:
        error = {"message": message, "type": "OAuthException", "code": code, "fbtrace_id": "AbCdEf123"}
        if details:
            error["error_data"] = {"messaging_product": "whatsapp", "details": details}
        self.failures.append((status, {"error": error}))

    def app(self) -> Starlette:
        v = self.version
        return Starlette(
            routes=[
                Route(f"/{v}/{{phone}}/messages", self._messages, methods=["POST"]),
                Route(f"/{v}/{{phone}}/media", self._upload, methods=["POST"]),
                Route(f"/{v}/{{waba}}/message_templates", self._templates, methods=["GET"]),
                Route(f"/{v}/{{node}}", self._node, methods=["GET"]),
                Route("/lookaside/{media_id}", self._download, methods=["GET"]),
            ]
        )

    @contextlib.asynccontextmanager
    async def running(self):
        async with serve_asgi(self.app()) as url:
            self.url = url
            yield self

    def _authorised(self, request: Request) -> Response | None:
        if request.headers.get("authorization") != f"Bearer {self.access_token}":
            return JSONResponse(
                {
                    "error": {
                        "message": "Invalid OAuth access token - Cannot parse access token",
                        "type": "OAuthException",
                        "code": 190,
                        "fbtrace_id": "Azx1",
                    }
                },
                status_code=401,
            )
        return None

    async def _messages(self, request: Request) -> Response:
        if denied := self._authorised(request):
            return denied
        self.calls.append(time.monotonic())
        if self.failures:
            status, body = self.failures.pop(0)
            return JSONResponse(body, status_code=status)
        body = await request.json()
        if body.get("messaging_product") != "whatsapp" or not body.get("to"):
            return JSONResponse(
                {"error": {"message": "(#100) Invalid parameter", "type": "OAuthException", "code": 100}},
                status_code=400,
            )
        self.sent.append(body)
        wamid = f"wamid.HBgLMTY1MDUwNzY1MjAVAgARGBI{next(self._ids):06d}"
        if self.on_sent is not None:
            self.on_sent(body, wamid)
        return JSONResponse(
            {
                "messaging_product": "whatsapp",
                "contacts": [{"input": body["to"], "wa_id": body["to"]}],
                "messages": [{"id": wamid}],
            }
        )

    async def _upload(self, request: Request) -> Response:
        if denied := self._authorised(request):
            return denied
        form = await request.form()
        upload = form["file"]
        media_id = str(4490709327384033 + len(self.uploads))
        self.uploads[media_id] = (form.get("type"), await upload.read())
        return JSONResponse({"id": media_id})

    async def _templates(self, request: Request) -> Response:
        if denied := self._authorised(request):
            return denied
        after = int(request.query_params.get("after") or 0)
        page = self.templates[after : after + 2]
        paging = {"cursors": {"before": str(after), "after": str(after + 2)}}
        if after + 2 < len(self.templates):
            paging["next"] = (
                f"{self.url}/{self.version}/{request.path_params['waba']}/message_templates?after={after + 2}"
            )
        return JSONResponse({"data": page, "paging": paging})

    async def _node(self, request: Request) -> Response:
        if denied := self._authorised(request):
            return denied
        node = request.path_params["node"]
        if node == self.phone_number_id:
            return JSONResponse(
                {
                    "display_phone_number": "15550783881",
                    "verified_name": "Test Bank",
                    "quality_rating": "GREEN",
                    "id": node,
                }
            )
        if node in self.media:
            mime, data = self.media[node]
            return JSONResponse(
                {
                    "messaging_product": "whatsapp",
                    "url": f"{self.url}/lookaside/{node}",
                    "mime_type": mime,
                    "sha256": hashlib.sha256(data).hexdigest(),
                    "file_size": str(len(data)),
                    "id": node,
                }
            )
        return JSONResponse(
            {"error": {"message": "Unsupported get request.", "type": "GraphMethodException", "code": 100}},
            status_code=400,
        )

    async def _download(self, request: Request) -> Response:
        if denied := self._authorised(request):
            return denied
        mime, data = self.media[request.path_params["media_id"]]
        return Response(data, media_type=mime)

    def signed(self, payload: dict | bytes, secret: str | None = None) -> tuple[bytes, dict]:
        body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
        mac = hmac.new((secret or self.app_secret).encode(), body, hashlib.sha256).hexdigest()
        return body, {"Content-Type": "application/json", "X-Hub-Signature-256": f"sha256={mac}"}

    async def notify(self, client: httpx.AsyncClient, hook_url: str, payload: dict) -> httpx.Response:
        """Meta POSTing a signed notification to our webhook."""
        body, headers = self.signed(payload)
        return await client.post(hook_url, content=body, headers=headers)

    def envelope(self, value: dict) -> dict:
        """A ``whatsapp_business_account`` notification of this number, as the webhook reference shows it."""
        metadata = {"display_phone_number": "15550783881", "phone_number_id": self.phone_number_id}
        return {
            "object": "whatsapp_business_account",
            "entry": [
                {
                    "id": self.business_account_id,
                    "changes": [
                        {"value": {"messaging_product": "whatsapp", "metadata": metadata, **value}, "field": "messages"}
                    ],
                }
            ],
        }

    def status(self, wamid: str, state: str, recipient: str) -> dict:
        return self.envelope(
            {
                "statuses": [
                    {"id": wamid, "status": state, "timestamp": str(int(time.time())), "recipient_id": recipient}
                ]
            }
        )
