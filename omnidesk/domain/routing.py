"""Routing: which queue a new conversation goes to, how urgent it is, and which operator takes it next.

Pure rules, no I/O. The server loads the rules and business calendars once (they change rarely) and asks here for
every new conversation, on the general ingest path and on the PostgreSQL batch path alike, so both give the same
answer by construction.

A rule is an ordered list entry: ``IF <all conditions hold> THEN <actions>``; the first enabled rule whose
conditions all hold wins. No rule matching leaves the channel's own queue and normal priority.

Conditions (``field``, ``op``, ``value``; ``key`` for attributes, ``calendar`` for business hours):
- channel: the channel kind (``eq``/``ne``/``in``); channel_id: one configured channel (``eq``/``in``);
- segment: the customer's segment; language: the customer's language;
- tag: the customer carries a tag (``has``/``has_not``/``in`` = any of);
- attribute: a custom attribute (``key``) equals / contains / exists;
- text: the message contains any of the keywords (case-insensitive, ``contains_any``) or none of them;
- customer_known: whether the sender was known before this message (``is`` true/false);
- business_hours: whether the moment falls within a calendar's open hours (``is`` true/false).
Actions: queue_id, priority (0 low .. 3 urgent), skill (required), max_wait_s, auto_reply (text).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


class Priority(IntEnum):
    LOW = 0
    NORMAL = 1
    HIGH = 2
    URGENT = 3


FIELDS = (
    "channel",
    "channel_id",
    "segment",
    "language",
    "tag",
    "attribute",
    "text",
    "customer_known",
    "business_hours",
)
OPS: Mapping[str, tuple[str, ...]] = {
    "channel": ("eq", "ne", "in"),
    "channel_id": ("eq", "in"),
    "segment": ("eq", "ne", "in"),
    "language": ("eq", "ne", "in"),
    "tag": ("has", "has_not", "in"),
    "attribute": ("eq", "ne", "contains", "exists"),
    "text": ("contains_any", "contains_none"),
    "customer_known": ("is",),
    "business_hours": ("is",),
}
LIST_OPS = {"in", "contains_any", "contains_none"}
ACTIONS = ("queue_id", "priority", "skill", "max_wait_s", "auto_reply")
MAX_AUTO_REPLY = 2000


class RuleError(ValueError):
    """A rule (or a calendar) that cannot be stored: the place in it (``where``), the reason in English words, and the
    reason's stable code with its parameters (domain/problems.py: the client words it in its user's language)."""

    def __init__(self, where: str, reason: str, code: str, **params: Any) -> None:
        super().__init__(f"{where}: {reason}")
        self.where = where
        self.reason = reason
        self.code = code
        self.params = params


@dataclass(frozen=True, slots=True)
class Calendar:
    """Weekly open hours in the calendar's own time zone, minus holidays (dates in that zone)."""

    tz: str
    week: Mapping[int, tuple[tuple[dt.time, dt.time], ...]]  # 0 = Monday
    holidays: frozenset[dt.date] = frozenset()

    def is_open(self, at: dt.datetime) -> bool:
        local = at.astimezone(ZoneInfo(self.tz))
        if local.date() in self.holidays:
            return False
        now = local.time().replace(tzinfo=None)
        return any(start <= now < end for start, end in self.week.get(local.weekday(), ()))


def _shown(value: Any) -> str:
    """A refused value as the operator typed it (a parameter of the refusal), short."""
    return (value if isinstance(value, str) else repr(value))[:80]


