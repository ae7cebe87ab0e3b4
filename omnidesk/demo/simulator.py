"""Live demo traffic: customers keep writing through the same inbound HTTP endpoint real channels use.

Every few seconds (jittered) the simulator posts one customer message to ``POST /api/v1/channels/{id}/inbound``
with that channel's token: a known customer following up, a known customer with a new question, or someone new.
A message that cannot be delivered (server restarting, network hiccup) is retried with the same ``external_id``
until it is stored: the endpoint is idempotent, so a retry after a lost answer never doubles the message.

``ReplyReceiver`` plays the other side of the channels: operators' replies are POSTed to it by the server's outbox
(so they turn "sent"), and now and then the customer answers back with a thank-you.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import random
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import httpx

from omnidesk.domain.names import guess_language
from omnidesk.server.db import utcnow

from .data import DemoChannel, DemoWorld, fill
from .dialogues import FOLLOW_UPS, SCRIPTS, THANKS, TOPICS, gendered
from .people import SENDER_KIND, Account, Person, random_person

log = logging.getLogger("omnidesk.demo")

DEFAULT_INTERVAL = 4.0
RETRYABLE_STATUSES = {408, 425, 429, 500, 502, 503, 504}


@dataclass(frozen=True, slots=True)
class Delivery:
    channel: DemoChannel
    body: dict[str, Any]


class TrafficSimulator:
    """Posts a customer message every ``interval`` seconds (±50 %) until cancelled."""

    def __init__(
        self,
        base_url: str,
        world: DemoWorld,
        *,
        interval: float = DEFAULT_INTERVAL,
        rng: random.Random | None = None,
        client: httpx.AsyncClient | None = None,
        max_backoff: float = 5.0,
        answer_rate: float = 0.6,
        platforms: Any = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.world = world
        self.interval = interval
        self.rng = rng or random.Random()
        self.people: list[Person] = list(world.people)
        self.run_id = secrets.token_hex(4)
        self.sent = 0
        self.retries = 0
        self.max_backoff = max_backoff
        self.answer_rate = answer_rate
        self._client = client
        self._serial = 0
        self._by_channel_id = {c.id: c for c in world.channels.values()}
        self.platforms = platforms  # providers.DemoPlatforms: Telegram and WhatsApp through their real connectors
        self.introduced = False  # until introduce() ran, nobody writes on a channel they first write on live

    # --- what to say ---------------------------------------------------------------------------------------------

    def _body(self, account: Account, text: str) -> dict[str, Any]:
        self._serial += 1
        body: dict[str, Any] = {
            "external_id": f"sim-{self.run_id}-{self._serial}",
            "sender": {"kind": account.kind.value, "value": account.value, "name": account.name},
            "text": text,
        }
        if account.extra:
            body["identities"] = [{"kind": kind.value, "value": value} for kind, value in account.extra]
        return body

    def next_delivery(self) -> Delivery:
        """The next customer message: a follow-up, a new question from someone known, or a new customer."""
        roll = self.rng.random()
        if roll < 0.35 or not self.people:
            person = random_person(self.rng, channel_count=1)
            self.people.append(person)
            kind = person.channels[0]
            text = self._opener(person)
        else:
            person = self.rng.choice(self.people)
            kind = self.rng.choice(person.channels if self.introduced else person.seeded_channels)
            if roll < 0.8:
                text = self.rng.choice(FOLLOW_UPS[person.language])
            else:
                text = self._opener(person)
        text = gendered(text, person.female)
        return Delivery(self.world.channels[kind], self._body(person.accounts[kind], text))

    def live_lines(self) -> list[Delivery]:
        """What the cast writes once the demo runs (Person.live), in order: the showcase's first messages in Telegram
        then in MAX and in Viber, each with her own phone where she shares it (the message's second identifier)."""
        deliveries = []
        for person in self.people:
            for line in person.live:
                body = self._body(person.accounts[line.channel], gendered(line.text, person.female))
                if line.share_phone and person.phone:
                    body.setdefault("identities", []).append({"kind": "phone", "value": person.phone})
                deliveries.append(Delivery(self.world.channels[line.channel], body))
        return deliveries

    async def introduce(self) -> int:
        """Deliver ``live_lines`` one after the other, each stored before the next (a phone shared in Telegram is
        known by the time she writes in MAX), through the channel's real path like any simulated message (its
        platform's webhook and connector; else the inbound API): ingest's identity rule, not the seed, joins those
        channels to her customer. Returns how many were stored."""
        own_client = self._client is None
        if own_client:
            self._client = httpx.AsyncClient(timeout=httpx.Timeout(10.0))
        try:
            stored = 0
            for delivery in self.live_lines():
                stored += await self.deliver(delivery) is not None
            self.introduced = True
            return stored
        finally:
            if own_client and self._client is not None:
                await self._client.aclose()
                self._client = None

    def _opener(self, person: Person) -> str:
        first = SCRIPTS[self.rng.choice(TOPICS)][person.language][0]
        return fill(first.text, self.rng, person, utcnow())

    def thanks_for(self, reply: dict[str, Any]) -> Delivery | None:
        """The customer's answer to an operator's reply (as the receiver got it), or None if it cannot be told."""
        channel = self._by_channel_id.get(reply.get("channel_id"))
        if channel is None:
            return None
        wanted = SENDER_KIND[channel.kind].value
        customer = reply.get("customer") or {}
        value = next((i["value"] for i in customer.get("identities", []) if i.get("kind") == wanted), None)
        if value is None:
            return None
        text = reply.get("text") or ""
        language = guess_language(text) or ("en" if text.isascii() else "uk")
        account = Account(SENDER_KIND[channel.kind], value, customer.get("name"))
        return Delivery(channel, self._body(account, self.rng.choice(THANKS[language])))

    # --- delivering ----------------------------------------------------------------------------------------------

    async def deliver(self, delivery: Delivery) -> dict[str, Any] | None:
        """Post until stored (the same external id every time); None if the server refuses it for good."""
        client = self._client
        assert client is not None
        url = f"{self.base_url}/api/v1/channels/{delivery.channel.id}/inbound"
        headers = {"Authorization": f"Bearer {delivery.channel.token}"}
        # Channels with a real connector: the platform's own delivery (providers.DemoPlatforms.post)
        platform = self.platforms is not None and self.platforms.handles(delivery.channel.kind)
        delay = 0.25
        while True:
            try:
                if platform:
                    status = await self.platforms.post(client, delivery.channel.kind, delivery.body)
                    response = None
                else:
                    response = await client.post(url, json=delivery.body, headers=headers)
                    status = response.status_code
            except httpx.TransportError as error:
                problem = f"{type(error).__name__}: {error}"
            else:
                if status in (200, 201):
                    self.sent += 1
                    return response.json() if response is not None else {}
                if status not in RETRYABLE_STATUSES:
                    words = response.text[:300] if response is not None else delivery.channel.kind.value
                    log.warning("demo message refused (%s): %s", status, words)
                    return None
                problem = f"HTTP {status}"
            self.retries += 1
            log.info("demo message %s not delivered yet (%s); retrying", delivery.body["external_id"], problem)
            await asyncio.sleep(delay)
            delay = min(delay * 2, self.max_backoff)

    def _pause(self) -> float:
        return self.interval * self.rng.uniform(0.5, 1.5)

    async def run(self, replies: asyncio.Queue | None = None) -> None:
        """Deliver until cancelled; answer operators' replies taken from ``replies`` now and then."""
        own_client = self._client is None
        if own_client:
            self._client = httpx.AsyncClient(timeout=httpx.Timeout(10.0))
        answering = asyncio.create_task(self._answer(replies)) if replies is not None else None
        try:
            while True:
                await asyncio.sleep(self._pause())
                try:
                    await self.deliver(self.next_delivery())
                except Exception:  # one bad message must not end the demo's traffic
                    log.exception("demo message failed")
        finally:
            if answering is not None:
                answering.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await answering
            if own_client and self._client is not None:
                await self._client.aclose()
                self._client = None

    async def _answer(self, replies: asyncio.Queue) -> None:
        pending: set[asyncio.Task] = set()
        try:
            while True:
                reply = await replies.get()
                if self.rng.random() < self.answer_rate and (delivery := self.thanks_for(reply)) is not None:
                    task = asyncio.create_task(self._later(self._pause(), delivery))
                    pending.add(task)
                    task.add_done_callback(pending.discard)
        finally:
            for task in pending:
                task.cancel()

    async def _later(self, delay: float, delivery: Delivery) -> None:
        await asyncio.sleep(delay)
        await self.deliver(delivery)


class ReplyReceiver:
    """A tiny ASGI app standing in for the channels' providers: it accepts every reply the outbox sends.

    Replies are counted once per ``Idempotency-Key`` (the outbox may send one again after a crash) and handed to
    ``on_reply``.
    """

    def __init__(self, on_reply: Callable[[dict[str, Any]], Awaitable[None] | None] | None = None) -> None:
        self.on_reply = on_reply
        self.received: dict[str, dict[str, Any]] = {}

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            return
        if scope["method"] != "POST":
            await self._answer(send, 405)
            return
        chunks = []
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunks.append(message.get("body", b""))
            if not message.get("more_body"):
                break
        try:
            reply = json.loads(b"".join(chunks))
        except ValueError:
            await self._answer(send, 400)
            return
        key = dict(scope.get("headers") or []).get(b"idempotency-key", b"").decode() or str(len(self.received))
        first_time = key not in self.received
        self.received[key] = reply
        await self._answer(send, 200)
        if first_time and self.on_reply is not None:
            result = self.on_reply(reply)
            if asyncio.iscoroutine(result):
                await result

    @staticmethod
    async def _answer(send, status: int) -> None:
        await send({"type": "http.response.start", "status": status, "headers": [(b"content-length", b"0")]})
        await send({"type": "http.response.body", "body": b""})
