<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="uk" sourcelanguage="en">
<context>
    <name>Attributes</name>
    <message>
        <source>Region</source>
        <translation>Регіон</translation>
    </message>
    <message>
        <source>City</source>
        <translation>Місто</translation>
    </message>
    <message>
        <source>Country</source>
        <translation>Країна</translation>
    </message>
    <message>
        <source>Contract</source>
        <translation>Договір</translation>
    </message>
    <message>
        <source>Account</source>
        <translation>Рахунок</translation>
    </message>
    <message>
        <source>Card</source>
        <translation>Картка</translation>
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
        <translation>Компанія</translation>
    </message>
    <message>
        <source>Manager</source>
        <translation>Менеджер</translation>
    </message>
    <message>
        <source>Birthday</source>
        <translation>День народження</translation>
    </message>
    <message>
        <source>Client since</source>
        <translation>Клієнт з</translation>
    </message>
</context>
<context>
    <name>BubbleDelegate</name>
    <message>
        <source>Open in the player</source>
        <translation>Відкрити в програвачі</translation>
    </message>
    <message>
        <source>loading…</source>
        <translation>завантаження…</translation>
    </message>
</context>
<context>
    <name>ConversationDelegate</name>
    <message>
        <source>Unassigned</source>
        <translation>Не призначено</translation>
    </message>
</context>
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
        <source>&amp;Pending</source>
        <translation>&amp;Очікує</translation>
    </message>
    <message>
        <source>Waiting on the customer: set the conversation to pending (Ctrl+Shift+P)</source>
        <translation>Чекаємо на клієнта: позначити розмову як очікувану (Ctrl+Shift+P)</translation>
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
    <name>CustomerCard</name>
    <message>
        <source>Phone</source>
        <translation>Телефон</translation>
    </message>
    <message>
        <source>E-mail</source>
        <translation>Ел. пошта</translation>
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
        <translation>Вебчат</translation>
    </message>
    <message>
        <source>External id</source>
        <translation>Зовнішній ідентифікатор</translation>
    </message>
    <message>
        <source>Possible duplicates (%1)</source>
        <translation>Можливі дублікати (%1)</translation>
    </message>
    <message>
        <source>No identities yet.</source>
        <translation>Ідентифікаторів ще немає.</translation>
    </message>
    <message>
        <source>Remove identity</source>
        <translation>Вилучити ідентифікатор</translation>
    </message>
    <message>
        <source>Remove this identity from the customer…</source>
        <translation>Вилучити цей ідентифікатор у клієнта…</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Мова</translation>
    </message>
    <message>
        <source>Tags</source>
        <translation>Теги</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>так</translation>
    </message>
    <message>
        <source>no</source>
        <translation>ні</translation>
    </message>
    <message>
        <source>Identities</source>
        <translation>Ідентифікатори</translation>
    </message>
    <message>
        <source>Profile</source>
        <translation>Профіль</translation>
    </message>
    <message>
        <source>&amp;Edit…</source>
        <translation>&amp;Змінити…</translation>
    </message>
    <message>
        <source>Change the name, language, segment, tags and attributes</source>
        <translation>Змінити ім’я, мову, сегмент, теги та атрибути</translation>
    </message>
    <message>
        <source>&amp;Merge…</source>
        <translation>&amp;Об’єднати…</translation>
    </message>
    <message>
        <source>Merge the chosen customer into one profile (can be undone)</source>
        <translation>Об’єднати вибраного клієнта в один профіль (можна скасувати)</translation>
    </message>
    <message>
        <source>Not the same person</source>
        <translation>Це різні люди</translation>
    </message>
    <message numerus="yes">
        <source>%Ln open conversation(s)</source>
        <translation>
            <numerusform>%Ln відкрита розмова</numerusform>
            <numerusform>%Ln відкриті розмови</numerusform>
            <numerusform>%Ln відкритих розмов</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 in all</source>
        <translation>усього %1</translation>
    </message>
    <message>
        <source>This profile was merged into another customer.</source>
        <translation>Цей профіль об’єднано з іншим клієнтом.</translation>
    </message>
