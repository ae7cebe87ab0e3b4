<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="en">
<context>
    <name>HistorySearchWindow</name>
    <message>
        <source>Search the message history</source>
        <translation>Search the message history</translation>
    </message>
    <message>
        <source>Words or part of a number, e.g. card blocked or 4412</source>
        <translation>Words or part of a number, e.g. card blocked or 4412</translation>
    </message>
    <message>
        <source>Channel:</source>
        <translation>Channel:</translation>
    </message>
    <message>
        <source>Show:</source>
        <translation>Show:</translation>
    </message>
    <message>
        <source>Period</source>
        <translation>Period</translation>
    </message>
    <message>
        <source>Show more</source>
        <translation>Show more</translation>
    </message>
    <message>
        <source>Open conversation</source>
        <translation>Open conversation</translation>
    </message>
    <message>
        <source>Type at least three letters or digits.</source>
        <translation>Type at least three letters or digits.</translation>
    </message>
    <message>
        <source>All channels</source>
        <translation>All channels</translation>
    </message>
    <message>
        <source>Messages and notes</source>
        <translation>Messages and notes</translation>
    </message>
    <message>
        <source>Messages only</source>
        <translation>Messages only</translation>
    </message>
    <message>
        <source>Notes only</source>
        <translation>Notes only</translation>
    </message>
    <message>
        <source>Searching…</source>
        <translation>Searching…</translation>
    </message>
    <message>
        <source>Nothing found. Try another word form or fewer words.</source>
        <translation>Nothing found. Try another word form or fewer words.</translation>
    </message>
    <message numerus="yes">
        <source>%Ln message(s) shown; there are more.</source>
        <translation>
            <numerusform>%Ln message shown; there are more.</numerusform>
            <numerusform>%Ln messages shown; there are more.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln message(s) found.</source>
        <translation>
            <numerusform>%Ln message found.</numerusform>
            <numerusform>%Ln messages found.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>HitDelegate</name>
    <message>
        <source>Customer %1</source>
        <translation>Customer %1</translation>
    </message>
    <message>
        <source>note by %1</source>
        <translation>note by %1</translation>
    </message>
    <message>
        <source>reply by %1</source>
        <translation>reply by %1</translation>
    </message>
    <message>
        <source>from the customer</source>
        <translation>from the customer</translation>
    </message>
</context>
</TS>
