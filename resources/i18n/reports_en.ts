<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="en">
<context>
    <name>ReportsWindow</name>
    <message>
        <source>Conversations</source>
        <translation>Conversations</translation>
    </message>
    <message>
        <source>Waiting now</source>
        <translation>Waiting now</translation>
    </message>
    <message>
        <source>First response, median</source>
        <translation>First response, median</translation>
    </message>
    <message>
        <source>First response, 90%</source>
        <translation>First response, 90%</translation>
    </message>
    <message>
        <source>Resolution, median</source>
        <translation>Resolution, median</translation>
    </message>
    <message>
        <source>SLA met</source>
        <translation>SLA met</translation>
    </message>
    <message>
        <source>SLA breaches</source>
        <translation>SLA breaches</translation>
    </message>
    <message>
        <source>First contact resolution</source>
        <translation>First contact resolution</translation>
    </message>
    <message>
        <source>Abandoned</source>
        <translation>Abandoned</translation>
    </message>
    <message>
        <source>Satisfaction (1–5)</source>
        <translation>Satisfaction (1–5)</translation>
    </message>
    <message>
        <source>Net promoter score</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Next response, median</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Next response, 90%</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dialogs per hour</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Occupancy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>At once / capacity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Conversations whose first customer message arrived in the period.</source>
        <translation>Conversations whose first customer message arrived in the period.</translation>
    </message>
    <message>
        <source>Open conversations still without a first operator reply, right now.</source>
        <translation>Open conversations still without a first operator reply, right now.</translation>
    </message>
    <message>
        <source>Half of the conversations got their first operator reply faster than this, counted from the customer&apos;s first message.</source>
        <translation>Half of the conversations got their first operator reply faster than this, counted from the customer&apos;s first message.</translation>
    </message>
    <message>
        <source>Nine in ten conversations got their first reply at least this fast.</source>
        <translation>Nine in ten conversations got their first reply at least this fast.</translation>
    </message>
    <message>
        <source>Half of the resolved conversations were resolved faster than this.</source>
        <translation>Half of the resolved conversations were resolved faster than this.</translation>
    </message>
    <message>
        <source>Conversations under an SLA policy that kept every promise, among those whose promises are decided.</source>
        <translation>Conversations under an SLA policy that kept every promise, among those whose promises are decided.</translation>
    </message>
    <message>
        <source>Conversations that missed at least one SLA promise.</source>
        <translation>Conversations that missed at least one SLA promise.</translation>
    </message>
    <message>
        <source>Resolved conversations after which the customer did not come back on any channel within three days.</source>
        <translation>Resolved conversations after which the customer did not come back on any channel within three days.</translation>
    </message>
    <message>
        <source>Resolved conversations that never got an operator reply.</source>
        <translation>Resolved conversations that never got an operator reply.</translation>
    </message>
    <message>
        <source>The mean rating customers gave after resolution (1 poor, 5 excellent).</source>
        <translation>The mean rating customers gave after resolution (1 poor, 5 excellent).</translation>
    </message>
    <message>
        <source>Of the customers who answered &quot;How likely are you to recommend us?&quot; (0–10): the percentage of promoters (9–10) less the percentage of detractors (0–6), from −100 to 100.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Half of the customers&apos; messages after an operator reply got the next reply faster than this (counted from the first of the customer&apos;s messages; unanswered ones are left out).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nine in ten next replies came at least this fast.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Conversations the operators replied in during the period, per hour they were online.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The share of the time online spent with at least one active conversation (assigned and open, not waiting on the customer).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Active conversations held at once, on average over the time online, against the chats the operators online may hold at once.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reports</source>
        <translation>Reports</translation>
    </message>
    <message>
        <source>Period:</source>
        <translation>Period:</translation>
    </message>
    <message>
        <source>Channel:</source>
        <translation>Channel:</translation>
    </message>
    <message>
        <source>Queue:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Operator:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Segment:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The customers&apos; segment, as their card shows it now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Business hours</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>First response and resolution times counted in the working hours of each conversation&apos;s queue (a queue without hours counts around the clock); the other figures do not change.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export:</source>
        <translation>Export:</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Refresh</translation>
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
            <numerusform>Last %n day</numerusform>
            <numerusform>Last %n days</numerusform>
        </translation>
    </message>
    <message>
        <source>Totals</source>
        <translation>Totals</translation>
    </message>
    <message>
        <source>By channel</source>
        <translation>By channel</translation>
    </message>
    <message>
        <source>By queue</source>
        <translation>By queue</translation>
    </message>
    <message>
        <source>By operator</source>
        <translation>By operator</translation>
    </message>
    <message>
        <source>By customer segment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>By day</source>
        <translation>By day</translation>
    </message>
    <message>
        <source>Channel transitions</source>
        <translation>Channel transitions</translation>
    </message>
    <message>
        <source>Conversations per day</source>
        <translation>Conversations per day</translation>
    </message>
    <message>
        <source>First response per day (median)</source>
        <translation>First response per day (median)</translation>
    </message>
    <message>
        <source>Conversations by channel</source>
        <translation>Conversations by channel</translation>
    </message>
    <message>
        <source>First response by operator (median)</source>
        <translation>First response by operator (median)</translation>
    </message>
    <message>
        <source>Load by hour of the week</source>
        <translation>Load by hour of the week</translation>
    </message>
    <message>
        <source>Channel transitions (customer came back elsewhere within 48 h)</source>
        <translation>Channel transitions (customer came back elsewhere within 48 h)</translation>
    </message>
    <message>
        <source>SLA met by channel</source>
        <translation>SLA met by channel</translation>
    </message>
    <message>
        <source>Occupancy by operator</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dialogs per hour by operator</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Conversations by customer segment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Satisfaction by customer segment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No data for this period</source>
        <translation>No data for this period</translation>
    </message>
    <message>
        <source>All channels</source>
        <translation>All channels</translation>
    </message>
    <message>
        <source>All queues</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All operators</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No segment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All segments</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <source>%1 min</source>
        <translation>%1 min</translation>
    </message>
    <message>
        <source>%1 h</source>
        <translation>%1 h</translation>
    </message>
    <message>
        <source>%1 d</source>
        <translation>%1 d</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>Loading…</translation>
    </message>
    <message>
        <source>Unassigned</source>
        <translation>Unassigned</translation>
    </message>
    <message>
        <source>to %1</source>
        <translation>to %1</translation>
    </message>
    <message>
        <source>from %1</source>
        <translation>from %1</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV files (*.csv)</translation>
    </message>
    <message>
        <source>Excel workbooks (*.xlsx)</source>
        <translation>Excel workbooks (*.xlsx)</translation>
    </message>
    <message>
        <source>Export report</source>
        <translation>Export report</translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation>Saved %1</translation>
    </message>
</context>
</TS>
