"""What demo customers and operators say: everyday bank, public-service and shop conversations in three languages.

Each topic is a script: lines starting with ``>`` come from the customer, ``<`` from the operator. A seeded
conversation plays a script up to some point (an open one stops after the customer spoke, a resolved one runs to
the end); the simulator opens new conversations with a script's first line and follows up with ``FOLLOW_UPS``.
Placeholders ({order}, {card}, {amount}, {date}, {ticket}, {time}) are filled per conversation; ``[she/he]``
picks the customer's grammatical gender (Ukrainian and Russian verbs agree with it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

LANGUAGES = ("uk", "ru", "en")

_SCRIPTS: dict[str, dict[str, str]] = {
    "card_blocked": {
        "uk": """
> Добрий день! Мені заблокували картку після оплати в інтернеті. Що робити?
< Вітаю! Підкажіть, будь ласка, останні чотири цифри картки.
> {card}
< Дякую. Картку заблокувала система безпеки через нетипову операцію на {amount}. Ви підтверджуєте цей платіж?
> Так, це я [оплачувала/оплачував] квитки. Розблокуйте, будь ласка.
< Готово, картку розблоковано. Повторіть платіж за 10 хвилин.
> Все пройшло, дякую!
""",
        "ru": """
> Здравствуйте! После оплаты в интернете заблокировали карту. Что делать?
< Добрый день! Подскажите, пожалуйста, последние четыре цифры карты.
> {card}
< Спасибо. Карту заблокировала система безопасности из-за нетипичной операции на {amount}. Вы подтверждаете платёж?
> Да, это я [оплачивала/оплачивал]. Разблокируйте, пожалуйста.
< Готово, карта разблокирована. Повторите платёж через 10 минут.
> Всё прошло, спасибо!
""",
        "en": """
> Hello, my card was blocked right after I paid for something online. What should I do?
< Hello! Could you tell me the last four digits of the card, please?
> {card}
< Thank you. Our fraud system blocked the card because of an unusual payment of {amount}. Do you confirm it?
> Yes, that was me buying train tickets. Please unblock it.
< Done, the card is active again. Please retry the payment in 10 minutes.
> It went through, thanks!
""",
    },
    "delivery": {
        "uk": """
> Де моє замовлення {order}? Мали доставити ще вчора.
< Перевіряю… Посилка на сортувальному складі, доставка завтра з 10:00 до 14:00.
> А можна змінити адресу на робочу?
< Так, напишіть, будь ласка, нову адресу.
> Київ, вул. Хрещатик, 22, офіс 5
< Змінили, кур'єр привезе на нову адресу.
> Дуже дякую!
""",
        "ru": """
> Где мой заказ {order}? Должны были доставить ещё вчера.
< Проверяю… Посылка на сортировочном складе, доставка завтра с 10:00 до 14:00.
> А можно поменять адрес на рабочий?
< Да, напишите, пожалуйста, новый адрес.
> Алматы, пр. Абая, 52, офис 14
< Поменяли, курьер привезёт по новому адресу.
> Большое спасибо!
""",
        "en": """
> Where is my order {order}? It was supposed to arrive yesterday.
< Let me check… The parcel is at the sorting centre; delivery is tomorrow between 10:00 and 14:00.
> Can I change the address to my office?
< Sure, please send the new address.
> 14 Baker Street, 2nd floor, London
< Done, the courier will bring it to the new address.
> Thanks a lot!
""",
    },
    "certificate": {
        "uk": """
> Доброго дня. Мені потрібна довідка про несудимість. Як її замовити?
< Вітаємо! Довідку можна замовити онлайн або в будь-якому ЦНАП. Строк виготовлення до 10 робочих днів.
> А якщо потрібен апостиль?
< Тоді додайте запит на апостиль у заяві; це ще до 5 робочих днів.
> Зрозуміло, дякую за пояснення.
""",
        "ru": """
