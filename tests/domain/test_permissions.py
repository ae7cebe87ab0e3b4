"""The permission rule: role defaults, overrides, and what an admin always keeps."""

from __future__ import annotations

import pytest

from omnidesk.domain.enums import Role
from omnidesk.domain.permissions import (
    ADMIN_KEEPS,
    ConversationAccess,
    Permission,
    allowed,
    conversation_access,
    granted,
    parse_permissions,
)


def test_taking_a_colleagues_conversation_and_unmerging_are_supervisor_actions_by_default():
    for permission in (
        Permission.CONVERSATION_TAKE_FROM_COLLEAGUE,
        Permission.CUSTOMER_UNMERGE_ANY,
        Permission.CUSTOMER_MERGE,
        Permission.DUPLICATE_DISMISS,
        Permission.CUSTOMER_IDENTITY_REMOVE,
    ):
        assert not allowed(Role.OPERATOR, permission)
        assert allowed(Role.SUPERVISOR, permission)
        assert allowed(Role.ADMIN, permission)


def test_roles_are_nested_by_default():
    assert granted(Role.OPERATOR) < granted(Role.SUPERVISOR) < granted(Role.ADMIN)
    assert granted(Role.ADMIN) == frozenset(Permission)


def test_overrides_grant_and_revoke_for_their_role_only():
    overrides = {(Role.OPERATOR, Permission.CUSTOMER_MERGE): True, (Role.SUPERVISOR, Permission.QUEUE_MANAGE): False}
    assert allowed(Role.OPERATOR, Permission.CUSTOMER_MERGE, overrides)
    assert not allowed(Role.SUPERVISOR, Permission.QUEUE_MANAGE, overrides)
    assert allowed(Role.ADMIN, Permission.QUEUE_MANAGE, overrides)


def test_an_admin_cannot_be_locked_out_of_users_and_permissions():
    overrides = {(Role.ADMIN, p): False for p in Permission}
    assert granted(Role.ADMIN, overrides) == ADMIN_KEEPS


def test_unknown_permission_names_are_refused_by_name():
    assert parse_permissions(["customer.merge"]) == [Permission.CUSTOMER_MERGE]
    with pytest.raises(ValueError, match=r"customer\.explode"):
        parse_permissions(["customer.merge", "customer.explode"])


@pytest.mark.parametrize(
    ("sees_all", "queue_id", "assignee_id", "mentioned_in", "expected"),
    [
        (True, 9, None, (), ConversationAccess.FULL),  # a supervisor: every queue
        (False, 1, None, (), ConversationAccess.FULL),  # the operator's queue
        (False, 9, 7, (), ConversationAccess.FULL),  # assigned to them, in another queue
        (False, 9, None, (5,), ConversationAccess.MENTIONED),  # mentioned in a note of conversation 5
        (False, 1, None, (5,), ConversationAccess.FULL),  # a mention never narrows the queue's scope
        (False, 9, None, (6,), ConversationAccess.NONE),  # mentioned elsewhere, not here
        (False, None, None, (), ConversationAccess.NONE),
    ],
)
def test_conversation_access_is_the_queue_scope_widened_by_a_mention(
    sees_all, queue_id, assignee_id, mentioned_in, expected
):
    access = conversation_access(
        sees_all_queues=sees_all,
        user_id=7,
        queue_ids=frozenset({1, 2}),
        mentioned_in=frozenset(mentioned_in),
        conversation_id=5,
        queue_id=queue_id,
        assignee_id=assignee_id,
    )
    assert access is expected
    assert ConversationAccess.NONE < ConversationAccess.MENTIONED < ConversationAccess.FULL
