"""The supervisor board's live state: a snapshot from GET /board, kept current by events (never by polling).

Plain Python (no Qt), so the benchmark and the tests drive it directly. Each conversation event moves one
conversation between "waiting" and "in progress" of its queue; each presence event updates one operator; each offer
event (``assignment.offered`` / ``assignment.offer_ended``) marks or unmarks one waiting conversation as offered to an
operator. Figures per queue are derived on demand (wait times tick with the clock, not with the server).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from omnidesk.protocol import ConversationOut
from omnidesk.protocol.workorg import Board, OfferOut, OperatorFigures, PresenceOut, QueueFigures, WaitingItem


@dataclass
class Unlisted:
    """The waiting conversations of a queue beyond the snapshot's list (the server lists the first 500 in offer
    order): their number, the longest one's and their mean "waiting since", so the tile's figures still tick."""

    count: int = 0
    oldest: dt.datetime | None = None
    mean_since: dt.datetime | None = None


@dataclass
class Tile:
    queue_id: int | None
    name: str
    waiting: dict[int, dt.datetime] = field(default_factory=dict)  # conversation -> waiting since
    in_progress: set[int] = field(default_factory=set)
    online: int = 0
    unlisted: Unlisted = field(default_factory=Unlisted)

    def figures(self, now: dt.datetime) -> QueueFigures:
        waits = [(now - since).total_seconds() for since in self.waiting.values()]
        hidden = self.unlisted
        total = sum(waits)
        count = len(waits)
        longest = max(waits, default=0.0)
        if hidden.count and hidden.mean_since is not None:
            total += hidden.count * (now - hidden.mean_since).total_seconds()
            count += hidden.count
            if hidden.oldest is not None:
                longest = max(longest, (now - hidden.oldest).total_seconds())
        return QueueFigures(
            queue_id=self.queue_id,
            name=self.name,
            waiting=count,
            in_progress=len(self.in_progress),
            longest_wait_s=longest,
            average_wait_s=total / count if count else 0.0,
            online_operators=self.online,
        )


class BoardState:
    def __init__(self) -> None:
        self.tiles: dict[int | None, Tile] = {}
        self.operators: dict[int, OperatorFigures] = {}
        self.waiting: dict[int, WaitingItem] = {}
        self._where: dict[int, int | None] = {}  # conversation -> queue
        self._assignee: dict[int, int | None] = {}
        self._unlisted: dict[int | None, int] = {}
        self._at: dt.datetime | None = None  # the snapshot's time
        self.offers: dict[int, OfferOut] = {}  # waiting conversation -> its pending offer
        # Derived lists, kept until something they show changes (a board of thousands hears many events; building
        # them afresh for each one cost more than the event itself).
        self._waiting_order: list[WaitingItem] | None = None
        self._operator_order: list[int] | None = None

    def load(self, board: Board) -> None:
        self.tiles = {q.queue_id: Tile(q.queue_id, q.name, online=q.online_operators) for q in board.queues}
        self.operators = {o.user_id: o for o in board.operators}
        self.waiting = {w.conversation_id: w for w in board.waiting}
        self.offers = {o.conversation_id: o for o in board.offers}
        self._waiting_order, self._operator_order = None, None
        self._offers_changed(self.operators)
        self._where, self._assignee = {}, {}
        self._at = board.at
        for w in board.waiting:
            self._tile(w.queue_id).waiting[w.conversation_id] = w.waiting_since
            self._where[w.conversation_id] = w.queue_id
            self._assignee[w.conversation_id] = None
        for a in board.in_progress:
            self._tile(a.queue_id).in_progress.add(a.conversation_id)
            self._where[a.conversation_id] = a.queue_id
            self._assignee[a.conversation_id] = a.assignee_id
        # Beyond the lists' limits the snapshot's numbers stand for the conversations not listed.
        self._unlisted = {q.queue_id: q.in_progress - len(self._tile(q.queue_id).in_progress) for q in board.queues}
        for q in board.queues:
            tile = self._tile(q.queue_id)
            hidden = q.waiting - len(tile.waiting)
            if hidden <= 0:
                continue
            listed = sum((board.at - since).total_seconds() for since in tile.waiting.values())
            hidden_mean = max(0.0, (q.average_wait_s * q.waiting - listed) / hidden)
            oldest = board.at - dt.timedelta(seconds=q.longest_wait_s)
            tile.unlisted = Unlisted(hidden, oldest, board.at - dt.timedelta(seconds=hidden_mean))

    def _tile(self, queue_id: int | None) -> Tile:
        if queue_id not in self.tiles:
            self.tiles[queue_id] = Tile(queue_id, "")
        return self.tiles[queue_id]

    def apply_conversation(self, c: ConversationOut) -> tuple[set[int | None], set[int]]:
        """Move one conversation to where the event says it is; the queues and operators whose figures changed."""
        self._waiting_order = None
        queues: set[int | None] = set()
        known = c.id in self._where
        old_queue, old_assignee = self._where.pop(c.id, None), self._assignee.pop(c.id, None)
        if known:
            tile = self._tile(old_queue)
            tile.waiting.pop(c.id, None)
            tile.in_progress.discard(c.id)
            queues.add(old_queue)
        else:
            queues |= self._left_unlisted(c)
        self.waiting.pop(c.id, None)
        new_assignee = c.assignee_id if c.status == "open" else None
        operators: set[int] = set()
        if (c.status != "open" or c.assignee_id is not None) and c.id in self.offers:
            # No longer waiting: its offer is over (the offer's own end event follows).
            gone = self.offers.pop(c.id)
            operators.add(gone.user_id)
            queues.add(self._offer_queue(gone))
            self._offers_changed([gone.user_id])
        if c.status == "open":
            tile = self._tile(c.queue_id)
            if c.assignee_id is None:
                since = c.waiting_since or c.last_message_at
                tile.waiting[c.id] = since
                self.waiting[c.id] = WaitingItem(
                    conversation_id=c.id,
                    queue_id=c.queue_id,
                    customer_name=c.customer.name,
                    channel_kind=c.channel.kind,
                    priority=c.priority,
                    waiting_since=since,
                    preview=c.last_message_preview,
                    position=0,
                )
            else:
                tile.in_progress.add(c.id)
            queues.add(c.queue_id)
            self._where[c.id], self._assignee[c.id] = c.queue_id, c.assignee_id
        if old_assignee != new_assignee:
            for user, delta in ((old_assignee, -1), (new_assignee, +1)):
                if user is not None and user in self.operators:
                    current = self.operators[user]
                    self.operators[user] = current.model_copy(update={"load": max(0, current.load + delta)})
                    operators.add(user)
        return queues, operators

    def _left_unlisted(self, c: ConversationOut) -> set[int | None]:
        """An event of a conversation the snapshot did not list, which was waiting before the snapshot: it was one of
        the unlisted waiting of its queue, and now moves (taken, transferred, resolved, or listed by this event)."""
        since = c.waiting_since or c.last_message_at
        tile = self.tiles.get(c.queue_id)
        if tile is None or not tile.unlisted.count or self._at is None or since is None or since > self._at:
            return set()
        tile.unlisted.count -= 1
        return {c.queue_id}

    def _offer_queue(self, offer: OfferOut) -> int | None:
        return self._where.get(offer.conversation_id, offer.queue_id)

    def apply_offer(self, offer: OfferOut) -> tuple[set[int | None], set[int]]:
        """A conversation offered to an operator (``outcome`` None) or its offer ended; the queues and operators whose
        figures changed."""
        current = self.offers.get(offer.conversation_id)
        if offer.outcome is None:
            if self._assignee.get(offer.conversation_id) is not None:
                return set(), set()  # taken already: this offer's end is on its way
            self.offers[offer.conversation_id] = offer
            touched = {offer.user_id} | ({current.user_id} if current is not None else set())
            self._waiting_order = None
            self._offers_changed(touched)
            return {self._offer_queue(offer)}, touched
        if current is None or current.id != offer.id:
            return set(), set()
        del self.offers[offer.conversation_id]
        self._waiting_order = None
        self._offers_changed([offer.user_id])
        return {self._offer_queue(offer)}, {offer.user_id}

    def _offers_changed(self, user_ids) -> None:
        """Each of these operators' figures carry their pending offers again (a copy only where they changed)."""
        pending: dict[int, list[OfferOut]] = {}
        for o in sorted(self.offers.values(), key=lambda o: o.offered_at):
            pending.setdefault(o.user_id, []).append(o)
        for user_id in list(user_ids):
            current = self.operators.get(user_id)
            if current is not None and current.offers != pending.get(user_id, []):
                self.operators[user_id] = current.model_copy(update={"offers": pending.get(user_id, [])})

    def offers_to(self, user_id: int) -> list[OfferOut]:
        """The operator's pending offers, oldest first."""
        return sorted((o for o in self.offers.values() if o.user_id == user_id), key=lambda o: o.offered_at)

    def operator_list(self) -> list[OperatorFigures]:
        """Operators by name, each with their pending offers (the order is kept: names change only with a reload)."""
        if self._operator_order is None:
            ordered = sorted(self.operators.values(), key=lambda o: (o.display_name, o.user_id))
            self._operator_order = [o.user_id for o in ordered]
        return [self.operators[user_id] for user_id in self._operator_order]

    def apply_presence(self, p: PresenceOut) -> bool:
        current = self.operators.get(p.user_id)
        if current is None or current.status == p.status:
            return False
        was_online, online = current.status == "online", p.status == "online"
        self.operators[p.user_id] = current.model_copy(update={"status": p.status})
        if was_online != online:
            for queue_id in current.queue_ids:
                if queue_id in self.tiles:
                    self.tiles[queue_id].online += 1 if online else -1
        return True

    def figures(self, now: dt.datetime) -> list[QueueFigures]:
        offered: dict[int | None, int] = {}
        for o in self.offers.values():
            queue = self._offer_queue(o)
            offered[queue] = offered.get(queue, 0) + 1
        out = []
        for tile in self.tiles.values():
            f = tile.figures(now)
            extra = max(0, self._unlisted.get(tile.queue_id, 0))
            update = {"in_progress": f.in_progress + extra, "offered": offered.get(tile.queue_id, 0)}
            out.append(f.model_copy(update=update))
        return out

    def waiting_list(self) -> list[WaitingItem]:
        """Waiting work in offer order (highest priority, then longest waiting), with places per queue and each one's
        pending offer (set on the items this state holds; built again only after a conversation or offer event)."""
        if self._waiting_order is None:
            ordered = sorted(self.waiting.values(), key=lambda w: (-w.priority, w.waiting_since, w.conversation_id))
            place: dict[int | None, int] = {}
            for w in ordered:
                place[w.queue_id] = position = place.get(w.queue_id, 0) + 1
                offer = self.offers.get(w.conversation_id)
                if w.position != position:
                    w.position = position
                if w.offer is not offer:
                    w.offer = offer
            self._waiting_order = ordered
        return list(self._waiting_order)
