"""The timeline model under pytest-qt's model tester: paging newest first, filters, live additions without
doubles or gaps, delivery state updates."""

from __future__ import annotations

from omnidesk.client.customers import TimelineQuery
from omnidesk.client.models.timeline import TimelineModel, TimelineRole
from omnidesk.client.tasks import TaskRegistry
from omnidesk.protocol import MessageOut
from tests.client.customer_factories import TimelinePages, timeline_item


def ids(model: TimelineModel) -> list[int]:
    return [model.data(model.index(row, 0), TimelineRole.ID) for row in range(model.rowCount())]


def make(qloop, items, page_size=20):
    pages = TimelinePages(items)
    model = TimelineModel(pages, TaskRegistry(qloop), page_size=page_size)
    return pages, model


def test_timeline_pages_newest_first_as_the_operator_scrolls(qloop, drive, qtmodeltester):
    pages, model = make(qloop, [timeline_item(n) for n in range(1, 46)])
    qtmodeltester.check(model)
    model.open(11)
    drive(lambda: not model.loading)
    assert ids(model) == list(range(45, 25, -1))
    assert model.canFetchMore()
    model.fetchMore()
    drive(lambda: not model.loading)
    model.fetchMore()
    drive(lambda: not model.loading)
    assert ids(model) == list(range(45, 0, -1))
    assert not model.canFetchMore()
    assert len(pages.requests) == 3
    first = model.index(0, 0)
    assert model.data(first, TimelineRole.KIND) == timeline_item(45).kind
    assert model.data(model.index(45 - 41, 0), TimelineRole.MERGE_ID) == 41  # item 41 is a merge


def test_a_filter_by_kind_and_channel_reads_only_matching_items(qloop, drive, qtmodeltester):
    pages, model = make(qloop, [timeline_item(n) for n in range(1, 61)])
    qtmodeltester.check(model)
    model.open(11, TimelineQuery(kinds=["message_in", "message_out"], channel_id=2))
    drive(lambda: not model.loading)
    rows = [model.item_at(row) for row in range(model.rowCount())]
    assert rows and all(item.kind.startswith("message") and item.channel_id == 2 for item in rows)
    model.set_query(TimelineQuery(kinds=["merged"]))
    drive(lambda: not model.loading)
    assert ids(model) == [59, 53, 47, 41, 35, 29, 23, 17, 11, 5]
    assert pages.requests[-1][1] == TimelineQuery(kinds=["merged"])


def test_live_items_are_added_at_the_top_once(qloop, drive, qtmodeltester):
    pages, model = make(qloop, [timeline_item(n) for n in range(1, 31)])
    qtmodeltester.check(model)
    model.open(11)
    drive(lambda: not model.loading)
    inserted: list[tuple[int, int]] = []
    model.rowsInserted.connect(lambda _p, first, last: inserted.append((first, last)))
    pages.add(timeline_item(31))
    pages.add(timeline_item(32))
    model.refresh_head()
    model.refresh_head()  # a burst of events: one read, no doubles
    drive(lambda: ids(model)[:2] == [32, 31])
    drive(lambda: not model.loading)
    assert ids(model)[:4] == [32, 31, 30, 29]
    # (the model tester reads further pages as it checks: the list stays whole and without doubles)
    assert ids(model) == sorted(set(ids(model)), reverse=True)
    assert inserted.count((0, 0)) == 2
    # Another customer's item never shows here.
    pages.add(timeline_item(33, customer_id=12))
    model.refresh_head()
    drive(lambda: len(pages.requests) >= 3)
    drive(lambda: not model.loading)
    assert 33 not in ids(model)


def test_more_news_than_a_page_reads_the_list_again_so_nothing_is_missed(qloop, drive, qtmodeltester):
    pages, model = make(qloop, [timeline_item(n) for n in range(1, 11)], page_size=5)
    qtmodeltester.check(model)
    model.open(11)
    drive(lambda: not model.loading)
    for n in range(11, 21):
        pages.add(timeline_item(n))
    model.refresh_head()
    drive(lambda: ids(model)[:1] == [20])
    drive(lambda: not model.loading)
    assert ids(model) == [20, 19, 18, 17, 16]
    while model.canFetchMore():
        model.fetchMore()
        drive(lambda: not model.loading)
    assert ids(model) == list(range(20, 0, -1))


def test_a_delivery_state_change_repaints_the_message_row(qloop, drive, qtmodeltester):
    _pages, model = make(qloop, [timeline_item(n) for n in range(1, 8)])
    qtmodeltester.check(model)
    model.open(11)
    drive(lambda: not model.loading)
    changed: list[int] = []
    model.dataChanged.connect(lambda first, _last, _roles=(): changed.append(first.row()))
    outgoing = timeline_item(7)  # 7 % 6 == 1: message_out
    message = MessageOut.model_validate({**outgoing.payload["message"], "delivery_status": "sent"})
    model.update_message(message)
    assert changed == [0]
    assert model.item_at(0).payload["message"]["delivery_status"] == "sent"


def test_switching_customer_while_a_page_loads_drops_the_old_page(qloop, drive, qtmodeltester):
    items = [timeline_item(n) for n in range(1, 6)] + [timeline_item(n, customer_id=12) for n in range(6, 9)]
    _pages, model = make(qloop, items)
    qtmodeltester.check(model)
    model.open(11)
    model.open(12)
    drive(lambda: not model.loading)
    assert ids(model) == [8, 7, 6]
    model.open(None)
    assert model.rowCount() == 0 and not model.canFetchMore()
