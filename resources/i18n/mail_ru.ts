<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ru" sourcelanguage="en">
<context>
    <name>FormCardPanel</name>
    <message>
        <source>Web form: %1</source>
        <translation>Веб-форма: %1</translation>
    </message>
    <message>
        <source>Web form</source>
        <translation>Веб-форма</translation>
    </message>
    <message>
        <source>Sent %1</source>
        <translation>Отправлено %1</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation>Имя:</translation>
    </message>
    <message>
        <source>Phone:</source>
        <translation>Телефон:</translation>
    </message>
    <message>
        <source>E-mail:</source>
        <translation>Почта:</translation>
    </message>
    <message>
        <source>Message:</source>
        <translation>Сообщение:</translation>
    </message>
    <message>
        <source>Sent from the page:</source>
        <translation>Со страницы:</translation>
    </message>
    <message>
        <source>Campaign (UTM):</source>
        <translation>Кампания (UTM):</translation>
    </message>
</context>
<context>
    <name>MailDesk</name>
    <message>
        <source>Save the file</source>
        <translation>Сохранить файл</translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation>Сохранено: %1</translation>
    </message>
    <message>
        <source>On %1, %2 wrote:</source>
        <translation>%1, %2 пишет:</translation>
    </message>
    <message>
        <source>Reply to the letter</source>
        <translation>Ответить на письмо</translation>
    </message>
    <message>
        <source>Reply to everyone on the letter</source>
        <translation>Ответить всем адресатам письма</translation>
    </message>
    <message>
        <source>Show the letter&apos;s images</source>
        <translation>Показать изображения письма</translation>
    </message>
    <message>
        <source>Show the full original letter</source>
        <translation>Показать письмо полностью</translation>
    </message>
    <message>
        <source>Go to the letter</source>
        <translation>Перейти к письму</translation>
    </message>
</context>
<context>
    <name>MailEnvelope</name>
    <message>
        <source>Not an e-mail address in To: %1</source>
        <translation>Это не адрес почты в поле «Кому»: %1</translation>
    </message>
    <message>
        <source>Whom is the letter to? Give at least one address in To.</source>
        <translation>Кому письмо? Укажите хотя бы один адрес в поле «Кому».</translation>
    </message>
    <message>
        <source>Not an e-mail address in Cc: %1</source>
        <translation>Это не адрес почты в поле «Копия»: %1</translation>
    </message>
    <message>
        <source>At most 20 addresses in To and 20 in Cc.</source>
        <translation>Не больше 20 адресов в поле «Кому» и 20 в «Копии».</translation>
    </message>
    <message>
        <source>To:</source>
        <translation>Кому:</translation>
    </message>
    <message>
        <source>Cc:</source>
        <translation>Копия:</translation>
    </message>
    <message>
        <source>Subject:</source>
        <translation>Тема:</translation>
    </message>
    <message>
        <source>name@example.com, several separated by commas</source>
        <translation>name@example.com, несколько — через запятую</translation>
    </message>
    <message>
        <source>Copies, separated by commas</source>
        <translation>Копии, через запятую</translation>
    </message>
    <message>
        <source>To</source>
        <translation>Кому</translation>
    </message>
    <message>
        <source>Cc</source>
        <translation>Копия</translation>
    </message>
    <message>
        <source>Subject</source>
        <translation>Тема</translation>
    </message>
    <message>
        <source>Quote the letter I answer</source>
        <translation>Цитировать письмо, на которое отвечаю</translation>
    </message>
    <message>
        <source>Adds the letter under your reply, each line starting with “&gt;”</source>
        <translation>Добавляет письмо под ваш ответ, каждая строка начинается с «&gt;»</translation>
    </message>
