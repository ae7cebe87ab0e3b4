<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ru" sourcelanguage="en">
<context>
    <name>Attributes</name>
    <message>
        <source>Region</source>
        <translation>Регион</translation>
    </message>
    <message>
        <source>City</source>
        <translation>Город</translation>
    </message>
    <message>
        <source>Country</source>
        <translation>Страна</translation>
    </message>
    <message>
        <source>Contract</source>
        <translation>Договор</translation>
    </message>
    <message>
        <source>Account</source>
        <translation>Счёт</translation>
    </message>
    <message>
        <source>Card</source>
        <translation>Карта</translation>
    </message>
    <message>
        <source>Tariff</source>
        <translation>Тариф</translation>
    </message>
    <message>
        <source>Plan</source>
        <translation>План</translation>
    </message>
    <message>
        <source>Company</source>
        <translation>Компания</translation>
    </message>
    <message>
        <source>Manager</source>
        <translation>Менеджер</translation>
    </message>
    <message>
        <source>Birthday</source>
        <translation>День рождения</translation>
    </message>
    <message>
        <source>Client since</source>
        <translation>Клиент с</translation>
    </message>
</context>
<context>
    <name>BubbleDelegate</name>
    <message>
        <source>Open in the player</source>
        <translation>Открыть в проигрывателе</translation>
    </message>
    <message>
        <source>loading…</source>
        <translation>загрузка…</translation>
    </message>
</context>
<context>
    <name>ConversationDelegate</name>
    <message>
        <source>Unassigned</source>
        <translation>Не назначено</translation>
    </message>
</context>
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
        <source>&amp;Pending</source>
        <translation>&amp;Ожидает</translation>
    </message>
    <message>
        <source>Waiting on the customer: set the conversation to pending (Ctrl+Shift+P)</source>
        <translation>Ждём клиента: отметить разговор как ожидающий (Ctrl+Shift+P)</translation>
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
    <name>CustomerCard</name>
    <message>
        <source>Phone</source>
        <translation>Телефон</translation>
    </message>
    <message>
        <source>E-mail</source>
        <translation>Эл. почта</translation>
    </message>
    <message>
        <source>Telegram</source>
        <translation>Telegram</translation>
    </message>
    <message>
        <source>Instagram/Facebook</source>
        <translation>Instagram/Facebook</translation>
    </message>
    <message>
        <source>Web chat</source>
        <translation>Веб-чат</translation>
    </message>
    <message>
        <source>External id</source>
        <translation>Внешний идентификатор</translation>
    </message>
    <message>
        <source>Possible duplicates (%1)</source>
        <translation>Возможные дубликаты (%1)</translation>
    </message>
    <message>
        <source>No identities yet.</source>
        <translation>Идентификаторов пока нет.</translation>
    </message>
    <message>
        <source>Remove identity</source>
        <translation>Удалить идентификатор</translation>
    </message>
    <message>
        <source>Remove this identity from the customer…</source>
        <translation>Удалить этот идентификатор у клиента…</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Язык</translation>
    </message>
    <message>
        <source>Tags</source>
        <translation>Теги</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>да</translation>
    </message>
    <message>
        <source>no</source>
        <translation>нет</translation>
    </message>
    <message>
        <source>Identities</source>
        <translation>Идентификаторы</translation>
    </message>
    <message>
        <source>Profile</source>
        <translation>Профиль</translation>
    </message>
    <message>
        <source>&amp;Edit…</source>
        <translation>&amp;Изменить…</translation>
    </message>
    <message>
        <source>Change the name, language, segment, tags and attributes</source>
        <translation>Изменить имя, язык, сегмент, теги и атрибуты</translation>
    </message>
    <message>
        <source>&amp;Merge…</source>
        <translation>&amp;Объединить…</translation>
    </message>
    <message>
        <source>Merge the chosen customer into one profile (can be undone)</source>
        <translation>Объединить выбранного клиента в один профиль (можно отменить)</translation>
    </message>
    <message>
        <source>Not the same person</source>
        <translation>Это разные люди</translation>
    </message>
    <message numerus="yes">
        <source>%Ln open conversation(s)</source>
        <translation>
            <numerusform>%Ln открытый разговор</numerusform>
            <numerusform>%Ln открытых разговора</numerusform>
            <numerusform>%Ln открытых разговоров</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 in all</source>
        <translation>всего %1</translation>
    </message>
    <message>
        <source>This profile was merged into another customer.</source>
        <translation>Этот профиль объединён с другим клиентом.</translation>
    </message>
