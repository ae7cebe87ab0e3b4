"""Duplicate scoring: identifier and name evidence, reasons in words, blocking, the scan."""

from __future__ import annotations

import itertools
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from omnidesk.domain.duplicates import (
    _REASON_TEXT,
    DEFAULT_THRESHOLD,
    CustomerFacts,
    Match,
    Reason,
    blocking_keys,
    find_duplicates,
    name_weight,
    scan_duplicates,
    score_pair,
)
from omnidesk.domain.identity import normalize
from omnidesk.domain.names import to_latin

Ids = tuple[tuple[str, str], ...]


def customer(id_: int, name: str, *identifiers: tuple[str, str]) -> CustomerFacts:
    return CustomerFacts(id_, name, tuple(normalize(kind, raw) for kind, raw in identifiers))


def pair(name_a: str, ids_a: Ids, name_b: str, ids_b: Ids) -> tuple[CustomerFacts, CustomerFacts]:
    return customer(1, name_a, *ids_a), customer(2, name_b, *ids_b)


PHONE = ("phone", "+380501234567")
# (name a, identifiers a, name b, identifiers b, lowest score, highest score, reason codes that must be given)
LIKELY_ONE_PERSON = [
    ("Oksana Petrenko", (("phone", "050 123 45 67"),), "Петренко Оксана", (PHONE,), 0.9, 1.0,
     {"same_phone", "name_translit", "name_reordered"}),
    ("Oksana Petrenko", (("email", "Oksana.Petrenko@gmail.com"),), "Ксюша Петренко",
     (("email", "oksanapetrenko+shop@googlemail.com"),), 0.9, 1.0, {"same_email_variant", "name_short_form"}),
    ("Oksana Petrenko", (("email", "oksana@ukr.net"),), "", (("email", " OKSANA@UKR.NET"),), 0.85, 0.95,
     {"same_email"}),
    ("Kusya", (("telegram_username", "@Kusya_99"),), "Оксана Петренко", (("telegram_username", "kusya_99"),), 0.85,
     1.0, {"same_account"}),
    ("Іван Мельник", (("whatsapp", "+380671112233"),), "Ivan Melnyk", (("phone", "067 111 22 33"),), 0.9, 1.0,
     {"same_phone", "name_translit"}),
    ("Asel Kurmanova", (("phone", "+7 (701) 123-45-67"),), "Әсел Құрманова", (("phone", "+77011234567"),), 0.9, 1.0,
     {"same_phone"}),
    ("Дмитрий Иванов", (("phone", "+7 (916) 123-45-67"),), "Dmitry Ivanov", (("phone", "+7 916 123 45 67"),), 0.9,
     1.0, {"same_phone"}),
    ("Nataliia Bondar", (("external", "CRM-1042"),), "Наталія Бондар", (("external", "CRM-1042"),), 0.95, 1.0,
     {"same_external_id", "name_translit"}),
    ("Олег Ткачук", (("viber", "AbC123=="),), "Oleh Tkachuk", (("viber", "AbC123=="),), 0.9, 1.0, {"same_account"}),
    ("Оксана Петренко", (("telegram_username", "ksyusha_petrenko"),), "Oksana P.",
     (("email", "ksyusha.petrenko@i.ua"),), 0.5, 0.8, {"same_handle"}),
    # names alone: a moderate suggestion, never a certain one
    ("Оксана Петренко", (), "Oksana Petrenko", (), 0.6, 0.7, {"name_translit"}),
    ("Оксана Петренко", (), "Петренко Оксана", (), 0.6, 0.7, {"same_name", "name_reordered"}),
    ("Ксюша Петренко", (), "Оксана Петренко", (), 0.55, 0.7, {"name_short_form"}),
    ("О. Петренко", (), "Оксана Петренко", (), 0.5, 0.6, {"name_initials"}),
    ("Оксана Петренко", (), "Оксана Петернко", (), 0.55, 0.7, {"name_typo"}),
    ("Alexander Shevchenko", (), "Олександр Шевченко", (), 0.55, 0.7, {"name_other_language"}),
]  # fmt: skip


@pytest.mark.parametrize(("name_a", "ids_a", "name_b", "ids_b", "low", "high", "codes"), LIKELY_ONE_PERSON)
def test_likely_one_person_scores_in_band_with_reasons(
    name_a: str, ids_a: Ids, name_b: str, ids_b: Ids, low: float, high: float, codes: set[str]
) -> None:
    a, b = pair(name_a, ids_a, name_b, ids_b)
    found = score_pair(a, b)
    assert found is not None
    assert low <= found.score <= high
    assert codes <= {r.code for r in found.reasons}
    assert blocking_keys(a) & blocking_keys(b)


