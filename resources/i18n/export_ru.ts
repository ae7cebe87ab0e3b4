<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ru" sourcelanguage="en">
<context>
    <name>ExportActions</name>
    <message>
        <source>Export the conversation with internal notes (PDF, HTML)…</source>
        <translation>Экспортировать разговор с внутренними заметками (PDF, HTML)…</translation>
    </message>
    <message>
        <source>Export the conversation: customer&apos;s copy (PDF, HTML)…</source>
        <translation>Экспортировать разговор: экземпляр для клиента (PDF, HTML)…</translation>
    </message>
    <message>
        <source>Export the customer&apos;s whole history with internal notes (PDF, HTML)…</source>
        <translation>Экспортировать всю историю клиента с внутренними заметками (PDF, HTML)…</translation>
    </message>
    <message>
        <source>Export the customer&apos;s whole history: customer&apos;s copy (PDF, HTML)…</source>
        <translation>Экспортировать всю историю клиента: экземпляр для клиента (PDF, HTML)…</translation>
    </message>
    <message>
        <source>Without internal notes, system lines, queue and assignee: what may be handed to the customer</source>
        <translation>Без внутренних заметок, системных строк, очереди и исполнителя: то, что можно передать клиенту</translation>
    </message>
    <message>
        <source>Open a conversation first.</source>
        <translation>Сначала откройте разговор.</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>Экспорт</translation>
    </message>
    <message>
        <source>PDF document (*.pdf)</source>
        <translation>Документ PDF (*.pdf)</translation>
    </message>
    <message>
        <source>Web page (*.html)</source>
        <translation>Веб-страница (*.html)</translation>
    </message>
    <message>
        <source>Exporting…</source>
        <translation>Экспорт…</translation>
    </message>
    <message>
        <source>Could not save %1: %2</source>
        <translation>Не удалось сохранить %1: %2</translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation>Сохранено %1</translation>
    </message>
</context>
</TS>
