"""A transcript of conversations as a document: HTML (one self-contained, print-friendly file) or PDF (fpdf2).

Everything shown is escaped (HTML) or drawn as text (PDF): a message body is never markup. Labels come in the
document's language (uk, ru, en); times in the time zone asked for, with the offset written out.
"""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

LABELS: dict[str, dict[str, str]] = {
    "en": {
        "title_conversation": "Conversation {id}",
        "title_customer": "Customer history: {name}",
        "exported": "Exported by {who} on {at}",
        "customer": "Customer",
        "identities": "Identifiers",
        "channel": "Channel",
        "queue": "Queue",
        "status": "Status",
        "opened": "Opened",
        "assignee": "Assignee",
        "customer_side": "Customer",
        "note": "Internal note",
        "system": "System",
        "files": "Files",
        "page": "Page {n} of {total}",
        "none": "none",
        "conversations": "{n} conversation(s), {m} message(s)",
        "truncated": "Only the first {n} messages are included.",
        "exported_on": "Exported on {at}",
        "customer_copy": "The customer's copy: internal notes, system lines and service fields are left out.",
    },
    "uk": {
        "title_conversation": "Розмова {id}",
        "title_customer": "Історія клієнта: {name}",
        "exported": "Експортував(ла) {who}, {at}",
        "customer": "Клієнт",
        "identities": "Ідентифікатори",
        "channel": "Канал",
        "queue": "Черга",
        "status": "Стан",
        "opened": "Відкрито",
        "assignee": "Виконавець",
        "customer_side": "Клієнт",
        "note": "Внутрішня нотатка",
        "system": "Система",
        "files": "Файли",
        "page": "Сторінка {n} з {total}",
        "none": "немає",
        "conversations": "Розмов: {n}, повідомлень: {m}",
        "truncated": "Включено лише перші {n} повідомлень.",
        "exported_on": "Експортовано {at}",
        "customer_copy": "Примірник для клієнта: внутрішні нотатки, системні рядки та службові поля не включено.",
    },
    "ru": {
        "title_conversation": "Разговор {id}",
        "title_customer": "История клиента: {name}",
        "exported": "Экспортировал(а) {who}, {at}",
        "customer": "Клиент",
        "identities": "Идентификаторы",
        "channel": "Канал",
        "queue": "Очередь",
        "status": "Статус",
        "opened": "Открыт",
        "assignee": "Исполнитель",
        "customer_side": "Клиент",
        "note": "Внутренняя заметка",
        "system": "Система",
        "files": "Файлы",
        "page": "Страница {n} из {total}",
        "none": "нет",
        "conversations": "Разговоров: {n}, сообщений: {m}",
        "truncated": "Включены только первые {n} сообщений.",
        "exported_on": "Экспортировано {at}",
        "customer_copy": "Экземпляр для клиента: внутренние заметки, системные строки и служебные поля не включены.",
    },
}
STATUS_WORDS = {
    "en": {"open": "open", "pending": "pending", "resolved": "resolved"},
    "uk": {"open": "відкрита", "pending": "очікує", "resolved": "вирішена"},
    "ru": {"open": "открыт", "pending": "ожидает", "resolved": "решён"},
}


@dataclass(frozen=True)
class Entry:
    at: dt.datetime
    direction: str  # in, out
    kind: str  # text, note, system
    author: str | None
    text: str
    files: tuple[tuple[str, int], ...] = ()  # (name, size in bytes)
    key: int = 0  # the message's id (where the next page starts)


@dataclass
class Section:
    """One conversation of the transcript."""

    conversation_id: int
    channel: str
    queue: str | None
    status: str
    opened: dt.datetime
    assignee: str | None
    entries: list[Entry] = field(default_factory=list)


