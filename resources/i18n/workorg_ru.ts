<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ru" sourcelanguage="en">
<context>
    <name>BoardWindow</name>
    <message>
        <source>No queue</source>
        <translation>Без очереди</translation>
    </message>
    <message>
        <source>Offered: %1 (%2, %3)</source>
        <translation>Предложено: %1 (%2, %3)</translation>
    </message>
    <message numerus="yes">
        <source>and %n more</source>
        <translation>
            <numerusform>и ещё %n</numerusform>
            <numerusform>и ещё %n</numerusform>
            <numerusform>и ещё %n</numerusform>
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
        <translation>Очередь: %1</translation>
    </message>
    <message numerus="yes">
        <source>Moved %n conversation(s).</source>
        <translation>
            <numerusform>Перемещён %n разговор.</numerusform>
            <numerusform>Перемещено %n разговора.</numerusform>
            <numerusform>Перемещено %n разговоров.</numerusform>
        </translation>
    </message>
    <message>
        <source>The server did not accept this: %1</source>
        <translation>Сервер этого не принял: %1</translation>
    </message>
    <message numerus="yes">
        <source>%n not moved: %1</source>
        <translation>
            <numerusform>%n не перемещён: %1</numerusform>
            <numerusform>%n не перемещено: %1</numerusform>
            <numerusform>%n не перемещено: %1</numerusform>
        </translation>
    </message>
    <message>
        <source>Supervisor board</source>
        <translation>Панель супервизора</translation>
    </message>
    <message>
        <source>Queue board</source>
        <translation>Табло очередей</translation>
    </message>
    <message>
        <source>Waiting conversations</source>
        <translation>Ожидающие разговоры</translation>
    </message>
    <message>
        <source>Operators (drop conversations here to assign)</source>
        <translation>Операторы (перетащите сюда разговоры, чтобы назначить)</translation>
    </message>
    <message>
        <source>Colleagues in my queues</source>
        <translation>Коллеги в моих очередях</translation>
    </message>
    <message>
        <source>Move selected</source>
        <translation>Переместить выбранные</translation>
    </message>
    <message>
        <source>Drag conversations onto an operator or a queue tile, or select several and move them.</source>
        <translation>Перетащите разговоры на оператора или плитку очереди либо выберите несколько и переместите.</translation>
    </message>
    <message>
        <source>Your queues now: who waits and how long. Take the next one with Ctrl+N.</source>
        <translation>Ваши очереди сейчас: кто ждёт и как долго. Следующий разговор берёт Ctrl+N.</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>Клиент</translation>
    </message>
    <message>
        <source>Queue</source>
        <translation>Очередь</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>Канал</translation>
    </message>
    <message>
        <source>Priority</source>
        <translation>Приоритет</translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation>Ожидает</translation>
    </message>
    <message>
        <source>Offered to</source>
        <translation>Предложено</translation>
    </message>
</context>
<context>
    <name>CannedEditor</name>
    <message>
        <source>Shortcut, title and text are required.</source>
        <translation>Нужны сокращение, название и текст.</translation>
    </message>
    <message>
        <source>New canned reply</source>
        <translation>Новый шаблон ответа</translation>
    </message>
    <message>
        <source>Edit canned reply</source>
        <translation>Редактировать шаблон ответа</translation>
    </message>
    <message>
        <source>Shortcut</source>
        <translation>Сокращение</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>Название</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Язык</translation>
    </message>
    <message>
        <source>Text</source>
        <translation>Текст</translation>
    </message>
    <message>
        <source>Queue</source>
        <translation>Очередь</translation>
    </message>
    <message>
        <source>Shared with colleagues (all queues, or the queue chosen)</source>
        <translation>Общий для коллег (все очереди или выбранная очередь)</translation>
    </message>
    <message>
        <source>Placeholders: {customer.first_name}, {customer.name}, {operator.name}, {queue.name}, {queue.position}, and any custom attribute as {customer.&lt;name&gt;}. Type / and the shortcut in the composer.</source>
        <translation>Подстановки: {customer.first_name}, {customer.name}, {operator.name}, {queue.name}, {queue.position} и любой атрибут как {customer.&lt;имя&gt;}. В поле ответа наберите / и сокращение.</translation>
    </message>
