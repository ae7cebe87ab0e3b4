<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="uk" sourcelanguage="en">
<context>
    <name>BoardWindow</name>
    <message>
        <source>No queue</source>
        <translation>Без черги</translation>
    </message>
    <message>
        <source>Offered: %1 (%2, %3)</source>
        <translation>Запропоновано: %1 (%2, %3)</translation>
    </message>
    <message numerus="yes">
        <source>and %n more</source>
        <translation>
            <numerusform>і ще %n</numerusform>
            <numerusform>і ще %n</numerusform>
            <numerusform>і ще %n</numerusform>
        </translation>
    </message>
    <message>
        <source>%1, for %2</source>
        <translation>%1, уже %2</translation>
    </message>
    <message>
        <source>Operator: %1</source>
        <translation>Оператор: %1</translation>
    </message>
    <message>
        <source>Queue: %1</source>
        <translation>Черга: %1</translation>
    </message>
    <message numerus="yes">
        <source>Moved %n conversation(s).</source>
        <translation>
            <numerusform>Переміщено %n розмову.</numerusform>
            <numerusform>Переміщено %n розмови.</numerusform>
            <numerusform>Переміщено %n розмов.</numerusform>
        </translation>
    </message>
    <message>
        <source>The server did not accept this: %1</source>
        <translation>Сервер цього не прийняв: %1</translation>
    </message>
    <message numerus="yes">
        <source>%n not moved: %1</source>
        <translation>
            <numerusform>%n не переміщено: %1</numerusform>
            <numerusform>%n не переміщено: %1</numerusform>
            <numerusform>%n не переміщено: %1</numerusform>
        </translation>
    </message>
    <message>
        <source>Supervisor board</source>
        <translation>Панель супервізора</translation>
    </message>
    <message>
        <source>Queue board</source>
        <translation>Табло черг</translation>
    </message>
    <message>
        <source>Waiting conversations</source>
        <translation>Розмови в очікуванні</translation>
    </message>
    <message>
        <source>Operators (drop conversations here to assign)</source>
        <translation>Оператори (перетягніть сюди розмови, щоб призначити)</translation>
    </message>
    <message>
        <source>Colleagues in my queues</source>
        <translation>Колеги в моїх чергах</translation>
    </message>
    <message>
        <source>Move selected</source>
        <translation>Перемістити вибрані</translation>
    </message>
    <message>
        <source>Drag conversations onto an operator or a queue tile, or select several and move them.</source>
        <translation>Перетягніть розмови на оператора або плитку черги чи виберіть кілька й перемістіть.</translation>
    </message>
    <message>
        <source>Your queues now: who waits and how long. Take the next one with Ctrl+N.</source>
        <translation>Ваші черги зараз: хто чекає і як довго. Наступну розмову бере Ctrl+N.</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>Клієнт</translation>
    </message>
    <message>
        <source>Queue</source>
        <translation>Черга</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>Канал</translation>
    </message>
    <message>
        <source>Priority</source>
        <translation>Пріоритет</translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation>Очікує</translation>
    </message>
    <message>
        <source>Offered to</source>
        <translation>Запропоновано</translation>
    </message>
</context>
<context>
    <name>CannedEditor</name>
    <message>
        <source>Shortcut, title and text are required.</source>
        <translation>Потрібні скорочення, назва й текст.</translation>
    </message>
    <message>
        <source>New canned reply</source>
        <translation>Новий шаблон відповіді</translation>
    </message>
    <message>
        <source>Edit canned reply</source>
        <translation>Редагувати шаблон відповіді</translation>
    </message>
    <message>
        <source>Shortcut</source>
        <translation>Скорочення</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>Назва</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Мова</translation>
    </message>
    <message>
        <source>Text</source>
        <translation>Текст</translation>
    </message>
    <message>
        <source>Queue</source>
        <translation>Черга</translation>
    </message>
    <message>
        <source>Shared with colleagues (all queues, or the queue chosen)</source>
        <translation>Спільний для колег (усі черги або вибрана черга)</translation>
    </message>
    <message>
        <source>Placeholders: {customer.first_name}, {customer.name}, {operator.name}, {queue.name}, {queue.position}, and any custom attribute as {customer.&lt;name&gt;}. Type / and the shortcut in the composer.</source>
        <translation>Підстановки: {customer.first_name}, {customer.name}, {operator.name}, {queue.name}, {queue.position} і будь-який атрибут як {customer.&lt;назва&gt;}. У полі відповіді наберіть / і скорочення.</translation>
    </message>
