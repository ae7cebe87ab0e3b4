<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ru" sourcelanguage="en">
<context>
    <name>HistorySearchWindow</name>
    <message>
        <source>Search the message history</source>
        <translation>Поиск в истории сообщений</translation>
    </message>
    <message>
        <source>Words or part of a number, e.g. card blocked or 4412</source>
        <translation>Слова или часть номера, напр. карта заблокирована или 4412</translation>
    </message>
    <message>
        <source>Channel:</source>
        <translation>Канал:</translation>
    </message>
    <message>
        <source>Show:</source>
        <translation>Показать:</translation>
    </message>
    <message>
        <source>Period</source>
        <translation>Период</translation>
    </message>
    <message>
        <source>Show more</source>
        <translation>Показать ещё</translation>
    </message>
    <message>
        <source>Open conversation</source>
        <translation>Открыть разговор</translation>
    </message>
    <message>
        <source>Type at least three letters or digits.</source>
        <translation>Введите не меньше трёх букв или цифр.</translation>
    </message>
    <message>
        <source>All channels</source>
        <translation>Все каналы</translation>
    </message>
    <message>
        <source>Messages and notes</source>
        <translation>Сообщения и заметки</translation>
    </message>
    <message>
        <source>Messages only</source>
        <translation>Только сообщения</translation>
    </message>
    <message>
        <source>Notes only</source>
        <translation>Только заметки</translation>
    </message>
    <message>
        <source>Searching…</source>
        <translation>Ищем…</translation>
    </message>
    <message>
        <source>Nothing found. Try another word form or fewer words.</source>
        <translation>Ничего не найдено. Попробуйте другую форму слова или меньше слов.</translation>
    </message>
    <message numerus="yes">
        <source>%Ln message(s) shown; there are more.</source>
        <translation>
            <numerusform>Показано %Ln сообщение; есть ещё.</numerusform>
            <numerusform>Показано %Ln сообщения; есть ещё.</numerusform>
            <numerusform>Показано %Ln сообщений; есть ещё.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln message(s) found.</source>
        <translation>
            <numerusform>Найдено %Ln сообщение.</numerusform>
            <numerusform>Найдено %Ln сообщения.</numerusform>
            <numerusform>Найдено %Ln сообщений.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>HitDelegate</name>
    <message>
        <source>Customer %1</source>
        <translation>Клиент %1</translation>
    </message>
    <message>
        <source>note by %1</source>
        <translation>заметка: %1</translation>
    </message>
    <message>
        <source>reply by %1</source>
        <translation>ответ: %1</translation>
    </message>
    <message>
        <source>from the customer</source>
        <translation>от клиента</translation>
    </message>
</context>
</TS>
