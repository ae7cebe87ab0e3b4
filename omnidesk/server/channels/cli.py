"""``omnidesk channel add <provider kind>``, ``channel list``, ``show``, ``disable``, ``health``, ``templates sync``,
``poll`` and ``keygen``. ``show``, ``disable``, ``health`` and ``templates sync`` take a channel's id or its name.

Secrets come from standard input only (never from the command line, where ``ps`` and the shell history would keep
them): a Telegram bot token on one line; for WhatsApp the access token on the first line and the app secret on the
second; for Viber, VK, Meta, Instagram and MAX ``KEY=VALUE`` lines or one JSON object (public settings are
``--option KEY=VALUE``). With ``--register --public-url https://desk.example.com`` the messenger platform is told the
webhook address at once (Viber ``set_webhook``, VK ``groups.addCallbackServer``, Meta ``subscriptions`` and
``subscribed_apps``, MAX ``POST /subscriptions``); the server must already answer at that address.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import getpass
import json
import sys


def add_arguments(ch_add: argparse.ArgumentParser) -> None:
    ch_add.add_argument(
        "--option", action="append", default=[], metavar="KEY=VALUE", help="a public setting, e.g. group_id=123456"
    )
    ch_add.add_argument("--register", action="store_true", help="register the webhook with the platform now")
    ch_add.add_argument("--token-stdin", action="store_true", help="telegram: read the bot token from stdin")
    ch_add.add_argument("--mode", choices=["webhook", "poll"], default="poll", help="telegram: how updates arrive")
    ch_add.add_argument("--public-url", help="the server's public base URL (telegram webhook mode, --register)")
    ch_add.add_argument("--api-base", help="another API base URL (an egress proxy, a local Bot API server)")
    ch_add.add_argument("--phone-number-id", help="whatsapp: the Cloud API phone number id")
    ch_add.add_argument("--business-account-id", help="whatsapp: the business account id (templates)")
    ch_add.add_argument(
        "--secrets-stdin", action="store_true", help="whatsapp: access token (line 1) and app secret (line 2) on stdin"
    )
    ch_add.add_argument("--verify-token", help="whatsapp: the webhook verify token set in the Meta app")


def _lines(count: int) -> list[str]:
    lines = [line.strip() for line in sys.stdin.read().splitlines()]
    lines = [line for line in lines if line]
    if len(lines) < count:
        raise ValueError(f"expected {count} non-empty line(s) on standard input")
    return lines[:count]


async def _add(settings, args) -> dict:
    from omnidesk.server.audit.service import Actor
    from omnidesk.server.channels import service
    from omnidesk.server.db import Database

    actor = Actor(None, f"cli:{getpass.getuser()}")
    if args.kind == "telegram":
        if not args.token_stdin:
            raise ValueError("give the bot token on standard input with --token-stdin")
        (token,) = _lines(1)
        secrets = {"token": token}
        options = {"mode": args.mode, "public_url": args.public_url}
    else:
        if not args.secrets_stdin or not args.phone_number_id or not args.verify_token:
            raise ValueError("whatsapp needs --phone-number-id, --verify-token and --secrets-stdin")
        access_token, app_secret = _lines(2)
        secrets = {"access_token": access_token, "app_secret": app_secret, "verify_token": args.verify_token}
        options = {"phone_number_id": args.phone_number_id, "business_account_id": args.business_account_id}
    db = Database(settings.database_url, pool_size=1)
    try:
        async with db.session() as session:
            channel, config = await service.create_provider_channel(
                session,
                settings,
                kind=args.kind,
                name=args.name,
                secrets=secrets,
                options=options,
                api_base=args.api_base,
                queue_id=args.queue,
                actor=actor,
            )
            bot = None
            if args.kind == "telegram":
                async with service.http_client() as client:
                    me = await service.connect_telegram(config, client)
                bot = me.get("username")
            await session.commit()
            return {
                "id": channel.id,
                "kind": channel.kind,
                "name": channel.name,
                "queue_id": channel.queue_id,
                "mode": options.get("mode"),
                "bot": bot,
                "webhook_url": config.webhook_url,
                "webhook_path": service.webhook_path(channel.kind, channel.id),
            }
    finally:
        await db.dispose()


def run_add(settings, args) -> int:
    from omnidesk.channels.base import SendFailure
    from omnidesk.server.channels.kinds import KINDS

    if args.kind in KINDS:
        return add_messenger(args, settings)

    try:
        created = asyncio.run(_add(settings, args))
    except ValueError as exc:
        print(f"omnidesk: error: {exc}", file=sys.stderr)
        return 2
    except SendFailure as failure:
        print(f"omnidesk: error: {args.kind}: {failure.reason}", file=sys.stderr)
        return 1
    except OSError as exc:  # httpx errors are OSError-like only in part; keep the message short and secret-free
        print(f"omnidesk: error: {args.kind} unreachable: {type(exc).__name__}", file=sys.stderr)
        return 1
    except Exception as exc:
        import httpx

        if isinstance(exc, httpx.HTTPError):
            print(f"omnidesk: error: {args.kind} unreachable: {type(exc).__name__}", file=sys.stderr)
            return 1
        raise
    if args.json:
        print(json.dumps(created))
        return 0
    print(f"{created['kind']} channel {created['name']!r} created with id {created['id']}")
    if created["kind"] == "telegram":
        print(f"bot @{created['bot']}, {created['mode']} mode")
        if created["mode"] == "webhook":
            print(f"webhook set: {created['webhook_url']}")
    else:
        print(f"point the Meta app's webhook at <public URL>{created['webhook_path']} (verify token as given)")
    return 0


async def _list(settings) -> list[dict]:
    from sqlalchemy import select

    from omnidesk.server.admin.models import Channel
    from omnidesk.server.channels.models import ChannelSettings
    from omnidesk.server.db import Database

    db = Database(settings.database_url, pool_size=1)
    try:
        async with db.session() as session:
            rows = (
                await session.execute(
                    select(Channel, ChannelSettings)
                    .outerjoin(ChannelSettings, ChannelSettings.channel_id == Channel.id)
                    .order_by(Channel.id)
                )
            ).all()
            return [
                {
                    "id": r.Channel.id,
                    "kind": r.Channel.kind,
                    "name": r.Channel.name,
                    "active": r.Channel.is_active,
                    "options": {
                        k: v for k, v in ((r.ChannelSettings.options or {}) if r.ChannelSettings else {}).items()
                    },
                    "last_update_at": r.ChannelSettings.last_update_at.isoformat()
                    if r.ChannelSettings and r.ChannelSettings.last_update_at
                    else None,
                }
                for r in rows
            ]
    finally:
        await db.dispose()


def run_list(settings, args) -> int:
    channels = asyncio.run(_list(settings))
    if args.json:
        print(json.dumps(channels))
        return 0
    for c in channels:
        state = "active" if c["active"] else "disabled"
        print(f"{c['id']:>5}  {c['kind']:<9} {state:<8} {c['name']}")
    return 0


async def find_channel(session, ref: str):
    """The channel ``ref`` names: an id (digits), else its exact name, else its name in any case. LookupError in
    words when none or several match."""
    from sqlalchemy import func, select

    from omnidesk.server.admin.models import Channel

    ref = ref.strip()
    if ref.isdigit():
        channel = await session.get(Channel, int(ref))
        if channel is None:
            raise LookupError(f"no channel has id {ref}")
        return channel
    for where in (Channel.name == ref, func.lower(Channel.name) == ref.lower()):
        found = list((await session.scalars(select(Channel).where(where).order_by(Channel.id))).all())
        if len(found) > 1:
            ids = ", ".join(str(c.id) for c in found)
            raise LookupError(f"{len(found)} channels are named {ref!r} (ids {ids}): give the id instead")
        if found:
            return found[0]
    raise LookupError(f"no channel is named {ref!r} (omnidesk channel list shows them)")


def _asking_the_platform(work, refused: str, *, reraise: type[Exception] | None = None):
    """Run a channel command's ``work``: (its result, 0), or (None, exit status) with the failure said in one line:
    an unknown channel or an unreadable key 2, the platform refusing (``refused``: what it refused) or unreachable 1.
    ``reraise``: a lookup failure the command words itself."""
    import httpx

    from omnidesk.channels.base import SendFailure
    from omnidesk.server.channels.crypto import SecretsUnreadable

    try:
        return asyncio.run(work), 0
    except LookupError as exc:
        if reraise is not None and isinstance(exc, reraise):
            raise
        return None, _fail(str(exc).strip("'\""))
    except SecretsUnreadable as exc:
        return None, _fail(str(exc))
    except SendFailure as failure:
        print(f"omnidesk: error: {refused}: {failure.reason}", file=sys.stderr)
        return None, 1
    except httpx.HTTPError as exc:
        print(f"omnidesk: error: the platform is unreachable: {type(exc).__name__}", file=sys.stderr)
        return None, 1


async def _channel_id(settings, ref: str) -> int:
    from omnidesk.server.db import Database

    db = Database(settings.database_url, pool_size=1)
    try:
        async with db.session() as session:
            channel_id = (await find_channel(session, ref)).id
            await session.rollback()
            return channel_id
    finally:
        await db.dispose()


async def _disable(settings, ref: str) -> tuple[int, str]:
    from omnidesk.server.audit.service import Actor
    from omnidesk.server.channels import service
    from omnidesk.server.db import Database

    db = Database(settings.database_url, pool_size=1)
    try:
        async with db.session() as session:
            channel = await find_channel(session, ref)
            done = channel.id, channel.name
            await service.disable(session, channel.id, Actor(None, f"cli:{getpass.getuser()}"))
            await session.commit()
            return done
    finally:
        await db.dispose()


def run_disable(settings, args) -> int:
    disabled, status = _asking_the_platform(_disable(settings, args.id), "")
    if disabled is None:
        return status
    channel_id, name = disabled
    print(f"channel {channel_id} ({name}) disabled: its webhook refuses deliveries, polling and sending stop")
    return 0


async def _health(settings, channel_id: int):
    from omnidesk.server.channels import service
    from omnidesk.server.db import Database

    db = Database(settings.database_url, pool_size=1)
    try:
        async with db.session() as session:
            found = await service.load(session, settings, channel_id)
            await session.rollback()
        if found is None:
            return None
        async with service.http_client() as client:
            return await found[1].health(client)
    finally:
        await db.dispose()


def run_health(settings, args) -> int:
    channel_id, status = _asking_the_platform(_channel_id(settings, args.id), "")
    if channel_id is None:
        return status
    health = asyncio.run(_health(settings, channel_id))
    if health is None:
        print(f"omnidesk: error: no provider channel {args.id}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps({"ok": health.ok, "checks": [list(c) for c in health.checks]}))
    else:
        for name, ok, detail in health.checks:
            print(f"{'ok ' if ok else 'BAD'} {name}: {detail}")
    return 0 if health.ok else 1


async def _show(settings, ref: str) -> dict:
    """The channel's configuration (credentials named, never shown), its webhook and, asked of the platform now,
    its health with the same words as the admin API's (``service.health_report``)."""
    from omnidesk.channels.base import Health
    from omnidesk.server.channels import crypto, service
    from omnidesk.server.channels.models import ChannelSettings
    from omnidesk.server.db import Database

    db = Database(settings.database_url, pool_size=1)
    try:
        async with db.session() as session:
            channel = await find_channel(session, ref)
            row = await session.get(ChannelSettings, channel.id)
            shown = service.channel_out(settings, channel, row).model_dump(mode="json", exclude={"generated"})
            credentials: list[str] = []
            problem = None
            found = None
            if row is not None:
                try:
                    credentials = sorted(crypto.unseal(settings, row.secrets)) if row.secrets else []
                    found = await service.load(session, settings, channel.id)
                except crypto.SecretsUnreadable as exc:
                    problem = str(exc)
            session.expunge_all()
            await session.rollback()
    finally:
        await db.dispose()
    shown["credentials"] = credentials  # their names: the values stay sealed in the database
    if row is None:
        shown["health"] = None  # the generic API channel: no platform to ask
        return shown
    if found is None:  # the credentials do not unseal: nothing to ask the platform with
        platform = Health(False, (("credentials", False, problem or "the channel has no credentials"),))
    else:
        async with service.http_client(timeout=15) as client:
            platform = await found[1].health(client)
    shown["health"] = service.health_report(channel, row, platform).model_dump(mode="json")
    return shown