</context>
<context>
    <name>CannedManager</name>
    <message>
        <source>personal</source>
        <translation>особистий</translation>
    </message>
    <message>
        <source>shared: %1</source>
        <translation>спільний: %1</translation>
    </message>
    <message>
        <source>shared: everyone</source>
        <translation>спільний: для всіх</translation>
    </message>
    <message>
        <source>A shared reply: a supervisor can change it.</source>
        <translation>Спільний шаблон: змінити його може керівник.</translation>
    </message>
    <message>
        <source>Type / and the shortcut in the composer to insert a reply.</source>
        <translation>Наберіть / і скорочення в полі відповіді, щоб вставити шаблон.</translation>
    </message>
    <message>
        <source>Delete canned reply</source>
        <translation>Видалити шаблон відповіді</translation>
    </message>
    <message>
        <source>Delete the canned reply /%1 “%2”?</source>
        <translation>Видалити шаблон /%1 «%2»?</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Видалити</translation>
    </message>
    <message>
        <source>Canned replies</source>
        <translation>Шаблони відповідей</translation>
    </message>
    <message>
        <source>Find by shortcut, title or text</source>
        <translation>Пошук за скороченням, назвою або текстом</translation>
    </message>
    <message>
        <source>All languages</source>
        <translation>Усі мови</translation>
    </message>
    <message>
        <source>New…</source>
        <translation>Новий…</translation>
    </message>
    <message>
        <source>Edit…</source>
        <translation>Редагувати…</translation>
    </message>
    <message>
        <source>Delete…</source>
        <translation>Видалити…</translation>
    </message>
</context>
<context>
    <name>ColleaguesButton</name>
    <message numerus="yes">
        <source>Colleagues: %n online</source>
        <translation>
            <numerusform>Колеги: %n у мережі</numerusform>
            <numerusform>Колеги: %n у мережі</numerusform>
            <numerusform>Колеги: %n у мережі</numerusform>
        </translation>
    </message>
    <message>
        <source>Who of your queues is online, away or offline, and how busy they are</source>
        <translation>Хто з ваших черг у мережі, відійшов чи не в мережі, і наскільки зайнятий</translation>
    </message>
</context>
<context>
    <name>ColleaguesPopup</name>
    <message>
        <source>Double-click a colleague to hand them the open conversation.</source>
        <translation>Двічі клацніть колегу, щоб передати йому відкриту розмову.</translation>
    </message>
    <message>
        <source>Nobody else works in your queues.</source>
        <translation>У ваших чергах більше ніхто не працює.</translation>
    </message>
    <message>
        <source>Colleagues in your queues</source>
        <translation>Колеги у ваших чергах</translation>
    </message>
</context>
<context>
    <name>MentionsDialog</name>
    <message>
        <source>Mentions</source>
        <translation>Згадки</translation>
    </message>
    <message>
        <source>Nobody has mentioned you yet.</source>
        <translation>Вас ще ніхто не згадував.</translation>
    </message>
    <message>
        <source>%1 · %2
%3</source>
        <translation>%1 · %2
%3</translation>
    </message>
</context>
<context>
    <name>OfferToast</name>
    <message>
        <source>Conversation offered: %1 (%2)</source>
        <translation>Вам пропонують розмову: %1 (%2)</translation>
    </message>
    <message>
        <source>%1 s left to accept</source>
        <translation>Лишилось %1 с, щоб прийняти</translation>
    </message>
    <message>
        <source>%1 more waiting</source>
        <translation>ще %1 чекають</translation>
    </message>
    <message>
        <source>Accept</source>
        <translation>Прийняти</translation>
    </message>
    <message>
        <source>Take this conversation (%1)</source>
        <translation>Узяти цю розмову (%1)</translation>
    </message>
    <message>
        <source>Decline</source>
        <translation>Відмовитися</translation>
    </message>
    <message>
        <source>Let a colleague have it; it is not offered to you again for a while (%1)</source>
        <translation>Нехай візьме колега; вам її якийсь час не пропонуватимуть (%1)</translation>
    </message>
    <message>
        <source>Accept the offered conversation</source>
        <translation>Прийняти запропоновану розмову</translation>
    </message>
    <message>
        <source>Decline the offered conversation</source>
        <translation>Відмовитися від запропонованої розмови</translation>
    </message>
</context>
<context>
    <name>PresenceSelector</name>
    <message>
        <source>You are offline: your presence was not changed. Try again when the connection is back.</source>
        <translation>Немає з&apos;єднання: вашу присутність не змінено. Спробуйте ще раз, коли з&apos;єднання відновиться.</translation>
    </message>
    <message>
        <source>Your presence: colleagues and supervisors see it; online means you get work</source>
        <translation>Ваша присутність: її бачать колеги й супервізори; «У мережі» — вам надходить робота</translation>
    </message>
