"""Translated words shared by several views: statuses, delivery states, relative times, error messages.

The api layer raises typed exceptions with English details for the log; this module turns them into
sentences for the operator in the current language.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache

from PySide6.QtCore import QCoreApplication, QDate, QLocale, QObject, QTime

from omnidesk.client.api import (
    ApiError,
    Conflict,
    Forbidden,
    InvalidField,
    NotFound,
    Rejected,
    ServerError,
    ServerUnreachable,
    SessionExpired,
    Throttled,
    TlsFailure,
    WrongCredentials,
)
from omnidesk.client.workspace import ReplyHeld

__all__ = [
    "channel_kind_label",
    "delivery_label",
    "describe_error",
    "message_time",
    "relative_time",
    "status_label",
    "waiting_text",
]


class Texts(QObject):
    """The shared words with plural forms: lupdate reads plurals only from `self.tr`, in this class's context."""

    def minutes(self, count: int) -> str:
        return self.tr("%n min", "", count)

    def hours(self, count: int) -> str:
        return self.tr("%n h", "", count)

    def days(self, count: int) -> str:
        return self.tr("%n d", "", count)

    def attempts(self, seconds: int) -> str:
        return self.tr("Too many attempts. Try again in %n second(s).", "", seconds)


@cache
def _plurals() -> Texts:
    return Texts()


def status_label(status: str) -> str:
    labels = {
        "open": QCoreApplication.translate("Texts", "Open"),
        "pending": QCoreApplication.translate("Texts", "Pending"),
        "resolved": QCoreApplication.translate("Texts", "Resolved"),
    }
    return labels.get(status, status)


def channel_kind_label(kind: str) -> str:
    labels = {
        "api": QCoreApplication.translate("Texts", "API"),
        "telegram": "Telegram",
        "whatsapp": "WhatsApp",
        "viber": "Viber",
        "vk": QCoreApplication.translate("Texts", "VK"),
        "meta": "Messenger",
        "instagram": "Instagram",
        "max": "MAX",
        "email": QCoreApplication.translate("Texts", "E-mail"),
        "webchat": QCoreApplication.translate("Texts", "Web chat"),
        "webform": QCoreApplication.translate("Texts", "Web form"),
        "phone": QCoreApplication.translate("Texts", "Phone"),
    }
    return labels.get(kind, kind)


def delivery_label(state: str | None, error: str | None = None) -> str:
    if state == "queued":
        return QCoreApplication.translate("Texts", "Queued")
    if state == "sent":
        return QCoreApplication.translate("Texts", "Sent")
    if state == "delivered":
        return QCoreApplication.translate("Texts", "Delivered")
    if state == "read":
        return QCoreApplication.translate("Texts", "Read")
    if state == "failed":
        return QCoreApplication.translate("Texts", "Failed: %1").replace("%1", error or "?")
    if state == "waiting":
        return QCoreApplication.translate("Texts", "Waiting for the server")
    if state == "refused":
        return QCoreApplication.translate("Texts", "Not accepted: %1").replace("%1", error or "?")
    return ""


def mark_labels(marks: tuple[str, ...], direction: str | None) -> list[str]:
    """The words for what happened to a message on its platform (its details): edited, deleted, sent from the
    platform's own app."""
    words = []
    for mark in marks:
        if mark == "edited":
            words.append(QCoreApplication.translate("Texts", "edited"))
        elif mark == "deleted":
            words.append(
                QCoreApplication.translate("Texts", "deleted by the customer")
                if direction == "in"
                else QCoreApplication.translate("Texts", "deleted")
            )
        elif mark == "echo":
            words.append(QCoreApplication.translate("Texts", "sent from the platform's own app"))
    return words


