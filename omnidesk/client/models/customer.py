"""Qt list models of customers: search results and "search before create" matches, and a customer's
possible duplicates (the other side of each open suggestion, with the reasons in words)."""

from __future__ import annotations

from enum import IntEnum
from typing import Any

import phonenumbers
from PySide6.QtCore import Qt

from omnidesk.client.models.rows import RowList
from omnidesk.protocol.customers import CustomerMatch, CustomerSummary, DuplicateSuggestionOut, IdentityOut

__all__ = ["CustomerResultsModel", "CustomerRole", "DuplicatesModel", "identity_text"]


class CustomerRole(IntEnum):
    ID = Qt.ItemDataRole.UserRole + 1
    NAME = Qt.ItemDataRole.UserRole + 2
    SEGMENT = Qt.ItemDataRole.UserRole + 3
    IDENTITIES = Qt.ItemDataRole.UserRole + 4  # "+380…, olena@…" for a second line
    SCORE = Qt.ItemDataRole.UserRole + 5  # 0..1, matches and suggestions only
    REASONS = Qt.ItemDataRole.UserRole + 6  # the server's sentences, one per line
    SUMMARY = Qt.ItemDataRole.UserRole + 7  # CustomerSummary
    SUGGESTION = Qt.ItemDataRole.UserRole + 8  # DuplicateSuggestionOut (duplicates only)
    FIRST_KIND = Qt.ItemDataRole.UserRole + 9  # kind of the first identity, for an icon


def identity_text(identity: IdentityOut) -> str:
    """An identity as a person reads it: phones grouped (+380 50 123 4567), usernames with "@"."""
    if identity.kind == "telegram_username":
        return "@" + identity.value
    if identity.kind in ("phone", "whatsapp", "viber"):
        return format_phone(identity.value)
    return identity.value


def format_phone(value: str) -> str:
    """E.164 in the international reading format ("+380501234567" -> "+380 50 123 4567"); anything else as is."""
    try:
        number = phonenumbers.parse(value, None)
    except phonenumbers.NumberParseException:
        return value
    if not phonenumbers.is_possible_number(number):
        return value
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def _summary_data(summary: CustomerSummary, role: int) -> Any:
    if role in (Qt.ItemDataRole.DisplayRole, CustomerRole.NAME):
        return summary.name
    if role == CustomerRole.ID:
        return summary.id
    if role == CustomerRole.SEGMENT:
        return summary.segment or ""
    if role == CustomerRole.IDENTITIES:
        return ", ".join(identity_text(identity) for identity in summary.identities[:4])
    if role == CustomerRole.SUMMARY:
        return summary
    if role == CustomerRole.FIRST_KIND:
        return str(summary.identities[0].kind) if summary.identities else ""
    return None


class _Roles:
    def roleNames(self) -> dict[int, bytes]:
        names = dict(super().roleNames())  # type: ignore[misc]
        names.update({int(role): role.name.lower().encode() for role in CustomerRole})
        return names


class CustomerResultsModel(_Roles, RowList[tuple[CustomerSummary, CustomerMatch | None]]):
    """Customers found by a search (summaries) or by "search before create" (matches with score and reasons)."""

    def row_data(self, row: tuple[CustomerSummary, CustomerMatch | None], role: int) -> Any:
        summary, match = row
        if role == CustomerRole.SCORE:
            return match.score if match else None
        if role == CustomerRole.REASONS:
            return "\n".join(reason.text for reason in match.reasons) if match else ""
        if role == Qt.ItemDataRole.ToolTipRole:
            return "\n".join([summary.name, *(reason.text for reason in match.reasons)]) if match else summary.name
        return _summary_data(summary, role)

    def set_summaries(self, summaries: list[CustomerSummary]) -> None:
        self._replace([(summary, None) for summary in summaries])

    def set_matches(self, matches: list[CustomerMatch]) -> None:
        self._replace([(match.customer, match) for match in matches])

    def _replace(self, rows: list[tuple[CustomerSummary, CustomerMatch | None]]) -> None:
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def summary_at(self, row: int) -> CustomerSummary | None:
        return self._rows[row][0] if 0 <= row < len(self._rows) else None

    def match_at(self, row: int) -> CustomerMatch | None:
        return self._rows[row][1] if 0 <= row < len(self._rows) else None


class DuplicatesModel(_Roles, RowList[DuplicateSuggestionOut]):
    """Open duplicate suggestions of one customer; each row shows the OTHER customer of the pair."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.customer_id: int | None = None

    def other_of(self, suggestion: DuplicateSuggestionOut) -> CustomerSummary:
        return suggestion.other if suggestion.customer.id == self.customer_id else suggestion.customer

    def row_data(self, suggestion: DuplicateSuggestionOut, role: int) -> Any:
        if role == CustomerRole.SCORE:
            return suggestion.score
        if role == CustomerRole.REASONS:
            return "\n".join(reason.text for reason in suggestion.reasons)
        if role == CustomerRole.SUGGESTION:
            return suggestion
        if role == Qt.ItemDataRole.ToolTipRole:
            return "\n".join(reason.text for reason in suggestion.reasons)
        return _summary_data(self.other_of(suggestion), role)

    def set_suggestions(self, customer_id: int | None, suggestions: list[DuplicateSuggestionOut]) -> None:
        self.beginResetModel()
        self.customer_id = customer_id
        self._rows = [s for s in suggestions if customer_id in (s.customer.id, s.other.id)]
        self.endResetModel()

    def suggestion_at(self, row: int) -> DuplicateSuggestionOut | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None
