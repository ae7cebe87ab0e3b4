"""Identifiers: phones to E.164, e-mails, usernames, mailbox keys, what a typed search could be."""

from __future__ import annotations

import phonenumbers
import pytest
from hypothesis import given
from hypothesis import strategies as st

from omnidesk.domain.identity import (
    Identifier,
    IdentityKind,
    InvalidIdentifier,
    email_match_key,
    normalize,
    search_forms,
)

# (typed, desk's default region, E.164)
PHONES = [
    # Ukraine: every way people write a mobile number
    ("050 123 45 67", "UA", "+380501234567"),
    ("+380501234567", "UA", "+380501234567"),
    ("0501234567", "UA", "+380501234567"),
    ("380501234567", "UA", "+380501234567"),
    ("(050) 123-45-67", "UA", "+380501234567"),
    ("+38 (050) 123-45-67", "UA", "+380501234567"),
    ("+380 50 123 4567", "UA", "+380501234567"),
    ("8 050 123 45 67", "UA", "+380501234567"),  # the pre-2009 long-distance 8, still typed
    ("8-050-123-45-67", "UA", "+380501234567"),
    ("00380501234567", "UA", "+380501234567"),
    ("tel:+380501234567", "UA", "+380501234567"),
    ("  067.765.43.21 ", "UA", "+380677654321"),
    ("044 234 56 78", "UA", "+380442345678"),  # Kyiv landline
    ("+380 44 234 5678", "RU", "+380442345678"),
    # Kazakhstan: trunk prefix 8, country code 7 shared with Russia
    ("8 701 123 4567", "KZ", "+77011234567"),
    ("+7 701 123 45 67", "UA", "+77011234567"),
    ("87011234567", "KZ", "+77011234567"),
    ("77011234567", "UA", "+77011234567"),  # full number without "+" on a Ukrainian desk
    ("8 (727) 258-12-34", "KZ", "+77272581234"),  # Almaty landline
    # Russia
    ("8 (916) 123-45-67", "RU", "+79161234567"),
    ("+7 916 123-45-67", "UA", "+79161234567"),
    ("79161234567", "UA", "+79161234567"),
    ("8 495 123 45 67", "RU", "+74951234567"),
    # International
    ("+1 (415) 555-2671", "UA", "+14155552671"),
    ("0044 20 7946 0958", "UA", "+442079460958"),
    ("+44 7700 900123", "KZ", "+447700900123"),
    ("+48 512 345 678", "UA", "+48512345678"),
    ("+49 30 1234567", "UA", "+49301234567"),
    ("+995 599 12 34 56", "UA", "+995599123456"),
]


@pytest.mark.parametrize(("typed", "region", "e164"), PHONES)
def test_phone_typed_in_any_usual_format_normalises_to_e164(typed: str, region: str, e164: str) -> None:
    assert normalize(IdentityKind.PHONE, typed, region) == Identifier(IdentityKind.PHONE, e164)


@pytest.mark.parametrize(("typed", "region", "e164"), PHONES)
def test_whatsapp_id_is_the_phone_number(typed: str, region: str, e164: str) -> None:
    assert normalize("whatsapp", typed, region).value == e164


@pytest.mark.parametrize(
    "typed",
    ["", "   ", "abc", "12", "050 12", "+380 50 123 45 67 89 01 23", "не номер", "++--", "tel:"],
)
def test_what_is_not_a_phone_is_refused_with_a_reason(typed: str) -> None:
    with pytest.raises(InvalidIdentifier, match=r"phone"):
        normalize(IdentityKind.PHONE, typed, "UA")


EMAILS = [
    ("Oksana.Petrenko@Gmail.com", "oksana.petrenko@gmail.com"),
    ("  ivan@ukr.net \n", "ivan@ukr.net"),
    ("mailto:Info@Example.COM.UA", "info@example.com.ua"),
    ("ÖZLEM@EXAMPLE.DE", "özlem@example.de"),
    ("Олена@пошта.укр", "олена@пошта.укр"),
]


