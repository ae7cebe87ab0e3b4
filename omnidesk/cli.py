"""The ``omnidesk`` command: database migrations, the server, users, channels, the client and the demo.

A problem an admin can fix (the database cannot be reached, a setting is wrong, the port is taken) is one line on
standard error and one of the exit statuses below, never a traceback; ``--debug`` (or ``OMNIDESK_DEBUG=1``) shows the
traceback instead. The README's "Exit statuses" lists the same.
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import json
import os
import sys

from omnidesk import __version__

EXIT_ERROR = 1  # an unexpected error (with its traceback)
EXIT_REFUSED = 2  # bad arguments or input, or the schema is not current: the command did nothing
EXIT_STARTUP_FAILED = 3  # the server failed while starting up (its log says why)
EXIT_CONFIG = 4  # the configuration is invalid: a setting, the TOML file, the database URL's scheme
EXIT_DATABASE_UNREACHABLE = 5  # the database cannot be reached, refused the login, or its file cannot be opened
EXIT_DATABASE_MISSING = 6  # the database does not exist
EXIT_CANNOT_LISTEN = 7  # the server cannot listen on its address: the port is in use, a privileged port, ...
EXIT_DATABASE_IN_USE = 8  # the SQLite file is in use by another server (or a migration)
EXIT_INTERRUPTED = 130


class CommandProblem(Exception):
    """A problem the admin can fix: ``str()`` is the one line to print, ``exit_code`` the status."""

    def __init__(self, message: str, exit_code: int) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def _settings(args: argparse.Namespace, *, existing_database: bool = True, **extra):
    """The settings of this command. ``existing_database``: the command works on a database that must be there
    already; an SQLite file that is not is DatabaseMissing now, before anything could create it (only ``db upgrade``
    and ``restore`` make one, and ``ldap check`` needs none)."""
    import tomllib

    import pydantic
    import pydantic_settings

    from omnidesk.server.config import load_settings

    try:
        settings = load_settings(getattr(args, "config", None), database_url=getattr(args, "database", None), **extra)
    except FileNotFoundError as exc:
        raise CommandProblem(str(exc), EXIT_CONFIG) from exc
    except tomllib.TOMLDecodeError as exc:
        where = getattr(args, "config", None) or os.environ.get("OMNIDESK_CONFIG", "")
        raise CommandProblem(f"the configuration file {where} is not valid TOML: {exc}", EXIT_CONFIG) from exc
    except pydantic.ValidationError as exc:
        raise CommandProblem(_invalid_settings(exc), EXIT_CONFIG) from exc
    except pydantic_settings.SettingsError as exc:  # e.g. a variable that must be JSON and is not
        raise CommandProblem(f"invalid settings: {exc}", EXIT_CONFIG) from exc
    args._database_url = settings.database_url  # for the one-line explanation of a database error (main)
    if existing_database:
        from omnidesk.server.db.problems import missing_sqlite, sqlite_file

        path = sqlite_file(settings.database_url)
        if path is not None and not path.is_file():
            raise missing_sqlite(path)
    return settings


def _invalid_settings(exc) -> str:
    """One line for the invalid settings, naming each with its variable; never the value (it may be a secret)."""
    parts = []
    for error in exc.errors():
        name = ".".join(str(part) for part in error["loc"]) or "settings"
        message = error["msg"].removeprefix("Value error, ")
        parts.append(f"{name} (OMNIDESK_{name.upper()}): {message}")
    return "invalid setting " + "; ".join(parts)


def _fail(message: str, code: int = 2) -> int:
    print(f"omnidesk: error: {message}", file=sys.stderr)
    return code


def _sqlite_lock(url: str, what: str):
    """The lock of the SQLite file behind ``url`` taken for ``what`` (omnidesk/server/db/filelock.py), or None for
    PostgreSQL and an in-memory database."""
    from omnidesk.server.db.filelock import DatabaseLock
    from omnidesk.server.db.problems import sqlite_file

    path = sqlite_file(url)
    if path is None:
        return None
    if not path.parent.is_dir():
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise CommandProblem(
                f"cannot create {path.parent} for the SQLite database: {exc.strerror}", EXIT_DATABASE_UNREACHABLE
            ) from exc
    return DatabaseLock(path).acquire(what)


def cmd_db(args: argparse.Namespace) -> int:
    from omnidesk.server import migrate

    settings = _settings(args, existing_database=args.db_command != "upgrade")
    url = settings.database_url
    if args.db_command in ("upgrade", "downgrade"):
        # Never beside a running server on the same SQLite file (it checked the schema when it started).
        lock = _sqlite_lock(url, f"omnidesk db {args.db_command}")
        try:
            if args.db_command == "upgrade":
                migrate.upgrade(url, args.revision)
            else:
                migrate.downgrade(url, args.revision)
        finally:
            if lock is not None:
                lock.release()
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
    from omnidesk.server.app import SETTINGS_ENV, SUPERVISOR_ENV, create_app

    settings = _settings(args, host=args.host, port=args.port, processes=args.processes)
    from omnidesk.server.ops import logging as ops_logging

    if settings.is_sqlite and settings.processes > 1:
        return _fail("SQLite has a single writer: run one server process, or use PostgreSQL for several")
    current, head = migrate.current_revision(settings.database_url), migrate.head_revision()
    # One server per SQLite file, for the whole life of this process (the OS drops the lock when it ends).
    lock = _sqlite_lock(settings.database_url, "omnidesk server")
    # Logging from here on: a refusal above is its one line alone, without Alembic's log lines before it.
    ops_logging.configure(settings)  # structured, redacted logs (log_format text or json)
    try:
        if current != head:
            return _fail(
                f"the database schema is at {current or 'nothing'}, this version needs {head}: "
                f"run 'omnidesk db upgrade' first ({_redact(settings.database_url)})"
            )
        return _serve(args, settings, uvicorn, create_app, SETTINGS_ENV, SUPERVISOR_ENV)
    finally:
        if lock is not None:
            lock.release()


def _listen(host: str, port: int):
    """The server's listening socket, bound and listening, or CommandProblem saying in one line why it cannot be."""
    import errno
    import socket

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        if os.name != "nt":  # elsewhere it lets a restarted server bind at once; on Windows it would share the port
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(2048)
    except OSError as exc:
        sock.close()
        change = "choose another with --port or OMNIDESK_PORT"
        if isinstance(exc, socket.gaierror):
            message = f"cannot listen on {host!r}: unknown host name; check --host or OMNIDESK_HOST"
        elif exc.errno == errno.EADDRINUSE:
            message = f"port {port} on {host} is already in use (another OmniDesk server or another program): {change}"
        elif exc.errno == errno.EACCES:
            message = f"not allowed to listen on port {port} on {host} (ports below 1024 need privileges): {change}"
        elif exc.errno == errno.EADDRNOTAVAIL:
            message = f"cannot listen on {host}: that address is not on this machine; check --host or OMNIDESK_HOST"
        else:
            message = f"cannot listen on {host} port {port}: {exc.strerror or exc}"
        raise CommandProblem(message, EXIT_CANNOT_LISTEN) from exc
    sock.set_inheritable(True)  # the worker processes of a multi-process server serve on it too
    return sock