</context>
<context>
    <name>CustomerEditDialog</name>
    <message numerus="yes">
        <source>%n customer(s) already look like this. Open one instead of creating a duplicate?</source>
        <translation>
            <numerusform>%n клієнт уже схожий на цього. Відкрити його замість створення дубліката?</numerusform>
            <numerusform>%n клієнти вже схожі на цього. Відкрити одного з них замість створення дубліката?</numerusform>
            <numerusform>%n клієнтів уже схожі на цього. Відкрити одного з них замість створення дубліката?</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n possible duplicate(s) of this customer are listed on the card.</source>
        <translation>
            <numerusform>%n можливий дублікат цього клієнта показано в картці.</numerusform>
            <numerusform>%n можливі дублікати цього клієнта показано в картці.</numerusform>
            <numerusform>%n можливих дублікатів цього клієнта показано в картці.</numerusform>
        </translation>
    </message>
    <message>
        <source>No existing customer looks like this.</source>
        <translation>Схожих клієнтів немає.</translation>
    </message>
    <message>
        <source>New customer</source>
        <translation>Новий клієнт</translation>
    </message>
    <message>
        <source>Edit customer</source>
        <translation>Зміна клієнта</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>&amp;Ім’я:</translation>
    </message>
    <message>
        <source>&amp;Phone:</source>
        <translation>&amp;Телефон:</translation>
    </message>
    <message>
        <source>Add a &amp;phone:</source>
        <translation>Додати &amp;телефон:</translation>
    </message>
    <message>
        <source>&amp;E-mail:</source>
        <translation>&amp;Ел. пошта:</translation>
    </message>
    <message>
        <source>Add an &amp;e-mail:</source>
        <translation>Додати &amp;ел. пошту:</translation>
    </message>
    <message>
        <source>&amp;Language:</source>
        <translation>&amp;Мова:</translation>
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
        <translation>&amp;Атрибути:</translation>
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
        <translation>через кому</translation>
    </message>
    <message>
        <source>one per line, e.g. contract: A-1042</source>
        <translation>по одному в рядку, напр. договір: A-1042</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Зберегти</translation>
    </message>
    <message>
        <source>Open this customer</source>
        <translation>Відкрити цього клієнта</translation>
    </message>
</context>
<context>
    <name>CustomerPanel</name>
    <message>
        <source>you</source>
        <translation>ви</translation>
    </message>
    <message>
        <source>a colleague</source>
        <translation>колега</translation>
    </message>
    <message>
        <source>Card of %1 · no conversation open</source>
        <translation>Картка: %1 · розмову не відкрито</translation>
    </message>
    <message>
        <source>Card of %1, the customer of the open conversation (%2)</source>
        <translation>Картка: %1, клієнт відкритої розмови (%2)</translation>
    </message>
    <message>
        <source>Card of %1, NOT the customer of the open conversation (%2, %3)</source>
        <translation>Картка: %1 — це НЕ клієнт відкритої розмови (%2, %3)</translation>
    </message>
    <message>
        <source>Show %1</source>
        <translation>Показати: %1</translation>
    </message>
    <message>
        <source>Conversations on every channel (%1)</source>
        <translation>Розмови в усіх каналах (%1)</translation>
    </message>
    <message>
        <source>Remove identity</source>
        <translation>Вилучити ідентифікатор</translation>
    </message>
    <message>
        <source>Remove %1 from %2? Messages that came through it stay in the history; a new message from it will start a new customer.</source>
        <translation>Вилучити %1 у клієнта %2? Повідомлення, що надійшли через нього, лишаються в історії; нове повідомлення з нього створить нового клієнта.</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Вилучити</translation>
    </message>
    <message>
        <source>Undo merge</source>
        <translation>Скасувати об’єднання</translation>
    </message>
    <message>
        <source>Split %1 off again? Both customers return exactly as they were before the merge, with what each received since through their own identities.</source>
        <translation>Знову відокремити %1? Обидва клієнти повернуться точно такими, як були до об’єднання, разом із тим, що кожен отримав відтоді через свої ідентифікатори.</translation>
    </message>
    <message>
        <source>Open a conversation or find a customer (Ctrl+K) to see their card and timeline.</source>
        <translation>Відкрийте розмову або знайдіть клієнта (Ctrl+K), щоб побачити його картку та історію.</translation>
    </message>