@pytest.mark.parametrize(("typed", "normalised"), EMAILS)
def test_email_is_trimmed_and_case_folded(typed: str, normalised: str) -> None:
    assert normalize(IdentityKind.EMAIL, typed).value == normalised


@pytest.mark.parametrize("typed", ["", "ivan", "ivan@", "@ukr.net", "ivan@localhost", "ivan petrenko@ukr.net"])
def test_what_is_not_an_email_is_refused(typed: str) -> None:
    with pytest.raises(InvalidIdentifier):
        normalize(IdentityKind.EMAIL, typed)


# (first, second, same mailbox?)
EMAIL_MAILBOXES = [
    ("oksana.petrenko@gmail.com", "oksanapetrenko@gmail.com", True),
    ("oksana.petrenko@gmail.com", "o.ksana.petrenko+shop@googlemail.com", True),
    ("ivan.petrenko@outlook.com", "ivan.petrenko+orders@outlook.com", True),
    ("ivan.petrenko@outlook.com", "ivanpetrenko@outlook.com", False),  # Outlook keeps dots
    ("ivan.petrenko@ukr.net", "ivanpetrenko@ukr.net", False),  # unknown provider: every character counts
    ("ivan.petrenko@ukr.net", "ivan.petrenko+x@ukr.net", False),  # no documented sub-addressing
    ("ivan.petrov@yandex.ru", "ivan-petrov@ya.ru", True),
    ("ivan.petrov@yandex.kz", "ivan.petrov+shop@yandex.ru", True),
    ("anna@me.com", "anna@icloud.com", True),
    ("anna+news@proton.me", "anna@protonmail.com", True),
    ("anna@gmail.com", "anna@mail.ru", False),
    ("anna@i.ua", "anna@ukr.net", False),
]


@pytest.mark.parametrize(("first", "second", "same"), EMAIL_MAILBOXES)
def test_email_match_key_joins_what_the_provider_delivers_to_one_mailbox(first: str, second: str, same: bool) -> None:
    assert (email_match_key(first) == email_match_key(second)) is same


@pytest.mark.parametrize(
    ("typed", "normalised"),
    [("@Kusya_99", "kusya_99"), ("Kusya_99", "kusya_99"), ("  @@OKSANA ", "oksana")],
)
def test_username_loses_at_sign_and_case(typed: str, normalised: str) -> None:
    assert normalize(IdentityKind.TELEGRAM_USERNAME, typed).value == normalised


@pytest.mark.parametrize("kind", ["telegram_id", "viber", "vk", "meta", "webchat", "external"])
def test_opaque_ids_are_only_trimmed(kind: str) -> None:
    assert normalize(kind, "  AbC+/123==  ").value == "AbC+/123=="
    with pytest.raises(InvalidIdentifier):
        normalize(kind, "   ")


def test_unknown_kind_and_overlong_values_are_refused() -> None:
    with pytest.raises(ValueError):
        normalize("carrier_pigeon", "x")
    with pytest.raises(InvalidIdentifier, match="longer"):
        normalize(IdentityKind.EXTERNAL, "x" * 321)


def forms(typed: str, region: str = "UA") -> set[tuple[str, str]]:
    return {(i.kind.value, i.value) for i in search_forms(typed, region)}


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("050 123 45 67", {("phone", "+380501234567")}),
        ("+380501234567", {("phone", "+380501234567")}),
        ("8 050 123 45 67", {("phone", "+380501234567")}),
        ("@Kusya_99", {("telegram_username", "kusya_99")}),
        ("t.me/Kusya_99", {("telegram_username", "kusya_99")}),
        ("https://telegram.me/kusya_99/", {("telegram_username", "kusya_99")}),
        ("https://vk.com/id42", {("vk", "42")}),
        (" Oksana.P@Gmail.com ", {("email", "oksana.p@gmail.com")}),
        ("Оксана", set()),
        ("Оксана Петренко", set()),
        ("", set()),
    ],
)
def test_search_forms_say_what_a_typed_string_could_be(typed: str, expected: set[tuple[str, str]]) -> None:
    assert forms(typed) == expected


