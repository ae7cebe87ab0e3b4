"""Customer identifiers and their canonical forms.

An identifier is stored only in its normalised value, so that a lookup is one indexed equality
whatever form the customer or the operator typed it in.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import phonenumbers


class IdentityKind(StrEnum):
    PHONE = "phone"
    EMAIL = "email"
    EXTERNAL = "external"  # an id in the organisation's own systems, or a generic channel's sender id
    TELEGRAM_ID = "telegram_id"
    TELEGRAM_USERNAME = "telegram_username"
    WHATSAPP = "whatsapp"
    VIBER = "viber"
    VK = "vk"
    META = "meta"
    WEBCHAT = "webchat"


class InvalidIdentifier(ValueError):
    """The value cannot be an identifier of that kind; the message says why in words."""


@dataclass(frozen=True, slots=True)
class Identifier:
    kind: IdentityKind
    value: str


MAX_IDENTIFIER_LENGTH = 320


def normalize_phone(raw: str, default_region: str = "UA") -> str:
    """Return the E.164 form of a phone number typed in any common format."""
    text = raw.strip()
    if not text:
        raise InvalidIdentifier("phone number is empty")
    if text.startswith("00"):
        text = "+" + text[2:]
    region = None if text.startswith("+") else default_region.upper()
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException as exc:
        raise InvalidIdentifier(f"not a phone number: {raw!r}") from exc
    if not phonenumbers.is_possible_number(number):
        raise InvalidIdentifier(f"not a possible phone number: {raw!r}")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalize_email(raw: str) -> str:
    """Return the address trimmed and case-folded; reject what is plainly not an address."""
    text = raw.strip().casefold()
    if text.startswith("mailto:"):
        text = text[len("mailto:") :]
    local, sep, domain = text.rpartition("@")
    if not sep or not local or "." not in domain or any(c.isspace() for c in text):
        raise InvalidIdentifier(f"not an e-mail address: {raw!r}")
    return text


def normalize_username(raw: str) -> str:
    text = raw.strip().lstrip("@").casefold()
    if not text:
        raise InvalidIdentifier("username is empty")
    return text


def normalize_opaque(raw: str) -> str:
    text = raw.strip()
    if not text:
        raise InvalidIdentifier("identifier is empty")
    return text


def normalize(kind: IdentityKind | str, raw: str, default_region: str = "UA") -> Identifier:
    """Normalise `raw` as an identifier of `kind`."""
    kind = IdentityKind(kind)
    if kind is IdentityKind.PHONE or kind is IdentityKind.WHATSAPP:
        value = normalize_phone(raw, default_region)
    elif kind is IdentityKind.EMAIL:
        value = normalize_email(raw)
    elif kind is IdentityKind.TELEGRAM_USERNAME:
        value = normalize_username(raw)
    else:
        value = normalize_opaque(raw)
    if len(value) > MAX_IDENTIFIER_LENGTH:
        raise InvalidIdentifier(f"identifier longer than {MAX_IDENTIFIER_LENGTH} characters")
    return Identifier(kind, value)
