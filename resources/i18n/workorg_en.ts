<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="en">
<context>
    <name>BoardWindow</name>
    <message>
        <source>No queue</source>
        <translation>No queue</translation>
    </message>
    <message>
        <source>Offered: %1 (%2, %3)</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>and %n more</source>
        <translation>
            <numerusform>and %n more</numerusform>
            <numerusform>and %n more</numerusform>
        </translation>
    </message>
    <message>
        <source>%1, for %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Operator: %1</source>
        <translation>Operator: %1</translation>
    </message>
    <message>
        <source>Queue: %1</source>
        <translation>Queue: %1</translation>
    </message>
    <message numerus="yes">
        <source>Moved %n conversation(s).</source>
        <translation>
            <numerusform>Moved %n conversation.</numerusform>
            <numerusform>Moved %n conversations.</numerusform>
        </translation>
    </message>
    <message>
        <source>The server did not accept this: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n not moved: %1</source>
        <translation>
            <numerusform>%n not moved: %1</numerusform>
            <numerusform>%n not moved: %1</numerusform>
        </translation>
    </message>
    <message>
        <source>Supervisor board</source>
        <translation>Supervisor board</translation>
    </message>
    <message>
        <source>Queue board</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Waiting conversations</source>
        <translation>Waiting conversations</translation>
    </message>
    <message>
        <source>Operators (drop conversations here to assign)</source>
        <translation>Operators (drop conversations here to assign)</translation>
    </message>
    <message>
        <source>Colleagues in my queues</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Move selected</source>
        <translation>Move selected</translation>
    </message>
    <message>
        <source>Drag conversations onto an operator or a queue tile, or select several and move them.</source>
        <translation>Drag conversations onto an operator or a queue tile, or select several and move them.</translation>
    </message>
    <message>
        <source>Your queues now: who waits and how long. Take the next one with Ctrl+N.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>Customer</translation>
    </message>
    <message>
        <source>Queue</source>
        <translation>Queue</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>Channel</translation>
    </message>
    <message>
        <source>Priority</source>
        <translation>Priority</translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation>Waiting</translation>
    </message>
    <message>
        <source>Offered to</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CannedEditor</name>
    <message>
        <source>Shortcut, title and text are required.</source>
        <translation>Shortcut, title and text are required.</translation>
    </message>
    <message>
        <source>New canned reply</source>
        <translation>New canned reply</translation>
    </message>
    <message>
        <source>Edit canned reply</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shortcut</source>
        <translation>Shortcut</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>Title</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Language</translation>
    </message>
    <message>
        <source>Text</source>
        <translation>Text</translation>
    </message>
    <message>
        <source>Queue</source>
        <translation>Queue</translation>
    </message>
    <message>
        <source>Shared with colleagues (all queues, or the queue chosen)</source>
        <translation>Shared with colleagues (all queues, or the queue chosen)</translation>
    </message>
    <message>
        <source>Placeholders: {customer.first_name}, {customer.name}, {operator.name}, {queue.name}, {queue.position}, and any custom attribute as {customer.&lt;name&gt;}. Type / and the shortcut in the composer.</source>
        <translation>Placeholders: {customer.first_name}, {customer.name}, {operator.name}, {queue.name}, {queue.position}, and any custom attribute as {customer.&lt;name&gt;}. Type / and the shortcut in the composer.</translation>
    </message>
</context>
<context>
    <name>CannedManager</name>
    <message>
        <source>personal</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>shared: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>shared: everyone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A shared reply: a supervisor can change it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type / and the shortcut in the composer to insert a reply.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete canned reply</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete the canned reply /%1 “%2”?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete</source>
        <translation type="unfinished">Delete</translation>
    </message>
    <message>
        <source>Canned replies</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Find by shortcut, title or text</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All languages</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Edit…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ColleaguesButton</name>
    <message numerus="yes">
        <source>Colleagues: %n online</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Who of your queues is online, away or offline, and how busy they are</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ColleaguesPopup</name>
    <message>
        <source>Double-click a colleague to hand them the open conversation.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nobody else works in your queues.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Colleagues in your queues</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MentionsDialog</name>
    <message>
        <source>Mentions</source>
        <translation>Mentions</translation>
    </message>
    <message>
        <source>Nobody has mentioned you yet.</source>
        <translation>Nobody has mentioned you yet.</translation>
    </message>
    <message>
        <source>%1 · %2
%3</source>
        <translation>%1 · %2
%3</translation>
    </message>
