<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ru" sourcelanguage="en">
    <context>
        <name>ConversationPane</name>
        <message>
            <source>&amp;Take</source>
            <translation>&amp;Взять</translation>
        </message>
        <message>
            <source>&amp;Resolve</source>
            <translation>&amp;Решить</translation>
        </message>
        <message>
            <source>Re&amp;open</source>
            <translation>&amp;Открыть снова</translation>
        </message>
        <message>
            <source>&amp;Send</source>
            <translation>Отпр&amp;авить</translation>
        </message>
        <message>
            <source>Send the reply (Ctrl+Enter)</source>
            <translation>Отправить ответ (Ctrl+Enter)</translation>
        </message>
        <message>
            <source>Write a reply… Enter adds a line, Ctrl+Enter sends.</source>
            <translation>Напишите ответ… Enter — новая строка, Ctrl+Enter — отправить.</translation>
        </message>
        <message>
            <source>Unassigned</source>
            <translation>Не назначено</translation>
        </message>
        <message>
            <source>Assigned to me</source>
            <translation>Назначено мне</translation>
        </message>
        <message>
            <source>Assigned to %1</source>
            <translation>Назначено: %1</translation>
        </message>
    </context>
    <context>
        <name>InboxPane</name>
        <message>
            <source>Loading…</source>
            <translation>Загрузка…</translation>
        </message>
        <message>
            <source>No conversations here.</source>
            <translation>Здесь нет разговоров.</translation>
        </message>
        <message>
            <source>Open and pending</source>
            <translation>Открытые и ожидающие</translation>
        </message>
        <message>
            <source>Open</source>
            <translation>Открытые</translation>
        </message>
        <message>
            <source>Pending</source>
            <translation>Ожидающие</translation>
        </message>
        <message>
            <source>Resolved</source>
            <translation>Решённые</translation>
        </message>
        <message>
            <source>All statuses</source>
            <translation>Все статусы</translation>
        </message>
        <message>
            <source>Show conversations with this status</source>
            <translation>Показывать разговоры с этим статусом</translation>
        </message>
        <message>
            <source>Mine</source>
            <translation>Мои</translation>
        </message>
        <message>
            <source>Unassigned</source>
            <translation>Свободные</translation>
        </message>
        <message>
            <source>All</source>
            <translation>Все</translation>
        </message>
        <message>
            <source>Conversations assigned to me</source>
            <translation>Разговоры, назначенные мне</translation>
        </message>
        <message>
            <source>Conversations nobody has taken yet</source>
            <translation>Разговоры, которые ещё никто не взял</translation>
        </message>
        <message>
            <source>Every conversation I may see</source>
            <translation>Все доступные мне разговоры</translation>
        </message>
    </context>
    <context>
        <name>LinkIndicator</name>
        <message>
            <source>Online</source>
            <translation>В сети</translation>
        </message>
        <message>
            <source>Offline</source>
            <translation>Нет связи</translation>
        </message>
        <message numerus="yes">
            <source>Offline, retrying in %n s</source>
            <translation>
                <numerusform>Нет связи, повтор через %n с</numerusform>
                <numerusform>Нет связи, повтор через %n с</numerusform>
                <numerusform>Нет связи, повтор через %n с</numerusform>
            </translation>
        </message>
        <message>
            <source>Reconnecting…</source>
            <translation>Переподключение…</translation>
        </message>
        <message numerus="yes">
            <source>Reconnecting in %n s</source>
            <translation>
                <numerusform>Переподключение через %n с</numerusform>
                <numerusform>Переподключение через %n с</numerusform>
                <numerusform>Переподключение через %n с</numerusform>
            </translation>
        </message>
        <message>
            <source>Connecting…</source>
            <translation>Подключение…</translation>
        </message>
        <message>
            <source>Live updates from the server</source>
            <translation>Обновления с сервера в реальном времени</translation>
        </message>
    </context>
    <context>
        <name>LoginDialog</name>
        <message>
            <source>Sign in to OmniDesk</source>
            <translation>Вход в OmniDesk</translation>
        </message>
        <message>
            <source>&amp;Server:</source>
            <translation>&amp;Сервер:</translation>
        </message>
        <message>
            <source>&amp;User name:</source>
            <translation>&amp;Пользователь:</translation>
        </message>
        <message>
            <source>&amp;Password:</source>
            <translation>П&amp;ароль:</translation>
        </message>
        <message>
            <source>&amp;Remember me on this computer</source>
            <translation>&amp;Запомнить меня на этом компьютере</translation>
        </message>
        <message>
            <source>Signing in…</source>
            <translation>Вход…</translation>
        </message>
        <message>
            <source>&amp;Sign in</source>
            <translation>&amp;Войти</translation>
        </message>
        <message>
            <source>Language:</source>
            <translation>Язык:</translation>
        </message>
        <message>
            <source>System</source>
            <translation>Системный</translation>
        </message>
        <message>
            <source>The session is kept in the system keyring (%1).</source>
            <translation>Сеанс хранится в системном хранилище паролей (%1).</translation>
        </message>
        <message>
            <source>No secure password storage (keyring) is available on this computer, so OmniDesk cannot remember you and will ask you to sign in each time.</source>
            <translation>На этом компьютере нет защищённого хранилища паролей (keyring), поэтому OmniDesk не может вас запомнить и будет просить входить каждый раз.</translation>
        </message>
        <message>
            <source>Please fill in the server, the user name and the password.</source>
            <translation>Заполните сервер, имя пользователя и пароль.</translation>
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
            <translation>&amp;Рабочее место</translation>
        </message>
        <message>
            <source>&amp;Conversation</source>
            <translation>Р&amp;азговор</translation>
        </message>
        <message>
            <source>&amp;View</source>
            <translation>&amp;Вид</translation>
        </message>
        <message>
            <source>&amp;Help</source>
            <translation>&amp;Справка</translation>
        </message>
        <message>
            <source>Next conversation</source>
            <translation>Следующий разговор</translation>
        </message>
        <message>
            <source>Previous conversation</source>
            <translation>Предыдущий разговор</translation>
        </message>
        <message>
            <source>Go to the inbox</source>
            <translation>Перейти к списку разговоров</translation>
        </message>
        <message>
            <source>Write a reply</source>
            <translation>Написать ответ</translation>
        </message>
        <message>
            <source>Send the reply</source>
            <translation>Отправить ответ</translation>
        </message>
        <message>
            <source>Take the conversation</source>
            <translation>Взять разговор</translation>
        </message>
        <message>
            <source>Resolve the conversation</source>
            <translation>Отметить разговор решённым</translation>
        </message>
        <message>
            <source>Reopen the conversation</source>
            <translation>Открыть разговор снова</translation>
        </message>
        <message>
            <source>Show mine</source>
            <translation>Показать мои</translation>
        </message>
        <message>
            <source>Show unassigned</source>
            <translation>Показать свободные</translation>
        </message>
        <message>
            <source>Show all</source>
            <translation>Показать все</translation>
        </message>
        <message>
            <source>Refresh the inbox</source>
            <translation>Обновить список разговоров</translation>
        </message>
        <message>
            <source>Settings…</source>
            <translation>Настройки…</translation>
        </message>
        <message>
            <source>Keyboard shortcuts</source>
            <translation>Сочетания клавиш</translation>
        </message>
        <message>
            <source>Find a customer…</source>
            <translation>Найти клиента…</translation>
        </message>
        <message>
            <source>Log out</source>
            <translation>Выйти из учётной записи</translation>
        </message>
        <message>
            <source>Quit</source>
            <translation>Закрыть программу</translation>
        </message>
        <message>
            <source>Choose a conversation on the left.

