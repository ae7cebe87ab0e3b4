"""The server's coded refusals (omnidesk/domain/problems.py) in the operator's language.

``problem_text(code, params)`` is the sentence for a code the client knows, None for one it does not (the caller then
shows the server's English ``detail`` inside its own sentence). Numbers go through QLocale; a rule's condition is
counted from 1 as the editor shows them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from PySide6.QtCore import QCoreApplication, QLocale


def _number(value: Any) -> str:
    return QLocale().toString(int(value)) if isinstance(value, int) and not isinstance(value, bool) else str(value)


def _condition(p: Mapping[str, Any]) -> str:
    index = p.get("condition")
    return _number(index + 1) if isinstance(index, int) and not isinstance(index, bool) else "?"


def _action(name: Any) -> str:
    return {
        "queue_id": QCoreApplication.translate("Problems", "Queue"),
        "priority": QCoreApplication.translate("Problems", "Priority"),
        "max_wait_s": QCoreApplication.translate("Problems", "Maximum wait"),
        "skill": QCoreApplication.translate("Problems", "Skill"),
        "auto_reply": QCoreApplication.translate("Problems", "Auto-reply"),
    }.get(str(name), str(name))


def _field(name: Any) -> str:
    from omnidesk.client.workorg.rules import RuleWords  # the editor's own words for the fields

    return RuleWords(None, {}).field(str(name))


def _listed(values: Any) -> str:
    return ", ".join(map(str, values)) if isinstance(values, list | tuple) else str(values)


def _taken(p: Mapping[str, Any]) -> str:
    name = p.get("holder_name")
    if name:
        return QCoreApplication.translate("Problems", "%1 is already handling this conversation.").replace(
            "%1", str(name)
        )
    return QCoreApplication.translate("Problems", "A colleague took this conversation a moment ago.")


def _offer(p: Mapping[str, Any]) -> str:
    return {
        "accepted": QCoreApplication.translate("Problems", "This offer was accepted already."),
        "declined": QCoreApplication.translate("Problems", "This offer was declined."),
        "expired": QCoreApplication.translate("Problems", "The offer expired before it was accepted."),
        "withdrawn": QCoreApplication.translate(
            "Problems", "The offer was withdrawn: the conversation is no longer waiting for you."
        ),
    }.get(str(p.get("outcome")), QCoreApplication.translate("Problems", "The offer has ended."))


def _permission(p: Mapping[str, Any]) -> str:
    from omnidesk.client.permissions import reason
    from omnidesk.domain.permissions import Permission

    try:
        return reason(Permission(p.get("permission")))
    except ValueError:  # a permission of a newer server
        return QCoreApplication.translate("Problems", "Your role does not allow this.")


def _with(text: str, *keys: str) -> Callable[[Mapping[str, Any]], str]:
    """A sentence (translated already) whose %1, %2 … are the parameters ``keys`` (the special ones: condition,
    action, field, list:NAME)."""

    def words(p: Mapping[str, Any]) -> str:
        sentence = text
        for n, key in enumerate(keys, start=1):
            if key == "condition":
                value = _condition(p)
            elif key == "action":
                value = _action(p.get("action"))
            elif key == "field":
                value = _field(p.get("field"))
            elif key.startswith("list:"):
                value = _listed(p.get(key[5:]))
            else:
                value = _number(p.get(key))
            sentence = sentence.replace(f"%{n}", value)
        return sentence

    return words


def sentences() -> dict[str, Callable[[Mapping[str, Any]], str]]:
    """Every code this client words, translated now (in the interface's current language)."""
    return {
        "conversation.taken": _taken,
        "conversation.missing": _with(
            QCoreApplication.translate(
                "Problems", "This conversation no longer exists, or it is no longer in your queues."
            )
        ),
        "conversation.already_there": _with(
            QCoreApplication.translate(
                "Problems", "The conversation is already there: with that colleague or in that queue."
            )
        ),
        "transfer.target_required": _with(
            QCoreApplication.translate("Problems", "Choose a colleague or a queue to transfer the conversation to.")
        ),
        "transfer.not_assignee": _with(
            QCoreApplication.translate(
                "Problems", "Only the colleague handling this conversation, or a supervisor, can transfer it."
            )
        ),
        "user.unavailable": _with(
            QCoreApplication.translate("Problems", "That colleague's account no longer exists or is disabled.")
        ),
        "offer.ended": _offer,
        "permission.missing": _permission,
        "queue.missing": _with(QCoreApplication.translate("Problems", "That queue no longer exists.")),
        "queue.name_taken": _with(QCoreApplication.translate("Problems", "A queue named “%1” exists already."), "name"),
        "queue.offer_timeout": _with(
            QCoreApplication.translate("Problems", "The offer timeout is from 0 (assign at once) to %1 seconds."),
            "max",
        ),
        "queue.offer_cooldown": _with(
            QCoreApplication.translate("Problems", "The decline cooldown is from 0 to %1 seconds."), "max"
        ),
        "queue.capacity_classes": _with(
            QCoreApplication.translate("Problems", "Capacity is set for chats, e-mails and calls only.")
        ),
        "calendar.tz_required": _with(
            QCoreApplication.translate("Problems", "Business hours need a time zone, such as Europe/Kyiv.")
        ),
        "calendar.tz_unknown": _with(
            QCoreApplication.translate("Problems", "“%1” is not a known time zone (write it like Europe/Kyiv)."),
            "tz",
        ),
        "calendar.day": _with(
            QCoreApplication.translate("Problems", "Business hours: “%1” is not a day of the week."), "day"
        ),
        "calendar.span": _with(
            QCoreApplication.translate("Problems", "Business hours: “%1” is not a span of times such as 09:00–18:00."),
            "span",
        ),
        "calendar.span_backwards": _with(
            QCoreApplication.translate(
                "Problems", "Business hours: in “%1” the closing time is not after the opening time."
            ),
            "span",
        ),
        "calendar.holiday": _with(
            QCoreApplication.translate("Problems", "Holidays: “%1” is not a date such as 2026-01-01."), "day"
        ),
        "rule.name_required": _with(QCoreApplication.translate("Problems", "A rule needs a name.")),
        "rule.condition_keys": _with(
            QCoreApplication.translate("Problems", "Condition %1 has parts no condition takes: %2."),
            "condition",
            "list:keys",
        ),
        "rule.condition_field": _with(
            QCoreApplication.translate("Problems", "Condition %1: “%2” is not something a rule can look at."),
            "condition",
            "list:field",
        ),
        "rule.condition_op": _with(
            QCoreApplication.translate("Problems", "Condition %1: this comparison does not fit “%2”."),
            "condition",
            "field",
        ),
        "rule.condition_list": _with(
            QCoreApplication.translate("Problems", "Condition %1 needs at least one value."), "condition"
        ),
        "rule.keyword_empty": _with(
            QCoreApplication.translate("Problems", "Condition %1: a keyword cannot be empty."), "condition"
        ),
        "rule.condition_yes_no": _with(
            QCoreApplication.translate("Problems", "Condition %1 needs yes or no."), "condition"
        ),
        "rule.condition_channel": _with(
            QCoreApplication.translate("Problems", "Condition %1 needs a channel."), "condition"
        ),
        "rule.condition_value": _with(
            QCoreApplication.translate("Problems", "Condition %1 needs a value."), "condition"
        ),
        "rule.attribute_name": _with(
            QCoreApplication.translate("Problems", "Condition %1 needs the attribute's name."), "condition"
        ),
        "rule.key_not_allowed": _with(
            QCoreApplication.translate("Problems", "Condition %1: only an attribute condition names an attribute."),
            "condition",
        ),
        "rule.calendar_required": _with(
            QCoreApplication.translate("Problems", "Condition %1 needs the queue whose business hours apply."),
            "condition",
        ),
        "rule.calendar_not_allowed": _with(
            QCoreApplication.translate(
                "Problems", "Condition %1: only a business-hours condition takes a queue's hours."
            ),
            "condition",
        ),
        "rule.calendar_missing": _with(
            QCoreApplication.translate(
                "Problems", "Condition %1: the queue whose business hours it uses no longer exists."
            ),
            "condition",
        ),
        "rule.calendar_unset": _with(
            QCoreApplication.translate(
                "Problems", "Condition %1: that queue has no business hours. Set them in Queues and members first."
            ),
            "condition",
        ),
        "rule.actions_unknown": _with(
            QCoreApplication.translate("Problems", "The rule has actions this server does not know: %1."),
            "list:actions",
        ),
        "rule.no_action": _with(
            QCoreApplication.translate(
                "Problems",
                "A rule must do something: set a queue, a priority, a skill, a maximum wait or an auto-reply.",
            )
        ),
        "rule.action_number": _with(QCoreApplication.translate("Problems", "%1: a whole number is needed."), "action"),
        "rule.priority_range": _with(
            QCoreApplication.translate("Problems", "The priority is low, normal, high or urgent.")
        ),
        "rule.max_wait_range": _with(
            QCoreApplication.translate("Problems", "The maximum wait is from 1 second to 7 days.")
        ),
        "rule.action_text": _with(
            QCoreApplication.translate("Problems", "%1: from 1 to %2 characters."), "action", "limit"
        ),
        "rule.queue_missing": _with(
            QCoreApplication.translate("Problems", "The rule's queue no longer exists. Choose another queue.")
        ),
        "rules.order_incomplete": _with(
            QCoreApplication.translate("Problems", "The rules changed meanwhile. Reload them and set the order again.")
        ),
        "preview.channel_missing": _with(
            QCoreApplication.translate("Problems", "That channel no longer exists. Choose another one.")
        ),
        "preview.customer_missing": _with(
            QCoreApplication.translate("Problems", "That customer no longer exists (perhaps merged). Find them again.")
        ),
        "canned.queue_shared": _with(
            QCoreApplication.translate(
                "Problems", "A queue's canned reply is shared with the queue: mark it as shared."
            )
        ),
        "canned.not_owner": _with(
            QCoreApplication.translate(
                "Problems",
                "Only its author, or a supervisor for a shared reply, can change or delete this canned reply.",
            )
        ),
    }


def problem_text(code: str | None, params: Mapping[str, Any] | None = None) -> str | None:
    """The operator's sentence for a coded refusal; None for a code this client does not know."""
    words = sentences().get(code or "")
    if words is None:
        return None
    p = params or {}
    sentence = words(p)
    rule = p.get("rule")
    if isinstance(rule, int) and not isinstance(rule, bool):  # a preview judged an unsaved list: which rule
        sentence = (
            QCoreApplication.translate("Problems", "Rule %1: %2")
            .replace("%1", _number(rule + 1))
            .replace("%2", sentence)
        )
    return sentence