</context>
<context>
    <name>CustomerSearchDialog</name>
    <message>
        <source>Searching…</source>
        <translation>Пошук…</translation>
    </message>
    <message>
        <source>Type a phone in any format, an e-mail, a username or a name.</source>
        <translation>Введіть телефон у будь-якому форматі, ел. пошту, ім’я користувача або ім’я.</translation>
    </message>
    <message numerus="yes">
        <source>%n customer(s) found.</source>
        <translation>
            <numerusform>Знайдено %n клієнта.</numerusform>
            <numerusform>Знайдено %n клієнти.</numerusform>
            <numerusform>Знайдено %n клієнтів.</numerusform>
        </translation>
    </message>
    <message>
        <source>Nobody found. You can create a new customer.</source>
        <translation>Нікого не знайдено. Можна створити нового клієнта.</translation>
    </message>
    <message>
        <source>Find a customer</source>
        <translation>Знайти клієнта</translation>
    </message>
    <message>
        <source>Phone, e-mail, @username or name</source>
        <translation>Телефон, ел. пошта, @username або ім’я</translation>
    </message>
    <message>
        <source>&amp;New customer…</source>
        <translation>&amp;Новий клієнт…</translation>
    </message>
    <message>
        <source>&amp;Open</source>
        <translation>&amp;Відкрити</translation>
    </message>
</context>
<context>
    <name>DuplicatePairsModel</name>
    <message>
        <source>Customer</source>
        <translation>Клієнт</translation>
    </message>
    <message>
        <source>May be the same as</source>
        <translation>Можливий дублікат</translation>
    </message>
    <message>
        <source>Channels</source>
        <translation>Канали</translation>
    </message>
    <message>
        <source>Match</source>
        <translation>Збіг</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>Чому</translation>
    </message>
    <message>
        <source>Suggested</source>
        <translation>Запропоновано</translation>
    </message>