def parse_calendar(raw: Mapping[str, Any]) -> Calendar:
    """A calendar from its stored form ``{"tz", "week": {"0": [["09:00", "18:00"]]}, "holidays": ["2026-01-01"]}``."""
    tz = raw.get("tz")
    if not isinstance(tz, str):
        raise RuleError("calendar.tz", "a time zone name such as Europe/Kyiv is required", "calendar.tz_required")
    try:
        ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        raise RuleError("calendar.tz", f"unknown time zone {tz!r}", "calendar.tz_unknown", tz=str(tz)) from None
    week: dict[int, tuple[tuple[dt.time, dt.time], ...]] = {}
    for day, spans in (raw.get("week") or {}).items():
        try:
            weekday = int(day)
        except (TypeError, ValueError):
            raise RuleError(
                "calendar.week", f"day {day!r} is not 0 (Monday) .. 6 (Sunday)", "calendar.day", day=str(day)
            ) from None
        if not 0 <= weekday <= 6:
            raise RuleError(
                "calendar.week", f"day {day!r} is not 0 (Monday) .. 6 (Sunday)", "calendar.day", day=str(day)
            )
        parsed = []
        for span in spans:
            try:
                start, end = (dt.time.fromisoformat(span[0]), dt.time.fromisoformat(span[1]))
            except (TypeError, ValueError, IndexError):
                raise RuleError(
                    "calendar.week",
                    f"{span!r} is not a pair of times like ['09:00', '18:00']",
                    "calendar.span",
                    span=_shown(span),
                ) from None
            if not start < end:
                raise RuleError(
                    "calendar.week",
                    f"{span!r}: the end must come after the start",
                    "calendar.span_backwards",
                    span=_shown(span),
                )
            parsed.append((start, end))
        week[weekday] = tuple(parsed)
    holidays = set()
    for day in raw.get("holidays") or ():
        try:
            holidays.add(dt.date.fromisoformat(day))
        except (TypeError, ValueError):
            raise RuleError(
                "calendar.holidays", f"{day!r} is not a date like 2026-01-01", "calendar.holiday", day=_shown(day)
            ) from None
    return Calendar(tz, week, frozenset(holidays))


@dataclass(frozen=True, slots=True)
class Condition:
    field: str
    op: str
    value: Any = None
    key: str | None = None  # attribute name
    calendar: int | None = None  # the queue whose calendar decides business hours


@dataclass(frozen=True, slots=True)
class Actions:
    queue_id: int | None = None
    priority: int | None = None
    skill: str | None = None
    max_wait_s: int | None = None
    auto_reply: str | None = None


@dataclass(frozen=True, slots=True)
class Rule:
    id: int
    name: str
    conditions: tuple[Condition, ...]
    actions: Actions
    enabled: bool = True


@dataclass(frozen=True, slots=True)
class MessageFacts:
    """What routing may look at: the channel, the customer as known before this message, the text, the moment."""

    channel_kind: str
    channel_id: int
    text: str
    at: dt.datetime
    customer_known: bool = False
    segment: str | None = None
    language: str | None = None
    tags: frozenset[str] = frozenset()
    attributes: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Decision:
    queue_id: int | None
    priority: int = Priority.NORMAL
    skill: str | None = None
    max_wait_s: int | None = None
    auto_reply: str | None = None
    rule_id: int | None = None


def _fold(value: Any) -> str:
    return str(value).casefold().strip()


def _holds(c: Condition, facts: MessageFacts, calendars: Mapping[int, Calendar]) -> bool:
    if c.field == "business_hours":
        calendar = calendars.get(c.calendar) if c.calendar is not None else None
        is_open = calendar.is_open(facts.at) if calendar is not None else False
        return is_open is bool(c.value)
    if c.field == "customer_known":
        return facts.customer_known is bool(c.value)
    if c.field == "text":
        text = facts.text.casefold()
        hit = any(_fold(word) in text for word in c.value)
        return hit if c.op == "contains_any" else not hit
    if c.field == "tag":
        tags = {_fold(t) for t in facts.tags}
        if c.op == "in":
            return any(_fold(v) in tags for v in c.value)
        return (_fold(c.value) in tags) is (c.op == "has")
    if c.field == "attribute":
        assert c.key is not None
        present = c.key in facts.attributes and facts.attributes[c.key] is not None
        if c.op == "exists":
            return present is bool(c.value)
        actual = _fold(facts.attributes[c.key]) if present else None
        if c.op == "contains":
            return actual is not None and _fold(c.value) in actual
        same = actual == _fold(c.value)
        return same if c.op == "eq" else not same
    actual_raw: Any = {
        "channel": facts.channel_kind,
        "channel_id": facts.channel_id,
        "segment": facts.segment,
        "language": facts.language,
    }[c.field]
    if c.field == "channel_id":
        values = c.value if c.op == "in" else [c.value]
        return actual_raw in values
    actual = _fold(actual_raw) if actual_raw is not None else None
    if c.op == "in":
        return actual in {_fold(v) for v in c.value}
    same = actual == _fold(c.value)
    return same if c.op == "eq" else not same


