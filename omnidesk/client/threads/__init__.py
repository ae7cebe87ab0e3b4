"""Comment conversations and reply windows in the client: the post a comment is under, the explicit choice between a
public reply and a private message, and Meta's 24-hour / 7-day window state. The conversation view places
:class:`CommentThreadPanel` and :class:`ReplyWindowBadge` above its composer."""

from omnidesk.client.threads.panel import CommentThreadPanel, ReplyWindowBadge, ThreadInfo

__all__ = ["CommentThreadPanel", "ReplyWindowBadge", "ThreadInfo"]
