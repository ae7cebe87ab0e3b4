#!/usr/bin/env python3
"""Set up OmniDesk from a source checkout and run it: the two commands of the README.

    python3 installer/bootstrap.py demo [demo options]    # server on embedded SQLite + live traffic + the client
    python3 installer/bootstrap.py test [pytest options]  # the whole test suite
    python3 installer/bootstrap.py omnidesk ARGS...       # any other `omnidesk` command from the same environment

It needs only Python 3.11+ with pip. It makes a virtual environment in .venv beside this checkout (or where
OMNIDESK_VENV points), installs the project with what the chosen command needs, and reinstalls only when
pyproject.toml changed. Standard library only: it runs before anything is installed.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXTRAS = {"demo": "client", "omnidesk": "client", "test": "test"}


def venv_dir() -> Path:
    return Path(os.environ.get("OMNIDESK_VENV") or ROOT / ".venv")


def venv_python(where: Path) -> Path:
    return where / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def create_venv(where: Path) -> None:
    print(f"omnidesk: creating a virtual environment in {where}", flush=True)
    try:
        venv.EnvBuilder(with_pip=True).create(where)
    except (subprocess.CalledProcessError, OSError):
        # Debian's python3 without python3-venv has no ensurepip: make the environment bare and let the
        # interpreter's own pip install into it (pip >= 22.3 understands --python).
        venv.EnvBuilder(with_pip=False, clear=True).create(where)
        run([sys.executable, "-m", "pip", "--python", str(venv_python(where)), "install", "-q", "pip"])


def run(cmd: list[str]) -> None:
    subprocess.run(cmd, check=True)


def ensure_installed(extra: str) -> Path:
    where = venv_dir()
    python = venv_python(where)
    if not python.exists():
        create_venv(where)
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()[:16]
    stamp = where / f".omnidesk-{extra}-{digest}"
    if not stamp.exists():
        print(f"omnidesk: installing OmniDesk with [{extra}] into {where} (first run takes a minute)", flush=True)
        run([str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check", "-e", f"{ROOT}[{extra}]"])
        for old in where.glob(f".omnidesk-{extra}-*"):
            old.unlink()
        stamp.touch()
    return python


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in EXTRAS:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    command, rest = argv[0], argv[1:]
    if sys.version_info < (3, 11):  # noqa: UP036 - this script must run on an older Python to say so
        print("omnidesk: Python 3.11 or newer is needed", file=sys.stderr)
        return 2
    python = ensure_installed(EXTRAS[command])
    env = dict(os.environ)
    if command == "test":
        env.setdefault("QT_QPA_PLATFORM", "offscreen")
        cmd = [str(python), "-m", "pytest", *rest]
    elif command == "demo":
        cmd = [str(python), "-m", "omnidesk", "demo", *rest]
    else:
        cmd = [str(python), "-m", "omnidesk", *rest]
    os.chdir(ROOT)
    return subprocess.call(cmd, env=env)


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except KeyboardInterrupt:
        sys.exit(130)
    except subprocess.CalledProcessError as exc:
        print(f"omnidesk: setup step failed ({exc})", file=sys.stderr)
        sys.exit(1)
