<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ru" sourcelanguage="en">
<context>
    <name>ExportActions</name>
    <message>
        <source>Export the conversation (PDF, HTML)…</source>
        <translation>Экспортировать разговор (PDF, HTML)…</translation>
    </message>
    <message>
        <source>Export the customer&apos;s whole history (PDF, HTML)…</source>
        <translation>Экспортировать всю историю клиента (PDF, HTML)…</translation>
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
