"""The workstation check before Qt starts (issue 16, defects 9 and 10): missing XCB libraries and a missing display
are said in words with what to do, the demo ends cleanly without a display (no temporary folder left), and stopping
`installer/bootstrap.py demo` with SIGTERM stops the demo it started."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from omnidesk.client.platform_check import XCB_LIBRARIES, problems
from tests.helpers import free_port

ROOT = Path(__file__).resolve().parents[2]


def test_missing_xcb_libraries_are_named_with_the_packages_to_install():
    present = {"xcb-image", "xcb-render-util", "xcb-xkb", "xkbcommon-x11"}
    found = problems({"DISPLAY": ":0"}, "linux", lambda name: f"lib{name}.so" if name in present else None)
    assert len(found) == 1
    assert "libxcb-cursor0, libxcb-icccm4, libxcb-keysyms1" in found[0]
    assert found[0].endswith("sudo apt install libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1")
    assert problems({"DISPLAY": ":0"}, "linux", lambda name: "found") == []
    assert problems({}, "win32", lambda name: None) == []
    assert set(XCB_LIBRARIES.values()) >= {"libxcb-icccm4", "libxcb-keysyms1", "libxcb-cursor0"}


def test_no_display_says_use_headless():
    found = problems({}, "linux", lambda name: "found")
    assert len(found) == 1 and "--headless" in found[0]
    assert problems({"QT_QPA_PLATFORM": "offscreen"}, "linux", lambda name: None) == []


def test_the_full_demo_without_a_display_ends_cleanly_and_leaves_no_folder(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    env["TMPDIR"] = str(tmp_path)
    done = subprocess.run(
        [sys.executable, "-m", "omnidesk", "demo", "--port", str(free_port())],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 2, done.stderr
    assert "--headless" in done.stderr and "Traceback" not in done.stderr
    assert list(tmp_path.glob("omnidesk-demo-*")) == []


def test_sigterm_to_the_bootstrap_stops_the_demo_it_started(tmp_path):
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    python = venv / "bin" / "python"  # this interpreter, with its packages (a symlink would lose its venv)
    python.write_text(f'#!/bin/sh\nexec "{sys.executable}" "$@"\n')
    python.chmod(0o755)
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()[:16]
    (venv / f".omnidesk-client-{digest}").touch()  # "installed": the bootstrap goes straight to running
    port = free_port()
    env = dict(os.environ, OMNIDESK_VENV=str(venv), TMPDIR=str(tmp_path), OMNIDESK_DEMO_INTERVAL="5")
    launcher = subprocess.Popen(
        [sys.executable, str(ROOT / "installer" / "bootstrap.py"), "demo", "--headless", "--port", str(port)],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}/healthz"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=1):
                break
        except OSError:
            time.sleep(0.3)
    else:
        launcher.kill()
        raise AssertionError(f"the demo never served: {launcher.communicate()[0]}")
    launcher.send_signal(signal.SIGTERM)
    # 0 when the demo's own handler stopped it; 143 (128 + SIGTERM) when the signal came before it was installed
    assert launcher.wait(timeout=30) in (0, 128 + signal.SIGTERM)
    try:
        urllib.request.urlopen(url, timeout=1)
        raise AssertionError("the demo still serves after its launcher was stopped")
    except OSError:
        pass
    assert list(tmp_path.glob("omnidesk-demo-*")) == []
