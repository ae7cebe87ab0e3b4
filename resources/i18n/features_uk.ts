<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="uk" sourcelanguage="en">
<context>
    <name>Features</name>
    <message>
        <source>Reports…</source>
        <translation>Звіти…</translation>
    </message>
    <message>
        <source>Search the history…</source>
        <translation>Пошук в історії…</translation>
    </message>
</context>
</TS>
