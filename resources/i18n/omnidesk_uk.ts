<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="uk" sourcelanguage="en">
    <context>
        <name>ConversationPane</name>
        <message>
            <source>&amp;Take</source>
            <translation>&amp;Взяти</translation>
        </message>
        <message>
            <source>&amp;Resolve</source>
            <translation>&amp;Вирішити</translation>
        </message>
        <message>
            <source>Re&amp;open</source>
            <translation>&amp;Відкрити знову</translation>
        </message>
        <message>
            <source>&amp;Send</source>
            <translation>Надіс&amp;лати</translation>
        </message>
        <message>
            <source>Send the reply (Ctrl+Enter)</source>
            <translation>Надіслати відповідь (Ctrl+Enter)</translation>
        </message>
        <message>
            <source>Write a reply… Enter adds a line, Ctrl+Enter sends.</source>
            <translation>Напишіть відповідь… Enter — новий рядок, Ctrl+Enter — надіслати.</translation>
        </message>
        <message>
            <source>Unassigned</source>
            <translation>Не призначено</translation>
        </message>
        <message>
            <source>Assigned to me</source>
            <translation>Призначено мені</translation>
        </message>
        <message>
            <source>Assigned to %1</source>
            <translation>Призначено: %1</translation>
        </message>
    </context>
    <context>
        <name>InboxPane</name>
        <message>
            <source>Loading…</source>
            <translation>Завантаження…</translation>
        </message>
        <message>
            <source>No conversations here.</source>
            <translation>Тут немає розмов.</translation>
        </message>
        <message>
            <source>Open and pending</source>
            <translation>Відкриті й очікують</translation>
        </message>
        <message>
            <source>Open</source>
            <translation>Відкриті</translation>
        </message>
        <message>
            <source>Pending</source>
            <translation>Очікують</translation>
        </message>
        <message>
            <source>Resolved</source>
            <translation>Вирішені</translation>
        </message>
        <message>
            <source>All statuses</source>
            <translation>Усі статуси</translation>
        </message>
        <message>
            <source>Show conversations with this status</source>
            <translation>Показувати розмови з цим статусом</translation>
        </message>
        <message>
            <source>Mine</source>
            <translation>Мої</translation>
        </message>
        <message>
            <source>Unassigned</source>
            <translation>Вільні</translation>
        </message>
        <message>
            <source>All</source>
            <translation>Усі</translation>
        </message>
        <message>
            <source>Conversations assigned to me</source>
            <translation>Розмови, призначені мені</translation>
        </message>
        <message>
            <source>Conversations nobody has taken yet</source>
            <translation>Розмови, які ще ніхто не взяв</translation>
        </message>
        <message>
            <source>Every conversation I may see</source>
            <translation>Усі розмови, які мені доступні</translation>
        </message>
    </context>
    <context>
        <name>LinkIndicator</name>
        <message>
            <source>Online</source>
            <translation>У мережі</translation>
        </message>
        <message>
            <source>Offline</source>
            <translation>Немає зв’язку</translation>
        </message>
        <message numerus="yes">
            <source>Offline, retrying in %n s</source>
            <translation>
                <numerusform>Немає зв’язку, повтор за %n с</numerusform>
                <numerusform>Немає зв’язку, повтор за %n с</numerusform>
                <numerusform>Немає зв’язку, повтор за %n с</numerusform>
            </translation>
        </message>
        <message>
            <source>Reconnecting…</source>
            <translation>Перепідключення…</translation>
        </message>
        <message numerus="yes">
            <source>Reconnecting in %n s</source>
            <translation>
                <numerusform>Перепідключення за %n с</numerusform>
                <numerusform>Перепідключення за %n с</numerusform>
                <numerusform>Перепідключення за %n с</numerusform>
            </translation>
        </message>
        <message>
            <source>Connecting…</source>
            <translation>Підключення…</translation>
        </message>
        <message>
            <source>Live updates from the server</source>
            <translation>Оновлення з сервера в реальному часі</translation>
        </message>
    </context>
    <context>
        <name>LoginDialog</name>
        <message>
            <source>Sign in to OmniDesk</source>
            <translation>Вхід до OmniDesk</translation>
        </message>
        <message>
            <source>&amp;Server:</source>
            <translation>&amp;Сервер:</translation>
        </message>
        <message>
            <source>&amp;User name:</source>
            <translation>&amp;Користувач:</translation>
        </message>
        <message>
            <source>&amp;Password:</source>
            <translation>&amp;Пароль:</translation>
        </message>
        <message>
            <source>&amp;Remember me on this computer</source>
            <translation>&amp;Запам’ятати мене на цьому комп’ютері</translation>
        </message>
        <message>
            <source>Signing in…</source>
            <translation>Вхід…</translation>
        </message>
        <message>
            <source>&amp;Sign in</source>
            <translation>&amp;Увійти</translation>
        </message>
        <message>
            <source>Language:</source>
            <translation>Мова:</translation>
        </message>
        <message>
            <source>System</source>
            <translation>Системна</translation>
        </message>
        <message>
            <source>The session is kept in the system keyring (%1).</source>
            <translation>Сеанс зберігається в системному сховищі паролів (%1).</translation>
        </message>
        <message>
            <source>No secure password storage (keyring) is available on this computer, so OmniDesk cannot remember you and will ask you to sign in each time.</source>
            <translation>На цьому комп’ютері немає захищеного сховища паролів (keyring), тому OmniDesk не може вас запам’ятати й проситиме входити щоразу.</translation>
        </message>
        <message>
            <source>Please fill in the server, the user name and the password.</source>
            <translation>Заповніть сервер, ім’я користувача та пароль.</translation>
        </message>
    </context>
    <context>
        <name>MainWindow</name>
        <message>
            <source>OmniDesk</source>
            <translation>OmniDesk</translation>
        </message>
        <message>
            <source>&amp;Desk</source>
            <translation>&amp;Робоче місце</translation>
        </message>
        <message>
            <source>&amp;Conversation</source>
            <translation>Р&amp;озмова</translation>
        </message>
        <message>
            <source>&amp;View</source>
            <translation>&amp;Вигляд</translation>
        </message>
        <message>
            <source>&amp;Help</source>
            <translation>&amp;Довідка</translation>
        </message>
        <message>
            <source>Next conversation</source>
            <translation>Наступна розмова</translation>
        </message>
        <message>
            <source>Previous conversation</source>
            <translation>Попередня розмова</translation>
        </message>
        <message>
            <source>Go to the inbox</source>
            <translation>Перейти до списку розмов</translation>
        </message>
        <message>
            <source>Write a reply</source>
            <translation>Написати відповідь</translation>
        </message>
        <message>
            <source>Send the reply</source>
            <translation>Надіслати відповідь</translation>
        </message>
        <message>
            <source>Take the conversation</source>
            <translation>Взяти розмову</translation>
        </message>
        <message>
            <source>Resolve the conversation</source>
            <translation>Позначити розмову вирішеною</translation>
        </message>
        <message>
            <source>Reopen the conversation</source>
            <translation>Відкрити розмову знову</translation>
        </message>
        <message>
            <source>Show mine</source>
            <translation>Показати мої</translation>
        </message>
        <message>
            <source>Show unassigned</source>
            <translation>Показати вільні</translation>
        </message>
        <message>
            <source>Show all</source>
            <translation>Показати всі</translation>
        </message>
        <message>
            <source>Refresh the inbox</source>
            <translation>Оновити список розмов</translation>
        </message>
        <message>
            <source>Settings…</source>
            <translation>Налаштування…</translation>
        </message>
        <message>
            <source>Keyboard shortcuts</source>
            <translation>Клавіатурні скорочення</translation>
        </message>
        <message>
            <source>Find a customer…</source>
            <translation>Знайти клієнта…</translation>
        </message>
        <message>
            <source>Log out</source>
            <translation>Вийти з облікового запису</translation>
        </message>
        <message>
            <source>Quit</source>
            <translation>Закрити програму</translation>
        </message>
        <message>
            <source>Choose a conversation on the left.

