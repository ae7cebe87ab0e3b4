<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="en">
<context>
    <name>Attributes</name>
    <message>
        <source>Region</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>City</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Country</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Contract</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Account</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Card</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tariff</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Plan</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Company</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Manager</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Birthday</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Client since</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>BubbleDelegate</name>
    <message>
        <source>Open in the player</source>
        <translation>Open in the player</translation>
    </message>
    <message>
        <source>loading…</source>
        <translation>loading…</translation>
    </message>
</context>
<context>
    <name>ConversationDelegate</name>
    <message>
        <source>Unassigned</source>
        <translation type="unfinished">Unassigned</translation>
    </message>
</context>
<context>
    <name>ConversationPane</name>
    <message>
        <source>&amp;Take</source>
        <translation>&amp;Take</translation>
    </message>
    <message>
        <source>&amp;Resolve</source>
        <translation>&amp;Resolve</translation>
    </message>
    <message>
        <source>Re&amp;open</source>
        <translation>Re&amp;open</translation>
    </message>
    <message>
        <source>&amp;Pending</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Waiting on the customer: set the conversation to pending (Ctrl+Shift+P)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Send</source>
        <translation>&amp;Send</translation>
    </message>
    <message>
        <source>Send the reply (Ctrl+Enter)</source>
        <translation>Send the reply (Ctrl+Enter)</translation>
    </message>
    <message>
        <source>Write a reply… Enter adds a line, Ctrl+Enter sends.</source>
        <translation>Write a reply… Enter adds a line, Ctrl+Enter sends.</translation>
    </message>
    <message>
        <source>Unassigned</source>
        <translation>Unassigned</translation>
    </message>
    <message>
        <source>Assigned to me</source>
        <translation>Assigned to me</translation>
    </message>
    <message>
        <source>Assigned to %1</source>
        <translation>Assigned to %1</translation>
    </message>
</context>
<context>
    <name>CustomerCard</name>
    <message>
        <source>Phone</source>
        <translation>Phone</translation>
    </message>
    <message>
        <source>E-mail</source>
        <translation>E-mail</translation>
    </message>
    <message>
        <source>Telegram</source>
        <translation>Telegram</translation>
    </message>
    <message>
        <source>Instagram/Facebook</source>
        <translation>Instagram/Facebook</translation>
    </message>
    <message>
        <source>Web chat</source>
        <translation>Web chat</translation>
    </message>
    <message>
        <source>External id</source>
        <translation>External id</translation>
    </message>
    <message>
        <source>Possible duplicates (%1)</source>
        <translation>Possible duplicates (%1)</translation>
    </message>
    <message>
        <source>No identities yet.</source>
        <translation>No identities yet.</translation>
    </message>
    <message>
        <source>Remove identity</source>
        <translation type="unfinished">Remove identity</translation>
    </message>
    <message>
        <source>Remove this identity from the customer…</source>
        <translation>Remove this identity from the customer…</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Language</translation>
    </message>
    <message>
        <source>Tags</source>
        <translation>Tags</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>yes</translation>
    </message>
    <message>
        <source>no</source>
        <translation>no</translation>
    </message>
    <message>
        <source>Identities</source>
        <translation>Identities</translation>
    </message>
    <message>
        <source>Profile</source>
        <translation>Profile</translation>
    </message>
    <message>
        <source>&amp;Edit…</source>
        <translation>&amp;Edit…</translation>
    </message>
    <message>
        <source>Change the name, language, segment, tags and attributes</source>
        <translation>Change the name, language, segment, tags and attributes</translation>
    </message>
    <message>
        <source>&amp;Merge…</source>
        <translation>&amp;Merge…</translation>
    </message>
    <message>
        <source>Merge the chosen customer into one profile (can be undone)</source>
        <translation>Merge the chosen customer into one profile (can be undone)</translation>
    </message>
    <message>
        <source>Not the same person</source>
        <translation>Not the same person</translation>
    </message>
    <message numerus="yes">
        <source>%Ln open conversation(s)</source>
        <translation>
            <numerusform>%Ln open conversation</numerusform>
            <numerusform>%Ln open conversations</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 in all</source>
        <translation>%1 in all</translation>
    </message>
    <message>
        <source>This profile was merged into another customer.</source>
        <translation>This profile was merged into another customer.</translation>
    </message>