</context>
<context>
    <name>CustomerEditDialog</name>
    <message numerus="yes">
        <source>%n customer(s) already look like this. Open one instead of creating a duplicate?</source>
        <translation>
            <numerusform>%n клиент уже похож на этого. Открыть его вместо создания дубликата?</numerusform>
            <numerusform>%n клиента уже похожи на этого. Открыть одного из них вместо создания дубликата?</numerusform>
            <numerusform>%n клиентов уже похожи на этого. Открыть одного из них вместо создания дубликата?</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n possible duplicate(s) of this customer are listed on the card.</source>
        <translation>
            <numerusform>%n возможный дубликат этого клиента показан в карточке.</numerusform>
            <numerusform>%n возможных дубликата этого клиента показаны в карточке.</numerusform>
            <numerusform>%n возможных дубликатов этого клиента показаны в карточке.</numerusform>
        </translation>
    </message>
    <message>
        <source>No existing customer looks like this.</source>
        <translation>Похожих клиентов нет.</translation>
    </message>
    <message>
        <source>New customer</source>
        <translation>Новый клиент</translation>
    </message>
    <message>
        <source>Edit customer</source>
        <translation>Изменение клиента</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>&amp;Имя:</translation>
    </message>
    <message>
        <source>&amp;Phone:</source>
        <translation>&amp;Телефон:</translation>
    </message>
    <message>
        <source>Add a &amp;phone:</source>
        <translation>Добавить &amp;телефон:</translation>
    </message>
    <message>
        <source>&amp;E-mail:</source>
        <translation>&amp;Эл. почта:</translation>
    </message>
    <message>
        <source>Add an &amp;e-mail:</source>
        <translation>Добавить &amp;эл. почту:</translation>
    </message>
    <message>
        <source>&amp;Language:</source>
        <translation>&amp;Язык:</translation>
    </message>
    <message>
        <source>&amp;Segment:</source>
        <translation>&amp;Сегмент:</translation>
    </message>
    <message>
        <source>&amp;Tags:</source>
        <translation>Т&amp;еги:</translation>
    </message>
    <message>
        <source>&amp;Attributes:</source>
        <translation>&amp;Атрибуты:</translation>
    </message>
    <message>
        <source>e.g. 050 123 45 67</source>
        <translation>напр. 050 123 45 67</translation>
    </message>
    <message>
        <source>e.g. VIP</source>
        <translation>напр. VIP</translation>
    </message>
    <message>
        <source>separated by commas</source>
        <translation>через запятую</translation>
    </message>
    <message>
        <source>one per line, e.g. contract: A-1042</source>
        <translation>по одному в строке, напр. договор: A-1042</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Сохранить</translation>
    </message>
    <message>
        <source>Open this customer</source>
        <translation>Открыть этого клиента</translation>
    </message>
