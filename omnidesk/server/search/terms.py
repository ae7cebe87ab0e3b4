"""What an operator typed into history search, as terms both databases answer alike, and the snippet of a hit.

A term with a digit in it ("ORD-99123", "4412") is a *fragment*: it matches anywhere inside a word, so part of an
order or card number finds the message. Any other term is a *word*: it matches its other forms ("картка" finds
"картку", "карта" finds "карты", "payment" finds "payments"). PostgreSQL answers words with its full-text search
(hunspell dictionaries for Ukrainian, Russian and English) and fragments with trigrams; SQLite answers both with its
FTS5 trigram index, a word by its Snowball stem. Every term must match (AND).

Pure code (no database): the server's search service and the tests use it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer

MIN_TERM = 3  # trigrams: a shorter fragment cannot use an index
MAX_TERMS = 8
MAX_QUERY = 200

_TOKEN = re.compile(r"[\w]+(?:[-/.][\w]+)*", re.UNICODE)
_WORD = re.compile(r"\w+", re.UNICODE)
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")


class BadQuery(ValueError):
    """The query has nothing searchable; the message says what to type instead."""


@dataclass(frozen=True, slots=True)
class Term:
    text: str  # as typed, case-folded
    fragment: bool  # True: match anywhere inside a word; False: a word and its forms
    stem: str  # the word's stem (fragment: the text itself)


@lru_cache(maxsize=2)
def _stemmer(language: str):
    return snowballstemmer.stemmer(language)


@lru_cache(maxsize=65536)  # a snippet stems every word it shows; the same words recur all day
def stem(word: str) -> str:
    """The Snowball stem of one word: Russian rules for Cyrillic (close enough for Ukrainian stems), else English."""
    word = word.casefold()
    language = "russian" if _CYRILLIC.search(word) else "english"
    return _stemmer(language).stemWord(word)


def parse(query: str) -> list[Term]:
    """The terms of ``query``; BadQuery when none is long enough to search for."""
    query = unicodedata.normalize("NFC", query or "").strip()
    if len(query) > MAX_QUERY:
        raise BadQuery(f"the search text is too long (at most {MAX_QUERY} characters)")
    terms: list[Term] = []
    seen: set[str] = set()
    for token in _TOKEN.findall(query):
        text = token.casefold()
        if any(ch.isdigit() for ch in text):
            if len(text) >= MIN_TERM and text not in seen:
                seen.add(text)
                terms.append(Term(text, True, text))
            continue
        for word in _WORD.findall(text):
            if len(word) < MIN_TERM or word in seen:
                continue
            seen.add(word)
            word_stem = stem(word)
            # A stem shorter than a trigram cannot be looked up in SQLite's index; the word itself can.
            terms.append(Term(word, False, word_stem if len(word_stem) >= MIN_TERM else word))
    if not terms:
        raise BadQuery(f"type at least one word or number of {MIN_TERM} or more characters")
    return terms[:MAX_TERMS]


def word_matches(text: str, terms: list[Term]) -> bool:
    """Whether every word term matches a whole word of ``text`` (same stem, or the word starts with the typed term).

    SQLite's trigram index finds a stem anywhere, also inside another word ("карт" in "картка"); this check keeps
    the answers word-for-word like PostgreSQL's full-text search.
    """
    words = None
    for term in terms:
        if term.fragment:
            continue
        if words is None:
            words = {w: None for w in _WORD.findall(text.casefold())}
        if not any(w.startswith(term.text) or stem(w) == term.stem for w in words):
            return False
    return True


def highlights(text: str, terms: list[Term]) -> list[tuple[int, int]]:
    """Where ``terms`` occur in ``text``: [start, end) spans, sorted and merged."""
    folded = text.casefold()
    # casefold can change lengths (ß -> ss); then offsets would drift, so fall back to lower().
    if len(folded) != len(text):
        folded = text.lower()
    spans: list[tuple[int, int]] = []
    for term in terms:
        if term.fragment:
            start = folded.find(term.text)
            while start != -1:
                spans.append((start, start + len(term.text)))
                start = folded.find(term.text, start + 1)
            continue
        for match in _WORD.finditer(folded):
            word = match.group()
            if word.startswith(term.text) or stem(word) == term.stem:
                spans.append(match.span())
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def snippet(text: str, terms: list[Term], width: int = 160) -> tuple[str, list[tuple[int, int]]]:
    """A window of about ``width`` characters around the first match, with the spans inside it."""
    spans = highlights(text, terms)
    if len(text) <= width:
        return text, spans
    first = spans[0][0] if spans else 0
    start = max(0, first - width // 3)
    # Start and end at a word boundary where one is near.
    if start > 0:
        space = text.rfind(" ", max(0, start - 15), start)
        start = space + 1 if space != -1 else start
    end = min(len(text), start + width)
    if end < len(text):
        space = text.find(" ", end, end + 15)
        end = space if space != -1 else end
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(text) else ""
    shift = len(prefix) - start
    inside = [(max(s, start) + shift, min(e, end) + shift) for s, e in spans if e > start and s < end]
    return prefix + text[start:end] + suffix, inside
