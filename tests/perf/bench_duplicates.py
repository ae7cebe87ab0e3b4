"""Benchmark: a full duplicate scan over 100,000 realistic customers (target: under 30 s on this machine).

Run on demand:

    /work/venv/bin/python tests/perf/bench_duplicates.py [--customers 100000] [--planted 5000] [--seed 4]

It generates customers the way a Ukrainian desk sees them (Ukrainian, Russian and Latin spellings, common surnames
with a long tail, UA/KZ/RU/international phones typed in every usual format, e-mails, Telegram and Viber accounts, a
few shared office phones), plants duplicates of some of them in variant forms (another script, word order, short
form, initial, typo, Russian form; the same phone in another format, an e-mail variant, the same Telegram username, or
no shared identifier at all), normalises every identifier through omnidesk.domain.identity.normalize, and runs
omnidesk.domain.duplicates.scan_duplicates. It prints the wall time, the pairs compared, the matches found, and the
recall on the planted pairs (overall and per variant), plus how many matches are not planted pairs (mostly different
people who share a common name, which the scorer may offer only as moderate suggestions).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from omnidesk.domain.duplicates import CustomerFacts, scan_duplicates
from omnidesk.domain.identity import normalize
from omnidesk.domain.names import name_frequency_keys, to_latin

# Ukrainian given name, Russian form, short forms.
FEMALE = [
    ("Оксана", "Оксана", "Ксюша"), ("Олена", "Елена", "Лена"), ("Наталія", "Наталья", "Наташа"),
    ("Тетяна", "Татьяна", "Таня"), ("Ірина", "Ирина", "Іра"), ("Юлія", "Юлия", "Юля"), ("Марія", "Мария", "Маша"),
    ("Катерина", "Екатерина", "Катя"), ("Анна", "Анна", "Аня"), ("Світлана", "Светлана", "Світла"),
    ("Ольга", "Ольга", "Оля"), ("Анастасія", "Анастасия", "Настя"), ("Вікторія", "Виктория", "Віка"),
    ("Людмила", "Людмила", "Люда"), ("Галина", "Галина", "Галя"), ("Надія", "Надежда", "Надя"),
    ("Софія", "София", "Соня"), ("Дарина", "Дарья", "Даша"), ("Яна", "Яна", ""), ("Аліна", "Алина", ""),
    ("Інна", "Инна", ""), ("Лариса", "Лариса", "Лара"), ("Валентина", "Валентина", "Валя"),
    ("Христина", "Кристина", "Христя"), ("Марина", "Марина", ""), ("Ксенія", "Ксения", "Ксюша"),
]  # fmt: skip
MALE = [
    ("Олександр", "Александр", "Саша"), ("Андрій", "Андрей", "Андрюша"), ("Сергій", "Сергей", "Сергійко"),
    ("Дмитро", "Дмитрий", "Діма"), ("Володимир", "Владимир", "Вова"), ("Микола", "Николай", "Коля"),
    ("Михайло", "Михаил", "Миша"), ("Іван", "Иван", "Ваня"), ("Євген", "Евгений", "Женя"),
    ("Віктор", "Виктор", "Вітя"), ("Юрій", "Юрий", "Юра"), ("Василь", "Василий", "Вася"), ("Петро", "Пётр", "Петя"),
    ("Павло", "Павел", "Паша"), ("Олег", "Олег", ""), ("Ігор", "Игорь", ""), ("Богдан", "Богдан", "Бодя"),
    ("Тарас", "Тарас", ""), ("Роман", "Роман", "Рома"), ("Максим", "Максим", "Макс"), ("Денис", "Денис", ""),
    ("Артем", "Артём", "Тема"), ("Ярослав", "Ярослав", "Ярик"), ("Віталій", "Виталий", "Віталік"),
    ("Костянтин", "Константин", "Костя"), ("Олексій", "Алексей", "Льоша"),
]  # fmt: skip
COMMON_SURNAMES = (
    "Мельник Шевченко Бойко Коваленко Бондаренко Ткаченко Кравченко Ковальчук Коваль Олійник Шевчук Поліщук "
    "Лисенко Бондар Марченко Руденко Мороз Савченко Петренко Кравчук Клименко Левченко Павленко Ткачук Карпенко "
    "Кузьменко Гончаренко Харченко Романенко Савчук Мартинюк Приходько Литвиненко Сидоренко Гаврилюк Семенко "
    "Іваненко Мельничук Головко Тимошенко Костенко Білик Василенко Пономаренко Кушнір Козак Панченко Демченко "
    "Онищенко Яковенко Гуменюк Остапенко Дмитренко Ярошенко Хоменко Кириленко Захарченко Нестеренко Зінченко "
    "Юрченко Федоренко Тарасенко Власенко Мазур Коломієць Гриценко Гнатюк Степаненко Бабенко Литвин Павлюк "
    "Кравець Кучер Максименко Тищенко Вакуленко Свириденко Мирошниченко Стасюк Гордієнко Антоненко Білоус"
).split()
# Russian surnames agree with gender: (masculine, feminine).
RUSSIAN_SURNAMES = [
    (s, s + "а")
    for s in "Иванов Смирнов Кузнецов Попов Васильев Петров Соколов Михайлов Новиков Федоров Морозов Волков "
    "Алексеев Лебедев Семенов Егоров Павлов Козлов Степанов Николаев Ахметов Омаров Касымов Нурланов".split()
]
EMAIL_DOMAINS = ["gmail.com"] * 6 + ["ukr.net"] * 3 + ["i.ua", "meta.ua", "outlook.com", "yahoo.com", "mail.ru"]


SUFFIXES = ["енко", "ук", "юк", "ишин", "ович", "ський", "ець", "ан", "чак", "ів", "ин"]
CONSONANTS = "бвгджзклмнпрстхцчш"
VOWELS = "аеиоуі"
TAIL_SURNAMES = 30_000


def surname_pool(rng: random.Random) -> list[str]:
    """A long tail of plausible, distinct surnames, as a real customer base has (tens of thousands of them).

    Random syllables, so that one-letter neighbours are about as rare as among real surnames.
    """
    pool: set[str] = set()
    while len(pool) < TAIL_SURNAMES:
        syllables = rng.choice([2, 2, 3])
        root = "".join(rng.choice(CONSONANTS) + rng.choice(VOWELS) for _ in range(syllables)) + rng.choice(CONSONANTS)
        pool.add(root[0].upper() + root[1:] + rng.choice(SUFFIXES))
    return sorted(pool)


# The most common Ukrainian surname (Мельник) is about 0.8% of people; the common list as a whole about a quarter.
COMMON_WEIGHTS = [1 / (rank + 8) for rank in range(len(COMMON_SURNAMES))]


def pick_surname(rng: random.Random, synthetic: list[str], female: bool) -> str:
    roll = rng.random()
    if roll < 0.25:
        return rng.choices(COMMON_SURNAMES, COMMON_WEIGHTS)[0]
    if roll < 0.35:
        pair = rng.choice(RUSSIAN_SURNAMES)
        return pair[1] if female else pair[0]
    word = rng.choice(synthetic)
    if female and word.endswith("ський"):
        word = word[: -len("ський")] + "ська"
    return word


def phone_digits(rng: random.Random) -> tuple[str, str]:
    """(country, national significant number)."""
    roll = rng.random()
    if roll < 0.8:
        return "UA", rng.choice(["50", "66", "67", "68", "73", "93", "95", "96", "97", "98", "99"]) + (
            f"{rng.randrange(10**7):07d}"
        )
    if roll < 0.88:
        return "KZ", rng.choice(
            ["701", "702", "705", "707", "747", "771", "775", "777"]
        ) + f"{rng.randrange(10**7):07d}"
    if roll < 0.95:
        return "RU", rng.choice(["903", "905", "916", "926", "985", "999"]) + f"{rng.randrange(10**7):07d}"
    return "PL", rng.choice(["501", "512", "600", "691", "790"]) + f"{rng.randrange(10**6):06d}"


COUNTRY_CODE = {"UA": "380", "KZ": "7", "RU": "7", "PL": "48"}


def typed_phone(rng: random.Random, country: str, nsn: str) -> str:
    """The number as a person would type it."""
    cc = COUNTRY_CODE[country]
    if country == "UA":
        forms = [
            f"+{cc}{nsn}",
            f"0{nsn[:2]} {nsn[2:5]} {nsn[5:7]} {nsn[7:]}",
            f"0{nsn}",
            f"{cc}{nsn}",
            f"(0{nsn[:2]}) {nsn[2:5]}-{nsn[5:7]}-{nsn[7:]}",
            f"+{cc} ({nsn[:2]}) {nsn[2:5]} {nsn[5:]}",
            f"8 0{nsn[:2]} {nsn[2:5]} {nsn[5:7]} {nsn[7:]}",
        ]
    elif country in ("KZ", "RU"):
        forms = [f"+7{nsn}", f"+7 ({nsn[:3]}) {nsn[3:6]}-{nsn[6:8]}-{nsn[8:]}", f"+7 {nsn[:3]} {nsn[3:]}"]
    else:
        forms = [f"+{cc}{nsn}", f"+{cc} {nsn[:3]} {nsn[3:6]} {nsn[6:]}", f"00{cc}{nsn}"]
    return rng.choice(forms)


def login(rng: random.Random, given_latin: str, surname_latin: str) -> str:
    g, s = given_latin.lower(), surname_latin.lower()
    form = rng.choice([f"{g}.{s}", f"{g}{s}", f"{g[0]}.{s}", f"{s}.{g}", f"{g}_{s[:4]}", f"{s}{g[0]}"])
    return form + (str(rng.randrange(1, 2000)) if rng.random() < 0.6 else "")


class Person:
    __slots__ = ("email_domain", "email_login", "female", "given", "given_ru", "phone", "short", "surname", "tg")

    def __init__(self, rng: random.Random, synthetic: list[str], taken: set[str]) -> None:
        self.female = rng.random() < 0.55
        self.given, self.given_ru, self.short = rng.choice(FEMALE if self.female else MALE)
        self.surname = pick_surname(rng, synthetic, self.female)
        self.phone = phone_digits(rng) if rng.random() < 0.85 else None
        g_lat, s_lat = to_latin(self.given, "uk"), to_latin(self.surname)
        self.email_login = login(rng, g_lat, s_lat) if rng.random() < 0.6 else None
        while self.email_login in taken:  # an address belongs to one person
            self.email_login += str(rng.randrange(10))
        if self.email_login:
            taken.add(self.email_login)
        self.email_domain = rng.choice(EMAIL_DOMAINS)
        self.tg = f"{g_lat.lower()}_{rng.randrange(10, 100000)}" if rng.random() < 0.3 else None


def written_name(rng: random.Random, p: Person) -> str:
    roll = rng.random()
    if roll < 0.6:
        return f"{p.given} {p.surname}"
    if roll < 0.75:
        return to_latin(f"{p.given} {p.surname}", "uk")
    if roll < 0.85:
        return f"{p.given_ru} {p.surname}"
    if roll < 0.95:
        return f"{p.surname} {p.given}"
    return p.given  # a messenger display name


def typo(rng: random.Random, word: str) -> str:
    i = rng.randrange(1, len(word) - 1)
    if rng.random() < 0.5:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]  # two letters swapped
    return word[:i] + word[i + 1 :]  # a letter dropped


NAME_VARIANTS = ["other_script", "reordered", "short_form", "initial", "typo", "russian_form", "same"]
ID_VARIANTS = ["phone_format", "email_variant", "telegram_username", "none"]


def variant_name(rng: random.Random, p: Person, how: str) -> str:
    if how == "other_script":
        return to_latin(f"{p.given} {p.surname}", "uk")
    if how == "reordered":
        return rng.choice([f"{p.surname} {p.given}", to_latin(f"{p.surname} {p.given}", "uk")])
    if how == "short_form" and p.short:
        return f"{p.short} {p.surname}"
    if how == "initial":
        return rng.choice([f"{p.given[0]}. {p.surname}", f"{p.surname} {p.given[0]}."])
    if how == "typo" and len(p.surname) >= 5:
        return f"{p.given} {typo(rng, p.surname)}"
    if how == "russian_form":
        return f"{p.given_ru} {p.surname}"
    return f"{p.given} {p.surname}"


def identifiers(rng: random.Random, p: Person) -> list[tuple[str, str]]:
    found = []
    if p.phone:
        found.append(("phone", typed_phone(rng, *p.phone)))
    if p.email_login:
        found.append(("email", f"{p.email_login}@{p.email_domain}"))
    if p.tg:
        found.append(("telegram_username", p.tg))
    return found


def variant_identifiers(rng: random.Random, p: Person, how: str) -> list[tuple[str, str]] | None:
    """The duplicate's identifiers, or None if the person has nothing to vary in that way."""
    if how == "phone_format" and p.phone:
        return [("phone", typed_phone(rng, *p.phone))]
    if how == "email_variant" and p.email_login:
        local = p.email_login
        if p.email_domain == "gmail.com":
            local = rng.choice([local.replace(".", ""), local + "+shop", local.upper()])
            domain = rng.choice(["gmail.com", "googlemail.com", "GMail.com"])
        else:
            local, domain = local.capitalize(), p.email_domain.upper()
        return [("email", f" {local}@{domain} ")]
    if how == "telegram_username" and p.tg:
        return [("telegram_username", "@" + p.tg.capitalize())]
    if how == "none":
        return []
    return None


