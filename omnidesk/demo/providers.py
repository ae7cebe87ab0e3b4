"""The demo's Telegram and WhatsApp customers through the real connectors, against loopback platforms.

The seeded Telegram and WhatsApp channels get real credentials (sealed like any other); a loopback Bot API and a
loopback Graph API stand in for Telegram and Meta. The simulator's messages on those channels become the platforms'
own payloads (an ``Update`` with the secret header, a signed ``whatsapp_business_account`` notification), sometimes
with a photo, a shared contact or a pressed button; operators' replies leave through the connectors, and WhatsApp
answers each with "delivered" and then "read" receipts, so the client shows the ticks.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import io
import itertools
import json
import logging
import random
import time
from typing import Any

import httpx

from omnidesk.demo.mailserver import DemoMailServer
from omnidesk.demo.messengers import CREDENTIALS, FakeMessengers, Payloads
from omnidesk.demo.people import CHANNEL_NAMES, SENDER_KIND
from omnidesk.demo.platforms import FakeTelegram, FakeWhatsApp
from omnidesk.domain.enums import ChannelKind

log = logging.getLogger("omnidesk.demo")

MESSENGERS = tuple(CREDENTIALS)  # Viber, VK, Messenger, Instagram, MAX
MAILBOX = CHANNEL_NAMES[ChannelKind.EMAIL]  # the support address is the e-mail channel's name
FORM_PAUSE = 70.0  # the public form allows 10 submissions per address per 10 minutes: the demo stays under it
COMMENT_SHARE = 0.3  # of VK and Instagram messages, the share that are public comments under a post
BUTTONS = (("cards", "Картки"), ("loans", "Кредити"), ("other", "Інше"))


def _photo(rng: random.Random) -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (640, 400), (rng.randint(30, 220), rng.randint(30, 220), rng.randint(30, 220)))
    draw = ImageDraw.Draw(image)
    draw.rectangle((40, 60, 600, 340), outline=(255, 255, 255), width=6)
    draw.text((70, 90), "OMNIBANK  **** 4242", fill=(255, 255, 255))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return out.getvalue()


class DemoPlatforms:
    """Both loopback platforms, the demo channels' configuration, and the payloads the simulator posts."""

    def __init__(self, rng: random.Random | None = None) -> None:
        self.rng = rng or random.Random()
        self.telegram = FakeTelegram()
        self.whatsapp = FakeWhatsApp()
        self.messengers = FakeMessengers(on_sent=self._messenger_sent)
        self.mail = DemoMailServer(MAILBOX, on_outgoing=self._mail_sent)
        self.payloads = Payloads(self.rng)
        self.kinds: dict[int, ChannelKind] = {}
        self._visitors: dict[str, str] = {}  # web chat visitor (sender value) -> its visitor token
        self._last_form = 0.0
        self._hooked: dict[str, tuple[bytes, dict[str, str]]] = {}
        self.channels: dict[ChannelKind, int] = {}
        self.server_url = ""
        self.secret = ""
        self.replies: asyncio.Queue | None = None
        self._stack = contextlib.AsyncExitStack()
        self._ids = itertools.count(int(time.time()) % 1_000_000 * 100)
        self._payloads: dict[str, tuple[str, bytes, dict[str, str]]] = {}
        self._tasks: set[asyncio.Task] = set()
        self._client: httpx.AsyncClient | None = None

    async def start(self) -> None:
        await self._stack.enter_async_context(self.telegram.running())
        await self._stack.enter_async_context(self.whatsapp.running())
        await self._stack.enter_async_context(self.messengers.running())
        await self.mail.start()
        self._stack.push_async_callback(self.mail.stop)
        self._client = await self._stack.enter_async_context(httpx.AsyncClient(timeout=10))
        self.telegram.on_sent = self._telegram_sent
        self.whatsapp.on_sent = self._whatsapp_sent

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        await self._stack.aclose()

    async def configure(self, db, settings, world, server_url: str) -> None:
        """Credentials for the seeded Telegram (webhook mode) and WhatsApp channels; the webhook set on the fake."""
        from omnidesk.server.channels import service

        self.server_url = server_url.rstrip("/")
        async with db.session() as session:
            for kind in (ChannelKind.TELEGRAM, ChannelKind.WHATSAPP):
                channel = world.channels.get(kind)
                if channel is None:
                    continue
                if kind is ChannelKind.TELEGRAM:
                    config = await service.configure_existing(
                        session,
                        settings,
                        channel.id,
                        secrets={"token": self.telegram.token},
                        options={"mode": "webhook", "public_url": self.server_url},
                        api_base=self.telegram.url,
                    )
                    self.secret = config.secrets["webhook_secret"]
                    self.telegram.webhook = {"url": config.webhook_url, "secret_token": self.secret}
                else:
                    await service.configure_existing(
                        session,
                        settings,
                        channel.id,
                        secrets={
                            "access_token": self.whatsapp.access_token,
                            "app_secret": self.whatsapp.app_secret,
                            "verify_token": "demo-verify-token",
                        },
                        options={"phone_number_id": self.whatsapp.phone_number_id},
                        api_base=self.whatsapp.url,
                    )
                self.channels[kind] = channel.id
            for kind in MESSENGERS:
                if (channel := world.channels.get(kind)) is not None:
                    await self.connect(session, settings, kind, channel.id)
            await self._web_channels(session, world)
            await session.commit()
        self.kinds = {channel_id: kind for kind, channel_id in self.channels.items()}

    async def connect(self, session, settings, kind: ChannelKind, channel_id: int) -> None:
        """The one place the demo gives a seeded messenger channel its credentials (channels/service.py's shape)."""
        from omnidesk.server.channels import service

        secrets, options = CREDENTIALS[kind]
        await service.configure_existing(
            session,
            settings,
            channel_id,
            secrets=dict(secrets),
            options=dict(options),
            api_base=self.messengers.api_base(kind),
        )
        self.channels[kind] = channel_id

    async def _web_channels(self, session, world) -> None:
        """The mailbox (the loopback SMTP/IMAP pair), the web chat and the contact form, as their admin APIs do."""
        import secrets as pysecrets

        from omnidesk.server.channel_settings import service as channel_settings

        mailbox = {
            "address": MAILBOX,
            "username": "",  # the demo's mail server needs no SMTP login (it accepts any IMAP login)
            "imap_host": "127.0.0.1",
            "imap_port": self.mail.imap_port,
            "imap_tls": False,
            "folder": "INBOX",
            "smtp_host": "127.0.0.1",
            "smtp_port": self.mail.smtp_port,
            "smtp_security": "none",
            "signature": "OmniBank, служба підтримки / customer support",
            "poll_interval": 30.0,
        }
        chat = {"origins": [], "greeting": "Вітаємо! Чим можемо допомогти?", "language": "uk"}
        chat_secrets = {"site_secret": pysecrets.token_urlsafe(32), "visitor_secret": pysecrets.token_urlsafe(32)}
        for kind, options, secrets in (
            (ChannelKind.EMAIL, mailbox, {"password": "demo"}),
            (ChannelKind.WEBCHAT, chat, chat_secrets),
            (ChannelKind.WEBFORM, {"origins": [], "thank_you_url": None}, {}),
        ):
            if (channel := world.channels.get(kind)) is not None:
                await channel_settings.save(session, channel.id, options, secrets)
                self.channels[kind] = channel.id

    def handles(self, kind: ChannelKind) -> bool:
        return kind in self.channels

    async def post(self, client: httpx.AsyncClient, kind: ChannelKind, body: dict[str, Any]) -> int:
        """Deliver ``body`` the way the channel's platform would; the HTTP status (201 for a mail SMTP accepted).

        The one place the demo posts a platform's payload: webhooks, the web chat's and the form's public endpoints,
        and a customer's mail submitted over SMTP (the server's IMAP reader then fetches it)."""
        if kind is ChannelKind.WEBFORM and time.monotonic() - self._last_form < FORM_PAUSE:
            kind = ChannelKind.EMAIL  # the same person writes an e-mail instead (same address: the same card)
        channel_id = self.channels[kind]
        if kind is ChannelKind.EMAIL:
            return await self._mail(body)
        if kind is ChannelKind.WEBCHAT:
            return await self._chat(client, channel_id, body)
        if kind is ChannelKind.WEBFORM:
            self._last_form = time.monotonic()
            sender = body["sender"]
            phone = next((i["value"] for i in body.get("identities") or [] if i["kind"] == "phone"), None)
            form = {"name": sender.get("name"), "email": sender["value"], "phone": phone, "message": body["text"]}
            form |= {
                "submission_id": body["external_id"],
                "page_url": "https://omnibank.example/contacts",
                "lang": "uk",
            }
            response = await client.post(f"{self.server_url}/forms/{channel_id}", json=form)
            return response.status_code
        if kind in MESSENGERS:
            comment = kind in (ChannelKind.VK, ChannelKind.INSTAGRAM) and self.rng.random() < COMMENT_SHARE
            key = body["external_id"]
            if key not in self._hooked:  # the same bytes on every retry (the platform's redelivery)
                self._hooked[key] = self.payloads.build(kind, body, comment=comment)
            raw, headers = self._hooked[key]
            response = await client.post(
                f"{self.server_url}/hooks/{kind.value}/{channel_id}", content=raw, headers=headers
            )
            return response.status_code
        url, raw, headers = self.request(kind, body)
        return (await client.post(url, content=raw, headers=headers)).status_code

    async def _mail(self, body: dict[str, Any]) -> int:
        from email.message import EmailMessage
        from email.utils import format_datetime, formataddr

        import aiosmtplib

        sender = body["sender"]
        text = body["text"]
        mail = EmailMessage()
        mail["From"] = formataddr((sender.get("name") or "", sender["value"]))
        mail["To"] = MAILBOX
        mail["Subject"] = text.split(".")[0][:70]
        mail["Date"] = format_datetime(dt.datetime.now(dt.UTC))
        mail["Message-ID"] = f"<{body['external_id']}@{sender['value'].rsplit('@', 1)[-1]}>"  # the same on a retry
        mail.set_content(f"{text}\n\n--\n{sender.get('name') or ''}")
        try:
            await aiosmtplib.send(mail, hostname="127.0.0.1", port=self.mail.smtp_port, start_tls=False, timeout=10)
        except (aiosmtplib.SMTPException, OSError):
            return 503
        return 201

    async def _chat(self, client: httpx.AsyncClient, channel_id: int, body: dict[str, Any]) -> int:
        """A visitor's message through the widget's endpoints: a session (kept per visitor), then the message."""
        sender = body["sender"]
        base = f"{self.server_url}/webchat/{channel_id}"
        token = self._visitors.get(sender["value"])
        if token is None:
            page = {"name": sender.get("name"), "page_url": "https://omnibank.example/cards"}
            started = await client.post(f"{base}/session", json=page)
            if started.status_code != 200:
                return started.status_code
            token = self._visitors[sender["value"]] = started.json()["token"]
        client_key = body["external_id"].replace(".", "-")[:64]
        answer = await client.post(
            f"{base}/messages",
            json={"text": body["text"], "client_key": client_key},
            headers={"Authorization": f"Bearer {token}"},
        )
        return answer.status_code

    # --- customers' messages as the platforms send them ------------------------------------------------------

    def request(self, kind: ChannelKind, body: dict[str, Any]) -> tuple[str, bytes, dict[str, str]]:
        """URL, raw body and headers of the platform's delivery of ``body`` (the same on every retry)."""
        key = body["external_id"]
        if key not in self._payloads:
            if len(self._payloads) > 10_000:
                self._payloads.clear()
            if kind is ChannelKind.TELEGRAM:
                self._payloads[key] = self._telegram(body)
            else:
                self._payloads[key] = self._whatsapp(body)
        return self._payloads[key]

    def _telegram(self, body: dict[str, Any]) -> tuple[str, bytes, dict[str, str]]:
        sender = body["sender"]
        user_id = int(sender["value"])
        first, _, last = (sender.get("name") or "Customer").partition(" ")
        user = {"id": user_id, "is_bot": False, "first_name": first, "language_code": "uk"}
        if last:
            user["last_name"] = last
        phone = None
        for extra in body.get("identities") or []:
            if extra["kind"] == "telegram_username":
                user["username"] = extra["value"]
            elif extra["kind"] == "phone":
                phone = extra["value"]
        chat = {k: v for k, v in user.items() if k in ("id", "first_name", "last_name", "username")} | {
            "type": "private"
        }
        n = next(self._ids)
        update: dict[str, Any] = {"update_id": n}
        roll = self.rng.random()
        message: dict[str, Any] = {"message_id": n, "from": user, "chat": chat, "date": int(time.time())}
        if phone:
            # The answer to the bot's request_contact button: the sender's own card (user_id is theirs), the number
            # without "+" as Telegram sends it.
            message["contact"] = {"phone_number": phone.lstrip("+"), "first_name": first, "user_id": user_id}
        elif roll < 0.12:
            file_id = f"AgACAgIAAxkBAAdemo{n}"
            self.telegram.files[file_id] = (f"photos/file_{n}.jpg", _photo(self.rng))
            message["photo"] = [{"file_id": file_id, "file_unique_id": f"u{n}", "width": 640, "height": 400}]
            message["caption"] = body["text"]
        elif roll < 0.18:
            phone = f"38067{self.rng.randint(1000000, 9999999)}"
            message["contact"] = {"phone_number": phone, "first_name": first, "user_id": user_id}
        elif roll < 0.26:
            data, _title = self.rng.choice(BUTTONS)
            keyboard = {"inline_keyboard": [[{"text": t, "callback_data": d}] for d, t in BUTTONS]}
            bot = self.telegram.bot
            asked = {"message_id": n - 1, "from": bot, "chat": chat, "date": int(time.time()), "text": "Тема?"}
            update["callback_query"] = {
                "id": f"demo{n}",
                "from": user,
                "message": asked | {"reply_markup": keyboard},
                "chat_instance": str(user_id),
                "data": data,
            }
            message = {}
        else:
            message["text"] = body["text"]
        if message:
            update["message"] = message
        headers = {"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": self.secret}
        url = f"{self.server_url}/hooks/telegram/{self.channels[ChannelKind.TELEGRAM]}"
        return url, json.dumps(update, ensure_ascii=False).encode(), headers

    def _whatsapp(self, body: dict[str, Any]) -> tuple[str, bytes, dict[str, str]]:
        sender = body["sender"]
        wa_id = sender["value"].lstrip("+")
        n = next(self._ids)
        message: dict[str, Any] = {"from": wa_id, "id": f"wamid.demo{n}", "timestamp": str(int(time.time()))}
        roll = self.rng.random()
        if roll < 0.12:
            media_id = str(9_000_000_000 + n)
            self.whatsapp.media[media_id] = ("image/jpeg", _photo(self.rng))
            message |= {"type": "image", "image": {"id": media_id, "mime_type": "image/jpeg", "caption": body["text"]}}
        elif roll < 0.2:
            data, title = self.rng.choice(BUTTONS)
            reply = {"type": "button_reply", "button_reply": {"id": data, "title": title}}
            message |= {"type": "interactive", "interactive": reply}
        else:
            message |= {"type": "text", "text": {"body": body["text"]}}
        contacts = [{"profile": {"name": sender.get("name") or wa_id}, "wa_id": wa_id}]
        raw, headers = self.whatsapp.signed(self.whatsapp.envelope({"contacts": contacts, "messages": [message]}))
        return f"{self.server_url}/hooks/whatsapp/{self.channels[ChannelKind.WHATSAPP]}", raw, headers

    # --- operators' replies reaching the platforms -----------------------------------------------------------

    def _reply(self, kind: ChannelKind, identity: tuple[str, str], text: str) -> None:
        if self.replies is not None:
            customer = {"identities": [{"kind": identity[0], "value": identity[1]}]}
            self.replies.put_nowait({"channel_id": self.channels[kind], "customer": customer, "text": text})

    def _messenger_sent(self, kind: ChannelKind, address: str, text: str, platform_id: str) -> None:
        if address.startswith(("wall:", "comment:")):  # a public answer under a post gets no thank-you, no receipt
            return
        self._reply(kind, (SENDER_KIND[kind].value, address), text)
        receipts = self.payloads.receipts(kind, address, platform_id)
        if receipts and kind in self.channels:
            hook = f"{self.server_url}/hooks/{kind.value}/{self.channels[kind]}"
            self._spawn(self._post_receipts(hook, receipts))

    def _spawn(self, coroutine) -> None:
        task = asyncio.get_running_loop().create_task(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _post_receipts(self, hook: str, receipts: list[tuple[bytes, dict[str, str]]]) -> None:
        """A platform's receipts for a reply, as its webhook deliveries: delivered after a moment, read a little
        later (the client's ticks)."""
        for number, (raw, headers) in enumerate(receipts):
            await asyncio.sleep(1.5 if number == 0 else self.rng.uniform(3, 8))
            await self._deliver(
                hook, lambda raw=raw, headers=headers: self._client.post(hook, content=raw, headers=headers)
            )

    async def _deliver(self, hook: str, send) -> None:
        for _ in range(5):  # 503 while the send is not yet recorded: the platforms retry, so do we
            assert self._client is not None
            try:
                r = await send()
            except httpx.HTTPError:
                r = None
            if r is not None and r.status_code == 200:
                return
            await asyncio.sleep(1.0)

    def _mail_sent(self, mail) -> None:
        body = mail.get_body(("plain",))
        text = body.get_content() if body is not None else ""
        address = str(mail["To"].addresses[0].addr_spec) if mail["To"] else ""
        self._reply(ChannelKind.EMAIL, ("email", address), text.split("\n-- \n")[0])

    def _telegram_sent(self, method: str, params: dict) -> None:
        self._reply(ChannelKind.TELEGRAM, ("telegram_id", str(params.get("chat_id"))), params.get("text", ""))

    def _whatsapp_sent(self, body: dict, wamid: str) -> None:
        text = (body.get("text") or {}).get("body", "")
        self._reply(ChannelKind.WHATSAPP, ("whatsapp", "+" + body["to"]), text)
        self._spawn(self._receipts(wamid, body["to"]))

    async def _receipts(self, wamid: str, recipient: str) -> None:
        """WhatsApp's receipts for a reply: delivered after a moment, read a little later (the client's ticks)."""
        hook = f"{self.server_url}/hooks/whatsapp/{self.channels[ChannelKind.WHATSAPP]}"
        for state, delay in (("delivered", 1.5), ("read", self.rng.uniform(3, 8))):
            await asyncio.sleep(delay)
            payload = self.whatsapp.status(wamid, state, recipient)
            await self._deliver(hook, lambda payload=payload: self.whatsapp.notify(self._client, hook, payload))
