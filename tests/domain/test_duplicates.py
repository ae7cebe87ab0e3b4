"""Duplicate scoring: identifier and name evidence, reasons in words, blocking, the scan."""

from __future__ import annotations

from omnidesk.domain.duplicates import (
    CustomerFacts,
    blocking_keys,
    score_pair,
)
from omnidesk.domain.identity import normalize


def customer(id_: int, name: str, *identifiers: tuple[str, str]) -> CustomerFacts:
    return CustomerFacts(id_, name, tuple(normalize(kind, raw) for kind, raw in identifiers))


def codes(a: CustomerFacts, b: CustomerFacts) -> set[str]:
    found = score_pair(a, b, threshold=0.0)
    return {r.code for r in found.reasons} if found else set()


def test_same_phone_in_two_formats_and_same_name_in_two_scripts_is_near_certain() -> None:
    a = customer(1, "Oksana Petrenko", ("phone", "050 123 45 67"))
    b = customer(2, "Петренко Оксана", ("phone", "+380501234567"))
    found = score_pair(a, b)
    assert found is not None and found.score >= 0.9
    assert {"same_phone", "name_translit", "name_reordered"} <= {r.code for r in found.reasons}
    assert blocking_keys(a) & blocking_keys(b)