</context>
<context>
    <name>CannedManager</name>
    <message>
        <source>personal</source>
        <translation>личный</translation>
    </message>
    <message>
        <source>shared: %1</source>
        <translation>общий: %1</translation>
    </message>
    <message>
        <source>shared: everyone</source>
        <translation>общий: для всех</translation>
    </message>
    <message>
        <source>A shared reply: a supervisor can change it.</source>
        <translation>Общий шаблон: изменить его может руководитель.</translation>
    </message>
    <message>
        <source>Type / and the shortcut in the composer to insert a reply.</source>
        <translation>Наберите / и сокращение в поле ответа, чтобы вставить шаблон.</translation>
    </message>
    <message>
        <source>Delete canned reply</source>
        <translation>Удалить шаблон ответа</translation>
    </message>
    <message>
        <source>Delete the canned reply /%1 “%2”?</source>
        <translation>Удалить шаблон /%1 «%2»?</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Удалить</translation>
    </message>
    <message>
        <source>Canned replies</source>
        <translation>Шаблоны ответов</translation>
    </message>
    <message>
        <source>Find by shortcut, title or text</source>
        <translation>Поиск по сокращению, названию или тексту</translation>
    </message>
    <message>
        <source>All languages</source>
        <translation>Все языки</translation>
    </message>
    <message>
        <source>New…</source>
        <translation>Новый…</translation>
    </message>
    <message>
        <source>Edit…</source>
        <translation>Изменить…</translation>
    </message>
    <message>
        <source>Delete…</source>
        <translation>Удалить…</translation>
    </message>
</context>
<context>
    <name>ColleaguesButton</name>
    <message numerus="yes">
        <source>Colleagues: %n online</source>
        <translation>
            <numerusform>Коллеги: %n в сети</numerusform>
            <numerusform>Коллеги: %n в сети</numerusform>
            <numerusform>Коллеги: %n в сети</numerusform>
        </translation>
    </message>
    <message>
        <source>Who of your queues is online, away or offline, and how busy they are</source>
        <translation>Кто из ваших очередей в сети, отошёл или не в сети, и насколько занят</translation>
    </message>
</context>
<context>
    <name>ColleaguesPopup</name>
    <message>
        <source>Double-click a colleague to hand them the open conversation.</source>
        <translation>Дважды щёлкните коллегу, чтобы передать ему открытый разговор.</translation>
    </message>
    <message>
        <source>Nobody else works in your queues.</source>
        <translation>В ваших очередях больше никто не работает.</translation>
    </message>
    <message>
        <source>Colleagues in your queues</source>
        <translation>Коллеги в ваших очередях</translation>
    </message>
</context>
<context>
    <name>MentionsDialog</name>
    <message>
        <source>Mentions</source>
        <translation>Упоминания</translation>
    </message>
    <message>
        <source>Nobody has mentioned you yet.</source>
        <translation>Вас ещё никто не упоминал.</translation>
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
        <translation>Вам предлагают разговор: %1 (%2)</translation>
    </message>
    <message>
        <source>%1 s left to accept</source>
        <translation>Осталось %1 с, чтобы принять</translation>
    </message>
    <message>
        <source>%1 more waiting</source>
        <translation>ещё %1 ждут</translation>
    </message>
    <message>
        <source>Accept</source>
        <translation>Принять</translation>
    </message>
    <message>
        <source>Take this conversation (%1)</source>
        <translation>Взять этот разговор (%1)</translation>
    </message>
    <message>
        <source>Decline</source>
        <translation>Отказаться</translation>
    </message>
    <message>
        <source>Let a colleague have it; it is not offered to you again for a while (%1)</source>
        <translation>Пусть возьмёт коллега; вам его какое-то время не будут предлагать (%1)</translation>
    </message>
    <message>
        <source>Accept the offered conversation</source>
        <translation>Принять предложенный разговор</translation>
    </message>
    <message>
        <source>Decline the offered conversation</source>
        <translation>Отказаться от предложенного разговора</translation>
    </message>
</context>
<context>
    <name>PresenceSelector</name>
    <message>
        <source>You are offline: your presence was not changed. Try again when the connection is back.</source>
        <translation>Нет соединения: ваше присутствие не изменено. Попробуйте ещё раз, когда соединение восстановится.</translation>
    </message>
    <message>
        <source>Your presence: colleagues and supervisors see it; online means you get work</source>
        <translation>Ваше присутствие: его видят коллеги и супервизоры; «В сети» — вам поступает работа</translation>
    </message>
