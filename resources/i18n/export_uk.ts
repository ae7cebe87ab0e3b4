<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="uk" sourcelanguage="en">
<context>
    <name>ExportActions</name>
    <message>
        <source>Export the conversation with internal notes (PDF, HTML)…</source>
        <translation>Експортувати розмову з внутрішніми нотатками (PDF, HTML)…</translation>
    </message>
    <message>
        <source>Export the conversation: customer&apos;s copy (PDF, HTML)…</source>
        <translation>Експортувати розмову: примірник для клієнта (PDF, HTML)…</translation>
    </message>
    <message>
        <source>Export the customer&apos;s whole history with internal notes (PDF, HTML)…</source>
        <translation>Експортувати всю історію клієнта з внутрішніми нотатками (PDF, HTML)…</translation>
    </message>
    <message>
        <source>Export the customer&apos;s whole history: customer&apos;s copy (PDF, HTML)…</source>
        <translation>Експортувати всю історію клієнта: примірник для клієнта (PDF, HTML)…</translation>
    </message>
    <message>
        <source>Without internal notes, system lines, queue and assignee: what may be handed to the customer</source>
        <translation>Без внутрішніх нотаток, системних рядків, черги та виконавця: те, що можна передати клієнтові</translation>
    </message>
    <message>
        <source>Open a conversation first.</source>
        <translation>Спершу відкрийте розмову.</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>Експорт</translation>
    </message>
    <message>
        <source>PDF document (*.pdf)</source>
        <translation>Документ PDF (*.pdf)</translation>
    </message>
    <message>
        <source>Web page (*.html)</source>
        <translation>Вебсторінка (*.html)</translation>
    </message>
    <message>
        <source>Exporting…</source>
        <translation>Експортування…</translation>
    </message>
    <message>
        <source>Could not save %1: %2</source>
        <translation>Не вдалося зберегти %1: %2</translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation>Збережено %1</translation>
    </message>
</context>
</TS>