def _webhook_line(shown: dict) -> str:
    options = shown["options"]
    if shown["kind"] == "telegram" and options.get("mode") == "poll":
        return "none: long polling (getUpdates)"
    if shown["kind"] in ("vk", "max") and options.get("mode") == "poll":
        return "none: long polling"
    if shown["webhook_url"]:
        return shown["webhook_url"] if shown["webhook_path"] else f"replies are POSTed to {shown['webhook_url']}"
    if shown["webhook_path"]:
        return f"https://<public URL>{shown['webhook_path']} (no public_url set)"
    return "none"


def run_show(settings, args) -> int:
    shown, status = _asking_the_platform(_show(settings, args.id), "the platform refused")
    if shown is None:
        return status
    health = shown["health"]
    if args.json:
        print(json.dumps(shown, ensure_ascii=False))
        return 0 if health is None or health["ok"] else 1
    state = "active" if shown["active"] else "disabled"
    print(f"channel {shown['id']} {shown['name']!r}: {shown['kind']}, {state}, queue {shown['queue_id']}")
    for key, value in sorted(shown["options"].items()):
        print(f"  {key}: {value}")
    if shown["api_base"]:
        print(f"  api base: {shown['api_base']}")
    print(f"webhook: {_webhook_line(shown)}")
    if shown["credentials"]:
        print(f"credentials: {', '.join(shown['credentials'])} (sealed, never shown)")
    if health is None:
        print("health: not a provider channel (nothing to ask a platform)")
    else:
        word = "ok" if health["ok"] else "NOT OK"
        print(f"health: {word}: " + "; ".join(c["detail"] for c in health["checks"]))
    last = shown["last_update_at"]
    print(f"last update: {last or 'none yet'}")
    if shown["rejected"] or shown["last_error"]:
        print(f"refused requests: {shown['rejected']}; last error: {shown['last_error'] or 'none'}")
    return 0 if health is None or health["ok"] else 1