# Different people, or too little to tell: no suggestion at the default threshold.
DIFFERENT_PEOPLE = [
    ("Іван Петренко", (), "Олена Петренко", ()),
    ("Іван Петренко", (), "Іванна Петренко", ()),
    ("Олександр Шевченко", (), "Олександра Шевченко", ()),
    ("Oksana Petrenko", (), "Ksenia Petrenko", ()),
    ("Oksana Petrenko", (), "Oksana Shevchenko", ()),
    ("Петренко Оксана Іванівна", (), "Петренко Оксана Петрівна", ()),
    ("Оксана", (), "Оксана Петренко", ()),
    ("Petrenko", (), "Петренко", ()),
    ("О. Петренко", (), "І. Петренко", ()),
    ("Оксана Петренко", (("email", "ivan.petrenko@ukr.net"),), "", (("email", "ivanpetrenko@ukr.net"),)),
    ("Оксана Петренко", (("email", "o.petrenko@outlook.com"),), "Іван Іванов", (("email", "opetrenko@outlook.com"),)),
    ("Оксана Петренко", (("phone", "0501234567"),), "Іван Іванов", (("phone", "0501234568"),)),
    ("Ivan", (("telegram_username", "ivan"),), "Ivan Sydorenko", (("email", "ivan@gmail.com"),)),  # short handle
    ("", (), "", ()),
]


@pytest.mark.parametrize(("name_a", "ids_a", "name_b", "ids_b"), DIFFERENT_PEOPLE)
def test_different_people_are_not_suggested(name_a: str, ids_a: Ids, name_b: str, ids_b: Ids) -> None:
    a, b = pair(name_a, ids_a, name_b, ids_b)
    assert score_pair(a, b) is None


def test_same_name_without_shared_identifiers_is_moderate_not_certain() -> None:
    a, b = pair("Оксана Петренко", (("phone", "0501234567"),), "Оксана Петренко", (("phone", "0671234567"),))
    found = score_pair(a, b)
    assert found is not None and DEFAULT_THRESHOLD <= found.score < 0.8


def test_shared_phone_with_different_first_names_is_moderate_and_says_the_names_differ() -> None:
    # A family or office phone: worth a look, not a merge.
    a, b = pair("Іван Петренко", (PHONE,), "Олена Петренко", (PHONE,))
    found = score_pair(a, b)
    assert found is not None and 0.5 <= found.score < 0.7
    assert [r.code for r in found.reasons] == ["same_phone", "names_differ"]


def test_a_common_name_is_weaker_evidence_and_says_so() -> None:
    a, b = pair("Олена Мельник", (), "Olena Melnyk", ())
    rare = score_pair(a, b)
    common = score_pair(a, b, name_frequency=4)
    assert rare is not None and common is not None and common.score < rare.score
    assert "common_name" in {r.code for r in common.reasons}
    assert score_pair(a, b, name_frequency=30) is None
    # With a shared identifier the pair stays near certain however common the name.
    a, b = pair("Олена Мельник", (PHONE,), "Olena Melnyk", (PHONE,))
    found = score_pair(a, b, name_frequency=30)
    assert found is not None and found.score >= 0.9


def test_name_weight_falls_with_frequency() -> None:
    weights = [name_weight(n) for n in (1, 2, 3, 5, 10, 100)]
    assert weights[0] == weights[1] == 1.0
    assert weights == sorted(weights, reverse=True)


def test_threshold_keeps_or_drops_a_pair() -> None:
    a, b = pair("Оксана Петренко", (), "Петренко Оксана", ())
    assert score_pair(a, b, threshold=0.9) is None
    assert score_pair(a, b, threshold=0.1) is not None


def test_a_customer_is_not_its_own_duplicate() -> None:
    a = customer(7, "Оксана Петренко", PHONE)
    assert score_pair(a, a) is None


def test_match_orders_ids_whatever_the_argument_order() -> None:
    a, b = customer(9, "Оксана Петренко", PHONE), customer(3, "Oksana Petrenko", PHONE)
    found = score_pair(a, b)
    assert found is not None and (found.a_id, found.b_id) == (3, 9)
    assert score_pair(b, a) == found


