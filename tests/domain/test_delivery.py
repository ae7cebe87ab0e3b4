"""A reply's delivery state only moves forward (omnidesk.domain.delivery): the rule receipts, e-mail reports and the
outbox share."""

from omnidesk.domain.delivery import CONFIRMED, advances, below


def test_receipts_move_a_reply_forward_only():
    assert advances("sent", "delivered") and advances("delivered", "read") and advances(None, "sent")
    assert not advances("read", "delivered")  # a late "delivered" never undoes "read"
    assert not advances("delivered", "delivered")  # a repeat changes nothing
    assert advances("failed", "delivered")  # a failure is outside the order: each path decides about it
    assert below("read") == ["queued", "sent", "delivered"] and below("sent") == ["queued"]
    assert CONFIRMED == {"delivered", "read"}
