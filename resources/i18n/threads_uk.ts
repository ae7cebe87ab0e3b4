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
</TS>
