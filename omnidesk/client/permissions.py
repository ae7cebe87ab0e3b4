"""What the signed-in user may do, as the client knows it: the list GET /me gives, else the role's defaults.

The decision is the domain's (domain/permissions.py); the client only asks it, so a menu never offers what the
server would refuse. `reason()` is the sentence a disabled action shows as its tooltip.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QCoreApplication

from omnidesk.domain.enums import Role
from omnidesk.domain.permissions import DEFAULTS, ConversationAccess, Permission, conversation_access
from omnidesk.protocol import ConversationOut, UserOut

__all__ = ["effective_permissions", "reason", "works_in"]


def works_in(user: UserOut | None, conversation: ConversationOut) -> bool:
    """Whether the conversation is in the user's full scope (their queues, their own, or a supervisor's): the
    server's rule. Otherwise it is one a colleague mentioned them in: they read it along and write notes only."""
    if user is None:
        return False
    try:
        sees_all = Role(user.role).at_least(Role.SUPERVISOR)
    except ValueError:
        sees_all = False
    access = conversation_access(
        sees_all_queues=sees_all,
        user_id=user.id,
        queue_ids=frozenset(user.queue_ids),
        mentioned_in=(),
        conversation_id=conversation.id,
        queue_id=conversation.queue_id,
        assignee_id=conversation.assignee_id,
    )
    return access is ConversationAccess.FULL


def effective_permissions(user: UserOut | None, listed: Iterable[str] | None = None) -> frozenset[Permission]:
    """The permissions of `user`: the server's list when it sent one (unknown names are ignored), else the
    defaults of the user's role."""
    if user is None:
        return frozenset()
    if listed is not None:
        known = {permission.value: permission for permission in Permission}
        return frozenset(known[name] for name in listed if name in known)
    try:
        return DEFAULTS[Role(user.role)]
    except (KeyError, ValueError):
        return frozenset()


def reason(permission: Permission) -> str:
    """Why an action is not available, in the operator's words."""
    texts = {
        Permission.CONVERSATION_REPLY: QCoreApplication.translate(
            "Permissions", "Your role may not reply to customers."
        ),
        Permission.CONVERSATION_TAKE: QCoreApplication.translate(
            "Permissions", "Your role may not take conversations."
        ),
        Permission.CONVERSATION_STATUS: QCoreApplication.translate(
            "Permissions", "Your role may not change a conversation's status."
        ),
        Permission.CUSTOMER_EDIT: QCoreApplication.translate("Permissions", "Your role may not edit customers."),
        Permission.CUSTOMER_CREATE: QCoreApplication.translate("Permissions", "Your role may not create customers."),
        Permission.CUSTOMER_MERGE: QCoreApplication.translate("Permissions", "Your role may not merge customers."),
        Permission.CUSTOMER_IDENTITY_REMOVE: QCoreApplication.translate(
            "Permissions", "Your role may not remove a customer's identities."
        ),
        Permission.DUPLICATE_REVIEW: QCoreApplication.translate(
            "Permissions", "Your role may not review duplicates across all customers."
        ),
        Permission.DUPLICATE_DISMISS: QCoreApplication.translate(
            "Permissions", "Your role may not dismiss duplicate suggestions."
        ),
        Permission.CONVERSATION_TRANSFER: QCoreApplication.translate(
            "Permissions", "Your role may not transfer conversations."
        ),
        Permission.CONVERSATION_TAKE_FROM_COLLEAGUE: QCoreApplication.translate(
            "Permissions", "A colleague holds this conversation, and your role may not take it over."
        ),
        Permission.CUSTOMER_UNMERGE_OWN: QCoreApplication.translate("Permissions", "Your role may not undo merges."),
        Permission.CUSTOMER_UNMERGE_ANY: QCoreApplication.translate(
            "Permissions", "A colleague made this merge: undoing it needs a supervisor."
        ),
    }
    return texts.get(permission, QCoreApplication.translate("Permissions", "Your role may not do this."))
