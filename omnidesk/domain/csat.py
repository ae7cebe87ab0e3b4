"""Satisfaction surveys: the questions in the customer's language, their order, and what in a reply is an answer.

A survey asks CSAT ("how would you rate our help", 1-5), NPS ("how likely are you to recommend us", 0-10) or both
(``ASKS``). With both, CSAT is asked first and NPS follows its answer (``after_answer``); an unanswered CSAT
question is never followed by NPS. One question waits for its answer at a time.

A reply counts as a rating when it starts with one digit 1-5 (or is that many stars), optionally followed by a
comment: "5", "4 - quick, thanks", "⭐⭐⭐⭐". An NPS answer is a number 0-10 the same way: "9", "10/10", "7 - ok".
Anything else is an ordinary message (a new conversation), so a customer who ignores the survey and writes a new
question is never mistaken for an answer. Buttons, where the channel has them, send the same digits.
"""

from __future__ import annotations

import datetime as dt
import re

QUESTIONS = {
    "en": "How would you rate our help? Reply with a number from 1 (poor) to 5 (excellent); a comment is welcome.",
    "uk": "Як ви оцінюєте нашу допомогу? Надішліть число від 1 (погано) до 5 (чудово); можна додати коментар.",
    "ru": "Как вы оцениваете нашу помощь? Отправьте число от 1 (плохо) до 5 (отлично); можно добавить комментарий.",
}
NPS_QUESTIONS = {
    "en": "How likely are you to recommend us to a friend? Reply with a number from 0 (not at all) to 10 (extremely).",
    "uk": "Наскільки ймовірно, що ви порекомендуєте нас другу? Надішліть число від 0 (зовсім ні) до 10 (дуже"
    " ймовірно).",
    "ru": "Насколько вероятно, что вы порекомендуете нас другу? Отправьте число от 0 (совсем нет) до 10 (очень"
    " вероятно).",
}
BUTTONS = ("1", "2", "3", "4", "5")  # where the channel has buttons or quick replies
NPS_BUTTONS = tuple(str(i) for i in range(11))  # 0..10: each button's title and payload is its number
CSAT, NPS = "csat", "nps"
ASKS = (CSAT, NPS, "both")  # what a queue's survey asks
ANSWER_DAYS = 7  # a reply later than this after the question is an ordinary message

_DIGIT = re.compile(r"^\s*([1-5])(?![0-9.,])\s*(?:/\s*5\b|\bof\s*5\b|[-–—:.,)/!])?\s*(.*)$", re.S | re.I)
_NPS = re.compile(r"^\s*(10|[0-9])(?![0-9.,])\s*(?:/\s*10\b|\bof\s*10\b|[-–—:.,)/!])?\s*(.*)$", re.S | re.I)
_STARS = re.compile(r"^\s*((?:⭐|★){1,5})\s*(.*)$", re.S)


def first_question(asks: str | None) -> str:
    """The question a survey starts with: CSAT unless the queue asks only NPS."""
    return NPS if asks == NPS else CSAT


def after_answer(asks: str | None, answered: str) -> str | None:
    """The question that follows the answer to ``answered``: NPS after CSAT when both are asked, else none."""
    return NPS if asks == "both" and answered == CSAT else None


def question(language: str | None, custom: dict[str, str] | None = None, which: str = CSAT) -> str:
    """The question in the customer's language (``uk``, ``ru``, ``en``; "uk-UA" counts as uk), English otherwise."""
    texts = {**(NPS_QUESTIONS if which == NPS else QUESTIONS), **(custom or {})}
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


def parse_nps(text: str) -> tuple[int, str | None] | None:
    """(score 0..10, comment or None) when ``text`` answers the NPS question; None when it is an ordinary message."""
    if len(text) > 2000:
        return None
    match = _NPS.match(text)
    if match is None:
        return None
    return int(match.group(1)), match.group(2).strip() or None


def parse_answer(which: str, text: str) -> tuple[int, str | None] | None:
    """The answer to the question ``which`` (CSAT or NPS) that ``text`` gives, or None."""
    return parse_nps(text) if which == NPS else parse_rating(text)


def awaits(awaiting: str | None, which: str, asked_at: dt.datetime | None, now: dt.datetime) -> bool:
    """Whether a survey still takes a reply's answer to the question ``which``: it waits for that very question,
    asked at most ``ANSWER_DAYS`` ago (the rule omnidesk.server.csat.service.waiting_survey reads in SQL). Once
    not, the question's buttons answer nothing any more: a "4" then is an ordinary message."""
    return awaiting == which and asked_at is not None and now - asked_at <= dt.timedelta(days=ANSWER_DAYS)


def nps_category(score: int) -> str:
    """On the 1-5 scale: 5 promoter, 4 passive, 1-3 detractor (the reports' NPS-style split)."""
    return "promoter" if score == 5 else "passive" if score == 4 else "detractor"


# The e-mail version: one link per score, each to a small public page on the server (omnidesk/server/csat/links.py).
LINK_DAYS = 30  # a survey link answers for this long after its question went out; later: "expired" (410)
OPEN, ANSWERED, EXPIRED = "open", "answered", "expired"


def scores(which: str) -> tuple[int, ...]:
    """The scores a question offers: 1..5 for CSAT, 0..10 for NPS."""
    return tuple(range(11)) if which == NPS else (1, 2, 3, 4, 5)


def link_state(awaiting: str | None, question: str, expires_at, now) -> str:
    """Whether a survey link still answers: ``open`` while its survey waits for the answer to that very question
    (the rule of a text reply: one answer per question, whichever way it comes first), ``answered`` once it has
    one (by this link, another of its links or a text reply: a second answer is refused in words, never a silent
    overwrite of what the reports already count), ``expired`` after ``LINK_DAYS``."""
    if now >= expires_at:
        return EXPIRED
    return OPEN if awaiting == question else ANSWERED


def parse_score(which: str, value: str | None) -> int | None:
    """A score from a link or the page's form ("4"), or None when it is not one of the question's scores."""
    value = (value or "").strip()
    if not (value.isascii() and value.isdigit() and len(value) <= 2):
        return None
    score = int(value)
    return score if score in scores(which) else None