</context>
<context>
    <name>CustomerPanel</name>
    <message>
        <source>you</source>
        <translation>вы</translation>
    </message>
    <message>
        <source>a colleague</source>
        <translation>коллега</translation>
    </message>
    <message>
        <source>Card of %1 · no conversation open</source>
        <translation>Карточка: %1 · разговор не открыт</translation>
    </message>
    <message>
        <source>Card of %1, the customer of the open conversation (%2)</source>
        <translation>Карточка: %1, клиент открытого разговора (%2)</translation>
    </message>
    <message>
        <source>Card of %1, NOT the customer of the open conversation (%2, %3)</source>
        <translation>Карточка: %1 — это НЕ клиент открытого разговора (%2, %3)</translation>
    </message>
    <message>
        <source>Show %1</source>
        <translation>Показать: %1</translation>
    </message>
    <message>
        <source>Conversations on every channel (%1)</source>
        <translation>Разговоры во всех каналах (%1)</translation>
    </message>
    <message>
        <source>Remove identity</source>
        <translation>Удалить идентификатор</translation>
    </message>
    <message>
        <source>Remove %1 from %2? Messages that came through it stay in the history; a new message from it will start a new customer.</source>
        <translation>Удалить %1 у клиента %2? Сообщения, пришедшие через него, остаются в истории; новое сообщение с него создаст нового клиента.</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Удалить</translation>
    </message>
    <message>
        <source>Undo merge</source>
        <translation>Отменить объединение</translation>
    </message>
    <message>
        <source>Split %1 off again? Both customers return exactly as they were before the merge, with what each received since through their own identities.</source>
        <translation>Снова отделить %1? Оба клиента вернутся точно такими, какими были до объединения, вместе с тем, что каждый получил с тех пор через свои идентификаторы.</translation>
    </message>
    <message>
        <source>Open a conversation or find a customer (Ctrl+K) to see their card and timeline.</source>
        <translation>Откройте разговор или найдите клиента (Ctrl+K), чтобы увидеть его карточку и историю.</translation>
    </message>
</context>
<context>
    <name>CustomerSearchDialog</name>
    <message>
        <source>Searching…</source>
        <translation>Поиск…</translation>
    </message>
    <message>
        <source>Type a phone in any format, an e-mail, a username or a name.</source>
        <translation>Введите телефон в любом формате, эл. почту, имя пользователя или имя.</translation>
    </message>
    <message numerus="yes">
        <source>%n customer(s) found.</source>
        <translation>
            <numerusform>Найден %n клиент.</numerusform>
            <numerusform>Найдено %n клиента.</numerusform>
            <numerusform>Найдено %n клиентов.</numerusform>
        </translation>
    </message>
    <message>
        <source>Nobody found. You can create a new customer.</source>
        <translation>Никто не найден. Можно создать нового клиента.</translation>
    </message>
    <message>
        <source>Find a customer</source>
        <translation>Найти клиента</translation>
    </message>
    <message>
        <source>Phone, e-mail, @username or name</source>
        <translation>Телефон, эл. почта, @username или имя</translation>
    </message>
    <message>
        <source>&amp;New customer…</source>
        <translation>&amp;Новый клиент…</translation>
    </message>
    <message>
        <source>&amp;Open</source>
        <translation>&amp;Открыть</translation>
    </message>
</context>
<context>
    <name>DuplicatePairsModel</name>
    <message>
        <source>Customer</source>
        <translation>Клиент</translation>
    </message>
    <message>
        <source>May be the same as</source>
        <translation>Возможный дубликат</translation>
    </message>
    <message>
        <source>Channels</source>
        <translation>Каналы</translation>
    </message>
    <message>
        <source>Match</source>
        <translation>Совпадение</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>Почему</translation>
    </message>
    <message>
        <source>Suggested</source>
        <translation>Предложено</translation>
    </message>