</context>
<context>
    <name>CustomerEditDialog</name>
    <message numerus="yes">
        <source>%n customer(s) already look like this. Open one instead of creating a duplicate?</source>
        <translation>
            <numerusform>%n customer already looks like this. Open it instead of creating a duplicate?</numerusform>
            <numerusform>%n customers already look like this. Open one instead of creating a duplicate?</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n possible duplicate(s) of this customer are listed on the card.</source>
        <translation>
            <numerusform>%n possible duplicate of this customer is listed on the card.</numerusform>
            <numerusform>%n possible duplicates of this customer are listed on the card.</numerusform>
        </translation>
    </message>
    <message>
        <source>No existing customer looks like this.</source>
        <translation>No existing customer looks like this.</translation>
    </message>
    <message>
        <source>New customer</source>
        <translation>New customer</translation>
    </message>
    <message>
        <source>Edit customer</source>
        <translation>Edit customer</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>&amp;Name:</translation>
    </message>
    <message>
        <source>&amp;Phone:</source>
        <translation>&amp;Phone:</translation>
    </message>
    <message>
        <source>Add a &amp;phone:</source>
        <translation>Add a &amp;phone:</translation>
    </message>
    <message>
        <source>&amp;E-mail:</source>
        <translation>&amp;E-mail:</translation>
    </message>
    <message>
        <source>Add an &amp;e-mail:</source>
        <translation>Add an &amp;e-mail:</translation>
    </message>
    <message>
        <source>&amp;Language:</source>
        <translation>&amp;Language:</translation>
    </message>
    <message>
        <source>&amp;Segment:</source>
        <translation>&amp;Segment:</translation>
    </message>
    <message>
        <source>&amp;Tags:</source>
        <translation>&amp;Tags:</translation>
    </message>
    <message>
        <source>&amp;Attributes:</source>
        <translation>&amp;Attributes:</translation>
    </message>
    <message>
        <source>e.g. 050 123 45 67</source>
        <translation>e.g. 050 123 45 67</translation>
    </message>
    <message>
        <source>e.g. VIP</source>
        <translation>e.g. VIP</translation>
    </message>
    <message>
        <source>separated by commas</source>
        <translation>separated by commas</translation>
    </message>
    <message>
        <source>one per line, e.g. contract: A-1042</source>
        <translation>one per line, e.g. contract: A-1042</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Save</translation>
    </message>
    <message>
        <source>Open this customer</source>
        <translation>Open this customer</translation>
    </message>
