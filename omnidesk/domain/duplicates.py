"""Possible duplicate customers: blocking keys, pair scoring with reasons in words, the full scan.

Two customer records are likely one person when they share an identifier (the same phone in any
format, e-mail addresses that reach one mailbox, one messenger account) or when their names are
one name written in another script, order or form. The scorer says how likely, and why, in words
an operator can check; the caller decides what to do (show a suggestion, never merge silently).

Scoring, in short: each shared identifier is strong evidence on its own (combined as independent
evidence, noisy-or); a matching name alone is a moderate suggestion, never a certain one, since
many people share a name; names that speak against one person (different given names or
patronymics) pull a shared-identifier pair down to a moderate score (a family phone) and rule a
name-only pair out.

Blocking: `blocking_keys` gives each customer a few keys (identifier match keys and name keys
from omnidesk.domain.names); only customers sharing a key are scored, so a scan of n customers
compares a number of pairs near linear in n, not n².
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from omnidesk.domain.identity import Identifier, IdentityKind, email_match_key
from omnidesk.domain.names import compare_names, has_initial, name_block_keys, name_frequency_keys

Lang = Literal["en", "uk", "ru"]

DEFAULT_THRESHOLD = 0.5
# A block of more customers than this is a key too common to tell anything (a shared office
# phone on thousands of records, a test address): its pairs are not enumerated.
MAX_BLOCK_SIZE = 1000


@dataclass(frozen=True)
class CustomerFacts:
    """What the scorer knows of a customer: its id, display name and normalised identifiers."""

    id: int
    name: str
    identities: tuple[Identifier, ...]


# code -> language -> template; params fill {placeholders}.
_REASON_TEXT: dict[str, dict[str, str]] = {
    "same_phone": {
        "en": "same phone number {value}",
        "uk": "однаковий номер телефону {value}",
        "ru": "одинаковый номер телефона {value}",
    },
    "same_email": {
        "en": "same e-mail address {value}",
        "uk": "однакова адреса e-mail {value}",
        "ru": "одинаковый адрес e-mail {value}",
    },
    "same_email_variant": {
        "en": "e-mail addresses {a} and {b} reach the same mailbox",
        "uk": "адреси e-mail {a} і {b} ведуть до однієї скриньки",
        "ru": "адреса e-mail {a} и {b} ведут в один ящик",
    },
    "same_account": {
        "en": "same {channel} account {value}",
        "uk": "той самий обліковий запис {channel} {value}",
        "ru": "тот же аккаунт {channel} {value}",
    },
    "same_external_id": {
        "en": "same id in your own system: {value}",
        "uk": "однаковий ідентифікатор у вашій системі: {value}",
        "ru": "одинаковый идентификатор в вашей системе: {value}",
    },
    "same_handle": {
        "en": "username {value} is also the name of the e-mail address {email}",
        "uk": "ім'я користувача {value} збігається з іменем адреси e-mail {email}",
        "ru": "имя пользователя {value} совпадает с именем адреса e-mail {email}",
    },
    "same_name": {
        "en": "same name: {a} and {b}",
        "uk": "однакове ім'я: {a} і {b}",
        "ru": "одинаковое имя: {a} и {b}",
    },
    "name_translit": {
        "en": "same name in another script: {a} and {b}",
        "uk": "те саме ім'я іншим письмом: {a} і {b}",
        "ru": "то же имя другим алфавитом: {a} и {b}",
    },
    "name_other_language": {
        "en": "same name in another language: {a} and {b}",
        "uk": "те саме ім'я іншою мовою: {a} і {b}",
        "ru": "то же имя на другом языке: {a} и {b}",
    },
    "name_short_form": {
        "en": "short form of the same first name: {a} and {b}",
        "uk": "зменшена форма того самого імені: {a} і {b}",
        "ru": "краткая форма того же имени: {a} и {b}",
    },
    "name_reordered": {
        "en": "same words of the name in another order: {a} and {b}",
        "uk": "ті самі частини імені в іншому порядку: {a} і {b}",
        "ru": "те же части имени в другом порядке: {a} и {b}",
    },
    "name_typo": {
        "en": "names differ by a typo: {a} and {b}",
        "uk": "імена відрізняються опискою: {a} і {b}",
        "ru": "имена отличаются опечаткой: {a} и {b}",
    },
    "name_initials": {
        "en": "an initial matches the name: {a} and {b}",
        "uk": "ініціал відповідає імені: {a} і {b}",
        "ru": "инициал соответствует имени: {a} и {b}",
    },
    "name_partial": {
        "en": "only part of the name matches: {a} and {b}",
        "uk": "збігається лише частина імені: {a} і {b}",
        "ru": "совпадает только часть имени: {a} и {b}",
    },
    "common_name": {
        "en": "the name is common (customers with it: {count})",
        "uk": "ім'я поширене (клієнтів із ним: {count})",
        "ru": "имя распространённое (клиентов с ним: {count})",
    },
    "names_differ": {
        "en": "but the names differ: {a} and {b}",
        "uk": "але імена різні: {a} і {b}",
        "ru": "но имена разные: {a} и {b}",
    },
}

_CHANNEL_NAMES: dict[IdentityKind, str] = {
    IdentityKind.TELEGRAM_ID: "Telegram",
    IdentityKind.TELEGRAM_USERNAME: "Telegram",
    IdentityKind.WHATSAPP: "WhatsApp",
    IdentityKind.VIBER: "Viber",
    IdentityKind.VK: "VK",
    IdentityKind.META: "Instagram/Facebook",
    IdentityKind.WEBCHAT: "web chat",
}
_WEBCHAT_WORDS = {"en": "web chat", "uk": "веб-чату", "ru": "веб-чата"}


@dataclass(frozen=True)
class Reason:
    """Why a pair may be one person: a machine code and the values that fill its words."""

    code: str
    params: dict[str, str] = field(default_factory=dict, hash=False)

    def text(self, lang: str = "en") -> str:
        """The reason in words, in English, Ukrainian or Russian (English for any other language)."""
        templates = _REASON_TEXT.get(self.code)
        if templates is None:
            return self.code
        params = dict(self.params)
        if params.get("channel") == "web chat":
            params["channel"] = _WEBCHAT_WORDS.get(lang, "web chat")
        template = templates.get(lang, templates["en"])
        try:
            return template.format(**params)
        except KeyError:
            return template


@dataclass(frozen=True)
class Match:
    """A possible duplicate pair: a_id < b_id, a score in [0, 1], the reasons strongest first."""

    a_id: int
    b_id: int
    score: float
    reasons: tuple[Reason, ...]


# --- identifiers ---------------------------------------------------------------------------------------

# How strongly one shared identifier of each kind says "one person" on its own.
_IDENTIFIER_WEIGHT: dict[IdentityKind, float] = {
    IdentityKind.PHONE: 0.9,  # shared family and office phones exist
    IdentityKind.WHATSAPP: 0.9,
    IdentityKind.EMAIL: 0.9,
    IdentityKind.TELEGRAM_ID: 0.95,
    IdentityKind.TELEGRAM_USERNAME: 0.9,  # a username can be given up and taken by someone else
    IdentityKind.VIBER: 0.92,
    IdentityKind.VK: 0.95,
    IdentityKind.META: 0.95,
    IdentityKind.EXTERNAL: 0.95,
    IdentityKind.WEBCHAT: 0.7,  # one browser, maybe a shared computer
}
_EMAIL_VARIANT_WEIGHT = 0.85
_HANDLE_WEIGHT = 0.45
_MIN_HANDLE_LENGTH = 6
# A matching name alone is worth this much at most: a suggestion, never a certainty.
_NAME_ONLY_WEIGHT = 0.65
_NAME_KEY_PREFIXES = ("name:", "initial:")
# Shared identifiers but names that speak against one person: keep the pair, but moderate.
_CONFLICT_FACTOR = 0.6
# A weaker name match (one word of two, a lone nickname) is not worth naming as a reason.
_MIN_NAME_REASON_SCORE = 0.3


def identifier_match_key(identifier: Identifier) -> str:
    """The key under which identifiers reaching the same person meet.

    A WhatsApp id is a phone number, so it meets the phone; e-mail addresses meet by their mailbox
    (email_match_key); other kinds meet only their own kind.
    """
    kind, value = identifier.kind, identifier.value
    if kind in (IdentityKind.PHONE, IdentityKind.WHATSAPP):
        return f"phone:{value}"
    if kind is IdentityKind.EMAIL:
        return f"email:{email_match_key(value)}"
    return f"{kind.value}:{value}"


def _handles(c: CustomerFacts) -> dict[str, str]:
    """Handle -> where it came from: Telegram usernames and e-mail local parts long enough to tell."""
    found: dict[str, str] = {}
    for identifier in c.identities:
        if identifier.kind is IdentityKind.TELEGRAM_USERNAME:
            handle = identifier.value
        elif identifier.kind is IdentityKind.EMAIL:
            handle = email_match_key(identifier.value).rpartition("@")[0].replace(".", "_").replace("-", "_")
        else:
            continue
        if len(handle) >= _MIN_HANDLE_LENGTH:
            found.setdefault(handle, identifier.value)
    return found


def _identifier_reasons(a: CustomerFacts, b: CustomerFacts) -> list[tuple[float, Reason]]:
    by_key_a: dict[str, Identifier] = {}
    for identifier in a.identities:
        by_key_a.setdefault(identifier_match_key(identifier), identifier)
    found: dict[str, tuple[float, Reason]] = {}
    for other in b.identities:
        key = identifier_match_key(other)
        mine = by_key_a.get(key)
        if mine is None or key in found:
            continue
        if other.kind is IdentityKind.EMAIL and mine.value != other.value:
            found[key] = (_EMAIL_VARIANT_WEIGHT, Reason("same_email_variant", _ordered_pair(mine.value, other.value)))
            continue
        weight = _IDENTIFIER_WEIGHT[other.kind]
        if key.startswith("phone:"):
            reason = Reason("same_phone", {"value": other.value})
        elif other.kind is IdentityKind.EMAIL:
            reason = Reason("same_email", {"value": other.value})
        elif other.kind is IdentityKind.EXTERNAL:
            reason = Reason("same_external_id", {"value": other.value})
        else:
            value = "@" + other.value if other.kind is IdentityKind.TELEGRAM_USERNAME else other.value
            reason = Reason("same_account", {"channel": _CHANNEL_NAMES[other.kind], "value": value})
        found[key] = (weight, reason)
    if not found:
        handles_a, handles_b = _handles(a), _handles(b)
        for handle in sorted(handles_a.keys() & handles_b.keys()):
            # Only a username meeting an e-mail name counts here; two equal usernames or e-mails
            # were found above.
            values = (handles_a[handle], handles_b[handle])
            emails = [v for v in values if "@" in v]
            if len(emails) == 1:
                found[f"handle:{handle}"] = (
                    _HANDLE_WEIGHT,
                    Reason("same_handle", {"value": handle, "email": emails[0]}),
                )
                break
    return sorted(found.values(), key=lambda item: -item[0])


def _ordered_pair(first: str, second: str) -> dict[str, str]:
    # Params in a fixed order, so that a pair reads the same whichever side it was scored from.
    low, high = sorted((first, second))
    return {"a": low, "b": high}


# --- names ---------------------------------------------------------------------------------------------

_NAME_REASON: dict[str, str] = {
    "same_name": "same_name",
    "same_name_other_script": "name_translit",
    "name_other_language": "name_other_language",
    "name_short_form": "name_short_form",
    "name_typo": "name_typo",
    "name_initial": "name_initials",
    "same_single_name": "name_partial",
    "same_surname_only": "name_partial",
    "same_given_name_only": "name_partial",
    "different_surnames": "name_partial",
}


def name_weight(name_frequency: int) -> float:
    """How much a matching name counts when `name_frequency` customers hold it (1 for a rare name).

    Two records of a name that one customer in the whole base has are far likelier one person
    than two of twenty namesakes; the weight falls with the fourth root of the count, so an exact
    name alone stops being a suggestion once about six customers share it.
    """
    return 1.0 if name_frequency <= 2 else (2 / name_frequency) ** 0.25


def _name_reasons(a: CustomerFacts, b: CustomerFacts) -> tuple[float, bool, list[Reason]]:
    """(name score, names conflict, reasons)."""
    if not a.name.strip() or not b.name.strip():
        return 0.0, False, []
    found = compare_names(a.name, b.name)
    params = _ordered_pair(a.name.strip(), b.name.strip())
    if found.conflict:
        return 0.0, True, [Reason("names_differ", params)]
    code = _NAME_REASON.get(found.code)
    if code is None or found.score < _MIN_NAME_REASON_SCORE:
        return 0.0, False, []
    reasons = [Reason(code, params)]
    if found.reordered:
        reasons.append(Reason("name_reordered", params))
    return found.score, False, reasons


# --- scoring -------------------------------------------------------------------------------------------


def score_pair(
    a: CustomerFacts, b: CustomerFacts, *, threshold: float = DEFAULT_THRESHOLD, name_frequency: int = 1
) -> Match | None:
    """How likely `a` and `b` are one person, with the reasons; None below `threshold`.

    `name_frequency`: how many customers hold the name (the larger count of the two customers'
    name_frequency_keys in the blocking-key table); a common name is weaker evidence. 1 when
    unknown. Symmetric: score_pair(a, b) and score_pair(b, a) give the same Match.
    """
    if a.id == b.id:
        return None
    if b.id < a.id:
        a, b = b, a
    identifier_evidence = _identifier_reasons(a, b)
    name_score, conflict, name_reasons = _name_reasons(a, b)
    missing = 1.0
    for weight, _ in identifier_evidence:
        missing *= 1.0 - weight
    identifier_score = 1.0 - missing
    weight = name_weight(name_frequency)
    if conflict:
        score = identifier_score * _CONFLICT_FACTOR
    else:
        score = 1.0 - (1.0 - identifier_score) * (1.0 - _NAME_ONLY_WEIGHT * weight * name_score)
    score = round(min(1.0, max(0.0, score)), 4)
    if score < threshold or score <= 0.0:
        return None
    if name_reasons and not conflict and weight < 1.0:
        name_reasons.append(Reason("common_name", {"count": str(name_frequency)}))
    reasons = tuple(reason for _, reason in identifier_evidence) + tuple(name_reasons)
    return Match(a.id, b.id, score, reasons)


def blocking_keys(c: CustomerFacts) -> frozenset[str]:
    """The keys under which a possible duplicate of `c` is looked for.

    Two customers that score_pair accepts share at least one key: identifier match keys (phone in
    E.164, e-mail mailbox, account ids), handles (a username and an e-mail name), and the name keys
    of omnidesk.domain.names (given-name group or initial with the surname and its one-typo
    variants). The server stores them in an indexed table for "search before create".
    """
    keys = {identifier_match_key(identifier) for identifier in c.identities}
    keys.update(f"handle:{handle}" for handle in _handles(c))
    if c.name.strip():
        keys |= name_block_keys(c.name)
    return frozenset(keys)


@dataclass(frozen=True)
class DuplicateScan:
    """The outcome of a full scan and what it cost."""

    matches: list[Match]
    pairs_compared: int
    blocks: int
    oversized_blocks: int


def scan_duplicates(customers: Iterable[CustomerFacts], *, threshold: float = DEFAULT_THRESHOLD) -> DuplicateScan:
    """Score every pair of customers that share a blocking key; matches ordered by score, best first.

    Pairs that share only a name key are scored only when the name is rare enough to reach
    `threshold` on its own (name_weight of its frequency); pairs under an initial key only when
    one side has an initial. Everyone else sharing that key has a full name, which the exact
    name keys already pair.
    """
    facts = list(customers)
    blocks: dict[str, list[int]] = defaultdict(list)
    for index, customer in enumerate(facts):
        for key in blocking_keys(customer):
            blocks[key].append(index)
    frequency = [
        max((len(blocks[key]) for key in name_frequency_keys(c.name)), default=1) if c.name.strip() else 1
        for c in facts
    ]
    # The name alone can reach the threshold (a perfect name match) only below this frequency.
    name_can_count = [_NAME_ONLY_WEIGHT * name_weight(f) >= threshold for f in frequency]
    initial = [has_initial(c.name) for c in facts]
    candidates: set[int] = set()
    width = max(len(facts), 1)
    oversized = 0
    used = 0
    for key, members in blocks.items():
        if len(members) < 2:  # most keys: typo variants nobody else has
            continue
        if key.startswith(_NAME_KEY_PREFIXES):
            members = [m for m in members if name_can_count[m]]
            if len(members) < 2:
                continue
        if len(members) > MAX_BLOCK_SIZE:
            oversized += 1
            continue
        used += 1
        only_with_initial = key.startswith("initial:")
        # Members are in ascending index order, so first < second. One int per pair: a set of
        # tuples would cost several times the memory at 10^6 pairs.
        candidates.update(
            first * width + second
            for first, second in itertools.combinations(members, 2)
            if not only_with_initial or initial[first] or initial[second]
        )
    matches: list[Match] = []
    for pair in candidates:
        first, second = divmod(pair, width)
        found = score_pair(
            facts[first], facts[second], threshold=threshold, name_frequency=max(frequency[first], frequency[second])
        )
        if found is not None:
            matches.append(found)
    matches.sort(key=lambda m: (-m.score, m.a_id, m.b_id))
    return DuplicateScan(matches, len(candidates), used, oversized)


def find_duplicates(customers: Iterable[CustomerFacts], *, threshold: float = DEFAULT_THRESHOLD) -> list[Match]:
    """Possible duplicate pairs among `customers`, found by blocking (far from n²), best first."""
    return scan_duplicates(customers, threshold=threshold).matches
