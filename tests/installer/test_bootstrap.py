"""installer/bootstrap.py: where the commands it starts run (without installing anything)."""

from __future__ import annotations

import importlib.util
import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def bootstrap(monkeypatch, tmp_path):
    spec = importlib.util.spec_from_file_location("bootstrap_under_test", ROOT / "installer/bootstrap.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    calls = []

    def call(cmd, env=None, cwd=None):
        calls.append((cmd, Path(cwd or os.getcwd())))
        return 0

    monkeypatch.setattr(module, "ensure_installed", lambda extra: tmp_path / "venv/bin/python")
    monkeypatch.setattr(subprocess, "call", call)
    # omnidesk and the demo run under a parent that passes SIGTERM/SIGINT on (tested with real processes in
    # tests/client/test_platform_check.py); here only what is run, and where.
    monkeypatch.setattr(module, "call_forwarding_signals", lambda cmd, env: call(cmd, env))
    monkeypatch.chdir(tmp_path)
    return module, calls


def test_omnidesk_and_demo_run_where_the_caller_is(bootstrap, tmp_path):
    module, calls = bootstrap
    assert module.main(["omnidesk", "--config", "omnidesk.toml", "db", "current"]) == 0
    assert module.main(["demo", "--headless", "--data-dir", "demo-data"]) == 0
    assert [cwd for _, cwd in calls] == [tmp_path, tmp_path]
    assert calls[0][0][-4:] == ["--config", "omnidesk.toml", "db", "current"]
    assert Path.cwd() == tmp_path


def test_tests_run_in_the_checkout(bootstrap, tmp_path, monkeypatch):
    module, calls = bootstrap
    monkeypatch.delenv("OMNIDESK_TEST_WORKERS", raising=False)
    monkeypatch.delenv("OMNIDESK_TEST_RERUNS", raising=False)
    assert module.main(["test", "tests/domain", "-q"]) == 0
    ((cmd, cwd),) = calls
    workers = str(max(2, os.cpu_count() or 1))
    assert cwd == ROOT and cmd[1:] == [
        "-m",
        "pytest",
        "-n",
        workers,
        "--dist",
        "loadfile",
        "--max-worker-restart=0",
        "--reruns",
        "2",
        "--reruns-delay",
        "2",
        "-raR",
        "tests/domain",
        "-q",
        "--junitxml",  # read afterwards: a test whose worker crashed is run once more (run_surviving_a_crashed_worker)
        cmd[-3],
        "-o",
        "junit_family=xunit1",
    ]
    assert Path.cwd() == tmp_path


@pytest.mark.parametrize(
    ("args", "workers", "expected"),
    [
        (["-n", "1"], None, ["-n", "1"]),  # the caller's own choice stands
        (["-p", "no:xdist"], None, ["-p", "no:xdist"]),
        ([], "0", []),  # OMNIDESK_TEST_WORKERS=0: serial
        ([], "3", ["-n", "3", "--dist", "loadfile", "--max-worker-restart=0"]),
    ],
)
def test_the_suite_runs_in_parallel_unless_told_otherwise(bootstrap, monkeypatch, args, workers, expected):
    module, calls = bootstrap
    monkeypatch.setenv("OMNIDESK_TEST_RERUNS", "0")
    if workers is None:
        monkeypatch.delenv("OMNIDESK_TEST_WORKERS", raising=False)
    else:
        monkeypatch.setenv("OMNIDESK_TEST_WORKERS", workers)
    assert module.main(["test", *args]) == 0
    ((cmd, _cwd),) = calls
    assert cmd[3:] == expected


@pytest.mark.parametrize(
    ("args", "reruns", "expected"),
    [
        ([], None, ["--reruns", "2", "--reruns-delay", "2", "-raR"]),  # a failed test runs again, up to twice
        ([], "0", []),  # OMNIDESK_TEST_RERUNS=0: no reruns
        ([], "1", ["--reruns", "1", "--reruns-delay", "2", "-raR"]),
        (["--reruns", "5"], None, ["--reruns", "5"]),  # the caller's own choice stands
    ],
)
def test_a_failed_test_runs_again_unless_told_otherwise(bootstrap, monkeypatch, args, reruns, expected):
    module, calls = bootstrap
    monkeypatch.setenv("OMNIDESK_TEST_WORKERS", "0")
    if reruns is None:
        monkeypatch.delenv("OMNIDESK_TEST_RERUNS", raising=False)
    else:
        monkeypatch.setenv("OMNIDESK_TEST_RERUNS", reruns)
    assert module.main(["test", *args]) == 0
    ((cmd, _cwd),) = calls
    assert cmd[3:] == expected


def test_a_crashed_workers_test_and_what_passed_are_read_from_the_junit_report(bootstrap, tmp_path):
    module, _calls = bootstrap
    report = tmp_path / "report.xml"
    report.write_text(
        """<?xml version="1.0" encoding="utf-8"?><testsuites><testsuite name="pytest">
        <testcase classname="tests.client.test_a" name="test_ok" file="tests/client/test_a.py" line="3"/>
        <testcase classname="tests.client.test_a" name="test_skip[pg]" file="tests/client/test_a.py" line="5">
          <skipped message="no"/></testcase>
        <testcase classname="tests.client.test_b" name="test_boom" file="tests/client/test_b.py" line="1">
          <error message="worker 'gw0' crashed while running 'tests/client/test_b.py::test_boom'"/>
        </testcase>
        <testcase classname="tests.client.test_b" name="test_wrong" file="tests/client/test_b.py" line="9">
          <failure message="assert 1 == 2"/></testcase>
        </testsuite></testsuites>"""
    )
    crashed, done, failed = module.crash_report(report)
    assert crashed == ["tests/client/test_b.py::test_boom"]
    assert done == [["tests/client/test_a.py", "test_ok"], ["tests/client/test_a.py", "test_skip[pg]"]]
    assert failed == ["tests/client/test_b.py::test_wrong"]


def test_a_test_that_failed_after_reruns_is_never_left_out_of_the_verdict(bootstrap, tmp_path):
    """A rerun test appears once per attempt; an attempt without a failure element must not make it "done" (seen in
    CI: a real failure vanished behind a crash's second pass)."""
    module, _calls = bootstrap
    report = tmp_path / "report.xml"
    report.write_text(
        """<?xml version="1.0" encoding="utf-8"?><testsuites><testsuite name="pytest">
        <testcase classname="tests.test_layout" name="test_rule" file="tests/test_layout.py" line="3"/>
        <testcase classname="tests.test_layout" name="test_rule" file="tests/test_layout.py" line="3">
          <failure message="AssertionError: imports another feature's views"/></testcase>
        <testcase classname="tests.client.test_b" name="test_boom" file="tests/client/test_b.py" line="1">
          <error message="worker 'gw1' crashed while running 'tests/client/test_b.py::test_boom'"/>
        </testcase>
        </testsuite></testsuites>"""
    )
    crashed, done, failed = module.crash_report(report)
    assert crashed == ["tests/client/test_b.py::test_boom"]
    assert done == [] and failed == ["tests/test_layout.py::test_rule"]


def test_a_crash_with_a_real_failure_fails_the_run_without_a_second_pass(bootstrap, monkeypatch, tmp_path):
    module, _calls = bootstrap
    runs: list[list[str]] = []

    def suite(cmd, env, cwd):
        runs.append(cmd)
        report = cmd[cmd.index("--junitxml") + 1]
        Path(report).write_text(
            """<?xml version="1.0" encoding="utf-8"?><testsuites><testsuite name="pytest">
            <testcase classname="t" name="test_real" file="tests/test_x.py"><failure message="no"/></testcase>
            <testcase classname="t" name="test_boom" file="tests/client/test_b.py">
              <error message="worker 'gw1' crashed while running 'tests/client/test_b.py::test_boom'"/></testcase>
            </testsuite></testsuites>"""
        )
        return 1

    monkeypatch.setattr(module.subprocess, "call", suite)
    assert module.run_surviving_a_crashed_worker(["pytest"], {}) == 1
    assert len(runs) == 1, "no second pass that could hide the failure"