@dataclass
class Transcript:
    kind: str  # "conversation" or "customer"
    organisation: str
    exported_by: str
    exported_at: dt.datetime
    customer: str
    identities: list[str]
    sections: list[Section]
    zone: dt.tzinfo
    language: str = "en"
    truncated_at: int | None = None  # the message cap, when the history was longer
    notes: bool = True  # False: the customer's copy (no notes, no system lines, no queue or assignee)
    count: int | None = None  # the number of messages when ``sections`` come without their entries (streamed)

    def label(self, key: str, **values: Any) -> str:
        return LABELS.get(self.language, LABELS["en"])[key].format(**values)

    def when(self, moment: dt.datetime) -> str:
        local = moment.astimezone(self.zone)
        return local.strftime("%Y-%m-%d %H:%M:%S ") + local.strftime("%z")[:3] + ":" + local.strftime("%z")[3:]

    @property
    def title(self) -> str:
        if self.kind == "conversation" and self.sections:
            return self.label("title_conversation", id=self.sections[0].conversation_id)
        return self.label("title_customer", name=self.customer)

    def status_word(self, status: str) -> str:
        return STATUS_WORDS.get(self.language, STATUS_WORDS["en"]).get(status, status)

    def who(self, entry: Entry, section: Section) -> str:
        if entry.kind == "note":
            return f"{self.label('note')} · {entry.author or ''}".rstrip(" ·")
        if entry.kind == "system":
            return self.label("system")
        if entry.direction == "in":
            return f"{self.customer} ({section.channel})"
        return entry.author or section.channel

    def header_rows(self, section: Section) -> list[tuple[str, str]]:
        rows = [
            (self.label("channel"), section.channel),
            (self.label("queue"), section.queue or self.label("none")),
            (self.label("status"), self.status_word(section.status)),
            (self.label("opened"), self.when(section.opened)),
            (self.label("assignee"), section.assignee or self.label("none")),
        ]
        if not self.notes:  # the queue and the assignee are the organisation's own business
            rows = [rows[0], rows[2], rows[3]]
        return rows

    @property
    def exported_line(self) -> str:
        if not self.notes:
            return self.label("exported_on", at=self.when(self.exported_at))
        return self.label("exported", who=self.exported_by, at=self.when(self.exported_at))

    @property
    def message_count(self) -> int:
        return self.count if self.count is not None else sum(len(s.entries) for s in self.sections)


def _size(n: int) -> str:
    return f"{n / 1048576:.1f} MB" if n >= 1048576 else f"{max(1, round(n / 1024))} KB"


_CSS = """
body { font: 13px/1.45 "DejaVu Sans", "Segoe UI", Arial, sans-serif; color: #1b1f24; margin: 24px auto;
  max-width: 860px; }
h1 { font-size: 20px; margin: 0 0 4px; } h2 { font-size: 15px; margin: 28px 0 6px; border-bottom: 1px solid #d0d7de; }
.meta { color: #57606a; margin: 0 0 14px; } table.head { border-collapse: collapse; margin: 6px 0 10px; }
table.head th { text-align: left; color: #57606a; font-weight: normal; padding: 1px 14px 1px 0; }
.msg { margin: 8px 0; padding: 8px 11px; border-radius: 8px; border: 1px solid #d0d7de; page-break-inside: avoid; }
.in { background: #ffffff; } .out { background: #ddf4ff; } .note { background: #fff8c5; border-style: dashed; }
.system { background: #f6f8fa; color: #57606a; font-style: italic; }
.who { font-weight: 600; } .at { color: #57606a; font-size: 12px; margin-left: 8px; }
.text { white-space: pre-wrap; word-wrap: break-word; margin-top: 3px; } .files { color: #57606a; margin-top: 4px; }
@media print { body { margin: 0; max-width: none; } .msg { border-color: #999; } }
"""


def html_head(t: Transcript) -> str:
    """The page up to the first conversation: title, who exported it, the customer."""
    e = html.escape
    out = [
        f'<!doctype html><html lang="{e(t.language)}"><head><meta charset="utf-8">',
        f"<title>{e(t.title)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{e(t.title)}</h1>",
        f'<p class="meta">{e(t.organisation)} · {e(t.exported_line)}'
        f" · {e(t.label('conversations', n=len(t.sections), m=t.message_count))}</p>",
    ]
    if not t.notes:
        out.append(f'<p class="meta">{e(t.label("customer_copy"))}</p>')
    out += [
        f'<table class="head"><tr><th>{e(t.label("customer"))}</th><td>{e(t.customer)}</td></tr>',
        f"<tr><th>{e(t.label('identities'))}</th><td>{e(', '.join(t.identities) or t.label('none'))}</td></tr></table>",
    ]
    if t.truncated_at is not None:
        out.append(f'<p class="meta">{e(t.label("truncated", n=t.truncated_at))}</p>')
    return "\n".join(out) + "\n"


def html_section(t: Transcript, section: Section) -> str:
    """A conversation's heading (in a history) and its facts."""
    e = html.escape
    out = []
    if t.kind == "customer":
        out.append(f"<h2>{e(t.label('title_conversation', id=section.conversation_id))}</h2>")
    out.append('<table class="head">')
    out += [f"<tr><th>{e(k)}</th><td>{e(v)}</td></tr>" for k, v in t.header_rows(section)]
    out.append("</table>")
    return "\n".join(out) + "\n"