def test_bare_number_may_be_a_phone_or_an_account_id() -> None:
    found = forms("0501234567")
    assert ("phone", "+380501234567") in found
    assert {("telegram_id", "0501234567"), ("external", "0501234567")} <= found
    assert search_forms("0501234567")[0].kind is IdentityKind.PHONE  # most likely first
    # An order number is not offered as a phone: +380123456789 is possible but not in the numbering plan.
    assert not any(kind == "phone" for kind, _ in forms("123456789"))


def test_username_typed_without_at_may_also_be_an_id() -> None:
    found = forms("Kusya_99")
    assert ("telegram_username", "kusya_99") in found
    assert ("external", "Kusya_99") in found


# --- properties ---------------------------------------------------------------------------------------

UA_PREFIXES = ["50", "63", "66", "67", "68", "73", "93", "95", "96", "97", "98", "99", "44", "32", "56"]


@st.composite
def ukrainian_numbers(draw: st.DrawFn) -> tuple[str, str]:
    """(a number typed in one of the usual formats, its E.164)."""
    nsn = draw(st.sampled_from(UA_PREFIXES)) + draw(st.from_regex(r"\A[2-9][0-9]{6}\Z"))
    layout = draw(
        st.sampled_from(
            [
                "+380{n}",
                "0{n}",
                "380{n}",
                "8 0{n}",
                "0{a} {b} {c} {d}",
                "(0{a}) {b}-{c}-{d}",
                "+38 0{a} {b} {c}{d}",
                "00380{n}",
            ]
        )
    )
    typed = layout.format(n=nsn, a=nsn[:2], b=nsn[2:5], c=nsn[5:7], d=nsn[7:])
    return typed, "+380" + nsn


@given(ukrainian_numbers())
def test_any_layout_of_a_ukrainian_number_gives_its_e164(number: tuple[str, str]) -> None:
    typed, e164 = number
    assert normalize(IdentityKind.PHONE, typed, "UA").value == e164


@given(ukrainian_numbers(), st.sampled_from(["UA", "KZ", "RU", "PL", "US"]))
def test_phone_normalisation_is_idempotent_whatever_the_desk_region(number: tuple[str, str], region: str) -> None:
    once = normalize(IdentityKind.PHONE, number[1], region)
    assert normalize(IdentityKind.PHONE, once.value, region) == once
    assert phonenumbers.is_valid_number(phonenumbers.parse(once.value))


EMAIL_LOCAL = st.from_regex(r"\A[a-zA-Z0-9][a-zA-Z0-9._+-]{0,20}\Z")
EMAIL_DOMAIN = st.sampled_from(["gmail.com", "GoogleMail.com", "ukr.net", "Yandex.ru", "outlook.com", "i.ua"])


@given(EMAIL_LOCAL, EMAIL_DOMAIN, st.sampled_from(["", " ", "\t"]))
def test_email_normalisation_and_mailbox_key_are_idempotent(local: str, domain: str, pad: str) -> None:
    once = normalize(IdentityKind.EMAIL, f"{pad}{local}@{domain}{pad}")
    assert normalize(IdentityKind.EMAIL, once.value) == once
    key = email_match_key(once.value)
    assert email_match_key(key) == key


@given(st.sampled_from(list(IdentityKind)), st.text(min_size=1, max_size=40))
def test_normalize_is_idempotent_for_every_kind(kind: IdentityKind, raw: str) -> None:
    try:
        once = normalize(kind, raw)
    except InvalidIdentifier:
        return
    assert normalize(kind, once.value) == once