> Добрый день. Мне нужна справка о несудимости. Как её заказать?
< Здравствуйте! Справку можно заказать онлайн или в любом ЦОНе. Срок изготовления до 10 рабочих дней.
> А если нужен апостиль?
< Тогда укажите апостиль в заявлении; это ещё до 5 рабочих дней.
> Понятно, спасибо за разъяснение.
""",
        "en": """
> Good afternoon. I need a police clearance certificate. How do I request it?
< Hello! You can request it online or at any service centre. It takes up to 10 working days.
> What if I need it with an apostille?
< Then tick the apostille box in the application; that adds up to 5 working days.
> Clear, thank you for explaining.
""",
    },
    "refund": {
        "uk": """
> Я [повернула/повернув] навушники 5 днів тому, а гроші досі не надійшли.
< Перепрошуємо за затримку. Підкажіть номер замовлення, будь ласка.
> {order}
< Повернення {amount} оформлено {date}. Банк зараховує кошти до 7 робочих днів.
> Добре, почекаю.
""",
        "ru": """
> Я [вернула/вернул] наушники 5 дней назад, а деньги так и не пришли.
< Извините за задержку. Подскажите номер заказа, пожалуйста.
> {order}
< Возврат {amount} оформлен {date}. Банк зачисляет средства до 7 рабочих дней.
> Хорошо, подожду.
""",
        "en": """
> I returned the headphones five days ago and still haven't got my money back.
< Sorry for the wait. Could you give me the order number, please?
> {order}
< The refund of {amount} was issued on {date}. Banks take up to 7 working days to credit it.
> OK, I'll wait then.
""",
    },
    "app_login": {
        "uk": """
> Не можу зайти в мобільний застосунок, пише «невірний код».
< Перевірте, будь ласка, що дата й час на телефоні встановлюються автоматично, і оновіть застосунок.
> [Оновила/Оновив], все одно те саме.
< Я скинула прив'язку пристрою. Увійдіть знову з кодом із SMS.
> Тепер працює, дякую!
""",
        "ru": """
> Не могу войти в мобильное приложение, пишет «неверный код».
< Проверьте, пожалуйста, что дата и время на телефоне ставятся автоматически, и обновите приложение.
> [Обновила/Обновил], всё равно то же самое.
< Я сбросила привязку устройства. Войдите заново с кодом из SMS.
> Теперь работает, спасибо!
""",
        "en": """
> I can't log into the mobile app, it keeps saying "wrong code".
< Please check that the date and time on your phone are set automatically, and update the app.
> Updated it, still the same.
< I've reset the device binding. Please log in again with the code from the SMS.
> Works now, thank you!
""",
    },
    "loan_payment": {
        "uk": """
> Підкажіть, коли наступний платіж за кредитом і скільки?
< Наступний платіж {amount} до {date}.
> А можна погасити достроково без комісії?
< Так, дострокове погашення безкоштовне. Можна в застосунку або у відділенні.
> Чудово, дякую.
""",
        "ru": """
> Подскажите, когда следующий платёж по кредиту и сколько?
< Следующий платёж {amount} до {date}.
> А можно погасить досрочно без комиссии?
< Да, досрочное погашение бесплатное. Можно в приложении или в отделении.
> Отлично, спасибо.
""",
        "en": """
> When is my next loan payment due, and how much is it?
< Your next payment of {amount} is due on {date}.
> Can I repay early without a fee?
< Yes, early repayment is free, in the app or at any branch.
> Great, thanks.
""",
    },
    "appointment": {
        "uk": """
> Хочу записатися на оформлення закордонного паспорта. Є вільні місця цього тижня?
< Найближчий вільний час {date} о {time}. Записати вас?
> Так, будь ласка.
< Записали. Візьміть із собою ID-картку, РНОКПП і квитанцію про оплату.
> Дякую!
""",
        "ru": """
> Хочу записаться на оформление загранпаспорта. Есть свободные места на этой неделе?
< Ближайшее свободное время {date} в {time}. Записать вас?
> Да, пожалуйста.
< Записали. Возьмите с собой удостоверение личности и квитанцию об оплате.
> Спасибо!
""",
        "en": """