def _serve(args, settings, uvicorn, create_app, settings_env: str, supervisor_env: str) -> int:
    processes = settings.server_processes
    sock = _listen(settings.host, settings.port)
    port = sock.getsockname()[1]
    where = _redact(settings.database_url)
    count = f"{processes} processes" if processes > 1 else "1 process"
    common = {
        "log_level": settings.log_level.lower(),
        "access_log": args.access_log,
        "timeout_graceful_shutdown": 5,
        # The app reads X-Forwarded-For itself, only from `trusted_proxies` (issue 17); uvicorn's own handling
        # would believe any loopback peer.
        "proxy_headers": False,
        "log_config": None,  # keep the logging set up above (uvicorn's own would bypass the redaction)
    }
    try:
        if processes == 1:
            server = uvicorn.Server(uvicorn.Config(create_app(settings), **common))
            _serving(settings.host, port, where, count)
            try:
                server.run(sockets=[sock])
            except KeyboardInterrupt:
                pass
            return 0 if server.started else EXIT_STARTUP_FAILED
        # Several processes share the listening socket; each runs the app with its own pool, event hub and
        # background workers (the sequencer elects one leader through an advisory lock; the outbox leases rows
        # with SKIP LOCKED).
        from uvicorn.supervisors import Multiprocess

        os.environ[settings_env] = settings.model_dump_json()
        os.environ[supervisor_env] = str(os.getpid())  # a worker started after the supervisor died still knows it
        config = uvicorn.Config("omnidesk.server.app:app_from_environment", factory=True, workers=processes, **common)
        _serving(settings.host, port, where, count)
        try:
            Multiprocess(config, sockets=[sock]).run()
        except KeyboardInterrupt:
            pass
        return 0
    finally:
        sock.close()


