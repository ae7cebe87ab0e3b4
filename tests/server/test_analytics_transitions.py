"""The channel transitions' daily roll-up (omnidesk.server.analytics.transitions), on SQLite and PostgreSQL: on a
generated history of customers moving between channels at every kind of gap, the roll-up answers what the raw facts
answer for every window of its bands, in a period with partial edge days, with a channel filter; a return counts on
its own day (inside the period), not on the day of the conversation left; a new conversation, a merge moving a
conversation to another customer and a deletion mark the days they change, so a report before the refresh and after
it still equals the facts; other windows and queue or operator filters read the raw facts; a corrupted roll-up is
what the report reads (so the roll-up answers) until a rebuild."""

from __future__ import annotations

import datetime as dt
import random

from sqlalchemy import delete, text, update

from omnidesk.server.admin.models import Channel
from omnidesk.server.analytics import rollup, service
from omnidesk.server.analytics import transitions as moves
from omnidesk.server.conversations.models import Conversation
from omnidesk.server.customers.models import Customer
from omnidesk.server.queues.models import Queue

UTC = dt.UTC
BASE = dt.datetime(2026, 10, 1, tzinfo=UTC)
START = dt.datetime(2026, 10, 3, 9, 30, tzinfo=UTC)  # partial first and last days
END = dt.datetime(2026, 10, 20, 17, 15, tzinfo=UTC)
GAPS_H = (0.2, 0.9, 1.0, 1.5, 3, 7.9, 11, 23, 30, 47.5, 48, 49, 70, 100, 200, 400, 719, 721)


async def _history(api, seed: int = 5) -> dict:
    rng = random.Random(seed)
    async with api.db.session() as session:
        chat = Channel(kind="webchat", name="Chat", token_hash="1" * 64)
        mail = Channel(kind="email", name="Mail", token_hash="2" * 64)
        tg = Channel(kind="telegram", name="Bot", token_hash="3" * 64)
        mail2 = Channel(kind="email", name="Second mailbox", token_hash="4" * 64)
        queue = Queue(name="Cards")
        customers = [Customer(display_name=f"t{i}") for i in range(40)]
        session.add_all([chat, mail, tg, mail2, queue, *customers])
        await session.flush()
        channels = [chat.id, mail.id, tg.id, mail2.id]
        ids = []
        for customer in customers:
            at = BASE + dt.timedelta(hours=rng.uniform(0, 24 * 22))
            for _ in range(rng.randint(1, 4)):
                conv = Conversation(customer_id=customer.id, channel_id=rng.choice(channels), status="open",
                                    queue_id=queue.id if rng.random() < 0.5 else None,
                                    created_at=at, last_message_at=at)  # fmt: skip
                session.add(conv)
                await session.flush()
                ids.append(conv.id)
                at += dt.timedelta(hours=rng.choice(GAPS_H))
        await session.commit()
        return {"channels": channels, "queue": queue.id, "customers": [c.id for c in customers], "ids": ids}


def _f(**kw) -> service.Filters:
    return service.Filters(kw.pop("start", START), kw.pop("end", END), **kw)


async def _both(api, f, hours):
    async with api.db.session() as session:
        return await service.transitions(session, f, hours), await moves.from_facts(session, f, hours)


async def _same_everywhere(api, h) -> None:
    for hours in moves.WITHIN_HOURS:
        for f in (_f(), _f(channel_id=h["channels"][1]), _f(start=BASE, end=END + dt.timedelta(days=30))):
            read, facts = await _both(api, f, hours)
            assert read == facts, (hours, f)


async def test_the_roll_up_answers_what_the_facts_answer_and_keeps_up_with_changes(api):
    h = await _history(api)
    await _same_everywhere(api, h)  # every day dirty: the raw facts answer
    await rollup.refresh(api.db)  # (the server's SLA worker may have refreshed them first: then none are left)
    async with api.db.session() as session:
        assert await session.scalar(text("SELECT count(*) FROM analytics_dirty")) == 0
        assert await session.scalar(text("SELECT sum(n) FROM analytics_transitions")) > 20
    await _same_everywhere(api, h)  # from the roll-up
    read, _facts = await _both(api, _f(), 720)
    assert {(c["source"], c["target"]) for c in read} >= {("webchat", "email"), ("email", "telegram")}
    assert all(c["source"] != c["target"] for c in read)  # two mailboxes are one kind: no transition

    # A return today (customer 0 writes in the bot), a merge (one conversation moves to another customer) and a
    # deletion: each marks the days it changes; before the refresh the report still equals the facts, and after it.
    async with api.db.session() as session:
        first = await session.get(Conversation, h["ids"][0])
        session.add(Conversation(customer_id=first.customer_id, channel_id=h["channels"][2], status="open",
                                 created_at=first.created_at + dt.timedelta(hours=5),
                                 last_message_at=first.created_at))  # fmt: skip
        await session.execute(
            update(Conversation).where(Conversation.id == h["ids"][5]).values(customer_id=h["customers"][-1])
        )
        await session.execute(delete(Conversation).where(Conversation.id == h["ids"][9]))
        await session.commit()
        assert await session.scalar(text("SELECT count(*) FROM analytics_dirty")) > 0
    await _same_everywhere(api, h)
    await rollup.refresh(api.db)
    await _same_everywhere(api, h)


async def test_a_return_counts_on_its_own_day_and_other_windows_and_filters_read_the_facts(api):
    async with api.db.session() as session:
        chat = Channel(kind="webchat", name="Chat", token_hash="5" * 64)
        mail = Channel(kind="email", name="Mail", token_hash="6" * 64)
        queue = Queue(name="VIP")
        left_before, left_inside = Customer(display_name="a"), Customer(display_name="b")
        session.add_all([chat, mail, queue, left_before, left_inside])
        await session.flush()
        rows = [  # (customer, channel, queue, created)
            (left_before, chat, queue, START - dt.timedelta(hours=10)),  # left before the period...
            (left_before, mail, None, START + dt.timedelta(hours=20)),  # ...came back inside it: counted (30 h)
            (left_inside, chat, None, END - dt.timedelta(hours=3)),  # left inside...
            (left_inside, mail, None, END + dt.timedelta(hours=2)),  # ...came back after it: not counted
        ]
        for customer, channel, in_queue, at in rows:
            session.add(Conversation(customer_id=customer.id, channel_id=channel.id, status="open",
                                     queue_id=in_queue.id if in_queue else None, created_at=at,
                                     last_message_at=at))  # fmt: skip
        await session.commit()
        queue_id = queue.id
    await rollup.refresh(api.db)
    one = [{"source": "webchat", "target": "email", "n": 1}]
    for hours, expected in ((48, one), (24, []), (30, one), (29, [])):  # 30 and 29: not bands, the raw facts
        read, facts = await _both(api, _f(), hours)
        assert read == facts == expected, hours
    for f in (_f(queue_id=queue_id), _f(operator_id=12345)):  # filters on the conversation left: raw facts
        read, facts = await _both(api, f, 48)
        assert read == facts
    assert (await _both(api, _f(queue_id=queue_id), 48))[0] == one

    # The roll-up is what answers for a band: corrupt it and the report follows; a rebuild repairs it.
    async with api.db.session() as session:
        await session.execute(text("UPDATE analytics_transitions SET n = n + 100"))
        await session.commit()
    read, facts = await _both(api, _f(), 48)
    assert read == [{"source": "webchat", "target": "email", "n": 101}] and facts == one
    await rollup.rebuild_all(api.db)
    assert (await _both(api, _f(), 48))[0] == one
