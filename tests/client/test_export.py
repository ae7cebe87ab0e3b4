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
    menu = window.conversation_menu.actions()
    assert exports.conversation_copy_action in menu and exports.history_copy_action in menu
    copy_dialog = exports.choose("history", notes=False)
    assert copy_dialog is not None and copy_dialog.selectedFiles()[0].endswith("-history-customer-copy.pdf")
    copy_dialog.reject()
    for code, full, copy in (
        ("uk", "Експортувати розмову з внутрішніми нотатками (PDF, HTML)…",
         "Експортувати розмову: примірник для клієнта (PDF, HTML)…"),
        ("ru", "Экспортировать разговор с внутренними заметками (PDF, HTML)…",
         "Экспортировать разговор: экземпляр для клиента (PDF, HTML)…"),
        ("en", "Export the conversation with internal notes (PDF, HTML)…",
         "Export the conversation: customer's copy (PDF, HTML)…"),
    ):  # fmt: skip
        client.choose_language(code)
        await until(
            lambda f=full, c=copy: (
                (exports.conversation_action.text(), exports.conversation_copy_action.text()) == (f, c)
            ),
            what=f"the menu in {code}",
        )
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
    r = await api.client.post(
        f"/api/v1/conversations/{ack['conversation_id']}/messages",
        headers=await api.headers_for("sup2", "supervisor"),
        json={"text": "Внутрішнє: перевірити особу", "kind": "note", "client_key": "n-1"},
    )
    assert r.status_code in (200, 201), r.text
    with_notes, customer_copy = tmp_path / "out" / "full.html", tmp_path / "out" / "copy.html"
    exports.export_to("conversation", with_notes)
    exports.export_to("conversation", customer_copy, notes=False)
    await until(lambda: with_notes.exists() and customer_copy.exists(), what="both copies saved")
    assert "Внутрішнє: перевірити особу" in with_notes.read_text(encoding="utf-8")
    copy_text = customer_copy.read_text(encoding="utf-8")
    assert "Внутрішнє: перевірити особу" not in copy_text and "Прошу виписку за листопад" in copy_text
    await settle(client)

    await api.user("olena")
    operator = await signed_in(tmp_path / "op", api.url, "olena")
    assert not operator.window.exports.conversation_action.isVisible()
    assert not operator.window.exports.history_action.isEnabled()
    await settle(operator)
