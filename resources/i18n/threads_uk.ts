<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="uk" sourcelanguage="en">
<context>
    <name>CommentThreadPanel</name>
    <message>
        <source>Everyone who sees the post will see the answer.</source>
        <translation>Відповідь побачать усі, хто бачить допис.</translation>
    </message>
    <message>
        <source>Only the author of the comment will see the answer, as a direct message.</source>
        <translation>Відповідь побачить лише автор коментаря — в особистому повідомленні.</translation>
    </message>
    <message>
        <source>Comment under a post</source>
        <translation>Коментар під дописом</translation>
    </message>
    <message>
        <source>The post&apos;s text is not available.</source>
        <translation>Текст допису недоступний.</translation>
    </message>
    <message>
        <source>Open the post</source>
        <translation>Відкрити допис</translation>
    </message>
    <message>
        <source>Reply publicly, under the comment</source>
        <translation>Відповісти публічно, під коментарем</translation>
    </message>
    <message>
        <source>Reply privately, in a direct message</source>
        <translation>Відповісти особисто, в повідомленні</translation>
    </message>
</context>
<context>
    <name>ReplyWindowBadge</name>
    <message numerus="yes">
        <source>Free replies for %n more hour(s), until %1.</source>
        <translation>
            <numerusform>Вільні відповіді ще %n годину, до %1.</numerusform>
            <numerusform>Вільні відповіді ще %n години, до %1.</numerusform>
            <numerusform>Вільні відповіді ще %n годин, до %1.</numerusform>
        </translation>
    </message>
    <message>
        <source>24 hours have passed: only an operator&apos;s own reply (HUMAN_AGENT), until %1.</source>
        <translation>Минуло 24 години: лише власна відповідь оператора (HUMAN_AGENT), до %1.</translation>
    </message>
    <message>
        <source>The reply window is closed: Meta delivers nothing until the customer writes again.</source>
        <translation>Вікно відповіді закрите: Meta нічого не доставить, доки клієнт не напише знову.</translation>
    </message>
</context>
</TS>