def _serving(host: str, port: int, where: str, count: str) -> None:
    """Printed once the port is bound and listening (connections from here on wait for the app, never fail)."""
    print(f"OmniDesk {__version__} serving on http://{host}:{port} ({where}; {count})")
    sys.stdout.flush()


async def _with_session(settings, work):
    from omnidesk.server.db import Database

    db = Database(settings.database_url, pool_size=1, create=False)  # only `db upgrade` makes a database
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
    from omnidesk.server.audit.service import Actor
    from omnidesk.server.users.service import UserExists, create_user

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


def cmd_user_change(args: argparse.Namespace) -> int:
    """Offboarding and changes: disable, enable, set-role, set-password, add-queue, remove-queue, logout-everywhere.

    Each change is audited as done by ``cli:<login>``; disabling or a new password ends every session at once."""
    from omnidesk.domain.enums import Role
    from omnidesk.server.audit import service as audit
    from omnidesk.server.audit.service import Actor
    from omnidesk.server.users import service

    settings = _settings(args)
    command = args.user_command
    password = None
    if command == "set-password":
        try:
            password = _read_password(args)
        except ValueError as exc:
            return _fail(str(exc))
    actor = Actor(None, f"cli:{getpass.getuser()}")

    async def work(session):
        user = await service.find_user(session, args.username)
        if command in ("disable", "enable"):
            await service.update_user(session, user.id, actor=actor, is_active=command == "enable")
            return f"user {user.username} {'enabled' if command == 'enable' else 'disabled'}"
        if command == "set-role":
            await service.update_user(session, user.id, actor=actor, role=Role(args.role))
            return f"user {user.username} is now {args.role}"
        if command == "set-password":
            await service.update_user(session, user.id, actor=actor, password=password)
            return f"password of {user.username} changed; their sessions were ended"
        if command == "add-queue":
            added = await service.add_membership(session, user.id, args.queue, actor=actor)
            return f"user {user.username} {'added to' if added else 'was already in'} queue {args.queue}"
        if command == "remove-queue":
            removed = await service.remove_membership(session, user.id, args.queue, actor=actor)
            return f"user {user.username} {'removed from' if removed else 'was not in'} queue {args.queue}"
        count = await service.revoke_sessions(session, user.id)
        await audit.record(session, actor, "user.sessions_revoked", "user", user.id, {"sessions": count})
        return f"{count} session(s) of {user.username} ended"

    try:
        message = asyncio.run(_with_session(settings, work))
    except (LookupError, ValueError) as exc:
        return _fail(str(exc).strip("'\""))
    print(message)
    return 0