</context>
<context>
    <name>Problems</name>
    <message>
        <source>Queue</source>
        <translation>Черга</translation>
    </message>
    <message>
        <source>Priority</source>
        <translation>Пріоритет</translation>
    </message>
    <message>
        <source>Maximum wait</source>
        <translation>Максимальне очікування</translation>
    </message>
    <message>
        <source>Skill</source>
        <translation>Навичка</translation>
    </message>
    <message>
        <source>Auto-reply</source>
        <translation>Автовідповідь</translation>
    </message>
    <message>
        <source>%1 is already handling this conversation.</source>
        <translation>Цією розмовою вже займається %1.</translation>
    </message>
    <message>
        <source>A colleague took this conversation a moment ago.</source>
        <translation>Колега щойно взяв цю розмову.</translation>
    </message>
    <message>
        <source>This offer was accepted already.</source>
        <translation>Цю пропозицію вже прийнято.</translation>
    </message>
    <message>
        <source>This offer was declined.</source>
        <translation>Цю пропозицію відхилено.</translation>
    </message>
    <message>
        <source>The offer expired before it was accepted.</source>
        <translation>Час пропозиції сплив, перш ніж її прийняли.</translation>
    </message>
    <message>
        <source>The offer was withdrawn: the conversation is no longer waiting for you.</source>
        <translation>Пропозицію відкликано: розмова вже не чекає на вас.</translation>
    </message>
    <message>
        <source>The offer has ended.</source>
        <translation>Пропозиція завершилася.</translation>
    </message>
    <message>
        <source>Your role does not allow this.</source>
        <translation>Ваша роль цього не дозволяє.</translation>
    </message>
    <message>
        <source>This conversation no longer exists, or it is no longer in your queues.</source>
        <translation>Цієї розмови вже немає, або вона вже не у ваших чергах.</translation>
    </message>
    <message>
        <source>The conversation is already there: with that colleague or in that queue.</source>
        <translation>Розмова вже там: у цього колеги або в цій черзі.</translation>
    </message>
    <message>
        <source>Choose a colleague or a queue to transfer the conversation to.</source>
        <translation>Виберіть колегу або чергу, якій передати розмову.</translation>
    </message>
    <message>
        <source>Only the colleague handling this conversation, or a supervisor, can transfer it.</source>
        <translation>Передати розмову може лише колега, який нею займається, або супервізор.</translation>
    </message>
    <message>
        <source>That colleague&apos;s account no longer exists or is disabled.</source>
        <translation>Обліковий запис цього колеги видалено або вимкнено.</translation>
    </message>
    <message>
        <source>That queue no longer exists.</source>
        <translation>Цієї черги вже немає.</translation>
    </message>
    <message>
        <source>A queue named “%1” exists already.</source>
        <translation>Черга «%1» уже існує.</translation>
    </message>
    <message>
        <source>The offer timeout is from 0 (assign at once) to %1 seconds.</source>
        <translation>Час на пропозицію — від 0 (призначати одразу) до %1 с.</translation>
    </message>
    <message>
        <source>The decline cooldown is from 0 to %1 seconds.</source>
        <translation>Пауза після відмови — від 0 до %1 с.</translation>
    </message>
    <message>
        <source>Capacity is set for chats, e-mails and calls only.</source>
        <translation>Навантаження задається лише для чатів, листів і дзвінків.</translation>
    </message>
    <message>
        <source>Business hours need a time zone, such as Europe/Kyiv.</source>
        <translation>Для робочих годин потрібен часовий пояс, наприклад Europe/Kyiv.</translation>
    </message>
    <message>
        <source>“%1” is not a known time zone (write it like Europe/Kyiv).</source>
        <translation>«%1» — невідомий часовий пояс (пишіть як Europe/Kyiv).</translation>
    </message>
    <message>
        <source>Business hours: “%1” is not a day of the week.</source>
        <translation>Робочі години: «%1» — не день тижня.</translation>
    </message>
    <message>
        <source>Business hours: “%1” is not a span of times such as 09:00–18:00.</source>
        <translation>Робочі години: «%1» — не проміжок часу на зразок 09:00–18:00.</translation>
    </message>
    <message>
        <source>Business hours: in “%1” the closing time is not after the opening time.</source>
        <translation>Робочі години: у «%1» час закриття не пізніший за час відкриття.</translation>
    </message>
    <message>
        <source>Holidays: “%1” is not a date such as 2026-01-01.</source>
        <translation>Свята: «%1» — не дата на зразок 2026-01-01.</translation>
    </message>
    <message>
        <source>A rule needs a name.</source>
        <translation>Правилу потрібна назва.</translation>
    </message>
    <message>
        <source>Condition %1 has parts no condition takes: %2.</source>
        <translation>Умова %1 має частини, яких умови не приймають: %2.</translation>
    </message>
    <message>
        <source>Condition %1: “%2” is not something a rule can look at.</source>
        <translation>Умова %1: «%2» — не те, на що може дивитися правило.</translation>
    </message>
    <message>
        <source>Condition %1: this comparison does not fit “%2”.</source>
        <translation>Умова %1: це порівняння не підходить до «%2».</translation>
    </message>
    <message>
        <source>Condition %1 needs at least one value.</source>
        <translation>Умові %1 потрібне хоча б одне значення.</translation>
    </message>
    <message>
        <source>Condition %1: a keyword cannot be empty.</source>
        <translation>Умова %1: ключове слово не може бути порожнім.</translation>
    </message>
    <message>
        <source>Condition %1 needs yes or no.</source>
        <translation>Умові %1 потрібно «так» або «ні».</translation>
    </message>
    <message>
        <source>Condition %1 needs a channel.</source>
        <translation>Умові %1 потрібен канал.</translation>
    </message>
    <message>
        <source>Condition %1 needs a value.</source>
        <translation>Умові %1 потрібне значення.</translation>
    </message>
    <message>
        <source>Condition %1 needs the attribute&apos;s name.</source>
        <translation>Умові %1 потрібна назва атрибута.</translation>
    </message>
    <message>
        <source>Condition %1: only an attribute condition names an attribute.</source>
        <translation>Умова %1: атрибут називає лише умова за атрибутом.</translation>
    </message>
    <message>
        <source>Condition %1 needs the queue whose business hours apply.</source>
        <translation>Умові %1 потрібна черга, чиї робочі години діють.</translation>
    </message>
    <message>
        <source>Condition %1: only a business-hours condition takes a queue&apos;s hours.</source>
        <translation>Умова %1: години черги бере лише умова за робочими годинами.</translation>
    </message>
    <message>
        <source>Condition %1: the queue whose business hours it uses no longer exists.</source>
        <translation>Умова %1: черги, чиї робочі години вона бере, вже немає.</translation>
    </message>
    <message>
        <source>Condition %1: that queue has no business hours. Set them in Queues and members first.</source>
        <translation>Умова %1: у цієї черги немає робочих годин. Спершу задайте їх у «Черги та учасники».</translation>
    </message>
    <message>
        <source>The rule has actions this server does not know: %1.</source>
        <translation>Правило має дії, яких цей сервер не знає: %1.</translation>
    </message>
    <message>
        <source>A rule must do something: set a queue, a priority, a skill, a maximum wait or an auto-reply.</source>
        <translation>Правило має щось робити: задати чергу, пріоритет, навичку, максимальне очікування або автовідповідь.</translation>
    </message>
    <message>
        <source>%1: a whole number is needed.</source>
        <translation>%1: потрібне ціле число.</translation>
    </message>
    <message>
        <source>The priority is low, normal, high or urgent.</source>
        <translation>Пріоритет — низький, звичайний, високий або терміновий.</translation>
    </message>
    <message>
        <source>The maximum wait is from 1 second to 7 days.</source>
        <translation>Максимальне очікування — від 1 секунди до 7 днів.</translation>
    </message>
    <message>
        <source>%1: from 1 to %2 characters.</source>
        <translation>%1: від 1 до %2 символів.</translation>
    </message>
    <message>
        <source>The rule&apos;s queue no longer exists. Choose another queue.</source>
        <translation>Черги цього правила вже немає. Виберіть іншу чергу.</translation>
    </message>
    <message>
        <source>The rules changed meanwhile. Reload them and set the order again.</source>
        <translation>Тим часом правила змінилися. Оновіть їх і задайте порядок знову.</translation>
    </message>
    <message>
        <source>That channel no longer exists. Choose another one.</source>
        <translation>Цього каналу вже немає. Виберіть інший.</translation>
    </message>
    <message>
        <source>That customer no longer exists (perhaps merged). Find them again.</source>
        <translation>Цього клієнта вже немає (можливо, його об&apos;єднано). Знайдіть його знову.</translation>
    </message>
    <message>
        <source>A queue&apos;s canned reply is shared with the queue: mark it as shared.</source>
        <translation>Шаблон черги спільний для черги: позначте його як спільний.</translation>
    </message>
    <message>
        <source>Only its author, or a supervisor for a shared reply, can change or delete this canned reply.</source>
        <translation>Змінити чи видалити цей шаблон може лише його автор, а спільний — ще й супервізор.</translation>
    </message>
    <message>
        <source>Rule %1: %2</source>
        <translation>Правило %1: %2</translation>
    </message>
