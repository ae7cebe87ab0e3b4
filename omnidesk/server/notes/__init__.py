"""Internal notes and @mentions: written in a conversation, never sent to the customer."""
