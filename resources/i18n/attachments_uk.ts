<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="uk" sourcelanguage="en">
<context>
    <name>ConversationExtras</name>
    <message>
        <source>Window closed: choose a template</source>
        <translation>Вікно закрито: оберіть шаблон</translation>
    </message>
    <message numerus="yes">
        <source>%Ln h left to reply freely</source>
        <translation>
            <numerusform>Ще %Ln год для вільної відповіді</numerusform>
            <numerusform>Ще %Ln год для вільної відповіді</numerusform>
            <numerusform>Ще %Ln год для вільної відповіді</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln min left to reply freely</source>
        <translation>
            <numerusform>Ще %Ln хв для вільної відповіді</numerusform>
            <numerusform>Ще %Ln хв для вільної відповіді</numerusform>
            <numerusform>Ще %Ln хв для вільної відповіді</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln value(s), separated by |</source>
        <translation>
            <numerusform>%Ln значення, через |</numerusform>
            <numerusform>%Ln значення, через |</numerusform>
            <numerusform>%Ln значень, через |</numerusform>
        </translation>
    </message>
    <message>
        <source>Send files</source>
        <translation>Надіслати файли</translation>
    </message>
    <message>
        <source>The clipboard holds no image</source>
        <translation>У буфері обміну немає зображення</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>Відкрити</translation>
    </message>
    <message>
        <source>Save as…</source>
        <translation>Зберегти як…</translation>
    </message>
    <message>
        <source>Save the file</source>
        <translation>Зберегти файл</translation>
    </message>
    <message>
        <source>&amp;Attach…</source>
        <translation>&amp;Долучити…</translation>
    </message>
    <message>
        <source>Send files (or drop them here)</source>
        <translation>Надіслати файли (або перетягніть їх сюди)</translation>
    </message>
    <message>
        <source>Paste image</source>
        <translation>Вставити зображення</translation>
    </message>
    <message>
        <source>Send template</source>
        <translation>Надіслати шаблон</translation>
    </message>
    <message>
        <source>No approved templates: ask an administrator to sync them</source>
        <translation>Немає затверджених шаблонів: попросіть адміністратора синхронізувати їх</translation>
    </message>
</context>
</TS>
