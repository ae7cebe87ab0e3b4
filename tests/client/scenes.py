"""A realistic desk for screenshots and layout checks: customers writing in three languages through every
kind of channel, operator replies delivered (and one failed), spread over the last days.

Everything goes through the server's real paths (inbound API, reply API, the outbox delivering to a webhook);
only the channel kinds and the clock are set in the database afterwards, since the generic API channel is the
one channel the API can create and a seed cannot wait for days to pass.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import text

from omnidesk.domain.enums import Role
from omnidesk.server.users.service import create_user

IN, OUT = "in", "out"

# channel kind, channel name, sender kind, sender value, customer name, [(minutes ago, direction, text)]
SCENE: list[tuple[str, str, str, str, str, list[tuple[int, str, str]]]] = [
    (
        "telegram",
        "Telegram",
        "telegram_id",
        "48151623",
        "Оксана Мельник",
        [
            (48, IN, "Добрий день! Мою картку заблокували після трьох неправильних PIN. Що тепер робити?"),
            (45, OUT, "Добрий день, Оксано! Картку можна розблокувати в застосунку: Картки → Безпека → Розблокувати."),
            (12, IN, "У застосунку пише «Операція недоступна». Я зараз за кордоном, у Польщі."),
            (9, OUT, "Дякую, бачу обмеження для закордонних операцій. Зняла його, спробуйте ще раз, будь ласка."),
            (2, IN, "Тепер працює, дякую! А ліміт на зняття готівки за кордоном який?"),
        ],
    ),
    (
        "whatsapp",
        "WhatsApp",
        "phone",
        "+447700900123",
        "Emily Carter",
        [
            (7, IN, "Hi, my parcel shows as delivered but it never arrived. Order 4821."),
        ],
    ),
    (
        "email",
        "support@shop.example",
        "email",
        "j.novak@example.org",
        "Jan Novak",
        [
            (190, IN, "Invoice 2025-113 was charged twice. Could you refund one of the payments?"),
            (150, OUT, "Dear Jan, the duplicate payment is refunded; it reaches your card within 3 working days."),
        ],
    ),
    (
        "viber",
        "Viber",
        "phone",
        "+380931112233",
        "Ігор Бондаренко",
        [
            (25, IN, "Добрий вечір, термінал у магазині на Хрещатику не приймає безконтактну оплату."),
        ],
    ),
    (
        "webchat",
        "Web chat",
        "webchat",
        "visitor-7f3a",
        "Анна Петрова",
        [
            (38, IN, "Подскажите, есть ли у вас рассрочка без переплаты на ноутбуки?"),
            (36, OUT, "Да, на 6 и 10 месяцев без переплаты. Оформить можно прямо в корзине."),
            (31, IN, "Отлично, спасибо!"),
        ],
    ),
    (
        "phone",
        "Hotline",
        "phone",
        "+380442223344",
        "Сергій Ткаченко",
        [
            (80, IN, "Пропущений дзвінок (0:42). Просить передзвонити щодо кредитного ліміту."),
        ],
    ),
    (
        "vk",
        "VK",
        "vk",
        "id5521",
        "Елена Смирнова",
        [
            (1500, IN, "Добрый день! Не приходит СМС с кодом подтверждения для входа."),
        ],
    ),
    (
        "webform",
        "Contact form",
        "email",
        "o.lysenko@example.com",
        "Олег Лисенко",
        [
            (2900, IN, "Хочемо підключити корпоративний тариф для 25 співробітників. Надішліть комерційну пропозицію."),
        ],
    ),
    (
        "meta",
        "Messenger",
        "meta",
        "fb-100213",
        "Sofia Rossi",
        [
            (4400, IN, "Hello! Do you ship to Italy, and how long does delivery take?"),
            (4390, OUT, "Hi Sofia! Yes, delivery to Italy takes 4–6 working days."),
        ],
    ),
    (
        "api",
        "Mobile app",
        "phone",
        "+380501234567",
        "Наталія Кравчук",
        [
            (9000, IN, "Після оновлення не можу увійти в застосунок: пише «Помилка 403»."),
        ],
    ),
    (
        "telegram",
        "Telegram",
        "telegram_id",
        "99120031",
        "Дмитрий Волков",
        [
            (15, IN, "Здравствуйте, когда придёт возврат за заказ №4821?"),
            (14, IN, "Заказ отменил ещё в понедельник."),
        ],
    ),
    (
        "whatsapp",
        "WhatsApp",
        "phone",
        "+380671234567",
        "Андрій Коваленко",
        [
            (65, IN, "Привіт! Чи можна змінити адресу доставки на Київ, вул. Саксаганського, 12?"),
        ],
    ),
    (
        "email",
        "support@shop.example",
        "email",
        "lucas.moreau@example.fr",
        "Lucas Moreau",
        [
            (20000, IN, "Is the premium plan billed monthly or yearly?"),
        ],
    ),
]
OPEN_CUSTOMER = "Оксана Мельник"
FAILING_CUSTOMER = "Jan Novak"  # this channel's webhook is down: the reply fails, with the reason shown


@dataclass
class Desk:
    operator: dict
    conversations: dict[str, int] = field(default_factory=dict)  # customer name -> conversation id


async def seed(api, webhook_url: str, dead_webhook_url: str, now: datetime | None = None) -> Desk:
    """Build the scene on the in-process server `api` (tests/conftest.py)."""
    now = now or datetime.now(UTC)
    async with api.db.session() as session:
        user = await create_user(
            session, username="olena", password="password-123", role=Role.OPERATOR, display_name="Олена Шевчук"
        )
        await session.commit()
        operator = {"id": user.id, "username": "olena"}
    headers = {"Authorization": f"Bearer {(await api.login('olena'))['access_token']}"}
    desk = Desk(operator)
    channels: dict[tuple[str, str], tuple[int, str]] = {}
    clock: list[tuple[int, datetime]] = []  # (message id, when)
    for number, (kind, channel_name, sender_kind, value, name, lines) in enumerate(SCENE):
        if (kind, channel_name) not in channels:
            hook = dead_webhook_url if name == FAILING_CUSTOMER else webhook_url
            channels[(kind, channel_name)] = await api.channel(channel_name, webhook_url=hook)
        channel_id, token = channels[(kind, channel_name)]
        for line, (minutes, direction, body) in enumerate(lines):
            when = now - timedelta(minutes=minutes)
            if direction == IN:
                r = await api.inbound(channel_id, token, f"scene-{number}-{line}", value, body, kind=sender_kind,
                                      name=name)  # fmt: skip
                assert r.status_code in (200, 201), r.text
                desk.conversations[name] = r.json()["conversation_id"]
                clock.append((r.json()["message_id"], when))
            else:
                r = await api.client.post(
                    f"/api/v1/conversations/{desk.conversations[name]}/messages",
                    json={"text": body, "client_key": f"scene-{number}-{line}"},
                    headers=headers,
                )
                assert r.status_code in (200, 201), r.text
                clock.append((r.json()["id"], when))
    async with api.db.engine.begin() as conn:
        for (kind, _), (channel_id, _) in channels.items():
            await conn.execute(
                text("UPDATE channels SET kind = :kind WHERE id = :id"), {"kind": kind, "id": channel_id}
            )
        for message_id, when in clock:
            await conn.execute(text("UPDATE messages SET sent_at = :at WHERE id = :id"), {"at": when, "id": message_id})
        await conn.execute(
            text(
                "UPDATE conversations SET last_message_at = "
                "(SELECT max(sent_at) FROM messages WHERE messages.conversation_id = conversations.id)"
            )
        )
    return desk
