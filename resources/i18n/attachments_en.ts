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
            <numerusform>Up to %n button the customer can press under your next reply. A button without a link sends its title back as the customer&apos;s answer.</numerusform>
            <numerusform>Up to %n buttons the customer can press under your next reply. A button without a link sends its title back as the customer&apos;s answer.</numerusform>
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
        <source>Attach files to your reply</source>
        <translation>Attach files to your reply</translation>
    </message>
    <message>
        <source>Not attached, not a file that can be read: %1</source>
        <translation>Not attached, not a file that can be read: %1</translation>
    </message>
    <message>
        <source>The clipboard holds no image and no file</source>
        <translation>The clipboard holds no image and no file</translation>
    </message>
    <message>
        <source>Open a conversation first</source>
        <translation>Open a conversation first</translation>
    </message>
    <message>
        <source>This channel cannot send files</source>
        <translation>This channel cannot send files</translation>
    </message>
    <message>
        <source>The reply window is closed: files can be sent once the customer writes again</source>
        <translation>The reply window is closed: files can be sent once the customer writes again</translation>
    </message>
    <message>
        <source>%1 is larger than this channel takes (%2)</source>
        <translation>%1 is larger than this channel takes (%2)</translation>
    </message>
    <message numerus="yes">
        <source>At most %n file(s) go with one reply</source>
        <translation>
            <numerusform>At most %n file goes with one reply</numerusform>
            <numerusform>At most %n files go with one reply</numerusform>
        </translation>
    </message>
    <message>
        <source>Attach files to your reply (or drop them on the reply, or paste them with Ctrl+V)</source>
        <translation>Attach files to your reply (or drop them on the reply, or paste them with Ctrl+V)</translation>
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
    <message>
        <source>No application on this computer opens %1</source>
        <translation>No application on this computer opens %1</translation>
    </message>
    <message>
        <source>Could not write %1: %2</source>
        <translation>Could not write %1: %2</translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation>Saved %1</translation>
    </message>
    <message>
        <source>Wait a moment: a file of this reply is still uploading</source>
        <translation>Wait a moment: a file of this reply is still uploading</translation>
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
        <source>Paste image</source>
        <translation>Paste image</translation>
    </message>
    <message>
        <source>Attach the image or files on the clipboard to your reply</source>
        <translation>Attach the image or files on the clipboard to your reply</translation>
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
<context>
    <name>StagedStrip</name>
    <message>
        <source>With your reply:</source>
        <translation>With your reply:</translation>
    </message>
    <message>
        <source>%1, uploading…</source>
        <translation>%1, uploading…</translation>
    </message>
    <message>
        <source>Take %1 off the reply</source>
        <translation>Take %1 off the reply</translation>
    </message>
</context>
<context>
    <name>VoicePlayer</name>
    <message>
        <source>This recording cannot be played here (%1): open it in your player.</source>
        <translation>This recording cannot be played here (%1): open it in your player.</translation>
    </message>
</context>
</TS>
