"""Qt item models over the store: the unified inbox and one conversation's messages."""

from omnidesk.client.models.inbox import InboxFilter, InboxModel
from omnidesk.client.models.messages import MessagesModel

__all__ = ["InboxFilter", "InboxModel", "MessagesModel"]
