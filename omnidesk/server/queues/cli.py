"""``omnidesk queue ...``: queues and their members from the command line (admins, scripts, provisioning).

    omnidesk queue add NAME [--calendar FILE|JSON] [--auto-assign] [--offer-timeout SECONDS] [--offer-cooldown SECONDS]
    omnidesk queue edit QUEUE [--name NEW] [--mode push|pull] [--offer-timeout SECONDS] [--offer-cooldown SECONDS]
                              [--calendar FILE|JSON | --no-calendar] [--tz ZONE]
                              [--hours DAYS=HH:MM-HH:MM[,HH:MM-HH:MM] | --hours DAYS=closed ...]
                              [--no-holidays] [--holiday YYYY-MM-DD ...]
                              [--survey off|csat|nps|both] [--survey-delay SECONDS]
                              [--csat-question LANG=TEXT ...] [--nps-question LANG=TEXT ...]
    omnidesk queue list
    omnidesk queue member add QUEUE USER [--skill S ...] [--capacity N | --capacity chat=N ...] [--priority N]
    omnidesk queue member remove QUEUE USER

QUEUE and USER are names or ids. Heavy imports happen when a command runs, not when the parser is built.
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import json
from pathlib import Path

_OFFER_HELP = "push mode: seconds the chosen member has to accept or decline an offer (0: assign at once)"
_COOLDOWN_HELP = (
    "push mode: seconds during which who declined a conversation (or let its offer expire) is not offered it again"
    " (default 600)"
)


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
    add.add_argument("--offer-timeout", type=int, default=0, metavar="SECONDS", help=_OFFER_HELP)
    add.add_argument("--offer-cooldown", type=int, default=600, metavar="SECONDS", help=_COOLDOWN_HELP)
    database_flag(add)
    change = queue_sub.add_parser(
        "edit",
        help="rename a queue, switch push/pull mode, change its business hours and its survey",
        description="Change what is given, keep the rest. --hours, --tz and --holiday change the queue's current "
        "business hours (or those of --calendar); DAYS is mon..sun, 0 (Monday)..6, a range such as mon-fri, or "
        "several joined by commas.",
    )
    change.add_argument("queue", help="queue name or id")
    change.add_argument("--name", help="the new name")
    change.add_argument(
        "--mode", choices=["push", "pull"], help="push: offer waiting work to members; pull: members take it"
    )
    change.add_argument("--offer-timeout", type=int, metavar="SECONDS", help=_OFFER_HELP)
    change.add_argument("--offer-cooldown", type=int, metavar="SECONDS", help=_COOLDOWN_HELP)
    hours = change.add_mutually_exclusive_group()
    hours.add_argument("--calendar", help="replace the business hours: a JSON file or text")
    hours.add_argument("--no-calendar", action="store_true", help="remove the business hours (always open)")
    change.add_argument("--tz", help="the calendar's time zone, e.g. Europe/Kyiv")
    change.add_argument(
        "--hours",
        action="append",
        default=[],
        metavar="DAYS=SPANS",
        help="e.g. mon-fri=09:00-18:00, sat=10:00-14:00,15:00-17:00, sun=closed (repeat for several)",
    )
    change.add_argument("--no-holidays", action="store_true", help="clear the holidays (before any --holiday)")
    change.add_argument("--holiday", action="append", default=[], metavar="DATE", help="add a holiday (YYYY-MM-DD)")
    change.add_argument(
        "--survey",
        choices=["off", "csat", "nps", "both"],
        help="the survey after a resolved conversation: CSAT (1-5), NPS (0-10) or both (NPS after the CSAT answer)",
    )
    change.add_argument("--survey-delay", type=int, metavar="SECONDS", help="how long after resolving to ask")
    for which in ("csat", "nps"):
        change.add_argument(
            f"--{which}-question",
            action="append",
            default=[],
            metavar="LANG=TEXT",
            help=f"the {which.upper()} question in a language, e.g. uk=...; LANG= goes back to ours (repeat)",
        )
    database_flag(change)
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
    mremove = member_sub.add_parser("remove", help="take a member out of a queue")
    mremove.add_argument("queue", help="queue name or id")
    mremove.add_argument("user", help="username or id")
    database_flag(mremove)

    def run(args: argparse.Namespace) -> int:
        try:
            result = asyncio.run(with_session(settings_of(args), lambda session: _dispatch(session, args)))
        except ValueError as exc:
            return fail(str(exc))
        print(result)
        return 0

    queue.set_defaults(func=run)


def _questions(values: list[str], flag: str) -> dict[str, str | None]:
    """``LANG=TEXT`` options: the question per language (an empty TEXT: back to ours)."""
    texts: dict[str, str | None] = {}
    for value in values:
        language, sep, text = value.partition("=")
        if not sep:
            raise ValueError(f"{flag} wants LANG=TEXT, e.g. uk=..., not {value!r}")
        texts[language.strip().lower()] = text.strip() or None
    return texts


def _capacity(values: list[str]) -> dict[str, int]:
    out = {}
    for value in values:
        cls, _, n = value.rpartition("=")
        try:
            out[cls or "chat"] = int(n)
        except ValueError:
            raise ValueError(f"--capacity {value!r}: give N or CLASS=N") from None
    return out


_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _weekday(text: str) -> int:
    text = text.strip().lower()
    if text in _DAYS:
        return _DAYS.index(text)
    if text.isdigit() and 0 <= int(text) <= 6:
        return int(text)
    raise ValueError(f"--hours: {text!r} is not a weekday (mon..sun or 0..6)")


def _weekdays(text: str) -> list[int]:
    days: list[int] = []
    for part in text.split(","):
        first, dash, last = part.partition("-")
        if dash:
            start, end = _weekday(first), _weekday(last)
            if end < start:
                raise ValueError(f"--hours: {part!r} runs backwards (write mon-fri)")
            days.extend(range(start, end + 1))
        else:
            days.append(_weekday(first))
    return days


def _hours(value: str) -> tuple[list[int], list[list[str]]]:
    """``mon-fri=09:00-18:00`` -> ([0..4], [["09:00", "18:00"]]); ``sun=closed`` -> ([6], [])."""
    days, equals, spans = value.partition("=")
    if not equals or not days.strip() or not spans.strip():
        raise ValueError(f"--hours {value!r}: give DAYS=HH:MM-HH:MM (or DAYS=closed)")
    if spans.strip().lower() == "closed":
        return _weekdays(days), []
    out = []
    for span in spans.split(","):
        start, dash, end = span.strip().partition("-")
        if not dash:
            raise ValueError(f"--hours {value!r}: {span!r} is not a span like 09:00-18:00")
        out.append([start.strip(), end.strip()])
    return _weekdays(days), out


def edited_calendar(
    current: dict | None,
    *,
    replace: dict | None = None,
    clear: bool = False,
    tz: str | None = None,
    hours: list[str] = (),
    holidays: list[str] = (),
    clear_holidays: bool = False,
) -> dict | None:
    """The business hours after ``omnidesk queue edit``'s calendar options, applied to ``current``."""
    if clear:
        return None
    base = replace if replace is not None else current
    if tz is None and not hours and not holidays and not clear_holidays:
        return base
    calendar = json.loads(json.dumps(base)) if base else {}  # a copy: the stored dict stays as it was until saved
    if tz is not None:
        calendar["tz"] = tz
    week = calendar.setdefault("week", {})
    for value in hours:
        days, spans = _hours(value)
        for day in days:
            if spans:
                week[str(day)] = spans
            else:
                week.pop(str(day), None)
    listed = [] if clear_holidays else list(calendar.get("holidays") or [])
    for day in holidays:
        if day not in listed:
            listed.append(day)
    calendar["holidays"] = sorted(listed)
    return calendar


