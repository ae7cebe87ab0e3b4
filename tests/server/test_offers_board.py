"""Offers on the supervisor board and in "take next" (issue 11, items 4 and 10), and the decline cooldown per queue.

The board shows per queue how many waiting conversations are offered, in the waiting list to whom and since when,
per operator their pending offer, live from the offer events. "Take next" follows domain.routing.choose_next: a
conversation offered to a colleague is skipped while anything else waits, taken only when nothing else does (its
offer then ends at once), on every path (SQLite, PostgreSQL by probes and by one sorted query) and against a
concurrent accept. Who declined is offered the conversation again only after the queue's ``offer_cooldown_s``."""

from __future__ import annotations

import asyncio
import datetime as dt

from sqlalchemy import select, update

from omnidesk.client.workorg.board_state import BoardState
from omnidesk.domain import routing
from omnidesk.protocol import ConversationEventPayload, Event
from omnidesk.protocol.workorg import Board, OfferOut
from omnidesk.server.conversations.models import Conversation
from omnidesk.server.presence import service
from omnidesk.server.presence.models import AssignmentOffer
from omnidesk.server.presence.service import Assigner
from tests.server.customer_helpers import add_queue
from tests.sse import StreamReader, of_type


async def _desk(api, *, online=("ann",), away=("ben",), timeout=60, cooldown=None):
    """A push queue with offers; only ``online`` members are offered work (``away`` ones still take next)."""
    queue = await add_queue(api, "Offers")
    sup = await api.headers_for("sup", "supervisor")
    ops, ids = {}, {}
    for name in (*online, *away):
        ops[name] = await api.headers_for(name, queue_ids=[queue])
        ids[name] = (await api.client.get("/api/v1/me", headers=ops[name])).json()["id"]
        status = "online" if name in online else "away"
        assert (await api.client.put("/api/v1/presence", json={"status": status}, headers=ops[name])).is_success
    settings = {"auto_assign": True, "offer_timeout_s": timeout}
    if cooldown is not None:
        settings["offer_cooldown_s"] = cooldown
    r = await api.client.patch(f"/api/v1/queues/{queue}", json=settings, headers=sup)
    assert r.status_code == 200, r.text
    channel_id, token = await api.channel("Offers site", queue_id=queue)
    return queue, sup, ops, ids, channel_id, token


async def _pending(api, conversation_id):
    async with api.db.session() as session:
        return (
            await session.execute(
                select(AssignmentOffer.id, AssignmentOffer.user_id).where(
                    AssignmentOffer.conversation_id == conversation_id, AssignmentOffer.outcome.is_(None)
                )
            )
        ).all()


async def _offered(api, conversation_id):
    """The conversation's pending offer, once an assigner pass made it (ours, or the server's own)."""
    for _ in range(100):
        await Assigner(api.db).run_once()
        rows = await _pending(api, conversation_id)
        if rows:
            return rows[0]
        await asyncio.sleep(0.05)
    raise AssertionError(f"conversation {conversation_id} was never offered")


async def _push(api, sup, queue, on: bool):
    r = await api.client.patch(f"/api/v1/queues/{queue}", json={"auto_assign": on}, headers=sup)
    assert r.status_code == 200, r.text


async def _outcome(api, offer_id):
    async with api.db.session() as session:
        return await session.scalar(select(AssignmentOffer.outcome).where(AssignmentOffer.id == offer_id))


# --- the board ------------------------------------------------------------------------------------------------------


