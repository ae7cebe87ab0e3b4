"""``omnidesk queue ...``: queues with business hours and members with skills and capacity, from the command line."""

from __future__ import annotations

import json

from sqlalchemy import select

from omnidesk.server.db import Database
from omnidesk.server.queues.models import Queue, QueueMember
from tests.server.conftest import omnidesk_here


async def test_queue_add_and_member_add_store_calendar_skills_and_capacity(db_url, tmp_path):
    calendar = tmp_path / "kyiv.json"
    calendar.write_text(json.dumps({"tz": "Europe/Kyiv", "week": {"0": [["09:00", "18:00"]]}}), encoding="utf-8")
    r = omnidesk_here("queue", "add", "VIP support", "--calendar", str(calendar), "--auto-assign", database=db_url)
    assert r.returncode == 0 and "created with id" in r.stdout, r.stderr
    user = omnidesk_here(
        "user", "add", "olena", "--role", "operator", "--password-stdin", database=db_url, stdin="password-123\n"
    )
    assert user.returncode == 0, user.stderr
    r = omnidesk_here(
        "queue",
        "member",
        "add",
        "VIP support",
        "olena",
        "--skill",
        "cards",
        "--skill",
        "loans",
        "--capacity",
        "3",
        "--capacity",
        "email=8",
        "--priority",
        "2",
        database=db_url,
    )
    assert r.returncode == 0 and "skills: cards, loans" in r.stdout, r.stderr
    listing = omnidesk_here("queue", "list", database=db_url)
    assert "VIP support\tpush\tolena [cards loans]" in listing.stdout
    db = Database(db_url, pool_size=1)
    try:
        async with db.session() as session:
            queue = await session.scalar(select(Queue).where(Queue.name == "VIP support"))
            member = await session.scalar(select(QueueMember).where(QueueMember.queue_id == queue.id))
    finally:
        await db.dispose()
    assert queue.calendar["tz"] == "Europe/Kyiv" and queue.auto_assign is True
    assert (member.skills, member.capacity, member.priority) == (["cards", "loans"], {"chat": 3, "email": 8}, 2)
    bad = omnidesk_here("queue", "add", "Night", "--calendar", '{"tz": "Nowhere/City"}', database=db_url)
    assert bad.returncode == 2 and "Nowhere/City" in bad.stderr
    missing = omnidesk_here("queue", "member", "add", "No such", "olena", database=db_url)
    assert missing.returncode == 2 and "no queue" in missing.stderr