def _calendar(value: str | None) -> dict | None:
    if value is None:
        return None
    text = Path(value).read_text(encoding="utf-8") if Path(value).is_file() else value
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"--calendar is not JSON: {exc}") from None


async def _edit_survey(session, queue_id: int, args: argparse.Namespace) -> dict:
    """The survey options of ``queue edit`` applied (omnidesk.server.csat.service.edit_settings); what changed."""
    from omnidesk.server.csat import service as csat_service

    if args.survey is None and args.survey_delay is None and not args.csat_question and not args.nps_question:
        return {}
    _, changes = await csat_service.edit_settings(
        session,
        queue_id,
        enabled=None if args.survey is None else args.survey != "off",
        asks=None if args.survey in (None, "off") else args.survey,
        delay_seconds=args.survey_delay,
        questions=_questions(args.csat_question, "--csat-question"),
        nps_questions=_questions(args.nps_question, "--nps-question"),
    )
    return changes


def _survey_words(changes: dict) -> list[str]:
    words = {
        "enabled": "survey " + ("on" if changes.get("enabled") else "off"),
        "asks": f"survey asks {changes.get('asks')}",
        "delay_seconds": f"survey delay {changes.get('delay_seconds')} s",
        "questions": "CSAT question",
        "nps_questions": "NPS question",
    }
    return [words[k] for k in changes]


