<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="uk" sourcelanguage="en">
<context>
    <name>ReportsWindow</name>
    <message>
        <source>Conversations</source>
        <translation>Розмови</translation>
    </message>
    <message>
        <source>Waiting now</source>
        <translation>Чекають зараз</translation>
    </message>
    <message>
        <source>First response, median</source>
        <translation>Перша відповідь, медіана</translation>
    </message>
    <message>
        <source>First response, 90%</source>
        <translation>Перша відповідь, 90%</translation>
    </message>
    <message>
        <source>Resolution, median</source>
        <translation>Вирішення, медіана</translation>
    </message>
    <message>
        <source>SLA met</source>
        <translation>SLA дотримано</translation>
    </message>
    <message>
        <source>SLA breaches</source>
        <translation>Порушення SLA</translation>
    </message>
    <message>
        <source>First contact resolution</source>
        <translation>Вирішено з першого звернення</translation>
    </message>
    <message>
        <source>Abandoned</source>
        <translation>Без відповіді</translation>
    </message>
    <message>
        <source>Satisfaction (1–5)</source>
        <translation>Задоволеність (1–5)</translation>
    </message>
    <message>
        <source>Net promoter score</source>
        <translation>Індекс лояльності (NPS)</translation>
    </message>
    <message>
        <source>Next response, median</source>
        <translation>Наступна відповідь, медіана</translation>
    </message>
    <message>
        <source>Next response, 90%</source>
        <translation>Наступна відповідь, 90%</translation>
    </message>
    <message>
        <source>Dialogs per hour</source>
        <translation>Діалогів за годину</translation>
    </message>
    <message>
        <source>Occupancy</source>
        <translation>Зайнятість</translation>
    </message>
    <message>
        <source>At once / capacity</source>
        <translation>Одночасно / місткість</translation>
    </message>
    <message>
        <source>Conversations whose first customer message arrived in the period.</source>
        <translation>Розмови, перше повідомлення клієнта в яких надійшло за період.</translation>
    </message>
    <message>
        <source>Open conversations still without a first operator reply, right now.</source>
        <translation>Відкриті розмови, які досі чекають на першу відповідь оператора.</translation>
    </message>
    <message>
        <source>Half of the conversations got their first operator reply faster than this, counted from the customer&apos;s first message.</source>
        <translation>Половина розмов отримала першу відповідь оператора швидше за цей час, від першого повідомлення клієнта.</translation>
    </message>
    <message>
        <source>Nine in ten conversations got their first reply at least this fast.</source>
        <translation>Дев’ять із десяти розмов отримали першу відповідь не пізніше за цей час.</translation>
    </message>
    <message>
        <source>Half of the resolved conversations were resolved faster than this.</source>
        <translation>Половину вирішених розмов вирішено швидше за цей час.</translation>
    </message>
    <message>
        <source>Conversations under an SLA policy that kept every promise, among those whose promises are decided.</source>
        <translation>Розмови з політикою SLA, у яких дотримано всіх зобов’язань, серед тих, де результат уже відомий.</translation>
    </message>
    <message>
        <source>Conversations that missed at least one SLA promise.</source>
        <translation>Розмови, у яких порушено хоча б одне зобов’язання SLA.</translation>
    </message>
    <message>
        <source>Resolved conversations after which the customer did not come back on any channel within three days.</source>
        <translation>Вирішені розмови, після яких клієнт не звертався знову жодним каналом протягом трьох днів.</translation>
    </message>
    <message>
        <source>Resolved conversations that never got an operator reply.</source>
        <translation>Вирішені розмови, у яких так і не було відповіді оператора.</translation>
    </message>
    <message>
        <source>The mean rating customers gave after resolution (1 poor, 5 excellent).</source>
        <translation>Середня оцінка клієнтів після вирішення (1 погано, 5 чудово).</translation>
    </message>
    <message>
        <source>Of the customers who answered &quot;How likely are you to recommend us?&quot; (0–10): the percentage of promoters (9–10) less the percentage of detractors (0–6), from −100 to 100.</source>
        <translation>Серед клієнтів, які відповіли «Наскільки ймовірно, що ви порекомендуєте нас?» (0–10): відсоток прихильників (9–10) мінус відсоток критиків (0–6), від −100 до 100.</translation>
    </message>
    <message>
        <source>Half of the customers&apos; messages after an operator reply got the next reply faster than this (counted from the first of the customer&apos;s messages; unanswered ones are left out).</source>
        <translation>Половина повідомлень клієнтів після відповіді оператора отримали наступну відповідь швидше за це (від першого з повідомлень клієнта; ті, що без відповіді, не враховано).</translation>
    </message>
    <message>
        <source>Nine in ten next replies came at least this fast.</source>
        <translation>Дев&apos;ять із десяти наступних відповідей надійшли щонайменше так швидко.</translation>
    </message>
    <message>
        <source>Conversations the operators replied in during the period, per hour they were online.</source>
        <translation>Розмови, у яких оператори відповідали за період, на годину їхнього перебування онлайн.</translation>
    </message>
    <message>
        <source>The share of the time online spent with at least one active conversation (assigned and open, not waiting on the customer).</source>
        <translation>Частка часу онлайн, коли була хоча б одна активна розмова (призначена й відкрита, не в очікуванні клієнта).</translation>
    </message>
    <message>
        <source>Active conversations held at once, on average over the time online, against the chats the operators online may hold at once.</source>
        <translation>Активні розмови водночас, у середньому за час онлайн, порівняно з кількістю чатів, яку оператори онлайн можуть вести одночасно.</translation>
    </message>
    <message>
        <source>Reports</source>
        <translation>Звіти</translation>
    </message>
    <message>
        <source>Period:</source>
        <translation>Період:</translation>
    </message>
    <message>
        <source>Channel:</source>
        <translation>Канал:</translation>
    </message>
    <message>
        <source>Queue:</source>
        <translation>Черга:</translation>
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
        <translation>Сегмент клієнтів, як його зараз показує картка клієнта</translation>
    </message>
    <message>
        <source>Business hours</source>
        <translation>Робочі години</translation>
    </message>
    <message>
        <source>First response and resolution times counted in the working hours of each conversation&apos;s queue (a queue without hours counts around the clock); the other figures do not change.</source>
        <translation>Час першої відповіді та вирішення рахується в робочих годинах черги кожної розмови (черга без графіка — цілодобово); інші показники не змінюються.</translation>
    </message>
    <message>
        <source>Export:</source>
        <translation>Експорт:</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Оновити</translation>
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
            <numerusform>Останній %n день</numerusform>
            <numerusform>Останні %n дні</numerusform>
            <numerusform>Останні %n днів</numerusform>
        </translation>
    </message>
    <message>
        <source>Totals</source>
        <translation>Підсумки</translation>
    </message>
    <message>
        <source>By channel</source>
        <translation>За каналами</translation>
    </message>
    <message>
        <source>By queue</source>
        <translation>За чергами</translation>
    </message>
    <message>
        <source>By operator</source>
        <translation>За операторами</translation>
    </message>
    <message>
        <source>By customer segment</source>
        <translation>За сегментами клієнтів</translation>
    </message>
    <message>
        <source>By day</source>
        <translation>За днями</translation>
    </message>
    <message>
        <source>Channel transitions</source>
        <translation>Переходи між каналами</translation>
    </message>
    <message>
        <source>Conversations per day</source>
        <translation>Розмови за днями</translation>
    </message>
    <message>
        <source>First response per day (median)</source>
        <translation>Перша відповідь за днями (медіана)</translation>
    </message>
    <message>
        <source>Conversations by channel</source>
        <translation>Розмови за каналами</translation>
    </message>
    <message>
        <source>First response by operator (median)</source>
        <translation>Перша відповідь за операторами (медіана)</translation>
    </message>
    <message>
        <source>Load by hour of the week</source>
        <translation>Навантаження за годинами тижня</translation>
    </message>
    <message>
        <source>Channel transitions (customer came back elsewhere within 48 h)</source>
        <translation>Переходи між каналами (клієнт звернувся іншим каналом протягом 48 год)</translation>
    </message>
    <message>
        <source>SLA met by channel</source>
        <translation>Дотримання SLA за каналами</translation>
    </message>
    <message>
        <source>Occupancy by operator</source>
        <translation>Зайнятість за операторами</translation>
    </message>
    <message>
        <source>Dialogs per hour by operator</source>
        <translation>Діалогів за годину за операторами</translation>
    </message>
    <message>
        <source>Conversations by customer segment</source>
        <translation>Розмови за сегментами клієнтів</translation>
    </message>
    <message>
        <source>Satisfaction by customer segment</source>
        <translation>Задоволеність за сегментами клієнтів</translation>
    </message>
    <message>
        <source>No data for this period</source>
        <translation>Немає даних за цей період</translation>
    </message>
    <message>
        <source>All channels</source>
        <translation>Усі канали</translation>
    </message>
    <message>
        <source>All queues</source>
        <translation>Усі черги</translation>
    </message>
    <message>
        <source>All operators</source>
        <translation>Усі оператори</translation>
    </message>
    <message>
        <source>No segment</source>
        <translation>Без сегмента</translation>
    </message>
    <message>
        <source>All segments</source>
        <translation>Усі сегменти</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 с</translation>
    </message>
    <message>
        <source>%1 min</source>
        <translation>%1 хв</translation>
    </message>
    <message>
        <source>%1 h</source>
        <translation>%1 год</translation>
    </message>
    <message>
        <source>%1 d</source>
        <translation>%1 дн</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>Завантаження…</translation>
    </message>
    <message>
        <source>Unassigned</source>
        <translation>Не призначено</translation>
    </message>
    <message>
        <source>to %1</source>
        <translation>до %1</translation>
    </message>
    <message>
        <source>from %1</source>
        <translation>з %1</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>Файли CSV (*.csv)</translation>
    </message>
    <message>
        <source>Excel workbooks (*.xlsx)</source>
        <translation>Книги Excel (*.xlsx)</translation>
    </message>
    <message>
        <source>Export report</source>
        <translation>Експорт звіту</translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation>Збережено %1</translation>
    </message>
</context>
</TS>