</context>
<context>
    <name>QueueAdmin</name>
    <message>
        <source>Queues and members</source>
        <translation>Черги та учасники</translation>
    </message>
    <message>
        <source>New queue&apos;s name</source>
        <translation>Назва нової черги</translation>
    </message>
    <message>
        <source>Add queue</source>
        <translation>Додати чергу</translation>
    </message>
    <message>
        <source>Queue</source>
        <translation>Черга</translation>
    </message>
    <message>
        <source>Offer waiting work to online members (push mode)</source>
        <translation>Пропонувати роботу учасникам у мережі (автопризначення)</translation>
    </message>
    <message>
        <source>Time zone</source>
        <translation>Часовий пояс</translation>
    </message>
    <message>
        <source>Business hours</source>
        <translation>Робочі години</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Назва</translation>
    </message>
    <message>
        <source>Holidays (closed all day)</source>
        <translation>Святкові дні (зачинено весь день)</translation>
    </message>
    <message>
        <source>Seconds to accept an offer</source>
        <translation>Секунд, щоб прийняти пропозицію</translation>
    </message>
    <message>
        <source>assign at once, no offer</source>
        <translation>призначати одразу, без пропозиції</translation>
    </message>
    <message>
        <source> s</source>
        <translation> с</translation>
    </message>
    <message>
        <source>The chosen member accepts or declines within this time; then it is offered to the next one</source>
        <translation>Обраний учасник приймає чи відхиляє пропозицію за цей час; потім її пропонують наступному</translation>
    </message>
    <message>
        <source>Not offered again after a decline for</source>
        <translation>Після відмови не пропонувати знову протягом</translation>
    </message>
    <message>
        <source>offered again at once</source>
        <translation>пропонувати знову одразу</translation>
    </message>
    <message>
        <source>Whoever declined a conversation, or let its offer expire, is not offered it again for this long</source>
        <translation>Хто відхилив розмову або не відповів на пропозицію вчасно, не отримає її знову протягом цього часу</translation>
    </message>
    <message>
        <source>dates such as 2026-12-25, 2027-01-01</source>
        <translation>дати на кшталт 2026-12-25, 2027-01-01</translation>
    </message>
    <message>
        <source>Save queue</source>
        <translation>Зберегти чергу</translation>
    </message>
    <message>
        <source>Members</source>
        <translation>Учасники</translation>
    </message>
    <message>
        <source>Colleague</source>
        <translation>Колега</translation>
    </message>
    <message>
        <source>Skills (comma-separated)</source>
        <translation>Навички (через кому)</translation>
    </message>
    <message>
        <source>At once: chats, e-mails, calls</source>
        <translation>Одночасно: чати, листи, дзвінки</translation>
    </message>
    <message>
        <source>Priority (higher is offered first)</source>
        <translation>Пріоритет (вищому пропонують першим)</translation>
    </message>
    <message>
        <source>Save member</source>
        <translation>Зберегти учасника</translation>
    </message>
    <message>
        <source>Remove member</source>
        <translation>Прибрати учасника</translation>
    </message>