def _local(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone()


def _qdate(moment: datetime) -> QDate:
    return QDate(moment.year, moment.month, moment.day)


def _qtime(moment: datetime) -> QTime:
    return QTime(moment.hour, moment.minute)


def relative_time(moment: datetime, now: datetime | None = None) -> str:
    """Short, glanceable age of the last activity for the inbox ("now", "5 min", "14:32", "Mon", "3 Mar")."""
    moment = _local(moment)
    now = _local(now or datetime.now(UTC))
    seconds = (now - moment).total_seconds()
    locale = QLocale()
    if seconds < 60:
        return QCoreApplication.translate("Texts", "now")
    if seconds < 3600:
        return _plurals().minutes(int(seconds / 60))
    days = (now.date() - moment.date()).days
    if days == 0:
        return locale.toString(_qtime(moment), QLocale.FormatType.ShortFormat)
    if days == 1:
        return QCoreApplication.translate("Texts", "yesterday")
    if days < 7:
        return locale.dayName(moment.isoweekday(), QLocale.FormatType.ShortFormat)
    if moment.year == now.year:
        return locale.toString(_qdate(moment), "d MMM")
    return locale.toString(_qdate(moment), QLocale.FormatType.ShortFormat)


def message_time(moment: datetime, now: datetime | None = None) -> str:
    """Time of a message in the history: the time today, date and time before."""
    moment = _local(moment)
    now = _local(now or datetime.now(UTC))
    locale = QLocale()
    time = locale.toString(_qtime(moment), QLocale.FormatType.ShortFormat)
    if moment.date() == now.date():
        return time
    if moment.year == now.year:
        return f"{locale.toString(_qdate(moment), 'd MMM')}, {time}"
    return f"{locale.toString(_qdate(moment), QLocale.FormatType.ShortFormat)}, {time}"


def describe_error(error: BaseException, server_url: str = "") -> str:
    """One or two sentences telling the operator what went wrong and what to do."""
    if isinstance(error, ReplyHeld):  # already in the operator's words (omnidesk/client/mail)
        return str(error)
    if isinstance(error, ApiError) and error.code:  # a coded refusal (domain/problems.py) in the operator's words
        from omnidesk.client.workorg.problems import problem_text

        worded = problem_text(error.code, error.params)
        if worded is not None:
            return worded  # an unknown code (a newer server) falls through to the server's detail below
    if isinstance(error, WrongCredentials):
        return QCoreApplication.translate("Texts", "Wrong user name or password.")
    if isinstance(error, TlsFailure):
        return QCoreApplication.translate(
            "Texts",
            "The server's certificate could not be verified (TLS). "
            "Check the address or ask your administrator for a trusted certificate.",
        )
    if isinstance(error, ServerUnreachable):
        return QCoreApplication.translate(
            "Texts", "Cannot reach the server %1. Check the address and the network, or try again later."
        ).replace("%1", server_url or "")
    if isinstance(error, Throttled):
        wait = int(error.retry_after or 60)
        return _plurals().attempts(wait)
    if isinstance(error, SessionExpired):
        return QCoreApplication.translate("Texts", "Your session has ended. Please sign in again.")
    if isinstance(error, Forbidden):
        return QCoreApplication.translate("Texts", "Your role does not allow this.")
    if isinstance(error, NotFound):
        return QCoreApplication.translate("Texts", "This conversation no longer exists.")
    if isinstance(error, Conflict) and error.holder:
        return QCoreApplication.translate("Texts", "%1 is already handling this conversation.").replace(
            "%1", error.holder
        )
    if isinstance(error, Conflict):
        return QCoreApplication.translate(
            "Texts", "A colleague changed this at the same moment. Look at it again and retry if still needed."
        )
    if isinstance(error, InvalidField) and not error.where:
        return QCoreApplication.translate("Texts", "Not saved: %1.").replace("%1", error.reason.rstrip("."))
    if isinstance(error, InvalidField):
        return (
            QCoreApplication.translate("Texts", "Not saved: check %1 (%2).")
            .replace("%1", error.where)
            .replace("%2", error.reason)
        )
    if isinstance(error, Rejected):
        return QCoreApplication.translate("Texts", "The server did not accept this: %1").replace("%1", str(error))
    if isinstance(error, ServerError):
        return QCoreApplication.translate("Texts", "The server failed. Try again later.")
    if isinstance(error, ApiError):
        return QCoreApplication.translate("Texts", "The server answered with an error: %1").replace("%1", str(error))
    return QCoreApplication.translate("Texts", "Unexpected error: %1").replace("%1", repr(error))


def session_end_text(reason: str) -> str:
    """The server ended the session (its stream.end event): why, in words, and what to do."""
    known = {
        "revoked": QCoreApplication.translate("Texts", "An administrator ended your session. Please sign in again."),
        "logged_out": QCoreApplication.translate("Texts", "You were logged out on the server. Please sign in again."),
        "logout": QCoreApplication.translate("Texts", "You were logged out on the server. Please sign in again."),
        "expired": QCoreApplication.translate("Texts", "Your session has expired. Please sign in again."),
        "password_changed": QCoreApplication.translate(
            "Texts", "Your password was changed. Please sign in with the new one."
        ),
        "disabled": QCoreApplication.translate("Texts", "Your account was disabled. Ask your administrator."),
        "deactivated": QCoreApplication.translate("Texts", "Your account was disabled. Ask your administrator."),
        "role_changed": QCoreApplication.translate(
            "Texts", "Your role was changed. Please sign in again to work with the new permissions."
        ),
    }
    key = reason.strip().lower().replace(" ", "_").replace("-", "_")
    if key in known:
        return known[key]
    return QCoreApplication.translate("Texts", "The server ended your session (%1). Please sign in again.").replace(
        "%1", reason
    )


def waited(moment: datetime, now: datetime | None = None) -> str:
    """How long a customer has waited, short: "1 min", "2 h 5 min", "3 d"."""
    seconds = max(0.0, ((now or datetime.now(UTC)) - moment).total_seconds())
    texts = _plurals()
    if seconds < 3600:
        return texts.minutes(max(1, int(seconds // 60)))
    if seconds < 86400:
        hours, minutes = int(seconds // 3600), int(seconds % 3600 // 60)
        return f"{texts.hours(hours)} {texts.minutes(minutes)}" if minutes else texts.hours(hours)
    return texts.days(int(seconds // 86400))


def waiting_text(moment: datetime | None, now: datetime | None = None) -> str:
    """The inbox row's "waits 12 min" (empty when the customer is answered)."""
    if moment is None:
        return ""
    return QCoreApplication.translate("Texts", "waits %1").replace("%1", waited(moment, now))