def generate(count: int, planted: int, seed: int) -> tuple[list[CustomerFacts], dict[tuple[int, int], str]]:
    rng = random.Random(seed)
    synthetic = surname_pool(rng)
    base = count - planted
    taken: set[str] = set()
    people = [Person(rng, synthetic, taken) for _ in range(base)]
    raw: list[tuple[str, list[tuple[str, str]]]] = [(written_name(rng, p), identifiers(rng, p)) for p in people]
    # Offices: a few phones shared by several different people.
    for _ in range(40):
        office = typed_phone(rng, "UA", "44" + f"{rng.randrange(10**7):07d}")
        for index in rng.sample(range(base), 5):
            raw[index][1].append(("phone", office))
    plants: dict[tuple[int, int], str] = {}
    while len(raw) < count:
        original = rng.randrange(base)
        p = people[original]
        id_how = rng.choice(ID_VARIANTS)
        ids = variant_identifiers(rng, p, id_how)
        if ids is None:
            continue
        name_how = rng.choice(NAME_VARIANTS)
        if id_how == "none" and (name_how == "initial" or raw[original][0] == p.given):
            continue  # "О. Петренко" with nothing else in common is not findable, by design
        plants[(original, len(raw))] = f"{name_how}+{id_how}"
        raw.append((variant_name(rng, p, name_how), ids))
    order = list(range(count))
    rng.shuffle(order)  # ids must not reveal which record is the copy
    new_id = {old: new for new, old in enumerate(order)}
    customers = [CustomerFacts(0, "", ())] * count
    for old, (name, ids) in enumerate(raw):
        customers[new_id[old]] = CustomerFacts(
            new_id[old], name, tuple(dict.fromkeys(normalize(kind, value) for kind, value in ids))
        )
    planted_pairs = {tuple(sorted((new_id[a], new_id[b]))): how for (a, b), how in plants.items()}
    return customers, planted_pairs  # type: ignore[return-value]


