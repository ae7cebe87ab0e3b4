"""Server-test fixtures: cheap argon2 parameters, so the many logins of the API tests do not dominate the run.

The production parameters (64 MiB, 3 passes) cost about half a second of CPU per hash on a loaded test machine; the
tests still hash and verify with argon2id, only with small memory and time costs. A test that needs the real
parameters asks for the ``strong_password_hashing`` fixture (see tests/server/test_auth.py).

Also ``omnidesk_here``: the command line run in-process, for tests that need its behaviour but not a new interpreter.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import io
import subprocess
import sys

import pytest
from argon2 import PasswordHasher

from omnidesk.server import security

PRODUCTION_HASHER = security._hasher


@pytest.fixture
def strong_password_hashing():
    """Keep the production argon2 parameters for this test."""
    return PRODUCTION_HASHER


@pytest.fixture(autouse=True)
def cheap_password_hashing(request, monkeypatch):
    if "strong_password_hashing" not in request.fixturenames:
        monkeypatch.setattr(security, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


def omnidesk_here(*args: str, database: str | None = None, stdin: str = "") -> subprocess.CompletedProcess:
    """Run the ``omnidesk`` command line in this process (no interpreter start-up) and capture what it prints.

    The command runs in a thread of its own, so it may call ``asyncio.run`` also from an async test. Tests that need
    a real process (a terminal, a server that must exit) use tests.helpers.run_cli instead.
    """
    from omnidesk import cli

    argv = [*args, *(["--database", database] if database else [])]

    def run() -> subprocess.CompletedProcess:
        out, err = io.StringIO(), io.StringIO()
        saved_stdin = sys.stdin
        sys.stdin = io.StringIO(stdin)
        try:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                try:
                    code = cli.main(argv)
                except SystemExit as exc:  # argparse refusing the arguments
                    code = exc.code if isinstance(exc.code, int) else 2
        finally:
            sys.stdin = saved_stdin
        return subprocess.CompletedProcess(["omnidesk", *argv], code, out.getvalue(), err.getvalue())

    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(run).result()
