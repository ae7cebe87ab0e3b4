<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="en">
<context>
    <name>CommentThreadPanel</name>
    <message>
        <source>Everyone who sees the post will see the answer.</source>
        <translation>Everyone who sees the post will see the answer.</translation>
    </message>
    <message>
        <source>Only the author of the comment will see the answer, as a direct message.</source>
        <translation>Only the author of the comment will see the answer, as a direct message.</translation>
    </message>
    <message>
        <source>Comment under a post</source>
        <translation>Comment under a post</translation>
    </message>
    <message>
        <source>The post&apos;s text is not available.</source>
        <translation>The post&apos;s text is not available.</translation>
    </message>
    <message>
        <source>Open the post</source>
        <translation>Open the post</translation>
    </message>
    <message>
        <source>Reply publicly, under the comment</source>
        <translation>Reply publicly, under the comment</translation>
    </message>
    <message>
        <source>Reply privately, in a direct message</source>
        <translation>Reply privately, in a direct message</translation>
    </message>
</context>
</TS>
