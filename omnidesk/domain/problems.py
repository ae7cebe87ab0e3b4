"""Why the server refused a work-organisation request: a stable code with its parameters.

Such a refusal (a 409, a 422, a few 403s) answers ``{"detail": ..., "code": "<code>", "params": {...}}``. ``detail`` is
what it always was, English for people reading the API; ``code`` and ``params`` are for programs: the desktop client
words each code in its user's language from the parameters, and falls back to ``detail`` only for a code it does not
know. The catalogue below is that contract: a code keeps its name and its parameters; new codes are added.

Parameters that name a place in a routing rule count from 0 (``condition``: the condition's index in the rule's
``conditions``); in a preview judged by an unsaved list of rules, ``rule`` is also given: the index of the rule in that
list. The server checks every refusal against the catalogue (``check``), so no code leaves it undocumented.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple


class Code(NamedTuple):
    status: int
    params: tuple[str, ...]
    meaning: str  # English, for the OpenAPI document and docs/admin/queues.md


PREVIEW_RULE = "rule"  # added to a rule's or a calendar's code when an unsaved list of rules is judged

_C = Code
CODES: Mapping[str, Code] = {
    # assignment and transfer
    "conversation.taken": _C(409, ("holder_id", "holder_name"), "A colleague holds the conversation (who, by name)."),
    "conversation.missing": _C(404, ("conversation_id",), "No such conversation, or not visible to the caller."),
    "conversation.already_there": _C(409, (), "The conversation is already with that colleague or in that queue."),
    "transfer.target_required": _C(422, (), "Give either user_id or queue_id."),
    "transfer.not_assignee": _C(403, (), "Only the conversation's assignee or a supervisor transfers it."),
    "user.unavailable": _C(422, ("user_id",), "There is no active user with this id."),
    "offer.ended": _C(409, ("offer_id", "outcome"), "The offer ended already: accepted, declined, expired, withdrawn."),
    "permission.missing": _C(403, ("permission",), "The caller lacks this permission."),
    # queues, members and business hours
    "queue.missing": _C(422, ("queue_id",), "There is no queue with this id."),
    "queue.name_taken": _C(422, ("name",), "A queue of this name exists already."),
    "queue.offer_timeout": _C(422, ("value", "max"), "The offer timeout is 0 to max seconds."),
    "queue.offer_cooldown": _C(422, ("value", "max"), "The offer cooldown is 0 to max seconds."),
    "queue.capacity_classes": _C(422, ("classes", "allowed"), "Capacity is per chat, email and call only."),
    "calendar.tz_required": _C(422, (), "Business hours need a time zone."),
    "calendar.tz_unknown": _C(422, ("tz",), "The time zone is unknown."),
    "calendar.day": _C(422, ("day",), "A weekday is 0 (Monday) .. 6 (Sunday)."),
    "calendar.span": _C(422, ("span",), "A span is a pair of times like ['09:00', '18:00']."),
    "calendar.span_backwards": _C(422, ("span",), "A span ends before it starts."),
    "calendar.holiday": _C(422, ("day",), "A holiday is a date like 2026-01-01."),
    # routing rules
    "rule.name_required": _C(422, (), "A rule needs a name."),
    "rule.condition_keys": _C(422, ("condition", "keys"), "The condition has keys no condition takes."),
    "rule.condition_field": _C(422, ("condition", "field"), "The condition's field is not one a rule looks at."),
    "rule.condition_op": _C(422, ("condition", "field", "op"), "The comparison does not fit the condition's field."),
    "rule.condition_list": _C(422, ("condition",), "This comparison needs a non-empty list of values."),
    "rule.keyword_empty": _C(422, ("condition",), "A keyword is empty."),
    "rule.condition_yes_no": _C(422, ("condition",), "The condition's value is true or false."),
    "rule.condition_channel": _C(422, ("condition",), "The condition's value is a channel id (or a list of them)."),
    "rule.condition_value": _C(422, ("condition",), "The condition needs a value."),
    "rule.attribute_name": _C(422, ("condition",), "An attribute condition names the attribute (key)."),
    "rule.key_not_allowed": _C(422, ("condition",), "Only attribute conditions take a key."),
    "rule.calendar_required": _C(422, ("condition",), "A business-hours condition names the queue whose hours apply."),
    "rule.calendar_not_allowed": _C(422, ("condition",), "Only business-hours conditions take a calendar."),
    "rule.calendar_missing": _C(422, ("condition", "queue_id"), "The business hours' queue does not exist."),
    "rule.calendar_unset": _C(422, ("condition", "queue_id"), "The business hours' queue has no hours set."),
    "rule.actions_unknown": _C(422, ("actions",), "The rule has actions no rule takes."),
    "rule.no_action": _C(422, (), "A rule must set a queue, priority, skill, maximum wait or auto-reply."),
    "rule.action_number": _C(422, ("action",), "The action's value is a whole number."),
    "rule.priority_range": _C(422, (), "The priority is 0 (low) .. 3 (urgent)."),
    "rule.max_wait_range": _C(422, (), "The maximum wait is 1 second to 7 days."),
    "rule.action_text": _C(422, ("action", "limit"), "The action's text is 1 to limit characters."),
    "rule.queue_missing": _C(422, ("queue_id",), "The rule's queue does not exist."),
    "rules.order_incomplete": _C(422, (), "A new order names every rule exactly once."),
    "preview.channel_missing": _C(422, ("channel_id",), "The preview's channel does not exist."),
    "preview.customer_missing": _C(422, ("customer_id",), "The preview's customer does not exist."),
    # canned replies
    "canned.queue_shared": _C(422, (), "A queue's canned reply is shared (shared=true)."),
    "canned.not_owner": _C(403, (), "Only its owner (or, if shared, a supervisor) changes or deletes it."),
}


def check(code: str, params: Mapping[str, Any]) -> None:
    """A refusal carries a catalogued code and exactly that code's parameters (``rule`` may come in addition);
    anything else is a programming error, caught by the tests that raise each refusal."""
    known = CODES.get(code)
    if known is None:
        raise ValueError(f"unknown refusal code {code!r}: add it to omnidesk/domain/problems.CODES")
    given = set(params) - {PREVIEW_RULE}
    if given != set(known.params):
        raise ValueError(f"refusal {code!r} takes {sorted(known.params)}, not {sorted(given)}")
