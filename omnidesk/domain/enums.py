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
    META = "meta"  # Facebook Messenger (a Page)
    INSTAGRAM = "instagram"  # Instagram messaging and comments (a professional account), same Meta connector
    MAX = "max"
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
    DELIVERED = "delivered"  # the platform reports it reached the customer's device (channels with receipts)
    READ = "read"  # the customer has read it
    FAILED = "failed"


class EventType(StrEnum):
    CONVERSATION_CREATED = "conversation.created"
    CONVERSATION_UPDATED = "conversation.updated"
    MESSAGE_CREATED = "message.created"
    MESSAGE_UPDATED = "message.updated"
    # work organisation (issue 11)
    PRESENCE_UPDATED = "presence.updated"  # {"presence": PresenceOut}
    ROUTING_CHANGED = "routing.changed"  # {"rule_id": int | None}
    MENTION_CREATED = "mention.created"  # {"mention": MentionOut}, to the mentioned user only
    SLA_WARNING = "sla.warning"  # a promise is about to be missed (to the assignee; the queue if unassigned)
    SLA_BREACHED = "sla.breached"  # a promise was missed (to the queue and its supervisors)
    CONVERSATION_ACTIVITY = "conversation.activity"  # {"activity": ActivityOut}: who views or types where
    ASSIGNMENT_OFFERED = "assignment.offered"  # {"offer": OfferOut}, to the operator it is offered to
    ASSIGNMENT_OFFER_ENDED = "assignment.offer_ended"  # {"offer": OfferOut} with its outcome, to that operator