Ctrl+Down and Ctrl+Up move through the inbox, F1 lists all shortcuts.</source>
            <translation>Выберите разговор слева.

Ctrl+Вниз и Ctrl+Вверх — переход между разговорами, F1 — все сочетания клавиш.</translation>
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
            <translation>супервайзер</translation>
        </message>
        <message>
            <source>administrator</source>
            <translation>администратор</translation>
        </message>
    </context>
    <context>
        <name>SettingsDialog</name>
        <message>
            <source>Settings</source>
            <translation>Настройки</translation>
        </message>
        <message>
            <source>&amp;Language:</source>
            <translation>&amp;Язык:</translation>
        </message>
        <message>
            <source>System</source>
            <translation>Системный</translation>
        </message>
        <message>
            <source>The language changes at once; dates and numbers follow it.</source>
            <translation>Язык меняется сразу; даты и числа тоже.</translation>
        </message>
    </context>
    <context>
        <name>ShortcutsDialog</name>
        <message>
            <source>Keyboard shortcuts</source>
            <translation>Сочетания клавиш</translation>
        </message>
        <message>
            <source>Action</source>
            <translation>Действие</translation>
        </message>
        <message>
            <source>Keys</source>
            <translation>Клавиши</translation>
        </message>
    </context>
    <context>
        <name>Texts</name>
        <message>
            <source>Open</source>
            <translation>Открыт</translation>
        </message>
        <message>
            <source>Pending</source>
            <translation>Ожидает</translation>
        </message>
        <message>
            <source>Resolved</source>
            <translation>Решён</translation>
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
            <translation>Эл. почта</translation>
        </message>
        <message>
            <source>Web chat</source>
            <translation>Веб-чат</translation>
        </message>
        <message>
            <source>Web form</source>
            <translation>Веб-форма</translation>
        </message>
        <message>
            <source>Phone</source>
            <translation>Телефон</translation>
        </message>
        <message>
            <source>Queued</source>
            <translation>В очереди</translation>
        </message>
        <message>
            <source>Sent</source>
            <translation>Отправлено</translation>
        </message>
        <message>
            <source>Failed: %1</source>
            <translation>Не доставлено: %1</translation>
        </message>
        <message>
            <source>Waiting for the server</source>
            <translation>Ждёт сервер</translation>
        </message>
        <message>
            <source>Not accepted: %1</source>
            <translation>Не принято: %1</translation>
        </message>
        <message>
            <source>now</source>
            <translation>только что</translation>
        </message>
        <message>
            <source>yesterday</source>
            <translation>вчера</translation>
        </message>
        <message>
            <source>Wrong user name or password.</source>
            <translation>Неверное имя пользователя или пароль.</translation>
        </message>
        <message>
            <source>The server's certificate could not be verified (TLS). Check the address or ask your administrator for a trusted certificate.</source>
            <translation>Не удалось проверить сертификат сервера (TLS). Проверьте адрес или попросите администратора установить доверенный сертификат.</translation>
        </message>
        <message>
            <source>Cannot reach the server %1. Check the address and the network, or try again later.</source>
            <translation>Не удаётся связаться с сервером %1. Проверьте адрес и сеть или повторите попытку позже.</translation>
        </message>
        <message numerus="yes">
            <source>Too many attempts. Try again in %n second(s).</source>
            <translation>
                <numerusform>Слишком много попыток. Повторите через %n секунду.</numerusform>
                <numerusform>Слишком много попыток. Повторите через %n секунды.</numerusform>
                <numerusform>Слишком много попыток. Повторите через %n секунд.</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n min</source>
            <translation>
                <numerusform>%n мин</numerusform>
                <numerusform>%n мин</numerusform>
                <numerusform>%n мин</numerusform>
            </translation>
        </message>
        <message>
            <source>Your session has ended. Please sign in again.</source>
            <translation>Ваш сеанс завершён. Войдите снова.</translation>
        </message>
        <message>
            <source>Your role does not allow this.</source>
            <translation>Ваша роль этого не позволяет.</translation>
        </message>
        <message>
            <source>This conversation no longer exists.</source>
            <translation>Этого разговора больше нет.</translation>
        </message>
        <message>
            <source>The server did not accept this: %1</source>
            <translation>Сервер это не принял: %1</translation>
        </message>
        <message>
            <source>The server failed. Try again later.</source>
            <translation>Ошибка на сервере. Повторите попытку позже.</translation>
        </message>
        <message>
            <source>The server answered with an error: %1</source>
            <translation>Сервер ответил ошибкой: %1</translation>
        </message>
        <message>
            <source>Unexpected error: %1</source>
            <translation>Непредвиденная ошибка: %1</translation>
        </message>
    </context>
</TS>
