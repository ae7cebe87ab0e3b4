"""Loopback Viber, VK, Meta (Messenger and Instagram) and MAX platforms for the demo, and their webhook payloads.

``FakeMessengers`` is one loopback HTTP server that answers each platform's send API as its documentation shows it
(the connectors' ``api_base`` points at its ``/viber/pa``, ``/vk/method``, ``/meta/v21.0`` and ``/max`` prefixes):
Viber ``send_message`` (``status`` 0 and a ``message_token``), VK ``messages.send``, ``wall.createComment`` and
``wall.getById`` (``{"response": ...}``, the token in the form body), Graph ``/<page or account>/messages``,
``/<comment>/replies`` and a media's caption, MAX ``POST /messages?user_id=``. Every reply it accepts is handed to
``on_sent(kind, address, text)``: the demo's customers read it there.

``Payloads`` turns a simulated customer message into the platform's own webhook delivery: Viber's ``message`` callback
signed with X-Viber-Content-Signature, a VK Callback API ``message_new`` or ``wall_reply_new`` with the secret key, a
signed ``page`` / ``instagram`` notification (Direct or a comment under a post), and MAX's ``message_created`` with the
X-Max-Bot-Api-Secret header. A person may share their own phone (Viber's contact, MAX's contact card): that is how
"wrote in Telegram, then in MAX and Viber" becomes one customer.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import itertools
import json
import random
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from omnidesk.demo.platforms import serve_asgi
from omnidesk.domain.enums import ChannelKind

GRAPH = "v21.0"
VK_GROUP = 218_540_117
PAGE_ID = "107942345678901"
INSTAGRAM_ID = "17841405793187218"

# What the demo channels are given (what an administrator would copy from each platform's console).
CREDENTIALS: dict[ChannelKind, tuple[dict[str, str], dict[str, str]]] = {
    ChannelKind.VIBER: (
        {"auth_token": "4453b6ac12345678-e02c5f12174805f9-daec9cbb5448c51f"},
        {"sender_name": "OmniBank"},
    ),
    ChannelKind.VK: (
        {"access_token": "vk1.a.demo-community-token", "secret": "Kx9vQ2s7demo", "confirmation": "a1b2c3d4"},
        {"group_id": str(VK_GROUP)},
    ),
    ChannelKind.META: (
        {"app_secret": "6f1c0b5e9d8a7f6e5d4c3b2a19081726", "page_access_token": "EAAdemo-page", "verify_token": "demo"},
        {"page_id": PAGE_ID},
    ),
    ChannelKind.INSTAGRAM: (
        {"app_secret": "6f1c0b5e9d8a7f6e5d4c3b2a19081726", "page_access_token": "EAAdemo-ig", "verify_token": "demo"},
        {"account_id": INSTAGRAM_ID},
    ),
    ChannelKind.MAX: ({"access_token": "max-demo-bot-token", "webhook_secret": "demo_max_secret_42"}, {}),
}
PREFIX = {
    ChannelKind.VIBER: "/viber/pa",
    ChannelKind.VK: "/vk/method",
    ChannelKind.META: f"/meta/{GRAPH}",
    ChannelKind.INSTAGRAM: f"/meta/{GRAPH}",
    ChannelKind.MAX: "/max",
}
KINDS = tuple(CREDENTIALS)

# The posts customers comment under (VK wall, Instagram feed), in the languages of their readers.
POSTS = {
    "vk": (
        (101, "Новая карта OmniBank Black: кешбэк до 5% и бесплатное обслуживание первый год."),
        (102, "С 1 декабря отделения работают по новому графику: пн-пт 9:00-19:00, сб 10:00-16:00."),
    ),
    "instagram": (
        (
            "17895695668004550",
            "Знайомтеся: нова картка OmniBank для дітей 🧒 Перші 3 місяці обслуговування безкоштовно.",
        ),
        ("17895695668004551", "Send money abroad in 60 seconds with the OmniBank app ✈️ #banking #transfers"),
    ),
}


VIBER_TOKENS = 5_741_311_803_571_721_000  # the demo Viber's message tokens: this plus a running number


def _mac(secret: str, body: bytes) -> str:
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


class FakeMessengers:
    """One loopback server speaking the four platforms' send APIs (see the module's docstring)."""

    def __init__(self, on_sent: Callable[[ChannelKind, str, str, str], None] | None = None) -> None:
        self.on_sent = on_sent
        self.sent: list[tuple[ChannelKind, str, str]] = []
        self.url = ""
        self._ids = itertools.count(int(time.time()) % 100_000 * 1000)

    def api_base(self, kind: ChannelKind) -> str:
        return self.url + PREFIX[kind]

    def app(self) -> Starlette:
        return Starlette(
            routes=[
                Route("/viber/pa/{method}", self._viber, methods=["POST"]),
                Route("/vk/method/{method}", self._vk, methods=["POST"]),
                Route(f"/meta/{GRAPH}/{{node}}/{{edge}}", self._graph_edge, methods=["POST"]),
                Route(f"/meta/{GRAPH}/{{node}}", self._graph_node, methods=["GET"]),
                Route("/max/messages", self._max, methods=["POST"]),
            ]
        )

    @contextlib.asynccontextmanager
    async def running(self):
        async with serve_asgi(self.app()) as url:
            self.url = url
            yield self

    def _accepted(self, kind: ChannelKind, address: str, text: str, platform_id: Callable[[int], str] = str) -> int:
        """Record a send; ``on_sent`` hears it with the platform's id of the message (what its receipts name)."""
        n = next(self._ids)
        self.sent.append((kind, address, text))
        if self.on_sent is not None:
            self.on_sent(kind, address, text, platform_id(n))
        return n

    async def _viber(self, request: Request) -> Response:
        token = CREDENTIALS[ChannelKind.VIBER][0]["auth_token"]
        if request.headers.get("x-viber-auth-token") != token:
            return JSONResponse({"status": 2, "status_message": "invalidAuthToken"})
        body = await request.json()
        if request.path_params["method"] == "send_message":
            n = self._accepted(
                ChannelKind.VIBER, str(body.get("receiver")), body.get("text") or "", lambda n: str(VIBER_TOKENS + n)
            )
            return JSONResponse({"status": 0, "status_message": "ok", "message_token": VIBER_TOKENS + n})
        return JSONResponse({"status": 0, "status_message": "ok"})

    async def _vk(self, request: Request) -> Response:
        form = {k: v[-1] for k, v in parse_qs((await request.body()).decode(), keep_blank_values=True).items()}
        if form.get("access_token") != CREDENTIALS[ChannelKind.VK][0]["access_token"]:
            error = {
                "error_code": 5,
                "error_msg": "User authorization failed: invalid access_token (4).",
                "request_params": [],
            }
            return JSONResponse({"error": error})
        method = request.path_params["method"]
        if method == "messages.send":
            return JSONResponse(
                {"response": self._accepted(ChannelKind.VK, form.get("peer_id", ""), form.get("message", ""))}
            )
        if method == "wall.createComment":
            address = f"wall:{form.get('owner_id')}_{form.get('post_id')}_{form.get('reply_to_comment')}"
            return JSONResponse(
                {"response": {"comment_id": self._accepted(ChannelKind.VK, address, form.get("message", ""))}}
            )
        if method == "wall.getById":
            owner, _, post = form.get("posts", "").partition("_")
            text = dict(POSTS["vk"]).get(int(post or 0), "")
            return JSONResponse(
                {"response": {"items": [{"id": int(post or 0), "owner_id": int(owner or 0), "text": text}]}}
            )
        return JSONResponse({"error": {"error_code": 3, "error_msg": "Unknown method passed"}})

    def _graph_denied(self, request: Request) -> Response | None:
        tokens = {CREDENTIALS[k][0]["page_access_token"] for k in (ChannelKind.META, ChannelKind.INSTAGRAM)}
        if request.headers.get("authorization", "").removeprefix("Bearer ") in tokens:
            return None
        error = {"message": "Invalid OAuth access token.", "type": "OAuthException", "code": 190, "fbtrace_id": "Ad1"}
        return JSONResponse({"error": error}, status_code=401)

    async def _graph_edge(self, request: Request) -> Response:
        if denied := self._graph_denied(request):
            return denied
        node, edge = request.path_params["node"], request.path_params["edge"]
        kind = ChannelKind.INSTAGRAM if node == INSTAGRAM_ID else ChannelKind.META
        if edge == "messages":
            kind_ = request.headers.get("content-type", "")
            body = await request.json() if kind_.startswith("application/json") else dict(await request.form())
            recipient = body.get("recipient")
            recipient = json.loads(recipient) if isinstance(recipient, str) else recipient or {}
            message = body.get("message")
            message = json.loads(message) if isinstance(message, str) else message or {}
            address = recipient.get("id") or f"comment:{recipient.get('comment_id')}"
            n = self._accepted(kind, str(address), message.get("text") or "", lambda n: f"m_demo{n}")
            return JSONResponse({"recipient_id": recipient.get("id"), "message_id": f"m_demo{n}"})
        if edge in ("replies", "comments"):
            text = (await request.form()).get("message", "")
            return JSONResponse(
                {"id": str(17_900_000_000_000_000 + self._accepted(ChannelKind.INSTAGRAM, f"comment:{node}", text))}
            )
        return JSONResponse(
            {"error": {"message": "Unsupported post request.", "type": "GraphMethodException", "code": 100}},
            status_code=400,
        )

    async def _graph_node(self, request: Request) -> Response:
        if denied := self._graph_denied(request):
            return denied
        node = request.path_params["node"]
        caption = dict(POSTS["instagram"]).get(node)
        if caption is None:
            return JSONResponse(
                {"error": {"message": "Unsupported get request.", "type": "GraphMethodException", "code": 100}},
                status_code=400,
            )
        return JSONResponse({"id": node, "caption": caption})

    async def _max(self, request: Request) -> Response:
        if request.headers.get("authorization") != CREDENTIALS[ChannelKind.MAX][0]["access_token"]:
            return JSONResponse({"code": "verify.token", "message": "Invalid access_token"}, status_code=401)
        body = await request.json()
        user_id = request.query_params.get("user_id", "")
        n = self._accepted(ChannelKind.MAX, user_id, body.get("text") or "")
        mid = f"mid.0000000004{n:022x}"
        recipient = {"user_id": int(user_id) if user_id.isdigit() else None, "chat_type": "dialog"}
        return JSONResponse(
            {
                "message": {
                    "recipient": recipient,
                    "timestamp": int(time.time() * 1000),
                    "body": {"mid": mid, "text": body.get("text")},
                }
            }
        )


