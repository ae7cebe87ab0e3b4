<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ru" sourcelanguage="en">
<context>
    <name>ConversationExtras</name>
    <message>
        <source>Window closed: choose a template</source>
        <translation>Окно закрыто: выберите шаблон</translation>
    </message>
    <message>
        <source>Window closed: nothing can be sent until the customer writes again</source>
        <translation>Окно закрыто: ничего не отправить, пока клиент не напишет снова</translation>
    </message>
    <message numerus="yes">
        <source>%Ln day(s) left</source>
        <translation>
            <numerusform>ещё %Ln день</numerusform>
            <numerusform>ещё %Ln дня</numerusform>
            <numerusform>ещё %Ln дней</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln h left</source>
        <translation>
            <numerusform>ещё %Ln ч</numerusform>
            <numerusform>ещё %Ln ч</numerusform>
            <numerusform>ещё %Ln ч</numerusform>
        </translation>
    </message>
    <message>
        <source>24 h passed: only an operator&apos;s own reply (human agent), %1</source>
        <translation>Прошло 24 ч: только собственный ответ оператора (human agent), %1</translation>
    </message>
    <message numerus="yes">
        <source>%Ln h left to reply freely</source>
        <translation>
            <numerusform>Ещё %Ln ч для свободного ответа</numerusform>
            <numerusform>Ещё %Ln ч для свободного ответа</numerusform>
            <numerusform>Ещё %Ln ч для свободного ответа</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln min left to reply freely</source>
        <translation>
            <numerusform>Ещё %Ln мин для свободного ответа</numerusform>
            <numerusform>Ещё %Ln мин для свободного ответа</numerusform>
            <numerusform>Ещё %Ln мин для свободного ответа</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln value(s), separated by |</source>
        <translation>
            <numerusform>%Ln значение, через |</numerusform>
            <numerusform>%Ln значения, через |</numerusform>
            <numerusform>%Ln значений, через |</numerusform>
        </translation>
    </message>
    <message>
        <source>Send files</source>
        <translation>Отправить файлы</translation>
    </message>
    <message>
        <source>The clipboard holds no image</source>
        <translation>В буфере обмена нет изображения</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>Открыть</translation>
    </message>
    <message>
        <source>Save as…</source>
        <translation>Сохранить как…</translation>
    </message>
    <message>
        <source>Save the file</source>
        <translation>Сохранить файл</translation>
    </message>
    <message>
        <source>&amp;Attach…</source>
        <translation>&amp;Прикрепить…</translation>
    </message>
    <message>
        <source>Send files (or drop them here)</source>
        <translation>Отправить файлы (или перетащите их сюда)</translation>
    </message>
    <message>
        <source>Paste image</source>
        <translation>Вставить изображение</translation>
    </message>
    <message>
        <source>Send template</source>
        <translation>Отправить шаблон</translation>
    </message>
    <message>
        <source>No approved templates: ask an administrator to sync them</source>
        <translation>Нет утверждённых шаблонов: попросите администратора синхронизировать их</translation>
    </message>
</context>
</TS>
