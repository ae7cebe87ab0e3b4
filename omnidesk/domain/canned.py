"""Canned replies and notes: placeholders filled from the conversation, and the @mentions of an internal note."""

from __future__ import annotations

import re
from collections.abc import Mapping

PLACEHOLDER = re.compile(r"\{([a-z_]+(?:\.[A-Za-z0-9_\-]+)+)\}")
MENTION = re.compile(r"(?<![\w@])@([A-Za-z0-9][\w.\-]{0,149})")
KNOWN = (
    "customer.name",
    "customer.first_name",
    "operator.name",
    "operator.first_name",
    "queue.name",
    "queue.position",
)


def render(template: str, values: Mapping[str, str | None]) -> tuple[str, list[str]]:
    """``template`` with every ``{a.b}`` replaced by ``values["a.b"]`` (custom attributes: ``{customer.<name>}``);
    placeholders without a value become empty and are listed, so the operator sees what to fill in by hand."""
    missing: list[str] = []

    def fill(match: re.Match[str]) -> str:
        key = match.group(1)
        value = values.get(key)
        if value is None or value == "":
            if key not in missing:
                missing.append(key)
            return ""
        return str(value)

    return PLACEHOLDER.sub(fill, template), missing


def placeholders(template: str) -> list[str]:
    return list(dict.fromkeys(PLACEHOLDER.findall(template)))


def first_name(display_name: str | None) -> str | None:
    """The first word of a display name ("Оксана Петренко" -> "Оксана"); None for an empty one."""
    words = (display_name or "").split()
    return words[0] if words else None


def mentioned(text: str) -> list[str]:
    """The usernames an internal note mentions (``@name``), in order, without repeats; a trailing dot is
    punctuation, not part of the name."""
    return list(dict.fromkeys(m.rstrip(".-") for m in MENTION.findall(text)))