def matches(rule: Rule, facts: MessageFacts, calendars: Mapping[int, Calendar] | None = None) -> bool:
    return rule.enabled and all(_holds(c, facts, calendars or {}) for c in rule.conditions)


def decide(
    rules: Sequence[Rule],
    facts: MessageFacts,
    *,
    default_queue_id: int | None,
    calendars: Mapping[int, Calendar] | None = None,
) -> Decision:
    """The routing of a new conversation: the first matching rule's actions over the channel's defaults."""
    for rule in rules:
        if matches(rule, facts, calendars):
            a = rule.actions
            return Decision(
                queue_id=a.queue_id if a.queue_id is not None else default_queue_id,
                priority=a.priority if a.priority is not None else Priority.NORMAL,
                skill=a.skill,
                max_wait_s=a.max_wait_s,
                auto_reply=a.auto_reply,
                rule_id=rule.id,
            )
    return Decision(queue_id=default_queue_id)


def needs_customer(rules: Iterable[Rule]) -> bool:
    """Whether any enabled rule looks at the customer's profile (so the caller must load it)."""
    return any(c.field in {"segment", "language", "tag", "attribute"} for r in rules if r.enabled for c in r.conditions)


# --- validation: a rule from its stored/JSON form ----------------------------------------------------------------


def parse_rule(
    rule_id: int,
    name: str,
    conditions: Sequence[Mapping[str, Any]],
    actions: Mapping[str, Any],
    *,
    enabled: bool = True,
) -> Rule:
    """A rule from its JSON form; RuleError says what is wrong and where (``conditions[1].value``)."""
    if not name.strip():
        raise RuleError("name", "a rule needs a name", "rule.name_required")
    parsed = tuple(_parse_condition(i, raw) for i, raw in enumerate(conditions))
    return Rule(rule_id, name.strip(), parsed, _parse_actions(actions), enabled)


def _parse_condition(i: int, raw: Mapping[str, Any]) -> Condition:
    where = f"conditions[{i}]"
    unknown = set(raw) - {"field", "op", "value", "key", "calendar"}
    if unknown:
        raise RuleError(
            where, f"unknown keys {sorted(unknown)}", "rule.condition_keys", condition=i, keys=sorted(unknown)
        )
    field_ = raw.get("field")
    if field_ not in OPS:
        raise RuleError(
            f"{where}.field",
            f"{field_!r} is not one of {', '.join(FIELDS)}",
            "rule.condition_field",
            condition=i,
            field=_shown(field_),
        )
    op = raw.get("op")
    if op not in OPS[field_]:
        raise RuleError(
            f"{where}.op",
            f"{field_} takes {', '.join(OPS[field_])}, not {op!r}",
            "rule.condition_op",
            condition=i,
            field=field_,
            op=_shown(op),
        )
    value = raw.get("value")
    key = raw.get("key")
    calendar = raw.get("calendar")
    if op in LIST_OPS:
        if not isinstance(value, list) or not value or not all(isinstance(v, str | int) for v in value):
            raise RuleError(f"{where}.value", f"{op} needs a non-empty list", "rule.condition_list", condition=i)
        if field_ == "text" and not all(str(v).strip() for v in value):
            raise RuleError(f"{where}.value", "a keyword cannot be empty", "rule.keyword_empty", condition=i)
        value = tuple(value)
    elif op in {"is", "exists"}:
        if not isinstance(value, bool):
            raise RuleError(f"{where}.value", "true or false", "rule.condition_yes_no", condition=i)
    elif field_ == "channel_id":
        if not isinstance(value, int) or isinstance(value, bool):
            raise RuleError(f"{where}.value", "a channel id", "rule.condition_channel", condition=i)
    elif not isinstance(value, str) or not value.strip():
        raise RuleError(f"{where}.value", "a value is required", "rule.condition_value", condition=i)
    if field_ == "channel_id" and op == "in" and not all(isinstance(v, int) for v in value):
        raise RuleError(f"{where}.value", "channel ids", "rule.condition_channel", condition=i)
    if field_ == "attribute":
        if not isinstance(key, str) or not key.strip():
            raise RuleError(f"{where}.key", "the attribute's name is required", "rule.attribute_name", condition=i)
    elif key is not None:
        raise RuleError(f"{where}.key", "only attribute conditions take a key", "rule.key_not_allowed", condition=i)
    if field_ == "business_hours":
        if not isinstance(calendar, int) or isinstance(calendar, bool):
            raise RuleError(
                f"{where}.calendar", "the queue whose business hours apply", "rule.calendar_required", condition=i
            )
    elif calendar is not None:
        raise RuleError(
            f"{where}.calendar",
            "only business_hours conditions take a calendar",
            "rule.calendar_not_allowed",
            condition=i,
        )
    return Condition(field_, op, value, key, calendar)


