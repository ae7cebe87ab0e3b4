"""The ``omnidesk`` command: database migrations, the server, users, channels, the client and the demo."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import json
import logging
import os
import sys

from omnidesk import __version__


def _settings(args: argparse.Namespace, **extra):
    from omnidesk.server.config import load_settings

    return load_settings(getattr(args, "config", None), database_url=getattr(args, "database", None), **extra)


def _fail(message: str, code: int = 2) -> int:
    print(f"omnidesk: error: {message}", file=sys.stderr)
    return code


def cmd_db(args: argparse.Namespace) -> int:
    from omnidesk.server import migrate

    settings = _settings(args)
    url = settings.database_url
    if args.db_command == "upgrade":
        migrate.upgrade(url, args.revision)
        print(f"database at {migrate.current_revision(url)} ({_redact(url)})")
    elif args.db_command == "downgrade":
        migrate.downgrade(url, args.revision)
        print(f"database at {migrate.current_revision(url) or 'base'} ({_redact(url)})")
    else:
        current, head = migrate.current_revision(url), migrate.head_revision()
        print(f"current: {current or 'none'}  head: {head}  ({'up to date' if current == head else 'needs upgrade'})")
    return 0


def _redact(url: str) -> str:
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return "<database>"


def cmd_server(args: argparse.Namespace) -> int:
    import uvicorn

    from omnidesk.server import migrate
    from omnidesk.server.app import SETTINGS_ENV, create_app

    settings = _settings(args, host=args.host, port=args.port, processes=args.processes)
    logging.basicConfig(level=settings.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    current, head = migrate.current_revision(settings.database_url), migrate.head_revision()
    if current != head:
        return _fail(
            f"the database schema is at {current or 'nothing'}, this version needs {head}: "
            f"run 'omnidesk db upgrade' first ({_redact(settings.database_url)})"
        )
    if settings.is_sqlite and settings.processes > 1:
        return _fail("SQLite has a single writer: run one server process, or use PostgreSQL for several")
    processes = settings.server_processes
    where = _redact(settings.database_url)
    count = f"{processes} processes" if processes > 1 else "1 process"
    print(f"OmniDesk {__version__} serving on http://{settings.host}:{settings.port} ({where}; {count})")
    sys.stdout.flush()
    common = {
        "host": settings.host,
        "port": settings.port,
        "log_level": settings.log_level.lower(),
        "access_log": args.access_log,
        "timeout_graceful_shutdown": 5,
    }
    if processes == 1:
        uvicorn.run(create_app(settings), **common)
        return 0
    # Several processes share the listening socket; each runs the app with its own pool, event hub and background
    # workers (the sequencer elects one leader through an advisory lock; the outbox leases rows with SKIP LOCKED).
    os.environ[SETTINGS_ENV] = settings.model_dump_json()
    uvicorn.run("omnidesk.server.app:app_from_environment", factory=True, workers=processes, **common)
    return 0


async def _with_session(settings, work):
    from omnidesk.server.db import Database

    db = Database(settings.database_url, pool_size=1)
    try:
        async with db.session() as session:
            result = await work(session)
            await session.commit()
            return result
    finally:
        await db.dispose()


def _read_password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = getpass.getpass("Password: ")
        if getpass.getpass("Repeat password: ") != password:
            raise ValueError("the passwords differ")
    if len(password) < 8:
        raise ValueError("the password needs at least 8 characters")
    return password


def cmd_user(args: argparse.Namespace) -> int:
    from omnidesk.domain.enums import Role
    from omnidesk.server.audit import Actor
    from omnidesk.server.users import UserExists, create_user

    settings = _settings(args)
    try:
        password = _read_password(args)
    except ValueError as exc:
        return _fail(str(exc))

    async def work(session):
        user = await create_user(
            session,
            username=args.username,
            password=password,
            role=Role(args.role),
            display_name=args.display_name,
            actor=Actor(None, f"cli:{getpass.getuser()}"),
        )
        return user.id

    try:
        user_id = asyncio.run(_with_session(settings, work))
    except (UserExists, ValueError) as exc:
        return _fail(str(exc))
    print(f"user {args.username} ({args.role}) created with id {user_id}")
    return 0


def cmd_channel(args: argparse.Namespace) -> int:
    from omnidesk.server.audit import Actor
    from omnidesk.server.channels import create_api_channel

    settings = _settings(args)

    async def work(session):
        channel, token = await create_api_channel(
            session,
            name=args.name,
            webhook_url=args.webhook_url,
            queue_id=args.queue,
            actor=Actor(None, f"cli:{getpass.getuser()}"),
        )
        return {
            "id": channel.id,
            "kind": channel.kind,
            "name": channel.name,
            "token": token,
            "webhook_url": channel.webhook_url,
            "queue_id": channel.queue_id,
            "inbound_url": f"/api/v1/channels/{channel.id}/inbound",
        }

    try:
        created = asyncio.run(_with_session(settings, work))
    except ValueError as exc:
        return _fail(str(exc))
    if args.json:
        print(json.dumps(created))
    else:
        print(f"channel {created['name']!r} created with id {created['id']}")
        print(f"inbound URL: POST {created['inbound_url']}")
        print(f"inbound token (shown once, keep it secret): {created['token']}")
    return 0


def cmd_client(args: argparse.Namespace) -> int:
    try:
        from omnidesk.client.main import run
    except ImportError as exc:
        return _fail(f"the desktop client is not installed ({exc}); pip install 'omnidesk[client]'")
    return run(args.client_args, server_url=args.server, language=args.language)


def cmd_demo(args: argparse.Namespace) -> int:
    try:
        from omnidesk.demo.run import run_demo
    except ImportError as exc:
        return _fail(f"the demo is not available: {exc}")
    return run_demo(
        headless=args.headless,
        port=args.port,
        data_dir=args.data_dir,
        language=args.language,
        interval=args.interval,
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="omnidesk", description="OmniDesk: the on-premise omnichannel help desk.")
    parser.add_argument("--version", action="version", version=f"omnidesk {__version__}")
    parser.add_argument("--config", help="TOML settings file (also OMNIDESK_CONFIG)")
    sub = parser.add_subparsers(dest="command", required=True)

    def database_flag(p):
        p.add_argument("--database", help="sqlite:///path or postgresql://user@host:5432/db (OMNIDESK_DATABASE_URL)")

    db = sub.add_parser("db", help="database schema migrations")
    db_sub = db.add_subparsers(dest="db_command", required=True)
    up = db_sub.add_parser("upgrade", help="migrate the schema to the newest version")
    up.add_argument("revision", nargs="?", default="head")
    down = db_sub.add_parser("downgrade", help="migrate the schema back to REVISION (e.g. -1 or base)")
    down.add_argument("revision")
    cur = db_sub.add_parser("current", help="show the schema version")
    for p in (up, down, cur):
        database_flag(p)
    db.set_defaults(func=cmd_db)

    server = sub.add_parser("server", help="serve the API")
    database_flag(server)
    server.add_argument("--host", help="listen address (OMNIDESK_HOST, default 127.0.0.1)")
    server.add_argument("--port", type=int, help="listen port (OMNIDESK_PORT, default 8080)")
    server.add_argument("--access-log", action="store_true", help="log every request")
    server.add_argument(
        "--processes", type=int, help="server processes (OMNIDESK_PROCESSES; default one per core on PostgreSQL)"
    )
    server.set_defaults(func=cmd_server)

    user = sub.add_parser("user", help="manage users")
    user_sub = user.add_subparsers(dest="user_command", required=True)
    add = user_sub.add_parser("add", help="create a user")
    add.add_argument("username")
    add.add_argument("--role", required=True, choices=["operator", "supervisor", "admin"])
    add.add_argument("--display-name")
    add.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    database_flag(add)
    user.set_defaults(func=cmd_user)

    channel = sub.add_parser("channel", help="manage channels")
    channel_sub = channel.add_subparsers(dest="channel_command", required=True)
    ch_add = channel_sub.add_parser("add", help="create a channel")
    ch_add.add_argument("kind", choices=["api"], help="channel kind (api: the generic API channel)")
    ch_add.add_argument("name")
    ch_add.add_argument("--webhook-url", help="where replies are POSTed")
    ch_add.add_argument("--queue", type=int, help="queue id for its conversations (default: the first queue)")
    ch_add.add_argument("--json", action="store_true", help="print one JSON object with id and token")
    database_flag(ch_add)
    channel.set_defaults(func=cmd_channel)

    client = sub.add_parser("client", help="start the desktop client")
    client.add_argument("--server", help="server URL to log in to")
    client.add_argument("--language", choices=["en", "uk", "ru"], help="interface language (default: system)")
    client.add_argument("client_args", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
    client.set_defaults(func=cmd_client)

    demo = sub.add_parser("demo", help="a demo server with realistic data and live traffic, plus the client")
    demo.add_argument("--headless", action="store_true", help="server and traffic only; print URL and logins")
    demo.add_argument("--port", type=int, default=None, help="server port (default: a free one)")
    demo.add_argument("--data-dir", help="where the demo database goes (default: a new temporary folder)")
    demo.add_argument("--language", choices=["en", "uk", "ru"], help="client language (default: system)")
    demo.add_argument(
        "--interval", type=float, default=None, help="seconds between simulated customer messages (default: 4)"
    )
    demo.set_defaults(func=cmd_demo)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except FileNotFoundError as exc:
        return _fail(str(exc))
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
