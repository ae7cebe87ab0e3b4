"""What each messenger channel kind (Viber, VK, Meta, Instagram, MAX) needs from the administrator, and what
OmniDesk generates for it itself. ``mode=poll`` (VK, MAX) has the server long-poll the platform instead of waiting
for its webhook (a server without a public address)."""

from __future__ import annotations

import re
import secrets
import string
from dataclasses import dataclass


@dataclass(frozen=True)
class KindSetup:
    title: str
    secrets: tuple[str, ...]  # given by the administrator (from the platform's console)
    optional_secrets: tuple[str, ...] = ()
    generated: tuple[str, ...] = ()  # made here when not given, shown once, entered in the platform's console
    options: tuple[str, ...] = ()  # public settings that must be given
    optional_options: tuple[str, ...] = ()


KINDS: dict[str, KindSetup] = {
    "viber": KindSetup("Viber", ("auth_token",), optional_options=("sender_name", "sender_avatar")),
    "vk": KindSetup(
        "VK",
        ("access_token",),
        optional_secrets=("confirmation",),
        generated=("secret",),
        options=("group_id",),
        optional_options=("api_version", "mode"),
    ),
    "meta": KindSetup(
        "Facebook Messenger",
        ("app_secret", "page_access_token"),
        generated=("verify_token",),
        options=("page_id",),
        optional_options=("app_id",),
    ),
    "instagram": KindSetup(
        "Instagram",
        ("app_secret", "page_access_token"),
        generated=("verify_token",),
        options=("account_id",),
        optional_options=("app_id",),
    ),
    "max": KindSetup("MAX", ("access_token",), generated=("webhook_secret",), optional_options=("rate", "mode")),
}

_MAX_SECRET = re.compile(r"^[A-Za-z0-9_-]{5,256}$")


def generate(kind: str) -> str:
    """A fresh secret in the alphabet the platform accepts: VK's secret key is up to 50 latin letters and digits,
    MAX's 5-256 of A-Z a-z 0-9 _ -, Meta's verify token any string."""
    if kind == "vk":
        alphabet = string.ascii_letters + string.digits
        return "".join(secrets.choice(alphabet) for _ in range(32))
    return secrets.token_urlsafe(32)


def check(kind: str, secrets_: dict[str, str], options: dict[str, str]) -> None:
    """ValueError naming what is missing or malformed."""
    setup = KINDS.get(kind)
    if setup is None:
        raise ValueError(f"unknown messenger kind {kind!r}: one of {', '.join(KINDS)}")
    missing = [s for s in setup.secrets if not secrets_.get(s)] + [o for o in setup.options if not options.get(o)]
    if missing:
        raise ValueError(f"a {setup.title} channel needs: {', '.join(missing)}")
    known = set(setup.secrets) | set(setup.optional_secrets) | set(setup.generated)
    unknown = sorted(set(secrets_) - known)
    unknown += sorted(set(options) - set(setup.options) - set(setup.optional_options))
    if unknown:
        raise ValueError(f"a {setup.title} channel has no setting {', '.join(unknown)}")
    if kind == "vk" and not str(options["group_id"]).lstrip("-").isdigit():
        raise ValueError("group_id is the community's number")
    if options.get("mode") not in (None, "webhook", "poll"):
        raise ValueError("mode must be webhook or poll")
    if kind == "max" and secrets_.get("webhook_secret") and not _MAX_SECRET.match(secrets_["webhook_secret"]):
        raise ValueError("webhook_secret: 5-256 characters of A-Z a-z 0-9 _ -")