class Payloads:
    """The webhook deliveries of the four platforms for a simulated customer message (see the module's docstring)."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self._ids = itertools.count(int(time.time()) % 1_000_000 * 100)

    def receipts(self, kind: ChannelKind, address: str, platform_id: str) -> list[tuple[bytes, dict[str, str]]]:
        """The platform's own receipts for a reply it accepted, in the order it sends them (see each platform's
        documentation): Viber ``delivered`` then ``seen``; Messenger ``message_deliveries`` (the mids and a
        watermark) then ``message_reads`` (a watermark); Instagram ``messaging_seen`` (the mid); VK Callback API
        ``message_read`` (the last message read). MAX documents no receipts for a bot's messages: none."""
        now = int(time.time() * 1000)
        secrets = CREDENTIALS[kind][0]
        if kind is ChannelKind.VIBER:
            out = []
            for i, name in enumerate(("delivered", "seen")):
                event = {
                    "event": name,
                    "timestamp": now + i,
                    "chat_hostname": "SN-CHAT-05_",
                    "message_token": int(platform_id),
                    "user_id": address,
                }
                raw = json.dumps(event).encode()
                out.append(
                    (
                        raw,
                        {
                            "Content-Type": "application/json",
                            "X-Viber-Content-Signature": _mac(secrets["auth_token"], raw),
                        },
                    )
                )
            return out
        if kind is ChannelKind.VK:
            event = {
                "group_id": VK_GROUP,
                "type": "message_read",
                "event_id": f"{next(self._ids):040x}",
                "v": "5.199",
                "object": {"from_id": int(address), "peer_id": int(address), "read_message_id": int(platform_id)},
                "secret": secrets["secret"],
            }
            return [(json.dumps(event).encode(), {"Content-Type": "application/json"})]
        if kind in (ChannelKind.META, ChannelKind.INSTAGRAM):
            instagram = kind is ChannelKind.INSTAGRAM
            ours = INSTAGRAM_ID if instagram else PAGE_ID
            receipts = (
                [{"read": {"mid": platform_id}}]
                if instagram
                else [
                    {"delivery": {"mids": [platform_id], "watermark": now}},
                    {"read": {"watermark": now + 1}},
                ]
            )
            out = []
            for receipt in receipts:
                event = {"sender": {"id": address}, "recipient": {"id": ours}, "timestamp": now, **receipt}
                entry = {"id": ours, "time": now, "messaging": [event]}
                raw = json.dumps({"object": "instagram" if instagram else "page", "entry": [entry]}).encode()
                out.append(
                    (
                        raw,
                        {
                            "Content-Type": "application/json",
                            "X-Hub-Signature-256": "sha256=" + _mac(secrets["app_secret"], raw),
                        },
                    )
                )
            return out
        return []

    def build(self, kind: ChannelKind, body: dict[str, Any], *, comment: bool = False) -> tuple[bytes, dict[str, str]]:
        """Raw body and headers; ``comment``: a public comment under a post (VK wall, Instagram) instead of Direct."""
        sender = body["sender"]
        phone = next((i["value"] for i in body.get("identities") or [] if i["kind"] == "phone"), None)
        n = next(self._ids)
        now = time.time()
        secrets = CREDENTIALS[kind][0]
        if kind is ChannelKind.VIBER:
            user = {
                "id": sender["value"],
                "name": sender.get("name") or "Viber user",
                "country": "UA",
                "api_version": 10,
            }
            message: dict[str, Any] = {"type": "text", "text": body["text"]}
            if phone:
                # The answer to the bot's share-phone button: the sender's own number (tracking data ends in ":phone").
                contact = {"name": user["name"], "phone_number": phone}
                message = {"type": "contact", "contact": contact, "tracking_data": "omnidesk:phone"}
            event = {
                "event": "message",
                "timestamp": int(now * 1000),
                "message_token": 4_912_661_846_000_000_000 + n,
                "sender": user,
                "message": message,
            }
            raw = json.dumps(event, ensure_ascii=False).encode()
            return raw, {
                "Content-Type": "application/json",
                "X-Viber-Content-Signature": _mac(secrets["auth_token"], raw),
            }
        if kind is ChannelKind.VK:
            user_id = int(sender["value"])
            if comment:
                post, _text = self.rng.choice(POSTS["vk"])
                obj = {
                    "id": n % 1_000_000,
                    "from_id": user_id,
                    "post_id": post,
                    "owner_id": -VK_GROUP,
                    "parents_stack": [],
                    "date": int(now),
                    "text": body["text"],
                    "thread": {"count": 0},
                    "post_owner_id": -VK_GROUP,
                }
                event = {
                    "group_id": VK_GROUP,
                    "type": "wall_reply_new",
                    "event_id": f"{n:040x}",
                    "v": "5.199",
                    "object": obj,
                }
            else:
                message = {
                    "date": int(now),
                    "from_id": user_id,
                    "id": n % 10_000_000,
                    "out": 0,
                    "version": 10001,
                    "attachments": [],
                    "conversation_message_id": n % 100_000,
                    "fwd_messages": [],
                    "important": False,
                    "is_hidden": False,
                    "peer_id": user_id,
                    "random_id": 0,
                    "text": body["text"],
                }
                client_info = {
                    "button_actions": ["text", "callback"],
                    "keyboard": True,
                    "inline_keyboard": True,
                    "carousel": True,
                    "lang_id": 0,
                }
                event = {
                    "group_id": VK_GROUP,
                    "type": "message_new",
                    "event_id": f"{n:040x}",
                    "v": "5.199",
                    "object": {"message": message, "client_info": client_info},
                }
            event["secret"] = secrets["secret"]
            return json.dumps(event, ensure_ascii=False).encode(), {"Content-Type": "application/json"}
        if kind in (ChannelKind.META, ChannelKind.INSTAGRAM):
            instagram = kind is ChannelKind.INSTAGRAM
            ours = INSTAGRAM_ID if instagram else PAGE_ID
            if comment and instagram:
                media, _caption = self.rng.choice(POSTS["instagram"])
                handle = (sender.get("name") or "client").lower().replace(" ", ".")
                value = {
                    "from": {"id": sender["value"], "username": handle},
                    "media": {"id": media, "media_product_type": "FEED"},
                    "id": str(17_865_799_348_000_000 + n),
                    "text": body["text"],
                }
                entry = {"id": ours, "time": int(now * 1000), "changes": [{"field": "comments", "value": value}]}
            else:
                mid = f"m_demo{n}" if not instagram else f"aWdfZAG1demo{n}"
                event = {
                    "sender": {"id": sender["value"]},
                    "recipient": {"id": ours},
                    "timestamp": int(now * 1000),
                    "message": {"mid": mid, "text": body["text"]},
                }
                entry = {"id": ours, "time": int(now * 1000), "messaging": [event]}
            raw = json.dumps(
                {"object": "instagram" if instagram else "page", "entry": [entry]}, ensure_ascii=False
            ).encode()
            return raw, {
                "Content-Type": "application/json",
                "X-Hub-Signature-256": "sha256=" + _mac(secrets["app_secret"], raw),
            }
        user_id = int(sender["value"])
        name = sender.get("name") or "MAX user"
        message_body: dict[str, Any] = {"mid": f"mid.demo{n:032x}", "seq": n, "text": body["text"]}
        if phone:
            vcf = f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:{name}\r\nTEL;TYPE=cell:{phone}\r\nEND:VCARD"
            message_body["attachments"] = [
                {"type": "contact", "payload": {"vcf_info": vcf, "max_info": {"user_id": user_id, "name": name}}}
            ]
        update = {
            "update_type": "message_created",
            "timestamp": int(now * 1000),
            "message": {
                "recipient": {"chat_id": 70_000_000 + user_id % 1_000_000, "chat_type": "dialog", "user_id": 9001},
                "timestamp": int(now * 1000),
                "body": message_body,
                "sender": {"user_id": user_id, "name": name, "first_name": name.split()[0], "is_bot": False},
            },
            "user_locale": "ru",
        }
        raw = json.dumps(update, ensure_ascii=False).encode()
        return raw, {"Content-Type": "application/json", "X-Max-Bot-Api-Secret": secrets["webhook_secret"]}
