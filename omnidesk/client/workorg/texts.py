"""Words shared by the work-organisation views: presence, priorities, wait times (numbers through QLocale)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLocale


def presence_name(status: str) -> str:
    return {
        "online": QCoreApplication.translate("WorkOrg", "Online"),
        "away": QCoreApplication.translate("WorkOrg", "Away"),
        "offline": QCoreApplication.translate("WorkOrg", "Offline"),
    }.get(status, status)


def operator_load(o) -> str:
    """An operator with presence and load against capacity: "Olena — Online, 2 of 5" (the board and the colleagues
    panel)."""
    locale = QLocale()
    return (
        QCoreApplication.translate("WorkOrg", "%1 — %2, %3 of %4")
        .replace("%1", o.display_name)
        .replace("%2", presence_name(o.status.value))
        .replace("%3", locale.toString(o.load))
        .replace("%4", locale.toString(o.capacity))
    )


def priority_names() -> list[str]:
    return [
        QCoreApplication.translate("WorkOrg", "Low"),
        QCoreApplication.translate("WorkOrg", "Normal"),
        QCoreApplication.translate("WorkOrg", "High"),
        QCoreApplication.translate("WorkOrg", "Urgent"),
    ]


def wait(seconds: float) -> str:
    """A waiting time as minutes and seconds (or hours and minutes), digits in the interface's locale."""
    locale = QLocale()
    total = max(0, int(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    two = lambda n: locale.toString(n).rjust(2, locale.toString(0))  # noqa: E731
    if hours:
        return (
            QCoreApplication.translate("WorkOrg", "%1 h %2 min")
            .replace("%1", locale.toString(hours))
            .replace("%2", two(minutes))
        )
    return f"{locale.toString(minutes)}:{two(secs)}"
