<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="uk" sourcelanguage="en">
<context>
    <name>HistorySearchWindow</name>
    <message>
        <source>Search the message history</source>
        <translation>Пошук в історії повідомлень</translation>
    </message>
    <message>
        <source>Words or part of a number, e.g. card blocked or 4412</source>
        <translation>Слова або частина номера, напр. картка заблокована або 4412</translation>
    </message>
    <message>
        <source>Channel:</source>
        <translation>Канал:</translation>
    </message>
    <message>
        <source>Show:</source>
        <translation>Показати:</translation>
    </message>
    <message>
        <source>Period</source>
        <translation>Період</translation>
    </message>
    <message>
        <source>Show more</source>
        <translation>Показати ще</translation>
    </message>
    <message>
        <source>Open conversation</source>
        <translation>Відкрити розмову</translation>
    </message>
    <message>
        <source>Type at least three letters or digits.</source>
        <translation>Введіть щонайменше три літери або цифри.</translation>
    </message>
    <message>
        <source>All channels</source>
        <translation>Усі канали</translation>
    </message>
    <message>
        <source>Messages and notes</source>
        <translation>Повідомлення й нотатки</translation>
    </message>
    <message>
        <source>Messages only</source>
        <translation>Лише повідомлення</translation>
    </message>
    <message>
        <source>Notes only</source>
        <translation>Лише нотатки</translation>
    </message>
    <message>
        <source>Searching…</source>
        <translation>Шукаємо…</translation>
    </message>
    <message>
        <source>Nothing found. Try another word form or fewer words.</source>
        <translation>Нічого не знайдено. Спробуйте іншу форму слова або менше слів.</translation>
    </message>
    <message numerus="yes">
        <source>%Ln message(s) shown; there are more.</source>
        <translation>
            <numerusform>Показано %Ln повідомлення; є ще.</numerusform>
            <numerusform>Показано %Ln повідомлення; є ще.</numerusform>
            <numerusform>Показано %Ln повідомлень; є ще.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln message(s) found.</source>
        <translation>
            <numerusform>Знайдено %Ln повідомлення.</numerusform>
            <numerusform>Знайдено %Ln повідомлення.</numerusform>
            <numerusform>Знайдено %Ln повідомлень.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>HitDelegate</name>
    <message>
        <source>Customer %1</source>
        <translation>Клієнт %1</translation>
    </message>
    <message>
        <source>note by %1</source>
        <translation>нотатка: %1</translation>
    </message>
    <message>
        <source>reply by %1</source>
        <translation>відповідь: %1</translation>
    </message>
    <message>
        <source>from the customer</source>
        <translation>від клієнта</translation>
    </message>
</context>
</TS>
