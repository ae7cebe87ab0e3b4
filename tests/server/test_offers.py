"""Push mode with offers: the chosen operator accepts or declines within the queue's offer timeout; a decline or an
expiry offers the conversation to the next eligible operator, never twice to the one who refused it (for a while);
exactly one offer at a time, also with several assigners at once."""

from __future__ import annotations

import asyncio
import datetime as dt

from sqlalchemy import func, select, update

from omnidesk.server.conversations.models import Conversation
from omnidesk.server.presence.models import AssignmentOffer
from omnidesk.server.presence.service import Assigner
from tests.server.customer_helpers import add_queue
from tests.sse import StreamReader, of_type


async def _setup(api, timeout=30, names=("ann", "ben")):
    queue = await add_queue(api, "Offers")
    sup = await api.headers_for("sup", "supervisor")
    ops = {name: await api.headers_for(name, queue_ids=[queue]) for name in names}
    ids = {}
    for name, headers in ops.items():
        ids[name] = (await api.client.get("/api/v1/me", headers=headers)).json()["id"]
        assert (await api.client.put("/api/v1/presence", json={"status": "online"}, headers=headers)).status_code == 200
    r = await api.client.patch(
        f"/api/v1/queues/{queue}", json={"auto_assign": True, "offer_timeout_s": timeout}, headers=sup
    )
    assert r.status_code == 200 and r.json()["offer_timeout_s"] == timeout, r.text
    channel_id, token = await api.channel("Offers site", queue_id=queue)
    ack = (await api.inbound(channel_id, token, "o-1", text="Is my card ready?")).json()
    return queue, sup, ops, ids, ack["conversation_id"]


async def _pending(api, conversation_id):
    async with api.db.session() as session:
        rows = (
            await session.execute(
                select(AssignmentOffer.id, AssignmentOffer.user_id).where(
                    AssignmentOffer.conversation_id == conversation_id, AssignmentOffer.outcome.is_(None)
                )
            )
        ).all()
        conv = await session.get(Conversation, conversation_id)
        return rows, conv.assignee_id, conv.offered_to_id


def _name_of(ids, user_id):
    return next(n for n, i in ids.items() if i == user_id)


async def test_an_offer_goes_to_one_operator_who_accepts_it_within_the_timeout(api):
    _queue, sup, ops, ids, conversation_id = await _setup(api)
    await Assigner(api.db).run_once()  # the server's own assigner may have offered it already: the same rule
    rows, assignee, offered_to = await _pending(api, conversation_id)
    assert len(rows) == 1 and assignee is None and offered_to == rows[0].user_id
    chosen = _name_of(ids, rows[0].user_id)
    other = next(n for n in ops if n != chosen)
    listed = (await api.client.get("/api/v1/offers", headers=ops[chosen])).json()
    assert [o["conversation_id"] for o in listed] == [conversation_id]
    assert listed[0]["preview"] == "Is my card ready?" and listed[0]["outcome"] is None
    assert (await api.client.get("/api/v1/offers", headers=ops[other])).json() == []
    offer_id = listed[0]["id"]
    assert (await api.client.post(f"/api/v1/offers/{offer_id}/accept", headers=ops[other])).status_code == 404
    assert (await api.client.post(f"/api/v1/offers/{offer_id}/decline", headers=ops[other])).status_code == 404
    head = (await api.client.get("/api/v1/events/head", headers=ops[chosen])).json()["last_event_id"]
    async with StreamReader(api.url, ops[chosen], after=head) as stream:
        r = await api.client.post(f"/api/v1/offers/{offer_id}/accept", headers=ops[chosen])
        assert r.status_code == 200, r.text
        assert r.json()["assignee_id"] == ids[chosen]
        await stream.wait_for(lambda ev: of_type(ev, "assignment.offer_ended"), timeout=10)
    ended = of_type(stream.events, "assignment.offer_ended")[0]["payload"]["offer"]
    assert ended["id"] == offer_id and ended["outcome"] == "accepted"
    again = await api.client.post(f"/api/v1/offers/{offer_id}/accept", headers=ops[chosen])
    assert again.status_code == 409 and again.json()["detail"]["outcome"] == "accepted"
    customer_id = (await api.client.get(f"/api/v1/conversations/{conversation_id}", headers=sup)).json()["customer"]
    timeline = (await api.client.get(f"/api/v1/customers/{customer_id['id']}/timeline", headers=sup)).json()["items"]
    kinds = [(i["kind"], i["payload"].get("outcome"), i["payload"].get("offer")) for i in reversed(timeline)]
    assert ("offer", "offered", None) in kinds and ("assigned", None, True) in kinds