def _parse_actions(raw: Mapping[str, Any]) -> Actions:
    unknown = set(raw) - set(ACTIONS)
    if unknown:
        raise RuleError(
            "actions", f"unknown actions {sorted(unknown)}", "rule.actions_unknown", actions=sorted(unknown)
        )
    values = {k: raw.get(k) for k in ACTIONS}
    if all(v is None for v in values.values()):
        raise RuleError(
            "actions", "a rule must do something: set a queue, priority, skill, wait or auto-reply", "rule.no_action"
        )
    for key in ("queue_id", "priority", "max_wait_s"):
        v = values[key]
        if v is not None and (not isinstance(v, int) or isinstance(v, bool)):
            raise RuleError(f"actions.{key}", "a whole number", "rule.action_number", action=key)
    if values["priority"] is not None and values["priority"] not in set(Priority):
        raise RuleError("actions.priority", "0 (low), 1 (normal), 2 (high) or 3 (urgent)", "rule.priority_range")
    if values["max_wait_s"] is not None and not 1 <= values["max_wait_s"] <= 7 * 86400:
        raise RuleError("actions.max_wait_s", "between 1 second and 7 days", "rule.max_wait_range")
    for key, limit in (("skill", 64), ("auto_reply", MAX_AUTO_REPLY)):
        v = values[key]
        if v is not None and (not isinstance(v, str) or not v.strip() or len(v) > limit):
            raise RuleError(
                f"actions.{key}", f"a text of 1 to {limit} characters", "rule.action_text", action=key, limit=limit
            )
    return Actions(**values)


def describe(rule: Rule, queue_names: Mapping[int, str] | None = None) -> str:
    """The rule in words (English; the client builds its own translated sentence from the same parts)."""
    names = queue_names or {}

    def cond(c: Condition) -> str:
        value = ", ".join(map(str, c.value)) if isinstance(c.value, tuple) else c.value
        if c.field == "business_hours":
            where = names.get(c.calendar or 0, f"queue {c.calendar}")
            return f"time {'=' if c.value else '≠'} business hours ({where})"
        if c.field == "customer_known":
            return "customer is known" if c.value else "customer is new"
        if c.field == "attribute":
            return f"customer.{c.key} {c.op} {value}"
        prefix = "customer." if c.field in {"segment", "language", "tag"} else ""
        symbol = {"eq": "=", "ne": "≠", "in": "in", "has": "has", "has_not": "has not"}.get(c.op, c.op)
        return f"{prefix}{c.field} {symbol} {value}"

    a = rule.actions
    parts = []
    if a.queue_id is not None:
        parts.append(f"queue = {names.get(a.queue_id, a.queue_id)}")
    if a.priority is not None:
        parts.append(f"priority = {Priority(a.priority).name.lower()}")
    if a.skill:
        parts.append(f"skill = {a.skill}")
    if a.max_wait_s is not None:
        parts.append(f"max wait = {a.max_wait_s} s")
    if a.auto_reply:
        parts.append("auto-reply")
    condition = " AND ".join(cond(c) for c in rule.conditions) or "always"
    return f"IF {condition} THEN {', '.join(parts)}"


# --- assignment: which operator gets the next conversation -------------------------------------------------------

CHANNEL_CLASS = {"email": "email", "webform": "email", "phone": "call"}  # everything else is a chat


def channel_class(channel_kind: str) -> str:
    """Capacity is counted per class of work: chats, e-mails, calls."""
    return CHANNEL_CLASS.get(channel_kind, "chat")


DEFAULT_CAPACITY = {"chat": 5, "email": 10, "call": 1}


