<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ru" sourcelanguage="en">
<context>
    <name>CommentThreadPanel</name>
    <message>
        <source>Everyone who sees the post will see the answer.</source>
        <translation>Ответ увидят все, кто видит публикацию.</translation>
    </message>
    <message>
        <source>Only the author of the comment will see the answer, as a direct message.</source>
        <translation>Ответ увидит только автор комментария — в личном сообщении.</translation>
    </message>
    <message>
        <source>Comment under a post</source>
        <translation>Комментарий под публикацией</translation>
    </message>
    <message>
        <source>The post&apos;s text is not available.</source>
        <translation>Текст публикации недоступен.</translation>
    </message>
    <message>
        <source>Open the post</source>
        <translation>Открыть публикацию</translation>
    </message>
    <message>
        <source>Reply publicly, under the comment</source>
        <translation>Ответить публично, под комментарием</translation>
    </message>
    <message>
        <source>Reply privately, in a direct message</source>
        <translation>Ответить лично, в сообщении</translation>
    </message>
</context>
</TS>
