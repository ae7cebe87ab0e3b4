"""Export and print from the client (issue 15): a supervisor saves the open conversation and the customer's whole
history as PDF and HTML through the Conversation menu; an operator without the permission is not offered it."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.client.live import settle, signed_in, until

SQLITE_ONLY = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
SCREENSHOTS = os.environ.get("OMNIDESK_SCREENSHOTS")


@SQLITE_ONLY
async def test_a_supervisor_saves_the_conversation_and_the_history_and_an_operator_is_not_offered_it(
    api, tmp_path, memory_keyring
):
    channel_id, token = await api.channel("Site")
    ack = (
        await api.inbound(channel_id, token, "x-1", "+380501110077", "Прошу виписку за листопад", name="Ірина")
    ).json()
    await api.user("sup", "supervisor")
    client = await signed_in(tmp_path / "sup", api.url, "sup")
    window = client.window
    exports = window.exports
    assert exports.conversation_action.isVisible() and exports.conversation_action in window.conversation_menu.actions()
    window.open_conversation(ack["conversation_id"])
    await until(lambda: window.open_conversation_id == ack["conversation_id"], what="the conversation open")
    dialog = exports.choose("conversation")
    assert dialog is not None and dialog.selectedFiles()[0].endswith(f"conversation-{ack['conversation_id']}.pdf")
    dialog.reject()
    for code, text in (("uk", "Експортувати розмову (PDF, HTML)…"), ("en", "Export the conversation (PDF, HTML)…")):
        client.choose_language(code)
        await until(lambda t=text: exports.conversation_action.text() == t, what=f"the menu in {code}")
        if SCREENSHOTS:
            window.conversation_menu.popup(window.mapToGlobal(window.rect().topLeft()))
            window.conversation_menu.grab().save(str(Path(SCREENSHOTS) / f"export_menu_{code}.png"))
            window.conversation_menu.hide()
    pdf = tmp_path / "out" / "conversation.pdf"
    pdf.parent.mkdir()
    exports.export_to("conversation", pdf)
    await until(lambda: pdf.exists(), what="the PDF saved")
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.read_bytes())).pages)
    assert "Прошу виписку за листопад" in text and "Ірина" in text
    assert "Saved" in window.statusBar().currentMessage()
    page = tmp_path / "out" / "history.html"
    exports.export_to("history", page)
    await until(lambda: page.exists(), what="the HTML saved")
    assert "Customer history: Ірина" in page.read_text(encoding="utf-8")
    await settle(client)

    await api.user("olena")
    operator = await signed_in(tmp_path / "op", api.url, "olena")
    assert not operator.window.exports.conversation_action.isVisible()
    assert not operator.window.exports.history_action.isEnabled()
    await settle(operator)