</context>
<context>
    <name>DuplicateReviewDialog</name>
    <message>
        <source>Open %1</source>
        <translation>Відкрити: %1</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>Відкрити</translation>
    </message>
    <message>
        <source>No suggested duplicates to review.</source>
        <translation>Немає запропонованих дублікатів для перегляду.</translation>
    </message>
    <message>
        <source>Suggested duplicates</source>
        <translation>Запропоновані дублікати</translation>
    </message>
    <message numerus="yes">
        <source>%n pair(s) shown; more load as you scroll.</source>
        <translation>
            <numerusform>Показано %n пару; решта завантажиться під час прокручування.</numerusform>
            <numerusform>Показано %n пари; решта завантажиться під час прокручування.</numerusform>
            <numerusform>Показано %n пар; решта завантажиться під час прокручування.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n pair(s) to review.</source>
        <translation>
            <numerusform>%n пара для перегляду.</numerusform>
            <numerusform>%n пари для перегляду.</numerusform>
            <numerusform>%n пар для перегляду.</numerusform>
        </translation>
    </message>
    <message>
        <source>Pairs of customers who may be one person, the most likely first. Merge a pair (one confirmation, can be undone from the timeline) or mark it as different people.</source>
        <translation>Пари клієнтів, які можуть бути однією людиною, найімовірніші — першими. Об’єднайте пару (одне підтвердження, можна скасувати з історії) або позначте як різних людей.</translation>
    </message>
    <message>
        <source>Merge…</source>
        <translation>Об’єднати…</translation>
    </message>
    <message>
        <source>Different people</source>
        <translation>Це різні люди</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Закрити</translation>
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
        <source>Status filter</source>
        <translation>Фільтр за статусом</translation>
    </message>
    <message>
        <source>Newest activity first</source>
        <translation>Спершу нові</translation>
    </message>
    <message>
        <source>Longest waiting first</source>
        <translation>Спершу ті, хто довше чекає</translation>
    </message>
    <message>
        <source>Order of the inbox: by last activity, or who has waited longest for an answer</source>
        <translation>Порядок вхідних: за останньою активністю або хто найдовше чекає на відповідь</translation>
    </message>
    <message>
        <source>Inbox order</source>
        <translation>Порядок вхідних</translation>
    </message>
    <message>
        <source>Any SLA state</source>
        <translation>Будь-який стан SLA</translation>
    </message>
    <message>
        <source>SLA: breaching soon</source>
        <translation>SLA: скоро порушення</translation>
    </message>
    <message>
        <source>SLA: breached</source>
        <translation>SLA: порушено</translation>
    </message>
    <message>
        <source>Only the conversations past an SLA warning, or whose promise was already missed</source>
        <translation>Лише розмови після попередження SLA або зі строком, якого вже не дотримано</translation>
    </message>
    <message>
        <source>SLA filter</source>
        <translation>Фільтр SLA</translation>
    </message>
    <message>
        <source>Conversations</source>
        <translation>Розмови</translation>
    </message>
    <message>
        <source>↑ Back to the newest</source>
        <translation>↑ До найновіших</translation>
    </message>
    <message>
        <source>Read the inbox again from its newest conversations</source>
        <translation>Прочитати вхідні знову, від найновіших розмов</translation>
    </message>
    <message>
        <source>Back to the newest conversations</source>
        <translation>До найновіших розмов</translation>
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
    <name>Languages</name>
    <message>
        <source>Ukrainian</source>
        <translation>українська</translation>
    </message>
    <message>
        <source>Russian</source>
        <translation>російська</translation>
    </message>
    <message>
        <source>English</source>
        <translation>англійська</translation>
    </message>
    <message>
        <source>Polish</source>
        <translation>польська</translation>
    </message>
    <message>
        <source>German</source>
        <translation>німецька</translation>
    </message>
    <message>
        <source>French</source>
        <translation>французька</translation>
    </message>
    <message>
        <source>Italian</source>
        <translation>італійська</translation>
    </message>
    <message>
        <source>Spanish</source>
        <translation>іспанська</translation>
    </message>
    <message>
        <source>Czech</source>
        <translation>чеська</translation>
    </message>
    <message>
        <source>Romanian</source>
        <translation>румунська</translation>
    </message>
    <message>
        <source>Turkish</source>
        <translation>турецька</translation>
    </message>
    <message>
        <source>Belarusian</source>
        <translation>білоруська</translation>
    </message>
    <message>
        <source>Kazakh</source>
        <translation>казахська</translation>
    </message>
    <message>
        <source>Georgian</source>
        <translation>грузинська</translation>
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
        <source>An internal note needs text: the attached files go with a reply</source>
        <translation>Внутрішній нотатці потрібен текст: прикріплені файли надсилаються з відповіддю</translation>
    </message>
    <message>
        <source>You are offline: the conversation was not taken. Try again when the connection is back.</source>
        <translation>Немає з&apos;єднання: розмову не взято. Спробуйте ще раз, коли з&apos;єднання відновиться.</translation>
    </message>
    <message>
        <source>You are offline: the conversation was not resolved. Try again when the connection is back.</source>
        <translation>Немає з&apos;єднання: розмову не вирішено. Спробуйте ще раз, коли з&apos;єднання відновиться.</translation>
    </message>
    <message>
        <source>You are offline: the conversation was not set to pending. Try again when the connection is back.</source>
        <translation>Немає з&apos;єднання: розмову не позначено як очікувану. Спробуйте ще раз, коли з&apos;єднання відновиться.</translation>
    </message>
    <message>
        <source>You are offline: the conversation was not reopened. Try again when the connection is back.</source>
        <translation>Немає з&apos;єднання: розмову не відкрито знову. Спробуйте ще раз, коли з&apos;єднання відновиться.</translation>
    </message>
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
        <source>Set to pending (waiting on the customer)</source>
        <translation>Позначити як очікувану (чекаємо на клієнта)</translation>
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
        <source>Longest waiting first / newest first</source>
        <translation>Спершу ті, хто довше чекає / спершу нові</translation>
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
        <source>Suggested duplicates…</source>
        <translation>Запропоновані дублікати…</translation>
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
    <name>MergeDialog</name>
    <message>
        <source>(empty)</source>
        <translation>(порожньо)</translation>
    </message>
    <message>
        <source>Keep: %1</source>
        <translation>Залишити: %1</translation>
    </message>
    <message>
        <source>Take: %1</source>
        <translation>Взяти: %1</translation>
    </message>
    <message>
        <source>Both</source>
        <translation>Обидва</translation>
    </message>
    <message numerus="yes">
        <source>%n identity(ies)</source>
        <translation>
            <numerusform>%n ідентифікатором</numerusform>
            <numerusform>%n ідентифікаторами</numerusform>
            <numerusform>%n ідентифікаторами</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n conversation(s)</source>
        <translation>
            <numerusform>%n розмовою</numerusform>
            <numerusform>%n розмовами</numerusform>
            <numerusform>%n розмовами</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 stays. %2 with %3 and %4 joins it. Values that are not kept stay visible in the profile&apos;s history, and the merge can be undone from the timeline.</source>
        <translation>%1 залишається. %2 з %3 і %4 приєднується. Значення, які не збережено, видно в історії профілю, а об&apos;єднання можна скасувати зі стрічки подій.</translation>
    </message>
    <message>
        <source>Merge customers</source>
        <translation>Об’єднання клієнтів</translation>
    </message>
    <message>
        <source>%1 and %2 look like one person:</source>
        <translation>%1 і %2 схожі на одну людину:</translation>
    </message>
    <message>
        <source>Who stays</source>
        <translation>Хто залишається</translation>
    </message>
    <message>
        <source>Which values stay</source>
        <translation>Які значення залишаються</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Ім’я</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Мова</translation>
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
        <translation>Атрибути</translation>
    </message>
    <message>
        <source>Merge</source>
        <translation>Об’єднати</translation>
    </message>
