"""The demo's seed: users, one channel per kind, ~120 customers and ~300 conversations of the past two weeks.

Rows are written as ingest, replies and status changes would have left them (identities normalised, conversations
with their last message, preview, direction and unread count, a timeline entry per message and status change, the
duplicate lookup keys and the suggestions a full scan finds), in one transaction of bulk inserts, so seeding takes
well under a second or two. The data is deterministic for a given seed; times are relative to "now".

The demo logins (``DEMO_LOGINS``) are created here and only here: a real installation has no default accounts, and
these passwords would never pass the real password policy (``omnidesk user add`` asks for 8+ characters).
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import insert, select

from omnidesk.demo.reports import seed_reports  # SLA policies, surveys and the reports' history
from omnidesk.domain.duplicates import CustomerFacts, scan_duplicates
from omnidesk.domain.enums import ChannelKind, ConversationStatus, DeliveryStatus, Direction, MessageKind, Role
from omnidesk.domain.identity import Identifier, normalize
from omnidesk.protocol.customers import TimelineKind
from omnidesk.server.admin.service import create_api_channel
from omnidesk.server.audit import service as audit
from omnidesk.server.audit.service import Actor
from omnidesk.server.conversations.models import Conversation, Message
from omnidesk.server.conversations.serialize import preview
from omnidesk.server.customers.models import Customer, CustomerKey, Identity
from omnidesk.server.db import Database, utcnow
from omnidesk.server.duplicates.models import DuplicateSuggestion
from omnidesk.server.duplicates.service import all_keys
from omnidesk.server.queues.models import Queue
from omnidesk.server.timeline.models import TimelineEntry
from omnidesk.server.users.service import create_user

from .dialogues import FOLLOW_UPS, SCRIPTS, TOPICS, Line, amount_text, gendered
from .people import CHANNEL_NAMES, Person, cast

SEED = 20261122
DAYS = 14

# username, password, role, display name. Fixed and documented: demo data only.
DEMO_LOGINS = (
    ("operator", "operator", Role.OPERATOR, "Олена Коваль"),
    ("supervisor", "supervisor", Role.SUPERVISOR, "Андрій Шевчук"),
    ("admin", "admin", Role.ADMIN, "Admin"),
)

ORDER_PREFIX = {"UA": "UA", "KZ": "KZ", "RU": "RU"}
_MONTHS_EN = "January February March April May June July August September October November December".split()


@dataclass(frozen=True, slots=True)
class DemoChannel:
    id: int
    kind: ChannelKind
    name: str
    token: str


@dataclass
class DemoWorld:
    """What the seed made and what the simulator needs: channels with their inbound tokens, and the people."""

    channels: dict[ChannelKind, DemoChannel]
    people: list[Person]
    users: dict[str, int]
    counts: Counter = field(default_factory=Counter)


@dataclass
class _PlannedConversation:
    person: int
    channel: ChannelKind
    status: ConversationStatus
    start: dt.datetime
    lines: list[Line]
    assignee: str | None
    unread: int
    times: list[dt.datetime] = field(default_factory=list)


def fill(text: str, rng: random.Random, person: Person, start: dt.datetime) -> str:
    day = (start + dt.timedelta(days=rng.randint(1, 9))).date()
    if person.language == "en":
        date = f"{day.day} {_MONTHS_EN[day.month - 1]}"
    else:
        date = f"{day.day:02d}.{day.month:02d}"
    values = {
        "order": f"{ORDER_PREFIX.get(person.region, 'OM')}-{rng.randint(1_000_000, 9_999_999)}",
        "card": f"{rng.randint(0, 9999):04d}",
        "amount": amount_text(rng.choice((350, 780, 1250, 2400, 4999, 12500, 18000)), person.language, person.region),
        "date": date,
        "ticket": f"{start.year}-{rng.randint(10_000, 99_999)}",
        "time": f"{rng.randint(9, 19)}:{rng.choice(('05', '15', '30', '40', '55'))}",
    }
    return gendered(text.format(**values), person.female)


def _script_for(rng: random.Random, person: Person, status: ConversationStatus) -> tuple[list[Line], int]:
    """The lines of one conversation and its unread count, cut where a conversation of that status stands."""
    script = list(SCRIPTS[rng.choice(TOPICS)][person.language])
    inbound_at = [i for i, line in enumerate(script) if line.inbound]
    outbound_at = [i for i, line in enumerate(script) if not line.inbound]
    if status is ConversationStatus.RESOLVED:
        return script, 0
    if status is ConversationStatus.PENDING:
        return script[: rng.choice(outbound_at) + 1], 0
    cut = rng.choice(inbound_at[:-1] or inbound_at)
    lines = script[: cut + 1]
    if rng.random() < 0.3:
        lines.append(Line(True, rng.choice(FOLLOW_UPS[person.language])))
    trailing = len(lines) - max((i + 1 for i, line in enumerate(lines) if not line.inbound), default=0)
    unread = trailing if (cut == 0 or rng.random() < 0.6) else 0
    return lines, unread


def _times(rng: random.Random, start: dt.datetime, lines: list[Line], latest: dt.datetime) -> list[dt.datetime]:
    """Message times: an answer within minutes, the customer's next line within minutes to hours."""
    times = [start]
    for previous, line in itertools.pairwise(lines):
        if line.inbound:
            gap = rng.uniform(1, 90) if not previous.inbound else rng.uniform(0.5, 20)
        else:
            gap = rng.uniform(2, 35)
        times.append(times[-1] + dt.timedelta(minutes=gap, seconds=rng.randint(0, 59)))
    overshoot = times[-1] - latest
    if overshoot > dt.timedelta(0):
        times = [t - overshoot for t in times]
    return times


