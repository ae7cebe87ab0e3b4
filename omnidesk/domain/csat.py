"""Satisfaction surveys: the question in the customer's language and what in a reply counts as a rating.

A reply counts as a rating when it starts with one digit 1-5 (or is that many stars), optionally followed by a
comment: "5", "4 - quick, thanks", "⭐⭐⭐⭐". Anything else is an ordinary message (a new conversation), so a customer
who ignores the survey and writes a new question is never mistaken for a rating.
"""

from __future__ import annotations

import re

QUESTIONS = {
    "en": "How would you rate our help? Reply with a number from 1 (poor) to 5 (excellent); a comment is welcome.",
    "uk": "Як ви оцінюєте нашу допомогу? Надішліть число від 1 (погано) до 5 (чудово); можна додати коментар.",
    "ru": "Как вы оцениваете нашу помощь? Отправьте число от 1 (плохо) до 5 (отлично); можно добавить комментарий.",
}
BUTTONS = ("1", "2", "3", "4", "5")  # where the channel has buttons or quick replies
ANSWER_DAYS = 7  # a reply later than this after the question is an ordinary message

_DIGIT = re.compile(r"^\s*([1-5])(?![0-9.,])\s*(?:/\s*5\b|\bof\s*5\b|[-–—:.,)/!])?\s*(.*)$", re.S | re.I)
_STARS = re.compile(r"^\s*((?:⭐|★){1,5})\s*(.*)$", re.S)


def question(language: str | None, custom: dict[str, str] | None = None) -> str:
    """The question in the customer's language (``uk``, ``ru``, ``en``; "uk-UA" counts as uk), English otherwise."""
    texts = {**QUESTIONS, **(custom or {})}
    lang = (language or "en").lower().replace("_", "-").split("-")[0]
    return texts.get(lang) or texts["en"]


def parse_rating(text: str) -> tuple[int, str | None] | None:
    """(score 1..5, comment or None) when ``text`` answers the survey; None when it is an ordinary message."""
    if len(text) > 2000:
        return None
    match = _DIGIT.match(text) or _STARS.match(text)
    if match is None:
        return None
    head, rest = match.group(1), match.group(2).strip()
    score = int(head) if head.isdigit() else len(head)
    return score, rest or None


def nps_category(score: int) -> str:
    """On the 1-5 scale: 5 promoter, 4 passive, 1-3 detractor (the reports' NPS-style split)."""
    return "promoter" if score == 5 else "passive" if score == 4 else "detractor"
