"""The workspace at 125 % and 150 % display scaling (issue 16): every text fits its widget in each language, the
window is drawn at the scaled resolution. Qt reads the scale when its application starts, so each scale runs the
real client in a process of its own (offscreen, QT_SCALE_FACTOR), signed in to this test's server. With
OMNIDESK_SCREENSHOTS=<folder> the screenshots are kept (workspace_<language>_<percent>.png)."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.client.scenes import OPEN_CUSTOMER, seed
from tests.helpers import free_port

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = os.environ.get("OMNIDESK_SCREENSHOTS")
pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)

CLIENT = """
import asyncio, json, sys
from pathlib import Path
sys.path.insert(0, sys.argv[1])
import keyring
from PySide6.QtWidgets import QApplication
from omnidesk.client.eventloop import ClientLoop
from tests.client.live import MemoryKeyring, clipped_texts, signed_in, until

root, url, conversation_id, folder, percent = sys.argv[1:6]
keyring.set_keyring(MemoryKeyring())
app = QApplication([])


async def main():
    client = await signed_in(Path(folder) / "home", url, "olena")
    window = client.window
    window.resize(1280, 800)
    window.open_conversation(int(conversation_id))
    await until(lambda: window.messages.rowCount() == 5, what="the open conversation")
    await until(lambda: window.customer_panel.loads >= 1, what="the card")
    found = {"ratio": window.devicePixelRatioF(), "clipped": {}, "sizes": {}}
    for code in ("en", "uk", "ru"):
        client.choose_language(code)
        await asyncio.sleep(0.4)
        found["clipped"][code] = clipped_texts(window)
        shot = window.grab()
        found["sizes"][code] = [shot.width(), shot.height()]
        shot.save(str(Path(folder) / f"workspace_{code}_{percent}.png"))
    client.quit()
    await client.wait()
    print("RESULT " + json.dumps(found))


with asyncio.Runner(loop_factory=lambda: ClientLoop(app)) as runner:
    runner.run(main())
"""


@pytest.mark.parametrize("scale", ["1.25", "1.5"])
async def test_the_workspace_at_125_and_150_percent_scaling(api, webhook_sink, tmp_path, scale):
    desk = await seed(api, webhook_sink.url, f"http://127.0.0.1:{free_port()}/down")
    percent = str(round(float(scale) * 100))
    folder = Path(SCREENSHOTS) if SCREENSHOTS else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "QT_SCALE_FACTOR": scale}
    args = [sys.executable, "-c", CLIENT, str(ROOT), api.url, str(desk.conversations[OPEN_CUSTOMER]), str(folder)]
    # In a thread: this test's loop goes on serving the client's requests meanwhile.
    done = await asyncio.to_thread(
        subprocess.run, [*args, percent], env=env, capture_output=True, text=True, timeout=180
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith("RESULT ")]
    assert done.returncode == 0 and lines, done.stderr[-3000:]
    found = json.loads(lines[-1].removeprefix("RESULT "))
    assert found["ratio"] == pytest.approx(float(scale))
    for code, size in found["sizes"].items():  # drawn at the scaled resolution, not stretched afterwards
        assert size == [round(1280 * float(scale)), round(800 * float(scale))], (code, size)
    assert found["clipped"] == {"en": [], "uk": [], "ru": []}, found["clipped"]