</context>
<context>
    <name>Problems</name>
    <message>
        <source>Queue</source>
        <translation>Очередь</translation>
    </message>
    <message>
        <source>Priority</source>
        <translation>Приоритет</translation>
    </message>
    <message>
        <source>Maximum wait</source>
        <translation>Максимальное ожидание</translation>
    </message>
    <message>
        <source>Skill</source>
        <translation>Навык</translation>
    </message>
    <message>
        <source>Auto-reply</source>
        <translation>Автоответ</translation>
    </message>
    <message>
        <source>%1 is already handling this conversation.</source>
        <translation>Этим разговором уже занимается %1.</translation>
    </message>
    <message>
        <source>A colleague took this conversation a moment ago.</source>
        <translation>Коллега только что взял этот разговор.</translation>
    </message>
    <message>
        <source>This offer was accepted already.</source>
        <translation>Это предложение уже принято.</translation>
    </message>
    <message>
        <source>This offer was declined.</source>
        <translation>Это предложение отклонено.</translation>
    </message>
    <message>
        <source>The offer expired before it was accepted.</source>
        <translation>Время предложения истекло до того, как его приняли.</translation>
    </message>
    <message>
        <source>The offer was withdrawn: the conversation is no longer waiting for you.</source>
        <translation>Предложение отозвано: разговор больше не ждёт вас.</translation>
    </message>
    <message>
        <source>The offer has ended.</source>
        <translation>Предложение завершилось.</translation>
    </message>
    <message>
        <source>Your role does not allow this.</source>
        <translation>Ваша роль этого не позволяет.</translation>
    </message>
    <message>
        <source>This conversation no longer exists, or it is no longer in your queues.</source>
        <translation>Этого разговора больше нет, или он уже не в ваших очередях.</translation>
    </message>
    <message>
        <source>The conversation is already there: with that colleague or in that queue.</source>
        <translation>Разговор уже там: у этого коллеги или в этой очереди.</translation>
    </message>
    <message>
        <source>Choose a colleague or a queue to transfer the conversation to.</source>
        <translation>Выберите коллегу или очередь, которой передать разговор.</translation>
    </message>
    <message>
        <source>Only the colleague handling this conversation, or a supervisor, can transfer it.</source>
        <translation>Передать разговор может только коллега, который им занимается, или супервизор.</translation>
    </message>
    <message>
        <source>That colleague&apos;s account no longer exists or is disabled.</source>
        <translation>Учётная запись этого коллеги удалена или отключена.</translation>
    </message>
    <message>
        <source>That queue no longer exists.</source>
        <translation>Этой очереди больше нет.</translation>
    </message>
    <message>
        <source>A queue named “%1” exists already.</source>
        <translation>Очередь «%1» уже существует.</translation>
    </message>
    <message>
        <source>The offer timeout is from 0 (assign at once) to %1 seconds.</source>
        <translation>Время на предложение — от 0 (назначать сразу) до %1 с.</translation>
    </message>
    <message>
        <source>The decline cooldown is from 0 to %1 seconds.</source>
        <translation>Пауза после отказа — от 0 до %1 с.</translation>
    </message>
    <message>
        <source>Capacity is set for chats, e-mails and calls only.</source>
        <translation>Нагрузка задаётся только для чатов, писем и звонков.</translation>
    </message>
    <message>
        <source>Business hours need a time zone, such as Europe/Kyiv.</source>
        <translation>Для рабочих часов нужен часовой пояс, например Europe/Kyiv.</translation>
    </message>
    <message>
        <source>“%1” is not a known time zone (write it like Europe/Kyiv).</source>
        <translation>«%1» — неизвестный часовой пояс (пишите как Europe/Kyiv).</translation>
    </message>
    <message>
        <source>Business hours: “%1” is not a day of the week.</source>
        <translation>Рабочие часы: «%1» — не день недели.</translation>
    </message>
    <message>
        <source>Business hours: “%1” is not a span of times such as 09:00–18:00.</source>
        <translation>Рабочие часы: «%1» — не промежуток времени вроде 09:00–18:00.</translation>
    </message>
    <message>
        <source>Business hours: in “%1” the closing time is not after the opening time.</source>
        <translation>Рабочие часы: в «%1» время закрытия не позже времени открытия.</translation>
    </message>
    <message>
        <source>Holidays: “%1” is not a date such as 2026-01-01.</source>
        <translation>Праздники: «%1» — не дата вроде 2026-01-01.</translation>
    </message>
    <message>
        <source>A rule needs a name.</source>
        <translation>Правилу нужно название.</translation>
    </message>
    <message>
        <source>Condition %1 has parts no condition takes: %2.</source>
        <translation>Условие %1 содержит части, которых условия не принимают: %2.</translation>
    </message>
    <message>
        <source>Condition %1: “%2” is not something a rule can look at.</source>
        <translation>Условие %1: «%2» — не то, на что может смотреть правило.</translation>
    </message>
    <message>
        <source>Condition %1: this comparison does not fit “%2”.</source>
        <translation>Условие %1: это сравнение не подходит к «%2».</translation>
    </message>
    <message>
        <source>Condition %1 needs at least one value.</source>
        <translation>Условию %1 нужно хотя бы одно значение.</translation>
    </message>
    <message>
        <source>Condition %1: a keyword cannot be empty.</source>
        <translation>Условие %1: ключевое слово не может быть пустым.</translation>
    </message>
    <message>
        <source>Condition %1 needs yes or no.</source>
        <translation>Условию %1 нужно «да» или «нет».</translation>
    </message>
    <message>
        <source>Condition %1 needs a channel.</source>
        <translation>Условию %1 нужен канал.</translation>
    </message>
    <message>
        <source>Condition %1 needs a value.</source>
        <translation>Условию %1 нужно значение.</translation>
    </message>
    <message>
        <source>Condition %1 needs the attribute&apos;s name.</source>
        <translation>Условию %1 нужно название атрибута.</translation>
    </message>
    <message>
        <source>Condition %1: only an attribute condition names an attribute.</source>
        <translation>Условие %1: атрибут называет только условие по атрибуту.</translation>
    </message>
    <message>
        <source>Condition %1 needs the queue whose business hours apply.</source>
        <translation>Условию %1 нужна очередь, чьи рабочие часы действуют.</translation>
    </message>
    <message>
        <source>Condition %1: only a business-hours condition takes a queue&apos;s hours.</source>
        <translation>Условие %1: часы очереди берёт только условие по рабочим часам.</translation>
    </message>
    <message>
        <source>Condition %1: the queue whose business hours it uses no longer exists.</source>
        <translation>Условие %1: очереди, чьи рабочие часы оно берёт, больше нет.</translation>
    </message>
    <message>
        <source>Condition %1: that queue has no business hours. Set them in Queues and members first.</source>
        <translation>Условие %1: у этой очереди нет рабочих часов. Сначала задайте их в «Очереди и участники».</translation>
    </message>
    <message>
        <source>The rule has actions this server does not know: %1.</source>
        <translation>У правила есть действия, которых этот сервер не знает: %1.</translation>
    </message>
    <message>
        <source>A rule must do something: set a queue, a priority, a skill, a maximum wait or an auto-reply.</source>
        <translation>Правило должно что-то делать: задать очередь, приоритет, навык, максимальное ожидание или автоответ.</translation>
    </message>
    <message>
        <source>%1: a whole number is needed.</source>
        <translation>%1: нужно целое число.</translation>
    </message>
    <message>
        <source>The priority is low, normal, high or urgent.</source>
        <translation>Приоритет — низкий, обычный, высокий или срочный.</translation>
    </message>
    <message>
        <source>The maximum wait is from 1 second to 7 days.</source>
        <translation>Максимальное ожидание — от 1 секунды до 7 дней.</translation>
    </message>
    <message>
        <source>%1: from 1 to %2 characters.</source>
        <translation>%1: от 1 до %2 символов.</translation>
    </message>
    <message>
        <source>The rule&apos;s queue no longer exists. Choose another queue.</source>
        <translation>Очереди этого правила больше нет. Выберите другую очередь.</translation>
    </message>
    <message>
        <source>The rules changed meanwhile. Reload them and set the order again.</source>
        <translation>Тем временем правила изменились. Обновите их и задайте порядок заново.</translation>
    </message>
    <message>
        <source>That channel no longer exists. Choose another one.</source>
        <translation>Этого канала больше нет. Выберите другой.</translation>
    </message>
    <message>
        <source>That customer no longer exists (perhaps merged). Find them again.</source>
        <translation>Этого клиента больше нет (возможно, он объединён). Найдите его снова.</translation>
    </message>
    <message>
        <source>A queue&apos;s canned reply is shared with the queue: mark it as shared.</source>
        <translation>Шаблон очереди общий для очереди: отметьте его как общий.</translation>
    </message>
    <message>
        <source>Only its author, or a supervisor for a shared reply, can change or delete this canned reply.</source>
        <translation>Изменить или удалить этот шаблон может только его автор, а общий — ещё и супервизор.</translation>
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
        <translation>Очереди и участники</translation>
    </message>
    <message>
        <source>New queue&apos;s name</source>
        <translation>Название новой очереди</translation>
    </message>
    <message>
        <source>Add queue</source>
        <translation>Добавить очередь</translation>
    </message>
    <message>
        <source>Queue</source>
        <translation>Очередь</translation>
    </message>
    <message>
        <source>Offer waiting work to online members (push mode)</source>
        <translation>Предлагать работу участникам в сети (автоназначение)</translation>
    </message>
    <message>
        <source>Time zone</source>
        <translation>Часовой пояс</translation>
    </message>
    <message>
        <source>Business hours</source>
        <translation>Рабочие часы</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Название</translation>
    </message>
    <message>
        <source>Holidays (closed all day)</source>
        <translation>Праздничные дни (закрыто весь день)</translation>
    </message>
    <message>
        <source>Seconds to accept an offer</source>
        <translation>Секунд, чтобы принять предложение</translation>
    </message>
    <message>
        <source>assign at once, no offer</source>
        <translation>назначать сразу, без предложения</translation>
    </message>
    <message>
        <source> s</source>
        <translation> с</translation>
    </message>
    <message>
        <source>The chosen member accepts or declines within this time; then it is offered to the next one</source>
        <translation>Выбранный участник принимает или отклоняет предложение за это время; потом его предлагают следующему</translation>
    </message>
    <message>
        <source>Not offered again after a decline for</source>
        <translation>После отказа не предлагать снова в течение</translation>
    </message>
    <message>
        <source>offered again at once</source>
        <translation>предлагать снова сразу</translation>
    </message>
    <message>
        <source>Whoever declined a conversation, or let its offer expire, is not offered it again for this long</source>
        <translation>Кто отклонил разговор или не ответил на предложение вовремя, не получит его снова в течение этого времени</translation>
    </message>
    <message>
        <source>dates such as 2026-12-25, 2027-01-01</source>
        <translation>даты вида 2026-12-25, 2027-01-01</translation>
    </message>
    <message>
        <source>Save queue</source>
        <translation>Сохранить очередь</translation>
    </message>
    <message>
        <source>Members</source>
        <translation>Участники</translation>
    </message>
    <message>
        <source>Colleague</source>
        <translation>Коллега</translation>
    </message>
    <message>
        <source>Skills (comma-separated)</source>
        <translation>Навыки (через запятую)</translation>
    </message>
    <message>
        <source>At once: chats, e-mails, calls</source>
        <translation>Одновременно: чаты, письма, звонки</translation>
    </message>
    <message>
        <source>Priority (higher is offered first)</source>
        <translation>Приоритет (высшему предлагают первым)</translation>
    </message>
    <message>
        <source>Save member</source>
        <translation>Сохранить участника</translation>
    </message>
    <message>
        <source>Remove member</source>
        <translation>Убрать участника</translation>
    </message>