def cmd_channel_rotate(args: argparse.Namespace) -> int:
    """A new inbound token for a channel; the old one stops working (a running server forgets it within 30 s)."""
    from omnidesk.server.audit.service import Actor
    from omnidesk.server.auth.channel_tokens import rotate_channel_token

    settings = _settings(args)

    async def work(session):
        return await rotate_channel_token(session, args.channel_id, actor=Actor(None, f"cli:{getpass.getuser()}"))

    try:
        token = asyncio.run(_with_session(settings, work))
    except LookupError as exc:
        return _fail(str(exc).strip("'\""))
    if args.json:
        print(json.dumps({"id": args.channel_id, "token": token}))
    else:
        print(f"new inbound token of channel {args.channel_id} (shown once, keep it secret): {token}")
    return 0


def cmd_channel(args: argparse.Namespace) -> int:
    if args.channel_command == "add" and args.kind in ("email", "webchat", "form"):  # issue 13
        from omnidesk.server.webchannels_cli import add_web_channel

        return add_web_channel(args, _settings(args), _with_session, _fail)
    from omnidesk.server.admin.service import create_api_channel
    from omnidesk.server.audit.service import Actor
    from omnidesk.server.channels import cli as provider_cli  # every provider kind: omnidesk/server/channels/cli.py

    if args.channel_command == "keygen":
        return provider_cli.keygen(args)
    settings = _settings(args)
    if args.channel_command == "poll":
        return provider_cli.run_poll(args, settings, _fail)
    if args.channel_command != "add" or args.kind != "api":
        return {
            "add": provider_cli.run_add,
            "list": provider_cli.run_list,
            "show": provider_cli.run_show,
            "disable": provider_cli.run_disable,
            "templates": provider_cli.run_templates,
        }.get(args.channel_command, provider_cli.run_health)(settings, args)

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