</context>
<context>
    <name>DuplicateReviewDialog</name>
    <message>
        <source>Open %1</source>
        <translation>Открыть: %1</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>Открыть</translation>
    </message>
    <message>
        <source>No suggested duplicates to review.</source>
        <translation>Нет предложенных дубликатов для просмотра.</translation>
    </message>
    <message>
        <source>Suggested duplicates</source>
        <translation>Предложенные дубликаты</translation>
    </message>
    <message numerus="yes">
        <source>%n pair(s) shown; more load as you scroll.</source>
        <translation>
            <numerusform>Показана %n пара; остальные загрузятся при прокрутке.</numerusform>
            <numerusform>Показаны %n пары; остальные загрузятся при прокрутке.</numerusform>
            <numerusform>Показано %n пар; остальные загрузятся при прокрутке.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n pair(s) to review.</source>
        <translation>
            <numerusform>%n пара для просмотра.</numerusform>
            <numerusform>%n пары для просмотра.</numerusform>
            <numerusform>%n пар для просмотра.</numerusform>
        </translation>
    </message>
    <message>
        <source>Pairs of customers who may be one person, the most likely first. Merge a pair (one confirmation, can be undone from the timeline) or mark it as different people.</source>
        <translation>Пары клиентов, которые могут быть одним человеком, самые вероятные — первыми. Объедините пару (одно подтверждение, можно отменить из истории) или отметьте как разных людей.</translation>
    </message>
    <message>
        <source>Merge…</source>
        <translation>Объединить…</translation>
    </message>
    <message>
        <source>Different people</source>
        <translation>Это разные люди</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Закрыть</translation>
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
        <source>Status filter</source>
        <translation>Фильтр по статусу</translation>
    </message>
    <message>
        <source>Newest activity first</source>
        <translation>Сначала новые</translation>
    </message>
    <message>
        <source>Longest waiting first</source>
        <translation>Сначала дольше ждущие</translation>
    </message>
    <message>
        <source>Order of the inbox: by last activity, or who has waited longest for an answer</source>
        <translation>Порядок входящих: по последней активности или кто дольше всех ждёт ответа</translation>
    </message>
    <message>
        <source>Inbox order</source>
        <translation>Порядок входящих</translation>
    </message>
    <message>
        <source>Any SLA state</source>
        <translation>Любое состояние SLA</translation>
    </message>
    <message>
        <source>SLA: breaching soon</source>
        <translation>SLA: скоро нарушение</translation>
    </message>
    <message>
        <source>SLA: breached</source>
        <translation>SLA: нарушен</translation>
    </message>
    <message>
        <source>Only the conversations past an SLA warning, or whose promise was already missed</source>
        <translation>Только разговоры после предупреждения SLA или со сроком, который уже нарушен</translation>
    </message>
    <message>
        <source>SLA filter</source>
        <translation>Фильтр SLA</translation>
    </message>
    <message>
        <source>Conversations</source>
        <translation>Разговоры</translation>
    </message>
    <message>
        <source>↑ Back to the newest</source>
        <translation>↑ К самым новым</translation>
    </message>
    <message>
        <source>Read the inbox again from its newest conversations</source>
        <translation>Прочитать входящие заново, с самых новых разговоров</translation>
    </message>
    <message>
        <source>Back to the newest conversations</source>
        <translation>К самым новым разговорам</translation>
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
    <name>Languages</name>
    <message>
        <source>Ukrainian</source>
        <translation>украинский</translation>
    </message>
    <message>
        <source>Russian</source>
        <translation>русский</translation>
    </message>
    <message>
        <source>English</source>
        <translation>английский</translation>
    </message>
    <message>
        <source>Polish</source>
        <translation>польский</translation>
    </message>
    <message>
        <source>German</source>
        <translation>немецкий</translation>
    </message>
    <message>
        <source>French</source>
        <translation>французский</translation>
    </message>
    <message>
        <source>Italian</source>
        <translation>итальянский</translation>
    </message>
    <message>
        <source>Spanish</source>
        <translation>испанский</translation>
    </message>
    <message>
        <source>Czech</source>
        <translation>чешский</translation>
    </message>
    <message>
        <source>Romanian</source>
        <translation>румынский</translation>
    </message>
    <message>
        <source>Turkish</source>
        <translation>турецкий</translation>
    </message>
    <message>
        <source>Belarusian</source>
        <translation>белорусский</translation>
    </message>
    <message>
        <source>Kazakh</source>
        <translation>казахский</translation>
    </message>
    <message>
        <source>Georgian</source>
        <translation>грузинский</translation>
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
        <source>An internal note needs text: the attached files go with a reply</source>
        <translation>Внутренней заметке нужен текст: прикреплённые файлы отправляются с ответом</translation>
    </message>
    <message>
        <source>You are offline: the conversation was not taken. Try again when the connection is back.</source>
        <translation>Нет соединения: разговор не взят. Попробуйте ещё раз, когда соединение восстановится.</translation>
    </message>
    <message>
        <source>You are offline: the conversation was not resolved. Try again when the connection is back.</source>
        <translation>Нет соединения: разговор не решён. Попробуйте ещё раз, когда соединение восстановится.</translation>
    </message>
    <message>
        <source>You are offline: the conversation was not set to pending. Try again when the connection is back.</source>
        <translation>Нет соединения: разговор не отмечен как ожидающий. Попробуйте ещё раз, когда соединение восстановится.</translation>
    </message>
    <message>
        <source>You are offline: the conversation was not reopened. Try again when the connection is back.</source>
        <translation>Нет соединения: разговор не открыт снова. Попробуйте ещё раз, когда соединение восстановится.</translation>
    </message>
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
        <source>Set to pending (waiting on the customer)</source>
        <translation>Отметить как ожидающий (ждём клиента)</translation>
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
        <source>Longest waiting first / newest first</source>
        <translation>Сначала дольше ждущие / сначала новые</translation>
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
        <source>Suggested duplicates…</source>
        <translation>Предложенные дубликаты…</translation>
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
    <name>MergeDialog</name>
    <message>
        <source>(empty)</source>
        <translation>(пусто)</translation>
    </message>
    <message>
        <source>Keep: %1</source>
        <translation>Оставить: %1</translation>
    </message>
    <message>
        <source>Take: %1</source>
        <translation>Взять: %1</translation>
    </message>
    <message>
        <source>Both</source>
        <translation>Оба</translation>
    </message>
    <message numerus="yes">
        <source>%n identity(ies)</source>
        <translation>
            <numerusform>%n идентификатором</numerusform>
            <numerusform>%n идентификаторами</numerusform>
            <numerusform>%n идентификаторами</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n conversation(s)</source>
        <translation>
            <numerusform>%n разговором</numerusform>
            <numerusform>%n разговорами</numerusform>
            <numerusform>%n разговорами</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 stays. %2 with %3 and %4 joins it. Values that are not kept stay visible in the profile&apos;s history, and the merge can be undone from the timeline.</source>
        <translation>%1 остаётся. %2 с %3 и %4 присоединяется. Значения, которые не сохранены, видны в истории профиля, а объединение можно отменить из ленты событий.</translation>
    </message>
    <message>
        <source>Merge customers</source>
        <translation>Объединение клиентов</translation>
    </message>
    <message>
        <source>%1 and %2 look like one person:</source>
        <translation>%1 и %2 похожи на одного человека:</translation>
    </message>
    <message>
        <source>Who stays</source>
        <translation>Кто остаётся</translation>
    </message>
    <message>
        <source>Which values stay</source>
        <translation>Какие значения остаются</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Имя</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Язык</translation>
    </message>
    <message>
        <source>Segment</source>
        <translation>Сегмент</translation>
    </message>
    <message>
        <source>Tags</source>
        <translation>Теги</translation>
    </message>
    <message>
        <source>Attributes</source>
        <translation>Атрибуты</translation>
    </message>
    <message>
        <source>Merge</source>
        <translation>Объединить</translation>
    </message>
