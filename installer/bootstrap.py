#!/usr/bin/env python3
"""Set up OmniDesk from a source checkout and run it: the two commands of the README.

    python3 installer/bootstrap.py demo [demo options]    # server on embedded SQLite + live traffic + the client
    python3 installer/bootstrap.py test [pytest options]  # the whole test suite
    python3 installer/bootstrap.py omnidesk ARGS...       # any other `omnidesk` command from the same environment

`test` runs in the checkout (test paths are relative to it); `demo` and `omnidesk` run in the current directory, so
relative paths such as `omnidesk --config omnidesk.toml db upgrade` are relative to where you are.

It needs only Python 3.11+ with pip. It makes a virtual environment in .venv beside this checkout (or where
OMNIDESK_VENV points), installs the project with what the chosen command needs, and reinstalls only when
pyproject.toml changed. Standard library only: it runs before anything is installed.
"""

from __future__ import annotations

import hashlib
import os
import signal
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
        # pytest finds its settings in the checkout; test paths are relative to it. The suite runs in parallel
        # (pytest-xdist, one file per worker at a time, so session-scoped servers start once per worker) unless
        # the caller chose otherwise (-n, -p no:xdist, or OMNIDESK_TEST_WORKERS=0).
        workers = env.get("OMNIDESK_TEST_WORKERS", str(max(2, os.cpu_count() or 1)))
        chosen = any(arg == "-n" or arg.startswith(("-n", "--numprocesses")) for arg in rest) or "no:xdist" in rest
        # A crashed worker is reported as that test's failure and not replaced: pytest-xdist's loadfile scheduling
        # gives a replacement worker no work and the run never ends (seen here; reproduced with a test that exits).
        parallel = [] if chosen or workers == "0" else ["-n", workers, "--dist", "loadfile", "--max-worker-restart=0"]
        # A failed test runs again, up to twice (pytest-rerunfailures): the suite drives real servers, browsers and
        # Qt on a loaded machine, and a timing accident must not hide the other 1,400 results. A test that fails
        # every time still fails the run, and each rerun is listed in the summary (RERUN) so a flaky test stays
        # visible. OMNIDESK_TEST_RERUNS=0 (or the caller's own --reruns) turns it off.
        reruns_wanted = env.get("OMNIDESK_TEST_RERUNS", "2")
        own = any(arg.startswith("--reruns") for arg in rest)
        reruns = [] if own or reruns_wanted == "0" else ["--reruns", reruns_wanted, "--reruns-delay", "2", "-raR"]
        command = [str(python), "-m", "pytest", *parallel, *reruns, *rest]
        if not parallel or not reruns or any(arg.startswith("--junit") for arg in rest):
            return subprocess.call(command, env=env, cwd=ROOT)
        return run_surviving_a_crashed_worker(command, env)
    # `omnidesk` and the demo run where the caller is, so relative paths (--config, --data-dir) mean what they say.
    cmd = (
        [str(python), "-m", "omnidesk", "demo", *rest] if command == "demo" else [str(python), "-m", "omnidesk", *rest]
    )
    return call_forwarding_signals(cmd, env)


def crash_report(report: Path) -> tuple[list[str], list[list[str]], list[str]]:
    """From a JUnit report: the tests whose worker crashed (a segfault in a native library), the tests that passed
    or were skipped (file and name, to leave them out of a second run), and the tests that really failed. A test
    appears once per attempt when it was rerun: it is done only if no attempt of it failed."""
    import xml.etree.ElementTree as ElementTree

    crashed: list[str] = []
    failed: dict[str, None] = {}
    seen: dict[tuple[str, str], bool] = {}  # (file, name) -> every attempt clean
    for case in ElementTree.parse(report).iter("testcase"):
        key = (case.get("file") or "", case.get("name") or "")
        problems = [c for c in case if c.tag in ("failure", "error")]
        if any("crashed while running" in (c.get("message") or "") for c in problems):
            crashed.append(f"{key[0]}::{key[1]}")
        elif problems:
            failed[f"{key[0]}::{key[1]}"] = None
        seen[key] = seen.get(key, True) and not problems
    done = [list(key) for key, clean in seen.items() if clean and f"{key[0]}::{key[1]}" not in failed]
    return crashed, done, list(failed)


def run_surviving_a_crashed_worker(command: list[str], env: dict[str, str]) -> int:
    """Run the suite; if a worker process crashed (pytest-xdist then stops that worker's remaining tests), say which
    test it was running and run every test that did not pass or skip once more, in fresh workers. A second crash,
    or any real failure, fails the run as before; the crash stays in the log."""
    import json
    import tempfile

    with tempfile.TemporaryDirectory(prefix="omnidesk-test-") as folder:
        report = Path(folder) / "report.xml"
        junit = ["--junitxml", str(report), "-o", "junit_family=xunit1"]
        code = subprocess.call([*command, *junit], env=env, cwd=ROOT)
        if code == 0 or not report.exists():
            return code
        crashed, done, failed = crash_report(report)
        if not crashed:
            return code
        if failed:  # a real failure (after its reruns) fails the run; a second pass must never hide it
            print(
                f"omnidesk: a test worker crashed while running {', '.join(crashed)}, and these tests failed: "
                f"{', '.join(failed)}",
                file=sys.stderr,
            )
            return code
        print(
            f"omnidesk: a test worker crashed while running {', '.join(crashed)}; "
            f"running the tests that did not pass again ({len(done)} passed or skipped are left out)",
            file=sys.stderr,
        )
        passed = Path(folder) / "done.json"
        passed.write_text(json.dumps(done))
        return subprocess.call([*command, *junit], env={**env, "OMNIDESK_TEST_DONE": str(passed)}, cwd=ROOT)


def call_forwarding_signals(cmd: list[str], env: dict[str, str]) -> int:
    """Run `cmd` and pass SIGTERM / SIGINT on to it: stopping this script stops what it started (the demo server
    must not keep serving after its launcher is gone), and this script ends with the child's exit code."""
    child = subprocess.Popen(cmd, env=env)

    def forward(signum: int, _frame: object) -> None:
        if child.poll() is None:
            child.send_signal(signum)

    previous = {sig: signal.signal(sig, forward) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        while True:
            try:
                code = child.wait()
                return 128 - code if code < 0 else code  # killed by a signal: the shell's 128 + signal number
            except KeyboardInterrupt:  # a second Ctrl+C while the child stops: keep waiting for it
                continue
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        if child.poll() is None:
            child.kill()
            child.wait()


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except KeyboardInterrupt:
        sys.exit(130)
    except subprocess.CalledProcessError as exc:
        print(f"omnidesk: setup step failed ({exc})", file=sys.stderr)
        sys.exit(1)
