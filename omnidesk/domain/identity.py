"""Customer identifiers and their canonical forms.

An identifier is stored only in its normalised value, so that a lookup is one indexed equality
whatever form the customer or the operator typed it in.
"""

from __future__ import annotations

import re
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
    INSTAGRAM = "instagram"  # an Instagram-scoped user id (IGSID); Messenger's page-scoped ids are "meta"
    MAX = "max"
    WEBCHAT = "webchat"


class InvalidIdentifier(ValueError):
    """The value cannot be an identifier of that kind; the message says why in words."""


@dataclass(frozen=True, slots=True)
class Identifier:
    kind: IdentityKind
    value: str


MAX_IDENTIFIER_LENGTH = 320


_POSSIBLE = phonenumbers.ValidationResult.IS_POSSIBLE
_PHONE_PUNCTUATION = re.compile(r"[\s().\-/]")


def _parse_phone(text: str, region: str | None) -> phonenumbers.PhoneNumber | None:
    try:
        return phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None


def normalize_phone(raw: str, default_region: str = "UA") -> str:
    """Return the E.164 form of a phone number typed in any common format.

    Beyond what phonenumbers reads by itself: "00" as the international prefix, the Soviet-era
    trunk prefix "8" still typed in Ukraine ("8 050 123 45 67"), and a foreign number typed in full
    without its "+" ("79161234567" on a Ukrainian desk).
    """
    text = raw.strip()
    if not text:
        raise InvalidIdentifier("phone number is empty")
    if text.lower().startswith("tel:"):
        text = text[4:].strip()
    if text.startswith("00"):
        text = "+" + text[2:]
    region = default_region.upper()
    digits = _PHONE_PUNCTUATION.sub("", text)
    if region == "UA" and digits.isdigit() and len(digits) == 11 and digits.startswith("80"):
        # Ukraine dropped the long-distance "8" in 2009 (0XX is the trunk code now), but people
        # and old address books still write 8 050 ...: read it as 050 ...
        text = digits[1:]
    number = _parse_phone(text, None if text.startswith("+") else region)
    if number is None and not any(c.isdigit() for c in text):
        raise InvalidIdentifier(f"not a phone number: {raw!r}")
    if not text.startswith("+") and digits.isdigit() and (number is None or not phonenumbers.is_valid_number(number)):
        international = _parse_phone("+" + digits, None)
        if international is not None and phonenumbers.is_valid_number(international):
            number = international
    # IS_POSSIBLE only: a number possible "locally only" (a few digits) reaches nobody from outside.
    if number is None or phonenumbers.is_possible_number_with_reason(number) != _POSSIBLE:
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


# --- e-mail variants ---------------------------------------------------------------------------

# Providers whose documented behaviour makes several spellings reach one mailbox. A provider not
# listed keeps every character: "ivan.petrenko@ukr.net" and "ivanpetrenko@ukr.net" may be two people.
_EMAIL_DOMAIN_ALIASES: dict[str, str] = {
    "googlemail.com": "gmail.com",
    # Yandex serves one mailbox under all its domains.
    "ya.ru": "yandex.ru", "yandex.ua": "yandex.ru", "yandex.kz": "yandex.ru", "yandex.by": "yandex.ru",
    "yandex.com": "yandex.ru", "narod.ru": "yandex.ru",
    # One Apple ID namespace behind the three domains.
    "me.com": "icloud.com", "mac.com": "icloud.com",
    "protonmail.com": "proton.me", "protonmail.ch": "proton.me", "pm.me": "proton.me",
    "fastmail.fm": "fastmail.com",
}  # fmt: skip
# Providers that document "name+anything@" as delivered to "name@" (sub-addressing).
_PLUS_TAG_DOMAINS = frozenset(
    {"gmail.com", "outlook.com", "hotmail.com", "live.com", "msn.com", "icloud.com", "proton.me", "fastmail.com",
     "yandex.ru", "zoho.com"}
)  # fmt: skip