</context>
<context>
    <name>Notifier</name>
    <message numerus="yes">
        <source>OmniDesk: %n conversation(s) with unread messages</source>
        <translation>
            <numerusform>OmniDesk: %n разговор с непрочитанными сообщениями</numerusform>
            <numerusform>OmniDesk: %n разговора с непрочитанными сообщениями</numerusform>
            <numerusform>OmniDesk: %n разговоров с непрочитанными сообщениями</numerusform>
        </translation>
    </message>
    <message>
        <source>New conversation: %1</source>
        <translation>Новый разговор: %1</translation>
    </message>
    <message>
        <source>%1 wrote</source>
        <translation>%1 пишет</translation>
    </message>
    <message>
        <source>first response</source>
        <translation>первый ответ</translation>
    </message>
    <message>
        <source>next response</source>
        <translation>следующий ответ</translation>
    </message>
    <message>
        <source>resolution</source>
        <translation>решение</translation>
    </message>
    <message>
        <source>a promise</source>
        <translation>обязательство</translation>
    </message>
    <message>
        <source>SLA missed: %1</source>
        <translation>SLA нарушен: %1</translation>
    </message>
    <message>
        <source>The %1 promise was not kept.</source>
        <translation>Срок не соблюдён: %1.</translation>
    </message>
    <message>
        <source>SLA soon: %1</source>
        <translation>SLA скоро: %1</translation>
    </message>
    <message numerus="yes">
        <source>The %1 is due in %n minute(s).</source>
        <translation>
            <numerusform>Срок: %1 — через %n минуту.</numerusform>
            <numerusform>Срок: %1 — через %n минуты.</numerusform>
            <numerusform>Срок: %1 — через %n минут.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>OfflineBanner</name>
    <message>
        <source>No connection to the server. Replies and notes you send wait on this computer and go out when it is back; other actions need the connection.</source>
        <translation>Нет соединения с сервером. Отправленные ответы и заметки ждут на этом компьютере и уйдут, как только соединение восстановится; другие действия требуют соединения.</translation>
    </message>
    <message>
        <source>Retry now</source>
        <translation>Повторить сейчас</translation>
    </message>
