"""The inbox and message models under pytest-qt's model tester, fed through the store."""

from __future__ import annotations

from datetime import timedelta

from omnidesk.client.models import InboxFilter, InboxModel, MessagesModel
from omnidesk.client.models.inbox import InboxRole
from omnidesk.client.models.messages import WAITING, MessageRole
from omnidesk.client.outbox import PendingReply
from omnidesk.client.store import Store
from omnidesk.client.tasks import TaskRegistry
from omnidesk.domain.enums import ConversationStatus, DeliveryStatus, Direction, EventType
from omnidesk.protocol import ConversationOut, Event, Page, UserOut
from tests.client.client_factories import T0, ConversationPages, MessagePages, conversation, message
from tests.sse import StreamReader

ME = UserOut(id=7, username="olena", display_name="Olena", role="operator")


def ids(model: InboxModel) -> list[int]:
    return [model.data(model.index(row, 0), InboxRole.ID) for row in range(model.rowCount())]


def make_inbox(qloop, items, page_size=20, chosen=None, **options):
    store = Store()
    store.set_user(ME)
    pages = ConversationPages(items, page_size)

    async def source(chosen, cursor, limit):  # as the workspace does: the store keeps the freshest of each row
        page = await pages(chosen, cursor, limit)
        return page.model_copy(update={"items": store.note_conversations(page.items)})

    model = InboxModel(store, source, TaskRegistry(qloop), **options)
    return store, pages, model


def page_to_end(model, drive) -> int:
    pages = 0
    while model.canFetchMore():
        model.fetchMore()
        drive(lambda: not model.loading)
        pages += 1
    return pages


def test_a_deep_inbox_holds_a_window_and_reads_let_go_pages_again(qloop, drive, qtmodeltester):
    """Paging to the end of 5,000 conversations the model holds at most its window (here 1,000 rows): pages at the
    top are let go and the store forgets them; scrolling back up reads them again, letting go at the bottom; the
    list read that way, up and down, is the whole list in order, each conversation once."""
    items = [conversation(n, unread_count=1 if n % 500 == 0 else 0) for n in range(1, 5001)]
    store, _pages, model = make_inbox(qloop, items, page_size=None, window=1000)
    qtmodeltester.check(model)
    shifts: list[int] = []
    model.windowShifted.connect(shifts.append)
    model.set_filter(InboxFilter(statuses=()))
    drive(lambda: not model.loading)
    assert model.at_start and not model.can_fetch_earlier()
    page_to_end(model, drive)
    held = ids(model)
    assert len(held) <= 1000 and held[-1] == 1 and held == sorted(held, reverse=True)
    assert held == list(range(held[0], 0, -1))  # no gap: what is held is one stretch of the list
    assert not model.at_start and model.can_fetch_earlier() and sum(shifts) == -(5000 - len(held))
    assert 0 < len(store.conversations) <= 1000  # the store let go of them too
    assert len(store.unread) == 10  # though the unread count still knows every unread conversation seen

    seen = list(held)
    while model.can_fetch_earlier():
        first = ids(model)[0]
        model.fetch_earlier()
        drive(lambda: not model.loading)
        now = ids(model)
        assert now == sorted(now, reverse=True) and now == list(range(now[0], now[-1] - 1, -1))
        assert len(now) <= 1000 and now[0] > first and first in now
        seen[:0] = [n for n in now if n > seen[0]]
    assert model.at_start and ids(model)[0] == 5000 and seen == list(range(5000, 0, -1))
    assert model.canFetchMore()  # the bottom was let go: it reads on from there
    assert len(store.conversations) <= 1000 + 200


