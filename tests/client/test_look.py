"""The look (issue 16): the main window with a conversation open and the card, the offline banner and the merge dialog,
in English, Ukrainian and Russian, light and dark (and high contrast), texts fitting their widgets. With
OMNIDESK_SCREENSHOTS=<folder> the run saves them (<screen>_<language>_<theme>.png) for the README."""

from __future__ import annotations

import asyncio
import os
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from omnidesk.client.views import theme
from omnidesk.client.views.merge_dialog import MergeDialog
from omnidesk.protocol.customers import CustomerOut
from tests.client.live import clipped_texts, settle, signed_in, until
from tests.client.scenes import OPEN_CUSTOMER, seed
from tests.helpers import free_port

SCREENSHOTS = os.environ.get("OMNIDESK_SCREENSHOTS")
SIZE = (1280, 800)
pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


def _merge_dialog() -> MergeDialog:
    now = datetime(2026, 1, 1, tzinfo=UTC)
    group = [{"kind": "phone", "items": [{"id": 1, "kind": "phone", "value": "+380501234567", "created_at": now}]}]
    rich = CustomerOut.model_validate({"id": 1, "name": "Мельник Тарас Іванович", "identities": group, "language": "uk",
                                       "conversations": 3, "created_at": now, "updated_at": now})  # fmt: skip
    poor = CustomerOut(id=2, name="Тарас М.", conversations=1, created_at=now, updated_at=now)
    return MergeDialog(poor, rich, [])


async def test_the_workspace_in_three_languages_and_three_themes(api, webhook_sink, tmp_path, memory_keyring):
    desk = await seed(api, webhook_sink.url, f"http://127.0.0.1:{free_port()}/down")
    client = await signed_in(tmp_path, api.url, "olena")
    window = client.window
    window.resize(*SIZE)
    await until(lambda: window.inbox.rowCount() == len(desk.conversations), what="the whole inbox")
    row = window.inbox.row_of(desk.conversations[OPEN_CUSTOMER])
    window.inbox_pane.list.setCurrentIndex(window.inbox.index(row, 0))
    await until(lambda: window.messages.rowCount() == 5, what="the open conversation")
    await until(lambda: window.customer_panel.loads >= 1, what="the card")
    target = Path(SCREENSHOTS) if SCREENSHOTS else tmp_path
    target.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance()
    try:
        for name in ("light", "dark", "contrast"):
            theme.apply(app, name)
            for code in ("en", "uk", "ru"):
                client.choose_language(code)
                await asyncio.sleep(0.3)
                window.offline_banner.set_state("connecting")
                await asyncio.sleep(0.05)
                clipped = clipped_texts(window)
                assert clipped == [], f"{name} {code}: {clipped}"
                assert window.grab().save(str(target / f"workspace_{code}_{name}.png"))
                if name == "contrast":
                    continue
                window.offline_banner.set_state("offline")
                await asyncio.sleep(0.1)
                assert window.offline_banner.isVisible()
                assert window.grab().save(str(target / f"offline_{code}_{name}.png"))
                window.offline_banner.set_state("connecting")
                dialog = _merge_dialog()
                dialog.show()
                await asyncio.sleep(0.1)
                assert dialog.survivor.name == "Мельник Тарас Іванович"
                assert dialog.grab().save(str(target / f"merge_{code}_{name}.png"))
                dialog.close()
                dialog.deleteLater()
    finally:
        theme.apply(app, "light")
        client.choose_language("en")
        await settle(client)
