"""The demo's customers: believable names, phones and accounts from Ukraine, Kazakhstan, Russia and abroad.

A ``Person`` is someone who writes to the organisation, with the identifier each channel knows them by. Most write
through one channel; some through several with the same phone or e-mail (one customer with several identities);
and a few are written twice, in another script or a short form of the name, as separate customers: the duplicates a
supervisor is asked to review.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

import phonenumbers

from omnidesk.domain.enums import ChannelKind
from omnidesk.domain.identity import IdentityKind
from omnidesk.domain.names import to_latin

# The identifier a channel knows its sender by.
SENDER_KIND: dict[ChannelKind, IdentityKind] = {
    ChannelKind.TELEGRAM: IdentityKind.TELEGRAM_ID,
    ChannelKind.WHATSAPP: IdentityKind.WHATSAPP,
    ChannelKind.VIBER: IdentityKind.VIBER,
    ChannelKind.VK: IdentityKind.VK,
    ChannelKind.META: IdentityKind.META,
    ChannelKind.INSTAGRAM: IdentityKind.INSTAGRAM,
    ChannelKind.MAX: IdentityKind.MAX,
    ChannelKind.EMAIL: IdentityKind.EMAIL,
    ChannelKind.WEBCHAT: IdentityKind.WEBCHAT,
    ChannelKind.WEBFORM: IdentityKind.EMAIL,
    ChannelKind.PHONE: IdentityKind.PHONE,
    ChannelKind.API: IdentityKind.EXTERNAL,
}

CHANNEL_NAMES: dict[ChannelKind, str] = {
    ChannelKind.TELEGRAM: "Telegram @omnibank_help_bot",
    ChannelKind.WHATSAPP: "WhatsApp +380 44 300 12 34",
    ChannelKind.VIBER: "Viber OmniBank",
    ChannelKind.VK: "VK omnibank",
    ChannelKind.META: "Facebook Messenger OmniBank",
    ChannelKind.INSTAGRAM: "Instagram @omnibank",
    ChannelKind.MAX: "MAX OmniBank",
    ChannelKind.EMAIL: "support@omnidesk.example",
    ChannelKind.WEBCHAT: "Web chat",
    ChannelKind.WEBFORM: "Contact form",
    ChannelKind.PHONE: "Call centre 0 800 300 123",
    ChannelKind.API: "CRM integration",
}

_UK_F = (
    "Оксана Олена Ірина Наталія Тетяна Марія Юлія Світлана Галина Анна Катерина Вікторія Христина Софія Людмила Дарина"
)
_UK_M = "Андрій Олександр Дмитро Сергій Тарас Богдан Василь Микола Іван Юрій Остап Максим Володимир Роман Петро Назар"
_UK_SUR = (
    "Шевченко Коваленко Ткаченко Кравченко Олійник Лисенко Руденко Савченко Гончаренко Марченко Поліщук "
    "Литвиненко Кравчук Бойко Ковальчук Павленко Мороз Кузьменко Гаврилюк Романюк Захарченко Ярошенко Дорошенко "
    "Мазур Антонюк Костенко Левченко Федоренко"
)
_RU_F = "Анастасия Екатерина Ольга Мария Елена Татьяна Светлана Ксения Дарья Наталья Юлия Алина"
_RU_M = "Алексей Дмитрий Михаил Андрей Николай Павел Артём Евгений Владимир Игорь Константин Максим"
_RU_SUR = "Смирнов Кузнецов Попов Соколов Лебедев Козлов Новиков Морозов Волков Фёдоров Орлов Белов Зайцев Громов"
_KZ_F = "Айгуль Динара Асель Жанар Гульнара Мадина Камила Алия"
_KZ_M = "Нурлан Ерлан Асхат Данияр Бауыржан Арман Руслан Ержан"
_KZ_SUR = "Нурпеисов Ахметов Жумабаев Касымов Омаров Серикбаев Абенов Тулегенов Исмаилов Бекмуханов"
_EN_F = "Emily Sarah Olivia Hannah Laura Jessica Rachel Sophie Charlotte Emma"
_EN_M = "James Michael Daniel Thomas David Oliver Matthew Andrew George William"
_EN_SUR = "Smith Johnson Brown Taylor Wilson Clarke Walker Harris Wright Green Miller Davies Evans Hughes"

_MAIL_UA = ("gmail.com", "ukr.net", "i.ua", "meta.ua", "outlook.com")
_MAIL_KZ = ("mail.kz", "gmail.com", "mail.ru", "inbox.kz")
_MAIL_RU = ("yandex.ru", "mail.ru", "gmail.com", "rambler.ru")
_MAIL_EN = ("gmail.com", "outlook.com", "yahoo.co.uk", "icloud.com", "hotmail.com")

# Mobile prefixes: Ukraine (Kyivstar, Vodafone, lifecell), Kazakhstan (+7 7xx), Russia (+7 9xx), abroad.
_PHONE_PREFIXES = {
    "UA": (
        "+38050",
        "+38066",
        "+38095",
        "+38099",
        "+38067",
        "+38068",
        "+38096",
        "+38097",
        "+38098",
        "+38063",
        "+38093",
    ),
    "KZ": ("+7701", "+7702", "+7705", "+7707", "+7747", "+7771", "+7775", "+7777", "+7778"),
    "RU": ("+7903", "+7905", "+7915", "+7916", "+7926", "+7985", "+7999"),
    "XX": ("+4477", "+4479", "+4474", "+353 85", "+353 87", "+4915", "+4817"),
}

# Where people write from: (region, language, weight). Many Ukrainians write in Russian or in English.
ORIGINS = (("UA", "uk", 42), ("UA", "ru", 10), ("UA", "en", 8), ("KZ", "ru", 12), ("RU", "ru", 8), ("XX", "en", 20))

_CHANNEL_TASTE: dict[str, tuple[tuple[ChannelKind, int], ...]] = {
    "UA": (
        (ChannelKind.TELEGRAM, 30),
        (ChannelKind.VIBER, 20),
        (ChannelKind.PHONE, 12),
        (ChannelKind.WEBFORM, 10),
        (ChannelKind.EMAIL, 10),
        (ChannelKind.WEBCHAT, 8),
        (ChannelKind.WHATSAPP, 5),
        (ChannelKind.META, 5),
        (ChannelKind.INSTAGRAM, 4),
        (ChannelKind.API, 3),
    ),
    "KZ": (
        (ChannelKind.WHATSAPP, 35),
        (ChannelKind.TELEGRAM, 25),
        (ChannelKind.EMAIL, 12),
        (ChannelKind.PHONE, 10),
        (ChannelKind.WEBCHAT, 8),
        (ChannelKind.META, 5),
        (ChannelKind.WEBFORM, 5),
    ),
    "RU": (
        (ChannelKind.VK, 30),
        (ChannelKind.TELEGRAM, 30),
        (ChannelKind.MAX, 15),
        (ChannelKind.EMAIL, 15),
        (ChannelKind.WHATSAPP, 10),
        (ChannelKind.WEBCHAT, 10),
        (ChannelKind.PHONE, 5),
    ),
    "XX": (
        (ChannelKind.EMAIL, 30),
        (ChannelKind.WHATSAPP, 20),
        (ChannelKind.META, 15),
        (ChannelKind.INSTAGRAM, 10),
        (ChannelKind.WEBCHAT, 15),
        (ChannelKind.WEBFORM, 10),
        (ChannelKind.API, 5),
        (ChannelKind.TELEGRAM, 5),
    ),
}


@dataclass(frozen=True, slots=True)
class Account:
    """How one channel knows a person: the sender identifier, and what else its messages carry."""

    kind: IdentityKind
    value: str
    name: str | None
    extra: tuple[tuple[IdentityKind, str], ...] = ()


@dataclass(frozen=True, slots=True)
class LiveLine:
    """A message a person sends on ``channel`` once the demo runs (never seeded); ``share_phone``: it carries their
    own phone number as the platform lets a customer share it (Telegram's contact, MAX's contact card, Viber's
    contact sent with the share-phone button)."""

    channel: ChannelKind
    text: str
    share_phone: bool = False


@dataclass
class Person:
    name: str
    language: str
    region: str
    female: bool
    phone: str | None = None
    email: str | None = None
    accounts: dict[ChannelKind, Account] = field(default_factory=dict)
    segment: str | None = None
    tags: list[str] = field(default_factory=list)
    note: str = ""  # why this person is in the cast (for the tests and whoever reads the data)
    # What they write while the demo runs, through the channel's real connector: the seed has no history and no
    # identity of theirs on those channels (the identity rule joins them to this customer at runtime).
    live: tuple[LiveLine, ...] = ()

    @property
    def channels(self) -> list[ChannelKind]:
        return list(self.accounts)

    @property
    def seeded_channels(self) -> list[ChannelKind]:
        """The channels the seed gives them history and identities on: all but those they first write on live."""
        later = {line.channel for line in self.live}
        return [kind for kind in self.accounts if kind not in later]


def _words(text: str) -> list[str]:
    return text.split()


def _feminine(surname: str, language: str) -> str:
    """Russian and Kazakh surnames in -ов/-ев/-ин take -а for women; Ukrainian -енко, -ук, English ones do not."""
    if language == "ru" and surname.endswith(("ов", "ев", "ин", "ёв")):
        return surname + "а"
    return surname


def random_phone(rng: random.Random, region: str) -> str:
    """A valid mobile number of the region in E.164."""
    for _ in range(200):
        prefix = rng.choice(_PHONE_PREFIXES[region]).replace(" ", "")
        rest = "".join(rng.choice("0123456789") for _ in range(9))
        for length in range(6, 10):
            number = phonenumbers.parse(prefix + rest[:length], None)
            if phonenumbers.is_valid_number(number):
                return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    raise RuntimeError(f"no valid phone number for {region}")


def _latin(name: str, language: str) -> str:
    return to_latin(name, language if language in ("uk", "ru") else None)


def random_email(rng: random.Random, name: str, language: str, region: str) -> str:
    first, *rest = _latin(name, language).lower().replace("'", "").split()
    last = rest[-1] if rest else "mail"
    domains = {"UA": _MAIL_UA, "KZ": _MAIL_KZ, "RU": _MAIL_RU}.get(region, _MAIL_EN)
    local = rng.choice(
        (
            f"{first}.{last}",
            f"{first}{last}",
            f"{first[0]}.{last}",
            f"{last}.{first}",
            f"{first}_{last}{rng.randint(7, 99)}",
        )
    )
    return f"{local}@{rng.choice(domains)}"


def random_name(rng: random.Random, region: str, language: str) -> tuple[str, bool]:
    female = rng.random() < 0.55
    if language == "en" and region == "XX":
        first = rng.choice(_words(_EN_F if female else _EN_M))
        return f"{first} {rng.choice(_words(_EN_SUR))}", female
    if region == "KZ":
        first = rng.choice(_words(_KZ_F if female else _KZ_M))
        surname = rng.choice(_words(_KZ_SUR))
        lang = "ru"
    elif language == "ru" and region != "UA":
        first = rng.choice(_words(_RU_F if female else _RU_M))
        surname = rng.choice(_words(_RU_SUR))
        lang = "ru"
    else:
        first = rng.choice(_words(_UK_F if female else _UK_M))
        surname = rng.choice(_words(_UK_SUR))
        lang = "uk"
    name = f"{first} {_feminine(surname, lang) if female else surname}"
    if language == "en":  # a Ukrainian writing in English signs in Latin letters
        name = _latin(name, lang)
    return name, female


def account_for(rng: random.Random, person: Person, kind: ChannelKind) -> Account:
    """The identifier ``kind`` knows ``person`` by (a phone channel knows the number, Telegram an account id…)."""
    name = person.name
    if kind in (ChannelKind.PHONE, ChannelKind.WHATSAPP):
        if person.phone is None:
            person.phone = random_phone(rng, person.region)
        return Account(SENDER_KIND[kind], person.phone, name)
    if kind in (ChannelKind.EMAIL, ChannelKind.WEBFORM):
        if person.email is None:
            person.email = random_email(rng, person.name, person.language, person.region)
        extra: tuple[tuple[IdentityKind, str], ...] = ()
        if kind is ChannelKind.WEBFORM:
            if person.phone is None:
                person.phone = random_phone(rng, person.region)
            extra = ((IdentityKind.PHONE, person.phone),)
        return Account(IdentityKind.EMAIL, person.email, name, extra)
    if kind is ChannelKind.TELEGRAM:
        user_id = str(rng.randint(120_000_000, 6_999_999_999))
        extra = ()
        if rng.random() < 0.6:
            handle = _latin(name, person.language).lower().replace(" ", "_").replace("'", "")
            extra = ((IdentityKind.TELEGRAM_USERNAME, f"{handle}{rng.randint(1, 99)}"),)
        first_only = rng.random() < 0.3
        return Account(IdentityKind.TELEGRAM_ID, user_id, name.split()[0] if first_only else name, extra)
    if kind is ChannelKind.VIBER:
        alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
        return Account(IdentityKind.VIBER, "".join(rng.choice(alphabet) for _ in range(22)) + "==", name)
    if kind is ChannelKind.VK:
        return Account(IdentityKind.VK, str(rng.randint(1_000_000, 899_999_999)), name)
    if kind in (ChannelKind.META, ChannelKind.INSTAGRAM):  # page- or Instagram-scoped user ids
        return Account(SENDER_KIND[kind], str(rng.randint(10**15, 10**16 - 1)), name)
    if kind is ChannelKind.MAX:
        return Account(IdentityKind.MAX, str(rng.randint(1_000_000, 99_999_999)), name)
    if kind is ChannelKind.WEBCHAT:
        return Account(IdentityKind.WEBCHAT, f"visitor-{rng.getrandbits(48):012x}", name)
    return Account(IdentityKind.EXTERNAL, f"CRM-{rng.randint(100_000, 999_999)}", name)


def _pick_weighted(rng: random.Random, options):
    values, weights = zip(*options, strict=True)
    return rng.choices(values, weights=weights, k=1)[0]


def random_person(rng: random.Random, channel_count: int | None = None) -> Person:
    region, language, _ = rng.choices(ORIGINS, weights=[o[2] for o in ORIGINS], k=1)[0]
    name, female = random_name(rng, region, language)
    person = Person(name=name, language=language, region=region, female=female)
    if channel_count is None:
        channel_count = _pick_weighted(rng, ((1, 62), (2, 26), (3, 9), (4, 3)))
    taste = _CHANNEL_TASTE[region]
    while len(person.accounts) < channel_count:
        kind = _pick_weighted(rng, taste)
        if kind not in person.accounts:
            person.accounts[kind] = account_for(rng, person, kind)
    draw = rng.random()  # one draw (the demo's sequence of draws stays as it was): 8% VIP, 15% business, 50% retail
    if draw < 0.08:
        person.segment = "VIP"
    elif draw < 0.23:
        person.segment = "Business"
    elif draw < 0.73:
        person.segment = "Retail"
    if rng.random() < 0.2:
        person.tags = [rng.choice(("salary project", "new client", "pensioner", "business", "complaint"))]
    return person


def _scripted(rng: random.Random, name: str, language: str, region: str, female: bool, kind: ChannelKind, note: str):
    person = Person(name=name, language=language, region=region, female=female, note=note)
    person.accounts[kind] = account_for(rng, person, kind)
    return person


def duplicate_cast(rng: random.Random) -> list[Person]:
    """People written as separate customers who are probably one person (issue: duplicates across scripts)."""
    oksana_en = _scripted(rng, "Oksana Petrenko", "en", "UA", True, ChannelKind.EMAIL, "duplicate:petrenko")
    oksana_en.email = "oksana.petrenko@gmail.com"
    oksana_en.accounts[ChannelKind.EMAIL] = Account(IdentityKind.EMAIL, oksana_en.email, oksana_en.name)
    cast = [
        oksana_en,
        _scripted(rng, "Оксана Петренко", "uk", "UA", True, ChannelKind.TELEGRAM, "duplicate:petrenko"),
        _scripted(rng, "Ксюша Петренко", "uk", "UA", True, ChannelKind.VIBER, "duplicate:petrenko"),
        _scripted(rng, "Dmytro Bondarenko", "en", "UA", False, ChannelKind.WEBCHAT, "duplicate:bondarenko"),
        _scripted(rng, "Дмитро Бондаренко", "uk", "UA", False, ChannelKind.TELEGRAM, "duplicate:bondarenko"),
        _scripted(rng, "Сергей Иванов", "ru", "RU", False, ChannelKind.VK, "duplicate:ivanov"),
        _scripted(rng, "Sergei Ivanov", "en", "RU", False, ChannelKind.EMAIL, "duplicate:ivanov"),
        _scripted(rng, "Айгерим Сапарова", "ru", "KZ", True, ChannelKind.WHATSAPP, "duplicate:saparova"),
        _scripted(rng, "Aigerim Saparova", "en", "KZ", True, ChannelKind.WEBFORM, "duplicate:saparova"),
    ]
    # One number, two customers: a call to the call centre, and WhatsApp from the same phone under a short name.
    melnyk_call = _scripted(rng, "Мельник Тарас Іванович", "uk", "UA", False, ChannelKind.PHONE, "duplicate:melnyk")
    melnyk_chat = Person(name="Тарас М.", language="uk", region="UA", female=False, note="duplicate:melnyk")
    melnyk_chat.phone = melnyk_call.phone
    melnyk_chat.accounts[ChannelKind.WHATSAPP] = account_for(rng, melnyk_chat, ChannelKind.WHATSAPP)
    cast += [melnyk_call, melnyk_chat]
    return cast


def showcase(rng: random.Random) -> Person:
    """One person who called, filled in the site's form and wrote an e-mail (seeded), then, once the demo runs,
    writes in Telegram, then in MAX and in Viber, sharing the same phone on each: the channels' delivery paths bring
    those messages and ingest's identity rule (a shared phone) makes them the same customer, with one timeline."""
    person = Person(
        name="Наталія Гончаренко", language="uk", region="UA", female=True, segment="VIP", note="multichannel"
    )
    person.phone = "+380671234567"
    person.email = "natalia.honcharenko@ukr.net"
    for kind in (ChannelKind.PHONE, ChannelKind.TELEGRAM, ChannelKind.VIBER, ChannelKind.WEBFORM, ChannelKind.EMAIL):
        person.accounts[kind] = account_for(rng, person, kind)
    # MAX from a generator of its own, so the rest of the cast (drawn from ``rng``) stays as it was.
    person.accounts[ChannelKind.MAX] = account_for(random.Random(f"{person.name}/max"), person, ChannelKind.MAX)
    person.accounts = {
        kind: person.accounts[kind]
        for kind in (
            ChannelKind.PHONE,
            ChannelKind.TELEGRAM,
            ChannelKind.MAX,
            ChannelKind.VIBER,
            ChannelKind.WEBFORM,
            ChannelKind.EMAIL,
        )
    }
    person.tags = ["salary project"]
    person.live = (
        LiveLine(ChannelKind.TELEGRAM, "Мій номер телефону", share_phone=True),
        LiveLine(ChannelKind.TELEGRAM, "Добрий день! Чи можна підвищити кредитний ліміт на моїй картці?"),
        LiveLine(ChannelKind.MAX, "Добрий день, тепер пишу вам у MAX. Чи вже є рішення щодо ліміту?", share_phone=True),
        LiveLine(ChannelKind.VIBER, "Мій номер телефону", share_phone=True),  # Viber's contact: no text beside it
        LiveLine(ChannelKind.VIBER, "І ще з Viber: ліміт потрібен до п'ятниці, дякую!"),
    )
    return person


def cast(rng: random.Random, size: int) -> list[Person]:
    """``size`` people: the showcase, the duplicates, and random customers (deterministic for a given ``rng``)."""
    people = [showcase(rng), *duplicate_cast(rng)]
    taken = {key for person in people for key in identifier_keys(person)}
    while len(people) < size:
        person = random_person(rng)
        keys = identifier_keys(person)
        if keys & taken:  # a namesake got the same e-mail or number: draw someone else
            continue
        taken |= keys
        people.append(person)
    return people


def identifier_keys(person: Person) -> set[tuple[str, str]]:
    """Every identifier the person's accounts carry, as (kind, value) in the form the seed stores them."""
    return {
        (kind.value, value.casefold())
        for account in person.accounts.values()
        for kind, value in ((account.kind, account.value), *account.extra)
    }