</context>
<context>
    <name>QueueTile</name>
    <message numerus="yes">
        <source>%n waiting</source>
        <translation>
            <numerusform>%n очікує</numerusform>
            <numerusform>%n очікують</numerusform>
            <numerusform>%n очікують</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n offered</source>
        <translation>
            <numerusform>%n запропоновано</numerusform>
            <numerusform>%n запропоновано</numerusform>
            <numerusform>%n запропоновано</numerusform>
        </translation>
    </message>
    <message>
        <source>Of the waiting, offered to an operator now, who may accept or decline</source>
        <translation>З тих, що очікують: запропоновані оператору зараз (він може прийняти або відхилити)</translation>
    </message>
    <message>
        <source>Longest wait: %1</source>
        <translation>Найдовше очікування: %1</translation>
    </message>
    <message>
        <source>Average wait: %1</source>
        <translation>Середнє очікування: %1</translation>
    </message>
    <message numerus="yes">
        <source>%n in progress</source>
        <translation>
            <numerusform>%n у роботі</numerusform>
            <numerusform>%n у роботі</numerusform>
            <numerusform>%n у роботі</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n online</source>
        <translation>
            <numerusform>%n у мережі</numerusform>
            <numerusform>%n у мережі</numerusform>
            <numerusform>%n у мережі</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>RuleEditor</name>
    <message>
        <source>(off)</source>
        <translation>(вимкнено)</translation>
    </message>
    <message>
        <source>(channel&apos;s queue)</source>
        <translation>(черга каналу)</translation>
    </message>
    <message>
        <source>(unchanged)</source>
        <translation>(без змін)</translation>
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
        <source>A rule needs a name.</source>
        <translation>Правилу потрібна назва.</translation>
    </message>
    <message>
        <source>(new rule)</source>
        <translation>(нове правило)</translation>
    </message>
    <message>
        <source>Routing rules</source>
        <translation>Правила маршрутизації</translation>
    </message>
    <message>
        <source>Rules in order: the first that matches takes the message</source>
        <translation>Правила по порядку: повідомлення бере перше, що підходить</translation>
    </message>
    <message>
        <source>New rule</source>
        <translation>Нове правило</translation>
    </message>
    <message>
        <source>Up</source>
        <translation>Вгору</translation>
    </message>
    <message>
        <source>Down</source>
        <translation>Вниз</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Видалити</translation>
    </message>
    <message>
        <source>History</source>
        <translation>Історія</translation>
    </message>
    <message>
        <source>Rule</source>
        <translation>Правило</translation>
    </message>
    <message>
        <source>Enabled</source>
        <translation>Увімкнено</translation>
    </message>
    <message>
        <source>If</source>
        <translation>Якщо</translation>
    </message>
    <message>
        <source>is</source>
        <translation>умова</translation>
    </message>
    <message>
        <source>Queue / attribute</source>
        <translation>Черга / атрибут</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Значення</translation>
    </message>
    <message>
        <source>Add condition</source>
        <translation>Додати умову</translation>
    </message>
    <message>
        <source>Remove condition</source>
        <translation>Прибрати умову</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Назва</translation>
    </message>
    <message>
        <source>Then queue</source>
        <translation>Тоді черга</translation>
    </message>
    <message>
        <source>Priority</source>
        <translation>Пріоритет</translation>
    </message>
    <message>
        <source>Required skill</source>
        <translation>Потрібна навичка</translation>
    </message>
    <message>
        <source>Maximum wait, s</source>
        <translation>Макс. очікування, с</translation>
    </message>
    <message>
        <source>Auto-reply</source>
        <translation>Автовідповідь</translation>
    </message>
    <message>
        <source>none</source>
        <translation>немає</translation>
    </message>
    <message>
        <source>Save rule</source>
        <translation>Зберегти правило</translation>
    </message>