async def _sync_templates(settings, ref: str) -> tuple[int, str, int]:
    from omnidesk.server.audit.service import Actor
    from omnidesk.server.channels import service
    from omnidesk.server.db import Database

    db = Database(settings.database_url, pool_size=1)
    try:
        async with db.session() as session, service.http_client() as client:
            channel = await find_channel(session, ref)
            found = channel.id, channel.name
            actor = Actor(None, f"cli:{getpass.getuser()}")
            count = await service.sync_channel_templates(session, settings, channel.id, client, actor)
            await session.commit()
            return (*found, count)
    finally:
        await db.dispose()


def run_templates(settings, args) -> int:
    """``omnidesk channel templates sync NAME``: the business account's templates, as the admin API syncs them."""
    from omnidesk.server.channels.service import NoTemplates

    try:
        synced, status = _asking_the_platform(
            _sync_templates(settings, args.id), "the platform refused the template list", reraise=NoTemplates
        )
    except NoTemplates:
        return _fail(f"channel {args.id!r} has no templates to sync (WhatsApp Business channels have them)")
    if synced is None:
        return status
    channel_id, name, count = synced
    if args.json:
        print(json.dumps({"id": channel_id, "name": name, "count": count}, ensure_ascii=False))
    else:
        print(f"{count} template(s) of channel {channel_id} ({name}) synced")
    return 0