def html_entries(t: Transcript, section: Section, entries: list[Entry]) -> str:
    """Messages of ``section``, each a self-contained block (a page of them at a time when streamed)."""
    e = html.escape
    out = []
    for entry in entries:
        css = entry.kind if entry.kind in ("note", "system") else entry.direction
        out.append(
            f'<div class="msg {css}"><span class="who">{e(t.who(entry, section))}</span>'
            f'<span class="at">{e(t.when(entry.at))}</span><div class="text">{e(entry.text)}</div>'
        )
        if entry.files:
            names = ", ".join(f"{name} ({_size(size)})" for name, size in entry.files)
            out.append(f'<div class="files">{e(t.label("files"))}: {e(names)}</div>')
        out.append("</div>")
    return "\n".join(out) + "\n" if out else ""


HTML_TAIL = "</body></html>"


def to_html(t: Transcript) -> str:
    """The whole page at once, of a transcript that holds its entries (the streamed export writes the same parts)."""
    parts = [html_head(t)]
    for section in t.sections:
        parts += [html_section(t, section), html_entries(t, section, section.entries)]
    parts.append(HTML_TAIL)
    return "".join(parts)


def _font_path(name: str) -> str:
    return str(resources.files("omnidesk.server.export") / "fonts" / name)


def to_pdf(t: Transcript) -> bytes:
    from fpdf import FPDF
    from fpdf.enums import XPos, YPos

    class Document(FPDF):
        def header(self) -> None:
            self.set_font("DejaVu", "", 8)
            self.set_text_color(110, 118, 129)
            self.cell(0, 5, f"{t.organisation} · {t.title}", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            self.ln(2)

        def footer(self) -> None:
            self.set_y(-12)
            self.set_font("DejaVu", "", 8)
            self.set_text_color(110, 118, 129)
            self.cell(0, 5, t.label("page", n=self.page_no(), total="{nb}"), align="C")

    pdf = Document(format="A4")
    pdf.set_title(t.title)
    pdf.set_author(t.exported_by)
    pdf.set_creator("OmniDesk")
    pdf.add_font("DejaVu", "", _font_path("DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", _font_path("DejaVuSans-Bold.ttf"))
    pdf.set_auto_page_break(True, margin=16)
    pdf.alias_nb_pages()
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin

    def line(text: str, size: float = 10, bold: bool = False, colour=(27, 31, 36), height: float = 5) -> None:
        pdf.set_font("DejaVu", "B" if bold else "", size)
        pdf.set_text_color(*colour)
        pdf.multi_cell(width, height, _printable(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    line(t.title, 15, bold=True, height=8)
    line(t.exported_line, 9, colour=(87, 96, 106))
    if not t.notes:
        line(t.label("customer_copy"), 9, colour=(87, 96, 106))
    line(t.label("conversations", n=len(t.sections), m=t.message_count), 9, colour=(87, 96, 106))
    line(f"{t.label('customer')}: {t.customer}", 10, bold=True)
    line(f"{t.label('identities')}: {', '.join(t.identities) or t.label('none')}", 9)
    if t.truncated_at is not None:
        line(t.label("truncated", n=t.truncated_at), 9, colour=(207, 34, 46))
    for section in t.sections:
        pdf.ln(3)
        if t.kind == "customer":
            line(t.label("title_conversation", id=section.conversation_id), 12, bold=True, height=7)
        line(" · ".join(f"{k}: {v}" for k, v in t.header_rows(section)), 8, colour=(87, 96, 106), height=4.5)
        pdf.ln(1)
        for entry in section.entries:
            tint = {"note": (154, 103, 0), "system": (110, 118, 129)}.get(entry.kind)
            tint = tint or ((9, 105, 218) if entry.direction == "out" else (27, 31, 36))
            line(f"{t.who(entry, section)}  ·  {t.when(entry.at)}", 8.5, bold=True, colour=tint, height=4.5)
            line(entry.text or "", 10)
            if entry.files:
                names = ", ".join(f"{name} ({_size(size)})" for name, size in entry.files)
                line(f"{t.label('files')}: {names}", 8.5, colour=(87, 96, 106), height=4.5)
            pdf.ln(1.5)
    return bytes(pdf.output())


def _printable(text: str) -> str:
    """What the embedded font can draw: characters outside the Basic Multilingual Plane (emoji) become U+FFFD."""
    return "".join(ch if ord(ch) < 0x10000 and (ch == "\n" or ch.isprintable()) else "\ufffd" for ch in text)
