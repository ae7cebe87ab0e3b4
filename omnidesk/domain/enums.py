"""The closed vocabularies shared by server, client and protocol."""

from enum import StrEnum


class Role(StrEnum):
    OPERATOR = "operator"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"

    @property
    def rank(self) -> int:
        return _ROLE_RANK[self]

    def at_least(self, other: "Role") -> bool:
        return self.rank >= other.rank


_ROLE_RANK = {Role.OPERATOR: 1, Role.SUPERVISOR: 2, Role.ADMIN: 3}


class ChannelKind(StrEnum):
    API = "api"
    TELEGRAM = "telegram"
    WHATSAPP = "whatsapp"
    VIBER = "viber"
    VK = "vk"
    META = "meta"
    EMAIL = "email"
    WEBCHAT = "webchat"
    WEBFORM = "webform"
    PHONE = "phone"


class ConversationStatus(StrEnum):
    OPEN = "open"
    PENDING = "pending"
    RESOLVED = "resolved"


class Direction(StrEnum):
    IN = "in"
    OUT = "out"


class MessageKind(StrEnum):
    TEXT = "text"
    NOTE = "note"
    SYSTEM = "system"
    CALL = "call"


class DeliveryStatus(StrEnum):
    """State of an outgoing message on its way to the channel."""

    QUEUED = "queued"
    SENT = "sent"
    FAILED = "failed"


class EventType(StrEnum):
    CONVERSATION_CREATED = "conversation.created"
    CONVERSATION_UPDATED = "conversation.updated"
    MESSAGE_CREATED = "message.created"
    MESSAGE_UPDATED = "message.updated"