> I'd like to book an appointment for a new passport. Are there free slots this week?
< The nearest free slot is {date} at {time}. Shall I book it?
> Yes, please.
< Booked. Please bring your ID card and the fee receipt.
> Thank you!
""",
    },
    "transfer_missing": {
        "uk": """
> Годину тому [переказала/переказав] {amount} мамі на картку, а гроші не прийшли.
< Перекази між банками можуть йти до 2 годин. Надішліть, будь ласка, квитанцію.
> [Надіслала/Надіслав] скріншот.
< З нашого боку переказ завершено, кошти зараховано о {time}.
> Так, мама отримала, дякую.
""",
        "ru": """
> Час назад [перевела/перевёл] {amount} маме на карту, а деньги не пришли.
< Переводы между банками могут идти до 2 часов. Пришлите, пожалуйста, квитанцию.
> [Отправила/Отправил] скриншот.
< С нашей стороны перевод завершён, средства зачислены в {time}.
> Да, мама получила, спасибо.
""",
        "en": """
> I sent {amount} to my mother's card an hour ago and it still hasn't arrived.
< Transfers between banks can take up to 2 hours. Could you send the receipt, please?
> Sent a screenshot.
< On our side the transfer is complete; it was credited at {time}.
> Yes, she got it, thanks.
""",
    },
    "warranty": {
        "uk": """
> Пральна машина, куплена три місяці тому, перестала віджимати. Це гарантійний випадок?
< Так, гарантія 24 місяці. Оформимо виїзд майстра. Коли вам зручно?
> Завтра після 18:00.
< Записали на завтра з 18:00 до 20:00. Майстер зателефонує заздалегідь.
> Добре, чекатиму.
""",
        "ru": """
> Стиральная машина, купленная три месяца назад, перестала отжимать. Это гарантийный случай?
< Да, гарантия 24 месяца. Оформим выезд мастера. Когда вам удобно?
> Завтра после 18:00.
< Записали на завтра с 18:00 до 20:00. Мастер позвонит заранее.
> Хорошо, буду ждать.
""",
        "en": """
> The washing machine I bought three months ago stopped spinning. Is that covered by the warranty?
< Yes, the warranty is 24 months. We'll send a technician. When suits you?
> Tomorrow after 6 pm.
< Booked for tomorrow, 6–8 pm. The technician will call ahead.
> Fine, I'll be in.
""",
    },
    "subsidy": {
        "uk": """
> Як дізнатися, на якому етапі моя заява на житлову субсидію?
< Підкажіть, будь ласка, номер заяви.
> {ticket}
< Заяву схвалено, виплата надійде до кінця місяця.
> Чудово, дякую!
""",
        "ru": """
> Как узнать, на каком этапе моё заявление на жилищную субсидию?
< Подскажите, пожалуйста, номер заявления.
> {ticket}
< Заявление одобрено, выплата поступит до конца месяца.
> Отлично, спасибо!
""",
        "en": """
> How can I check the status of my housing subsidy application?
< Could you give me the application number, please?
> {ticket}
< Your application is approved; the payment will arrive by the end of the month.
> Great, thank you!
""",
    },
    "address_change": {
        "uk": """
> Я [переїхала/переїхав]. Як змінити адресу в договорі?
< Це можна зробити в застосунку: Профіль → Особисті дані → Адреса. Або надішліть нову адресу сюди.
> Львів, вул. Городоцька, 15, кв. 8
< Оновили адресу в договорі. Підтвердження надійде на пошту.
> Дякую, [отримала/отримав].
""",
        "ru": """
> Я [переехала/переехал]. Как поменять адрес в договоре?
< Это можно сделать в приложении: Профиль → Личные данные → Адрес. Или пришлите новый адрес сюда.
> Астана, ул. Кенесары, 40, кв. 12
< Обновили адрес в договоре. Подтверждение придёт на почту.
> Спасибо, [получила/получил].
""",
        "en": """
