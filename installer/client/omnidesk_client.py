"""Entry point of the bundled desktop client: ``omnidesk client`` with the same options.

``--self-test`` checks the bundle instead of starting the client: Qt starts (any platform, e.g. offscreen), the
translations load in every shipped language, the icons render, and the keyring is found; it prints one line and
exits 0, or prints what is missing and exits 1.
"""

from __future__ import annotations

import sys


def self_test() -> int:
    from PySide6.QtCore import QTranslator
    from PySide6.QtWidgets import QApplication

    from omnidesk import __version__
    from omnidesk.client.i18n import LANGUAGES
    from omnidesk.client.resources import resource_dir
    from omnidesk.client.views.icons import app_icon, channel_icon

    app = QApplication([sys.argv[0]])
    problems = []
    folder = resource_dir("i18n")
    catalogs = sorted({p.name.rsplit("_", 1)[0] for p in folder.glob("*.qm")} | {"omnidesk"})
    for language in LANGUAGES:
        for catalog in catalogs:  # the core catalog and one per client feature package
            if not QTranslator(app).load(f"{catalog}_{language}", str(folder)):
                problems.append(f"translation {catalog}_{language}")
    for name, icon in (("omnidesk", app_icon()), ("telegram", channel_icon("telegram"))):
        if icon.pixmap(32, 32).isNull():
            problems.append(f"icon {name}")
    import keyring

    backend = type(keyring.get_keyring()).__module__
    if problems:
        print(f"omnidesk-client self-test: missing {', '.join(problems)}", file=sys.stderr)
        return 1
    print(
        f"omnidesk-client {__version__} self-test: ok ({app.platformName()}; {', '.join(LANGUAGES)}; "
        f"{len(catalogs)} catalogs; {backend})"
    )
    return 0


def main() -> int:
    if sys.argv[1:] == ["--self-test"]:
        return self_test()
    from omnidesk.cli import client_main

    return client_main(sys.argv[1:])


if __name__ == "__main__":
    sys.exit(main())
