"""Refresh the translation sources and compile them: `python resources/i18n/update.py [--release-only]`.

lupdate collects every tr() / QCoreApplication.translate() string of the client into omnidesk_{en,uk,ru}.ts
(keeping existing translations); translate the new entries (Qt Linguist or by hand); lrelease compiles the
.qm files the client loads. Both tools ship with PySide6 (pyside6-lupdate / pyside6-lrelease, or the
lupdate / lrelease binaries inside the PySide6 package).
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


def sources() -> list[str]:
    return sorted(str(path.relative_to(ROOT)) for path in (ROOT / "omnidesk" / "client").rglob("*.py"))


def main(argv: list[str]) -> int:
    targets = [HERE / f"omnidesk_{code}.ts" for code in LANGUAGES]
    if "--release-only" not in argv:
        for target, code in zip(targets, LANGUAGES, strict=True):
            subprocess.run(
                [tool("lupdate"), "-no-obsolete", "-locations", "none", "-source-language", "en",
                 "-target-language", code, *sources(), "-ts", str(target)],
                cwd=ROOT, check=True,
            )  # fmt: skip
    for target in targets:
        subprocess.run([tool("lrelease"), str(target), "-qm", str(target.with_suffix(".qm"))], check=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