</context>
<context>
    <name>MailReader</name>
    <message>
        <source>From:</source>
        <translation>От:</translation>
    </message>
    <message>
        <source>To:</source>
        <translation>Кому:</translation>
    </message>
    <message>
        <source>Cc:</source>
        <translation>Копия:</translation>
    </message>
    <message>
        <source>Date:</source>
        <translation>Дата:</translation>
    </message>
    <message>
        <source>Show images</source>
        <translation>Показать изображения</translation>
    </message>
    <message>
        <source>Load this letter&apos;s remote images (Ctrl+Shift+I)</source>
        <translation>Загрузить внешние изображения этого письма (Ctrl+Shift+I)</translation>
    </message>
    <message>
        <source>Reply</source>
        <translation>Ответить</translation>
    </message>
    <message>
        <source>Answer the sender (Ctrl+R)</source>
        <translation>Ответить отправителю (Ctrl+R)</translation>
    </message>
    <message>
        <source>Reply all</source>
        <translation>Ответить всем</translation>
    </message>
    <message>
        <source>Answer the sender and everyone else on the letter (Ctrl+Shift+E)</source>
        <translation>Ответить отправителю и всем остальным адресатам (Ctrl+Shift+E)</translation>
    </message>
    <message>
        <source>Files of the letter: Enter saves the chosen one</source>
        <translation>Файлы письма: Enter сохраняет выбранный</translation>
    </message>
    <message>
        <source>The letter</source>
        <translation>Письмо</translation>
    </message>
    <message>
        <source>(no subject)</source>
        <translation>(без темы)</translation>
    </message>
    <message>
        <source>Sent:</source>
        <translation>Отправлено:</translation>
    </message>
    <message>
        <source>Write again to the recipients of this letter (Ctrl+R)</source>
        <translation>Написать ещё раз получателям этого письма (Ctrl+R)</translation>
    </message>
    <message>
        <source>Write again to everyone on this letter (Ctrl+Shift+E)</source>
        <translation>Написать ещё раз всем в этом письме (Ctrl+Shift+E)</translation>
    </message>
    <message numerus="yes">
        <source>%n remote image(s) not loaded: loading them can tell the sender that you read this letter.</source>
        <translation>
            <numerusform>%n внешнее изображение не загружено: загрузка может сообщить отправителю, что вы прочитали письмо.</numerusform>
            <numerusform>%n внешних изображения не загружено: загрузка может сообщить отправителю, что вы прочитали письмо.</numerusform>
            <numerusform>%n внешних изображений не загружено: загрузка может сообщить отправителю, что вы прочитали письмо.</numerusform>
        </translation>
    </message>
    <message>
        <source>Hide the quoted history</source>
        <translation>Скрыть цитируемую историю</translation>
    </message>
    <message>
        <source>Show the full original</source>
        <translation>Показать оригинал полностью</translation>
    </message>
    <message>
        <source>The whole letter, with the history it quotes (Ctrl+U)</source>
        <translation>Всё письмо вместе с цитируемой историей (Ctrl+U)</translation>
    </message>
</context>
<context>
    <name>VisitorPanel</name>
    <message>
        <source>less than a minute</source>
        <translation>меньше минуты</translation>
    </message>
    <message>
        <source>%n h</source>
        <translation>%n ч</translation>
    </message>
    <message>
        <source>%n min</source>
        <translation>%n мин</translation>
    </message>
    <message>
        <source>Visitor of the website</source>
        <translation>Посетитель сайта</translation>
    </message>
    <message>
        <source>On the site now</source>
        <translation>Сейчас на сайте</translation>
    </message>
    <message>
        <source>Left the site; last seen %1</source>
        <translation>Ушёл с сайта; последний раз %1</translation>
    </message>
    <message>
        <source>Left the site</source>
        <translation>Ушёл с сайта</translation>
    </message>
    <message>
        <source>typing…</source>
        <translation>печатает…</translation>
    </message>
    <message>
        <source>Page title:</source>
        <translation>Заголовок страницы:</translation>
    </message>
    <message>
        <source>Page:</source>
        <translation>Страница:</translation>
    </message>
    <message>
        <source>Came from:</source>
        <translation>Пришёл с:</translation>
    </message>
    <message>
        <source>Browser:</source>
        <translation>Браузер:</translation>
    </message>
    <message>
        <source>System:</source>
        <translation>Система:</translation>
    </message>
    <message>
        <source>Language:</source>
        <translation>Язык:</translation>
    </message>
    <message>
        <source>On the site for:</source>
        <translation>На сайте уже:</translation>
    </message>
    <message>
        <source>Signed in on the site as:</source>
        <translation>Вошёл на сайте как:</translation>
    </message>
</context>
</TS>
