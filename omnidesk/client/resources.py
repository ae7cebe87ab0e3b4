"""Where the shipped resources (translations, icons) are: the installed wheel or a repository checkout."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import omnidesk

__all__ = ["resource_dir"]


@cache
def resource_dir(kind: str) -> Path:
    """`kind` is "i18n" or "icons"; the wheel carries them in omnidesk/_resources (pyproject force-include)."""
    package = Path(omnidesk.__file__).resolve().parent
    for candidate in (package / "_resources" / kind, package.parent / "resources" / kind):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"OmniDesk resources '{kind}' are missing (looked beside {package})")