</context>
<context>
    <name>OfferToast</name>
    <message>
        <source>Conversation offered: %1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 s left to accept</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 more waiting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Accept</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Take this conversation (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Decline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Let a colleague have it; it is not offered to you again for a while (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Accept the offered conversation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Decline the offered conversation</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PresenceSelector</name>
    <message>
        <source>You are offline: your presence was not changed. Try again when the connection is back.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your presence: colleagues and supervisors see it; online means you get work</source>
        <translation>Your presence: colleagues and supervisors see it; online means you get work</translation>
    </message>
</context>
<context>
    <name>Problems</name>
    <message>
        <source>Queue</source>
        <translation type="unfinished">Queue</translation>
    </message>
    <message>
        <source>Priority</source>
        <translation type="unfinished">Priority</translation>
    </message>
    <message>
        <source>Maximum wait</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Skill</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Auto-reply</source>
        <translation type="unfinished">Auto-reply</translation>
    </message>
    <message>
        <source>%1 is already handling this conversation.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A colleague took this conversation a moment ago.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This offer was accepted already.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This offer was declined.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The offer expired before it was accepted.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The offer was withdrawn: the conversation is no longer waiting for you.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The offer has ended.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your role does not allow this.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This conversation no longer exists, or it is no longer in your queues.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The conversation is already there: with that colleague or in that queue.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose a colleague or a queue to transfer the conversation to.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only the colleague handling this conversation, or a supervisor, can transfer it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>That colleague&apos;s account no longer exists or is disabled.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>That queue no longer exists.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A queue named “%1” exists already.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The offer timeout is from 0 (assign at once) to %1 seconds.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The decline cooldown is from 0 to %1 seconds.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Capacity is set for chats, e-mails and calls only.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Business hours need a time zone, such as Europe/Kyiv.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“%1” is not a known time zone (write it like Europe/Kyiv).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Business hours: “%1” is not a day of the week.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Business hours: “%1” is not a span of times such as 09:00–18:00.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Business hours: in “%1” the closing time is not after the opening time.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Holidays: “%1” is not a date such as 2026-01-01.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A rule needs a name.</source>
        <translation type="unfinished">A rule needs a name.</translation>
    </message>
    <message>
        <source>Condition %1 has parts no condition takes: %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Condition %1: “%2” is not something a rule can look at.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Condition %1: this comparison does not fit “%2”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Condition %1 needs at least one value.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Condition %1: a keyword cannot be empty.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Condition %1 needs yes or no.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Condition %1 needs a channel.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Condition %1 needs a value.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Condition %1 needs the attribute&apos;s name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Condition %1: only an attribute condition names an attribute.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Condition %1 needs the queue whose business hours apply.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Condition %1: only a business-hours condition takes a queue&apos;s hours.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Condition %1: the queue whose business hours it uses no longer exists.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Condition %1: that queue has no business hours. Set them in Queues and members first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The rule has actions this server does not know: %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A rule must do something: set a queue, a priority, a skill, a maximum wait or an auto-reply.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: a whole number is needed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The priority is low, normal, high or urgent.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The maximum wait is from 1 second to 7 days.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: from 1 to %2 characters.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The rule&apos;s queue no longer exists. Choose another queue.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The rules changed meanwhile. Reload them and set the order again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>That channel no longer exists. Choose another one.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>That customer no longer exists (perhaps merged). Find them again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A queue&apos;s canned reply is shared with the queue: mark it as shared.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only its author, or a supervisor for a shared reply, can change or delete this canned reply.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rule %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>QueueAdmin</name>
    <message>
        <source>Queues and members</source>
        <translation>Queues and members</translation>
    </message>
    <message>
        <source>New queue&apos;s name</source>
        <translation>New queue&apos;s name</translation>
    </message>
    <message>
        <source>Add queue</source>
        <translation>Add queue</translation>
    </message>
    <message>
        <source>Queue</source>
        <translation>Queue</translation>
    </message>
    <message>
        <source>Offer waiting work to online members (push mode)</source>
        <translation>Offer waiting work to online members (push mode)</translation>
    </message>
    <message>
        <source>Time zone</source>
        <translation>Time zone</translation>
    </message>
    <message>
        <source>Business hours</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name</source>
        <translation type="unfinished">Name</translation>
    </message>
    <message>
        <source>Holidays (closed all day)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Seconds to accept an offer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>assign at once, no offer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The chosen member accepts or declines within this time; then it is offered to the next one</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not offered again after a decline for</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>offered again at once</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Whoever declined a conversation, or let its offer expire, is not offered it again for this long</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>dates such as 2026-12-25, 2027-01-01</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save queue</source>
        <translation>Save queue</translation>
    </message>
    <message>
        <source>Members</source>
        <translation>Members</translation>
    </message>
    <message>
        <source>Colleague</source>
        <translation>Colleague</translation>
    </message>
    <message>
        <source>Skills (comma-separated)</source>
        <translation>Skills (comma-separated)</translation>
    </message>
    <message>
        <source>At once: chats, e-mails, calls</source>
        <translation>At once: chats, e-mails, calls</translation>
    </message>
    <message>
        <source>Priority (higher is offered first)</source>
        <translation>Priority (higher is offered first)</translation>
    </message>
    <message>
        <source>Save member</source>
        <translation>Save member</translation>
    </message>
    <message>
        <source>Remove member</source>
        <translation>Remove member</translation>
    </message>
</context>
<context>
    <name>QueueTile</name>
    <message numerus="yes">
        <source>%n waiting</source>
        <translation>
            <numerusform>%n waiting</numerusform>
            <numerusform>%n waiting</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n offered</source>
        <translation>
            <numerusform>%n offered</numerusform>
            <numerusform>%n offered</numerusform>
        </translation>
    </message>
    <message>
        <source>Of the waiting, offered to an operator now, who may accept or decline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Longest wait: %1</source>
        <translation>Longest wait: %1</translation>
    </message>
    <message>
        <source>Average wait: %1</source>
        <translation>Average wait: %1</translation>
    </message>
    <message numerus="yes">
        <source>%n in progress</source>
        <translation>
            <numerusform>%n in progress</numerusform>
            <numerusform>%n in progress</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n online</source>
        <translation>
            <numerusform>%n online</numerusform>
            <numerusform>%n online</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>RuleEditor</name>
    <message>
        <source>(off)</source>
        <translation>(off)</translation>
    </message>
    <message>
        <source>(channel&apos;s queue)</source>
        <translation>(channel&apos;s queue)</translation>
    </message>
    <message>
        <source>(unchanged)</source>
        <translation>(unchanged)</translation>
    </message>
    <message>
        <source>yes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A rule needs a name.</source>
        <translation>A rule needs a name.</translation>
    </message>
    <message>
        <source>(new rule)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Routing rules</source>
        <translation>Routing rules</translation>
    </message>
    <message>
        <source>Rules in order: the first that matches takes the message</source>
        <translation>Rules in order: the first that matches takes the message</translation>
    </message>
    <message>
        <source>New rule</source>
        <translation>New rule</translation>
    </message>
    <message>
        <source>Up</source>
        <translation>Up</translation>
    </message>
    <message>
        <source>Down</source>
        <translation>Down</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Delete</translation>
    </message>
    <message>
        <source>History</source>
        <translation>History</translation>
    </message>
    <message>
        <source>Rule</source>
        <translation>Rule</translation>
    </message>
    <message>
        <source>Enabled</source>
        <translation>Enabled</translation>
    </message>
    <message>
        <source>If</source>
        <translation>If</translation>
    </message>
    <message>
        <source>is</source>
        <translation>is</translation>
    </message>
    <message>
        <source>Queue / attribute</source>
        <translation>Queue / attribute</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Value</translation>
    </message>
    <message>
        <source>Add condition</source>
        <translation>Add condition</translation>
    </message>
    <message>
        <source>Remove condition</source>
        <translation>Remove condition</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Then queue</source>
        <translation>Then queue</translation>
    </message>
    <message>
        <source>Priority</source>
        <translation>Priority</translation>
    </message>
    <message>
        <source>Required skill</source>
        <translation>Required skill</translation>
    </message>
    <message>
        <source>Maximum wait, s</source>
        <translation>Maximum wait, s</translation>
    </message>
    <message>
        <source>Auto-reply</source>
        <translation>Auto-reply</translation>
    </message>
    <message>
        <source>none</source>
        <translation>none</translation>
    </message>
    <message>
        <source>Save rule</source>
        <translation>Save rule</translation>
    </message>
</context>
<context>
    <name>RuleHistory</name>
    <message>
        <source>%1 → %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Created</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Changed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Deleted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name</source>
        <translation type="unfinished">Name</translation>
    </message>
    <message>
        <source>Enabled</source>
        <translation type="unfinished">Enabled</translation>
    </message>
    <message>
        <source>Conditions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Queue</source>
        <translation type="unfinished">Queue</translation>
    </message>
    <message>
        <source>Priority</source>
        <translation type="unfinished">Priority</translation>
    </message>
    <message>
        <source>Required skill</source>
        <translation type="unfinished">Required skill</translation>
    </message>
    <message>
        <source>Maximum wait</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Auto-reply</source>
        <translation type="unfinished">Auto-reply</translation>
    </message>
    <message>
        <source>always</source>
        <translation type="unfinished">always</translation>
    </message>
    <message>
        <source>(channel&apos;s queue)</source>
        <translation type="unfinished">(channel&apos;s queue)</translation>
    </message>
    <message>
        <source>(unchanged)</source>
        <translation type="unfinished">(unchanged)</translation>
    </message>
    <message>
        <source>none</source>
        <translation type="unfinished">none</translation>
    </message>
    <message>
        <source>yes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>queue no. %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“%1”</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>History of the rule</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Changes of “%1”, newest first</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>When</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Who</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What changed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No changes recorded.</source>
        <translation type="unfinished">No changes recorded.</translation>
    </message>
</context>
<context>
    <name>RulePreview</name>
    <message>
        <source>Ukrainian</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Russian</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>English</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Write attributes as name=value, separated by commas.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose a channel.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Find the customer by name, phone or e-mail first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>nobody found</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no queue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>queue no. %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No rule matched: the channel&apos;s default queue %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rule “%1” would take it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Queue: %1</source>
        <translation type="unfinished">Queue: %1</translation>
    </message>
    <message>
        <source>Priority: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Required skill: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>none</source>
        <translation type="unfinished">none</translation>
    </message>
    <message>
        <source>Maximum wait: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Auto-reply: “%1”</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Auto-reply: none</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Which rule would take this message?</source>
        <translation type="unfinished">Which rule would take this message?</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation type="unfinished">Channel</translation>
    </message>
    <message>
        <source>Message text</source>
        <translation type="unfinished">Message text</translation>
    </message>
    <message>
        <source>Written at</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Who writes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Real customer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Judge by</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Segment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Language</source>
        <translation type="unfinished">Language</translation>
    </message>
    <message>
        <source>Tags</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Attributes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Business hours are judged at this moment (your computer&apos;s time zone)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A new customer (first message)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A known customer described here</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A real customer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not set</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Other…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>language code, e.g. de</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>comma-separated, e.g. vip, wholesale</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>name=value, e.g. plan=gold, city=Kyiv</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>name, phone or e-mail</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the rules with the edits in the form (unsaved)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the saved rules</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Check</source>
        <translation type="unfinished">Check</translation>
    </message>
</context>
<context>
    <name>RuleWords</name>
    <message>
        <source>channel</source>
        <translation>channel</translation>
    </message>
    <message>
        <source>channel no.</source>
        <translation>channel no.</translation>
    </message>
    <message>
        <source>customer.segment</source>
        <translation>customer.segment</translation>
    </message>
    <message>
        <source>customer.language</source>
        <translation>customer.language</translation>
    </message>
    <message>
        <source>customer.tag</source>
        <translation>customer.tag</translation>
    </message>
    <message>
        <source>customer attribute</source>
        <translation>customer attribute</translation>
    </message>
    <message>
        <source>text</source>
        <translation>text</translation>
    </message>
    <message>
        <source>customer known</source>
        <translation>customer known</translation>
    </message>
    <message>
        <source>business hours</source>
        <translation>business hours</translation>
    </message>
    <message>
        <source>is one of</source>
        <translation>is one of</translation>
    </message>
    <message>
        <source>has</source>
        <translation>has</translation>
    </message>
    <message>
        <source>has not</source>
        <translation>has not</translation>
    </message>
    <message>
        <source>contains</source>
        <translation>contains</translation>
    </message>
    <message>
        <source>is set</source>
        <translation>is set</translation>
    </message>
    <message>
        <source>contains any of</source>
        <translation>contains any of</translation>
    </message>
    <message>
        <source>contains none of</source>
        <translation>contains none of</translation>
    </message>
    <message>
        <source>time = business hours (%1)</source>
        <translation>time = business hours (%1)</translation>
    </message>
    <message>
        <source>time = outside business hours (%1)</source>
        <translation>time = outside business hours (%1)</translation>
    </message>
    <message>
        <source>customer is known</source>
        <translation>customer is known</translation>
    </message>
    <message>
        <source>customer is new</source>
        <translation>customer is new</translation>
    </message>
    <message>
        <source>AND</source>
        <translation>AND</translation>
    </message>
    <message>
        <source>always</source>
        <translation>always</translation>
    </message>
    <message>
        <source>IF %1 THEN %2</source>
        <translation>IF %1 THEN %2</translation>
    </message>
    <message>
        <source>queue = %1</source>
        <translation>queue = %1</translation>
    </message>
    <message>
        <source>priority = %1</source>
        <translation>priority = %1</translation>
    </message>
    <message>
        <source>skill = %1</source>
        <translation>skill = %1</translation>
    </message>
    <message>
        <source>max wait = %1 s</source>
        <translation>max wait = %1 s</translation>
    </message>
    <message>
        <source>auto-reply</source>
        <translation>auto-reply</translation>
    </message>
</context>
<context>
    <name>TransferDialog</name>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>You are offline: the conversation was not transferred. Try again when the connection is back.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Transfer conversation</source>
        <translation>Transfer conversation</translation>
    </message>
    <message>
        <source>To a colleague</source>
        <translation>To a colleague</translation>
    </message>
    <message>
        <source>To a queue</source>
        <translation>To a queue</translation>
    </message>
    <message>
        <source>Note for the receiver</source>
        <translation>Note for the receiver</translation>
    </message>
    <message>
        <source>What they should know (the customer will not see this)</source>
        <translation>What they should know (the customer will not see this)</translation>
    </message>
    <message>
        <source>The customer is not asked anything again; the transfer shows in the timeline.</source>
        <translation>The customer is not asked anything again; the transfer shows in the timeline.</translation>
    </message>
</context>
<context>
    <name>WorkDesk</name>
    <message>
        <source>You are offline: no conversation was taken. Try again when the connection is back.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>WorkOrg</name>
    <message>
        <source>Nothing is waiting.</source>
        <translation>Nothing is waiting.</translation>
    </message>
    <message>
        <source>Queue board</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Internal note for colleagues (@name to mention) — never sent to the customer</source>
        <translation>Internal note for colleagues (@name to mention) — never sent to the customer</translation>
    </message>
    <message>
        <source>%1 is typing a reply</source>
        <translation>%1 is typing a reply</translation>
    </message>
    <message>
        <source>%1 is viewing</source>
        <translation>%1 is viewing</translation>
    </message>
    <message>
        <source>Someone is replying</source>
        <translation>Someone is replying</translation>
    </message>
    <message>
        <source>%1 is typing a reply in this conversation. Send yours anyway?</source>
        <translation>%1 is typing a reply in this conversation. Send yours anyway?</translation>
    </message>
    <message>
        <source>%1 mentioned you: %2</source>
        <translation>%1 mentioned you: %2</translation>
    </message>
    <message>
        <source>Mention</source>
        <translation>Mention</translation>
    </message>
    <message>
        <source>You were mentioned here; this conversation is not in your queues, so you write notes only</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open a conversation to hand it to a colleague.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mentions</source>
        <translation>Mentions</translation>
    </message>
    <message>
        <source>&amp;Work</source>
        <translation>&amp;Work</translation>
    </message>
    <message>
        <source>Take next conversation</source>
        <translation>Take next conversation</translation>
    </message>
    <message>
        <source>Transfer…</source>
        <translation>Transfer…</translation>
    </message>
    <message>
        <source>Internal note mode</source>
        <translation>Internal note mode</translation>
    </message>
    <message>
        <source>New canned reply…</source>
        <translation>New canned reply…</translation>
    </message>
    <message>
        <source>Canned replies…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Supervisor board</source>
        <translation>Supervisor board</translation>
    </message>
    <message>
        <source>Routing rules…</source>
        <translation>Routing rules…</translation>
    </message>
    <message>
        <source>Queues and members…</source>
        <translation>Queues and members…</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>Note</translation>
    </message>
    <message>
        <source>Write an internal note instead of a reply (Ctrl+Shift+N)</source>
        <translation>Write an internal note instead of a reply (Ctrl+Shift+N)</translation>
    </message>
    <message>
        <source>Online</source>
        <translation>Online</translation>
    </message>
    <message>
        <source>Away</source>
        <translation>Away</translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>Offline</translation>
    </message>
    <message>
        <source>%1 — %2, %3 of %4</source>
        <translation type="unfinished">%1 — %2, %3 of %4</translation>
    </message>
    <message>
        <source>Low</source>
        <translation>Low</translation>
    </message>
    <message>
        <source>Normal</source>
        <translation>Normal</translation>
    </message>
    <message>
        <source>High</source>
        <translation>High</translation>
    </message>
    <message>
        <source>Urgent</source>
        <translation>Urgent</translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation>%1 h %2 min</translation>
    </message>
</context>
</TS>