async def test_the_board_shows_to_whom_a_waiting_conversation_is_offered_and_since_when_live_from_events(api):
    queue, sup, ops, ids, channel_id, token = await _desk(api)
    client_state = BoardState()
    client_state.load(Board.model_validate((await api.client.get("/api/v1/board", headers=ops["ben"])).json()))
    head = (await api.client.get("/api/v1/events/head", headers=ops["ben"])).json()["last_event_id"]
    async with StreamReader(api.url, ops["ben"], after=head) as stream:  # a colleague's read-only queue board
        first = (await api.inbound(channel_id, token, "ob-1", "+380501110001", "Де картка?", name="Ірина")).json()
        offer = await _offered(api, first["conversation_id"])
        assert offer.user_id == ids["ann"]
        await stream.wait_for(lambda ev: of_type(ev, "assignment.offered"), timeout=10)
        for ev in stream.events:
            event = Event.model_validate(ev)
            if ev["type"] in ("conversation.created", "conversation.updated"):
                client_state.apply_conversation(ConversationEventPayload.model_validate(event.payload).conversation)
            elif ev["type"] == "assignment.offered":
                client_state.apply_offer(OfferOut.model_validate(event.payload["offer"]))

    for headers in (sup, ops["ben"]):  # the supervisor's board and the queue's own
        board = Board.model_validate((await api.client.get("/api/v1/board", headers=headers)).json())
        tile = next(t for t in board.queues if t.queue_id == queue)
        assert tile.waiting == 1 and tile.offered == 1
        item = next(w for w in board.waiting if w.conversation_id == first["conversation_id"])
        assert item.offer is not None and item.offer.user_id == ids["ann"] and item.offer.user_name == "ann"
        assert abs((item.offer.offered_at - board.at).total_seconds()) < 30
        ann = next(o for o in board.operators if o.user_id == ids["ann"])
        assert [o.conversation_id for o in ann.offers] == [first["conversation_id"]]
        assert next(o for o in board.operators if o.user_id == ids["ben"]).offers == []
        assert [o.id for o in board.offers] == [offer.id]

    # The client's state, kept by the events alone (no second GET), says the same.
    live = next(f for f in client_state.figures(dt.datetime.now(dt.UTC)) if f.queue_id == queue)
    assert live.waiting == 1 and live.offered == 1
    (listed,) = client_state.waiting_list()
    assert listed.offer is not None and listed.offer.user_name == "ann" and listed.offer.id == offer.id
    assert [o.conversation_id for o in client_state.offers_to(ids["ann"])] == [first["conversation_id"]]

    # Ann declines: the offer's end reaches the board; the conversation waits, offered to nobody (Ben is away).
    head = (await api.client.get("/api/v1/events/head", headers=sup)).json()["last_event_id"]
    async with StreamReader(api.url, sup, after=head) as stream:
        assert (await api.client.post(f"/api/v1/offers/{offer.id}/decline", headers=ops["ann"])).status_code == 200
        await stream.wait_for(lambda ev: of_type(ev, "assignment.offer_ended"), timeout=10)
    ended = OfferOut.model_validate(of_type(stream.events, "assignment.offer_ended")[0]["payload"]["offer"])
    assert ended.outcome == "declined" and ended.user_id == ids["ann"]
    assert client_state.apply_offer(ended) == ({queue}, {ids["ann"]})
    assert next(f for f in client_state.figures(dt.datetime.now(dt.UTC)) if f.queue_id == queue).offered == 0
    assert client_state.waiting_list()[0].offer is None and client_state.offers_to(ids["ann"]) == []
    board = (await api.client.get("/api/v1/board", headers=sup)).json()
    assert next(t for t in board["queues"] if t["queue_id"] == queue)["offered"] == 0 and board["offers"] == []


# --- take next --------------------------------------------------------------------------------------------------------


async def test_take_next_skips_a_conversation_offered_to_a_colleague_unless_nothing_else_waits(api):
    queue, sup, ops, ids, channel_id, token = await _desk(api)
    older = (await api.inbound(channel_id, token, "tn-1", "+380501110011", "Перше", name="Ірина")).json()
    offer = await _offered(api, older["conversation_id"])
    assert offer.user_id == ids["ann"]
    await _push(api, sup, queue, False)  # no more offers: the next one simply waits
    newer = (await api.inbound(channel_id, token, "tn-2", "+380501110012", "Друге", name="Павло")).json()

    # Ben takes next: the newer one, although the older waits longer, for it is held for Ann while she decides.
    taken = await api.client.post("/api/v1/conversations/next", headers=ops["ben"])
    assert taken.status_code == 200 and taken.json()["id"] == newer["conversation_id"], taken.text
    assert [r.user_id for r in await _pending(api, older["conversation_id"])] == [ids["ann"]]

    # Nothing else waits now: the offered one is taken rather than left stuck; Ann's offer ends at once.
    head = (await api.client.get("/api/v1/events/head", headers=ops["ann"])).json()["last_event_id"]
    async with StreamReader(api.url, ops["ann"], after=head) as stream:
        taken = await api.client.post("/api/v1/conversations/next", headers=ops["ben"])
        assert taken.status_code == 200 and taken.json()["id"] == older["conversation_id"]
        assert await _outcome(api, offer.id) == "withdrawn"  # no assigner pass needed
        await stream.wait_for(lambda ev: of_type(ev, "assignment.offer_ended"), timeout=10)
    assert of_type(stream.events, "assignment.offer_ended")[0]["payload"]["offer"]["outcome"] == "withdrawn"
    late = await api.client.post(f"/api/v1/offers/{offer.id}/accept", headers=ops["ann"])
    assert late.status_code == 409 and late.json()["detail"]["outcome"] == "withdrawn"
    async with api.db.session() as session:
        conv = await session.get(Conversation, older["conversation_id"])
    assert conv.assignee_id == ids["ben"] and conv.offered_to_id is None

    # Ann takes next herself with her own offer pending: it is hers to take, before older free work.
    await _push(api, sup, queue, True)
    third = (await api.inbound(channel_id, token, "tn-3", "+380501110013", "Третє", name="Олег")).json()
    mine = await _offered(api, third["conversation_id"])
    await _push(api, sup, queue, False)
    fourth = (await api.inbound(channel_id, token, "tn-4", "+380501110014", "Четверте", name="Ліна")).json()
    async with api.db.session() as session:  # a free one that waits longer and is more urgent than hers
        await session.execute(
            update(Conversation)
            .where(Conversation.id == fourth["conversation_id"])
            .values(priority=3, waiting_since=dt.datetime.now(dt.UTC) - dt.timedelta(hours=1))
        )
        await session.commit()
    taken = await api.client.post("/api/v1/conversations/next", headers=ops["ann"])
    assert taken.json()["id"] == fourth["conversation_id"]  # urgent and free first; hers is no worse a tier
    taken = await api.client.post("/api/v1/conversations/next", headers=ops["ann"])
    assert taken.json()["id"] == third["conversation_id"] and await _outcome(api, mine.id) == "withdrawn"


