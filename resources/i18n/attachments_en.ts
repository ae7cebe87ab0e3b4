<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="en">
<context>
    <name>ButtonsDialog</name>
    <message>
        <source>Buttons under the reply</source>
        <translation>Buttons under the reply</translation>
    </message>
    <message numerus="yes">
        <source>Up to %n button(s) the customer can press under your next reply. A button without a link sends its title back as the customer&apos;s answer.</source>
        <translation>
            <numerusform>Up to %n button the customer can press under your next reply. A button without a link sends its title back as the customer's answer.</numerusform>
            <numerusform>Up to %n buttons the customer can press under your next reply. A button without a link sends its title back as the customer's answer.</numerusform>
        </translation>
    </message>
    <message>
        <source>Title</source>
        <translation>Title</translation>
    </message>
    <message>
        <source>Link (optional)</source>
        <translation>Link (optional)</translation>
    </message>
    <message>
        <source>Title of button %1</source>
        <translation>Title of button %1</translation>
    </message>
    <message>
        <source>Link of button %1</source>
        <translation>Link of button %1</translation>
    </message>
    <message>
        <source>A button with a link needs a title.</source>
        <translation>A button with a link needs a title.</translation>
    </message>
    <message>
        <source>A link must be a web address starting with https:// or http://.</source>
        <translation>A link must be a web address starting with https:// or http://.</translation>
    </message>
</context>
<context>
    <name>ConversationExtras</name>
    <message>
        <source>Window closed: choose a template</source>
        <translation>Window closed: choose a template</translation>
    </message>
    <message>
        <source>Window closed: nothing can be sent until the customer writes again</source>
        <translation>Window closed: nothing can be sent until the customer writes again</translation>
    </message>
    <message numerus="yes">
        <source>%Ln day(s) left</source>
        <translation>
            <numerusform>%Ln day left</numerusform>
            <numerusform>%Ln days left</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln h left</source>
        <translation>
            <numerusform>%Ln h left</numerusform>
            <numerusform>%Ln h left</numerusform>
        </translation>
    </message>
    <message>
        <source>24 h passed: only an operator&apos;s own reply (human agent), %1</source>
        <translation>24 h passed: only an operator&apos;s own reply (human agent), %1</translation>
    </message>
    <message numerus="yes">
        <source>%Ln h left to reply freely</source>
        <translation>
            <numerusform>%Ln h left to reply freely</numerusform>
            <numerusform>%Ln h left to reply freely</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln min left to reply freely</source>
        <translation>
            <numerusform>%Ln min left to reply freely</numerusform>
            <numerusform>%Ln min left to reply freely</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln value(s), separated by |</source>
        <translation>
            <numerusform>%Ln value, separated by |</numerusform>
            <numerusform>%Ln values, separated by |</numerusform>
        </translation>
    </message>
    <message>
        <source>Send files</source>
        <translation>Send files</translation>
    </message>
    <message>
        <source>The clipboard holds no image</source>
        <translation>The clipboard holds no image</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>Open</translation>
    </message>
    <message>
        <source>Save as…</source>
        <translation>Save as…</translation>
    </message>
    <message>
        <source>Save the file</source>
        <translation>Save the file</translation>
    </message>
    <message numerus="yes">
        <source>&amp;Buttons (%n)…</source>
        <translation>
            <numerusform>&amp;Buttons (%n)…</numerusform>
            <numerusform>&amp;Buttons (%n)…</numerusform>
        </translation>
    </message>
    <message>
        <source>&amp;Buttons…</source>
        <translation>&amp;Buttons…</translation>
    </message>
    <message>
        <source>Buttons the customer can press under your next reply</source>
        <translation>Buttons the customer can press under your next reply</translation>
    </message>
    <message>
        <source>&amp;Attach…</source>
        <translation>&amp;Attach…</translation>
    </message>
    <message>
        <source>Send files (or drop them here)</source>
        <translation>Send files (or drop them here)</translation>
    </message>
    <message>
        <source>Paste image</source>
        <translation>Paste image</translation>
    </message>
    <message>
        <source>Send template</source>
        <translation>Send template</translation>
    </message>
    <message>
        <source>No approved templates: ask an administrator to sync them</source>
        <translation>No approved templates: ask an administrator to sync them</translation>
    </message>
</context>
</TS>
