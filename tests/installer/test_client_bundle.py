"""The desktop client's PyInstaller bundle: built by installer/build-client, started offscreen.

Building takes a minute or two (PySide6 is large), so it runs only when asked: ``OMNIDESK_CLIENT_BUNDLE_TEST=1``
(CI does, through ``.ci/package-test``). ``OMNIDESK_CLIENT_BUNDLE=DIR`` tries an already built bundle instead.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXE = "omnidesk-client.exe" if sys.platform == "win32" else "omnidesk-client"

pytestmark = [
    pytest.mark.skipif(
        os.environ.get("OMNIDESK_CLIENT_BUNDLE_TEST") != "1", reason="builds the client: OMNIDESK_CLIENT_BUNDLE_TEST=1"
    ),
    pytest.mark.timeout(900),
]


@pytest.fixture(scope="module")
def bundle(tmp_path_factory) -> Path:
    given = os.environ.get("OMNIDESK_CLIENT_BUNDLE")
    if given:
        return Path(given)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    done = subprocess.run(
        [sys.executable, ROOT / "installer/build-client", "--output", tmp_path_factory.mktemp("client")],
        capture_output=True,
        text=True,
        env=env,
        timeout=840,
    )
    assert done.returncode == 0, done.stderr[-5000:]
    path = Path(done.stdout.strip().splitlines()[-1])
    assert (path / EXE).is_file()
    return path


def client_env(home: Path) -> dict[str, str]:
    """Offscreen, with its own settings and data folders, and nothing of this test's Python around it."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV", "QT_"))}
    env.update(
        QT_QPA_PLATFORM="offscreen",
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_DATA_HOME=str(home / "data"),
        XDG_CACHE_HOME=str(home / "cache"),
        APPDATA=str(home / "appdata"),
        LOCALAPPDATA=str(home / "localappdata"),
    )
    return env


def test_bundle_holds_the_client_and_its_resources_only(bundle):
    internal = bundle / "_internal"
    shipped = sorted(p.name for p in (ROOT / "resources/i18n").glob("*.qm"))  # the core and every feature catalog
    assert "omnidesk_uk.qm" in shipped and len(shipped) > 3
    assert sorted(p.name for p in (internal / "omnidesk/_resources/i18n").glob("*.qm")) == shipped
    assert (internal / "omnidesk/_resources/icons/omnidesk.svg").is_file()
    for server_side in ("sqlalchemy", "asyncpg", "uvicorn", "fastapi", "alembic"):
        assert not (internal / server_side).exists(), server_side
    size = sum(p.stat().st_size for p in bundle.rglob("*") if p.is_file() and not p.is_symlink())
    print(f"\nclient bundle {size / 1e6:.0f} MB")


def test_self_test_loads_translations_and_icons(bundle, tmp_path):
    done = subprocess.run(
        [bundle / EXE, "--self-test"], capture_output=True, text=True, env=client_env(tmp_path), timeout=60
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "self-test: ok (offscreen; en, uk, ru;" in done.stdout, done.stdout


def test_client_starts_offscreen_and_quits_on_sigterm(bundle, tmp_path):
    """The real client: it starts (the sign-in dialog, in Ukrainian), stays up, and ends cleanly on SIGTERM."""
    process = subprocess.Popen(
        [bundle / EXE, "--language", "uk", "--server", "http://127.0.0.1:9"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=client_env(tmp_path),
    )
    time.sleep(6)
    running = process.poll() is None
    if running:
        process.send_signal(signal.SIGTERM)
    try:
        out, err = process.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        out, err = process.communicate()
        pytest.fail(f"the client did not end on SIGTERM:\n{err}")
    assert running, f"the client ended by itself with {process.returncode}:\n{out}{err}"
    assert process.returncode == 0, err
    assert "Traceback" not in err and "no OmniDesk translation" not in err, err