def _plan(rng: random.Random, people: list[Person], total: int, now: dt.datetime) -> list[_PlannedConversation]:
    """How many conversations each person had on each channel, their status, lines and times."""
    slots: dict[tuple[int, ChannelKind], int] = Counter()
    for index, person in enumerate(people):
        for kind in person.seeded_channels:
            slots[(index, kind)] = 1
    keys = list(slots)
    while sum(slots.values()) < total:
        slots[rng.choice(keys)] += 1
    while sum(slots.values()) > total:  # fewer conversations asked than channels used: drop a few
        key = rng.choice([k for k, n in slots.items() if n > 0])
        slots[key] -= 1
    window = dt.timedelta(days=DAYS)
    planned: list[_PlannedConversation] = []
    for (index, kind), count in slots.items():
        if count == 0:
            continue
        person = people[index]
        status = rng.choices(
            (ConversationStatus.OPEN, ConversationStatus.PENDING, ConversationStatus.RESOLVED), weights=(45, 15, 40)
        )[0]
        # Open conversations are fresh; pending ones wait a few days at most; resolved ones are anywhere.
        age_hours = {
            ConversationStatus.OPEN: rng.triangular(0.05, 60, 0.05),
            ConversationStatus.PENDING: rng.uniform(2, 96),
            ConversationStatus.RESOLVED: rng.uniform(3, DAYS * 24 - 24),
        }[status]
        if person.note and kind == person.seeded_channels[0]:
            # The people a newcomer is meant to find (one customer across channels, the duplicates) wrote just now,
            # so they stand near the top of the inbox.
            status, age_hours = ConversationStatus.OPEN, rng.uniform(0.1, 2.5)
        latest_start = now - dt.timedelta(hours=age_hours)
        earliest = now - window
        older = sorted(earliest + (latest_start - earliest) * rng.random() * 0.95 for _ in range(count - 1))
        starts = [*older, latest_start]
        for n, start in enumerate(starts):
            this_status = status if n == count - 1 else ConversationStatus.RESOLVED
            lines, unread = _script_for(rng, person, this_status)
            replied = any(not line.inbound for line in lines)
            if replied:
                assignee = rng.choices(("operator", "supervisor"), weights=(70, 30))[0]
            else:
                assignee = rng.choices((None, "operator", "supervisor"), weights=(65, 25, 10))[0]
            latest = now - dt.timedelta(seconds=rng.randint(40, 600))
            if n < count - 1:
                latest = min(latest, starts[n + 1] - dt.timedelta(minutes=5))
            conversation = _PlannedConversation(index, kind, this_status, start, lines, assignee, unread)
            conversation.lines = [Line(line.inbound, fill(line.text, rng, person, start)) for line in lines]
            conversation.times = _times(rng, start, lines, latest)
            planned.append(conversation)
    planned.sort(key=lambda c: c.times[0])
    return planned