> I've moved. How do I change the address on my contract?
< You can do it in the app under Profile → Personal details → Address, or send the new address here.
> 27 Park Lane, Manchester M1 4BT
< Updated. You'll get a confirmation by e-mail.
> Thanks, got it.
""",
    },
    "branch_hours": {
        "uk": """
> Чи працює ваше відділення на Подолі в суботу?
< Так, у суботу з 9:00 до 15:00, неділя вихідний.
> Дякую!
""",
        "ru": """
> Работает ли ваше отделение на Левобережной в субботу?
< Да, в субботу с 9:00 до 15:00, воскресенье выходной.
> Спасибо!
""",
        "en": """
> Is your city centre branch open on Saturday?
< Yes, on Saturdays from 9 am to 3 pm; closed on Sundays.
> Thanks!
""",
    },
}

FOLLOW_UPS: dict[str, tuple[str, ...]] = {
    "uk": (
        "Є якісь новини?",
        "Підкажіть, будь ласка, коли буде відповідь?",
        "Дякую!",
        "Ще одне питання: чи можна це зробити онлайн?",
        "[Надіслала/Надіслав] фото документа.",
        "Добре, чекаю.",
        "Вибачте, а скільки це коштуватиме?",
    ),
    "ru": (
        "Есть какие-то новости?",
        "Подскажите, пожалуйста, когда будет ответ?",
        "Спасибо!",
        "Ещё вопрос: можно ли это сделать онлайн?",
        "[Отправила/Отправил] фото документа.",
        "Хорошо, жду.",
        "Извините, а сколько это будет стоить?",
    ),
    "en": (
        "Any news?",
        "Could you tell me when I'll get an answer?",
        "Thank you!",
        "One more question: can I do this online?",
        "I've sent a photo of the document.",
        "OK, waiting.",
        "Sorry, how much will that cost?",
    ),
}

THANKS: dict[str, tuple[str, ...]] = {
    "uk": ("Дякую за відповідь!", "Зрозуміло, дякую.", "Дякую, все працює."),
    "ru": ("Спасибо за ответ!", "Понятно, спасибо.", "Спасибо, всё работает."),
    "en": ("Thanks for the answer!", "Got it, thank you.", "Thanks, all good now."),
}

CURRENCY = {
    "UA": ("грн", "грн", "UAH"),
    "KZ": ("тг", "тенге", "KZT"),
    "RU": ("грн", "руб.", "RUB"),
    "XX": ("€", "€", "EUR"),
}


@dataclass(frozen=True, slots=True)
class Line:
    inbound: bool
    text: str


def _parse(script: str) -> tuple[Line, ...]:
    lines = []
    for raw in script.strip().splitlines():
        mark, text = raw[:1], raw[1:].strip()
        if mark not in "<>" or not text:
            raise ValueError(f"bad script line: {raw!r}")
        lines.append(Line(mark == ">", text))
    if not lines or not lines[0].inbound:
        raise ValueError("a script starts with the customer")
    return tuple(lines)


SCRIPTS: dict[str, dict[str, tuple[Line, ...]]] = {
    topic: {lang: _parse(text) for lang, text in by_lang.items()} for topic, by_lang in _SCRIPTS.items()
}
TOPICS = tuple(SCRIPTS)


def amount_text(value: int, language: str, region: str) -> str:
    """A sum of money as people write it: "1 250 грн", "1 250 тенге", "UAH 1,250"."""
    uk_sign, ru_sign, code = CURRENCY.get(region, CURRENCY["XX"])
    if language == "en":
        return f"{code} {value:,}"
    grouped = f"{value:,}".replace(",", "\u00a0")
    return f"{grouped} {uk_sign if language == 'uk' else ru_sign}"


_GENDERED = re.compile(r"\[([^/\]]*)/([^\]]*)\]")


def gendered(text: str, female: bool) -> str:
    """Resolve ``[feminine/masculine]`` forms for the speaker."""
    return _GENDERED.sub(lambda m: m.group(1) if female else m.group(2), text)
