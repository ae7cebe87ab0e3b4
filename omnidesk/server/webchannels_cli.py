"""``omnidesk channel add email|webchat|form``: the command-line side of issue 13's channels (cli.py stays small)."""

from __future__ import annotations

import argparse
import getpass
import json
import sys


def add_web_channel(args: argparse.Namespace, settings, with_session, fail) -> int:
    from omnidesk.server import secrets as secret_store
    from omnidesk.server.audit.service import Actor

    secret_store.configure(settings)  # the same channel key the server seals with

    actor = Actor(None, f"cli:{getpass.getuser()}")
    base = f"http://{settings.host}:{settings.port}"

    if args.kind == "email":
        if not args.imap_host or not args.smtp_host:
            return fail("an e-mail channel needs --imap-host and --smtp-host")
        if not args.password_stdin:
            return fail("give the mailbox password on standard input with --password-stdin")
        password = sys.stdin.readline().rstrip("\r\n")
        address = args.address or args.username
        if not address:
            return fail("give --address (or --username, when it is the address)")
        smtp_security = "tls" if args.tls else "none" if args.plain else "starttls"

        async def work(session):
            from omnidesk.server.email.service import create_email_channel

            channel = await create_email_channel(
                session,
                name=args.name,
                address=address,
                username=args.username,
                password=password,
                imap_host=args.imap_host,
                imap_port=args.imap_port,
                imap_tls=not args.plain,
                smtp_host=args.smtp_host,
                smtp_port=args.smtp_port,
                smtp_security=smtp_security,
                folder=args.folder,
                signature=args.signature,
                delivery_reports=getattr(args, "delivery_reports", False),
                read_receipts=getattr(args, "read_receipts", False),
                queue_id=args.queue,
                actor=actor,
            )
            return {"id": channel.id, "kind": channel.kind, "name": channel.name, "queue_id": channel.queue_id}

    elif args.kind == "webchat":

        async def work(session):
            from omnidesk.server.webchat.service import create_webchat_channel, snippet

            options = {
                "origins": args.origin,
                "color": "#1f6feb",
                "language": "en",
                "position": "right",
                "prechat": True,
                "greeting": None,
            }
            channel, secret = await create_webchat_channel(
                session, name=args.name, options=options, queue_id=args.queue, actor=actor
            )
            return {
                "id": channel.id,
                "kind": channel.kind,
                "name": channel.name,
                "queue_id": channel.queue_id,
                "secret": secret,
                "snippet": snippet(base, channel.id, options),
            }

    else:

        async def work(session):
            from omnidesk.server.forms.service import create_form_channel, snippet

            channel = await create_form_channel(
                session,
                name=args.name,
                origins=args.origin,
                queue_id=args.queue,
                thank_you_url=args.thank_you_url,
                actor=actor,
            )
            return {
                "id": channel.id,
                "kind": channel.kind,
                "name": channel.name,
                "queue_id": channel.queue_id,
                "form_url": f"/forms/{channel.id}",
                "snippet": snippet(base, channel.id),
            }

    import asyncio

    try:
        created = asyncio.run(with_session(settings, work))
    except ValueError as exc:
        return fail(str(exc))
    if args.json:
        print(json.dumps(created, ensure_ascii=False))
        return 0
    print(f"{created['kind']} channel {created['name']!r} created with id {created['id']}")
    if "secret" in created:
        print(f"site secret for signed user tokens (shown once, keep it secret): {created['secret']}")
    if "snippet" in created:
        print("paste into the site (use the server's public URL):")
        print(created["snippet"])
    return 0