</context>
<context>
    <name>Notifier</name>
    <message numerus="yes">
        <source>OmniDesk: %n conversation(s) with unread messages</source>
        <translation>
            <numerusform>OmniDesk: %n розмова з непрочитаними повідомленнями</numerusform>
            <numerusform>OmniDesk: %n розмови з непрочитаними повідомленнями</numerusform>
            <numerusform>OmniDesk: %n розмов з непрочитаними повідомленнями</numerusform>
        </translation>
    </message>
    <message>
        <source>New conversation: %1</source>
        <translation>Нова розмова: %1</translation>
    </message>
    <message>
        <source>%1 wrote</source>
        <translation>%1 пише</translation>
    </message>
    <message>
        <source>first response</source>
        <translation>перша відповідь</translation>
    </message>
    <message>
        <source>next response</source>
        <translation>наступна відповідь</translation>
    </message>
    <message>
        <source>resolution</source>
        <translation>вирішення</translation>
    </message>
    <message>
        <source>a promise</source>
        <translation>зобов&apos;язання</translation>
    </message>
    <message>
        <source>SLA missed: %1</source>
        <translation>SLA порушено: %1</translation>
    </message>
    <message>
        <source>The %1 promise was not kept.</source>
        <translation>Не дотримано строку: %1.</translation>
    </message>
    <message>
        <source>SLA soon: %1</source>
        <translation>SLA скоро: %1</translation>
    </message>
    <message numerus="yes">
        <source>The %1 is due in %n minute(s).</source>
        <translation>
            <numerusform>Строк: %1 — через %n хвилину.</numerusform>
            <numerusform>Строк: %1 — через %n хвилини.</numerusform>
            <numerusform>Строк: %1 — через %n хвилин.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>OfflineBanner</name>
    <message>
        <source>No connection to the server. Replies and notes you send wait on this computer and go out when it is back; other actions need the connection.</source>
        <translation>Немає з&apos;єднання з сервером. Надіслані відповіді й нотатки чекають на цьому комп&apos;ютері й підуть, щойно з&apos;єднання відновиться; інші дії потребують з&apos;єднання.</translation>
    </message>
    <message>
        <source>Retry now</source>
        <translation>Повторити зараз</translation>
    </message>
