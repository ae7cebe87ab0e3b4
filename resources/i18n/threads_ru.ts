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
<context>
    <name>ReplyWindowBadge</name>
    <message numerus="yes">
        <source>Free replies for %n more hour(s), until %1.</source>
        <translation>
            <numerusform>Свободные ответы ещё %n час, до %1.</numerusform>
            <numerusform>Свободные ответы ещё %n часа, до %1.</numerusform>
            <numerusform>Свободные ответы ещё %n часов, до %1.</numerusform>
        </translation>
    </message>
    <message>
        <source>24 hours have passed: only an operator&apos;s own reply (HUMAN_AGENT), until %1.</source>
        <translation>Прошло 24 часа: только собственный ответ оператора (HUMAN_AGENT), до %1.</translation>
    </message>
    <message>
        <source>The reply window is closed: Meta delivers nothing until the customer writes again.</source>
        <translation>Окно ответа закрыто: Meta ничего не доставит, пока клиент не напишет снова.</translation>
    </message>
</context>
</TS>
