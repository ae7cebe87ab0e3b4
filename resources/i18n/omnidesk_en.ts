<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="en">
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
            <source>The server's certificate could not be verified (TLS). Check the address or ask your administrator for a trusted certificate.</source>
            <translation>The server's certificate could not be verified (TLS). Check the address or ask your administrator for a trusted certificate.</translation>
        </message>
        <message>
            <source>Cannot reach the server %1. Check the address and the network, or try again later.</source>
            <translation>Cannot reach the server %1. Check the address and the network, or try again later.</translation>
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
</TS>
