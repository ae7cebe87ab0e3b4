"""The interface language: loading the .qm translations and switching them live.

The language follows the system locale unless the operator picked one in the settings. Switching installs
new translators; Qt then sends every widget a LanguageChange event and each retranslates itself. QLocale's
default follows, so dates and numbers read the same way as the words around them.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from omnidesk.client.resources import resource_dir

__all__ = ["LANGUAGES", "Translations", "system_language"]

log = logging.getLogger(__name__)

# Language codes the client ships, with each language's own name (never translated).
LANGUAGES: dict[str, str] = {"en": "English", "uk": "Українська", "ru": "Русский"}
DEFAULT_LANGUAGE = "en"


def system_language() -> str:
    for tag in QLocale.system().uiLanguages():
        code = tag.replace("_", "-").split("-")[0].lower()
        if code in LANGUAGES:
            return code
    return DEFAULT_LANGUAGE


class Translations:
    """Owns the installed translators of one QCoreApplication."""

    def __init__(self, app: QCoreApplication) -> None:
        self._app = app
        self._installed: list[QTranslator] = []
        self.language = ""

    def apply(self, choice: str | None) -> str:
        """Install `choice` ("" or None means the system's language); returns the language in effect."""
        language = choice if choice in LANGUAGES else system_language()
        self.remove()
        folder = resource_dir("i18n")
        # The core catalog first, then one catalog per feature package (see resources/i18n/update.py).
        core = f"omnidesk_{language}.qm"
        suffix = f"_{language}.qm"
        features = sorted(p.name.removesuffix(suffix) for p in folder.glob(f"*{suffix}") if p.name != core)
        names = ["omnidesk", *features]
        for name in names:
            ours = QTranslator(self._app)
            if ours.load(f"{name}_{language}", str(folder)):
                self._installed.append(ours)
            elif name == "omnidesk":
                log.warning("no OmniDesk translation for %s", language)
        qt_own = QTranslator(self._app)  # standard buttons and dialogs of Qt itself
        if qt_own.load(f"qtbase_{language}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
            self._installed.append(qt_own)
        for translator in self._installed:
            self._app.installTranslator(translator)
        QLocale.setDefault(QLocale(language))
        self.language = language
        return language

    def remove(self) -> None:
        """Uninstall this object's translators (the client leaves the application as it found it)."""
        for translator in self._installed:
            self._app.removeTranslator(translator)
        self._installed.clear()
