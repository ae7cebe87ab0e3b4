"""``omnidesk demo --headless`` as a real process: URL and logins printed, logins work, live traffic reaches the
event stream, SIGTERM ends it cleanly with exit code 0; a port already taken is refused in words."""

from __future__ import annotations

import asyncio
import os
import queue
import signal
import socket
import subprocess
import threading
import time

import httpx
import pytest

from tests.helpers import free_port, omnidesk_cmd
from tests.sse import StreamReader, of_type

pytestmark = pytest.mark.slow


class Output:
    """Collects a process's output lines on a thread, so the test can wait for one without blocking forever."""

    def __init__(self, proc: subprocess.Popen) -> None:
        self.lines: list[str] = []
        self._queue: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._pump, args=(proc,), daemon=True).start()

    def _pump(self, proc: subprocess.Popen) -> None:
        for line in proc.stdout:
            self._queue.put(line.rstrip("\n"))
        self._queue.put(None)

    def wait_for(self, text: str, timeout: float) -> str:
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            try:
                line = self._queue.get(timeout=left)
            except queue.Empty:
                break
            if line is None:
                break
            self.lines.append(line)
            if text in line:
                return "\n".join(self.lines)
        raise AssertionError(f"{text!r} not printed; output so far:\n" + "\n".join(self.lines))


def start_demo(*args: str, data_dir, interval: str = "0.3") -> subprocess.Popen:
    env = {**os.environ, "OMNIDESK_DEMO_INTERVAL": interval, "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen(
        omnidesk_cmd("demo", "--headless", "--data-dir", str(data_dir), *args),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )


async def watch_traffic(url: str, headers: dict, count: int) -> list[dict]:
    async with StreamReader(url, headers) as stream:
        return await stream.wait_for(lambda events: len(of_type(events, "message.created")) >= count, timeout=30)


def test_headless_demo_prints_logins_serves_live_traffic_and_stops_on_sigterm(tmp_path):
    port = free_port()
    proc = start_demo("--port", str(port), data_dir=tmp_path)
    try:
        output = Output(proc).wait_for("Ctrl+C", timeout=120)
        url = f"http://127.0.0.1:{port}"
        assert f"serving on {url}" in output
        for login in ("operator / operator", "supervisor / supervisor", "admin / admin"):
            assert login in output
        tokens = {}
        for username in ("operator", "supervisor", "admin"):
            r = httpx.post(f"{url}/api/v1/auth/login", json={"username": username, "password": username}, timeout=30)
            assert r.status_code == 200, r.text
            assert r.json()["user"]["role"] == username
            tokens[username] = r.json()["access_token"]
        headers = {"Authorization": f"Bearer {tokens['operator']}"}
        events = asyncio.run(watch_traffic(url, headers, 3))
        created = of_type(events, "message.created")
        assert all(e["payload"]["message"]["direction"] == "in" for e in created)
        assert (tmp_path / "omnidesk-demo.db").is_file()
        assert_reply_is_sent(url, headers)

        started = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(30) == 0
        assert time.monotonic() - started < 15, "stops promptly"
        with pytest.raises(httpx.ConnectError):
            httpx.get(f"{url}/healthz", timeout=2)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def assert_reply_is_sent(url: str, headers: dict) -> None:
    """An operator's answer goes out through the demo's channels and turns "sent"."""
    r = httpx.get(f"{url}/api/v1/conversations", params={"status": "open", "limit": 1}, headers=headers, timeout=30)
    (conversation,) = r.json()["items"]
    r = httpx.post(
        f"{url}/api/v1/conversations/{conversation['id']}/messages",
        json={"text": "Thank you, we are on it."},
        headers=headers,
        timeout=30,
    )
    assert r.status_code == 201, r.text
    reply_id = r.json()["id"]
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        history = httpx.get(
            f"{url}/api/v1/conversations/{conversation['id']}/messages", headers=headers, timeout=30
        ).json()["items"]
        (reply,) = [m for m in history if m["id"] == reply_id]
        if reply["delivery_status"] == "sent":
            return
        time.sleep(0.2)
    raise AssertionError(f"the reply stayed {reply['delivery_status']}: {reply.get('delivery_error')}")


def test_headless_demo_refuses_a_port_in_use_in_words(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        proc = start_demo("--port", str(port), data_dir=tmp_path)
        try:
            out, _ = proc.communicate(timeout=120)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    assert proc.returncode == 2
    assert f"cannot listen on 127.0.0.1:{port}" in out
    assert "Traceback" not in out