</context>
<context>
    <name>Permissions</name>
    <message>
        <source>Your role may not reply to customers.</source>
        <translation>Ваша роль не дозволяє відповідати клієнтам.</translation>
    </message>
    <message>
        <source>Your role may not take conversations.</source>
        <translation>Ваша роль не дозволяє брати розмови.</translation>
    </message>
    <message>
        <source>Your role may not change a conversation&apos;s status.</source>
        <translation>Ваша роль не дозволяє змінювати статус розмови.</translation>
    </message>
    <message>
        <source>Your role may not edit customers.</source>
        <translation>Ваша роль не дозволяє змінювати клієнтів.</translation>
    </message>
    <message>
        <source>Your role may not create customers.</source>
        <translation>Ваша роль не дозволяє створювати клієнтів.</translation>
    </message>
    <message>
        <source>Your role may not merge customers.</source>
        <translation>Ваша роль не дозволяє об&apos;єднувати клієнтів.</translation>
    </message>
    <message>
        <source>Your role may not remove a customer&apos;s identities.</source>
        <translation>Ваша роль не дозволяє вилучати ідентифікатори клієнта.</translation>
    </message>
    <message>
        <source>Your role may not review duplicates across all customers.</source>
        <translation>Ваша роль не дозволяє переглядати дублікати всіх клієнтів.</translation>
    </message>
    <message>
        <source>Your role may not dismiss duplicate suggestions.</source>
        <translation>Ваша роль не дозволяє відхиляти пропозиції дублікатів.</translation>
    </message>
    <message>
        <source>Your role may not transfer conversations.</source>
        <translation>Ваша роль не може передавати розмови.</translation>
    </message>
    <message>
        <source>A colleague holds this conversation, and your role may not take it over.</source>
        <translation>Цю розмову веде колега, а ваша роль не може її перебрати.</translation>
    </message>
    <message>
        <source>Your role may not undo merges.</source>
        <translation>Ваша роль не може скасовувати об&apos;єднання.</translation>
    </message>
    <message>
        <source>A colleague made this merge: undoing it needs a supervisor.</source>
        <translation>Це об&apos;єднання зробив колега: скасувати його може супервізор.</translation>
    </message>
    <message>
        <source>Your role may not do this.</source>
        <translation>Ваша роль цього не дозволяє.</translation>
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
        <source>&amp;Theme:</source>
        <translation>&amp;Тема:</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>Світла</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>Темна</translation>
    </message>
    <message>
        <source>High contrast</source>
        <translation>Висока контрастність</translation>
    </message>
    <message>
        <source>&amp;Desktop notifications</source>
        <translation>&amp;Сповіщення на робочому столі</translation>
    </message>
    <message>
        <source>&amp;Sound</source>
        <translation>&amp;Звук</translation>
    </message>
    <message>
        <source>&amp;Quiet hours (no sound):</source>
        <translation>&amp;Тихі години (без звуку):</translation>
    </message>
    <message>
        <source>For example 22:00-08:00; empty for none</source>
        <translation>Наприклад, 22:00-08:00; порожньо — без тихих годин</translation>
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
        <translation>Очікує на сервер</translation>
    </message>
    <message>
        <source>Not accepted: %1</source>
        <translation>Не прийнято: %1</translation>
    </message>
    <message>
        <source>edited</source>
        <translation>змінено</translation>
    </message>
    <message>
        <source>deleted by the customer</source>
        <translation>видалив клієнт</translation>
    </message>
    <message>
        <source>deleted</source>
        <translation>видалено</translation>
    </message>
    <message>
        <source>sent from the platform&apos;s own app</source>
        <translation>надіслано із застосунку платформи</translation>
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
        <source>The server&apos;s certificate could not be verified (TLS). Check the address or ask your administrator for a trusted certificate.</source>
        <translation>Не вдалося перевірити сертифікат сервера (TLS). Перевірте адресу або попросіть адміністратора встановити довірений сертифікат.</translation>
    </message>
    <message>
        <source>Cannot reach the server %1. Check the address and the network, or try again later.</source>
        <translation>Не вдається зв’язатися із сервером %1. Перевірте адресу й мережу або спробуйте пізніше.</translation>
    </message>
    <message>
        <source>%1 is already handling this conversation.</source>
        <translation>Цією розмовою вже займається %1.</translation>
    </message>
    <message>
        <source>A colleague changed this at the same moment. Look at it again and retry if still needed.</source>
        <translation>Колега змінив це в ту саму мить. Перегляньте ще раз і повторіть, якщо потрібно.</translation>
    </message>
    <message>
        <source>Not saved: %1.</source>
        <translation>Не збережено: %1.</translation>
    </message>
    <message>
        <source>Not saved: check %1 (%2).</source>
        <translation>Не збережено: перевірте %1 (%2).</translation>
    </message>
    <message>
        <source>An administrator ended your session. Please sign in again.</source>
        <translation>Адміністратор завершив ваш сеанс. Увійдіть знову.</translation>
    </message>
    <message>
        <source>You were logged out on the server. Please sign in again.</source>
        <translation>Вас виведено із системи на сервері. Увійдіть знову.</translation>
    </message>
    <message>
        <source>Your session has expired. Please sign in again.</source>
        <translation>Ваш сеанс закінчився. Увійдіть знову.</translation>
    </message>
    <message>
        <source>Your password was changed. Please sign in with the new one.</source>
        <translation>Ваш пароль змінено. Увійдіть з новим паролем.</translation>
    </message>
    <message>
        <source>Your account was disabled. Ask your administrator.</source>
        <translation>Ваш обліковий запис вимкнено. Зверніться до адміністратора.</translation>
    </message>
    <message>
        <source>Your role was changed. Please sign in again to work with the new permissions.</source>
        <translation>Вашу роль змінено. Увійдіть знову, щоб працювати з новими правами.</translation>
    </message>
    <message>
        <source>The server ended your session (%1). Please sign in again.</source>
        <translation>Сервер завершив ваш сеанс (%1). Увійдіть знову.</translation>
    </message>
    <message>
        <source>waits %1</source>
        <translation>чекає %1</translation>
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
    <message numerus="yes">
        <source>%n h</source>
        <translation>
            <numerusform>%n год</numerusform>
            <numerusform>%n год</numerusform>
            <numerusform>%n год</numerusform>
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
<context>
    <name>Timeline</name>
    <message>
        <source>Everything</source>
        <translation>Усе</translation>
    </message>
    <message>
        <source>Messages</source>
        <translation>Повідомлення</translation>
    </message>
    <message>
        <source>Notes and calls</source>
        <translation>Нотатки й дзвінки</translation>
    </message>
    <message>
        <source>Status changes</source>
        <translation>Зміни статусу</translation>
    </message>
    <message>
        <source>Assignments</source>
        <translation>Призначення</translation>
    </message>
    <message>
        <source>Merges and profile</source>
        <translation>Об’єднання і профіль</translation>
    </message>
    <message>
        <source>the system</source>
        <translation>система</translation>
    </message>
    <message>
        <source>Message from the customer</source>
        <translation>Повідомлення від клієнта</translation>
    </message>
    <message>
        <source>Reply by %1</source>
        <translation>Відповідь: %1</translation>
    </message>
    <message>
        <source>Internal note</source>
        <translation>Внутрішня нотатка</translation>
    </message>
    <message>
        <source>Call</source>
        <translation>Дзвінок</translation>
    </message>
    <message>
        <source>%1 → %2</source>
        <translation>%1 → %2</translation>
    </message>
    <message>
        <source>Status changed</source>
        <translation>Статус змінено</translation>
    </message>
    <message>
        <source>Assigned to %1</source>
        <translation>Призначено: %1</translation>
    </message>
    <message>
        <source>Unassigned</source>
        <translation>Знято призначення</translation>
    </message>
    <message>
        <source>Merged with %1</source>
        <translation>Об’єднано з %1</translation>
    </message>
    <message>
        <source>by %1 · undone</source>
        <translation>%1 · скасовано</translation>
    </message>
    <message>
        <source>by %1 · can be undone</source>
        <translation>%1 · можна скасувати</translation>
    </message>
    <message>
        <source>Merge with %1 undone</source>
        <translation>Об’єднання з %1 скасовано</translation>
    </message>
    <message>
        <source>Waited longer than %1 s: raised to urgent</source>
        <translation>Чекала довше за %1 с: терміновість підвищено</translation>
    </message>
    <message>
        <source>waited %1 s</source>
        <translation>чекала %1 с</translation>
    </message>
    <message>
        <source>Offered to %1</source>
        <translation>Запропоновано: %1</translation>
    </message>
    <message>
        <source>Declined by %1</source>
        <translation>%1 відмовляється</translation>
    </message>
    <message>
        <source>Offer to %1 expired</source>
        <translation>Пропозиція для %1 минула</translation>
    </message>
    <message>
        <source>%1 s to accept</source>
        <translation>%1 с, щоб прийняти</translation>
    </message>
    <message>
        <source>Rated %1 of 5</source>
        <translation>Оцінка %1 з 5</translation>
    </message>
    <message>
        <source>Would recommend: %1 of 10</source>
        <translation>Порадив би: %1 з 10</translation>
    </message>
    <message>
        <source>Customer created</source>
        <translation>Клієнта створено</translation>
    </message>
    <message>
        <source>Other event: %1</source>
        <translation>Інша подія: %1</translation>
    </message>
    <message>
        <source>the queue %1</source>
        <translation>черга %1</translation>
    </message>
    <message>
        <source>Transferred to %1</source>
        <translation>Передано: %1</translation>
    </message>
    <message>
        <source>from %1</source>
        <translation>звідки: %1</translation>
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
        <translation>Усі канали</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>Завантаження…</translation>
    </message>
    <message>
        <source>Nothing here yet.</source>
        <translation>Тут поки нічого немає.</translation>
    </message>
    <message>
        <source>Timeline</source>
        <translation>Історія</translation>
    </message>
    <message>
        <source>Show only these kinds of events</source>
        <translation>Показувати лише такі події</translation>
    </message>
    <message>
        <source>Show only this channel</source>
        <translation>Показувати лише цей канал</translation>
    </message>
    <message>
        <source>Undo merge…</source>
        <translation>Скасувати об’єднання…</translation>
    </message>
    <message>
        <source>Split the merged customers again, exactly as they were</source>
        <translation>Знову розділити об’єднаних клієнтів точно такими, як були</translation>
    </message>
</context>
</TS>