</context>
<context>
    <name>CustomerPanel</name>
    <message>
        <source>you</source>
        <translation>you</translation>
    </message>
    <message>
        <source>a colleague</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Card of %1 · no conversation open</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Card of %1, the customer of the open conversation (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Card of %1, NOT the customer of the open conversation (%2, %3)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Conversations on every channel (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove identity</source>
        <translation>Remove identity</translation>
    </message>
    <message>
        <source>Remove %1 from %2? Messages that came through it stay in the history; a new message from it will start a new customer.</source>
        <translation>Remove %1 from %2? Messages that came through it stay in the history; a new message from it will start a new customer.</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Remove</translation>
    </message>
    <message>
        <source>Undo merge</source>
        <translation>Undo merge</translation>
    </message>
    <message>
        <source>Split %1 off again? Both customers return exactly as they were before the merge, with what each received since through their own identities.</source>
        <translation>Split %1 off again? Both customers return exactly as they were before the merge, with what each received since through their own identities.</translation>
    </message>
    <message>
        <source>Open a conversation or find a customer (Ctrl+K) to see their card and timeline.</source>
        <translation>Open a conversation or find a customer (Ctrl+K) to see their card and timeline.</translation>
    </message>
</context>
<context>
    <name>CustomerSearchDialog</name>
    <message>
        <source>Searching…</source>
        <translation>Searching…</translation>
    </message>
    <message>
        <source>Type a phone in any format, an e-mail, a username or a name.</source>
        <translation>Type a phone in any format, an e-mail, a username or a name.</translation>
    </message>
    <message numerus="yes">
        <source>%n customer(s) found.</source>
        <translation>
            <numerusform>%n customer found.</numerusform>
            <numerusform>%n customers found.</numerusform>
        </translation>
    </message>
    <message>
        <source>Nobody found. You can create a new customer.</source>
        <translation>Nobody found. You can create a new customer.</translation>
    </message>
    <message>
        <source>Find a customer</source>
        <translation>Find a customer</translation>
    </message>
    <message>
        <source>Phone, e-mail, @username or name</source>
        <translation>Phone, e-mail, @username or name</translation>
    </message>
    <message>
        <source>&amp;New customer…</source>
        <translation>&amp;New customer…</translation>
    </message>
    <message>
        <source>&amp;Open</source>
        <translation>&amp;Open</translation>
    </message>
</context>
<context>
    <name>DuplicatePairsModel</name>
    <message>
        <source>Customer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>May be the same as</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Channels</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Match</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Why</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Suggested</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DuplicateReviewDialog</name>
    <message>
        <source>Open %1</source>
        <translation>Open %1</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>Open</translation>
    </message>
    <message>
        <source>No suggested duplicates to review.</source>
        <translation>No suggested duplicates to review.</translation>
    </message>
    <message>
        <source>Suggested duplicates</source>
        <translation>Suggested duplicates</translation>
    </message>
    <message numerus="yes">
        <source>%n pair(s) shown; more load as you scroll.</source>
        <translation>
            <numerusform>%n pair shown; more load as you scroll.</numerusform>
            <numerusform>%n pairs shown; more load as you scroll.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n pair(s) to review.</source>
        <translation>
            <numerusform>%n pair to review.</numerusform>
            <numerusform>%n pairs to review.</numerusform>
        </translation>
    </message>
    <message>
        <source>Pairs of customers who may be one person, the most likely first. Merge a pair (one confirmation, can be undone from the timeline) or mark it as different people.</source>
        <translation>Pairs of customers who may be one person, the most likely first. Merge a pair (one confirmation, can be undone from the timeline) or mark it as different people.</translation>
    </message>
    <message>
        <source>Merge…</source>
        <translation>Merge…</translation>
    </message>
    <message>
        <source>Different people</source>
        <translation>Different people</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Close</translation>
    </message>
</context>
<context>
    <name>InboxPane</name>
    <message>
        <source>Loading…</source>
        <translation>Loading…</translation>
    </message>
    <message>
        <source>No conversations here.</source>
        <translation>No conversations here.</translation>
    </message>
    <message>
        <source>Open and pending</source>
        <translation>Open and pending</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>Open</translation>
    </message>
    <message>
        <source>Pending</source>
        <translation>Pending</translation>
    </message>
    <message>
        <source>Resolved</source>
        <translation>Resolved</translation>
    </message>
    <message>
        <source>All statuses</source>
        <translation>All statuses</translation>
    </message>
    <message>
        <source>Show conversations with this status</source>
        <translation>Show conversations with this status</translation>
    </message>
    <message>
        <source>Status filter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Newest activity first</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Longest waiting first</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Order of the inbox: by last activity, or who has waited longest for an answer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Inbox order</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Any SLA state</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SLA: breaching soon</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SLA: breached</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only the conversations past an SLA warning, or whose promise was already missed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SLA filter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Conversations</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>↑ Back to the newest</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Read the inbox again from its newest conversations</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Back to the newest conversations</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mine</source>
        <translation>Mine</translation>
    </message>
    <message>
        <source>Unassigned</source>
        <translation>Unassigned</translation>
    </message>
    <message>
        <source>All</source>
        <translation>All</translation>
    </message>
    <message>
        <source>Conversations assigned to me</source>
        <translation>Conversations assigned to me</translation>
    </message>
    <message>
        <source>Conversations nobody has taken yet</source>
        <translation>Conversations nobody has taken yet</translation>
    </message>
    <message>
        <source>Every conversation I may see</source>
        <translation>Every conversation I may see</translation>
    </message>
</context>
<context>
    <name>Languages</name>
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
        <source>Polish</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>German</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>French</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Italian</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Spanish</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Czech</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Romanian</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Turkish</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Belarusian</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kazakh</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Georgian</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>LinkIndicator</name>
    <message>
        <source>Online</source>
        <translation>Online</translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>Offline</translation>
    </message>
    <message numerus="yes">
        <source>Offline, retrying in %n s</source>
        <translation>
            <numerusform>Offline, retrying in %n s</numerusform>
            <numerusform>Offline, retrying in %n s</numerusform>
        </translation>
    </message>
    <message>
        <source>Reconnecting…</source>
        <translation>Reconnecting…</translation>
    </message>
    <message numerus="yes">
        <source>Reconnecting in %n s</source>
        <translation>
            <numerusform>Reconnecting in %n s</numerusform>
            <numerusform>Reconnecting in %n s</numerusform>
        </translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>Connecting…</translation>
    </message>
    <message>
        <source>Live updates from the server</source>
        <translation>Live updates from the server</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <source>Sign in to OmniDesk</source>
        <translation>Sign in to OmniDesk</translation>
    </message>
    <message>
        <source>&amp;Server:</source>
        <translation>&amp;Server:</translation>
    </message>
    <message>
        <source>&amp;User name:</source>
        <translation>&amp;User name:</translation>
    </message>
    <message>
        <source>&amp;Password:</source>
        <translation>&amp;Password:</translation>
    </message>
    <message>
        <source>&amp;Remember me on this computer</source>
        <translation>&amp;Remember me on this computer</translation>
    </message>
    <message>
        <source>Signing in…</source>
        <translation>Signing in…</translation>
    </message>
    <message>
        <source>&amp;Sign in</source>
        <translation>&amp;Sign in</translation>
    </message>
    <message>
        <source>Language:</source>
        <translation>Language:</translation>
    </message>
    <message>
        <source>System</source>
        <translation>System</translation>
    </message>
    <message>
        <source>The session is kept in the system keyring (%1).</source>
        <translation>The session is kept in the system keyring (%1).</translation>
    </message>
    <message>
        <source>No secure password storage (keyring) is available on this computer, so OmniDesk cannot remember you and will ask you to sign in each time.</source>
        <translation>No secure password storage (keyring) is available on this computer, so OmniDesk cannot remember you and will ask you to sign in each time.</translation>
    </message>
    <message>
        <source>Please fill in the server, the user name and the password.</source>
        <translation>Please fill in the server, the user name and the password.</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>An internal note needs text: the attached files go with a reply</source>
        <translation>An internal note needs text: the attached files go with a reply</translation>
    </message>
    <message>
        <source>You are offline: the conversation was not taken. Try again when the connection is back.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>You are offline: the conversation was not resolved. Try again when the connection is back.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>You are offline: the conversation was not set to pending. Try again when the connection is back.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>You are offline: the conversation was not reopened. Try again when the connection is back.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>OmniDesk</source>
        <translation>OmniDesk</translation>
    </message>
    <message>
        <source>&amp;Desk</source>
        <translation>&amp;Desk</translation>
    </message>
    <message>
        <source>&amp;Conversation</source>
        <translation>&amp;Conversation</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;View</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Help</translation>
    </message>
    <message>
        <source>Next conversation</source>
        <translation>Next conversation</translation>
    </message>
    <message>
        <source>Previous conversation</source>
        <translation>Previous conversation</translation>
    </message>
    <message>
        <source>Go to the inbox</source>
        <translation>Go to the inbox</translation>
    </message>
    <message>
        <source>Write a reply</source>
        <translation>Write a reply</translation>
    </message>
    <message>
        <source>Send the reply</source>
        <translation>Send the reply</translation>
    </message>
    <message>
        <source>Take the conversation</source>
        <translation>Take the conversation</translation>
    </message>
    <message>
        <source>Resolve the conversation</source>
        <translation>Resolve the conversation</translation>
    </message>
    <message>
        <source>Reopen the conversation</source>
        <translation>Reopen the conversation</translation>
    </message>
    <message>
        <source>Set to pending (waiting on the customer)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show mine</source>
        <translation>Show mine</translation>
    </message>
    <message>
        <source>Show unassigned</source>
        <translation>Show unassigned</translation>
    </message>
    <message>
        <source>Show all</source>
        <translation>Show all</translation>
    </message>
    <message>
        <source>Longest waiting first / newest first</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Refresh the inbox</source>
        <translation>Refresh the inbox</translation>
    </message>
    <message>
        <source>Settings…</source>
        <translation>Settings…</translation>
    </message>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>Keyboard shortcuts</translation>
    </message>
    <message>
        <source>Find a customer…</source>
        <translation>Find a customer…</translation>
    </message>
    <message>
        <source>Suggested duplicates…</source>
        <translation>Suggested duplicates…</translation>
    </message>
    <message>
        <source>Log out</source>
        <translation>Log out</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>Quit</translation>
    </message>
    <message>
        <source>Choose a conversation on the left.

Ctrl+Down and Ctrl+Up move through the inbox, F1 lists all shortcuts.</source>
        <translation>Choose a conversation on the left.

Ctrl+Down and Ctrl+Up move through the inbox, F1 lists all shortcuts.</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>operator</source>
        <translation>operator</translation>
    </message>
    <message>
        <source>supervisor</source>
        <translation>supervisor</translation>
    </message>
    <message>
        <source>administrator</source>
        <translation>administrator</translation>
    </message>
</context>
<context>
    <name>MergeDialog</name>
    <message>
        <source>(empty)</source>
        <translation>(empty)</translation>
    </message>
    <message>
        <source>Keep: %1</source>
        <translation>Keep: %1</translation>
    </message>
    <message>
        <source>Take: %1</source>
        <translation>Take: %1</translation>
    </message>
    <message>
        <source>Both</source>
        <translation>Both</translation>
    </message>
    <message numerus="yes">
        <source>%n identity(ies)</source>
        <translation>
            <numerusform>%n identity</numerusform>
            <numerusform>%n identities</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n conversation(s)</source>
        <translation>
            <numerusform>%n conversation</numerusform>
            <numerusform>%n conversations</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 stays. %2 with %3 and %4 joins it. Values that are not kept stay visible in the profile&apos;s history, and the merge can be undone from the timeline.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Merge customers</source>
        <translation>Merge customers</translation>
    </message>
    <message>
        <source>%1 and %2 look like one person:</source>
        <translation>%1 and %2 look like one person:</translation>
    </message>
    <message>
        <source>Who stays</source>
        <translation>Who stays</translation>
    </message>
    <message>
        <source>Which values stay</source>
        <translation>Which values stay</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Language</translation>
    </message>
    <message>
        <source>Segment</source>
        <translation>Segment</translation>
    </message>
    <message>
        <source>Tags</source>
        <translation>Tags</translation>
    </message>
    <message>
        <source>Attributes</source>
        <translation>Attributes</translation>
    </message>
    <message>
        <source>Merge</source>
        <translation>Merge</translation>
    </message>
</context>
<context>
    <name>Notifier</name>
    <message numerus="yes">
        <source>OmniDesk: %n conversation(s) with unread messages</source>
        <translation>
            <numerusform>OmniDesk: %n conversation with unread messages</numerusform>
            <numerusform>OmniDesk: %n conversations with unread messages</numerusform>
        </translation>
    </message>
    <message>
        <source>New conversation: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 wrote</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>first response</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>next response</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>resolution</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a promise</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SLA missed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The %1 promise was not kept.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SLA soon: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>The %1 is due in %n minute(s).</source>
        <translation>
            <numerusform>The %1 is due in %n minute.</numerusform>
            <numerusform>The %1 is due in %n minutes.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>OfflineBanner</name>
    <message>
        <source>No connection to the server. Replies and notes you send wait on this computer and go out when it is back; other actions need the connection.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Retry now</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Permissions</name>
    <message>
        <source>Your role may not reply to customers.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your role may not take conversations.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your role may not change a conversation&apos;s status.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your role may not edit customers.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your role may not create customers.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your role may not merge customers.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your role may not remove a customer&apos;s identities.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your role may not review duplicates across all customers.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your role may not dismiss duplicate suggestions.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your role may not transfer conversations.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A colleague holds this conversation, and your role may not take it over.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your role may not undo merges.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A colleague made this merge: undoing it needs a supervisor.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your role may not do this.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Settings</source>
        <translation>Settings</translation>
    </message>
    <message>
        <source>&amp;Language:</source>
        <translation>&amp;Language:</translation>
    </message>
    <message>
        <source>System</source>
        <translation>System</translation>
    </message>
    <message>
        <source>&amp;Theme:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Light</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dark</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>High contrast</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Desktop notifications</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Sound</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Quiet hours (no sound):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>For example 22:00-08:00; empty for none</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The language changes at once; dates and numbers follow it.</source>
        <translation>The language changes at once; dates and numbers follow it.</translation>
    </message>
</context>
<context>
    <name>ShortcutsDialog</name>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>Keyboard shortcuts</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>Action</translation>
    </message>
    <message>
        <source>Keys</source>
        <translation>Keys</translation>
    </message>
</context>
<context>
    <name>Texts</name>
    <message>
        <source>Open</source>
        <translation>Open</translation>
    </message>
    <message>
        <source>Pending</source>
        <translation>Pending</translation>
    </message>
    <message>
        <source>Resolved</source>
        <translation>Resolved</translation>
    </message>
    <message>
        <source>API</source>
        <translation>API</translation>
    </message>
    <message>
        <source>VK</source>
        <translation>VK</translation>
    </message>
    <message>
        <source>E-mail</source>
        <translation>E-mail</translation>
    </message>
    <message>
        <source>Web chat</source>
        <translation>Web chat</translation>
    </message>
    <message>
        <source>Web form</source>
        <translation>Web form</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>Phone</translation>
    </message>
    <message>
        <source>Queued</source>
        <translation>Queued</translation>
    </message>
    <message>
        <source>Sent</source>
        <translation>Sent</translation>
    </message>
    <message>
        <source>Delivered</source>
        <translation>Delivered</translation>
    </message>
    <message>
        <source>Read</source>
        <translation>Read</translation>
    </message>
    <message>
        <source>Failed: %1</source>
        <translation>Failed: %1</translation>
    </message>
    <message>
        <source>Waiting for the server</source>
        <translation>Waiting for the server</translation>
    </message>
    <message>
        <source>Not accepted: %1</source>
        <translation>Not accepted: %1</translation>
    </message>
    <message>
        <source>edited</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>deleted by the customer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>deleted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>sent from the platform&apos;s own app</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>now</source>
        <translation>now</translation>
    </message>
    <message>
        <source>yesterday</source>
        <translation>yesterday</translation>
    </message>
    <message>
        <source>Wrong user name or password.</source>
        <translation>Wrong user name or password.</translation>
    </message>
    <message>
        <source>The server&apos;s certificate could not be verified (TLS). Check the address or ask your administrator for a trusted certificate.</source>
        <translation>The server&apos;s certificate could not be verified (TLS). Check the address or ask your administrator for a trusted certificate.</translation>
    </message>
    <message>
        <source>Cannot reach the server %1. Check the address and the network, or try again later.</source>
        <translation>Cannot reach the server %1. Check the address and the network, or try again later.</translation>
    </message>
    <message>
        <source>%1 is already handling this conversation.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A colleague changed this at the same moment. Look at it again and retry if still needed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not saved: %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not saved: check %1 (%2).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>An administrator ended your session. Please sign in again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>You were logged out on the server. Please sign in again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your session has expired. Please sign in again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your password was changed. Please sign in with the new one.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your account was disabled. Ask your administrator.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your role was changed. Please sign in again to work with the new permissions.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server ended your session (%1). Please sign in again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>waits %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Too many attempts. Try again in %n second(s).</source>
        <translation>
            <numerusform>Too many attempts. Try again in %n second.</numerusform>
            <numerusform>Too many attempts. Try again in %n seconds.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n min</source>
        <translation>
            <numerusform>%n min</numerusform>
            <numerusform>%n min</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n h</source>
        <translation>
            <numerusform>%n h</numerusform>
            <numerusform>%n h</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n d</source>
        <translation>
            <numerusform>%n d</numerusform>
            <numerusform>%n d</numerusform>
        </translation>
    </message>
    <message>
        <source>Your session has ended. Please sign in again.</source>
        <translation>Your session has ended. Please sign in again.</translation>
    </message>
    <message>
        <source>Your role does not allow this.</source>
        <translation>Your role does not allow this.</translation>
    </message>
    <message>
        <source>This conversation no longer exists.</source>
        <translation>This conversation no longer exists.</translation>
    </message>
    <message>
        <source>The server did not accept this: %1</source>
        <translation>The server did not accept this: %1</translation>
    </message>
    <message>
        <source>The server failed. Try again later.</source>
        <translation>The server failed. Try again later.</translation>
    </message>
    <message>
        <source>The server answered with an error: %1</source>
        <translation>The server answered with an error: %1</translation>
    </message>
    <message>
        <source>Unexpected error: %1</source>
        <translation>Unexpected error: %1</translation>
    </message>
</context>
<context>
    <name>Timeline</name>
    <message>
        <source>Everything</source>
        <translation>Everything</translation>
    </message>
    <message>
        <source>Messages</source>
        <translation>Messages</translation>
    </message>
    <message>
        <source>Notes and calls</source>
        <translation>Notes and calls</translation>
    </message>
    <message>
        <source>Status changes</source>
        <translation>Status changes</translation>
    </message>
    <message>
        <source>Assignments</source>
        <translation>Assignments</translation>
    </message>
    <message>
        <source>Merges and profile</source>
        <translation>Merges and profile</translation>
    </message>
    <message>
        <source>the system</source>
        <translation>the system</translation>
    </message>
    <message>
        <source>Message from the customer</source>
        <translation>Message from the customer</translation>
    </message>
    <message>
        <source>Reply by %1</source>
        <translation>Reply by %1</translation>
    </message>
    <message>
        <source>Internal note</source>
        <translation>Internal note</translation>
    </message>
    <message>
        <source>Call</source>
        <translation>Call</translation>
    </message>
    <message>
        <source>%1 → %2</source>
        <translation>%1 → %2</translation>
    </message>
    <message>
        <source>Status changed</source>
        <translation>Status changed</translation>
    </message>
    <message>
        <source>Assigned to %1</source>
        <translation>Assigned to %1</translation>
    </message>
    <message>
        <source>Unassigned</source>
        <translation>Unassigned</translation>
    </message>
    <message>
        <source>Merged with %1</source>
        <translation>Merged with %1</translation>
    </message>
    <message>
        <source>by %1 · undone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>by %1 · can be undone</source>
        <translation>by %1 · can be undone</translation>
    </message>
    <message>
        <source>Merge with %1 undone</source>
        <translation>Merge with %1 undone</translation>
    </message>
    <message>
        <source>Waited longer than %1 s: raised to urgent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>waited %1 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Offered to %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Declined by %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Offer to %1 expired</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 s to accept</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rated %1 of 5</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Would recommend: %1 of 10</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Customer created</source>
        <translation>Customer created</translation>
    </message>
    <message>
        <source>Other event: %1</source>
        <translation>Other event: %1</translation>
    </message>
    <message>
        <source>the queue %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Transferred to %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>from %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>by %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TimelinePane</name>
    <message>
        <source>All channels</source>
        <translation>All channels</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>Loading…</translation>
    </message>
    <message>
        <source>Nothing here yet.</source>
        <translation>Nothing here yet.</translation>
    </message>
    <message>
        <source>Timeline</source>
        <translation>Timeline</translation>
    </message>
    <message>
        <source>Show only these kinds of events</source>
        <translation>Show only these kinds of events</translation>
    </message>
    <message>
        <source>Show only this channel</source>
        <translation>Show only this channel</translation>
    </message>
    <message>
        <source>Undo merge…</source>
        <translation>Undo merge…</translation>
    </message>
    <message>
        <source>Split the merged customers again, exactly as they were</source>
        <translation>Split the merged customers again, exactly as they were</translation>
    </message>
</context>
</TS>
