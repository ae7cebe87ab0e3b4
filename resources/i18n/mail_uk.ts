<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="uk" sourcelanguage="en">
<context>
    <name>FormCardPanel</name>
    <message>
        <source>Web form: %1</source>
        <translation>Вебформа: %1</translation>
    </message>
    <message>
        <source>Web form</source>
        <translation>Вебформа</translation>
    </message>
    <message>
        <source>Sent %1</source>
        <translation>Надіслано %1</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation>Ім’я:</translation>
    </message>
    <message>
        <source>Phone:</source>
        <translation>Телефон:</translation>
    </message>
    <message>
        <source>E-mail:</source>
        <translation>Пошта:</translation>
    </message>
    <message>
        <source>Message:</source>
        <translation>Повідомлення:</translation>
    </message>
    <message>
        <source>Sent from the page:</source>
        <translation>Зі сторінки:</translation>
    </message>
    <message>
        <source>Campaign (UTM):</source>
        <translation>Кампанія (UTM):</translation>
    </message>
</context>
<context>
    <name>MailDesk</name>
    <message>
        <source>Save the file</source>
        <translation>Зберегти файл</translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation>Збережено: %1</translation>
    </message>
    <message>
        <source>On %1, %2 wrote:</source>
        <translation>%1, %2 пише:</translation>
    </message>
    <message>
        <source>Reply to the letter</source>
        <translation>Відповісти на лист</translation>
    </message>
    <message>
        <source>Reply to everyone on the letter</source>
        <translation>Відповісти всім адресатам листа</translation>
    </message>
    <message>
        <source>Show the letter&apos;s images</source>
        <translation>Показати зображення листа</translation>
    </message>
    <message>
        <source>Show the full original letter</source>
        <translation>Показати лист повністю</translation>
    </message>
    <message>
        <source>Go to the letter</source>
        <translation>Перейти до листа</translation>
    </message>
</context>
<context>
    <name>MailEnvelope</name>
    <message>
        <source>Not an e-mail address in To: %1</source>
        <translation>Це не адреса пошти в полі «Кому»: %1</translation>
    </message>
    <message>
        <source>Whom is the letter to? Give at least one address in To.</source>
        <translation>Кому лист? Вкажіть хоча б одну адресу в полі «Кому».</translation>
    </message>
    <message>
        <source>Not an e-mail address in Cc: %1</source>
        <translation>Це не адреса пошти в полі «Копія»: %1</translation>
    </message>
    <message>
        <source>At most 20 addresses in To and 20 in Cc.</source>
        <translation>Не більше 20 адрес у полі «Кому» і 20 у «Копії».</translation>
    </message>
    <message>
        <source>To:</source>
        <translation>Кому:</translation>
    </message>
    <message>
        <source>Cc:</source>
        <translation>Копія:</translation>
    </message>
    <message>
        <source>Subject:</source>
        <translation>Тема:</translation>
    </message>
    <message>
        <source>name@example.com, several separated by commas</source>
        <translation>name@example.com, кілька — через кому</translation>
    </message>
    <message>
        <source>Copies, separated by commas</source>
        <translation>Копії, через кому</translation>
    </message>
    <message>
        <source>To</source>
        <translation>Кому</translation>
    </message>
    <message>
        <source>Cc</source>
        <translation>Копія</translation>
    </message>
    <message>
        <source>Subject</source>
        <translation>Тема</translation>
    </message>
    <message>
        <source>Quote the letter I answer</source>
        <translation>Цитувати лист, на який відповідаю</translation>
    </message>
    <message>
        <source>Adds the letter under your reply, each line starting with “&gt;”</source>
        <translation>Додає лист під вашу відповідь, кожен рядок починається з «&gt;»</translation>
    </message>
