"""Messenger channels end to end on a real server, SQLite and PostgreSQL: an administrator creates Viber, VK, Meta,
Instagram and MAX channels (credentials sealed at rest), the platforms' deliveries are verified, stored once and
acknowledged as each platform expects, and forged requests are refused on every channel with nothing stored."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import subprocess

import httpx
import pytest
from cryptography.fernet import Fernet
from sqlalchemy import func, select

from omnidesk.domain.enums import Role
from omnidesk.server.channels.models import ChannelSettings
from omnidesk.server.conversations.models import Message
from omnidesk.server.customers.models import Identity
from omnidesk.server.db import Database
from tests.channels.ch2_loopback import fixture
from tests.conftest import Api, serve, test_settings
from tests.helpers import omnidesk_cmd, run_cli

KEY = Fernet.generate_key().decode()
VIBER_TOKEN = "445da6az1s345z78-dazcczb2542zv51a-e0vc5fva17480im9"
META_SECRET = "6f1c0b6a4c2f4a1d9e8b7a6c5d4e3f21"


@pytest.fixture
async def mapi(db_url):
    settings = test_settings(db_url, channel_key=KEY)
    db = Database(db_url, pool_size=2)
    async with serve(settings) as (app, url):
        async with httpx.AsyncClient(base_url=url, timeout=30) as client:
            yield Api(url=url, db=db, settings=settings, client=client, app=app)
    await db.dispose()


CHANNELS = {
    "viber": ({"auth_token": VIBER_TOKEN}, {}),
    "vk": ({"access_token": "vk1.a.token", "confirmation": "f2c8b3a1", "secret": "Kx9vQ2s7"}, {"group_id": "123456"}),
    "meta": ({"app_secret": META_SECRET, "page_access_token": "EAAG-page"}, {"page_id": "107942345678901"}),
    "instagram": ({"app_secret": META_SECRET, "page_access_token": "EAAG-ig"}, {"account_id": "17841405793187218"}),
    "max": ({"access_token": "max-bot-token"}, {}),
}


async def create(api: Api, headers: dict, kind: str, secrets: dict | None = None, **extra) -> dict:
    base, options = CHANNELS[kind]
    secrets = {**base, **(secrets or {})}
    body = {"name": f"Bank {kind}", "secrets": secrets, "options": options, **extra}
    r = await api.client.post(f"/api/v1/admin/channels/{kind}", json=body, headers=headers)
    assert r.status_code == 201, r.text
    return r.json()


async def count(api: Api, model, *where) -> int:
    async with api.db.session() as session:
        return await session.scalar(select(func.count()).select_from(model).where(*where))


def hook(kind: str, channel_id: int) -> str:
    """The one inbound address shape of every provider channel."""
    return f"/hooks/{kind}/{channel_id}"


def viber_sig(body: bytes, token: str = VIBER_TOKEN) -> dict:
    return {"X-Viber-Content-Signature": hmac.new(token.encode(), body, hashlib.sha256).hexdigest()}


def meta_sig(body: bytes, secret: str = META_SECRET) -> dict:
    return {"X-Hub-Signature-256": "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()}


async def test_admin_creates_channels_with_sealed_credentials(mapi):
    admin = await mapi.headers_for("root", Role.ADMIN)
    created = {kind: await create(mapi, admin, kind) for kind in CHANNELS}
    assert set(created["max"]["generated"]) == {"webhook_secret"}
    assert set(created["meta"]["generated"]) == {"verify_token"}
    assert created["vk"]["generated"] == {}  # the secret key was given
    assert created["viber"]["webhook_path"] == f"/hooks/viber/{created['viber']['id']}"
    async with mapi.db.session() as session:
        rows = (await session.scalars(select(ChannelSettings))).all()
    assert len(rows) == 8  # VK, Messenger and Instagram each have a companion channel for their public comments
    assert {r.options.get("comments_for") for r in rows} - {None} == {
        str(created[k]["id"]) for k in ("vk", "meta", "instagram")
    }
    stored = " ".join(r.secrets for r in rows)
    for secret in (
        VIBER_TOKEN,
        META_SECRET,
        "vk1.a.token",
        "max-bot-token",
        created["max"]["generated"]["webhook_secret"],
    ):
        assert secret not in stored  # encrypted at rest
    listed = (await mapi.client.get("/api/v1/channels", headers=admin)).json()
    assert {c["kind"] for c in listed} >= set(CHANNELS)

    operator = await mapi.headers_for("op", Role.OPERATOR)
    body = {"name": "x", "secrets": {"auth_token": "t"}}
    assert (await mapi.client.post("/api/v1/admin/channels/viber", json=body, headers=operator)).status_code == 403
    bad = {"name": "VK", "secrets": {"access_token": "t"}}  # no group_id
    r = await mapi.client.post("/api/v1/admin/channels/vk", json=bad, headers=admin)
    assert r.status_code == 422 and "group_id" in r.text
    odd = {"name": "V", "secrets": {"auth_token": "t", "password": "p"}}
    assert (await mapi.client.post("/api/v1/admin/channels/viber", json=odd, headers=admin)).status_code == 422
    admin_listed = (await mapi.client.get("/api/v1/admin/channels", headers=admin)).json()
    shown = {c["id"]: c for c in admin_listed}
    assert shown[created["vk"]["id"]]["webhook_path"] == f"/hooks/vk/{created['vk']['id']}"
    assert shown[created["max"]["id"]]["generated"] == {}  # generated secrets are shown once, at creation


async def test_without_a_channel_key_the_key_file_seals_and_a_bad_key_stores_nothing(db_url, tmp_path):
    """One channel key for every channel (omnidesk/server/channels/crypto.py): without ``channel_key`` the server makes
    its key file (mode 0600) and seals with it, so a token is never stored in clear; a key that is not a Fernet key
    is refused in words and nothing is stored."""
    for key, expected in ((None, 201), ("not-a-fernet-key", 409)):
        data = tmp_path / (key or "file")
        settings = test_settings(db_url, channel_key=key, data_dir=str(data))
        async with serve(settings) as (app, url):
            async with httpx.AsyncClient(base_url=url, timeout=30) as client:
                api = Api(url=url, db=Database(db_url, pool_size=2), settings=settings, client=client, app=app)
                admin = await api.headers_for(f"root{expected}", Role.ADMIN)
                body = {"name": f"V{expected}", "secrets": {"auth_token": VIBER_TOKEN}}
                r = await client.post("/api/v1/admin/channels/viber", json=body, headers=admin)
                assert r.status_code == expected, r.text
                async with api.db.session() as session:
                    stored = (await session.scalars(select(ChannelSettings.secrets))).all()
                await api.db.dispose()
        if expected == 201:
            assert len(stored) == 1 and VIBER_TOKEN not in stored[0]
            assert (data / "channel.key").stat().st_mode & 0o777 == 0o600
        else:
            assert "Fernet" in r.text and len(stored) == 1  # the first channel's row only


async def test_forged_requests_are_refused_on_every_channel(mapi):
    admin = await mapi.headers_for("root", Role.ADMIN)
    ids = {kind: (await create(mapi, admin, kind))["id"] for kind in CHANNELS}
    viber = fixture("viber", "message_text.json")
    vk = fixture("vk", "message_new.json")
    meta = fixture("meta", "messenger_text.json")
    insta = fixture("meta", "instagram_message.json")
    maxu = fixture("max", "message_created.json")
    forged = [
        ("viber", viber, {}),
        ("viber", viber, viber_sig(viber, "another-token")),
        ("viber", viber.replace(b"a message", b"A message"), viber_sig(viber)),
        ("vk", vk.replace(b"Kx9vQ2s7", b"guessed1"), {}),
        ("vk", json.dumps({k: v for k, v in json.loads(vk).items() if k != "secret"}).encode(), {}),
        ("meta", meta, {}),
        ("meta", meta, meta_sig(meta, "another app")),
        ("instagram", insta, meta_sig(insta, "another app")),
        ("max", maxu, {}),
        ("max", maxu, {"X-Max-Bot-Api-Secret": "guess"}),
    ]
    for kind, body, headers in forged:
        r = await mapi.client.post(hook(kind, ids[kind]), content=body, headers=headers)
        assert r.status_code == 401, (kind, r.status_code, r.text)
    # the right signature on another channel's id, and an id that does not exist
    for kind, channel_id in (("meta", ids["meta"]), ("viber", ids["meta"]), ("viber", 999999)):
        r = await mapi.client.post(hook(kind, channel_id), content=viber, headers=viber_sig(viber))
        assert r.status_code == 401
    # Meta's verification GET with a wrong verify token, VK's confirmation for another community
    r = await mapi.client.get(
        hook("meta", ids["meta"]), params={"hub.mode": "subscribe", "hub.verify_token": "guess", "hub.challenge": "42"}
    )
    assert r.status_code == 403  # a forged handshake, as for WhatsApp
    other = json.dumps({"type": "confirmation", "group_id": 1}).encode()
    assert (await mapi.client.post(hook("vk", ids["vk"]), content=other)).status_code == 401
    assert (await mapi.client.get(hook("viber", ids["viber"]))).status_code == 405  # Viber has no GET handshake
    assert await count(mapi, Message) == 0


async def test_deliveries_are_stored_once_and_acknowledged_per_platform(mapi):
    admin = await mapi.headers_for("root", Role.ADMIN)
    made = {kind: await create(mapi, admin, kind) for kind in CHANNELS}
    max_secret = made["max"]["generated"]["webhook_secret"]
    verify_token = made["meta"]["generated"]["verify_token"]

    # the handshakes
    r = await mapi.client.get(
        hook("meta", made["meta"]["id"]),
        params={"hub.mode": "subscribe", "hub.verify_token": verify_token, "hub.challenge": "1158201444"},
    )
    assert (r.status_code, r.text) == (200, "1158201444")
    r = await mapi.client.post(hook("vk", made["vk"]["id"]), content=fixture("vk", "confirmation.json"))
    assert (r.status_code, r.text) == (200, "f2c8b3a1")
    viber_check = fixture("viber", "webhook.json")
    r = await mapi.client.post(hook("viber", made["viber"]["id"]), content=viber_check, headers=viber_sig(viber_check))
    assert r.status_code == 200

    deliveries = [
        ("viber", fixture("viber", "message_text.json"), viber_sig),
        ("vk", fixture("vk", "message_new.json"), lambda b: {}),
        ("vk", fixture("vk", "wall_reply_new.json"), lambda b: {}),
        ("meta", fixture("meta", "messenger_text.json"), meta_sig),
        ("instagram", fixture("meta", "instagram_comment.json"), meta_sig),
        ("max", fixture("max", "message_created.json"), lambda b: {"X-Max-Bot-Api-Secret": max_secret}),
    ]
    for _ in range(2):  # every platform redelivers: the second time stores nothing
        for kind, body, sign in deliveries:
            r = await mapi.client.post(hook(kind, made[kind]["id"]), content=body, headers=sign(body))
            assert r.status_code == 200, (kind, r.text)
            if kind == "vk":
                assert r.text == "ok"  # VK resends anything else
    assert await count(mapi, Message) == len(deliveries)
    async with mapi.db.session() as session:
        texts = set((await session.scalars(select(Message.text))).all())
    assert "Когда откроется отделение на Тверской?" in texts  # the VK comment
    assert "Скільки коштує доставка до Львова?" in texts  # the Instagram comment
    r = await mapi.client.post(
        hook("max", made["max"]["id"]), content=b"not json", headers={"X-Max-Bot-Api-Secret": max_secret}
    )
    assert r.status_code == 400


async def test_telegram_then_max_then_viber_with_one_phone_is_one_customer(mapi):
    """The customer wrote from the phone (here through the generic API channel, as a Telegram bot bridge would),
    then shared their own number in MAX and in Viber: one customer with one timeline of three channels."""
    admin = await mapi.headers_for("root", Role.ADMIN)
    channel, token = await mapi.channel("Telegram bridge")
    r = await mapi.inbound(channel, token, "tg-1", value="+79161234567", text="Пишу из Telegram")
    assert r.status_code == 201
    customer = r.json()["customer_id"]
    made = {kind: await create(mapi, admin, kind) for kind in ("max", "viber")}

    maxu = fixture("max", "message_created_attachments.json")
    secret = made["max"]["generated"]["webhook_secret"]
    r = await mapi.client.post(hook("max", made["max"]["id"]), content=maxu, headers={"X-Max-Bot-Api-Secret": secret})
    assert r.status_code == 200
    contact = json.loads(fixture("viber", "message_contact.json"))
    contact["message"]["contact"]["phone_number"] = "+79161234567"
    contact["message"]["tracking_data"] = "omnidesk:1:buttons:phone"
    viber = json.dumps(contact).encode()
    r = await mapi.client.post(hook("viber", made["viber"]["id"]), content=viber, headers=viber_sig(viber))
    assert r.status_code == 200

    async with mapi.db.session() as session:
        owners = {(i.kind, i.value): i.customer_id for i in (await session.scalars(select(Identity))).all()}
        conversations = set((await session.execute(select(Message.channel_id, Message.conversation_id))).all())
    assert owners[("max", "4012345")] == customer
    assert owners[("viber", "01234567890A=")] == customer
    assert len({c for _, c in conversations}) == 3  # one conversation per channel, all the same customer's
    timeline = await mapi.client.get(f"/api/v1/customers/{customer}/timeline", headers=admin)
    assert timeline.status_code == 200
    assert len(timeline.json()["items"]) >= 3


# -- the command line: `omnidesk channel add <kind>` with --register against each platform's loopback ------------


def cli(api: Api, *args: str, stdin: str) -> dict:
    result = run_cli(*args, "--json", database=api.settings.database_url, stdin=stdin, check=False)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture
def channel_key_env(monkeypatch):
    monkeypatch.setenv("OMNIDESK_CHANNEL_KEY", KEY)


async def test_cli_connects_each_platform_and_registers_its_webhook(mapi, channel_key_env):
    from tests.channels import test_max_connector as tmax
    from tests.channels import test_meta_connector as tmeta
    from tests.channels import test_viber_connector as tviber
    from tests.channels import test_vk_connector as tvk
    from tests.channels.ch2_loopback import Platform

    fakes = {"viber": tviber.FakeViber(), "vk": tvk.FakeVk(), "meta": tmeta.FakeGraph(), "max": tmax.FakeMax()}
    platforms = {kind: Platform(fake).start() for kind, fake in fakes.items()}
    fakes["vk"].url = platforms["vk"].url
    fakes["max"].url = platforms["max"].url
    try:
        viber = await asyncio.to_thread(
            cli, mapi, "channel", "add", "viber", "Bank Viber", "--api-base", platforms["viber"].url + "/pa",
            "--register", "--public-url", mapi.url, stdin=f"auth_token={tviber.TOKEN}\n",
        )  # fmt: skip
        assert viber["registered"] and fakes["viber"].webhook_answers == [200]  # Viber's signed check passed

        vk = await asyncio.to_thread(
            cli, mapi, "channel", "add", "vk", "Bank VK", "--api-base", platforms["vk"].url + "/method",
            "--option", f"group_id={tvk.GROUP}", "--register", "--public-url", mapi.url,
            stdin=json.dumps({"access_token": tvk.TOKEN}),
        )  # fmt: skip
        assert vk["registered"] and fakes["vk"].confirmations == [tvk.CONFIRMATION]  # our hook answered the code
        assert len(vk["generated"]["secret"]) == 32 and vk["generated"]["secret"].isalnum()

        meta = await asyncio.to_thread(
            cli, mapi, "channel", "add", "meta", "Bank Messenger", "--api-base", platforms["meta"].url + "/v21.0",
            "--option", f"page_id={tmeta.PAGE}", "--option", f"app_id={tmeta.APP_ID}",
            "--register", "--public-url", mapi.url,
            stdin=f"app_secret={tmeta.APP_SECRET}\npage_access_token={tmeta.PAGE_TOKEN}\n",
        )  # fmt: skip
        assert meta["registered"] and fakes["meta"].verifications == ["ok"]  # the challenge came back

        maxc = await asyncio.to_thread(
            cli, mapi, "channel", "add", "max", "Bank MAX", "--api-base", platforms["max"].url,
            "--register", "--public-url", mapi.url, stdin=f"access_token={tmax.TOKEN}\n",
        )  # fmt: skip
        [subscription] = fakes["max"].subscriptions
        assert subscription["url"] == mapi.url + maxc["webhook_path"]
        assert subscription["secret"] == maxc["generated"]["webhook_secret"]
    finally:
        for platform in platforms.values():
            platform.stop()

    refused = run_cli(
        "channel", "add", "vk", "VK", database=mapi.settings.database_url, stdin="access_token=x\n", check=False
    )
    assert refused.returncode == 2 and "group_id" in refused.stderr
    key = await asyncio.to_thread(
        subprocess.run, omnidesk_cmd("channel", "keygen"), capture_output=True, text=True, timeout=60
    )
    assert key.returncode == 0 and len(key.stdout.strip()) == 44


# -- replies through the outbox -------------------------------------------------------------------------------------


async def _wait_delivery(api: Api, headers: dict, message: dict, timeout: float = 15.0) -> dict:
    url = f"/api/v1/conversations/{message['conversation_id']}/messages"
    deadline = asyncio.get_running_loop().time() + timeout
    while asyncio.get_running_loop().time() < deadline:
        items = (await api.client.get(url, params={"limit": 100}, headers=headers)).json()["items"]
        current = next(m for m in items if m["id"] == message["id"])
        if current["delivery_status"] in ("sent", "failed"):
            return current
        await asyncio.sleep(0.1)
    raise AssertionError(f"message {message['id']} still {current['delivery_status']}")


async def test_replies_go_out_through_the_platform_and_the_window_is_enforced(mapi):
    from tests.channels import test_meta_connector as tmeta
    from tests.channels import test_viber_connector as tviber
    from tests.channels.ch2_loopback import Platform

    viber_api, graph = Platform(tviber.FakeViber()).start(), Platform(tmeta.FakeGraph()).start()
    try:
        admin = await mapi.headers_for("root", Role.ADMIN)
        operator = await mapi.headers_for("op", Role.OPERATOR)
        viber = await create(mapi, admin, "viber", api_base=viber_api.url + "/pa")
        meta = await create(
            mapi, admin, "meta", api_base=graph.url + "/v21.0"
        )  # page token "EAAG-page" is not the fake's: replaced below
        body = fixture("viber", "message_text.json")
        r = await mapi.client.post(hook("viber", viber["id"]), content=body, headers=viber_sig(body))
        assert r.status_code == 200
        async with mapi.db.session() as session:
            conversation = await session.scalar(
                select(Message.conversation_id).where(Message.channel_id == viber["id"])
            )
        r = await mapi.client.post(
            f"/api/v1/conversations/{conversation}/messages", json={"text": "Вітаю! Чим допомогти?"}, headers=operator
        )
        assert r.status_code == 201, r.text
        sent = await _wait_delivery(mapi, operator, r.json())
        assert sent["delivery_status"] == "sent", sent["delivery_error"]
        [call] = viber_api.calls("/pa/send_message")
        assert (call.json()["receiver"], call.json()["text"]) == ("01234567890A=", "Вітаю! Чим допомогти?")
        assert call.headers["x-viber-auth-token"] == VIBER_TOKEN

        # Messenger: the fixture's customer wrote in 2016, so Meta's window is long closed: refused, in words,
        # without a call to the Send API.
        body = fixture("meta", "messenger_text.json")
        r = await mapi.client.post(hook("meta", meta["id"]), content=body, headers=meta_sig(body))
        assert r.status_code == 200
        async with mapi.db.session() as session:
            conversation = await session.scalar(select(Message.conversation_id).where(Message.channel_id == meta["id"]))
        r = await mapi.client.post(
            f"/api/v1/conversations/{conversation}/messages", json={"text": "Вибачте за затримку"}, headers=operator
        )
        # Refused when the operator sends (one rule: domain/reply_window.py through the connector), not queued.
        assert r.status_code == 422 and "7 days" in r.text, r.text
        assert graph.calls(f"/v21.0/{tmeta.PAGE}/messages") == []
    finally:
        viber_api.stop()
        graph.stop()


async def test_comments_are_their_own_conversations_answered_publicly_or_privately(mapi):
    from tests.channels import test_meta_connector as tmeta
    from tests.channels import test_vk_connector as tvk
    from tests.channels.ch2_loopback import Platform

    fake_vk, fake_graph = tvk.FakeVk(), tmeta.FakeGraph()
    vk_api, graph = Platform(fake_vk).start(), Platform(fake_graph).start()
    fake_vk.url = vk_api.url
    try:
        admin = await mapi.headers_for("root", Role.ADMIN)
        operator = await mapi.headers_for("op", Role.OPERATOR)
        vk = await create(mapi, admin, "vk", secrets={"access_token": tvk.TOKEN}, api_base=vk_api.url + "/method")
        vk_hook = hook("vk", vk["id"])
        comment = json.loads(fixture("vk", "wall_reply_new.json"))
        comment["object"]["from_id"] = tvk.CUSTOMER  # the same person writes privately and comments
        for body in (fixture("vk", "message_new.json"), json.dumps(comment).encode()):
            assert (await mapi.client.post(vk_hook, content=body)).text == "ok"
        async with mapi.db.session() as session:
            rows = (await session.execute(select(Message.channel_id, Message.conversation_id))).all()
        assert len({c for _, c in rows}) == 2  # the comment is not mixed into the private conversation
        [(comments_channel, conversation)] = [(ch, c) for ch, c in rows if ch != vk["id"]]
        private_conversation = next(c for ch, c in rows if ch == vk["id"])
        r = await mapi.client.get(f"/api/v1/conversations/{private_conversation}/thread", headers=operator)
        assert r.status_code == 404

        thread = (await mapi.client.get(f"/api/v1/conversations/{conversation}/thread", headers=operator)).json()
        assert thread["public"] is True and thread["comment_id"] == "wall:-123456_5_88"
        assert thread["context"] == "Мы открываем новое отделение на Тверской"  # read from wall.getById
        assert thread["url"] == "https://vk.com/wall-123456_5?reply=88"

        reply = await mapi.client.post(
            f"/api/v1/conversations/{conversation}/messages", json={"text": "С понедельника, 9:00"}, headers=operator
        )
        assert (await _wait_delivery(mapi, operator, reply.json()))["delivery_status"] == "sent"
        [public] = vk_api.calls("/method/wall.createComment")
        assert (public.form()["reply_to_comment"], public.form()["message"]) == ("88", "С понедельника, 9:00")

        r = await mapi.client.put(
            f"/api/v1/conversations/{conversation}/thread", json={"public": False}, headers=operator
        )
        assert r.status_code == 200 and r.json()["public"] is False
        reply = await mapi.client.post(
            f"/api/v1/conversations/{conversation}/messages", json={"text": "Детали — в личных"}, headers=operator
        )
        assert (await _wait_delivery(mapi, operator, reply.json()))["delivery_status"] == "sent"
        [private] = vk_api.calls("/method/messages.send")
        assert (private.form()["peer_id"], private.form()["message"]) == (str(tvk.CUSTOMER), "Детали — в личных")
        assert len(vk_api.calls("/method/wall.createComment")) == 1

        # Instagram: a comment answered privately (a private reply to the comment)
        ig = await create(
            mapi, admin, "instagram", secrets={"page_access_token": tmeta.PAGE_TOKEN}, api_base=graph.url + "/v21.0"
        )
        body = fixture("meta", "instagram_comment.json")
        r = await mapi.client.post(hook("instagram", ig["id"]), content=body, headers=meta_sig(body))
        assert r.status_code == 200
        async with mapi.db.session() as session:
            ig_conversation = await session.scalar(
                select(Message.conversation_id).where(Message.channel_id == ig["id"] + 1)
            )
        thread = (await mapi.client.get(f"/api/v1/conversations/{ig_conversation}/thread", headers=operator)).json()
        assert thread["context"] == "Нова колекція: сукні ручної роботи"
        await mapi.client.put(
            f"/api/v1/conversations/{ig_conversation}/thread", json={"public": False}, headers=operator
        )
        reply = await mapi.client.post(
            f"/api/v1/conversations/{ig_conversation}/messages",
            json={"text": "Написали вам у Direct"},
            headers=operator,
        )
        assert (await _wait_delivery(mapi, operator, reply.json()))["delivery_status"] == "sent"
        [sent] = graph.calls(f"/v21.0/{tmeta.IG}/messages")
        assert sent.json()["recipient"] == {"comment_id": "17865799348089039"}
        assert comments_channel == vk["id"] + 1
    finally:
        vk_api.stop()
        graph.stop()


async def test_long_polling_stores_through_the_same_path_and_keeps_its_position(mapi, channel_key_env):
    from tests.channels import test_max_connector as tmax
    from tests.channels import test_vk_connector as tvk
    from tests.channels.ch2_loopback import Platform

    fake_vk, fake_max = tvk.FakeVk(), tmax.FakeMax()
    vk_api, max_api = Platform(fake_vk).start(), Platform(fake_max).start()
    fake_vk.url, fake_max.url = vk_api.url, max_api.url
    try:
        admin = await mapi.headers_for("root", Role.ADMIN)
        vk = await create(mapi, admin, "vk", secrets={"access_token": tvk.TOKEN}, api_base=vk_api.url + "/method")
        events = [json.loads(fixture("vk", n)) for n in ("message_new.json", "wall_reply_new.json")]
        fake_vk.lp_updates = [events, events]  # the second batch is a redelivery of the first
        for _ in range(2):
            polled = await asyncio.to_thread(cli, mapi, "channel", "poll", str(vk["id"]), "--once", stdin="")
            assert polled == {"stored": 2}
        assert await count(mapi, Message) == 2  # stored once
        async with mapi.db.session() as session:
            options = (await session.get(ChannelSettings, vk["id"])).options
        assert options["poll_position"]["ts"] == "14" and options["poll_position"]["key"] == "lp-key-1"

        maxc = await create(mapi, admin, "max", secrets={"access_token": tmax.TOKEN}, api_base=max_api.url)
        fake_max.updates = [json.loads(fixture("max", n)) for n in ("bot_started.json", "message_created.json")]
        first = await asyncio.to_thread(cli, mapi, "channel", "poll", str(maxc["id"]), "--once", stdin="")
        again = await asyncio.to_thread(cli, mapi, "channel", "poll", str(maxc["id"]), "--once", stdin="")
        assert (first, again) == ({"stored": 1}, {"stored": 0})  # bot_started carries no message
        assert max_api.calls("/updates")[-1].query["marker"] == "102"
        assert await count(mapi, Message) == 3
        viber = await create(mapi, admin, "viber")
        refused = await asyncio.to_thread(
            run_cli, "channel", "poll", str(viber["id"]), "--once", database=mapi.settings.database_url, check=False
        )
        assert refused.returncode == 2 and "no long polling" in refused.stderr
    finally:
        vk_api.stop()
        max_api.stop()


async def test_a_messenger_kind_without_credentials_is_a_generic_api_bridge(mapi, webhook_sink):
    """An external Viber gateway (or the demo) feeds a "viber" channel through the generic API: its replies keep
    going to its webhook, never to Viber with no token."""
    from omnidesk.domain.enums import ChannelKind
    from omnidesk.server.admin.service import create_api_channel

    async with mapi.db.session() as session:
        channel, token = await create_api_channel(
            session, name="Viber gateway", kind=ChannelKind.VIBER, webhook_url=webhook_sink.url
        )
        await session.commit()
    operator = await mapi.headers_for("op", Role.OPERATOR)
    conversation = (await mapi.inbound(channel.id, token, "gw-1")).json()["conversation_id"]
    r = await mapi.client.post(
        f"/api/v1/conversations/{conversation}/messages", json={"text": "Через шлюз"}, headers=operator
    )
    assert (await _wait_delivery(mapi, operator, r.json()))["delivery_status"] == "sent"
    [delivered] = await asyncio.to_thread(webhook_sink.wait_for, 1)
    assert delivered["text"] == "Через шлюз"


async def test_a_messenger_watermark_receipt_ticks_every_reply_sent_before_it(mapi):
    """Messenger's delivery and read receipts may name no message, only a ``watermark``: every reply of ours to that
    person sent at or before it is delivered / read; later ones stay as they are; a state is never lowered."""
    import datetime as dt

    from omnidesk.domain.enums import DeliveryStatus, Direction
    from omnidesk.server.conversations.models import Conversation

    admin = await mapi.headers_for("root", Role.ADMIN)
    meta = await create(mapi, admin, "meta")
    body = fixture("meta", "messenger_text.json")
    r = await mapi.client.post(hook("meta", meta["id"]), content=body, headers=meta_sig(body))
    assert r.status_code == 200
    t0 = dt.datetime(2026, 12, 3, 10, 0, tzinfo=dt.UTC)
    async with mapi.db.session() as session:
        conversation = await session.scalar(select(Message.conversation_id).where(Message.channel_id == meta["id"]))
        other = await session.scalar(select(Conversation.id).where(Conversation.id != conversation).limit(1))
        replies = []
        for minute, external in ((1, "m_first"), (2, "m_second"), (5, "m_third")):
            row = Message(
                conversation_id=conversation,
                channel_id=meta["id"],
                external_id=external,
                direction=Direction.OUT.value,
                text=f"reply {minute}",
                sent_at=t0 + dt.timedelta(minutes=minute),
                delivery_status=DeliveryStatus.SENT.value,
            )
            session.add(row)
            await session.flush()
            replies.append(row.id)
        await session.commit()
    assert other is None  # one person, one conversation: nobody else's replies to tick

    def receipt(name: str, at: dt.datetime) -> bytes:
        event = {
            "sender": {"id": "6789012345678901"},
            "recipient": {"id": "107942345678901"},
            "timestamp": int(at.timestamp() * 1000),
            name: {"watermark": int(at.timestamp() * 1000)},
        }
        entry = {"id": "107942345678901", "time": int(at.timestamp() * 1000), "messaging": [event]}
        return json.dumps({"object": "page", "entry": [entry]}).encode()

    async def states() -> list[str]:
        async with mapi.db.session() as session:
            found = dict(
                (
                    await session.execute(select(Message.id, Message.delivery_status).where(Message.id.in_(replies)))
                ).all()
            )
        return [found[i] for i in replies]

    for name, minute in (("delivery", 3), ("read", 1), ("delivery", 2)):  # the last one is older news: no change
        raw = receipt(name, t0 + dt.timedelta(minutes=minute))
        r = await mapi.client.post(hook("meta", meta["id"]), content=raw, headers=meta_sig(raw))
        assert r.status_code == 200, r.text
    assert await states() == ["read", "delivered", "sent"]
    raw = receipt("read", t0 + dt.timedelta(minutes=10))
    assert (await mapi.client.post(hook("meta", meta["id"]), content=raw, headers=meta_sig(raw))).status_code == 200
    assert await states() == ["read", "read", "read"]


async def test_meta_reply_window_states_are_named_for_the_client(mapi):
    """GET /conversations/{id}/window names Meta's state by the rule the connector sends by (domain.reply_window):
    open for 24 h, then human_agent (free text still goes, tagged HUMAN_AGENT) up to 7 days, then closed."""
    import datetime as dt
    import time

    admin = await mapi.headers_for("root", Role.ADMIN)
    operator = await mapi.headers_for("op", Role.OPERATOR)
    meta = await create(mapi, admin, "meta")
    hours = {"open": 2, "human_agent": 50, "closed": 24 * 9}
    got = {}
    for n, (expected, ago) in enumerate(hours.items()):
        event = json.loads(fixture("meta", "messenger_text.json"))
        entry = event["entry"][0]["messaging"][0]
        entry["sender"]["id"] = f"67890123456789{n:02d}"  # three customers, three conversations
        entry["message"]["mid"] = f"m_window_{n}"
        entry["timestamp"] = int((time.time() - ago * 3600) * 1000)
        body = json.dumps(event).encode()
        assert (
            await mapi.client.post(hook("meta", meta["id"]), content=body, headers=meta_sig(body))
        ).status_code == 200
        async with mapi.db.session() as session:
            conversation = await session.scalar(
                select(Message.conversation_id).where(Message.external_id.like(f"%m_window_{n}%"))
            )
        window = (await mapi.client.get(f"/api/v1/conversations/{conversation}/window", headers=operator)).json()
        got[expected] = window
    assert [got[s]["state"] for s in hours] == list(hours)
    assert got["open"]["free_text"] and 21 * 3600 < got["open"]["seconds_left"] <= 22 * 3600
    left = dt.timedelta(seconds=got["human_agent"]["seconds_left"])
    assert got["human_agent"]["free_text"] and dt.timedelta(days=4, hours=21) < left <= dt.timedelta(days=4, hours=22)
    assert not got["closed"]["free_text"] and not got["closed"]["templates_required"]
