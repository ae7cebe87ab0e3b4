"""``omnidesk channel add email|webchat|form`` as a real process, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import json

from sqlalchemy import select

from omnidesk.server.channel_settings.models import ChannelSettings
from omnidesk.server.channels.crypto import unseal
from omnidesk.server.config import Settings
from omnidesk.server.db import Database
from tests.helpers import run_cli


def test_channel_add_email_webchat_and_form(db_url):
    r = run_cli(
        "channel",
        "add",
        "email",
        "Support",
        "--imap-host",
        "imap.bank.test",
        "--smtp-host",
        "smtp.bank.test",
        "--username",
        "support@bank.test",
        "--password-stdin",
        "--starttls",
        "--delivery-reports",
        "--read-receipts",
        "--json",
        database=db_url,
        stdin="s3cret-pass\n",
    )
    email = json.loads(r.stdout)
    assert email["kind"] == "email" and "s3cret" not in r.stdout + r.stderr
    options = _options(db_url, email["id"])
    assert options["delivery_reports"] is True and options["read_receipts"] is True
    r = run_cli("channel", "add", "webchat", "Site", "--origin", "https://bank.test", "--json", database=db_url)
    chat = json.loads(r.stdout)
    assert chat["kind"] == "webchat" and "/widget.js" in chat["snippet"] and len(chat["secret"]) > 30
    r = run_cli("channel", "add", "form", "Contact", "--json", database=db_url)
    form = json.loads(r.stdout)
    assert form["form_url"] == f"/forms/{form['id']}" and 'name="website_url"' in form["snippet"]
    r = run_cli(
        "channel",
        "add",
        "email",
        "X",
        "--imap-host",
        "a",
        "--smtp-host",
        "b",
        "--username",
        "u@bank.test",
        database=db_url,
        check=False,
    )
    assert r.returncode != 0 and "--password-stdin" in r.stderr

    async def stored():
        db = Database(db_url, pool_size=1)
        try:
            async with db.session() as session:
                row = await session.scalar(select(ChannelSettings).where(ChannelSettings.channel_id == email["id"]))
                return row.options, row.secrets
        finally:
            await db.dispose()

    options, secret_blob = asyncio.run(stored())
    assert options["smtp_port"] == 587 and options["imap_port"] == 993 and options["smtp_security"] == "starttls"
    assert "s3cret" not in secret_blob and unseal(Settings(), secret_blob) == {
        "password": "s3cret-pass"
    }  # with the settings the command had (its environment), not those of a server an earlier test ran in-process


def _options(db_url: str, channel_id: int) -> dict:
    import asyncio

    from omnidesk.server.channels.models import ChannelSettings
    from omnidesk.server.db import Database
    from tests.conftest import in_thread

    async def read() -> dict:
        db = Database(db_url, pool_size=1)
        try:
            async with db.session() as session:
                return dict((await session.get(ChannelSettings, channel_id)).options)
        finally:
            await db.dispose()

    return in_thread(asyncio.run, read())