@pytest.mark.parametrize("code", sorted(_REASON_TEXT))
@pytest.mark.parametrize("lang", ["en", "uk", "ru"])
def test_every_reason_reads_in_words_in_each_language(code: str, lang: str) -> None:
    params = {"value": "+380501234567", "a": "Оксана", "b": "Oksana", "channel": "Telegram", "email": "x@y.ua"}
    params["count"] = "12"
    text = Reason(code, params).text(lang)
    assert "{" not in text and code not in text
    if lang != "en":
        assert text != Reason(code, params).text("en")
        assert re.search("[а-яіїєґ]", text)


def test_reason_words_for_a_real_match() -> None:
    a, b = pair("Oksana Petrenko", (("phone", "050 123 45 67"),), "Петренко Оксана", (PHONE,))
    found = score_pair(a, b)
    assert found is not None
    assert found.reasons[0].text("en") == "same phone number +380501234567"
    assert found.reasons[0].text("uk") == "однаковий номер телефону +380501234567"
    assert found.reasons[0].text("ru") == "одинаковый номер телефона +380501234567"
    assert found.reasons[0].text("de") == found.reasons[0].text("en")
    assert "Oksana Petrenko" in found.reasons[1].text("uk")


def test_web_chat_channel_is_named_in_each_language() -> None:
    a, b = pair("Оксана Петренко", (("webchat", "v-1"),), "", (("webchat", "v-1"),))
    found = score_pair(a, b)
    assert found is not None
    assert "веб-чату" in found.reasons[0].text("uk")
    assert "web chat" in found.reasons[0].text("en")


def test_reasons_hash_and_compare() -> None:
    assert Reason("same_phone", {"value": "1"}) == Reason("same_phone", {"value": "1"})
    assert hash(Reason("same_phone", {"value": "1"})) == hash(Reason("same_phone", {"value": "2"}))


# --- the scan -----------------------------------------------------------------------------------------

PEOPLE = [
    customer(1, "Оксана Петренко", ("phone", "050 123 45 67")),
    customer(2, "Oksana Petrenko", ("phone", "+380501234567")),
    customer(3, "Ксюша Петренко", ("email", "ksyusha@ukr.net")),
    customer(4, "Іван Петренко", ("phone", "0671112233")),
    customer(5, "Олена Петренко", ("phone", "0672223344")),
    customer(6, "Іван Мельник", ("email", "ivan.melnyk@gmail.com")),
    customer(7, "Ivan Melnyk", ("email", "ivanmelnyk@googlemail.com")),
    customer(8, "Петро Іваненко"),
]


def test_find_duplicates_orders_pairs_by_score_with_reasons() -> None:
    found = find_duplicates(PEOPLE)
    pairs = [(m.a_id, m.b_id) for m in found]
    assert set(pairs) == {(1, 2), (1, 3), (2, 3), (6, 7)}
    assert [m.score for m in found] == sorted((m.score for m in found), reverse=True)
    assert all(m.a_id < m.b_id and m.reasons for m in found)
    assert pairs[:2] == [(1, 2), (6, 7)] or pairs[:2] == [(6, 7), (1, 2)]


def test_find_duplicates_agrees_with_score_pair_on_every_pair() -> None:
    found = {(m.a_id, m.b_id): m for m in find_duplicates(PEOPLE)}
    for a, b in itertools.combinations(PEOPLE, 2):
        alone = score_pair(a, b)
        assert ((a.id, b.id) in found) == (alone is not None)
        if alone is not None:
            # The scan knows that three customers hold the name Oksana Petrenko and weighs it a little down.
            assert found[(a.id, b.id)].score <= alone.score


GIVEN = ["Оксана", "Олена", "Іван", "Олександр", "Наталія", "Андрій", "Марія", "Дмитро"]
SURNAMES = ["Петренко", "Шевченко", "Мельник", "Бойко", "Ткачук", "Коваленко", "Гнатюк", "Лисенко", "Кравець"]