def read_secrets(stream) -> dict[str, str]:
    text = stream.read().strip()
    if not text:
        return {}
    if text.startswith("{"):
        document = json.loads(text)
        if not isinstance(document, dict):
            raise ValueError("the credentials on standard input must be one JSON object")
        return {str(k): str(v) for k, v in document.items()}
    secrets: dict[str, str] = {}
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        key, sep, value = line.partition("=")
        if not sep:
            raise ValueError(f"credentials: expected KEY=VALUE, got {key!r}")
        secrets[key.strip()] = value.strip()
    return secrets


def _options(pairs: list[str]) -> dict[str, str]:
    options = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep:
            raise ValueError(f"--option {pair!r}: expected KEY=VALUE")
        options[key.strip()] = value.strip()
    return options


def keygen(args: argparse.Namespace) -> int:
    from cryptography.fernet import Fernet

    print(Fernet.generate_key().decode())
    return 0


def _fail(message: str) -> int:
    print(f"omnidesk: error: {message}", file=sys.stderr)
    return 2


def add_messenger(args: argparse.Namespace, settings, fail=_fail) -> int:
    """Create a messenger channel from the command line; print what the administrator needs next."""
    from omnidesk.server.audit.service import Actor
    from omnidesk.server.channels.crypto import SecretsUnreadable
    from omnidesk.server.channels.kinds import KINDS
    from omnidesk.server.channels.service import create_messenger_channel
    from omnidesk.server.db import Database

    try:
        secrets = read_secrets(sys.stdin) if not sys.stdin.isatty() else {}
        options = _options(args.option)
    except (ValueError, json.JSONDecodeError) as exc:
        return fail(str(exc))
    if args.register and not args.public_url:
        return fail("--register needs --public-url (this server's public HTTPS address)")

    async def work() -> dict:
        db = Database(settings.database_url, pool_size=1)
        try:
            async with db.session() as session:
                created = await create_messenger_channel(
                    session,
                    settings,
                    kind=args.kind,
                    name=args.name,
                    secrets=secrets,
                    options=options,
                    api_base=args.api_base,
                    queue_id=args.queue,
                    actor=Actor(None, f"cli:{getpass.getuser()}"),
                )
                await session.commit()
                result = {
                    "id": created.channel.id,
                    "kind": created.channel.kind,
                    "name": created.channel.name,
                    "queue_id": created.channel.queue_id,
                    "webhook_path": created.hook_path,
                    "generated": created.generated,
                }
            if args.register:
                result["registered"] = await register(db, settings, created.channel.id, args.public_url)
            return result
        finally:
            await db.dispose()

    try:
        result = asyncio.run(work())
    except SecretsUnreadable as exc:
        return fail(str(exc))
    except ValueError as exc:
        return fail(str(exc))
    except Exception as exc:  # a platform refusing the registration: the channel exists, say what failed
        from omnidesk.channels.base import SendFailure

        if isinstance(exc, SendFailure):
            return fail(f"the channel was created but the platform refused the registration: {exc.reason}")
        raise
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
        return 0
    print(f"{KINDS[args.kind].title} channel {result['name']!r} created with id {result['id']}")
    print(f"webhook address: https://<this server>{result['webhook_path']}")
    for key, value in result["generated"].items():
        print(f"{key} (generated, shown once: enter it in the platform's settings): {value}")
    if result.get("registered"):
        print("registered with the platform")
    return 0