</context>
<context>
    <name>QueueTile</name>
    <message numerus="yes">
        <source>%n waiting</source>
        <translation>
            <numerusform>%n ожидает</numerusform>
            <numerusform>%n ожидают</numerusform>
            <numerusform>%n ожидают</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n offered</source>
        <translation>
            <numerusform>%n предложено</numerusform>
            <numerusform>%n предложено</numerusform>
            <numerusform>%n предложено</numerusform>
        </translation>
    </message>
    <message>
        <source>Of the waiting, offered to an operator now, who may accept or decline</source>
        <translation>Из ожидающих: предложены оператору сейчас (он может принять или отклонить)</translation>
    </message>
    <message>
        <source>Longest wait: %1</source>
        <translation>Дольше всех ждёт: %1</translation>
    </message>
    <message>
        <source>Average wait: %1</source>
        <translation>Среднее ожидание: %1</translation>
    </message>
    <message numerus="yes">
        <source>%n in progress</source>
        <translation>
            <numerusform>%n в работе</numerusform>
            <numerusform>%n в работе</numerusform>
            <numerusform>%n в работе</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n online</source>
        <translation>
            <numerusform>%n в сети</numerusform>
            <numerusform>%n в сети</numerusform>
            <numerusform>%n в сети</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>RuleEditor</name>
    <message>
        <source>(off)</source>
        <translation>(выключено)</translation>
    </message>
    <message>
        <source>(channel&apos;s queue)</source>
        <translation>(очередь канала)</translation>
    </message>
    <message>
        <source>(unchanged)</source>
        <translation>(без изменений)</translation>
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
        <source>A rule needs a name.</source>
        <translation>Правилу нужно название.</translation>
    </message>
    <message>
        <source>(new rule)</source>
        <translation>(новое правило)</translation>
    </message>
    <message>
        <source>Routing rules</source>
        <translation>Правила маршрутизации</translation>
    </message>
    <message>
        <source>Rules in order: the first that matches takes the message</source>
        <translation>Правила по порядку: сообщение берёт первое подходящее</translation>
    </message>
    <message>
        <source>New rule</source>
        <translation>Новое правило</translation>
    </message>
    <message>
        <source>Up</source>
        <translation>Вверх</translation>
    </message>
    <message>
        <source>Down</source>
        <translation>Вниз</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Удалить</translation>
    </message>
    <message>
        <source>History</source>
        <translation>История</translation>
    </message>
    <message>
        <source>Rule</source>
        <translation>Правило</translation>
    </message>
    <message>
        <source>Enabled</source>
        <translation>Включено</translation>
    </message>
    <message>
        <source>If</source>
        <translation>Если</translation>
    </message>
    <message>
        <source>is</source>
        <translation>условие</translation>
    </message>
    <message>
        <source>Queue / attribute</source>
        <translation>Очередь / атрибут</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Значение</translation>
    </message>
    <message>
        <source>Add condition</source>
        <translation>Добавить условие</translation>
    </message>
    <message>
        <source>Remove condition</source>
        <translation>Убрать условие</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Название</translation>
    </message>
    <message>
        <source>Then queue</source>
        <translation>Тогда очередь</translation>
    </message>
    <message>
        <source>Priority</source>
        <translation>Приоритет</translation>
    </message>
    <message>
        <source>Required skill</source>
        <translation>Нужный навык</translation>
    </message>
    <message>
        <source>Maximum wait, s</source>
        <translation>Макс. ожидание, с</translation>
    </message>
    <message>
        <source>Auto-reply</source>
        <translation>Автоответ</translation>
    </message>
    <message>
        <source>none</source>
        <translation>нет</translation>
    </message>
    <message>
        <source>Save rule</source>
        <translation>Сохранить правило</translation>
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
        <translation>Создано</translation>
    </message>
    <message>
        <source>Changed</source>
        <translation>Изменено</translation>
    </message>
    <message>
        <source>Deleted</source>
        <translation>Удалено</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Название</translation>
    </message>
    <message>
        <source>Enabled</source>
        <translation>Включено</translation>
    </message>
    <message>
        <source>Conditions</source>
        <translation>Условия</translation>
    </message>
    <message>
        <source>Queue</source>
        <translation>Очередь</translation>
    </message>
    <message>
        <source>Priority</source>
        <translation>Приоритет</translation>
    </message>
    <message>
        <source>Required skill</source>
        <translation>Нужный навык</translation>
    </message>
    <message>
        <source>Maximum wait</source>
        <translation>Наибольшее ожидание</translation>
    </message>
    <message>
        <source>Auto-reply</source>
        <translation>Автоответ</translation>
    </message>
    <message>
        <source>always</source>
        <translation>всегда</translation>
    </message>
    <message>
        <source>(channel&apos;s queue)</source>
        <translation>(очередь канала)</translation>
    </message>
    <message>
        <source>(unchanged)</source>
        <translation>(без изменений)</translation>
    </message>
    <message>
        <source>none</source>
        <translation>нет</translation>
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
        <source>queue no. %1</source>
        <translation>очередь № %1</translation>
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
        <translation>История правила</translation>
    </message>
    <message>
        <source>Changes of “%1”, newest first</source>
        <translation>Изменения правила «%1», сначала новые</translation>
    </message>
    <message>
        <source>When</source>
        <translation>Когда</translation>
    </message>
    <message>
        <source>Who</source>
        <translation>Кто</translation>
    </message>
    <message>
        <source>What changed</source>
        <translation>Что изменилось</translation>
    </message>
    <message>
        <source>No changes recorded.</source>
        <translation>Изменений не записано.</translation>
    </message>