def test_live_changes_beside_a_window(qloop, drive, qtmodeltester):
    """With the top let go, new activity (which sorts at the top) leaves the rows held and waits for the operator
    to scroll back up, where it is read in its place; a change inside the window repaints there."""
    items = [conversation(n) for n in range(1, 2001)]
    store, _, model = make_inbox(qloop, items, page_size=None, window=600)
    qtmodeltester.check(model)
    model.set_filter(InboxFilter(statuses=()))
    drive(lambda: not model.loading)
    page_to_end(model, drive)
    held = ids(model)
    middle = held[len(held) // 2]
    store.put_conversation(conversation(middle, last_message_preview="changed"))
    assert model.data(model.index(model.row_of(middle), 0), InboxRole.PREVIEW) == "changed"
    moved = conversation(middle, minutes=5000)  # newest activity of all: it belongs above the window
    items[middle - 1] = moved
    store.put_conversation(moved)
    assert middle not in ids(model)
    store.put_conversation(conversation(9999, minutes=6000))  # a new conversation, also at the very top
    items.append(conversation(9999, minutes=6000))
    assert 9999 not in ids(model)
    while model.can_fetch_earlier():
        model.fetch_earlier()
        drive(lambda: not model.loading)
    assert ids(model)[:3] == [9999, middle, 2000]
    assert len(ids(model)) == len(set(ids(model)))


def test_the_open_conversation_and_mine_are_not_forgotten(qloop, drive):
    items = [conversation(n, assignee_id=7 if n == 10 else None) for n in range(1, 1501)]
    store, _, model = make_inbox(qloop, items, page_size=None, window=400)
    store.pinned.add(1400)
    model.set_filter(InboxFilter(statuses=()))
    drive(lambda: not model.loading)
    page_to_end(model, drive)
    assert 1400 not in ids(model) and store.conversation(1400) is not None  # open: kept
    assert store.conversation(1300) is None  # let go with its page
    model.reload()
    drive(lambda: not model.loading)
    assert store.conversation(10) is not None  # mine: a notification names its customer


def test_inbox_pages_in_newest_first_and_fetches_more_on_demand(qloop, drive, qtmodeltester):
    _store, pages, model = make_inbox(qloop, [conversation(n) for n in range(1, 46)])
    qtmodeltester.check(model)
    model.set_filter(InboxFilter(statuses=()))
    drive(lambda: not model.loading)
    assert ids(model) == list(range(45, 25, -1))
    assert model.canFetchMore()
    model.fetchMore()
    drive(lambda: not model.loading)
    model.fetchMore()
    drive(lambda: not model.loading)
    assert ids(model) == list(range(45, 0, -1))
    assert not model.canFetchMore()
    assert pages.requests == 3
    first = model.index(0, 0)
    assert model.data(first) == "Customer 45"
    assert model.data(first, InboxRole.CHANNEL_KIND) == conversation(45).channel.kind.value


def test_inbox_pages_grow_deeper_in_a_long_list(qloop, drive):
    """50 rows first, then a fifth of what is loaded per page up to the server's 200: paging through a long list
    costs a few hundred relayouts of the view, not one per 50 rows."""
    _store, pages, model = make_inbox(qloop, [conversation(n) for n in range(1, 3001)], page_size=None)
    model.set_filter(InboxFilter(statuses=()))
    drive(lambda: not model.loading)
    while model.canFetchMore():
        model.fetchMore()
        drive(lambda: not model.loading)
    assert model.rowCount() == 3000 and ids(model)[:2] == [3000, 2999] and ids(model)[-1] == 1
    assert pages.limits[:6] == [50, 50, 50, 50, 50, 50] and max(pages.limits) == 200
    assert pages.limits == sorted(pages.limits)  # never smaller again as the list grows
    assert pages.requests < 3000 // 50 / 2  # fewer than half the requests of fixed 50-row pages


def test_new_activity_moves_a_conversation_to_the_top_and_updates_it(qloop, drive, qtmodeltester):
    store, _, model = make_inbox(qloop, [conversation(n) for n in range(1, 11)])
    qtmodeltester.check(model)
    model.set_filter(InboxFilter(statuses=()))
    drive(lambda: not model.loading)
    moved: list[tuple[int, int]] = []
    model.rowsMoved.connect(lambda _p, start, _e, _d, row: moved.append((start, row)))
    store.put_conversation(conversation(3, minutes=100, last_message_preview="Where is my card?", unread_count=4))
    assert ids(model)[:3] == [3, 10, 9]
    assert moved == [(7, 0)]
    top = model.index(0, 0)
    assert model.data(top, InboxRole.PREVIEW) == "Where is my card?"
    assert model.data(top, InboxRole.UNREAD) == 4

    changed: list[int] = []
    model.dataChanged.connect(lambda first, last, roles=(): changed.append(first.row()))
    store.put_conversation(conversation(3, minutes=100, unread_count=0))
    assert changed == [0] and ids(model)[0] == 3


def test_a_new_conversation_is_inserted_in_place_and_a_filtered_out_one_leaves(qloop, drive, qtmodeltester):
    store, _, model = make_inbox(qloop, [conversation(n) for n in range(1, 6)])
    qtmodeltester.check(model)
    model.set_filter(InboxFilter(statuses=(ConversationStatus.OPEN,), assignee="all"))
    drive(lambda: not model.loading)
    store.put_conversation(conversation(50, minutes=3.5))
    assert ids(model) == [5, 4, 50, 3, 2, 1]
    store.put_conversation(conversation(4, status=ConversationStatus.RESOLVED))
    assert ids(model) == [5, 50, 3, 2, 1]


def test_mine_filter_follows_assignment(qloop, drive, qtmodeltester):
    items = [conversation(n, assignee_id=7 if n % 2 else None) for n in range(1, 7)]
    store, _, model = make_inbox(qloop, items)
    qtmodeltester.check(model)
    model.set_filter(InboxFilter(statuses=(), assignee="me"))
    drive(lambda: not model.loading)
    assert ids(model) == [5, 3, 1]
    store.put_conversation(conversation(6, assignee_id=7))
    assert ids(model) == [6, 5, 3, 1]
    store.put_conversation(conversation(3, assignee_id=8))
    assert ids(model) == [6, 5, 1]


def test_an_older_conversation_beyond_the_loaded_pages_waits_for_its_page(qloop, drive, qtmodeltester):
    store, _, model = make_inbox(qloop, [conversation(n) for n in range(10, 50)], page_size=10)
    qtmodeltester.check(model)
    model.set_filter(InboxFilter(statuses=()))
    drive(lambda: not model.loading)
    store.put_conversation(conversation(5, minutes=5))  # older than all ten loaded rows
    assert 5 not in ids(model)
    assert model.canFetchMore()


def test_changes_arriving_during_a_page_load_are_applied_after_it(qloop, drive, qtmodeltester):
    store, _, model = make_inbox(qloop, [conversation(n) for n in range(1, 6)])
    qtmodeltester.check(model)
    model.set_filter(InboxFilter(statuses=()))
    assert model.loading
    store.put_conversation(conversation(99, minutes=99))
    drive(lambda: not model.loading)
    assert ids(model) == [99, 5, 4, 3, 2, 1]


def make_history(qloop, items, pending=()):
    store = Store()
    store.set_user(ME)
    model = MessagesModel(store, MessagePages(items), lambda _cid: list(pending), TaskRegistry(qloop))
    return store, model


def texts(model: MessagesModel) -> list[str]:
    return [model.data(model.index(row, 0)) for row in range(model.rowCount())]


def test_history_opens_on_the_newest_page_and_prepends_older_ones(qloop, drive, qtmodeltester):
    _store, model = make_history(qloop, [message(n) for n in range(1, 56)])
    qtmodeltester.check(model)
    model.open(1)
    drive(lambda: not model.loading)
    assert model.rowCount() == 20
    assert model.data(model.index(19, 0), MessageRole.KEY) == "m:55"
    assert model.can_fetch_older()
    inserted: list[tuple[int, int]] = []
    model.rowsInserted.connect(lambda _p, first, last: inserted.append((first, last)))
    model.fetch_older()
    drive(lambda: not model.loading)
    model.fetch_older()
    drive(lambda: not model.loading)
    assert inserted == [(0, 19), (0, 14)]
    keys = [model.data(model.index(row, 0), MessageRole.KEY) for row in range(model.rowCount())]
    assert keys == [f"m:{n}" for n in range(1, 56)]
    assert not model.can_fetch_older()
    assert not model.canFetchMore()


def test_live_messages_append_and_delivery_changes_repaint(qloop, drive, qtmodeltester):
    items = [message(n) for n in range(1, 6)]
    items[3] = message(4, delivery_status=DeliveryStatus.QUEUED)
    store, model = make_history(qloop, items)
    qtmodeltester.check(model)
    model.open(1)
    drive(lambda: not model.loading)
    store.put_message(message(6, text="New question"), created=True)
    store.put_message(message(7, conversation_id=2), created=True)  # another conversation
    store.put_message(message(6, text="New question"), created=True)  # the same event again
    assert model.rowCount() == 6 and texts(model)[-1] == "New question"
    changed: list[int] = []
    model.dataChanged.connect(lambda first, last, roles=(): changed.append(first.row()))
    failed = message(4, delivery_status=DeliveryStatus.FAILED, delivery_error="channel timeout")
    store.put_message(failed, created=False)
    assert changed == [3]
    assert model.data(model.index(3, 0), MessageRole.DELIVERY) == "failed"
    assert model.data(model.index(3, 0), MessageRole.DELIVERY_ERROR) == "channel timeout"


def test_a_waiting_reply_becomes_the_servers_message_in_place(qloop, drive, qtmodeltester):
    later = (T0 + timedelta(hours=1)).isoformat()
    waiting = PendingReply("od-1", "http://desk", 7, 1, "Ready tomorrow", created_at=later)
    store, model = make_history(qloop, [message(n) for n in range(1, 4)], pending=[waiting])
    qtmodeltester.check(model)
    model.open(1)
    drive(lambda: not model.loading)
    assert model.rowCount() == 4
    last = model.index(3, 0)
    assert model.data(last, MessageRole.DELIVERY) == WAITING
    assert model.data(last, MessageRole.DIRECTION) == "out"
    store.put_message(
        message(
            4, direction=Direction.OUT, text="Ready tomorrow", client_key="od-1", delivery_status=DeliveryStatus.QUEUED
        ),
        created=True,
    )
    assert model.rowCount() == 4
    assert model.data(model.index(3, 0), MessageRole.KEY) == "m:4"
    sent = message(
        4, direction=Direction.OUT, text="Ready tomorrow", client_key="od-1", delivery_status=DeliveryStatus.SENT
    )
    store.put_message(sent, created=False)
    late_ack = message(
        4, direction=Direction.OUT, text="Ready tomorrow", client_key="od-1", delivery_status=DeliveryStatus.QUEUED
    )
    store.put_message(late_ack, created=True)  # the POST's answer arriving after the "sent" event
    assert model.data(model.index(3, 0), MessageRole.DELIVERY) == "sent"


def test_the_store_keeps_what_rows_share_once_and_the_rows_read_the_same():
    """A long inbox costs one object per row: rows of one channel share its ChannelOut and pydantic's fields record;
    what each row says (its dump) is unchanged, and a changed copy of one row leaves the others alone."""
    import tracemalloc

    store = Store()
    from tests.client.client_factories import KINDS

    same_channel = [conversation(n) for n in (2, 2 + len(KINDS), 2 + 2 * len(KINDS))]  # one channel
    dumps = [c.model_dump() for c in same_channel]
    store.note_conversations(same_channel)
    kept = [store.conversation(c.id) for c in same_channel]
    assert kept[0].channel is kept[1].channel is kept[2].channel
    assert kept[0].__pydantic_fields_set__ is kept[1].__pydantic_fields_set__
    assert [c.model_dump() for c in kept] == dumps
    changed = kept[0].model_copy(update={"unread_count": 9})
    store.put_conversation(changed)
    assert store.conversation(kept[0].id).unread_count == 9
    assert store.conversation(kept[1].id).unread_count == kept[1].unread_count
    assert [c.model_dump() for c in kept[1:]] == dumps[1:]

    def cost(compact: bool) -> float:
        s = Store()
        if not compact:
            s._compact = lambda c: None
        tracemalloc.start()
        before = tracemalloc.take_snapshot()
        s.note_conversations([conversation(n) for n in range(3000)])
        after = tracemalloc.take_snapshot()
        tracemalloc.stop()
        return sum(d.size_diff for d in after.compare_to(before, "filename"))

    assert cost(compact=True) < 0.7 * cost(compact=False)


def updated(conversation) -> Event:
    """The ``conversation.updated`` event the server would send with this copy of the conversation."""
    payload = {"conversation": conversation.model_dump(mode="json")}
    return Event(id=1, type=EventType.CONVERSATION_UPDATED, at=T0, payload=payload)


def test_the_store_keeps_the_freshest_copy_of_a_conversation():
    """Issue 12: a copy with a lower revision than the one held (an event sequenced after the page it predates, a
    page read before an event) changes nothing and announces nothing; the same or a higher revision is kept."""
    store = Store()
    store.set_user(ME)
    announced = []
    store.conversationChanged.connect(announced.append)
    page = store.note_conversations([conversation(1, revision=5, last_message_preview="the page's", unread_count=0)])
    assert page[0].last_message_preview == "the page's"
    store.apply_event(updated(conversation(1, revision=4, last_message_preview="older", unread_count=2)))
    held = store.conversation(1)
    assert held.revision == 5 and held.last_message_preview == "the page's" and 1 not in store.unread
    assert announced == []
    assert not store.put_conversation(conversation(1, revision=3, last_message_preview="an older answer"))
    # A page read before the change the store holds gives the held copy back in its place.
    later = store.note_conversations([conversation(2, revision=1), conversation(1, revision=2)])
    assert [c.id for c in later] == [2, 1] and later[1] is held
    store.apply_event(updated(conversation(1, revision=5, last_message_preview="the same revision")))
    store.apply_event(updated(conversation(1, revision=6, last_message_preview="newer")))
    assert [c.last_message_preview for c in announced] == ["the same revision", "newer"]
    assert store.conversation(1).revision == 6


def test_an_older_event_that_came_while_the_page_was_read_does_not_overwrite_its_row(qloop, drive):
    """Issue 12, as seen in the inbox: while the first page is on its way, an event about one of its rows arrives
    carrying an older state than the page (the model defers it until the page is in); the row shows the page's
    state. An event newer than the page wins over it the same way."""
    items = [conversation(n, revision=7, last_message_preview=f"page {n}") for n in range(1, 6)]
    store = Store()
    store.set_user(ME)
    pages = ConversationPages(items, page_size=None)

    async def source(chosen, cursor, limit):
        store.apply_event(updated(conversation(3, revision=6, last_message_preview="older event")))
        store.apply_event(updated(conversation(4, revision=8, last_message_preview="newer event")))
        page = await pages(chosen, cursor, limit)
        return page.model_copy(update={"items": store.note_conversations(page.items)})

    model = InboxModel(store, source, TaskRegistry(qloop))
    model.set_filter(InboxFilter(statuses=()))
    drive(lambda: not model.loading and model.rowCount() == 5)

    def preview(number: int) -> str:
        return model.data(model.index(model.row_of(number), 0), InboxRole.PREVIEW)

    assert preview(3) == "page 3" and store.conversation(3).revision == 7
    assert preview(4) == "newer event" and store.conversation(4).revision == 8
    assert [preview(n) for n in (1, 2, 5)] == ["page 1", "page 2", "page 5"]


async def test_events_from_a_real_server_older_than_its_page_change_nothing_in_the_store(api):
    """Issue 12 against a real server (both databases; on PostgreSQL the inbound messages take the group commit):
    the page read after four changes, then the stream's events of those changes arriving late (the oldest state
    first), as a stream that resumed from before the page would deliver them. The store keeps the page's state (the
    older ones change nothing) until a change newer than the page comes."""
    channel_id, token = await api.channel()
    headers = await api.headers_for("lead", "supervisor")
    head = (await api.client.get("/api/v1/events/head", headers=headers)).json()["last_event_id"]
    conversation_id = (await api.inbound(channel_id, token, "m-1", text="Добрий день")).json()["conversation_id"]
    url = f"/api/v1/conversations/{conversation_id}"
    assert (await api.inbound(channel_id, token, "m-2", text="Картка не працює")).status_code == 201
    assert (await api.client.post(f"{url}/assign", headers=headers)).status_code == 200
    assert (await api.client.post(f"{url}/status", json={"status": "pending"}, headers=headers)).status_code == 200
    r = await api.client.get("/api/v1/conversations", params={"status": ["open", "pending"]}, headers=headers)
    page = Page[ConversationOut].model_validate(r.json())
    store = Store()
    store.set_user(ME)
    announced = []
    store.conversationChanged.connect(announced.append)
    (held,) = store.note_conversations(page.items)
    assert held.status == ConversationStatus.PENDING and held.assignee_name == "lead"

    def states(events: list[dict]) -> list[str]:  # the conversation's states the events carry, in their order
        kinds = ("conversation.created", "conversation.updated")
        return [e["payload"]["conversation"]["status"] for e in events if e["type"] in kinds]

    async with StreamReader(api.url, headers, after=head) as stream:
        late = list(await stream.wait_for(lambda events: "pending" in states(events)))
        assert len(states(late)) == 4  # opened, a second message, taken, pending
        for event in late:
            store.apply_event(Event.model_validate(event))
        # The three older states change nothing; the last event is the page's own state (its revision), taken again.
        assert [c.revision for c in announced] == [held.revision]
        kept = store.conversation(conversation_id)
        assert kept.status == ConversationStatus.PENDING and kept.assignee_name == "lead" and kept.unread_count == 2
        assert (await api.client.post(f"{url}/status", json={"status": "open"}, headers=headers)).status_code == 200
        events = await stream.wait_for(lambda events: states(events)[-1:] == ["open"])
        for event in events[len(late) :]:
            store.apply_event(Event.model_validate(event))
    assert [c.status for c in announced] == [ConversationStatus.PENDING, ConversationStatus.OPEN]
    assert store.conversation(conversation_id).revision > held.revision