</context>
<context>
    <name>RuleHistory</name>
    <message>
        <source>%1 → %2</source>
        <translation>%1 → %2</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>Створено</translation>
    </message>
    <message>
        <source>Changed</source>
        <translation>Змінено</translation>
    </message>
    <message>
        <source>Deleted</source>
        <translation>Видалено</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Назва</translation>
    </message>
    <message>
        <source>Enabled</source>
        <translation>Увімкнено</translation>
    </message>
    <message>
        <source>Conditions</source>
        <translation>Умови</translation>
    </message>
    <message>
        <source>Queue</source>
        <translation>Черга</translation>
    </message>
    <message>
        <source>Priority</source>
        <translation>Пріоритет</translation>
    </message>
    <message>
        <source>Required skill</source>
        <translation>Потрібна навичка</translation>
    </message>
    <message>
        <source>Maximum wait</source>
        <translation>Найдовше очікування</translation>
    </message>
    <message>
        <source>Auto-reply</source>
        <translation>Автовідповідь</translation>
    </message>
    <message>
        <source>always</source>
        <translation>завжди</translation>
    </message>
    <message>
        <source>(channel&apos;s queue)</source>
        <translation>(черга каналу)</translation>
    </message>
    <message>
        <source>(unchanged)</source>
        <translation>(без змін)</translation>
    </message>
    <message>
        <source>none</source>
        <translation>немає</translation>
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
        <source>queue no. %1</source>
        <translation>черга № %1</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 с</translation>
    </message>
    <message>
        <source>“%1”</source>
        <translation>«%1»</translation>
    </message>
    <message>
        <source>History of the rule</source>
        <translation>Історія правила</translation>
    </message>
    <message>
        <source>Changes of “%1”, newest first</source>
        <translation>Зміни правила «%1», найновіші спершу</translation>
    </message>
    <message>
        <source>When</source>
        <translation>Коли</translation>
    </message>
    <message>
        <source>Who</source>
        <translation>Хто</translation>
    </message>
    <message>
        <source>What changed</source>
        <translation>Що змінилося</translation>
    </message>
    <message>
        <source>No changes recorded.</source>
        <translation>Змін не записано.</translation>
    </message>
</context>
<context>
    <name>RulePreview</name>
    <message>
        <source>Ukrainian</source>
        <translation>Українська</translation>
    </message>
    <message>
        <source>Russian</source>
        <translation>Російська</translation>
    </message>
    <message>
        <source>English</source>
        <translation>Англійська</translation>
    </message>
    <message>
        <source>Write attributes as name=value, separated by commas.</source>
        <translation>Запишіть атрибути як назва=значення, через кому.</translation>
    </message>
    <message>
        <source>Choose a channel.</source>
        <translation>Виберіть канал.</translation>
    </message>
    <message>
        <source>Find the customer by name, phone or e-mail first.</source>
        <translation>Спершу знайдіть клієнта за ім’ям, телефоном або e-mail.</translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation>Перевіряємо…</translation>
    </message>
    <message>
        <source>nobody found</source>
        <translation>нікого не знайдено</translation>
    </message>
    <message>
        <source>no queue</source>
        <translation>без черги</translation>
    </message>
    <message>
        <source>queue no. %1</source>
        <translation>черга № %1</translation>
    </message>
    <message>
        <source>No rule matched: the channel&apos;s default queue %1.</source>
        <translation>Жодне правило не підійшло: черга каналу за замовчуванням — %1.</translation>
    </message>
    <message>
        <source>Rule “%1” would take it.</source>
        <translation>Його візьме правило «%1».</translation>
    </message>
    <message>
        <source>Queue: %1</source>
        <translation>Черга: %1</translation>
    </message>
    <message>
        <source>Priority: %1</source>
        <translation>Пріоритет: %1</translation>
    </message>
    <message>
        <source>Required skill: %1</source>
        <translation>Потрібна навичка: %1</translation>
    </message>
    <message>
        <source>none</source>
        <translation>немає</translation>
    </message>
    <message>
        <source>Maximum wait: %1</source>
        <translation>Найдовше очікування: %1</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 с</translation>
    </message>
    <message>
        <source>Auto-reply: “%1”</source>
        <translation>Автовідповідь: «%1»</translation>
    </message>
    <message>
        <source>Auto-reply: none</source>
        <translation>Автовідповідь: немає</translation>
    </message>
    <message>
        <source>Which rule would take this message?</source>
        <translation>Яке правило візьме це повідомлення?</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>Канал</translation>
    </message>
    <message>
        <source>Message text</source>
        <translation>Текст повідомлення</translation>
    </message>
    <message>
        <source>Written at</source>
        <translation>Коли написано</translation>
    </message>
    <message>
        <source>Who writes</source>
        <translation>Хто пише</translation>
    </message>
    <message>
        <source>Real customer</source>
        <translation>Справжній клієнт</translation>
    </message>
    <message>
        <source>Judge by</source>
        <translation>Перевіряти за</translation>
    </message>
    <message>
        <source>Segment</source>
        <translation>Сегмент</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Мова</translation>
    </message>
    <message>
        <source>Tags</source>
        <translation>Мітки</translation>
    </message>
    <message>
        <source>Attributes</source>
        <translation>Атрибути</translation>
    </message>
    <message>
        <source>Now</source>
        <translation>Зараз</translation>
    </message>
    <message>
        <source>Business hours are judged at this moment (your computer&apos;s time zone)</source>
        <translation>Робочі години перевіряються на цей момент (часовий пояс вашого комп’ютера)</translation>
    </message>
    <message>
        <source>A new customer (first message)</source>
        <translation>Новий клієнт (перше повідомлення)</translation>
    </message>
    <message>
        <source>A known customer described here</source>
        <translation>Відомий клієнт, описаний тут</translation>
    </message>
    <message>
        <source>A real customer</source>
        <translation>Справжній клієнт</translation>
    </message>
    <message>
        <source>not set</source>
        <translation>не вказано</translation>
    </message>
    <message>
        <source>Other…</source>
        <translation>Інша…</translation>
    </message>
    <message>
        <source>language code, e.g. de</source>
        <translation>код мови, напр. de</translation>
    </message>
    <message>
        <source>comma-separated, e.g. vip, wholesale</source>
        <translation>через кому, напр. vip, wholesale</translation>
    </message>
    <message>
        <source>name=value, e.g. plan=gold, city=Kyiv</source>
        <translation>назва=значення, напр. plan=gold, city=Kyiv</translation>
    </message>
    <message>
        <source>name, phone or e-mail</source>
        <translation>ім’я, телефон або e-mail</translation>
    </message>
    <message>
        <source>the rules with the edits in the form (unsaved)</source>
        <translation>правилами з незбереженими змінами форми</translation>
    </message>
    <message>
        <source>the saved rules</source>
        <translation>збереженими правилами</translation>
    </message>
    <message>
        <source>Check</source>
        <translation>Перевірити</translation>
    </message>