</context>
<context>
    <name>RulePreview</name>
    <message>
        <source>Ukrainian</source>
        <translation>Украинский</translation>
    </message>
    <message>
        <source>Russian</source>
        <translation>Русский</translation>
    </message>
    <message>
        <source>English</source>
        <translation>Английский</translation>
    </message>
    <message>
        <source>Write attributes as name=value, separated by commas.</source>
        <translation>Запишите атрибуты как название=значение, через запятую.</translation>
    </message>
    <message>
        <source>Choose a channel.</source>
        <translation>Выберите канал.</translation>
    </message>
    <message>
        <source>Find the customer by name, phone or e-mail first.</source>
        <translation>Сначала найдите клиента по имени, телефону или e-mail.</translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation>Проверяем…</translation>
    </message>
    <message>
        <source>nobody found</source>
        <translation>никто не найден</translation>
    </message>
    <message>
        <source>no queue</source>
        <translation>без очереди</translation>
    </message>
    <message>
        <source>queue no. %1</source>
        <translation>очередь № %1</translation>
    </message>
    <message>
        <source>No rule matched: the channel&apos;s default queue %1.</source>
        <translation>Ни одно правило не подошло: очередь канала по умолчанию — %1.</translation>
    </message>
    <message>
        <source>Rule “%1” would take it.</source>
        <translation>Его возьмёт правило «%1».</translation>
    </message>
    <message>
        <source>Queue: %1</source>
        <translation>Очередь: %1</translation>
    </message>
    <message>
        <source>Priority: %1</source>
        <translation>Приоритет: %1</translation>
    </message>
    <message>
        <source>Required skill: %1</source>
        <translation>Нужный навык: %1</translation>
    </message>
    <message>
        <source>none</source>
        <translation>нет</translation>
    </message>
    <message>
        <source>Maximum wait: %1</source>
        <translation>Наибольшее ожидание: %1</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 с</translation>
    </message>
    <message>
        <source>Auto-reply: “%1”</source>
        <translation>Автоответ: «%1»</translation>
    </message>
    <message>
        <source>Auto-reply: none</source>
        <translation>Автоответ: нет</translation>
    </message>
    <message>
        <source>Which rule would take this message?</source>
        <translation>Какое правило возьмёт это сообщение?</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>Канал</translation>
    </message>
    <message>
        <source>Message text</source>
        <translation>Текст сообщения</translation>
    </message>
    <message>
        <source>Written at</source>
        <translation>Когда написано</translation>
    </message>
    <message>
        <source>Who writes</source>
        <translation>Кто пишет</translation>
    </message>
    <message>
        <source>Real customer</source>
        <translation>Настоящий клиент</translation>
    </message>
    <message>
        <source>Judge by</source>
        <translation>Проверять по</translation>
    </message>
    <message>
        <source>Segment</source>
        <translation>Сегмент</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Язык</translation>
    </message>
    <message>
        <source>Tags</source>
        <translation>Метки</translation>
    </message>
    <message>
        <source>Attributes</source>
        <translation>Атрибуты</translation>
    </message>
    <message>
        <source>Now</source>
        <translation>Сейчас</translation>
    </message>
    <message>
        <source>Business hours are judged at this moment (your computer&apos;s time zone)</source>
        <translation>Рабочие часы проверяются на этот момент (часовой пояс вашего компьютера)</translation>
    </message>
    <message>
        <source>A new customer (first message)</source>
        <translation>Новый клиент (первое сообщение)</translation>
    </message>
    <message>
        <source>A known customer described here</source>
        <translation>Известный клиент, описанный здесь</translation>
    </message>
    <message>
        <source>A real customer</source>
        <translation>Настоящий клиент</translation>
    </message>
    <message>
        <source>not set</source>
        <translation>не указан</translation>
    </message>
    <message>
        <source>Other…</source>
        <translation>Другой…</translation>
    </message>
    <message>
        <source>language code, e.g. de</source>
        <translation>код языка, напр. de</translation>
    </message>
    <message>
        <source>comma-separated, e.g. vip, wholesale</source>
        <translation>через запятую, напр. vip, wholesale</translation>
    </message>
    <message>
        <source>name=value, e.g. plan=gold, city=Kyiv</source>
        <translation>название=значение, напр. plan=gold, city=Kyiv</translation>
    </message>
    <message>
        <source>name, phone or e-mail</source>
        <translation>имя, телефон или e-mail</translation>
    </message>
    <message>
        <source>the rules with the edits in the form (unsaved)</source>
        <translation>правилам с несохранёнными правками формы</translation>
    </message>
    <message>
        <source>the saved rules</source>
        <translation>сохранённым правилам</translation>
    </message>
    <message>
        <source>Check</source>
        <translation>Проверить</translation>
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
        <translation>клиент.сегмент</translation>
    </message>
    <message>
        <source>customer.language</source>
        <translation>клиент.язык</translation>
    </message>
    <message>
        <source>customer.tag</source>
        <translation>клиент.метка</translation>
    </message>
    <message>
        <source>customer attribute</source>
        <translation>атрибут клиента</translation>
    </message>
    <message>
        <source>text</source>
        <translation>текст</translation>
    </message>
    <message>
        <source>customer known</source>
        <translation>клиент известен</translation>
    </message>
    <message>
        <source>business hours</source>
        <translation>рабочее время</translation>
    </message>
    <message>
        <source>is one of</source>
        <translation>одно из</translation>
    </message>
    <message>
        <source>has</source>
        <translation>имеет</translation>
    </message>
    <message>
        <source>has not</source>
        <translation>не имеет</translation>
    </message>
    <message>
        <source>contains</source>
        <translation>содержит</translation>
    </message>
    <message>
        <source>is set</source>
        <translation>заполнено</translation>
    </message>
    <message>
        <source>contains any of</source>
        <translation>содержит что-либо из</translation>
    </message>
    <message>
        <source>contains none of</source>
        <translation>не содержит ничего из</translation>
    </message>
    <message>
        <source>time = business hours (%1)</source>
        <translation>время = рабочее время (%1)</translation>
    </message>
    <message>
        <source>time = outside business hours (%1)</source>
        <translation>время = вне рабочего времени (%1)</translation>
    </message>
    <message>
        <source>customer is known</source>
        <translation>клиент известен</translation>
    </message>
    <message>
        <source>customer is new</source>
        <translation>клиент новый</translation>
    </message>
    <message>
        <source>AND</source>
        <translation>И</translation>
    </message>
    <message>
        <source>always</source>
        <translation>всегда</translation>
    </message>
    <message>
        <source>IF %1 THEN %2</source>
        <translation>ЕСЛИ %1 ТО %2</translation>
    </message>
    <message>
        <source>queue = %1</source>
        <translation>очередь = %1</translation>
    </message>
    <message>
        <source>priority = %1</source>
        <translation>приоритет = %1</translation>
    </message>
    <message>
        <source>skill = %1</source>
        <translation>навык = %1</translation>
    </message>
    <message>
        <source>max wait = %1 s</source>
        <translation>макс. ожидание = %1 с</translation>
    </message>
    <message>
        <source>auto-reply</source>
        <translation>автоответ</translation>
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
        <translation>Нет соединения: разговор не передан. Попробуйте ещё раз, когда соединение восстановится.</translation>
    </message>
    <message>
        <source>Transfer conversation</source>
        <translation>Передать разговор</translation>
    </message>
    <message>
        <source>To a colleague</source>
        <translation>Коллеге</translation>
    </message>
    <message>
        <source>To a queue</source>
        <translation>В очередь</translation>
    </message>
    <message>
        <source>Note for the receiver</source>
        <translation>Заметка для получателя</translation>
    </message>
    <message>
        <source>What they should know (the customer will not see this)</source>
        <translation>Что нужно знать (клиент этого не увидит)</translation>
    </message>
    <message>
        <source>The customer is not asked anything again; the transfer shows in the timeline.</source>
        <translation>Клиента не переспрашивают; передача видна в истории.</translation>
    </message>
