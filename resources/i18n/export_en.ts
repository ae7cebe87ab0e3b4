<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="en">
<context>
    <name>ExportActions</name>
    <message>
        <source>Export the conversation with internal notes (PDF, HTML)…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export the conversation: customer&apos;s copy (PDF, HTML)…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export the customer&apos;s whole history with internal notes (PDF, HTML)…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export the customer&apos;s whole history: customer&apos;s copy (PDF, HTML)…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Without internal notes, system lines, queue and assignee: what may be handed to the customer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open a conversation first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PDF document (*.pdf)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Web page (*.html)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Exporting…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not save %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
