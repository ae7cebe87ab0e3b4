<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ru" sourcelanguage="en">
<context>
    <name>ButtonsDialog</name>
    <message>
        <source>Buttons under the reply</source>
        <translation>Кнопки под ответом</translation>
    </message>
    <message numerus="yes">
        <source>Up to %n button(s) the customer can press under your next reply. A button without a link sends its title back as the customer&apos;s answer.</source>
        <translation>
            <numerusform>До %n кнопки, которую клиент может нажать под вашим следующим ответом. Кнопка без ссылки отправляет своё название как ответ клиента.</numerusform>
            <numerusform>До %n кнопок, которые клиент может нажать под вашим следующим ответом. Кнопка без ссылки отправляет своё название как ответ клиента.</numerusform>
            <numerusform>До %n кнопок, которые клиент может нажать под вашим следующим ответом. Кнопка без ссылки отправляет своё название как ответ клиента.</numerusform>
        </translation>
    </message>
    <message>
        <source>Title</source>
        <translation>Название</translation>
    </message>
    <message>
        <source>Link (optional)</source>
        <translation>Ссылка (необязательно)</translation>
    </message>
    <message>
        <source>Title of button %1</source>
        <translation>Название кнопки %1</translation>
    </message>
    <message>
        <source>Link of button %1</source>
        <translation>Ссылка кнопки %1</translation>
    </message>
    <message>
        <source>A button with a link needs a title.</source>
        <translation>Кнопке со ссылкой нужно название.</translation>
    </message>
    <message>
        <source>A link must be a web address starting with https:// or http://.</source>
        <translation>Ссылка должна быть веб-адресом, начинающимся с https:// или http://.</translation>
    </message>
</context>
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
        <source>Attach files to your reply</source>
        <translation>Прикрепить файлы к ответу</translation>
    </message>
    <message>
        <source>Not attached, not a file that can be read: %1</source>
        <translation>Не прикреплено, это не файл, который можно прочитать: %1</translation>
    </message>
    <message>
        <source>The clipboard holds no image and no file</source>
        <translation>В буфере обмена нет ни изображения, ни файла</translation>
    </message>
    <message>
        <source>Open a conversation first</source>
        <translation>Сначала откройте разговор</translation>
    </message>
    <message>
        <source>This channel cannot send files</source>
        <translation>Этот канал не может отправлять файлы</translation>
    </message>
    <message>
        <source>The reply window is closed: files can be sent once the customer writes again</source>
        <translation>Окно ответа закрыто: файлы можно будет отправить, когда клиент напишет снова</translation>
    </message>
    <message>
        <source>%1 is larger than this channel takes (%2)</source>
        <translation>%1 больше, чем принимает этот канал (%2)</translation>
    </message>
    <message numerus="yes">
        <source>At most %n file(s) go with one reply</source>
        <translation>
            <numerusform>С одним ответом можно отправить не более %n файла</numerusform>
            <numerusform>С одним ответом можно отправить не более %n файлов</numerusform>
            <numerusform>С одним ответом можно отправить не более %n файлов</numerusform>
        </translation>
    </message>
    <message>
        <source>Attach files to your reply (or drop them on the reply, or paste them with Ctrl+V)</source>
        <translation>Прикрепить файлы к ответу (или перетащите их на ответ либо вставьте через Ctrl+V)</translation>
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
        <source>No application on this computer opens %1</source>
        <translation>На этом компьютере нет программы, которая открывает %1</translation>
    </message>
    <message>
        <source>Could not write %1: %2</source>
        <translation>Не удалось записать %1: %2</translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation>Сохранено: %1</translation>
    </message>
    <message>
        <source>Wait a moment: a file of this reply is still uploading</source>
        <translation>Подождите: файл этого ответа ещё загружается</translation>
    </message>
    <message numerus="yes">
        <source>&amp;Buttons (%n)…</source>
        <translation>
            <numerusform>&amp;Кнопки (%n)…</numerusform>
            <numerusform>&amp;Кнопки (%n)…</numerusform>
            <numerusform>&amp;Кнопки (%n)…</numerusform>
        </translation>
    </message>
    <message>
        <source>&amp;Buttons…</source>
        <translation>&amp;Кнопки…</translation>
    </message>
    <message>
        <source>Buttons the customer can press under your next reply</source>
        <translation>Кнопки, которые клиент может нажать под вашим следующим ответом</translation>
    </message>
    <message>
        <source>&amp;Attach…</source>
        <translation>&amp;Прикрепить…</translation>
    </message>
    <message>
        <source>Paste image</source>
        <translation>Вставить изображение</translation>
    </message>
    <message>
        <source>Attach the image or files on the clipboard to your reply</source>
        <translation>Прикрепить к ответу изображение или файлы из буфера обмена</translation>
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
<context>
    <name>StagedStrip</name>
    <message>
        <source>With your reply:</source>
        <translation>С ответом:</translation>
    </message>
    <message>
        <source>%1, uploading…</source>
        <translation>%1, загружается…</translation>
    </message>
    <message>
        <source>Take %1 off the reply</source>
        <translation>Убрать %1 из ответа</translation>
    </message>
</context>
<context>
    <name>VoicePlayer</name>
    <message>
        <source>This recording cannot be played here (%1): open it in your player.</source>
        <translation>Эту запись здесь воспроизвести нельзя (%1): откройте её в своём проигрывателе.</translation>
    </message>
</context>
</TS>
