<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="en">
<context>
    <name>FormCardPanel</name>
    <message>
        <source>Web form: %1</source>
        <translation>Web form: %1</translation>
    </message>
    <message>
        <source>Web form</source>
        <translation>Web form</translation>
    </message>
    <message>
        <source>Sent %1</source>
        <translation>Sent %1</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation>Name:</translation>
    </message>
    <message>
        <source>Phone:</source>
        <translation>Phone:</translation>
    </message>
    <message>
        <source>E-mail:</source>
        <translation>E-mail:</translation>
    </message>
    <message>
        <source>Message:</source>
        <translation>Message:</translation>
    </message>
    <message>
        <source>Sent from the page:</source>
        <translation>Sent from the page:</translation>
    </message>
    <message>
        <source>Campaign (UTM):</source>
        <translation>Campaign (UTM):</translation>
    </message>
</context>
<context>
    <name>MailDesk</name>
    <message>
        <source>Save the file</source>
        <translation>Save the file</translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation>Saved %1</translation>
    </message>
    <message>
        <source>On %1, %2 wrote:</source>
        <translation>On %1, %2 wrote:</translation>
    </message>
    <message>
        <source>Reply to the letter</source>
        <translation>Reply to the letter</translation>
    </message>
    <message>
        <source>Reply to everyone on the letter</source>
        <translation>Reply to everyone on the letter</translation>
    </message>
    <message>
        <source>Show the letter&apos;s images</source>
        <translation>Show the letter&apos;s images</translation>
    </message>
    <message>
        <source>Show the full original letter</source>
        <translation>Show the full original letter</translation>
    </message>
    <message>
        <source>Go to the letter</source>
        <translation>Go to the letter</translation>
    </message>
</context>
<context>
    <name>MailEnvelope</name>
    <message>
        <source>Not an e-mail address in To: %1</source>
        <translation>Not an e-mail address in To: %1</translation>
    </message>
    <message>
        <source>Whom is the letter to? Give at least one address in To.</source>
        <translation>Whom is the letter to? Give at least one address in To.</translation>
    </message>
    <message>
        <source>Not an e-mail address in Cc: %1</source>
        <translation>Not an e-mail address in Cc: %1</translation>
    </message>
    <message>
        <source>At most 20 addresses in To and 20 in Cc.</source>
        <translation>At most 20 addresses in To and 20 in Cc.</translation>
    </message>
    <message>
        <source>To:</source>
        <translation>To:</translation>
    </message>
    <message>
        <source>Cc:</source>
        <translation>Cc:</translation>
    </message>
    <message>
        <source>Subject:</source>
        <translation>Subject:</translation>
    </message>
    <message>
        <source>name@example.com, several separated by commas</source>
        <translation>name@example.com, several separated by commas</translation>
    </message>
    <message>
        <source>Copies, separated by commas</source>
        <translation>Copies, separated by commas</translation>
    </message>
    <message>
        <source>To</source>
        <translation>To</translation>
    </message>
    <message>
        <source>Cc</source>
        <translation>Cc</translation>
    </message>
    <message>
        <source>Subject</source>
        <translation>Subject</translation>
    </message>
    <message>
        <source>Quote the letter I answer</source>
        <translation>Quote the letter I answer</translation>
    </message>
    <message>
        <source>Adds the letter under your reply, each line starting with “&gt;”</source>
        <translation>Adds the letter under your reply, each line starting with “&gt;”</translation>
    </message>
</context>
<context>
    <name>MailReader</name>
    <message>
        <source>From:</source>
        <translation>From:</translation>
    </message>
    <message>
        <source>To:</source>
        <translation>To:</translation>
    </message>
    <message>
        <source>Cc:</source>
        <translation>Cc:</translation>
    </message>
    <message>
        <source>Date:</source>
        <translation>Date:</translation>
    </message>
    <message>
        <source>Show images</source>
        <translation>Show images</translation>
    </message>
    <message>
        <source>Load this letter&apos;s remote images (Ctrl+Shift+I)</source>
        <translation>Load this letter&apos;s remote images (Ctrl+Shift+I)</translation>
    </message>
    <message>
        <source>Reply</source>
        <translation>Reply</translation>
    </message>
    <message>
        <source>Answer the sender (Ctrl+R)</source>
        <translation>Answer the sender (Ctrl+R)</translation>
    </message>
    <message>
        <source>Reply all</source>
        <translation>Reply all</translation>
    </message>
    <message>
        <source>Answer the sender and everyone else on the letter (Ctrl+Shift+E)</source>
        <translation>Answer the sender and everyone else on the letter (Ctrl+Shift+E)</translation>
    </message>
    <message>
        <source>Files of the letter: Enter saves the chosen one</source>
        <translation>Files of the letter: Enter saves the chosen one</translation>
    </message>
    <message>
        <source>The letter</source>
        <translation>The letter</translation>
    </message>
    <message>
        <source>(no subject)</source>
        <translation>(no subject)</translation>
    </message>
    <message>
        <source>Sent:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Write again to the recipients of this letter (Ctrl+R)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Write again to everyone on this letter (Ctrl+Shift+E)</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n remote image(s) not loaded: loading them can tell the sender that you read this letter.</source>
        <translation>
            <numerusform>%n remote image not loaded: loading it can tell the sender that you read this letter.</numerusform>
            <numerusform>%n remote images not loaded: loading them can tell the sender that you read this letter.</numerusform>
        </translation>
    </message>
    <message>
        <source>Hide the quoted history</source>
        <translation>Hide the quoted history</translation>
    </message>
    <message>
        <source>Show the full original</source>
        <translation>Show the full original</translation>
    </message>
    <message>
        <source>The whole letter, with the history it quotes (Ctrl+U)</source>
        <translation>The whole letter, with the history it quotes (Ctrl+U)</translation>
    </message>
</context>
<context>
    <name>VisitorPanel</name>
    <message>
        <source>less than a minute</source>
        <translation>less than a minute</translation>
    </message>
    <message>
        <source>%n h</source>
        <translation>%n h</translation>
    </message>
    <message>
        <source>%n min</source>
        <translation>%n min</translation>
    </message>
    <message>
        <source>Visitor of the website</source>
        <translation>Visitor of the website</translation>
    </message>
    <message>
        <source>On the site now</source>
        <translation>On the site now</translation>
    </message>
    <message>
        <source>Left the site; last seen %1</source>
        <translation>Left the site; last seen %1</translation>
    </message>
    <message>
        <source>Left the site</source>
        <translation>Left the site</translation>
    </message>
    <message>
        <source>typing…</source>
        <translation>typing…</translation>
    </message>
    <message>
        <source>Page title:</source>
        <translation>Page title:</translation>
    </message>
    <message>
        <source>Page:</source>
        <translation>Page:</translation>
    </message>
    <message>
        <source>Came from:</source>
        <translation>Came from:</translation>
    </message>
    <message>
        <source>Browser:</source>
        <translation>Browser:</translation>
    </message>
    <message>
        <source>System:</source>
        <translation>System:</translation>
    </message>
    <message>
        <source>Language:</source>
        <translation>Language:</translation>
    </message>
    <message>
        <source>On the site for:</source>
        <translation>On the site for:</translation>
    </message>
    <message>
        <source>Signed in on the site as:</source>
        <translation>Signed in on the site as:</translation>
    </message>
</context>
</TS>