</context>
<context>
    <name>WorkDesk</name>
    <message>
        <source>You are offline: no conversation was taken. Try again when the connection is back.</source>
        <translation>Нет соединения: ни один разговор не взят. Попробуйте ещё раз, когда соединение восстановится.</translation>
    </message>
</context>
<context>
    <name>WorkOrg</name>
    <message>
        <source>Nothing is waiting.</source>
        <translation>Ничего не ожидает.</translation>
    </message>
    <message>
        <source>Queue board</source>
        <translation>Табло очередей</translation>
    </message>
    <message>
        <source>Internal note for colleagues (@name to mention) — never sent to the customer</source>
        <translation>Внутренняя заметка для коллег (@имя, чтобы упомянуть) — клиенту не отправляется</translation>
    </message>
    <message>
        <source>%1 is typing a reply</source>
        <translation>%1 пишет ответ</translation>
    </message>
    <message>
        <source>%1 is viewing</source>
        <translation>%1 просматривает</translation>
    </message>
    <message>
        <source>Someone is replying</source>
        <translation>Кто-то уже отвечает</translation>
    </message>
    <message>
        <source>%1 is typing a reply in this conversation. Send yours anyway?</source>
        <translation>%1 пишет ответ в этом разговоре. Всё равно отправить ваш?</translation>
    </message>
    <message>
        <source>%1 mentioned you: %2</source>
        <translation>%1 упоминает вас: %2</translation>
    </message>
    <message>
        <source>Mention</source>
        <translation>Упоминание</translation>
    </message>
    <message>
        <source>You were mentioned here; this conversation is not in your queues, so you write notes only</source>
        <translation>Вас упомянули здесь; этот разговор не из ваших очередей, поэтому вы пишете только заметки</translation>
    </message>
    <message>
        <source>Open a conversation to hand it to a colleague.</source>
        <translation>Откройте разговор, чтобы передать его коллеге.</translation>
    </message>
    <message>
        <source>Mentions</source>
        <translation>Упоминания</translation>
    </message>
    <message>
        <source>&amp;Work</source>
        <translation>&amp;Работа</translation>
    </message>
    <message>
        <source>Take next conversation</source>
        <translation>Взять следующий разговор</translation>
    </message>
    <message>
        <source>Transfer…</source>
        <translation>Передать…</translation>
    </message>
    <message>
        <source>Internal note mode</source>
        <translation>Режим внутренней заметки</translation>
    </message>
    <message>
        <source>New canned reply…</source>
        <translation>Новый шаблон ответа…</translation>
    </message>
    <message>
        <source>Canned replies…</source>
        <translation>Шаблоны ответов…</translation>
    </message>
    <message>
        <source>Supervisor board</source>
        <translation>Панель супервизора</translation>
    </message>
    <message>
        <source>Routing rules…</source>
        <translation>Правила маршрутизации…</translation>
    </message>
    <message>
        <source>Queues and members…</source>
        <translation>Очереди и участники…</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>Заметка</translation>
    </message>
    <message>
        <source>Write an internal note instead of a reply (Ctrl+Shift+N)</source>
        <translation>Написать внутреннюю заметку вместо ответа (Ctrl+Shift+N)</translation>
    </message>
    <message>
        <source>Online</source>
        <translation>В сети</translation>
    </message>
    <message>
        <source>Away</source>
        <translation>Отошёл</translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>Не в сети</translation>
    </message>
    <message>
        <source>%1 — %2, %3 of %4</source>
        <translation>%1 — %2, %3 из %4</translation>
    </message>
    <message>
        <source>Low</source>
        <translation>Низкий</translation>
    </message>
    <message>
        <source>Normal</source>
        <translation>Обычный</translation>
    </message>
    <message>
        <source>High</source>
        <translation>Высокий</translation>
    </message>
    <message>
        <source>Urgent</source>
        <translation>Срочный</translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation>%1 ч %2 мин</translation>
    </message>
</context>
</TS>
