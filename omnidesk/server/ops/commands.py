"""The admin's ``omnidesk`` subcommands: ``ldap check|sync``, ``backup``, ``restore``, ``retention run|status``,
``customer export|erase``.

Registered on the main parser by ``register`` (one line in omnidesk/cli.py); each imports the server lazily, so
``omnidesk --help`` stays fast.
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import json
import sys
from pathlib import Path

from omnidesk.cli import _fail, _settings, _with_session


def _cli_actor():
    from omnidesk.server.audit.service import Actor

    return Actor(None, f"cli:{getpass.getuser()}")


# --- ldap ---------------------------------------------------------------------------------------------------------


def cmd_ldap(args: argparse.Namespace) -> int:
    from omnidesk.server.auth_ldap.directory import Directory, DirectoryUnavailable
    from omnidesk.server.auth_ldap.service import grant_of, sync_directory

    settings = _settings(args, existing_database=args.ldap_command != "check")  # check asks the directory only
    if not settings.ldap_url:
        return _fail("directory sign-in is off: set ldap_url (and ldap_user_base, ldap_bind_dn...) first")
    if args.ldap_command == "check":
        try:
            entry = Directory(settings).find(args.username)
        except DirectoryUnavailable as exc:
            return _fail(str(exc))
        if entry is None:
            return _fail(f"user {args.username!r} not found under {settings.ldap_user_base}", 1)
        grant = grant_of(settings, entry)
        print(f"dn:       {entry.dn}")
        print(f"name:     {entry.display_name}")
        print(f"disabled: {'yes' if entry.disabled else 'no'}")
        print(f"groups:   {', '.join(sorted(entry.groups)) or '-'}")
        print(f"role:     {grant.role.value if grant.role else 'none (may not sign in)'}")
        print(f"queues:   {', '.join(grant.queue_names) or '-'}")
        return 0

    async def work(session):
        return await sync_directory(session, settings, _cli_actor())

    report = asyncio.run(_with_session(settings, work))
    print(f"directory sync: checked {report.checked}, updated {report.updated}, disabled {report.disabled}")
    if report.unavailable:
        return _fail(f"stopped early: {report.unavailable}", 1)
    return 0


# --- backup and restore -------------------------------------------------------------------------------------------


def _audit(settings, action: str, details: dict) -> None:
    from omnidesk.server.audit import service as audit

    async def work(session):
        await audit.record(session, _cli_actor(), action, "database", None, details)

    asyncio.run(_with_session(settings, work))


def cmd_backup(args: argparse.Namespace) -> int:
    from omnidesk.cli import _redact
    from omnidesk.server.attachments.service import storage_dir
    from omnidesk.server.channels.crypto import _key_file
    from omnidesk.server.ops.backup import BackupError, backup

    settings = _settings(args)
    key_file = None
    if args.with_key:
        if settings.channel_key:
            return _fail("the channel key comes from the channel_key setting, not a file: back up that setting")
        key_file = _key_file(settings)
    try:
        made = backup(settings.database_url, Path(args.file), storage_dir(settings), key_file)
    except BackupError as exc:
        return _fail(str(exc))
    details = {"file": str(Path(args.file).resolve()), "bytes": made.size, "files": made.files, "key": made.key}
    _audit(settings, "ops.backup", details)
    print(
        f"backup of {_redact(settings.database_url)} and {made.files:,} stored file(s) written to {args.file} "
        f"({made.size:,} bytes)"
    )
    if not made.key:
        print("the channel key is not in it: keep channel.key (or the channel_key setting) safe apart from backups")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from omnidesk.cli import _redact
    from omnidesk.server import migrate
    from omnidesk.server.ops.backup import BackupError, restore

    settings = _settings(args, existing_database=False)  # a restore may make the database
    where = _redact(settings.database_url)
    if not args.yes:
        if not sys.stdin.isatty():
            return _fail("restore replaces everything in the database: add --yes to confirm")
        answer = input(f"Replace everything in {where} with {args.file}? Type 'restore' to go on: ")
        if answer.strip() != "restore":
            return _fail("not restored", 1)
    from omnidesk.cli import _sqlite_lock
    from omnidesk.server.attachments.service import storage_dir
    from omnidesk.server.channels.crypto import _key_file

    lock = _sqlite_lock(settings.database_url, "omnidesk restore")  # never under a running server on SQLite
    try:
        done = restore(
            settings.database_url,
            Path(args.file),
            storage_dir(settings),
            None if settings.channel_key else _key_file(settings),
        )
    except BackupError as exc:
        return _fail(str(exc))
    finally:
        if lock is not None:
            lock.release()
    _audit(settings, "ops.restore", {"file": str(Path(args.file).resolve()), "files": done.files, "key": done.key})
    current, head = migrate.current_revision(settings.database_url), migrate.head_revision()
    print(f"restored {where} and {done.files:,} stored file(s) from {args.file} (schema {current})")
    if current != head:
        print(f"the backup's schema is older than this version's ({head}): run 'omnidesk db upgrade'")
    return 0


# --- retention and one customer's data ----------------------------------------------------------------------------


def _status_lines(status: dict) -> list[str]:
    """``omnidesk retention status`` in words; every time in the configured zone, with its offset."""

    def when(moment) -> str:
        return moment.isoformat(timespec="seconds") if moment else "-"

    if status["schedule"]:
        daily = f"daily at {status['time']} ({status['time_zone']})"
        lines = [f"schedule:  {daily}; next run {when(status['next_run_at'])}"]
    else:
        lines = ["schedule:  off (retention_schedule = false): run it from a timer"]
    if status["catch_up_pending"]:
        lines.append(f"catch-up:  pending: the run due {when(status['missed_due_at'])} was missed (a server runs it")
        lines.append("           when it starts; or run it now: omnidesk retention run)")
    runs = [("last run", status["last_run"])]
    if status["last_success"] and status["last_run"] and status["last_success"]["id"] != status["last_run"]["id"]:
        runs.append(("last done", status["last_success"]))
    for label, run in runs:
        if run is None:
            lines.append(f"{label + ':':<10} never")
            continue
        who = run["started_by"] if run["by"] == "admin" else "the scheduler"
        if run["catch_up"]:
            who += " (catch-up)"
        if run["outcome"] == "failed":
            what = f"error: {run['error']}"
        else:
            what = f"{run['messages']} messages, {run['audit_pruned']} audit records pruned, "
            what += f"{run['legal_holds']} customers on legal hold skipped"
        lines.append(f"{label + ':':<10} {when(run['started_at'])} by {who}: {run['outcome']}; {what}")
    return lines


def cmd_retention(args: argparse.Namespace) -> int:
    from omnidesk.server.retention.service import Busy, retention_status, run_retention

    settings = _settings(args)
    if args.retention_command == "status":

        async def look(session):
            return await retention_status(session, settings)

        status = asyncio.run(_with_session(settings, look))
        if args.json:
            print(json.dumps(status, default=lambda v: v.isoformat(), ensure_ascii=False, indent=2))
        else:
            print("\n".join(_status_lines(status)))
        return 0

    async def work(session):
        return await run_retention(session, settings, actor=_cli_actor())

    try:
        report = asyncio.run(_with_session(settings, work))
    except Busy:
        print("another retention run is in progress (a server's daily run?); nothing done, try again later")
        return 1
    if report is None:
        print("retention already ran today; nothing done")
        return 0
    for policy in report["policies"]:
        what = f"{policy['action']} before {policy['cutoff'][:10]}"
        print(f"policy {policy['name']!r} ({what}): {policy['messages']} messages")
    print(f"audit records before {report['audit_cutoff'][:10]} pruned: {report['audit_pruned']}")
    print(f"customers on legal hold (skipped): {report['legal_holds']}")
    return 0


def cmd_customer(args: argparse.Namespace) -> int:
    from omnidesk.server.audit import service as audit
    from omnidesk.server.retention.service import OnLegalHold, erase_customer, export_customer

    settings = _settings(args)
    if args.customer_command == "export":

        async def export(session):
            data = await export_customer(session, args.customer_id)
            if data is not None:
                await audit.record(session, _cli_actor(), "customer.export", "customer", args.customer_id)
            return data

        data = asyncio.run(_with_session(settings, export))
        if data is None:
            return _fail(f"no customer {args.customer_id}", 1)
        Path(args.file).write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
        print(f"customer {args.customer_id}: {len(data['messages'])} messages exported to {args.file}")
        return 0
    if not args.yes:
        return _fail("erasure cannot be undone: add --yes to confirm")

    async def erase(session):
        return await erase_customer(session, args.customer_id, _cli_actor(), settings)

    try:
        done = asyncio.run(_with_session(settings, erase))
    except OnLegalHold as exc:
        return _fail(str(exc))
    if done is None:
        return _fail(f"no customer {args.customer_id}", 1)
    print(f"customer {args.customer_id} erased: {done['identities']} identities, {done['messages']} messages")
    return 0


def register(sub, database_flag) -> None:
    """Add the admin subcommands to the main parser's subparsers ``sub``."""
    ldap = sub.add_parser("ldap", help="directory sign-in (LDAP / Active Directory)")
    ldap_sub = ldap.add_subparsers(dest="ldap_command", required=True)
    check = ldap_sub.add_parser("check", help="look a user up as sign-in would, and show the role and queues")
    check.add_argument("username")
    sync = ldap_sub.add_parser("sync", help="re-read every directory user; switch off the ones no longer allowed in")
    for p in (check, sync):
        database_flag(p)
    ldap.set_defaults(func=cmd_ldap)

    backup = sub.add_parser(
        "backup", help="write a consistent backup of the database and the stored files to FILE (server may run)"
    )
    backup.add_argument("file")
    backup.add_argument(
        "--with-key",
        action="store_true",
        help="include the channel key file (channel.key): whoever holds the backup can then read the channels' "
        "credentials; by default keep the key apart",
    )
    database_flag(backup)
    backup.set_defaults(func=cmd_backup)
    restore = sub.add_parser("restore", help="replace the database's contents with the backup in FILE")
    restore.add_argument("file")
    restore.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    database_flag(restore)
    restore.set_defaults(func=cmd_restore)

    retention = sub.add_parser("retention", help="retention policies")
    retention_sub = retention.add_subparsers(dest="retention_command", required=True)
    run = retention_sub.add_parser("run", help="apply the retention policies and prune old audit records (once a day)")
    status = retention_sub.add_parser("status", help="the last run, the next scheduled one, a missed run to catch up")
    status.add_argument("--json", action="store_true", help="as JSON (GET /api/v1/retention/status)")
    for p in (run, status):
        database_flag(p)
    retention.set_defaults(func=cmd_retention)

    customer = sub.add_parser("customer", help="one customer's data: export (subject access) or erase")
    customer_sub = customer.add_subparsers(dest="customer_command", required=True)
    export = customer_sub.add_parser("export", help="write everything held on the customer to FILE (JSON)")
    export.add_argument("customer_id", type=int)
    export.add_argument("file")
    erase = customer_sub.add_parser("erase", help="erase the customer's identifying data and message texts")
    erase.add_argument("customer_id", type=int)
    erase.add_argument("--yes", action="store_true", help="confirm: erasure cannot be undone")
    for p in (export, erase):
        database_flag(p)
    customer.set_defaults(func=cmd_customer)
