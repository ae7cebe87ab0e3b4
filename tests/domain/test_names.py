"""Names across scripts and forms: transliteration, keys, given-name groups, comparison, blocking keys."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from omnidesk.domain.names import (
    Language,
    _latin_lower,
    compare_names,
    cyrillic_spellings,
    given_name_groups,
    guess_language,
    name_block_keys,
    name_frequency_keys,
    name_key,
    name_search_keys,
    parse_name,
    to_latin,
)

# Examples from the table of the Cabinet of Ministers resolution No. 55 of 27.01.2010 (KMU 2010).
KMU_2010 = [
    ("Алушта", "Alushta"),
    ("Борщагівка", "Borshchahivka"),
    ("Вишгород", "Vyshhorod"),
    ("Гадяч", "Hadiach"),
    ("Згорани", "Zghorany"),
    ("Ґалаґан", "Galagan"),
    ("Єнакієве", "Yenakiieve"),
    ("Гаєвич", "Haievych"),
    ("Короп'є", "Koropie"),
    ("Житомир", "Zhytomyr"),
    ("Закарпаття", "Zakarpattia"),
    ("Їжакевич", "Yizhakevych"),
    ("Кадиївка", "Kadyivka"),
    ("Йосипівка", "Yosypivka"),
    ("Стрий", "Stryi"),
    ("Олексій", "Oleksii"),
    ("Миколаїв", "Mykolaiv"),
    ("Ужгород", "Uzhhorod"),
    ("Біла Церква", "Bila Tserkva"),
    ("Гоща", "Hoshcha"),
    ("Юрій", "Yurii"),
    ("Крюківка", "Kriukivka"),
    ("Яготин", "Yahotyn"),
    ("Ічня", "Ichnia"),
    ("Знам'янка", "Znamianka"),
    ("ЮЛІЯ ЩЕРБАК", "YULIIA SHCHERBAK"),
]


@pytest.mark.parametrize(("cyrillic", "latin"), KMU_2010)
def test_ukrainian_transliterates_by_the_kmu_2010_table(cyrillic: str, latin: str) -> None:
    assert to_latin(cyrillic, "uk") == latin


# ICAO Doc 9303, the table of Russian passports since 2013.
ICAO_RU = [
    ("Щукин", "Shchukin"),
    ("Юлия", "Iuliia"),
    ("Ёлкин", "Elkin"),
    ("Подъячев", "Podieiachev"),
    ("Наталья", "Natalia"),
    ("Хрущёв", "Khrushchev"),
    ("Эрнст Цой", "Ernst Tsoi"),
    ("Выборг", "Vyborg"),
]


@pytest.mark.parametrize(("cyrillic", "latin"), ICAO_RU)
def test_russian_transliterates_by_the_icao_9303_table(cyrillic: str, latin: str) -> None:
    assert to_latin(cyrillic, "ru") == latin


@pytest.mark.parametrize(
    ("text", "language"),
    [("Наталія", "uk"), ("Ґалаґан", "uk"), ("Пётр", "ru"), ("Эдуард", "ru"), ("Наталья", None), ("Oleh", None)],
)
def test_language_is_guessed_by_the_letters_only_one_alphabet_has(text: str, language: str | None) -> None:
    assert guess_language(text) == language


def test_latin_digits_and_kazakh_letters_survive_transliteration() -> None:
    assert to_latin("Oksana 2") == "Oksana 2"
    assert to_latin("Әсел Құрманова") == "Asel Kurmanova"


@pytest.mark.parametrize(
    "spellings",
    [
        ["Ксенія", "Kseniia", "Kseniya", "Ksenia"],
        ["Григоренко", "Hryhorenko", "Grigorenko"],
        ["Олександр", "Oleksandr", "Olexandr"],
        ["Юлія", "Юлия", "Yuliia", "Iuliia", "Yulia", "Julia"],
        ["Шевченко", "Shevchenko", "Schevchenko"],
        ["Ковальчук", "Kovalchuk", "Kowalczuk"],
        ["Жанна", "Zhanna"],
        ["Хомяк", "Хом'як", "Khomiak", "Homyak"],
    ],
)
def test_spellings_of_one_word_share_a_key(spellings: list[str]) -> None:
    assert len({name_key(s) for s in spellings}) == 1


@pytest.mark.parametrize(("first", "second"), [("Іван", "Іванна"), ("Петренко", "Петрушенко"), ("Олена", "Алина")])
def test_different_words_keep_different_keys(first: str, second: str) -> None:
    assert name_key(first) != name_key(second)


def test_a_one_letter_typo_in_cyrillic_is_one_edit_on_the_key() -> None:
    # ч is "ch" in Latin: without code letters, dropping it would be two edits.
    assert name_key("Гончаренко") == "HonCarenko"
    assert name_key("Гонаренко") == "Honarenko"


@pytest.mark.parametrize(
    ("word", "groups"),
    [
        ("Ксюша", {"oksana", "kseniia"}),
        ("Oksana", {"oksana"}),
        ("Саша", {"oleksandr", "oleksandra"}),
        ("Alexander", {"oleksandr"}),
        ("Женя", {"yevhen", "yevheniia"}),
        ("Петренко", set()),
    ],
)
def test_given_name_groups_join_full_and_short_forms_across_languages(word: str, groups: set[str]) -> None:
    assert given_name_groups(word) == groups


def test_latin_word_goes_back_to_likely_cyrillic_spellings() -> None:
    assert cyrillic_spellings("Petrenko")[0] == "петренко"
    assert "григоренко" in cyrillic_spellings("Hryhorenko") or "гриhоренко" not in cyrillic_spellings("Hryhorenko")
    assert "ярослав" in cyrillic_spellings("Yaroslav")[:3]
    assert cyrillic_spellings("") == []


def test_patronymic_is_recognised_only_in_a_three_word_name() -> None:
    kinds = [t.kind.value for t in parse_name("Петренко Оксана Іванівна").tokens]
    assert kinds == ["surname", "given", "patronymic"]
    assert parse_name("Петрович").tokens[0].kind.value == "surname"


# (first, second, code) for one person written two ways
SAME_PERSON = [
    ("Oksana Petrenko", "Оксана Петренко", "same_name_other_script"),
    ("Oksana Petrenko", "Петренко Оксана", "same_name_other_script"),
    ("Ксюша Петренко", "Оксана Петренко", "name_short_form"),
    ("Ksyusha Petrenko", "Оксана Петренко", "name_short_form"),
    ("О. Петренко", "Oksana Petrenko", "name_initial"),
    ("Petrenko O.", "Оксана Петренко", "name_initial"),
    ("Oksana Petrenko", "Oksana Petrneko", "name_typo"),
    ("Віктор Гонаренко", "Віктор Гончаренко", "name_typo"),
    ("Олександр Шевченко", "Саша Шевченко", "name_short_form"),
    ("Alexander Shevchenko", "Олександр Шевченко", "name_other_language"),
    ("Sergey Kuznetsov", "Сергій Кузнецов", "name_other_language"),
    ("Юлия Ковальчук", "Yulia Kovalchuk", "same_name_other_script"),
    ("Dmitry Ivanov", "Дмитрий Иванов", "same_name_other_script"),
    ("Alexey Smirnov", "Алексей Смирнов", "same_name_other_script"),
    ("Mykola Zghurskyi", "Микола Згурський", "same_name_other_script"),
    ("Петренко Оксана Іванівна", "Оксана Петренко", "same_name"),
    ("Kate Smith", "Катерина Сміт", "name_short_form"),
    ("John Smith", "Jon Smith", "name_other_language"),
    ("Наталья Иванова", "Наталія Іванова", "same_name"),
    ("Әсел Құрманова", "Asel Kurmanova", "same_name_other_script"),
]


@pytest.mark.parametrize(("first", "second", "code"), SAME_PERSON)
def test_one_person_written_two_ways_matches_with_the_right_reason(first: str, second: str, code: str) -> None:
    found = compare_names(first, second)
    assert found.code == code
    assert found.score >= 0.75
    assert not found.conflict


def test_word_order_is_reported() -> None:
    assert compare_names("Oksana Petrenko", "Петренко Оксана").reordered
    assert not compare_names("Oksana Petrenko", "Оксана Петренко").reordered


# (first, second, code): different people, or too little to tell
DIFFERENT = [
    ("Іван Петренко", "Олена Петренко", "different_given_names"),
    ("Іван Петренко", "Іванна Петренко", "different_given_names"),
    ("Oksana Petrenko", "Ksenia Petrenko", "different_given_names"),
    ("Олександр Петренко", "Олександра Петренко", "different_given_names"),
    ("Петренко Оксана Іванівна", "Петренко Оксана Петрівна", "different_patronymics"),
    ("Oksana Petrenko", "Oksana Shevchenko", "different_surnames"),
    ("Oksana Petrenko", "Olena Shevchenko", "different_names"),
    ("Іван Петренко", "Петро Іваненко", "different_names"),
    ("Оксана", "Оксана Петренко", "same_given_name_only"),
    ("Petrenko", "Петренко", "same_single_name"),
    ("О. Петренко", "І. Петренко", "different_given_names"),
    ("", "Оксана Петренко", "no_name"),
]


@pytest.mark.parametrize(("first", "second", "code"), DIFFERENT)
def test_different_people_or_too_little_score_low(first: str, second: str, code: str) -> None:
    found = compare_names(first, second)
    assert found.code == code
    assert found.score <= 0.5


def test_reasons_in_words_name_both_names() -> None:
    found = compare_names("Ксюша Петренко", "Оксана Петренко")
    assert "Ксюша Петренко" in found.text and "Оксана Петренко" in found.text


@pytest.mark.parametrize(("first", "second", "code"), SAME_PERSON)
def test_one_person_written_two_ways_shares_a_blocking_key(first: str, second: str, code: str) -> None:
    assert name_block_keys(first) & name_block_keys(second)


def test_one_word_names_have_no_blocking_keys() -> None:
    assert name_block_keys("Оксана") == frozenset()


def test_frequency_keys_are_the_exact_name_among_the_blocking_keys() -> None:
    exact = name_frequency_keys("Олена Мельник")
    assert exact == name_frequency_keys("Melnyk Olena") == name_frequency_keys("Лена Мельник")
    assert exact <= name_block_keys("Олена Мельник")
    assert name_frequency_keys("О. Мельник") <= name_block_keys("Олена Мельник")


def test_search_keys_are_lower_case_latin_and_meet_across_scripts() -> None:
    keys = name_search_keys("Шевченко Ксюша")
    assert keys and all(k.isascii() and k.islower() for k in keys)
    assert "shevchenko" in keys and "oksana" in keys
    assert name_search_keys("Shevchenko") & keys


# --- properties ---------------------------------------------------------------------------------------

COMMON_LETTERS = "абвгдежзийклмнопрстуфхцчшщьюя"


# KMU 2010 writes г as h, so к+г, п+г, т+г, с+г read like х, ф, th, ш in Latin ("kh", "ph"...): a
# customer typing such a name in Latin cannot be told apart either. Real names rarely have them.
DIGRAPH_MAKERS = re.compile("[кптсзцчшщх]ь?г")
CYRILLIC_WORDS = st.text(alphabet=COMMON_LETTERS, min_size=1, max_size=14).filter(
    lambda w: not DIGRAPH_MAKERS.search(w)
)


@given(CYRILLIC_WORDS)
def test_ukrainian_and_russian_romanisations_of_one_word_meet_on_the_key(word: str) -> None:
    assert name_key(to_latin(word, "uk")) == name_key(to_latin(word, "ru"))


NAME_PARTS = st.sampled_from(
    ["Оксана", "Oksana", "Ксюша", "О.", "Петренко", "Petrenko", "Petrneko", "Іван", "Іванна", "Іванівна", "Smith"]
)


@given(st.lists(NAME_PARTS, min_size=0, max_size=4), st.lists(NAME_PARTS, min_size=0, max_size=4))
def test_comparison_is_symmetric(first: list[str], second: list[str]) -> None:
    a, b = " ".join(first), " ".join(second)
    assert compare_names(a, b) == compare_names(b, a)
    assert 0.0 <= compare_names(a, b).score <= 1.0


MIXED_TEXT = st.text(alphabet="абвгґдеєжзиіїйклмнопрстуфхцчшщьюяёъыэАБГҐЄЇЙЮЯЁЫЭІabcdeyAZ '’ʼ`-.1ҚәӘ", max_size=16)


@given(MIXED_TEXT, st.sampled_from(["uk", "ru", None]))
def test_fast_lower_case_transliteration_agrees_with_to_latin(text: str, language: Language | None) -> None:
    assert _latin_lower(text, language) == to_latin(text, language).lower()
