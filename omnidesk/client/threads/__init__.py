"""Comment conversations in the client: the post a comment is under and the explicit choice between a public reply and
a private message. The conversation view places :class:`CommentThreadPanel` above its composer. Reply windows (Meta's
24-hour / 7-day states, WhatsApp's 24 hours) are the conversation's window line (``attachments.panel``), in the words
of the state the server names (domain.reply_window)."""

from omnidesk.client.threads.panel import CommentThreadPanel, ThreadInfo

__all__ = ["CommentThreadPanel", "ThreadInfo"]