def email_match_key(normalised_email: str) -> str:
    """The mailbox an address reaches, as far as the provider documents it.

    Gmail ignores dots and "+tag" in the local part, and googlemail.com is gmail.com; Yandex treats
    "." and "-" in a login as the same and serves every Yandex domain; Outlook, iCloud, Proton,
    Fastmail and Zoho drop a "+tag". Every other provider keeps the address as it is.
    """
    local, _, domain = normalised_email.strip().casefold().rpartition("@")
    domain = _EMAIL_DOMAIN_ALIASES.get(domain, domain)
    if domain in _PLUS_TAG_DOMAINS:
        local = local.split("+", 1)[0] or local
    if domain == "gmail.com":
        local = local.replace(".", "")
    elif domain == "yandex.ru":
        local = local.replace(".", "-")
    return f"{local}@{domain}"


# --- what a typed search string could be -------------------------------------------------------------

_TELEGRAM_LINK = re.compile(r"^(?:https?://)?(?:t\.me|telegram\.me)/([A-Za-z][A-Za-z0-9_]{3,31})/?$", re.IGNORECASE)
_VK_LINK = re.compile(r"^(?:https?://)?(?:m\.)?vk\.com/(?:id(\d+)|([A-Za-z0-9_.]+))/?$", re.IGNORECASE)
_USERNAME = re.compile(r"^@?[A-Za-z][A-Za-z0-9_]{3,31}$")  # Telegram: 5-32 characters; 4 for old names
_PHONE_LIKE = re.compile(r"^\+?[\d\s().\-/]{5,}$")
_DIGITS = re.compile(r"^\d+$")


def _try(kind: IdentityKind, raw: str, default_region: str) -> Identifier | None:
    try:
        return normalize(kind, raw, default_region)
    except InvalidIdentifier:
        return None


def search_forms(raw: str, default_region: str = "UA") -> list[Identifier]:
    """The identifiers a string typed into the customer search could be, most likely first.

    "050 123 45 67" is a phone; "@Kusya_99" and "t.me/Kusya_99" a Telegram username; an address
    with "@" in the middle an e-mail; a bare number could also be a Telegram, VK or Meta id or an id
    in the organisation's own system. Each form is normalised, so the server looks each up by one
    indexed equality. An empty list means the text can only be a name.
    """
    text = raw.strip()
    if not text or len(text) > MAX_IDENTIFIER_LENGTH:
        return []
    found: list[Identifier | None] = []
    if "@" in text.lstrip("@") or text.lower().startswith("mailto:"):
        found.append(_try(IdentityKind.EMAIL, text, default_region))
    if link := _TELEGRAM_LINK.match(text):
        found.append(_try(IdentityKind.TELEGRAM_USERNAME, link.group(1), default_region))
    elif link := _VK_LINK.match(text):
        found.append(_try(IdentityKind.VK, link.group(1) or link.group(2), default_region))
    elif _USERNAME.match(text):
        found.append(_try(IdentityKind.TELEGRAM_USERNAME, text, default_region))
    if _PHONE_LIKE.match(text) and sum(c.isdigit() for c in text) >= 6:
        phone = _try(IdentityKind.PHONE, text, default_region)
        # A search offers a phone only when the number exists in the numbering plan: a merely
        # "possible" length would turn every order number into a phone.
        if phone is not None and phonenumbers.is_valid_number(phonenumbers.parse(phone.value)):
            found.append(phone)
    is_link = bool(_TELEGRAM_LINK.match(text) or _VK_LINK.match(text))
    opaque = not is_link and not text.startswith("@") and not any(c.isspace() for c in text)
    opaque_kinds: tuple[IdentityKind, ...] = ()
    if opaque and _DIGITS.match(text):
        opaque_kinds = (IdentityKind.TELEGRAM_ID, IdentityKind.VK, IdentityKind.META, IdentityKind.EXTERNAL)
    elif opaque and any(c.isdigit() for c in text) and any(c.isalpha() for c in text):
        # Ids of letters and digits (Viber, web chat visitors, order systems); a bare word is a
        # name, and "+380..." was a phone above.
        opaque_kinds = (IdentityKind.EXTERNAL, IdentityKind.VIBER, IdentityKind.WEBCHAT)
    found.extend(_try(kind, text, default_region) for kind in opaque_kinds)
    unique: dict[Identifier, None] = {}
    for identifier in found:
        if identifier is not None:
            unique.setdefault(identifier, None)
    return list(unique)