def population(size: int) -> list[CustomerFacts]:
    people = []
    for i in range(size):
        given_name, surname = GIVEN[i % len(GIVEN)], SURNAMES[(i // len(GIVEN)) % len(SURNAMES)]
        suffix = "" if i < len(GIVEN) * len(SURNAMES) else f"{i}"  # beyond the grid: rare surnames
        people.append(customer(i, f"{given_name} {surname}{suffix}", ("phone", f"+38050{i:07d}")))
    return people


def test_the_scan_compares_far_fewer_pairs_than_all() -> None:
    people = population(3000)
    scan = scan_duplicates(people)
    assert scan.pairs_compared < 3000 * 2999 // 2 // 100
    assert scan.matches == []  # one person per name, each with their own phone


def test_the_scan_skips_name_only_pairs_of_a_very_common_name() -> None:
    namesakes = [customer(i, "Олена Мельник", ("phone", f"+38050{i:07d}")) for i in range(40)]
    scan = scan_duplicates(namesakes)
    assert scan.pairs_compared == 0 and scan.matches == []
    twins = namesakes[:2]
    assert len(find_duplicates(twins)) == 1  # two holders of a name: a moderate suggestion


# --- properties ---------------------------------------------------------------------------------------

NAME_FORMS = {
    "Оксана": ["Оксана", "Oksana", "Ксюша", "О.", "Оксна"],
    "Олександр": ["Олександр", "Oleksandr", "Alexander", "Саша", "О.", "Олександер"],
    "Наталія": ["Наталія", "Наталья", "Natalia", "Наташа", "Н."],
    "Іван": ["Іван", "Ivan", "Ваня", "І.", "Иван"],
    "Юрій": ["Юрій", "Юрий", "Yurii", "Юра", "Ю."],
}
SURNAME_FORMS = {
    "Петренко": ["Петренко", "Petrenko", "Петернко", "Петренк"],
    "Григоренко": ["Григоренко", "Hryhorenko", "Grigorenko", "Григорнко"],
    "Шевчук": ["Шевчук", "Shevchuk", "Шевчкук"],
    "Ковальова": ["Ковальова", "Kovalova", "Ковальова"],
    "Гончаренко": ["Гончаренко", "Honcharenko", "Гонаренко"],
}
PHONE_FORMS = ["+380501234567", "050 123 45 67", "0501234567", "8 050 123 45 67", "(050) 123-45-67"]


@st.composite
def customers(draw: st.DrawFn, id_: int) -> CustomerFacts:
    given_name = draw(st.sampled_from(sorted(NAME_FORMS)))
    surname = draw(st.sampled_from(sorted(SURNAME_FORMS)))
    parts = [draw(st.sampled_from(NAME_FORMS[given_name])), draw(st.sampled_from(SURNAME_FORMS[surname]))]
    if draw(st.booleans()):
        parts.reverse()
    name = " ".join(parts)
    if draw(st.booleans()):
        name = to_latin(name)
    identifiers: list[tuple[str, str]] = []
    if draw(st.booleans()):
        identifiers.append(("phone", draw(st.sampled_from(PHONE_FORMS))))
    if draw(st.booleans()):
        local = draw(st.sampled_from(["o.petrenko", "opetrenko", "o.petrenko+shop", "petrenko"]))
        identifiers.append(("email", f"{local}@{draw(st.sampled_from(['gmail.com', 'googlemail.com', 'ukr.net']))}"))
    if draw(st.booleans()):
        identifiers.append(("telegram_username", draw(st.sampled_from(["@Kusya_99", "kusya_99", "petrenko_o"]))))
    return customer(id_, name, *identifiers)


@settings(max_examples=300)
@given(customers(1), customers(2))
def test_blocking_covers_every_pair_the_scorer_accepts(a: CustomerFacts, b: CustomerFacts) -> None:
    if score_pair(a, b) is not None:
        assert blocking_keys(a) & blocking_keys(b), (a.name, b.name)


@settings(max_examples=300)
@given(customers(1), customers(2))
def test_scoring_is_symmetric_and_bounded(a: CustomerFacts, b: CustomerFacts) -> None:
    forward, backward = score_pair(a, b, threshold=0.0), score_pair(b, a, threshold=0.0)
    assert forward == backward
    assert forward is None or 0.0 < forward.score <= 1.0


@settings(max_examples=50, deadline=None)
@given(st.lists(st.integers(0, 10**6), min_size=2, max_size=12, unique=True), st.data())
def test_the_scan_finds_exactly_the_accepted_pairs(ids: list[int], data: st.DataObject) -> None:
    people = [data.draw(customers(i)) for i in ids]
    found = find_duplicates(people)
    expected = {
        (m.a_id, m.b_id): m for a, b in itertools.combinations(people, 2) if (m := score_pair(a, b)) is not None
    }
    assert {(m.a_id, m.b_id): m for m in found} == expected or _only_common_names_differ(found, expected)


def _only_common_names_differ(found: list[Match], expected: dict[tuple[int, int], Match]) -> bool:
    # The scan knows how many hold a name and weighs a common one down; score_pair alone does not.
    got = {(m.a_id, m.b_id): m for m in found}
    assert set(got) <= set(expected)
    return all(got[k].score <= expected[k].score for k in got)