async def test_every_take_next_path_gives_the_domain_rules_answer(api):
    """SQLite's query, PostgreSQL's probes (a list of queues) and PostgreSQL's sorted query (every queue) all take
    what domain.routing.choose_next picks from the same waiting work, for a taker with and without offers."""
    queue, sup, _ops, ids, channel_id, token = await _desk(api, online=(), away=("ann", "ben", "cat"))
    await _push(api, sup, queue, False)
    convs = [
        (await api.inbound(channel_id, token, f"p-{i}", f"+3805011200{i:02}", f"Q{i}", name=f"C{i}")).json()[
            "conversation_id"
        ]
        for i in range(8)
    ]
    base = dt.datetime.now(dt.UTC) - dt.timedelta(hours=2)
    # (priority, minutes after base, offered to): the oldest urgent ones are offered, to Ann or to Ben.
    layout = [
        (3, 0, "ann"),
        (3, 1, "ben"),
        (3, 2, None),
        (2, 3, "ann"),
        (1, 4, None),
        (1, 5, "ben"),
        (0, 6, None),
        (3, 7, "cat"),
    ]
    async with api.db.session() as session:
        for cid, (priority, minutes, to) in zip(convs, layout, strict=True):
            await session.execute(
                update(Conversation)
                .where(Conversation.id == cid)
                .values(
                    priority=priority,
                    waiting_since=base + dt.timedelta(minutes=minutes),
                    offered_to_id=ids[to] if to else None,
                )
            )
        await session.commit()

    async def waiting_work():
        async with api.db.session() as session:
            rows = (
                await session.execute(
                    select(
                        Conversation.id, Conversation.priority, Conversation.waiting_since, Conversation.offered_to_id
                    ).where(service.waiting_condition(), Conversation.id.in_(convs))
                )
            ).all()
        return [routing.WaitingWork(r.id, r.priority, r.waiting_since, r.offered_to_id) for r in rows]

    async def take(user_id, queues):
        async with api.db.session() as session:  # rolled back: every path sees the same waiting work
            got = await service.take_next(session, api.db, user_id, queues)
            await session.rollback()
            return got

    waiting = await waiting_work()
    for name in ("ann", "ben", "cat"):
        expected = routing.choose_next(waiting, ids[name]).conversation_id
        for queues in ([queue], None):
            assert await take(ids[name], queues) == expected, (name, queues)
    assert routing.choose_next(waiting, ids["ann"]).conversation_id == convs[0]  # her own offer: taken first
    assert routing.choose_next(waiting, ids["cat"]).conversation_id == convs[2]  # free and urgent before hers
    # Only work offered to colleagues left: it is still taken (the first of it in the waiting order).
    async with api.db.session() as session:
        await session.execute(
            update(Conversation)
            .where(
                Conversation.id.in_([c for c, (_p, _m, to) in zip(convs, layout, strict=True) if to in (None, "ann")])
            )
            .values(status="resolved")
        )
        await session.commit()
    waiting = await waiting_work()
    expected = routing.choose_next(waiting, ids["ann"]).conversation_id
    assert expected == convs[1]  # offered to Ben, urgent, oldest
    for queues in ([queue], None):
        assert await take(ids["ann"], queues) == expected