async def register(db, settings, channel_id: int, public_url: str) -> bool:
    """Tell the platform the webhook address (VK: learn and store the confirmation string first)."""
    from omnidesk.server.channels import service

    async def connector():
        async with db.session() as session:
            channel, found = await service.load(session, settings, channel_id)
            kind = channel.kind
            await session.rollback()
        config = dataclasses.replace(found.config, webhook_url=service.webhook_url(public_url, kind, channel_id))
        return kind, type(found)(config)

    kind, bot = await connector()
    async with service.http_client() as client:
        if kind == "vk":
            code = await bot.call(client, "groups.getCallbackConfirmationCode", group_id=bot.group_id)
            async with db.session() as session:
                await service.update_secrets(session, settings, channel_id, confirmation=code["code"])
                await session.commit()
            kind, bot = await connector()
        await bot.register_webhook(client, bot.config.webhook_url)
    return True


def run_poll(args: argparse.Namespace, settings, fail=_fail) -> int:
    """``omnidesk channel poll ID``: the server's long-poll loop for one Telegram, VK or MAX channel in the foreground
    (the same :class:`ChannelPoller`, lock included: it stands by while a server process polls the channel)."""
    from omnidesk.channels.base import SendFailure
    from omnidesk.server.channels.crypto import SecretsUnreadable
    from omnidesk.server.channels.poller import ChannelPoller
    from omnidesk.server.db import Database

    async def work() -> int:
        db = Database(settings.database_url, pool_size=2)
        poller = ChannelPoller(db, settings, args.channel_id, require_poll_mode=False)
        try:
            if args.once:
                return await poller.poll_once()
            await poller.run()
            return poller.stored
        finally:
            await db.dispose()

    try:
        stored = asyncio.run(work())
    except (SecretsUnreadable, ValueError) as exc:
        return fail(str(exc))
    except SendFailure as failure:
        return fail(f"the platform refused the long poll: {failure.reason}")
    except KeyboardInterrupt:
        return 0
    print(json.dumps({"stored": stored}) if args.json else f"{stored} messages stored")
    return 0
