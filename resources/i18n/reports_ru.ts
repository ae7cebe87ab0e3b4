<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ru" sourcelanguage="en">
<context>
    <name>ReportsWindow</name>
    <message>
        <source>Conversations</source>
        <translation>Разговоры</translation>
    </message>
    <message>
        <source>Waiting now</source>
        <translation>Ждут сейчас</translation>
    </message>
    <message>
        <source>First response, median</source>
        <translation>Первый ответ, медиана</translation>
    </message>
    <message>
        <source>First response, 90%</source>
        <translation>Первый ответ, 90%</translation>
    </message>
    <message>
        <source>Resolution, median</source>
        <translation>Решение, медиана</translation>
    </message>
    <message>
        <source>SLA met</source>
        <translation>SLA соблюдён</translation>
    </message>
    <message>
        <source>SLA breaches</source>
        <translation>Нарушения SLA</translation>
    </message>
    <message>
        <source>First contact resolution</source>
        <translation>Решено с первого обращения</translation>
    </message>
    <message>
        <source>Abandoned</source>
        <translation>Без ответа</translation>
    </message>
    <message>
        <source>Satisfaction (1–5)</source>
        <translation>Удовлетворённость (1–5)</translation>
    </message>
    <message>
        <source>Net promoter score</source>
        <translation>Индекс лояльности (NPS)</translation>
    </message>
    <message>
        <source>Next response, median</source>
        <translation>Следующий ответ, медиана</translation>
    </message>
    <message>
        <source>Next response, 90%</source>
        <translation>Следующий ответ, 90%</translation>
    </message>
    <message>
        <source>Dialogs per hour</source>
        <translation>Диалогов в час</translation>
    </message>
    <message>
        <source>Occupancy</source>
        <translation>Занятость</translation>
    </message>
    <message>
        <source>At once / capacity</source>
        <translation>Одновременно / ёмкость</translation>
    </message>
    <message>
        <source>Conversations whose first customer message arrived in the period.</source>
        <translation>Разговоры, первое сообщение клиента в которых пришло за период.</translation>
    </message>
    <message>
        <source>Open conversations still without a first operator reply, right now.</source>
        <translation>Открытые разговоры, которые всё ещё ждут первого ответа оператора.</translation>
    </message>
    <message>
        <source>Half of the conversations got their first operator reply faster than this, counted from the customer&apos;s first message.</source>
        <translation>Половина разговоров получила первый ответ оператора быстрее этого времени, от первого сообщения клиента.</translation>
    </message>
    <message>
        <source>Nine in ten conversations got their first reply at least this fast.</source>
        <translation>Девять из десяти разговоров получили первый ответ не позже этого времени.</translation>
    </message>
    <message>
        <source>Half of the resolved conversations were resolved faster than this.</source>
        <translation>Половина решённых разговоров решена быстрее этого времени.</translation>
    </message>
    <message>
        <source>Conversations under an SLA policy that kept every promise, among those whose promises are decided.</source>
        <translation>Разговоры с политикой SLA, в которых соблюдены все обязательства, среди тех, где результат уже известен.</translation>
    </message>
    <message>
        <source>Conversations that missed at least one SLA promise.</source>
        <translation>Разговоры, в которых нарушено хотя бы одно обязательство SLA.</translation>
    </message>
    <message>
        <source>Resolved conversations after which the customer did not come back on any channel within three days.</source>
        <translation>Решённые разговоры, после которых клиент не обращался снова ни по одному каналу в течение трёх дней.</translation>
    </message>
    <message>
        <source>Resolved conversations that never got an operator reply.</source>
        <translation>Решённые разговоры, в которых так и не было ответа оператора.</translation>
    </message>
    <message>
        <source>The mean rating customers gave after resolution (1 poor, 5 excellent).</source>
        <translation>Средняя оценка клиентов после решения (1 плохо, 5 отлично).</translation>
    </message>
    <message>
        <source>Of the customers who answered &quot;How likely are you to recommend us?&quot; (0–10): the percentage of promoters (9–10) less the percentage of detractors (0–6), from −100 to 100.</source>
        <translation>Среди клиентов, ответивших «Насколько вероятно, что вы порекомендуете нас?» (0–10): доля сторонников (9–10) минус доля критиков (0–6), от −100 до 100.</translation>
    </message>
    <message>
        <source>Half of the customers&apos; messages after an operator reply got the next reply faster than this (counted from the first of the customer&apos;s messages; unanswered ones are left out).</source>
        <translation>Половина сообщений клиентов после ответа оператора получили следующий ответ быстрее этого (от первого из сообщений клиента; оставшиеся без ответа не учтены).</translation>
    </message>
    <message>
        <source>Nine in ten next replies came at least this fast.</source>
        <translation>Девять из десяти следующих ответов пришли как минимум так быстро.</translation>
    </message>
    <message>
        <source>Conversations the operators replied in during the period, per hour they were online.</source>
        <translation>Разговоры, в которых операторы отвечали за период, на час их пребывания онлайн.</translation>
    </message>
    <message>
        <source>The share of the time online spent with at least one active conversation (assigned and open, not waiting on the customer).</source>
        <translation>Доля времени онлайн, когда был хотя бы один активный разговор (назначенный и открытый, не в ожидании клиента).</translation>
    </message>
    <message>
        <source>Active conversations held at once, on average over the time online, against the chats the operators online may hold at once.</source>
        <translation>Активные разговоры одновременно, в среднем за время онлайн, в сравнении с числом чатов, которое операторы онлайн могут вести одновременно.</translation>
    </message>
    <message>
        <source>Reports</source>
        <translation>Отчёты</translation>
    </message>
    <message>
        <source>Period:</source>
        <translation>Период:</translation>
    </message>
    <message>
        <source>Channel:</source>
        <translation>Канал:</translation>
    </message>
    <message>
        <source>Queue:</source>
        <translation>Очередь:</translation>
    </message>
    <message>
        <source>Operator:</source>
        <translation>Оператор:</translation>
    </message>
    <message>
        <source>Segment:</source>
        <translation>Сегмент:</translation>
    </message>
    <message>
        <source>The customers&apos; segment, as their card shows it now</source>
        <translation>Сегмент клиентов, как его сейчас показывает карточка клиента</translation>
    </message>
    <message>
        <source>Business hours</source>
        <translation>Рабочие часы</translation>
    </message>
    <message>
        <source>First response and resolution times counted in the working hours of each conversation&apos;s queue (a queue without hours counts around the clock); the other figures do not change.</source>
        <translation>Время первого ответа и решения считается в рабочих часах очереди каждого диалога (очередь без графика — круглосуточно); остальные показатели не меняются.</translation>
    </message>
    <message>
        <source>Export:</source>
        <translation>Экспорт:</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Обновить</translation>
    </message>
    <message>
        <source>CSV…</source>
        <translation>CSV…</translation>
    </message>
    <message>
        <source>Excel…</source>
        <translation>Excel…</translation>
    </message>
    <message numerus="yes">
        <source>Last %n day(s)</source>
        <translation>
            <numerusform>Последний %n день</numerusform>
            <numerusform>Последние %n дня</numerusform>
            <numerusform>Последние %n дней</numerusform>
        </translation>
    </message>
    <message>
        <source>Totals</source>
        <translation>Итоги</translation>
    </message>
    <message>
        <source>By channel</source>
        <translation>По каналам</translation>
    </message>
    <message>
        <source>By queue</source>
        <translation>По очередям</translation>
    </message>
    <message>
        <source>By operator</source>
        <translation>По операторам</translation>
    </message>
    <message>
        <source>By customer segment</source>
        <translation>По сегментам клиентов</translation>
    </message>
    <message>
        <source>By day</source>
        <translation>По дням</translation>
    </message>
    <message>
        <source>Channel transitions</source>
        <translation>Переходы между каналами</translation>
    </message>
    <message>
        <source>Conversations per day</source>
        <translation>Разговоры по дням</translation>
    </message>
    <message>
        <source>First response per day (median)</source>
        <translation>Первый ответ по дням (медиана)</translation>
    </message>
    <message>
        <source>Conversations by channel</source>
        <translation>Разговоры по каналам</translation>
    </message>
    <message>
        <source>First response by operator (median)</source>
        <translation>Первый ответ по операторам (медиана)</translation>
    </message>
    <message>
        <source>Load by hour of the week</source>
        <translation>Нагрузка по часам недели</translation>
    </message>
    <message>
        <source>Channel transitions (customer came back elsewhere within 48 h)</source>
        <translation>Переходы между каналами (клиент обратился по другому каналу в течение 48 ч)</translation>
    </message>
    <message>
        <source>SLA met by channel</source>
        <translation>Соблюдение SLA по каналам</translation>
    </message>
    <message>
        <source>Occupancy by operator</source>
        <translation>Занятость по операторам</translation>
    </message>
    <message>
        <source>Dialogs per hour by operator</source>
        <translation>Диалогов в час по операторам</translation>
    </message>
    <message>
        <source>Conversations by customer segment</source>
        <translation>Разговоры по сегментам клиентов</translation>
    </message>
    <message>
        <source>Satisfaction by customer segment</source>
        <translation>Удовлетворённость по сегментам клиентов</translation>
    </message>
    <message>
        <source>No data for this period</source>
        <translation>Нет данных за этот период</translation>
    </message>
    <message>
        <source>All channels</source>
        <translation>Все каналы</translation>
    </message>
    <message>
        <source>All queues</source>
        <translation>Все очереди</translation>
    </message>
    <message>
        <source>All operators</source>
        <translation>Все операторы</translation>
    </message>
    <message>
        <source>No segment</source>
        <translation>Без сегмента</translation>
    </message>
    <message>
        <source>All segments</source>
        <translation>Все сегменты</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 с</translation>
    </message>
    <message>
        <source>%1 min</source>
        <translation>%1 мин</translation>
    </message>
    <message>
        <source>%1 h</source>
        <translation>%1 ч</translation>
    </message>
    <message>
        <source>%1 d</source>
        <translation>%1 дн</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>Загрузка…</translation>
    </message>
    <message>
        <source>Unassigned</source>
        <translation>Не назначено</translation>
    </message>
    <message>
        <source>to %1</source>
        <translation>в %1</translation>
    </message>
    <message>
        <source>from %1</source>
        <translation>из %1</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>Файлы CSV (*.csv)</translation>
    </message>
    <message>
        <source>Excel workbooks (*.xlsx)</source>
        <translation>Книги Excel (*.xlsx)</translation>
    </message>
    <message>
        <source>Export report</source>
        <translation>Экспорт отчёта</translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation>Сохранено %1</translation>
    </message>
</context>
</TS>