async def _find(session, model, column, value: str, what: str):
    """A row by its name, or by its id when ``value`` is a number; ValueError (exit 2) names what is missing."""
    from sqlalchemy import or_, select

    condition = column == value
    if value.isdigit():
        condition = or_(condition, model.id == int(value))
    row = await session.scalar(select(model).where(condition))
    if row is None:
        raise ValueError(f"no {what} {value!r}")
    return row


async def _dispatch(session, args: argparse.Namespace) -> str:
    from sqlalchemy import select

    from omnidesk.server.audit import service as audit
    from omnidesk.server.audit.service import Actor
    from omnidesk.server.queues import service
    from omnidesk.server.queues.models import Queue, QueueMember
    from omnidesk.server.users.models import User

    actor = Actor(None, f"cli:{getpass.getuser()}")
    if args.queue_command == "add":
        queue = await service.add_queue(
            session,
            name=args.name,
            calendar=_calendar(args.calendar),
            auto_assign=args.auto_assign,
            offer_timeout_s=args.offer_timeout,
            offer_cooldown_s=args.offer_cooldown,
        )
        await audit.record(session, actor, "queue.add", "queue", queue.id, {"name": args.name})
        return f"queue {queue.name!r} created with id {queue.id}"
    if args.queue_command == "edit":
        queue = await _find(session, Queue, Queue.name, args.queue, "queue")
        calendar = edited_calendar(
            queue.calendar,
            replace=_calendar(args.calendar),
            clear=args.no_calendar,
            tz=args.tz,
            hours=args.hours,
            holidays=args.holiday,
            clear_holidays=args.no_holidays,
        )
        if args.name is not None and not args.name.strip():
            raise ValueError("--name must not be empty")
        changes = await service.edit_queue(
            session,
            queue,
            name=args.name.strip() if args.name else None,
            calendar=calendar,
            auto_assign=None if args.mode is None else args.mode == "push",
            offer_timeout_s=args.offer_timeout,
            offer_cooldown_s=args.offer_cooldown,
        )
        survey = await _edit_survey(session, queue.id, args)
        if survey:
            await audit.record(session, actor, "csat.settings", "queue", queue.id, survey)
        if not changes and not survey:
            return f"queue {queue.name!r} (id {queue.id}): nothing to change"
        if changes:
            await audit.record(session, actor, "queue.edit", "queue", queue.id, changes)
        words = {
            "name": "name",
            "calendar": "business hours",
            "auto_assign": "push mode" if queue.auto_assign else "pull mode",
            "offer_timeout_s": f"offer timeout {queue.offer_timeout_s} s",
            "offer_cooldown_s": f"offer cooldown {queue.offer_cooldown_s} s",
        }
        said = [words[k] for k in changes] + _survey_words(survey)
        return f"queue {queue.name!r} (id {queue.id}) changed: {', '.join(said)}"
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

    queue = await _find(session, Queue, Queue.name, args.queue, "queue")
    user = await _find(session, User, User.username, args.user, "user")
    if args.member_command == "remove":
        if not await service.remove_member(session, queue_id=queue.id, user_id=user.id):
            raise ValueError(f"{user.username} is not a member of {queue.name!r}")
        await audit.record(session, actor, "queue.member_remove", "queue", queue.id, {"user_id": user.id})
        return f"{user.username} is no longer a member of {queue.name!r}"
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