Ctrl+Down and Ctrl+Up move through the inbox, F1 lists all shortcuts.</source>
            <translation>Виберіть розмову ліворуч.

Ctrl+Вниз і Ctrl+Вгору — перехід між розмовами, F1 — усі клавіатурні скорочення.</translation>
        </message>
        <message>
            <source>%1 (%2)</source>
            <translation>%1 (%2)</translation>
        </message>
        <message>
            <source>operator</source>
            <translation>оператор</translation>
        </message>
        <message>
            <source>supervisor</source>
            <translation>супервізор</translation>
        </message>
        <message>
            <source>administrator</source>
            <translation>адміністратор</translation>
        </message>
    </context>
    <context>
        <name>SettingsDialog</name>
        <message>
            <source>Settings</source>
            <translation>Налаштування</translation>
        </message>
        <message>
            <source>&amp;Language:</source>
            <translation>&amp;Мова:</translation>
        </message>
        <message>
            <source>System</source>
            <translation>Системна</translation>
        </message>
        <message>
            <source>The language changes at once; dates and numbers follow it.</source>
            <translation>Мова змінюється одразу; дати й числа теж.</translation>
        </message>
    </context>
    <context>
        <name>ShortcutsDialog</name>
        <message>
            <source>Keyboard shortcuts</source>
            <translation>Клавіатурні скорочення</translation>
        </message>
        <message>
            <source>Action</source>
            <translation>Дія</translation>
        </message>
        <message>
            <source>Keys</source>
            <translation>Клавіші</translation>
        </message>
    </context>
    <context>
        <name>Texts</name>
        <message>
            <source>Open</source>
            <translation>Відкрита</translation>
        </message>
        <message>
            <source>Pending</source>
            <translation>Очікує</translation>
        </message>
        <message>
            <source>Resolved</source>
            <translation>Вирішена</translation>
        </message>
        <message>
            <source>API</source>
            <translation>API</translation>
        </message>
        <message>
            <source>VK</source>
            <translation>ВКонтакте</translation>
        </message>
        <message>
            <source>E-mail</source>
            <translation>Ел. пошта</translation>
        </message>
        <message>
            <source>Web chat</source>
            <translation>Вебчат</translation>
        </message>
        <message>
            <source>Web form</source>
            <translation>Вебформа</translation>
        </message>
        <message>
            <source>Phone</source>
            <translation>Телефон</translation>
        </message>
        <message>
            <source>Queued</source>
            <translation>У черзі</translation>
        </message>
        <message>
            <source>Sent</source>
            <translation>Надіслано</translation>
        </message>
        <message>
            <source>Failed: %1</source>
            <translation>Не доставлено: %1</translation>
        </message>
        <message>
            <source>Waiting for the server</source>
            <translation>Очікує на сервер</translation>
        </message>
        <message>
            <source>Not accepted: %1</source>
            <translation>Не прийнято: %1</translation>
        </message>
        <message>
            <source>now</source>
            <translation>щойно</translation>
        </message>
        <message>
            <source>yesterday</source>
            <translation>учора</translation>
        </message>
        <message>
            <source>Wrong user name or password.</source>
            <translation>Неправильне ім’я користувача або пароль.</translation>
        </message>
        <message>
            <source>The server's certificate could not be verified (TLS). Check the address or ask your administrator for a trusted certificate.</source>
            <translation>Не вдалося перевірити сертифікат сервера (TLS). Перевірте адресу або попросіть адміністратора встановити довірений сертифікат.</translation>
        </message>
        <message>
            <source>Cannot reach the server %1. Check the address and the network, or try again later.</source>
            <translation>Не вдається зв’язатися із сервером %1. Перевірте адресу й мережу або спробуйте пізніше.</translation>
        </message>
        <message numerus="yes">
            <source>Too many attempts. Try again in %n second(s).</source>
            <translation>
                <numerusform>Забагато спроб. Спробуйте ще раз через %n секунду.</numerusform>
                <numerusform>Забагато спроб. Спробуйте ще раз через %n секунди.</numerusform>
                <numerusform>Забагато спроб. Спробуйте ще раз через %n секунд.</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n min</source>
            <translation>
                <numerusform>%n хв</numerusform>
                <numerusform>%n хв</numerusform>
                <numerusform>%n хв</numerusform>
            </translation>
        </message>
        <message>
            <source>Your session has ended. Please sign in again.</source>
            <translation>Ваш сеанс завершено. Увійдіть знову.</translation>
        </message>
        <message>
            <source>Your role does not allow this.</source>
            <translation>Ваша роль цього не дозволяє.</translation>
        </message>
        <message>
            <source>This conversation no longer exists.</source>
            <translation>Цієї розмови більше не існує.</translation>
        </message>
        <message>
            <source>The server did not accept this: %1</source>
            <translation>Сервер цього не прийняв: %1</translation>
        </message>
        <message>
            <source>The server failed. Try again later.</source>
            <translation>Помилка на сервері. Спробуйте пізніше.</translation>
        </message>
        <message>
            <source>The server answered with an error: %1</source>
            <translation>Сервер відповів помилкою: %1</translation>
        </message>
        <message>
            <source>Unexpected error: %1</source>
            <translation>Неочікувана помилка: %1</translation>
        </message>
    </context>
</TS>
