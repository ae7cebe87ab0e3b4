"""Refresh the translation sources and compile them: `python resources/i18n/update.py [--release-only]`.

lupdate collects every tr() / QCoreApplication.translate() string of the client into one catalog per part
(keeping existing translations): `omnidesk_{en,uk,ru}.ts` for the client's core (omnidesk/client/*.py, models/,
views/) and `<feature>_{en,uk,ru}.ts` for each feature package omnidesk/client/<feature>/, so features are
translated (and merged) independently; translate the new entries (Qt Linguist or by hand); lrelease compiles the
.qm files the client loads (all catalogs of the chosen language). Both tools ship with PySide6
(pyside6-lupdate / pyside6-lrelease, or the lupdate / lrelease binaries inside the PySide6 package).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
LANGUAGES = ("en", "uk", "ru")


def tool(name: str) -> str:
    found = shutil.which(f"pyside6-{name}", path=str(Path(sys.executable).parent)) or shutil.which(f"pyside6-{name}")
    if found:
        return found
    import PySide6

    inside = Path(PySide6.__file__).parent / name
    if inside.exists():
        return str(inside)
    raise SystemExit(f"{name} not found: install PySide6 (pyside6-{name})")


CLIENT = ROOT / "omnidesk" / "client"
CORE_PACKAGES = ("models", "views")  # translated in the core catalog


def catalogs() -> dict[str, list[str]]:
    """Catalog name -> the client sources whose strings it holds (paths relative to the checkout)."""
    found: dict[str, list[str]] = {"omnidesk": []}
    for path in sorted(CLIENT.rglob("*.py")):
        parts = path.relative_to(CLIENT).parts
        name = parts[0] if len(parts) > 1 and parts[0] not in CORE_PACKAGES else "omnidesk"
        found.setdefault(name, []).append(str(path.relative_to(ROOT)))
    return found


def sources(catalog: str = "omnidesk") -> list[str]:
    return catalogs()[catalog]


def main(argv: list[str]) -> int:
    targets: list[Path] = []
    for name, files in catalogs().items():
        for code in LANGUAGES:
            target = HERE / f"{name}_{code}.ts"
            targets.append(target)
            if "--release-only" not in argv:
                subprocess.run(
                    [tool("lupdate"), "-no-obsolete", "-locations", "none", "-source-language", "en",
                     "-target-language", code, *files, "-ts", str(target)],
                    cwd=ROOT, check=True, capture_output=True,
                )  # fmt: skip
    for target in targets:
        subprocess.run([tool("lrelease"), str(target), "-qm", str(target.with_suffix(".qm"))], check=True,
                       capture_output=True)  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