</context>
<context>
    <name>MailReader</name>
    <message>
        <source>From:</source>
        <translation>Від:</translation>
    </message>
    <message>
        <source>To:</source>
        <translation>Кому:</translation>
    </message>
    <message>
        <source>Cc:</source>
        <translation>Копія:</translation>
    </message>
    <message>
        <source>Date:</source>
        <translation>Дата:</translation>
    </message>
    <message>
        <source>Show images</source>
        <translation>Показати зображення</translation>
    </message>
    <message>
        <source>Load this letter&apos;s remote images (Ctrl+Shift+I)</source>
        <translation>Завантажити зовнішні зображення цього листа (Ctrl+Shift+I)</translation>
    </message>
    <message>
        <source>Reply</source>
        <translation>Відповісти</translation>
    </message>
    <message>
        <source>Answer the sender (Ctrl+R)</source>
        <translation>Відповісти відправникові (Ctrl+R)</translation>
    </message>
    <message>
        <source>Reply all</source>
        <translation>Відповісти всім</translation>
    </message>
    <message>
        <source>Answer the sender and everyone else on the letter (Ctrl+Shift+E)</source>
        <translation>Відповісти відправникові й усім іншим адресатам (Ctrl+Shift+E)</translation>
    </message>
    <message>
        <source>Files of the letter: Enter saves the chosen one</source>
        <translation>Файли листа: Enter зберігає вибраний</translation>
    </message>
    <message>
        <source>The letter</source>
        <translation>Лист</translation>
    </message>
    <message>
        <source>(no subject)</source>
        <translation>(без теми)</translation>
    </message>
    <message>
        <source>Sent:</source>
        <translation>Надіслано:</translation>
    </message>
    <message>
        <source>Write again to the recipients of this letter (Ctrl+R)</source>
        <translation>Написати ще раз одержувачам цього листа (Ctrl+R)</translation>
    </message>
    <message>
        <source>Write again to everyone on this letter (Ctrl+Shift+E)</source>
        <translation>Написати ще раз усім у цьому листі (Ctrl+Shift+E)</translation>
    </message>
    <message numerus="yes">
        <source>%n remote image(s) not loaded: loading them can tell the sender that you read this letter.</source>
        <translation>
            <numerusform>%n зовнішнє зображення не завантажено: завантаження може повідомити відправникові, що ви прочитали лист.</numerusform>
            <numerusform>%n зовнішні зображення не завантажено: завантаження може повідомити відправникові, що ви прочитали лист.</numerusform>
            <numerusform>%n зовнішніх зображень не завантажено: завантаження може повідомити відправникові, що ви прочитали лист.</numerusform>
        </translation>
    </message>
    <message>
        <source>Hide the quoted history</source>
        <translation>Сховати цитовану історію</translation>
    </message>
    <message>
        <source>Show the full original</source>
        <translation>Показати оригінал повністю</translation>
    </message>
    <message>
        <source>The whole letter, with the history it quotes (Ctrl+U)</source>
        <translation>Увесь лист разом із цитованою історією (Ctrl+U)</translation>
    </message>
</context>
<context>
    <name>VisitorPanel</name>
    <message>
        <source>less than a minute</source>
        <translation>менше хвилини</translation>
    </message>
    <message>
        <source>%n h</source>
        <translation>%n год</translation>
    </message>
    <message>
        <source>%n min</source>
        <translation>%n хв</translation>
    </message>
    <message>
        <source>Visitor of the website</source>
        <translation>Відвідувач сайту</translation>
    </message>
    <message>
        <source>On the site now</source>
        <translation>Зараз на сайті</translation>
    </message>
    <message>
        <source>Left the site; last seen %1</source>
        <translation>Пішов із сайту; востаннє %1</translation>
    </message>
    <message>
        <source>Left the site</source>
        <translation>Пішов із сайту</translation>
    </message>
    <message>
        <source>typing…</source>
        <translation>друкує…</translation>
    </message>
    <message>
        <source>Page title:</source>
        <translation>Назва сторінки:</translation>
    </message>
    <message>
        <source>Page:</source>
        <translation>Сторінка:</translation>
    </message>
    <message>
        <source>Came from:</source>
        <translation>Прийшов з:</translation>
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
        <translation>Мова:</translation>
    </message>
    <message>
        <source>On the site for:</source>
        <translation>На сайті вже:</translation>
    </message>
    <message>
        <source>Signed in on the site as:</source>
        <translation>Увійшов на сайті як:</translation>
    </message>
</context>
</TS>
