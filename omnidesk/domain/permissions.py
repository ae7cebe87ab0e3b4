"""What each role may do: the one permission rule the server enforces and the client follows.

A permission names an action in the operator's words. Each role has a default set; an installation may grant or
revoke single permissions per role (the server stores those overrides and passes them here). The decision itself is
this pure function, so every endpoint, the client's menus and the tests ask the same question the same way.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from enum import IntEnum, StrEnum

from omnidesk.domain.enums import Role


class Permission(StrEnum):
    # conversations
    CONVERSATION_REPLY = "conversation.reply"
    CONVERSATION_TAKE = "conversation.take"  # take an unassigned conversation (or "take next")
    CONVERSATION_TAKE_FROM_COLLEAGUE = "conversation.take_from_colleague"
    CONVERSATION_ASSIGN_OTHERS = "conversation.assign_others"  # give a conversation to someone else
    CONVERSATION_TRANSFER = "conversation.transfer"  # to a colleague or another queue, with a note
    CONVERSATION_STATUS = "conversation.status"  # resolve, reopen, pending
    CONVERSATION_NOTE = "conversation.note"
    # export and print: a conversation or a customer's history as PDF/HTML, conversations of a period as CSV/JSON
    CONVERSATION_EXPORT = "conversation.export"
    # customers
    CUSTOMER_CREATE = "customer.create"
    CUSTOMER_EDIT = "customer.edit"
    CUSTOMER_IDENTITY_REMOVE = "customer.identity_remove"
    CUSTOMER_MERGE = "customer.merge"
    CUSTOMER_UNMERGE_OWN = "customer.unmerge_own"  # undo a merge one made oneself
    CUSTOMER_UNMERGE_ANY = "customer.unmerge_any"
    DUPLICATE_DISMISS = "duplicate.dismiss"
    DUPLICATE_REVIEW = "duplicate.review"  # the review list across all customers, and a full scan
    # supervision and administration
    QUEUE_VIEW_ALL = "queue.view_all"
    QUEUE_MANAGE = "queue.manage"
    ROUTING_MANAGE = "routing.manage"
    CANNED_SHARED_MANAGE = "canned.shared_manage"
    USER_MANAGE = "user.manage"
    CHANNEL_MANAGE = "channel.manage"
    AUDIT_READ = "audit.read"
    PERMISSION_MANAGE = "permission.manage"
    # compliance (admin workstream): admins only by default
    RETENTION_MANAGE = "retention.manage"  # retention policies, legal holds, running retention
    CUSTOMER_EXPORT = "customer.export"  # a subject access request: everything held on one customer
    CUSTOMER_ERASE = "customer.erase"


_OPERATOR = frozenset(
    {
        Permission.CONVERSATION_REPLY,
        Permission.CONVERSATION_TAKE,
        Permission.CONVERSATION_TRANSFER,
        Permission.CONVERSATION_STATUS,
        Permission.CONVERSATION_NOTE,
        Permission.CUSTOMER_CREATE,
        Permission.CUSTOMER_EDIT,
    }
)
_SUPERVISOR = _OPERATOR | {
    Permission.CONVERSATION_EXPORT,
    Permission.CONVERSATION_TAKE_FROM_COLLEAGUE,
    Permission.CONVERSATION_ASSIGN_OTHERS,
    Permission.CUSTOMER_IDENTITY_REMOVE,
    Permission.CUSTOMER_MERGE,
    Permission.CUSTOMER_UNMERGE_OWN,
    Permission.CUSTOMER_UNMERGE_ANY,
    Permission.DUPLICATE_DISMISS,
    Permission.DUPLICATE_REVIEW,
    Permission.QUEUE_VIEW_ALL,
    Permission.QUEUE_MANAGE,
    Permission.ROUTING_MANAGE,
    Permission.CANNED_SHARED_MANAGE,
}
DEFAULTS: Mapping[Role, frozenset[Permission]] = {
    Role.OPERATOR: _OPERATOR,
    Role.SUPERVISOR: frozenset(_SUPERVISOR),
    Role.ADMIN: frozenset(Permission),
}
# What no override may take from an admin: otherwise an installation could lock itself out of its own settings.
ADMIN_KEEPS = frozenset({Permission.PERMISSION_MANAGE, Permission.USER_MANAGE})


def granted(role: Role, overrides: Mapping[tuple[Role, Permission], bool] | None = None) -> frozenset[Permission]:
    """The permissions of ``role``: its defaults with the installation's overrides (True grants, False revokes)."""
    result = set(DEFAULTS[role])
    for (who, permission), allow in (overrides or {}).items():
        if who != role:
            continue
        if allow:
            result.add(permission)
        elif not (role is Role.ADMIN and permission in ADMIN_KEEPS):
            result.discard(permission)
    return frozenset(result)


def allowed(
    role: Role, permission: Permission, overrides: Mapping[tuple[Role, Permission], bool] | None = None
) -> bool:
    return permission in granted(role, overrides)


class ConversationAccess(IntEnum):
    """How far a user may go in one conversation (ordered: each level includes the ones below)."""

    NONE = 0  # outside their scope: the conversation answers 404, as if absent
    MENTIONED = 1  # a colleague mentioned them in a note: read it (messages, timeline, card) and write notes
    FULL = 2  # their queue, their assignment, or a supervisor: everything their role's permissions allow


def may_unmerge(held: Iterable[Permission | str], merged_by: int | None, user_id: int | None) -> bool:
    """Who may undo a merge: whoever holds customer.unmerge_any, or its author holding customer.unmerge_own (the
    server decides by it; the client offers "Undo merge" by it)."""
    permissions = {str(p) for p in held}
    if Permission.CUSTOMER_UNMERGE_ANY.value in permissions:
        return True
    own = merged_by is not None and user_id is not None and merged_by == user_id
    return own and Permission.CUSTOMER_UNMERGE_OWN.value in permissions


def may_take(held: Iterable[Permission | str], assignee_id: int | None, user_id: int | None) -> bool:
    """Who may take a conversation: customer.take for an unassigned one (or one's own), and
    conversation.take_from_colleague besides when a colleague holds it."""
    permissions = {str(p) for p in held}
    if Permission.CONVERSATION_TAKE.value not in permissions:
        return False
    if assignee_id is None or assignee_id == user_id:
        return True
    return Permission.CONVERSATION_TAKE_FROM_COLLEAGUE.value in permissions


def conversation_access(
    *,
    sees_all_queues: bool,
    user_id: int,
    queue_ids: Collection[int],
    mentioned_in: Collection[int],
    conversation_id: int,
    queue_id: int | None,
    assignee_id: int | None,
) -> ConversationAccess:
    """The one queue-scope rule for a conversation: supervisors and admins see every queue; an operator works the
    queues they belong to and what is assigned to them; a colleague mentioned in one of its notes may read it and add
    notes (issue 11), but replying, taking or changing it still needs the full scope."""
    if sees_all_queues or assignee_id == user_id or (queue_id is not None and queue_id in queue_ids):
        return ConversationAccess.FULL
    if conversation_id in mentioned_in:
        return ConversationAccess.MENTIONED
    return ConversationAccess.NONE


def parse_permissions(values: Iterable[str]) -> list[Permission]:
    """Permissions from their names; ValueError names the first unknown one."""
    out = []
    for value in values:
        try:
            out.append(Permission(value))
        except ValueError:
            raise ValueError(f"unknown permission: {value}") from None
    return out