@dataclass(frozen=True, slots=True)
class OperatorLoad:
    user_id: int
    online: bool
    skills: frozenset[str]
    capacity: Mapping[str, int]  # per channel class; a missing class uses DEFAULT_CAPACITY
    load: Mapping[str, int]  # open conversations assigned now, per channel class
    last_assigned: float = 0.0  # a timestamp; the longest idle wins a tie (round robin)
    member_priority: int = 0  # a queue member's priority: higher is offered first

    def free(self, cls: str) -> int:
        return self.capacity.get(cls, DEFAULT_CAPACITY.get(cls, 0)) - self.load.get(cls, 0)


def choose_operator(candidates: Iterable[OperatorLoad], *, channel_kind: str, skill: str | None) -> int | None:
    """The operator to offer a conversation to: online, with the skill and free capacity for its class of work;
    the highest member priority, then the least loaded, then whoever waited longest since their last assignment."""
    cls = channel_class(channel_kind)
    wanted = _fold(skill) if skill else None
    best: tuple[Any, ...] | None = None
    chosen = None
    for op in candidates:
        if not op.online or op.free(cls) <= 0:
            continue
        if wanted is not None and wanted not in {_fold(s) for s in op.skills}:
            continue
        key = (-op.member_priority, op.load.get(cls, 0), op.last_assigned, op.user_id)
        if best is None or key < best:
            best, chosen = key, op.user_id
    return chosen


def waiting_order_key(priority: int, waiting_since: dt.datetime, conversation_id: int) -> tuple[int, dt.datetime, int]:
    """The order in which waiting work is offered: highest priority first, then the longest waiting."""
    return (-priority, waiting_since, conversation_id)


ESCALATED_PRIORITY = 3  # "urgent": offered before everything else waiting


def wait_exceeded(waiting_since: dt.datetime | None, max_wait_s: int | None, now: dt.datetime) -> bool:
    """Whether a waiting conversation has waited longer than its routing rule's maximum wait."""
    if waiting_since is None or not max_wait_s:
        return False
    return (now - waiting_since).total_seconds() > max_wait_s


def escalated_priority(priority: int) -> int:
    """The priority of a conversation whose maximum wait was exceeded: urgent (never lowered)."""
    return max(priority, ESCALATED_PRIORITY)


# --- push mode's offers and "take next" -------------------------------------------------------------------------


class TakeTier(IntEnum):
    """How "take next" treats a waiting conversation that push mode has offered to someone.

    A conversation offered to a colleague is held for them while they decide (they have the offer's timeout to
    accept or decline): "take next" skips it while anything else the taker may take waits, and takes it only when
    nothing else does (a queue is never stuck behind an offer nobody answers). A conversation offered to the taker
    themself is theirs to take (taking it ends the offer). Within a tier, the waiting order holds (highest priority,
    then the longest waiting)."""

    FREE = 0  # not offered, or offered to the taker
    OFFERED_TO_ANOTHER = 1  # held for the colleague it is offered to: taken only when nothing free waits


def take_tier(offered_to: int | None, taker: int) -> TakeTier:
    """The tier of a waiting conversation for this taker (see TakeTier)."""
    return TakeTier.OFFERED_TO_ANOTHER if offered_to is not None and offered_to != taker else TakeTier.FREE


@dataclass(frozen=True, slots=True)
class WaitingWork:
    conversation_id: int
    priority: int
    waiting_since: dt.datetime
    offered_to: int | None = None


def take_next_key(work: WaitingWork, taker: int) -> tuple[int, int, dt.datetime, int]:
    """The order in which "take next" considers waiting work: tier first, then the waiting order."""
    return (
        take_tier(work.offered_to, taker),
        *waiting_order_key(work.priority, work.waiting_since, work.conversation_id),
    )


def choose_next(waiting: Iterable[WaitingWork], taker: int) -> WaitingWork | None:
    """The conversation "take next" gives ``taker`` among ``waiting`` (already filtered to what they may take: their
    queues, their skills). The server evaluates the same order in SQL (the tier as a CASE); a test holds every path
    of it to this function's answers."""
    return min(waiting, key=lambda w: take_next_key(w, taker), default=None)


def still_refused(decided_at: dt.datetime, cooldown_s: int, now: dt.datetime) -> bool:
    """Whether an operator who declined a conversation (or let its offer expire) at ``decided_at`` is still not to be
    offered it again: the queue's decline cooldown (``offer_cooldown_s``) has not passed yet."""
    return (now - decided_at).total_seconds() < cooldown_s
