"""Translations: every string of the client is in the .ts sources, translated to Ukrainian and Russian, compiled
into the shipped .qm files, and all three languages load and switch live."""

from __future__ import annotations

import re
import subprocess
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QLocale

from omnidesk.client.api import WrongCredentials
from omnidesk.client.credentials import KeyringStatus
from omnidesk.client.i18n import LANGUAGES, Translations
from omnidesk.client.views.dialogs import SettingsDialog
from omnidesk.client.views.login import LoginDialog
from omnidesk.client.views.status import LinkIndicator
from omnidesk.client.views.texts import describe_error, relative_time
from tests.client.live import clipped_texts

I18N = Path(__file__).resolve().parents[2] / "resources" / "i18n"
UPDATE_TOOL = I18N / "update.py"


def messages(code: str, catalog: str = "omnidesk") -> list[tuple[str, ET.Element]]:
    root = ET.parse(I18N / f"{catalog}_{code}.ts").getroot()
    return [(context.findtext("name") or "", message) for context in root.iter("context") for message in context]


def load_update_tool():
    import importlib.util

    spec = importlib.util.spec_from_file_location("omnidesk_i18n_update", UPDATE_TOOL)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


PLACEHOLDER = re.compile(r"%(?:\d|n)")


def catalog_names() -> list[str]:
    return sorted(load_update_tool().catalogs())


@pytest.mark.parametrize("catalog", catalog_names())
@pytest.mark.parametrize("code", ["uk", "ru"])
def test_every_message_is_translated_with_its_placeholders_and_plural_forms(code, catalog):
    found = messages(code, catalog)
    assert len(found) > (90 if catalog == "omnidesk" else 0)
    cyrillic = 0
    for context, message in found:
        if message.tag != "message":
            continue
        source = message.findtext("source") or ""
        translation = message.find("translation")
        assert translation is not None and translation.get("type") is None, f"{context}: {source!r} unfinished"
        forms = [form.text or "" for form in translation.iter("numerusform")] if message.get("numerus") else []
        texts = forms or [translation.text or ""]
        if message.get("numerus"):
            assert len(forms) == 3, f"{context}: {source!r} needs one, few and many forms"
        for text in texts:
            assert text.strip(), f"{context}: {source!r} is not translated to {code}"
            assert sorted(PLACEHOLDER.findall(text)) == sorted(PLACEHOLDER.findall(source)), (source, text)
            assert text.replace("&&", "").count("&") == source.replace("&&", "").count("&"), (source, text)
            cyrillic += bool(re.search("[а-яіїєґ]", text, re.IGNORECASE))
    translated = [m for _context, m in found if m.tag == "message"]
    assert cyrillic > 0.8 * len(translated)  # a real translation, not the English copied over


@pytest.mark.parametrize("catalog", catalog_names())
def test_the_sources_hold_every_string_of_the_client_and_the_qm_files_are_compiled_from_them(tmp_path, catalog):
    tool = load_update_tool()
    try:
        lupdate, lrelease = tool.tool("lupdate"), tool.tool("lrelease")
    except SystemExit as missing:
        pytest.skip(str(missing))
    fresh = tmp_path / "fresh.ts"
    subprocess.run(
        [lupdate, "-locations", "none", *tool.sources(catalog), "-ts", str(fresh)],
        cwd=tool.ROOT, check=True, capture_output=True,
    )  # fmt: skip
    root = ET.parse(fresh).getroot()
    in_code = {(c.findtext("name"), m.findtext("source")) for c in root.iter("context") for m in c.iter("message")}
    for code in LANGUAGES:
        shipped = {(context, m.findtext("source")) for context, m in messages(code, catalog)}
        assert in_code <= shipped, f"run resources/i18n/update.py: {sorted(in_code - shipped)[:5]} not in {code}"
        compiled = tmp_path / f"{code}.qm"
        subprocess.run([lrelease, str(I18N / f"{catalog}_{code}.ts"), "-qm", str(compiled)], check=True,
                       capture_output=True)  # fmt: skip
        assert compiled.read_bytes() == (I18N / f"{catalog}_{code}.qm").read_bytes(), f"{catalog}_{code}.qm is stale"


@pytest.mark.parametrize(
    ("code", "sign_in", "locale_prefix"),
    [("en", "&Sign in", "en"), ("uk", "&Увійти", "uk"), ("ru", "&Войти", "ru")],
)
def test_each_language_loads_with_its_locale(qapp, code, sign_in, locale_prefix):
    translations = Translations(qapp)
    try:
        assert translations.apply(code) == code
        assert QCoreApplication.translate("LoginDialog", "&Sign in") == sign_in
        assert QLocale().name().startswith(locale_prefix)
    finally:
        translations.apply("en")


def test_switching_the_language_retranslates_open_windows_at_once(qapp, qtbot):
    translations = Translations(qapp)

    def switch(code: str) -> None:
        translations.apply(code)
        qapp.processEvents()  # Qt posts LanguageChange to every widget; the running app's loop delivers it

    login = LoginDialog(KeyringStatus(usable=False, backend_name="fail Keyring"))
    settings = SettingsDialog("en")
    link = LinkIndicator()
    qtbot.addWidget(login)
    qtbot.addWidget(settings)
    qtbot.addWidget(link)
    link.set_state("reconnecting", 4.2)
    try:
        switch("en")
        assert login.sign_in.text() == "&Sign in" and link.text() == "Reconnecting in 5 s"
        chosen: list[str] = []
        settings.languageChosen.connect(chosen.append)
        settings.language.setCurrentIndex(settings.language.findData("uk"))
        assert chosen == ["uk"]
        switch("uk")
        assert login.windowTitle() == "Вхід до OmniDesk"
        assert login.keyring_note.text().startswith("На цьому комп’ютері немає захищеного сховища")
        assert settings.windowTitle() == "Налаштування"
        assert link.text() == "Перепідключення за 5 с"
        switch("ru")
        assert login.sign_in.text() == "&Войти"
        assert describe_error(WrongCredentials("401")) == "Неверное имя пользователя или пароль."
    finally:
        translations.apply("en")


def test_relative_times_follow_the_language(qapp):
    translations = Translations(qapp)
    now = datetime(2025, 3, 12, 15, 0, tzinfo=UTC)
    try:
        translations.apply("uk")
        assert relative_time(now - timedelta(seconds=20), now) == "щойно"
        assert relative_time(now - timedelta(minutes=5), now) == "5 хв"
        translations.apply("ru")
        assert relative_time(now - timedelta(minutes=21), now) == "21 мин"
        long_ago = relative_time(now - timedelta(days=40), now)
        assert re.search("[а-я]", long_ago), long_ago  # the month's name in Russian
        translations.apply("en")
        assert relative_time(now - timedelta(minutes=1), now) == "1 min"
    finally:
        translations.apply("en")


@pytest.mark.parametrize("code", ["en", "uk", "ru"])
def test_dialog_texts_fit_their_widgets(qapp, qtbot, code):
    translations = Translations(qapp)
    translations.apply(code)
    try:
        for dialog in (
            LoginDialog(KeyringStatus(usable=False, backend_name="fail Keyring")),
            LoginDialog(KeyringStatus(usable=True, backend_name="Secret Service")),
            SettingsDialog(code),
        ):
            qtbot.addWidget(dialog)
            dialog.show()
            qapp.processEvents()
            assert clipped_texts(dialog) == [], f"{code}: {type(dialog).__name__}"
            dialog.close()
    finally:
        translations.apply("en")
