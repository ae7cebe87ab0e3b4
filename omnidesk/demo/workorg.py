"""The demo's work organisation: queues with business hours, operators with skills, capacity and presence, routing
rules that route the simulated traffic (VIP, language, channel, keywords), and canned replies in uk/ru/en.

So a newcomer logged in as supervisor sees queues filling, wait times ticking and work to drag around.
"""

from __future__ import annotations

import asyncio

from sqlalchemy import select, update

from omnidesk.domain.enums import Role
from omnidesk.server.audit.service import Actor
from omnidesk.server.canned.models import CannedReply
from omnidesk.server.conversations.models import Conversation
from omnidesk.server.db import Database, utcnow
from omnidesk.server.presence.models import Presence
from omnidesk.server.queues import service as queues
from omnidesk.server.queues.models import Queue
from omnidesk.server.routing.models import RoutingRule
from omnidesk.server.users.service import create_user

KYIV_HOURS = {
    "tz": "Europe/Kyiv",
    "week": {str(day): [["08:00", "20:00"]] for day in range(5)} | {"5": [["10:00", "16:00"]]},
    "holidays": ["2026-12-25", "2027-01-01"],
}
# Around the clock: the VIP line answers whenever a VIP writes (so the demo's VIP rule fires at any hour).
ALWAYS = {"tz": "Europe/Kyiv", "week": {str(day): [["00:00", "23:59:59"]] for day in range(7)}}

# username (password = username, demo only), display name, queues with skills, presence
DEMO_OPERATORS = (
    ("iryna", "Ірина Бондар", {"Support": ["cards"], "VIP support": ["cards", "loans"]}, "online"),
    ("maksym", "Максим Ткаченко", {"Sales": ["loans"], "Support": []}, "online"),
    ("svitlana", "Світлана Лисенко", {"Complaints": [], "Support": ["technical"]}, "away"),
)

CANNED = (
    (
        "hello",
        "uk",
        "Привітання",
        "Добрий день, {customer.first_name}! Мене звати {operator.first_name}, чим можу допомогти?",
    ),
    (
        "hello",
        "ru",
        "Приветствие",
        "Добрый день, {customer.first_name}! Меня зовут {operator.first_name}, чем могу помочь?",
    ),
    ("hello", "en", "Greeting", "Good afternoon, {customer.first_name}! I am {operator.first_name}, how can I help?"),
    ("wait", "uk", "Очікування", "Дякуємо, що чекаєте: ви {queue.position}-й у черзі «{queue.name}»."),
    ("wait", "ru", "Ожидание", "Спасибо, что ждёте: вы {queue.position}-й в очереди «{queue.name}»."),
    ("wait", "en", "Waiting", "Thank you for waiting: you are number {queue.position} in the {queue.name} queue."),
    ("card", "uk", "Блокування картки", "Картку можна заблокувати в застосунку: Картки → Налаштування → Заблокувати."),
)


async def seed_work(db: Database, users: dict[str, int]) -> dict[str, int]:
    """Add the demo's queues, operators, rules and canned replies; return the queue ids by name."""
    actor = Actor(None, "demo")
    async with db.session() as session:
        general = await session.scalar(select(Queue).order_by(Queue.id).limit(1))
        general.name, general.calendar = "Support", KYIV_HOURS
        ids = {"Support": general.id}
        for name, calendar in (("Sales", KYIV_HOURS), ("Complaints", KYIV_HOURS), ("VIP support", ALWAYS)):
            ids[name] = (await queues.add_queue(session, name=name, calendar=calendar)).id
        for username, display_name, membership, _presence in DEMO_OPERATORS:
            user = await create_user(
                session, username=username, password=username, role=Role.OPERATOR, display_name=display_name,
                actor=actor, queue_ids=[],
            )  # fmt: skip
            users[username] = user.id
            for queue_name, skills in membership.items():
                await queues.set_member(
                    session, queue_id=ids[queue_name], user_id=user.id, skills=skills, capacity={"chat": 4}
                )
        await queues.set_member(session, queue_id=ids["Sales"], user_id=users["operator"], skills=["loans"])
        for queue_id in ids.values():
            await queues.set_member(session, queue_id=queue_id, user_id=users["supervisor"], skills=["cards", "loans"])
        now = utcnow()
        presence = {u: p for u, _n, _m, p in DEMO_OPERATORS} | {"operator": "online", "supervisor": "online"}
        for username, status in presence.items():
            session.add(Presence(user_id=users[username], status=status, changed_at=now))
        rules = [
            (
                "VIP WhatsApp",
                [
                    {"field": "channel", "op": "eq", "value": "whatsapp"},
                    {"field": "segment", "op": "eq", "value": "VIP"},
                    {"field": "business_hours", "op": "is", "value": True, "calendar": ids["VIP support"]},
                ],
                {"queue_id": ids["VIP support"], "priority": 2, "max_wait_s": 30},
            ),
            (
                "VIP anywhere",
                [{"field": "segment", "op": "eq", "value": "VIP"}],
                {"queue_id": ids["VIP support"], "priority": 2},
            ),
            (
                "Complaints",
                [{"field": "text", "op": "contains_any", "value": ["скарг", "жалоб", "complaint", "обурен", "возмущ"]}],
                {"queue_id": ids["Complaints"], "priority": 3},
            ),
            (
                "Loans to sales",
                [{"field": "text", "op": "contains_any", "value": ["кредит", "розстрочк", "рассрочк", "loan"]}],
                {"queue_id": ids["Sales"], "skill": "loans"},
            ),
            (
                "E-mail is not urgent",
                [{"field": "channel", "op": "in", "value": ["email", "webform"]}],
                {"priority": 0},
            ),
            ("Russian speakers", [{"field": "language", "op": "eq", "value": "ru"}], {"queue_id": ids["Support"]}),
        ]
        for position, (name, conditions, actions) in enumerate(rules, start=1):
            session.add(
                RoutingRule(position=position, name=name, conditions=conditions, actions=actions, updated_at=now)
            )
        for shortcut, language, title, body in CANNED:
            session.add(
                CannedReply(
                    shortcut=shortcut, title=title, language=language, body=body, created_at=now, updated_at=now
                )
            )
        # The seeded history's open, unassigned conversations wait since their last message.
        await session.execute(
            update(Conversation)
            .where(Conversation.assignee_id.is_(None), Conversation.status == "open")
            .values(waiting_since=Conversation.last_message_at)
        )
        await session.commit()
    return ids


async def keep_colleagues_present(database_url: str, user_ids: list[int], every: float = 60.0) -> None:
    """The simulated colleagues' clients: their sign of life, as a real client's PUT /presence heartbeat would give.
    Without it the server takes them for lost clients after ``presence_timeout`` (3 minutes) and, after the grace
    period, returns their conversations to the queues: the demo's board would empty out while a newcomer looks at
    it. Their status (online, away) is left as it is; signing in as one of them works as for anyone."""
    db = Database(database_url, pool_size=1)
    try:
        while True:
            async with db.session() as session:
                await session.execute(
                    update(Presence).where(Presence.user_id.in_(user_ids)).values(last_seen_at=utcnow())
                )
                await session.commit()
            await asyncio.sleep(every)
    finally:
        await db.dispose()


def colleague_ids(users: dict[str, int]) -> list[int]:
    """The demo's simulated colleagues (nobody signs in as them unless a newcomer chooses to)."""
    return [users[username] for username, *_ in DEMO_OPERATORS if username in users]