def add_client_arguments(client: argparse.ArgumentParser) -> None:
    """The options of ``omnidesk client``; the bundled client (installer/client) parses only these."""
    client.add_argument("--server", help="server URL to log in to")
    client.add_argument("--language", choices=["en", "uk", "ru"], help="interface language (default: system)")
    client.add_argument("client_args", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
    client.set_defaults(func=cmd_client)


def client_main(argv: list[str] | None = None, prog: str = "omnidesk-client") -> int:
    """``omnidesk client`` without the rest of the command line: the server's commands (and their imports of the
    server's packages, which the client bundle leaves out) are never loaded."""
    parser = argparse.ArgumentParser(prog=prog, description="the OmniDesk desktop client")
    add_client_arguments(parser)
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        return 130


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


def cmd_analytics(args: argparse.Namespace) -> int:
    """``omnidesk analytics rebuild``: recompute the reports' roll-up from the raw facts."""
    from omnidesk.server.analytics.rebuild import rebuild
    from omnidesk.server.db import Database

    settings = _settings(args)

    async def run() -> int:
        db = Database(settings.database_url, pool_size=2, create=False)
        try:
            return await rebuild(db)
        finally:
            await db.dispose()

    count = asyncio.run(run())
    print(f"rebuilt the reports' roll-up of {count} conversations ({_redact(settings.database_url)})")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="omnidesk", description="OmniDesk: the on-premise omnichannel help desk.")
    parser.add_argument("--version", action="version", version=f"omnidesk {__version__}")
    parser.add_argument("--config", help="TOML settings file (also OMNIDESK_CONFIG)")
    parser.add_argument(
        "--debug", action="store_true", help="show the traceback of an error instead of one line (OMNIDESK_DEBUG=1)"
    )
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
    add.set_defaults(func=cmd_user)
    for name, help_text in (
        ("disable", "stop a user signing in and end their sessions and streams now"),
        ("enable", "let a disabled user sign in again"),
        ("set-role", "change a user's role"),
        ("set-password", "set a new password (ends the user's sessions)"),
        ("add-queue", "make a user a member of a queue"),
        ("remove-queue", "take a user out of a queue"),
        ("logout-everywhere", "end every session of a user (a lost laptop)"),
    ):
        change = user_sub.add_parser(name, help=help_text)
        change.add_argument("username")
        if name == "set-role":
            change.add_argument("role", choices=["operator", "supervisor", "admin"])
        if name in ("add-queue", "remove-queue"):
            change.add_argument("queue", type=int, help="queue id")
        if name == "set-password":
            change.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
        database_flag(change)
        change.set_defaults(func=cmd_user_change)

    channel = sub.add_parser("channel", help="manage channels")
    channel_sub = channel.add_subparsers(dest="channel_command", required=True)
    ch_add = channel_sub.add_parser("add", help="create a channel")
    from omnidesk.server.channels.kinds import KINDS as MESSENGER_KINDS  # stdlib only: parsing stays light

    ch_add.add_argument(
        "kind",
        choices=["api", "telegram", "whatsapp", *MESSENGER_KINDS, "email", "webchat", "form"],
        help="channel kind (api: the generic API channel; telegram, whatsapp, viber, vk, meta, instagram, max; "
        "email: a mailbox; webchat: the site widget; form: web forms)",
    )
    ch_add.add_argument("name")
    ch_add.add_argument("--webhook-url", help="where replies are POSTed")
    ch_add.add_argument("--queue", type=int, help="queue id for its conversations (default: the first queue)")
    ch_add.add_argument("--json", action="store_true", help="print one JSON object with id and token")
    # E-mail, web chat and forms (issue 13)
    ch_add.add_argument("--address", help="email: the mailbox address (default: --username)")
    ch_add.add_argument("--imap-host", help="email: IMAP server")
    ch_add.add_argument("--imap-port", type=int, help="email: IMAP port (993 with --tls, else 143)")
    ch_add.add_argument("--smtp-host", help="email: SMTP server")
    ch_add.add_argument("--smtp-port", type=int, help="email: SMTP port (465 with --tls, 587 with --starttls)")
    ch_add.add_argument("--username", help="email: login name for IMAP and SMTP")
    ch_add.add_argument("--password-stdin", action="store_true", help="email: read the mailbox password from stdin")
    security = ch_add.add_mutually_exclusive_group()
    security.add_argument("--tls", action="store_true", help="email: implicit TLS for IMAP and SMTP")
    security.add_argument("--starttls", action="store_true", help="email: STARTTLS for SMTP (IMAP over TLS)")
    security.add_argument("--plain", action="store_true", help="email: no TLS (a loopback or test server only)")
    ch_add.add_argument("--folder", default="INBOX", help="email: the folder to read (default INBOX)")
    ch_add.add_argument("--signature", help="email: signature under every reply")
    ch_add.add_argument(
        "--delivery-reports",
        action="store_true",
        help="email: ask the SMTP server for delivery reports (DSN), so replies can show 'delivered'",
    )
    ch_add.add_argument(
        "--read-receipts", action="store_true", help="email: ask the customer's mail program for a read receipt (MDN)"
    )
    ch_add.add_argument("--origin", action="append", default=[], help="webchat/form: allowed site origin (repeat)")
    ch_add.add_argument("--thank-you-url", help="form: where the browser goes after a submission")
    database_flag(ch_add)
    ch_add.set_defaults(func=cmd_channel)
    rotate = channel_sub.add_parser("rotate-token", help="issue a new inbound token; the old one stops working")
    rotate.add_argument("channel_id", type=int)
    rotate.add_argument("--json", action="store_true", help="print one JSON object with id and token")
    database_flag(rotate)
    rotate.set_defaults(func=cmd_channel_rotate)
    from omnidesk.server.channels.cli import add_arguments as provider_arguments

    provider_arguments(ch_add)  # --token-stdin, --mode, --public-url, --api-base, --phone-number-id, ...
    ch_list = channel_sub.add_parser("list", help="list the channels")
    ch_list.add_argument("--json", action="store_true")
    ch_show = channel_sub.add_parser(
        "show", help="a channel's settings (no credentials), webhook, health and last update"
    )
    ch_disable = channel_sub.add_parser("disable", help="stop a channel (its history stays)")
    ch_health = channel_sub.add_parser("health", help="check a provider channel with its platform")
    ch_templates = channel_sub.add_parser("templates", help="a WhatsApp channel's message templates")
    ch_templates.add_argument("templates_command", choices=["sync"], help="sync: fetch the approved templates now")
    for p in (ch_show, ch_disable, ch_health, ch_templates):
        p.add_argument("id", metavar="NAME", help="the channel's name or id")
        p.add_argument("--json", action="store_true")
    for p in (ch_list, ch_show, ch_disable, ch_health, ch_templates):
        database_flag(p)
    channel_sub.add_parser("keygen", help="print a new OMNIDESK_CHANNEL_KEY for sealing channel credentials")
    ch_poll = channel_sub.add_parser("poll", help="long-poll a Telegram, VK or MAX channel in the foreground")
    ch_poll.add_argument("channel_id", type=int)
    ch_poll.add_argument("--once", action="store_true", help="one poll, then exit")
    ch_poll.add_argument("--json", action="store_true")
    database_flag(ch_poll)
    channel.set_defaults(func=cmd_channel)

    add_client_arguments(sub.add_parser("client", help="start the desktop client"))

    # Issue 11: ``omnidesk queue ...`` (omnidesk/server/queues/cli.py).
    from omnidesk.server.queues import cli as queue_cli

    queue_cli.register(sub, database_flag=database_flag, settings_of=_settings, with_session=_with_session, fail=_fail)
    analytics = sub.add_parser("analytics", help="reports")
    analytics_sub = analytics.add_subparsers(dest="analytics_command", required=True)
    rebuild = analytics_sub.add_parser("rebuild", help="recompute the reports' roll-up from the raw facts")
    database_flag(rebuild)
    analytics.set_defaults(func=cmd_analytics)

    demo = sub.add_parser("demo", help="a demo server with realistic data and live traffic, plus the client")
    demo.add_argument("--headless", action="store_true", help="server and traffic only; print URL and logins")
    demo.add_argument("--port", type=int, default=None, help="server port (default: a free one)")
    demo.add_argument("--data-dir", help="where the demo database goes (default: a new temporary folder)")
    demo.add_argument("--language", choices=["en", "uk", "ru"], help="client language (default: system)")
    demo.add_argument(
        "--interval", type=float, default=None, help="seconds between simulated customer messages (default: 4)"
    )
    demo.set_defaults(func=cmd_demo)

    # The admin's commands (ldap, backup, restore, retention, customer export/erase): omnidesk/server/ops/commands.py
    from omnidesk.server.ops import commands as admin_commands

    admin_commands.register(sub, database_flag)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    debug = args.debug or os.environ.get("OMNIDESK_DEBUG", "").strip().lower() in ("1", "true", "yes", "on")
    try:
        return args.func(args)
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except Exception as exc:
        if debug:
            raise
        problem = _explain(exc, args)
        if problem is None:
            raise
        return _fail(*problem)


def _explain(exc: Exception, args: argparse.Namespace) -> tuple[str, int] | None:
    """(one line, exit status) for a problem the admin can fix, or None for a bug (its traceback is printed)."""
    from omnidesk.server.db.filelock import DatabaseInUse
    from omnidesk.server.db.problems import explain

    if isinstance(exc, CommandProblem | DatabaseInUse):
        return str(exc), exc.exit_code
    url = getattr(args, "_database_url", None)
    if url is None and getattr(args, "database", None):
        url = args.database
    problem = explain(exc, url)
    if problem is not None:
        return str(problem), problem.exit_code
    if isinstance(exc, FileNotFoundError):
        return str(exc), EXIT_REFUSED
    return None


if __name__ == "__main__":
    sys.exit(main())
