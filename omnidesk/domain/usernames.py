"""User names people cannot be fooled by, and display names that cannot reorder what is shown around them.

A user name is what an admin reads in the audit log and what a colleague picks in a list: "аdmin" with a Cyrillic
"а" must not pass for "admin". So a user name is NFKC-normalised, has no control, format (zero-width, bidi) or space
characters, uses the letters of one script only (plus digits and ``. _ - @``), and must differ from every existing
name by more than case and look-alike letters (its *skeleton*). Display names are free text, but bidi controls,
zero-width and control characters are removed (they can make "evil.exe" read as "exe.live").
"""

from __future__ import annotations

import unicodedata

ALLOWED_PUNCTUATION = frozenset("._-@")
BIDI_AND_INVISIBLE = frozenset(
    "\u061c\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2060\u2061\u2062\u2063\u2064"
    "\u2066\u2067\u2068\u2069\ufeff\u00ad\u180e"
)
# Letters of other scripts that look like Latin ones (Unicode confusables, the ones that matter in practice).
_LOOKALIKES = str.maketrans(
    {
        # Cyrillic
        "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p", "с": "c",
        "т": "t", "у": "y", "х": "x", "і": "i", "ї": "i", "ј": "j", "ѕ": "s", "һ": "h", "ԁ": "d", "ԛ": "q",
        "ԝ": "w", "ү": "y", "ӏ": "l",
        # Greek
        "α": "a", "β": "b", "ε": "e", "η": "n", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p", "τ": "t",
        "υ": "u", "χ": "x", "ω": "w",
        # digits and signs that read as letters
        "0": "o", "1": "l", "|": "l", "i": "l", "ı": "l",
    }
)  # fmt: skip


class BadUserName(ValueError):
    pass


def _script(ch: str) -> str | None:
    """A coarse script of a letter from its Unicode name ("LATIN", "CYRILLIC", ...); None for non-letters."""
    if not ch.isalpha():
        return None
    name = unicodedata.name(ch, "")
    return name.split(" ", 1)[0] if name else "UNKNOWN"


def check_username(value: str) -> str:
    """The user name as stored (NFKC, stripped), or BadUserName saying what is wrong with it."""
    name = unicodedata.normalize("NFKC", value.strip())
    if not name:
        raise BadUserName("the user name is empty")
    if len(name) > 150:
        raise BadUserName("the user name is longer than 150 characters")
    scripts = set()
    for ch in name:
        category = unicodedata.category(ch)
        if category[0] in "CZ" or ch in BIDI_AND_INVISIBLE:
            raise BadUserName(f"the user name contains a space, control or invisible character (U+{ord(ch):04X})")
        if ch.isalpha():
            scripts.add(_script(ch))
        elif not ch.isdigit() and ch not in ALLOWED_PUNCTUATION:
            raise BadUserName(f"the user name may contain letters, digits and . _ - @ only, not {ch!r}")
        elif ch.isdigit() and not ch.isascii():
            raise BadUserName(f"the user name may contain the digits 0-9 only, not {ch!r}")
    if len(scripts) > 1:
        raise BadUserName(f"the user name mixes the letters of several scripts ({', '.join(sorted(scripts))})")
    return name


def skeleton(name: str) -> str:
    """What a user name looks like, case and look-alike letters folded: two names with one skeleton are confusable."""
    folded = unicodedata.normalize("NFKC", name).casefold().translate(_LOOKALIKES)
    return folded.replace("rn", "m").replace("vv", "w")


def clean_display_name(value: str) -> str:
    """A display name without bidi controls, zero-width or control characters, whitespace collapsed."""
    kept = "".join(
        " " if unicodedata.category(ch) in ("Zs", "Zl", "Zp") or ch in "\t\r\n" else ch
        for ch in unicodedata.normalize("NFC", value)
        if (ch not in BIDI_AND_INVISIBLE and unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co", "Cn"))
        or ch in "\t\r\n"
    )
    return " ".join(kept.split())
