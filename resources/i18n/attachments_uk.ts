<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="uk" sourcelanguage="en">
<context>
    <name>ButtonsDialog</name>
    <message>
        <source>Buttons under the reply</source>
        <translation>Кнопки під відповіддю</translation>
    </message>
    <message numerus="yes">
        <source>Up to %n button(s) the customer can press under your next reply. A button without a link sends its title back as the customer&apos;s answer.</source>
        <translation>
            <numerusform>До %n кнопки, яку клієнт може натиснути під вашою наступною відповіддю. Кнопка без посилання надсилає свою назву як відповідь клієнта.</numerusform>
            <numerusform>До %n кнопок, які клієнт може натиснути під вашою наступною відповіддю. Кнопка без посилання надсилає свою назву як відповідь клієнта.</numerusform>
            <numerusform>До %n кнопок, які клієнт може натиснути під вашою наступною відповіддю. Кнопка без посилання надсилає свою назву як відповідь клієнта.</numerusform>
        </translation>
    </message>
    <message>
        <source>Title</source>
        <translation>Назва</translation>
    </message>
    <message>
        <source>Link (optional)</source>
        <translation>Посилання (необов&apos;язково)</translation>
    </message>
    <message>
        <source>Title of button %1</source>
        <translation>Назва кнопки %1</translation>
    </message>
    <message>
        <source>Link of button %1</source>
        <translation>Посилання кнопки %1</translation>
    </message>
    <message>
        <source>A button with a link needs a title.</source>
        <translation>Кнопці з посиланням потрібна назва.</translation>
    </message>
    <message>
        <source>A link must be a web address starting with https:// or http://.</source>
        <translation>Посилання має бути вебадресою, що починається з https:// або http://.</translation>
    </message>
</context>
<context>
    <name>ConversationExtras</name>
    <message>
        <source>Window closed: choose a template</source>
        <translation>Вікно закрито: оберіть шаблон</translation>
    </message>
    <message>
        <source>Window closed: nothing can be sent until the customer writes again</source>
        <translation>Вікно закрито: нічого не надіслати, доки клієнт не напише знову</translation>
    </message>
    <message numerus="yes">
        <source>%Ln day(s) left</source>
        <translation>
            <numerusform>ще %Ln день</numerusform>
            <numerusform>ще %Ln дні</numerusform>
            <numerusform>ще %Ln днів</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln h left</source>
        <translation>
            <numerusform>ще %Ln год</numerusform>
            <numerusform>ще %Ln год</numerusform>
            <numerusform>ще %Ln год</numerusform>
        </translation>
    </message>
    <message>
        <source>24 h passed: only an operator&apos;s own reply (human agent), %1</source>
        <translation>Минуло 24 год: лише власна відповідь оператора (human agent), %1</translation>
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
        <source>Attach files to your reply</source>
        <translation>Прикріпити файли до відповіді</translation>
    </message>
    <message>
        <source>Not attached, not a file that can be read: %1</source>
        <translation>Не прикріплено, це не файл, який можна прочитати: %1</translation>
    </message>
    <message>
        <source>The clipboard holds no image and no file</source>
        <translation>У буфері обміну немає ні зображення, ні файлу</translation>
    </message>
    <message>
        <source>Open a conversation first</source>
        <translation>Спершу відкрийте розмову</translation>
    </message>
    <message>
        <source>This channel cannot send files</source>
        <translation>Цей канал не може надсилати файли</translation>
    </message>
    <message>
        <source>The reply window is closed: files can be sent once the customer writes again</source>
        <translation>Вікно відповіді закрито: файли можна буде надіслати, коли клієнт напише знову</translation>
    </message>
    <message>
        <source>%1 is larger than this channel takes (%2)</source>
        <translation>%1 більший, ніж приймає цей канал (%2)</translation>
    </message>
    <message numerus="yes">
        <source>At most %n file(s) go with one reply</source>
        <translation>
            <numerusform>З однією відповіддю можна надіслати щонайбільше %n файл</numerusform>
            <numerusform>З однією відповіддю можна надіслати щонайбільше %n файли</numerusform>
            <numerusform>З однією відповіддю можна надіслати щонайбільше %n файлів</numerusform>
        </translation>
    </message>
    <message>
        <source>Attach files to your reply (or drop them on the reply, or paste them with Ctrl+V)</source>
        <translation>Прикріпити файли до відповіді (або перетягніть їх на відповідь чи вставте через Ctrl+V)</translation>
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
        <source>No application on this computer opens %1</source>
        <translation>На цьому комп&apos;ютері немає програми, яка відкриває %1</translation>
    </message>
    <message>
        <source>Could not write %1: %2</source>
        <translation>Не вдалося записати %1: %2</translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation>Збережено %1</translation>
    </message>
    <message>
        <source>Wait a moment: a file of this reply is still uploading</source>
        <translation>Зачекайте: файл цієї відповіді ще завантажується</translation>
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
        <translation>Кнопки, які клієнт може натиснути під вашою наступною відповіддю</translation>
    </message>
    <message>
        <source>&amp;Attach…</source>
        <translation>&amp;Долучити…</translation>
    </message>
    <message>
        <source>Paste image</source>
        <translation>Вставити зображення</translation>
    </message>
    <message>
        <source>Attach the image or files on the clipboard to your reply</source>
        <translation>Прикріпити до відповіді зображення чи файли з буфера обміну</translation>
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
<context>
    <name>StagedStrip</name>
    <message>
        <source>With your reply:</source>
        <translation>З відповіддю:</translation>
    </message>
    <message>
        <source>%1, uploading…</source>
        <translation>%1, завантажується…</translation>
    </message>
    <message>
        <source>Take %1 off the reply</source>
        <translation>Прибрати %1 з відповіді</translation>
    </message>
</context>
<context>
    <name>VoicePlayer</name>
    <message>
        <source>This recording cannot be played here (%1): open it in your player.</source>
        <translation>Цей запис тут не відтворюється (%1): відкрийте його у своєму програвачі.</translation>
    </message>
</context>
</TS>
