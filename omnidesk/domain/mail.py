"""The rules of an e-mail reply that the client and the server both apply: what an address looks like, how a list
of addresses is read from what an operator types, and the subject of a reply ("Re: " once, never "Re: Re: ")."""

from __future__ import annotations

import re
from email.utils import getaddresses

__all__ = ["ADDRESS_PATTERN", "is_address", "read_addresses", "reply_envelope", "reply_subject"]

# One mailbox as it goes into a To or Cc header: local part, "@", a domain with a dot. No spaces, brackets, commas,
# quotes or line breaks, so an address can never carry a second header or a second recipient.
ADDRESS_PATTERN = (
    r"^[^@\s<>()\[\],;:\"\\]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}\.)*[A-Za-z0-9-]{0,62}\.[A-Za-z]{2,63}$"
)
_ADDRESS = re.compile(ADDRESS_PATTERN)
SUBJECT_PATTERN = r"^[^\r\n]*$"


def is_address(value: str) -> bool:
    return len(value) <= 320 and bool(_ADDRESS.match(value))


def read_addresses(text: str) -> tuple[list[str], list[str]]:
    """The addresses in ``text`` ("Anna <anna@x.ua>, b@y.com; c@z") and the parts that are not addresses.

    Each address appears once (case-insensitively), in the order typed."""
    valid: list[str] = []
    invalid: list[str] = []
    seen: set[str] = set()
    for part in re.split(r"[,;\n]", text):
        part = part.strip()
        if not part:
            continue
        parsed = getaddresses([part])
        address = parsed[0][1].strip() if len(parsed) == 1 else ""
        if not is_address(address):
            invalid.append(part)
        elif address.lower() not in seen:
            seen.add(address.lower())
            valid.append(address)
    return valid, invalid


def reply_subject(subject: str | None) -> str:
    """The subject of a reply: the original's with "Re: " in front, kept as it is when it already has one."""
    subject = (subject or "").strip()
    if not subject:
        return "Re: your request"
    return subject if re.match(r"^re\s*:", subject, re.IGNORECASE) else f"Re: {subject}"


def reply_envelope(
    *,
    sender: str | None,
    to: list[str],
    cc: list[str],
    subject: str | None,
    mailbox: str | None,
    everyone: bool,
) -> tuple[list[str], list[str], str]:
    """(To, Cc, subject) of an answer to a letter: the sender; with ``everyone`` also every other recipient in Cc,
    never the mailbox itself (a mail to ourselves would be read back in as a new letter) nor anyone twice. A letter
    the mailbox sent (our reply) is answered as mail programs answer one's own sent letter: to its recipients (To),
    with ``everyone`` its Cc too."""
    own = (mailbox or "").strip().lower()
    ours = bool(own) and (sender or "").strip().lower() == own
    if ours:
        first = list(dict.fromkeys(a.strip() for a in to if is_address((a or "").strip()) and a.strip().lower() != own))
    else:
        first = [sender] if sender and is_address(sender) and sender.lower() != own else []
    seen = {a.lower() for a in first} | {own}
    copies: list[str] = []
    if everyone:
        for address in cc if ours else [*to, *cc]:
            address = (address or "").strip()
            if is_address(address) and address.lower() not in seen:
                seen.add(address.lower())
                copies.append(address)
    if not first and copies:
        first = [copies.pop(0)]
    return first, copies, reply_subject(subject).replace("\r", " ").replace("\n", " ")[:998]