</context>
<context>
    <name>RuleWords</name>
    <message>
        <source>channel</source>
        <translation>канал</translation>
    </message>
    <message>
        <source>channel no.</source>
        <translation>канал №</translation>
    </message>
    <message>
        <source>customer.segment</source>
        <translation>клієнт.сегмент</translation>
    </message>
    <message>
        <source>customer.language</source>
        <translation>клієнт.мова</translation>
    </message>
    <message>
        <source>customer.tag</source>
        <translation>клієнт.мітка</translation>
    </message>
    <message>
        <source>customer attribute</source>
        <translation>атрибут клієнта</translation>
    </message>
    <message>
        <source>text</source>
        <translation>текст</translation>
    </message>
    <message>
        <source>customer known</source>
        <translation>клієнт відомий</translation>
    </message>
    <message>
        <source>business hours</source>
        <translation>робочий час</translation>
    </message>
    <message>
        <source>is one of</source>
        <translation>одне з</translation>
    </message>
    <message>
        <source>has</source>
        <translation>має</translation>
    </message>
    <message>
        <source>has not</source>
        <translation>не має</translation>
    </message>
    <message>
        <source>contains</source>
        <translation>містить</translation>
    </message>
    <message>
        <source>is set</source>
        <translation>заповнено</translation>
    </message>
    <message>
        <source>contains any of</source>
        <translation>містить будь-що з</translation>
    </message>
    <message>
        <source>contains none of</source>
        <translation>не містить жодного з</translation>
    </message>
    <message>
        <source>time = business hours (%1)</source>
        <translation>час = робочий час (%1)</translation>
    </message>
    <message>
        <source>time = outside business hours (%1)</source>
        <translation>час = поза робочим часом (%1)</translation>
    </message>
    <message>
        <source>customer is known</source>
        <translation>клієнт відомий</translation>
    </message>
    <message>
        <source>customer is new</source>
        <translation>клієнт новий</translation>
    </message>
    <message>
        <source>AND</source>
        <translation>І</translation>
    </message>
    <message>
        <source>always</source>
        <translation>завжди</translation>
    </message>
    <message>
        <source>IF %1 THEN %2</source>
        <translation>ЯКЩО %1 ТО %2</translation>
    </message>
    <message>
        <source>queue = %1</source>
        <translation>черга = %1</translation>
    </message>
    <message>
        <source>priority = %1</source>
        <translation>пріоритет = %1</translation>
    </message>
    <message>
        <source>skill = %1</source>
        <translation>навичка = %1</translation>
    </message>
    <message>
        <source>max wait = %1 s</source>
        <translation>макс. очікування = %1 с</translation>
    </message>
    <message>
        <source>auto-reply</source>
        <translation>автовідповідь</translation>
    </message>