async def _insert_returning(session, table, rows: list[dict[str, Any]]) -> list[int]:
    if not rows:
        return []
    core = table.__table__
    statement = insert(core).returning(core.c.id, sort_by_parameter_order=True)
    result = await (await session.connection()).execute(statement, rows)
    return [row[0] for row in result.all()]


def _identifiers(person: Person, region: str) -> list[Identifier]:
    """The identifiers the seed stores for ``person``: none of a channel they first write on live (Person.live)."""
    found: list[Identifier] = []
    for account in (person.accounts[kind] for kind in person.seeded_channels):
        for kind, value in ((account.kind, account.value), *account.extra):
            identifier = normalize(kind, value, region)
            if identifier not in found:
                found.append(identifier)
    return found


async def seed(
    db: Database,
    *,
    customers: int = 120,
    conversations: int = 300,
    webhook_url: str | None = None,
    seed_value: int = SEED,
    now: dt.datetime | None = None,
    default_region: str = "UA",
) -> DemoWorld:
    """Fill a freshly migrated database with the demo; return the channels (with tokens) and people.

    ``webhook_url``: where channels deliver operators' replies (``{webhook_url}/{kind}``); the demo's own receiver.
    """
    rng = random.Random(seed_value)
    now = now or utcnow()
    people = cast(rng, customers)
    plan = _plan(rng, people, conversations, now)
    actor = Actor(None, "demo")
    async with db.session() as session:
        queue_id = await session.scalar(select(Queue.id).order_by(Queue.id).limit(1))
        users: dict[str, int] = {}
        for username, password, role, display_name in DEMO_LOGINS:
            user = await create_user(
                session, username=username, password=password, role=role, display_name=display_name, actor=actor
            )
            users[username] = user.id
        channels: dict[ChannelKind, DemoChannel] = {}
        for kind in ChannelKind:
            channel, token = await create_api_channel(
                session,
                name=CHANNEL_NAMES[kind],
                kind=kind,
                queue_id=queue_id,
                webhook_url=f"{webhook_url.rstrip('/')}/{kind.value}" if webhook_url else None,
                actor=actor,
            )
            channels[kind] = DemoChannel(channel.id, kind, channel.name, token)

        first_contact = {}
        for conversation in plan:
            first_contact.setdefault(conversation.person, conversation.times[0])
        order = sorted(range(len(people)), key=lambda i: first_contact.get(i, now))
        customer_rows = [
            {
                "display_name": people[i].name,
                "created_at": first_contact.get(i, now),
                "updated_at": first_contact.get(i, now),
                "language": people[i].language,
                "segment": people[i].segment,
                "tags": people[i].tags or None,
                "attributes": {"region": people[i].region},
            }
            for i in order
        ]
        customer_ids = dict(zip(order, await _insert_returning(session, Customer, customer_rows), strict=True))

        identity_rows: list[dict[str, Any]] = []
        facts: list[CustomerFacts] = []
        for index, person in enumerate(people):
            identifiers = _identifiers(person, default_region)
            facts.append(CustomerFacts(customer_ids[index], person.name, tuple(identifiers)))
            for identifier in identifiers:
                identity_rows.append(
                    {
                        "customer_id": customer_ids[index],
                        "kind": identifier.kind.value,
                        "value": identifier.value,
                        "created_at": first_contact.get(index, now),
                    }
                )
        identity_ids = dict(
            zip(
                ((r["customer_id"], r["kind"], r["value"]) for r in identity_rows),
                await _insert_returning(session, Identity, identity_rows),
                strict=True,
            )
        )

        conversation_rows = []
        for c in plan:
            person = people[c.person]
            account = person.accounts[c.channel]
            sender = normalize(account.kind, account.value, default_region)
            last_line, last_at = c.lines[-1], c.times[-1]
            updated = last_at + dt.timedelta(minutes=2) if c.status is not ConversationStatus.OPEN else last_at
            conversation_rows.append(
                {
                    "customer_id": customer_ids[c.person],
                    "channel_id": channels[c.channel].id,
                    "queue_id": queue_id,
                    "status": c.status.value,
                    "assignee_id": users[c.assignee] if c.assignee else None,
                    "identity_id": identity_ids[(customer_ids[c.person], sender.kind.value, sender.value)],
                    "last_message_at": last_at,
                    "last_message_preview": preview(last_line.text),
                    "last_message_direction": (Direction.IN if last_line.inbound else Direction.OUT).value,
                    "unread_count": c.unread,
                    "created_at": c.times[0],
                    "updated_at": min(updated, now),
                }
            )
        conversation_ids = await _insert_returning(session, Conversation, conversation_rows)

        # Messages in time order, so that ids follow time as they do for live traffic.
        messages = sorted((t, n, i) for n, c in enumerate(plan) for i, t in enumerate(c.times))
        per_channel: Counter = Counter()
        message_rows = []
        for at, n, i in messages:
            c = plan[n]
            line = c.lines[i]
            row = {
                "conversation_id": conversation_ids[n],
                "channel_id": channels[c.channel].id,
                "external_id": None,
                "direction": (Direction.IN if line.inbound else Direction.OUT).value,
                "kind": MessageKind.TEXT.value,
                "author_id": None,
                "text": line.text,
                "sent_at": at,
                "created_at": at,
                "delivery_status": None,
            }
            if line.inbound:
                per_channel[c.channel] += 1
                row["external_id"] = f"seed-{c.channel.value}-{per_channel[c.channel]:05d}"
            else:
                row["author_id"] = users[c.assignee or "operator"]
                row["delivery_status"] = DeliveryStatus.SENT.value
            message_rows.append(row)
        message_ids = await _insert_returning(session, Message, message_rows)

        timeline_rows = []
        for (at, n, _i), message_id, row in zip(messages, message_ids, message_rows, strict=True):
            inbound = row["direction"] == Direction.IN.value
            timeline_rows.append(
                {
                    "customer_id": customer_ids[plan[n].person],
                    "kind": (TimelineKind.MESSAGE_IN if inbound else TimelineKind.MESSAGE_OUT).value,
                    "at": at,
                    "conversation_id": conversation_ids[n],
                    "channel_id": row["channel_id"],
                    "message_id": message_id,
                    "payload": {},
                }
            )
        for n, c in enumerate(plan):
            base = {
                "customer_id": customer_ids[c.person],
                "conversation_id": conversation_ids[n],
                "channel_id": channels[c.channel].id,
                "message_id": None,
            }
            by = users[c.assignee] if c.assignee else users["operator"]
            if c.assignee and all(line.inbound for line in c.lines):
                timeline_rows.append(
                    base
                    | {
                        "kind": TimelineKind.ASSIGNED.value,
                        "at": c.times[-1] + dt.timedelta(seconds=20),
                        "payload": {"from": None, "to": users[c.assignee], "by": users["supervisor"]},
                    }
                )
            if c.status is not ConversationStatus.OPEN:
                timeline_rows.append(
                    base
                    | {
                        "kind": TimelineKind.STATUS_CHANGED.value,
                        "at": min(c.times[-1] + dt.timedelta(minutes=2), now),
                        "payload": {"from": ConversationStatus.OPEN.value, "to": c.status.value, "by": by},
                    }
                )
        timeline_rows.sort(key=lambda r: r["at"])
        await (await session.connection()).execute(insert(TimelineEntry.__table__), timeline_rows)

        key_rows = [{"customer_id": f.id, "key": key} for f in facts for key in sorted(all_keys(f))]
        await (await session.connection()).execute(insert(CustomerKey.__table__), key_rows)
        scan = scan_duplicates(facts)
        suggestion_rows = [
            {
                "customer_id": m.a_id,
                "other_id": m.b_id,
                "score": m.score,
                "reasons": [{"code": r.code, "params": dict(r.params)} for r in m.reasons],
                "status": "open",
                "created_at": now,
                "updated_at": now,
            }
            for m in scan.matches
        ]
        if suggestion_rows:
            await session.execute(insert(DuplicateSuggestion), suggestion_rows)

        counts = Counter(
            customers=len(customer_rows),
            identities=len(identity_rows),
            conversations=len(conversation_rows),
            messages=len(message_rows),
            timeline=len(timeline_rows),
            suggestions=len(suggestion_rows),
        )
        await audit.record(session, actor, "demo.seed", None, None, dict(counts))
        await session.commit()

    counts["ratings"] = await seed_reports(db, rng=random.Random(seed_value + 1), now=now)
    return DemoWorld(channels=channels, people=people, users=users, counts=counts)