async def test_take_next_racing_an_accept_gives_the_conversation_to_exactly_one_of_them(api):
    queue, sup, ops, ids, channel_id, token = await _desk(api)
    won = {"accept": 0, "take": 0}
    for i in range(6):
        await _push(api, sup, queue, True)
        conv = (await api.inbound(channel_id, token, f"r-{i}", f"+3805011300{i:02}", "Race", name=f"R{i}")).json()
        conversation_id = conv["conversation_id"]
        offer = await _offered(api, conversation_id)
        await _push(api, sup, queue, False)
        accept, take = await asyncio.gather(
            api.client.post(f"/api/v1/offers/{offer.id}/accept", headers=ops["ann"]),
            api.client.post("/api/v1/conversations/next", headers=ops["ben"]),
        )
        assert accept.status_code in (200, 409), accept.text
        assert take.status_code in (200, 204), take.text
        accepted = accept.status_code == 200
        took = take.status_code == 200 and take.json()["id"] == conversation_id
        assert accepted != took, (accept.text, take.status_code)  # exactly one of them has it
        async with api.db.session() as session:
            row = await session.get(Conversation, conversation_id)
        assert row.assignee_id == (ids["ann"] if accepted else ids["ben"]) and row.offered_to_id is None
        assert await _outcome(api, offer.id) == ("accepted" if accepted else "withdrawn")
        if not accepted:
            assert accept.json()["detail"]["outcome"] == "withdrawn"
        won["accept" if accepted else "take"] += 1
        async with api.db.session() as session:  # each round starts from an empty queue
            await session.execute(
                update(Conversation).where(Conversation.id == conversation_id).values(status="resolved")
            )
            await session.commit()
    assert sum(won.values()) == 6


# --- the decline cooldown per queue -------------------------------------------------------------------------------


async def test_a_decliner_is_offered_the_conversation_again_after_the_queues_cooldown_and_not_before(api):
    queue, sup, ops, ids, channel_id, token = await _desk(api, cooldown=120)
    listed = next(q for q in (await api.client.get("/api/v1/queues", headers=sup)).json() if q["id"] == queue)
    assert listed["offer_cooldown_s"] == 120
    conv = (await api.inbound(channel_id, token, "cd-1", "+380501140001", "Знову я", name="Ірина")).json()
    conversation_id = conv["conversation_id"]
    offer = await _offered(api, conversation_id)
    assert (await api.client.post(f"/api/v1/offers/{offer.id}/decline", headers=ops["ann"])).status_code == 200
    async with api.db.session() as session:
        declined_at = await session.scalar(select(AssignmentOffer.decided_at).where(AssignmentOffer.id == offer.id))

    # The assigner's clock: just before the cooldown ends Ann (the only one online) is not offered it again...
    assigned, _ = await Assigner(api.db).run_once(now=declined_at + dt.timedelta(seconds=119))
    assert assigned == [] and await _pending(api, conversation_id) == []
    # ...just after, she is.
    assigned, _ = await Assigner(api.db).run_once(now=declined_at + dt.timedelta(seconds=121))
    assert assigned == [(conversation_id, ids["ann"])]
    assert [r.user_id for r in await _pending(api, conversation_id)] == [ids["ann"]]

    # The default is ten minutes; the queue's setting is what counts (a longer one holds her off longer).
    assert (await api.client.post("/api/v1/queues", json={"name": "Default"}, headers=sup)).json()[
        "offer_cooldown_s"
    ] == 600
    second = (await _pending(api, conversation_id))[0]
    assert (await api.client.post(f"/api/v1/offers/{second.id}/decline", headers=ops["ann"])).status_code == 200
    r = await api.client.patch(f"/api/v1/queues/{queue}", json={"offer_cooldown_s": 900}, headers=sup)
    assert r.status_code == 200 and r.json()["offer_cooldown_s"] == 900
    async with api.db.session() as session:
        declined_at = await session.scalar(select(AssignmentOffer.decided_at).where(AssignmentOffer.id == second.id))
    assigned, _ = await Assigner(api.db).run_once(now=declined_at + dt.timedelta(seconds=601))
    assert assigned == []
    assigned, _ = await Assigner(api.db).run_once(now=declined_at + dt.timedelta(seconds=901))
    assert assigned == [(conversation_id, ids["ann"])]


async def test_an_offer_cooldown_out_of_range_is_refused_in_words(api):
    queue = await add_queue(api, "Range")
    sup = await api.headers_for("sup", "supervisor")
    for bad in (-1, 86401, "ten"):
        r = await api.client.patch(f"/api/v1/queues/{queue}", json={"offer_cooldown_s": bad}, headers=sup)
        assert r.status_code == 422, (bad, r.text)
    r = await api.client.post("/api/v1/queues", json={"name": "Neg", "offer_cooldown_s": -5}, headers=sup)
    assert r.status_code == 422 and "offer_cooldown_s" in r.text
    op = await api.headers_for("op", queue_ids=[queue])
    r = await api.client.patch(f"/api/v1/queues/{queue}", json={"offer_cooldown_s": 5}, headers=op)
    assert r.status_code == 403