async def test_a_decline_offers_it_to_the_next_operator_and_never_again_to_the_decliner_for_a_while(api):
    _queue, _sup, ops, ids, conversation_id = await _setup(api)
    await Assigner(api.db).run_once()
    first = (await _pending(api, conversation_id))[0][0]
    first_name = _name_of(ids, first.user_id)
    r = await api.client.post(f"/api/v1/offers/{first.id}/decline", headers=ops[first_name])
    assert r.status_code == 200 and r.json()["outcome"] == "declined", r.text
    await Assigner(api.db).run_once()
    rows, assignee, offered_to = await _pending(api, conversation_id)
    second_name = next(n for n in ops if n != first_name)
    assert [r.user_id for r in rows] == [ids[second_name]] and offered_to == ids[second_name] and assignee is None
    r = await api.client.post(f"/api/v1/offers/{rows[0].id}/decline", headers=ops[second_name])
    assert r.status_code == 200
    # Both declined: nobody is offered it again for a while; it waits for "take next" or a supervisor.
    await Assigner(api.db).run_once()
    assert await _pending(api, conversation_id) == ([], None, None)
    twice = await api.client.post(f"/api/v1/offers/{first.id}/decline", headers=ops[first_name])
    assert twice.status_code == 409 and twice.json()["detail"]["outcome"] == "declined"
    assert (twice.json()["code"], twice.json()["params"]) == (
        "offer.ended",
        {"offer_id": first.id, "outcome": "declined"},
    )
    taken = await api.client.post("/api/v1/conversations/next", headers=ops[first_name])
    assert taken.status_code == 200 and taken.json()["id"] == conversation_id


async def test_an_expired_offer_goes_to_the_next_operator_and_can_no_longer_be_accepted(api):
    _queue, _sup, ops, ids, conversation_id = await _setup(api, timeout=5)
    await Assigner(api.db).run_once()
    first = (await _pending(api, conversation_id))[0][0]
    first_name = _name_of(ids, first.user_id)
    async with api.db.session() as session:
        past = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
        await session.execute(update(AssignmentOffer).where(AssignmentOffer.id == first.id).values(expires_at=past))
        await session.commit()
    late = await api.client.post(f"/api/v1/offers/{first.id}/accept", headers=ops[first_name])
    assert late.status_code == 409 and late.json()["detail"]["outcome"] == "expired", late.text
    await Assigner(api.db).run_once()
    rows, assignee, _offered_to = await _pending(api, conversation_id)
    assert [r.user_id for r in rows] == [ids[next(n for n in ops if n != first_name)]] and assignee is None
    async with api.db.session() as session:
        outcome = await session.scalar(select(AssignmentOffer.outcome).where(AssignmentOffer.id == first.id))
    assert outcome == "expired"


async def test_an_offer_is_withdrawn_when_a_colleague_takes_the_conversation_first(api):
    _queue, _sup, ops, ids, conversation_id = await _setup(api)
    await Assigner(api.db).run_once()
    offer = (await _pending(api, conversation_id))[0][0]
    holder = _name_of(ids, offer.user_id)
    other = next(n for n in ops if n != holder)
    assert (await api.client.post(f"/api/v1/conversations/{conversation_id}/assign", headers=ops[other])).is_success
    r = await api.client.post(f"/api/v1/offers/{offer.id}/accept", headers=ops[holder])
    assert r.status_code == 409 and r.json()["detail"]["outcome"] == "withdrawn"
    await Assigner(api.db).run_once()
    async with api.db.session() as session:
        outcome = await session.scalar(select(AssignmentOffer.outcome).where(AssignmentOffer.id == offer.id))
        conv = await session.get(Conversation, conversation_id)
    assert outcome == "withdrawn" and conv.assignee_id == ids[other] and conv.offered_to_id is None


async def test_several_assigners_at_once_make_exactly_one_offer_per_conversation(api):
    queue, _sup, _ops, _ids, first = await _setup(api, names=("ann", "ben", "cat", "dan"))
    channel_id, token = await api.channel("More", queue_id=queue)
    for i in range(5):
        await api.inbound(channel_id, token, f"m-{i}", value=f"+38050900000{i}")
    await asyncio.gather(*(Assigner(api.db).run_once() for _ in range(6)), return_exceptions=True)
    await Assigner(api.db).run_once()  # whichever pass lost a race (SQLite: busy), this one sees the result
    async with api.db.session() as session:
        per_conversation = (
            await session.execute(
                select(AssignmentOffer.conversation_id, func.count())
                .where(AssignmentOffer.outcome.is_(None))
                .group_by(AssignmentOffer.conversation_id)
            )
        ).all()
        offered = (
            await session.scalars(select(Conversation.offered_to_id).where(Conversation.queue_id == queue))
        ).all()
    assert per_conversation and all(n == 1 for _c, n in per_conversation)
    assert len(per_conversation) == sum(1 for o in offered if o is not None)
    assert first in {c for c, _n in per_conversation}


async def test_an_offer_timeout_out_of_range_is_refused_in_words(api):
    queue = await add_queue(api, "Range")
    sup = await api.headers_for("sup", "supervisor")
    r = await api.client.patch(f"/api/v1/queues/{queue}", json={"offer_timeout_s": 99999}, headers=sup)
    assert r.status_code == 422
    r = await api.client.post("/api/v1/queues", json={"name": "Neg", "offer_timeout_s": -1}, headers=sup)
    assert r.status_code == 422
    op = await api.headers_for("op", queue_ids=[queue])
    assert (
        await api.client.patch(f"/api/v1/queues/{queue}", json={"offer_timeout_s": 5}, headers=op)
    ).status_code == 403
    assert (await api.client.post("/api/v1/offers/999999/accept", headers=op)).status_code == 404
