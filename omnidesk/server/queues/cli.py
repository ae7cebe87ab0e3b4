"""``omnidesk queue ...``: queues and their members from the command line (admins, scripts, provisioning).

    omnidesk queue add NAME [--calendar FILE|JSON] [--auto-assign]
    omnidesk queue list
    omnidesk queue member add QUEUE USER [--skill S ...] [--capacity N | --capacity chat=N ...] [--priority N]

QUEUE and USER are names or ids. Heavy imports happen when a command runs, not when the parser is built.
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import json
from pathlib import Path


def register(sub, *, database_flag, settings_of, with_session, fail) -> None:
    """Add the ``queue`` command to the top-level parser's subcommands."""
    queue = sub.add_parser("queue", help="manage queues and their members")
    queue_sub = queue.add_subparsers(dest="queue_command", required=True)
    add = queue_sub.add_parser("add", help="create a queue")
    add.add_argument("name")
    add.add_argument(
        "--calendar", help='business hours: a JSON file or text {"tz": ..., "week": {...}, "holidays": []}'
    )
    add.add_argument("--auto-assign", action="store_true", help="offer waiting work to members (push mode)")
    database_flag(add)
    listing = queue_sub.add_parser("list", help="list queues and their members")
    database_flag(listing)
    member = queue_sub.add_parser("member", help="manage members of a queue")
    member_sub = member.add_subparsers(dest="member_command", required=True)
    madd = member_sub.add_parser("add", help="add a member (or update their skills, capacity and priority)")
    madd.add_argument("queue", help="queue name or id")
    madd.add_argument("user", help="username or id")
    madd.add_argument("--skill", action="append", default=[], help="a skill (repeat for several)")
    madd.add_argument(
        "--capacity", action="append", default=[], help="N (chats at once) or CLASS=N with CLASS chat, email or call"
    )
    madd.add_argument("--priority", type=int, default=0, help="members with a higher priority are offered work first")
    database_flag(madd)

    def run(args: argparse.Namespace) -> int:
        try:
            result = asyncio.run(with_session(settings_of(args), lambda session: _dispatch(session, args)))
        except ValueError as exc:
            return fail(str(exc))
        print(result)
        return 0

    queue.set_defaults(func=run)


def _capacity(values: list[str]) -> dict[str, int]:
    out = {}
    for value in values:
        cls, _, n = value.rpartition("=")
        try:
            out[cls or "chat"] = int(n)
        except ValueError:
            raise ValueError(f"--capacity {value!r}: give N or CLASS=N") from None
    return out


def _calendar(value: str | None) -> dict | None:
    if value is None:
        return None
    text = Path(value).read_text(encoding="utf-8") if Path(value).is_file() else value
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"--calendar is not JSON: {exc}") from None


async def _dispatch(session, args: argparse.Namespace) -> str:
    from sqlalchemy import or_, select

    from omnidesk.server.audit import service as audit
    from omnidesk.server.audit.service import Actor
    from omnidesk.server.queues import service
    from omnidesk.server.queues.models import Queue, QueueMember
    from omnidesk.server.users.models import User

    actor = Actor(None, f"cli:{getpass.getuser()}")
    if args.queue_command == "add":
        queue = await service.add_queue(
            session, name=args.name, calendar=_calendar(args.calendar), auto_assign=args.auto_assign
        )
        await audit.record(session, actor, "queue.add", "queue", queue.id, {"name": args.name})
        return f"queue {queue.name!r} created with id {queue.id}"
    if args.queue_command == "list":
        lines = []
        for q in (await session.scalars(select(Queue).order_by(Queue.name))).all():
            members = (
                await session.execute(
                    select(User.username, QueueMember.skills, QueueMember.capacity)
                    .join(QueueMember, QueueMember.user_id == User.id)
                    .where(QueueMember.queue_id == q.id)
                    .order_by(User.username)
                )
            ).all()
            who = (
                ", ".join(m.username + (f" [{' '.join(m.skills)}]" if m.skills else "") for m in members)
                or "no members"
            )
            lines.append(f"{q.id}\t{q.name}\t{'push' if q.auto_assign else 'pull'}\t{who}")
        return "\n".join(lines) or "no queues"

    def by_name_or_id(model, column, value):
        condition = column == value
        if value.isdigit():
            condition = or_(condition, model.id == int(value))
        return select(model).where(condition)

    queue = await session.scalar(by_name_or_id(Queue, Queue.name, args.queue))
    if queue is None:
        raise ValueError(f"no queue {args.queue!r}")
    user = await session.scalar(by_name_or_id(User, User.username, args.user))
    if user is None:
        raise ValueError(f"no user {args.user!r}")
    member = await service.set_member(
        session,
        queue_id=queue.id,
        user_id=user.id,
        skills=args.skill,
        capacity=_capacity(args.capacity),
        priority=args.priority,
    )
    await audit.record(
        session, actor, "queue.member_set", "queue", queue.id, {"user_id": user.id, "skills": member.skills}
    )
    return f"{user.username} is a member of {queue.name!r} (skills: {', '.join(member.skills) or 'none'})"