RARE_NAME = 5  # customers holding a name; with more, a name alone is not evidence enough (duplicates.name_weight)


def name_frequencies(customers: list[CustomerFacts]) -> list[int]:
    counts: Counter[str] = Counter(k for c in customers for k in name_frequency_keys(c.name))
    return [max((counts[k] for k in name_frequency_keys(c.name)), default=1) for c in customers]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--planted", type=int, default=5_000)
    parser.add_argument("--seed", type=int, default=4)
    args = parser.parse_args()

    started = time.perf_counter()
    customers, planted = generate(args.customers, args.planted, args.seed)
    generated = time.perf_counter() - started
    identifiers_total = sum(len(c.identities) for c in customers)
    print(f"generated {len(customers):,} customers, {identifiers_total:,} identifiers normalised, in {generated:.1f} s")

    started, cpu_started = time.perf_counter(), time.process_time()
    scan = scan_duplicates(customers)
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu_started

    found = {(m.a_id, m.b_id): m for m in scan.matches}
    hits = [pair for pair in planted if pair in found]
    print(f"scan wall time:      {wall:.1f} s (target < 30 s); CPU time {cpu:.1f} s (the machine is shared)")
    print(f"pairs compared:      {scan.pairs_compared:,} (n² / 2 would be {len(customers) ** 2 // 2:,})")
    print(f"blocks used:         {scan.blocks:,} (oversized, skipped: {scan.oversized_blocks})")
    print(f"matches found:       {len(scan.matches):,}")
    print(f"recall on planted:   {len(hits) / len(planted):.1%} ({len(hits):,} of {len(planted):,})")
    with_id = [pair for pair, how in planted.items() if not how.endswith("+none")]
    name_only = [pair for pair, how in planted.items() if how.endswith("+none")]
    frequency = name_frequencies(customers)
    rare = [pair for pair in name_only if max(frequency[pair[0]], frequency[pair[1]]) <= RARE_NAME]
    for label, pairs in [
        ("sharing an identifier", with_id),
        ("name only", name_only),
        (f"name only, name held by <= {RARE_NAME}", rare),
    ]:
        got = sum(pair in found for pair in pairs)
        print(f"  {label + ':':40} {got / max(len(pairs), 1):.1%} ({got:,} of {len(pairs):,})")
    by_variant = Counter(planted.values())
    hit_variant = Counter(planted[pair] for pair in hits)
    for what in (NAME_VARIANTS, ID_VARIANTS):
        part = 0 if what is NAME_VARIANTS else 1
        totals: Counter[str] = Counter()
        hits_by: Counter[str] = Counter()
        for how, n in by_variant.items():
            totals[how.split("+")[part]] += n
            hits_by[how.split("+")[part]] += hit_variant[how]
        print("  " + ", ".join(f"{k} {hits_by[k] / totals[k]:.0%}" for k in sorted(totals)))
    others = [m for pair, m in found.items() if pair not in planted]
    strong = sum(m.score >= 0.8 for m in others)
    print(f"matches not planted: {len(others):,} ({strong:,} scored >= 0.8; the rest are moderate suggestions)")
    codes = Counter(r.code for m in others for r in m.reasons[:1])
    print("  first reasons of unplanted matches: " + ", ".join(f"{c} {n:,}" for c, n in codes.most_common(8)))


if __name__ == "__main__":
    main()