</context>
<context>
    <name>TransferDialog</name>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>You are offline: the conversation was not transferred. Try again when the connection is back.</source>
        <translation>Немає з&apos;єднання: розмову не передано. Спробуйте ще раз, коли з&apos;єднання відновиться.</translation>
    </message>
    <message>
        <source>Transfer conversation</source>
        <translation>Передати розмову</translation>
    </message>
    <message>
        <source>To a colleague</source>
        <translation>Колезі</translation>
    </message>
    <message>
        <source>To a queue</source>
        <translation>У чергу</translation>
    </message>
    <message>
        <source>Note for the receiver</source>
        <translation>Нотатка для отримувача</translation>
    </message>
    <message>
        <source>What they should know (the customer will not see this)</source>
        <translation>Що варто знати (клієнт цього не побачить)</translation>
    </message>
    <message>
        <source>The customer is not asked anything again; the transfer shows in the timeline.</source>
        <translation>Клієнта не перепитують; передача видна в історії.</translation>
    </message>
</context>
<context>
    <name>WorkDesk</name>
    <message>
        <source>You are offline: no conversation was taken. Try again when the connection is back.</source>
        <translation>Немає з&apos;єднання: жодну розмову не взято. Спробуйте ще раз, коли з&apos;єднання відновиться.</translation>
    </message>
</context>
<context>
    <name>WorkOrg</name>
    <message>
        <source>Nothing is waiting.</source>
        <translation>Нічого не очікує.</translation>
    </message>
    <message>
        <source>Queue board</source>
        <translation>Табло черг</translation>
    </message>
    <message>
        <source>Internal note for colleagues (@name to mention) — never sent to the customer</source>
        <translation>Внутрішня нотатка для колег (@ім&apos;я, щоб згадати) — клієнту не надсилається</translation>
    </message>
    <message>
        <source>%1 is typing a reply</source>
        <translation>%1 пише відповідь</translation>
    </message>
    <message>
        <source>%1 is viewing</source>
        <translation>%1 переглядає</translation>
    </message>
    <message>
        <source>Someone is replying</source>
        <translation>Хтось уже відповідає</translation>
    </message>
    <message>
        <source>%1 is typing a reply in this conversation. Send yours anyway?</source>
        <translation>%1 пише відповідь у цій розмові. Усе одно надіслати вашу?</translation>
    </message>
    <message>
        <source>%1 mentioned you: %2</source>
        <translation>%1 згадує вас: %2</translation>
    </message>
    <message>
        <source>Mention</source>
        <translation>Згадка</translation>
    </message>
    <message>
        <source>You were mentioned here; this conversation is not in your queues, so you write notes only</source>
        <translation>Вас згадали тут; ця розмова не з ваших черг, тож ви пишете лише нотатки</translation>
    </message>
    <message>
        <source>Open a conversation to hand it to a colleague.</source>
        <translation>Відкрийте розмову, щоб передати її колезі.</translation>
    </message>
    <message>
        <source>Mentions</source>
        <translation>Згадки</translation>
    </message>
    <message>
        <source>&amp;Work</source>
        <translation>&amp;Робота</translation>
    </message>
    <message>
        <source>Take next conversation</source>
        <translation>Взяти наступну розмову</translation>
    </message>
    <message>
        <source>Transfer…</source>
        <translation>Передати…</translation>
    </message>
    <message>
        <source>Internal note mode</source>
        <translation>Режим внутрішньої нотатки</translation>
    </message>
    <message>
        <source>New canned reply…</source>
        <translation>Новий шаблон відповіді…</translation>
    </message>
    <message>
        <source>Canned replies…</source>
        <translation>Шаблони відповідей…</translation>
    </message>
    <message>
        <source>Supervisor board</source>
        <translation>Панель супервізора</translation>
    </message>
    <message>
        <source>Routing rules…</source>
        <translation>Правила маршрутизації…</translation>
    </message>
    <message>
        <source>Queues and members…</source>
        <translation>Черги та учасники…</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>Нотатка</translation>
    </message>
    <message>
        <source>Write an internal note instead of a reply (Ctrl+Shift+N)</source>
        <translation>Написати внутрішню нотатку замість відповіді (Ctrl+Shift+N)</translation>
    </message>
    <message>
        <source>Online</source>
        <translation>У мережі</translation>
    </message>
    <message>
        <source>Away</source>
        <translation>Відійшов</translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>Не в мережі</translation>
    </message>
    <message>
        <source>%1 — %2, %3 of %4</source>
        <translation>%1 — %2, %3 з %4</translation>
    </message>
    <message>
        <source>Low</source>
        <translation>Низький</translation>
    </message>
    <message>
        <source>Normal</source>
        <translation>Звичайний</translation>
    </message>
    <message>
        <source>High</source>
        <translation>Високий</translation>
    </message>
    <message>
        <source>Urgent</source>
        <translation>Терміновий</translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation>%1 год %2 хв</translation>
    </message>
</context>
</TS>