</context>
<context>
    <name>Permissions</name>
    <message>
        <source>Your role may not reply to customers.</source>
        <translation>Ваша роль не позволяет отвечать клиентам.</translation>
    </message>
    <message>
        <source>Your role may not take conversations.</source>
        <translation>Ваша роль не позволяет брать разговоры.</translation>
    </message>
    <message>
        <source>Your role may not change a conversation&apos;s status.</source>
        <translation>Ваша роль не позволяет менять статус разговора.</translation>
    </message>
    <message>
        <source>Your role may not edit customers.</source>
        <translation>Ваша роль не позволяет изменять клиентов.</translation>
    </message>
    <message>
        <source>Your role may not create customers.</source>
        <translation>Ваша роль не позволяет создавать клиентов.</translation>
    </message>
    <message>
        <source>Your role may not merge customers.</source>
        <translation>Ваша роль не позволяет объединять клиентов.</translation>
    </message>
    <message>
        <source>Your role may not remove a customer&apos;s identities.</source>
        <translation>Ваша роль не позволяет удалять идентификаторы клиента.</translation>
    </message>
    <message>
        <source>Your role may not review duplicates across all customers.</source>
        <translation>Ваша роль не позволяет просматривать дубликаты всех клиентов.</translation>
    </message>
    <message>
        <source>Your role may not dismiss duplicate suggestions.</source>
        <translation>Ваша роль не позволяет отклонять предложения дубликатов.</translation>
    </message>
    <message>
        <source>Your role may not transfer conversations.</source>
        <translation>Ваша роль не может передавать разговоры.</translation>
    </message>
    <message>
        <source>A colleague holds this conversation, and your role may not take it over.</source>
        <translation>Этот разговор ведёт коллега, а ваша роль не может его перехватить.</translation>
    </message>
    <message>
        <source>Your role may not undo merges.</source>
        <translation>Ваша роль не может отменять объединения.</translation>
    </message>
    <message>
        <source>A colleague made this merge: undoing it needs a supervisor.</source>
        <translation>Это объединение сделал коллега: отменить его может супервайзер.</translation>
    </message>
    <message>
        <source>Your role may not do this.</source>
        <translation>Ваша роль этого не позволяет.</translation>
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
        <source>&amp;Theme:</source>
        <translation>&amp;Тема:</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>Светлая</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>Тёмная</translation>
    </message>
    <message>
        <source>High contrast</source>
        <translation>Высокая контрастность</translation>
    </message>
    <message>
        <source>&amp;Desktop notifications</source>
        <translation>&amp;Уведомления на рабочем столе</translation>
    </message>
    <message>
        <source>&amp;Sound</source>
        <translation>З&amp;вук</translation>
    </message>
    <message>
        <source>&amp;Quiet hours (no sound):</source>
        <translation>Т&amp;ихие часы (без звука):</translation>
    </message>
    <message>
        <source>For example 22:00-08:00; empty for none</source>
        <translation>Например, 22:00-08:00; пусто — без тихих часов</translation>
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
        <source>Delivered</source>
        <translation>Доставлено</translation>
    </message>
    <message>
        <source>Read</source>
        <translation>Прочитано</translation>
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
        <source>edited</source>
        <translation>изменено</translation>
    </message>
    <message>
        <source>deleted by the customer</source>
        <translation>удалено клиентом</translation>
    </message>
    <message>
        <source>deleted</source>
        <translation>удалено</translation>
    </message>
    <message>
        <source>sent from the platform&apos;s own app</source>
        <translation>отправлено из приложения платформы</translation>
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
        <source>The server&apos;s certificate could not be verified (TLS). Check the address or ask your administrator for a trusted certificate.</source>
        <translation>Не удалось проверить сертификат сервера (TLS). Проверьте адрес или попросите администратора установить доверенный сертификат.</translation>
    </message>
    <message>
        <source>Cannot reach the server %1. Check the address and the network, or try again later.</source>
        <translation>Не удаётся связаться с сервером %1. Проверьте адрес и сеть или повторите попытку позже.</translation>
    </message>
    <message>
        <source>%1 is already handling this conversation.</source>
        <translation>Этим разговором уже занимается %1.</translation>
    </message>
    <message>
        <source>A colleague changed this at the same moment. Look at it again and retry if still needed.</source>
        <translation>Коллега изменил это в тот же момент. Посмотрите ещё раз и повторите, если нужно.</translation>
    </message>
    <message>
        <source>Not saved: %1.</source>
        <translation>Не сохранено: %1.</translation>
    </message>
    <message>
        <source>Not saved: check %1 (%2).</source>
        <translation>Не сохранено: проверьте %1 (%2).</translation>
    </message>
    <message>
        <source>An administrator ended your session. Please sign in again.</source>
        <translation>Администратор завершил ваш сеанс. Войдите снова.</translation>
    </message>
    <message>
        <source>You were logged out on the server. Please sign in again.</source>
        <translation>Вы вышли из системы на сервере. Войдите снова.</translation>
    </message>
    <message>
        <source>Your session has expired. Please sign in again.</source>
        <translation>Ваш сеанс истёк. Войдите снова.</translation>
    </message>
    <message>
        <source>Your password was changed. Please sign in with the new one.</source>
        <translation>Ваш пароль изменён. Войдите с новым паролем.</translation>
    </message>
    <message>
        <source>Your account was disabled. Ask your administrator.</source>
        <translation>Ваша учётная запись отключена. Обратитесь к администратору.</translation>
    </message>
    <message>
        <source>Your role was changed. Please sign in again to work with the new permissions.</source>
        <translation>Ваша роль изменена. Войдите снова, чтобы работать с новыми правами.</translation>
    </message>
    <message>
        <source>The server ended your session (%1). Please sign in again.</source>
        <translation>Сервер завершил ваш сеанс (%1). Войдите снова.</translation>
    </message>
    <message>
        <source>waits %1</source>
        <translation>ждёт %1</translation>
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
    <message numerus="yes">
        <source>%n h</source>
        <translation>
            <numerusform>%n ч</numerusform>
            <numerusform>%n ч</numerusform>
            <numerusform>%n ч</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n d</source>
        <translation>
            <numerusform>%n д</numerusform>
            <numerusform>%n д</numerusform>
            <numerusform>%n д</numerusform>
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
<context>
    <name>Timeline</name>
    <message>
        <source>Everything</source>
        <translation>Всё</translation>
    </message>
    <message>
        <source>Messages</source>
        <translation>Сообщения</translation>
    </message>
    <message>
        <source>Notes and calls</source>
        <translation>Заметки и звонки</translation>
    </message>
    <message>
        <source>Status changes</source>
        <translation>Смена статуса</translation>
    </message>
    <message>
        <source>Assignments</source>
        <translation>Назначения</translation>
    </message>
    <message>
        <source>Merges and profile</source>
        <translation>Объединения и профиль</translation>
    </message>
    <message>
        <source>the system</source>
        <translation>система</translation>
    </message>
    <message>
        <source>Message from the customer</source>
        <translation>Сообщение от клиента</translation>
    </message>
    <message>
        <source>Reply by %1</source>
        <translation>Ответ: %1</translation>
    </message>
    <message>
        <source>Internal note</source>
        <translation>Внутренняя заметка</translation>
    </message>
    <message>
        <source>Call</source>
        <translation>Звонок</translation>
    </message>
    <message>
        <source>%1 → %2</source>
        <translation>%1 → %2</translation>
    </message>
    <message>
        <source>Status changed</source>
        <translation>Статус изменён</translation>
    </message>
    <message>
        <source>Assigned to %1</source>
        <translation>Назначено: %1</translation>
    </message>
    <message>
        <source>Unassigned</source>
        <translation>Назначение снято</translation>
    </message>
    <message>
        <source>Merged with %1</source>
        <translation>Объединено с %1</translation>
    </message>
    <message>
        <source>by %1 · undone</source>
        <translation>%1 · отменено</translation>
    </message>
    <message>
        <source>by %1 · can be undone</source>
        <translation>%1 · можно отменить</translation>
    </message>
    <message>
        <source>Merge with %1 undone</source>
        <translation>Объединение с %1 отменено</translation>
    </message>
    <message>
        <source>Waited longer than %1 s: raised to urgent</source>
        <translation>Ждал дольше %1 с: срочность повышена</translation>
    </message>
    <message>
        <source>waited %1 s</source>
        <translation>ждал %1 с</translation>
    </message>
    <message>
        <source>Offered to %1</source>
        <translation>Предложено: %1</translation>
    </message>
    <message>
        <source>Declined by %1</source>
        <translation>%1 отказывается</translation>
    </message>
    <message>
        <source>Offer to %1 expired</source>
        <translation>Предложение для %1 истекло</translation>
    </message>
    <message>
        <source>%1 s to accept</source>
        <translation>%1 с, чтобы принять</translation>
    </message>
    <message>
        <source>Rated %1 of 5</source>
        <translation>Оценка %1 из 5</translation>
    </message>
    <message>
        <source>Would recommend: %1 of 10</source>
        <translation>Порекомендовал бы: %1 из 10</translation>
    </message>
    <message>
        <source>Customer created</source>
        <translation>Клиент создан</translation>
    </message>
    <message>
        <source>Other event: %1</source>
        <translation>Другое событие: %1</translation>
    </message>
    <message>
        <source>the queue %1</source>
        <translation>очередь %1</translation>
    </message>
    <message>
        <source>Transferred to %1</source>
        <translation>Передано: %1</translation>
    </message>
    <message>
        <source>from %1</source>
        <translation>откуда: %1</translation>
    </message>
    <message>
        <source>by %1</source>
        <translation>%1</translation>
    </message>
</context>
<context>
    <name>TimelinePane</name>
    <message>
        <source>All channels</source>
        <translation>Все каналы</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>Загрузка…</translation>
    </message>
    <message>
        <source>Nothing here yet.</source>
        <translation>Здесь пока ничего нет.</translation>
    </message>
    <message>
        <source>Timeline</source>
        <translation>История</translation>
    </message>
    <message>
        <source>Show only these kinds of events</source>
        <translation>Показывать только такие события</translation>
    </message>
    <message>
        <source>Show only this channel</source>
        <translation>Показывать только этот канал</translation>
    </message>
    <message>
        <source>Undo merge…</source>
        <translation>Отменить объединение…</translation>
    </message>
    <message>
        <source>Split the merged customers again, exactly as they were</source>
        <translation>Снова разделить объединённых клиентов точно такими, какими они были</translation>
    </message>
</context>
</TS>
