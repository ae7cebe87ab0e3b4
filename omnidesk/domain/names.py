"""Person names across scripts: transliteration, script-neutral keys, short forms, name comparison.

Customers write their names as they please: "Оксана Петренко" in a web form, "Petrenko Oksana" in an
e-mail signature, "Ксюша" in Telegram, "О. Петренко" on an invoice. This module turns each form into
comparable keys, so that the duplicate scorer (omnidesk.domain.duplicates) and the customer search
see one person.

- Transliteration: Ukrainian by the national KMU 2010 table (Cabinet of Ministers resolution No. 55 of
  27 January 2010), Russian by the ICAO Doc 9303 table used in Russian passports since 2013. Both are
  deterministic. `cyrillic_spellings` goes back from Latin to likely Cyrillic spellings.
- Name keys: `name_key` reduces a word in either script to a "sound skeleton" in which the usual
  differences between romanisations collapse (Kseniia / Kseniya / Ksenia / Ксенія, Hryhorenko /
  Grigorenko / Григоренко, Oleksandr / Olexandr). Typos are left to rapidfuzz on these keys.
- Given names: groups of full forms and short forms in Ukrainian, Russian and English
  (Оксана = Ксенія = Ксения = Oksana = Ксюша), initials and patronymics; `compare_names` says how two
  names match, with a score and the reason in words.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from typing import Literal

from rapidfuzz.distance import OSA

Language = Literal["uk", "ru"]

# --- transliteration -----------------------------------------------------------------------------

# KMU 2010, the table in Ukrainian passports and official documents. Apostrophe and soft sign vanish.
_UK_LETTERS: dict[str, str] = {
    "а": "a", "б": "b", "в": "v", "г": "h", "ґ": "g", "д": "d", "е": "e", "є": "ie", "ж": "zh",
    "з": "z", "и": "y", "і": "i", "ї": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n",
    "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ь": "", "ю": "iu", "я": "ia",
}  # fmt: skip
# KMU 2010 spells these differently at the start of a word: Юрій -> Yurii, but Андрюша -> Andriusha.
_UK_WORD_START: dict[str, str] = {"є": "ye", "ї": "yi", "й": "y", "ю": "yu", "я": "ya"}

# ICAO Doc 9303 (Russian passports since 2013): no positional rules, ъ -> ie.
_RU_LETTERS: dict[str, str] = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z",
    "и": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "shch", "ъ": "ie", "ы": "y", "ь": "", "э": "e", "ю": "iu", "я": "ia",
}  # fmt: skip

# Letters of neighbouring alphabets that customers of a Ukrainian or Russian desk also write
# (Kazakh, Belarusian), so that a Kazakh name is not silently emptied.
_OTHER_CYRILLIC: dict[str, str] = {
    "ә": "a", "ғ": "g", "қ": "k", "ң": "n", "ө": "o", "ұ": "u", "ү": "u", "һ": "h", "ў": "u",
}  # fmt: skip

_UK_ONLY = frozenset("іїєґ")
_RU_ONLY = frozenset("ыэёъ")
_APOSTROPHES = frozenset("'’ʼ`")


def _is_cyrillic(char: str) -> bool:
    return "\u0400" <= char <= "\u04ff"


def guess_language(text: str) -> Language | None:
    """Say whether Cyrillic text is Ukrainian or Russian by the letters only one of them has."""
    letters = set(text.lower())
    if letters & _UK_ONLY:
        return "uk"
    if letters & _RU_ONLY:
        return "ru"
    return None


def to_latin(text: str, language: Language | None = None) -> str:
    """Transliterate Cyrillic to Latin (KMU 2010 for Ukrainian, ICAO 9303 for Russian).

    Without `language`, the letters decide; text that could be either is read as Ukrainian, the
    desk's home language. Latin text, digits and punctuation pass through unchanged.
    """
    if language is None:
        language = guess_language(text) or "uk"
    table = _UK_LETTERS if language == "uk" else _RU_LETTERS
    # A letter of the other language still needs a value (a Russian name typed on a Ukrainian
    # keyboard layout is common), so fall back to the other table rather than drop it.
    fallback = _RU_LETTERS if language == "uk" else _UK_LETTERS
    out: list[str] = []
    length = len(text)
    for i, char in enumerate(text):
        lower = char.lower()
        if lower in _APOSTROPHES:
            neighbours = text[i - 1 : i] + text[i + 1 : i + 2]
            if any(_is_cyrillic(c) for c in neighbours):
                continue
            out.append(char)
            continue
        if not _is_cyrillic(lower):
            out.append(char)
            continue
        previous = text[i - 1] if i else ""
        word_start = not previous.isalpha() and previous not in _APOSTROPHES
        if language == "uk" and word_start and lower in _UK_WORD_START:
            latin = _UK_WORD_START[lower]
        elif language == "uk" and lower == "г" and text[:i].lower().rstrip("ь'’ʼ`").endswith("з"):
            latin = "gh"  # KMU 2010 writes зг as zgh, so that it cannot be read as ж (zh)
        else:
            latin = table.get(lower, fallback.get(lower, _OTHER_CYRILLIC.get(lower, "")))
        if char != lower and latin:
            following = text[i + 1] if i + 1 < length else ""
            whole_word_upper = following.isupper() or (previous.isupper() and previous.isalpha())
            latin = latin.upper() if whole_word_upper else latin[0].upper() + latin[1:]
        out.append(latin)
    return "".join(out)


# The same transliteration in lower case, as str.translate tables: the keys of every customer's
# name are built with it, so it must be fast. Positional rules become marks in the private use
# area first (a word-start є/ї/й/ю/я, the г of зг), which the tables then spell.
_WORD_START_MARK = {letter: chr(0xE000 + n) for n, letter in enumerate(_UK_WORD_START)}
_ZGH_MARK = "\ue010"
_UK_WORD_START_RE = re.compile(r"(?<![^\W\d_])(?<!['’ʼ`])[єїйюя]")
_ZGH_RE = re.compile(r"(з[ь'’ʼ`]*)г")
_CYRILLIC_APOSTROPHE_RE = re.compile(r"(?<=[\u0400-\u04ff\ue000-\ue010])['’ʼ`]|['’ʼ`](?=[\u0400-\u04ff])")


def _translate_table(table: dict[str, str], fallback: dict[str, str]) -> dict[int, str]:
    chars = {chr(code): "" for code in range(0x0400, 0x0500)}
    chars |= _OTHER_CYRILLIC | fallback | table
    chars |= {mark: _UK_WORD_START[letter] for letter, mark in _WORD_START_MARK.items()}
    chars[_ZGH_MARK] = "gh"
    return {ord(char): latin for char, latin in chars.items()}


_LOWER_TABLES: dict[str, dict[int, str]] = {
    "uk": _translate_table(_UK_LETTERS, _RU_LETTERS),
    "ru": _translate_table(_RU_LETTERS, _UK_LETTERS),
}


def _latin_lower(text: str, language: Language | None = None) -> str:
    """to_latin(text, language).lower(), fast."""
    if language is None:
        language = guess_language(text) or "uk"
    lower = text.lower()
    if language == "uk":
        lower = _UK_WORD_START_RE.sub(lambda m: _WORD_START_MARK[m.group()], lower)
        lower = _ZGH_RE.sub(lambda m: m.group(1) + _ZGH_MARK, lower)
    return _CYRILLIC_APOSTROPHE_RE.sub("", lower).translate(_LOWER_TABLES[language])


# Latin chunks and the Cyrillic letters they most often stand for, most likely first. Both
# romanisations above and the common informal ones (ya, yu, yo, x, w) are covered.
_LATIN_TO_CYRILLIC: dict[str, tuple[str, ...]] = {
    "shch": ("щ",), "sch": ("щ", "сх"), "zgh": ("зг",), "zh": ("ж",), "kh": ("х",),
    "ts": ("ц", "тс"), "tz": ("ц",), "ch": ("ч",), "sh": ("ш",),
    "ye": ("є", "е", "йе"), "yi": ("ий", "ї", "ій", "ый"), "yu": ("ю",), "ya": ("я",),
    "yo": ("йо", "ё"), "ie": ("є", "іе", "ие", "ъе"), "iu": ("ю", "іу", "иу"),
    "ia": ("я", "ія", "ия"), "ii": ("ій", "ії", "ий", "ии", "ії"), "iy": ("ий", "ій"),
    "a": ("а",), "b": ("б",), "c": ("к", "ц"), "d": ("д",), "e": ("е", "є", "э"), "f": ("ф",),
    "g": ("г", "ґ"), "h": ("г", "х"), "i": ("і", "и", "й"), "j": ("й", "дж"), "k": ("к",),
    "l": ("л",), "m": ("м",), "n": ("н",), "o": ("о",), "p": ("п",), "q": ("к",), "r": ("р",),
    "s": ("с",), "t": ("т",), "u": ("у",), "v": ("в",), "w": ("в",), "x": ("кс",),
    "y": ("и", "й", "ы"), "z": ("з",),
}  # fmt: skip
# At the start of a word KMU 2010 writes є, ї, й, ю, я as ye, yi, y, yu, ya.
_LATIN_WORD_START: dict[str, tuple[str, ...]] = {
    "ye": ("є", "е"), "yi": ("ї",), "y": ("й", "и"), "ie": ("іе", "ие"), "ii": ("ії", "ій"),
}  # fmt: skip
_LONGEST_CHUNK = max(map(len, _LATIN_TO_CYRILLIC))
# й before a vowel is nearly always a romanised я, ю, є, ї instead ("Yaroslav", not "Йарослав").
_UNLIKELY_PAIRS = re.compile(r"й[аеєиіїоуюя]|[иі][ау]")


def cyrillic_spellings(latin: str, limit: int = 24) -> list[str]:
    """Likely lower-case Cyrillic spellings of a Latin word, most likely first, at most `limit`.

    Romanisation loses information (y is и, й or ы; h is г or х), so there is no single answer.
    Each reading costs one per Latin chunk (so "sh" reads as ш before с + г) plus the rank of the
    letter it picks; the cheapest readings are kept at every position, so the work stays linear in
    the word's length.
    """
    word = "".join(c for c in _ascii_fold(latin).lower() if c.isalpha())
    if not word or limit < 1:
        return []
    # best[pos] = {cyrillic prefix: cost} for the readings that consumed word[:pos]
    best: list[dict[str, int]] = [{} for _ in range(len(word) + 1)]
    best[0][""] = 0
    for pos in range(len(word)):
        if not best[pos]:
            continue
        kept = sorted(best[pos].items(), key=lambda item: (item[1], item[0]))[: limit * 4]
        for size in range(1, min(_LONGEST_CHUNK, len(word) - pos) + 1):
            chunk = word[pos : pos + size]
            options = (_LATIN_WORD_START.get(chunk) if pos == 0 else None) or _LATIN_TO_CYRILLIC.get(chunk)
            if not options:
                continue
            target = best[pos + size]
            for rank, cyrillic in enumerate(options):
                for prefix, cost in kept:
                    reading, new_cost = prefix + cyrillic, cost + 1 + rank
                    if prefix and _UNLIKELY_PAIRS.fullmatch(prefix[-1] + cyrillic[0]):
                        new_cost += 2
                    if target.get(reading, new_cost + 1) > new_cost:
                        target[reading] = new_cost
    finished = sorted(best[len(word)].items(), key=lambda item: (item[1], item[0]))
    return [reading for reading, _ in finished[:limit]]


# --- script-neutral keys --------------------------------------------------------------------------


def _ascii_fold(text: str) -> str:
    # Latin letters with diacritics (Łukasz, José, Ştefan) lose their marks; Cyrillic is untouched.
    decomposed = unicodedata.normalize("NFKD", text.replace("ł", "l").replace("Ł", "L"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


# Sounds that the romanisations spell differently become one upper-case code letter.
_SOUND_CHUNKS = re.compile(r"shch|sch|tch|sh|ch|cz|zh|kh|gh|ts|tz|ph|th|ck|.")
# Transliterated Cyrillic has no Western digraphs: "ph" there is п + г (Підгорний), not f. It keeps
# "sch" as щ: с + ч is said щ (Бесчастний), and a Latin "Beschastnyi" must meet it.
_CYRILLIC_SOUND_CHUNKS = re.compile(r"shch|sch|sh|ch|zh|kh|gh|ts|.")
_SOUND_CODES: dict[str, str] = {
    "shch": "S", "sch": "S", "sh": "S", "tch": "C", "ch": "C", "cz": "C", "zh": "Z",
    "kh": "H", "gh": "H", "h": "H", "g": "H", "ts": "T", "tz": "T", "ph": "f", "th": "t",
    "ck": "k", "c": "k", "q": "k", "x": "ks", "w": "v", "j": "i", "y": "i",
}  # fmt: skip
_REPEATS = re.compile(r"(.)\1+")


@lru_cache(maxsize=1 << 16)
def name_key(word: str) -> str:
    """The script-neutral sound skeleton of one word of a name (ASCII letters, maybe empty).

    Г, Ґ, Х and g, h, kh are one sound class (Ukrainian г is h, Russian г is g); i, y, j and
    doubled letters collapse, and ie becomes e, so Ukrainian and Russian romanisations of the same
    Cyrillic word, and most informal spellings, meet. Sounds that romanisations spell with several
    letters keep one upper-case code letter (S for ш/щ, C for ч, Z for ж, H for г/х, T for ц), so
    that one Cyrillic letter typed wrong is one edit on the key: "Гончаренко" is "HonCarenko".
    """
    latin = _ascii_fold(_latin_lower(word)).lower()
    letters = "".join(c for c in latin if "a" <= c <= "z")
    chunks = _CYRILLIC_SOUND_CHUNKS if any(_is_cyrillic(c) for c in word.lower()) else _SOUND_CHUNKS
    coded = "".join(_SOUND_CODES.get(chunk, chunk) for chunk in chunks.findall(letters))
    return _REPEATS.sub(r"\1", coded).replace("ie", "e")


_CODE_SPELLING = {"S": "sh", "C": "ch", "Z": "zh", "H": "h", "T": "ts"}


def readable_key(key: str) -> str:
    """A name key in lower-case Latin letters only, its code letters spelled out ("HonCarenko" -> "honcharenko")."""
    return "".join(_CODE_SPELLING.get(c, c) for c in key)


# --- given names -----------------------------------------------------------------------------------

# One line per name: group, gender, full forms (Ukrainian, Russian, English and other usual Latin
# spellings) and, after ";", short forms and diminutives. Spellings that differ only in
# romanisation need not be listed: name_key already joins them. A short form may belong to
# several groups (Саша, Женя, Слава); a full form that is its own name elsewhere gets its own line.
# A group may go on over several lines.
_GIVEN_NAME_TABLE = """
oleksandr   m Олександр Александр Alexander Aleksander Alexandre Alessandro ; Саша Сашко Шура Саня Санька
oleksandr   m ; Санёк Олесь Alex Alec Sandro Sasha
oleksii     m Олексій Алексей Alexei Alexey Aleksei Alexis ; Льоша Лёша Алёша Альоша Лёха Лексій Alex Alyosha Lyosha
dmytro      m Дмитро Дмитрий Dmitry Dimitri Dimitry Demetrius ; Дима Діма Дімон Димон Митя Митько Dima Dimon Mitya
volodymyr   m Володимир Владимир Vladimir Wladimir Waldemar ; Вова Володя Вовчик Вован Влодко Vova Volodya
serhii      m Сергій Сергей Sergey Sergei Serhiy Serge Sergio ; Сергійко Серёжа Сережа Серьожа Серж Serezha Seryozha
mykola      m Микола Николай Nikolai Nikolay Nicholas Nicolas Nikolaus ; Коля Колян Миколка Микольцьо
mykola      m ; Kolya Nick Nicky Nico
mykhailo    m Михайло Михаил Mikhail Michael Michel Michal Mikhael ; Миша Михась Мишко Мішко
mykhailo    m ; Misha Mike Mikey Mick Mickey
ivan        m Іван Иван Ivan Iwan ; Ваня Іванко Ванька Ванюша Vanya
yevhen      m Євген Евгений Evgeny Yevgeny Evgenii Eugene Eugen ; Женя Женька Жека Zhenya Zhenia Gene
andrii      m Андрій Андрей Andrey Andrei Andrew Andreas Andrzej ; Андрюша Андрійко Андрюха Andy Drew
viktor      m Віктор Виктор Victor Wiktor ; Вітя Витя Вітьок Vitya Vic Vick
vitalii     m Віталій Виталий Vitaly Vitali ; Віталік Виталик Вітя Витя Vitalik Vitya
pavlo       m Павло Павел Pavel Paul Pawel Paolo ; Павлик Паша Павлуша Pasha Pavlik
petro       m Петро Пётр Петр Pyotr Peter Piotr Pierre ; Петя Петрик Петрусь Petya Pete
yurii       m Юрій Юрий Yuri Yury Jurij Juri ; Юра Юрко Юрчик Yura
vasyl       m Василь Василий Vasily Vasili Basil Wasyl ; Вася Васько Василько Vasya
anatolii    m Анатолій Анатолий Anatoly Anatoli ; Толя Толик Толік Tolya Tolik
bohdan      m Богдан Bogdan ; Бодя Богданчик Bodya
taras       m Тарас Taras ; Тарасик
roman       m Роман Roman ; Рома Ромко Ромчик Roma
maksym      m Максим Maxim Maksim Maxym Maximilian ; Макс Максимко Max
artem       m Артем Артём Artyom Artemy Артемій Артемий ; Тема Тёма Артемко Artie
denys       m Денис Denis Dennis ; Деня Дениска Денчик Den
ihor        m Ігор Игорь Igor ; Ігорко Игорёк Гарік Garik
oleh        m Олег Oleg ; Олежка Олежик Oleshko
yaroslav    m Ярослав Jaroslav Jaroslaw ; Ярик Ярко Слава Yarik Slava
viacheslav  m Вячеслав Vyacheslav Wiaczeslaw ; Слава Славік Славик Slava Slavik
vladyslav   m Владислав Vladislav Wladyslaw ; Влад Владик Слава Vlad Vladik Slava
stanislav   m Станіслав Станислав Stanislav Stanislaw ; Стас Стасик Слава Stas Slava
rostyslav   m Ростислав Rostislav ; Ростик Слава Rostik Slava
kostiantyn  m Костянтин Константин Konstantin Constantine Konstanty ; Костя Костик Kostya Kostia Kos
anton       m Антон Anton Anthony Antony Antonio ; Антоша Тоша Tony Toni
hryhorii    m Григорій Григорий Grigory Gregory Grzegorz ; Гриша Грицько Гриць Grisha Greg
heorhii     m Георгій Георгий George Georgy Georgii Jerzy Jorge ; Жора Гоша Гога Zhora Gosha
leonid      m Леонід Леонид Leonid Leonidas ; Льоня Лёня Леня Lyonya Leo
valentyn    m Валентин Valentin Valentine ; Валя Валік Валик Valik
valerii     m Валерій Валерий Valery Valeri ; Валера Valera
hennadii    m Геннадій Геннадий Gennady Gennadiy ; Гена Генка Gena
mykyta      m Микита Никита Nikita ; Никитка Микитка Кіта
illia       m Ілля Илья Ilya Elijah Elias ; Ілюша Илюша Ilyusha
yakiv       m Яків Яков Yakov Jacob Jakob Jakub ; Яша Yasha Jake Kuba
fedir       m Федір Федор Фёдор Fedor Fyodor Theodore ; Федя Федько Fedya Ted Teddy Theo
kyrylo      m Кирило Кирилл Kirill Cyril Kyrill ; Кирюша Кирюха Kiryusha
danylo      m Данило Даниил Данила Даниїл Daniil Daniel Danila ; Даня Данько Данилко Danya Dan Danny
stepan      m Степан Stepan Stephen Steven Stefan Stefano ; Стьопа Стёпа Степа Стефко Styopa Steve Stevie
borys       m Борис Boris ; Боря Борька Borya
vadym       m Вадим Vadim ; Вадік Вадик Vadik
arsenii     m Арсеній Арсений Arseny Arsen ; Арсен Сеня Senya
semen       m Семен Семён Semyon Simon Szymon ; Сеня Сёма Senya Syoma Si
matvii      m Матвій Матвей Matvey Matthew Mateusz Matthias ; Мотя Матвійко Matt Matty
yosyp       m Йосип Иосиф Joseph Josef Jozef Giuseppe ; Йосько Ося Joe Joey
eduard      m Едуард Эдуард Eduard Edward Edouard ; Едік Эдик Ed Eddie Ned Ted
david       m Давид Давід David ; Дава Dave Davy
veniamin    m Веніамін Вениамин Benjamin ; Веня Ben Benny
ruslan      m Руслан Ruslan ; Русик Rusik
oleksa      m Олекса Oleksa ; Лесь
nazar       m Назар Nazar ; Назарко
ostap       m Остап Ostap ; Остапчик
zakhar      m Захар Zakhar Zachary ; Захарко Zack Zach
tymofii     m Тимофій Тимофей Timofey Timothy ; Тима Тимко Tima Tim Timmy
myroslav    m Мирослав Miroslav Mirosław ; Мирось Слава Slava
vsevolod    m Всеволод Vsevolod ; Сева Seva
robert      m Роберт Robert Roberto ; Bob Bobby Rob Robbie Bert
william     m Вільям Уильям William Wilhelm Guillaume ; Bill Billy Will Willy Liam
james       m Джеймс James ; Jim Jimmy Jamie
john        m Джон John Jon Johann Johannes Jean Juan ; Johnny Jack Hans
richard     m Річард Ричард Richard Ricardo ; Rick Ricky Dick Rich Richie
thomas      m Томас Thomas Tomas Tomasz ; Tom Tommy
christopher m Крістофер Кристофер Christopher ; Chris Kit
charles     m Чарльз Charles Carl Karl ; Charlie Chuck
oksana      f Оксана Oksana Oxana ; Ксюша Оксанка Куся Ksyusha Ksusha Kusya Oksanka
kseniia     f Ксенія Ксения Ksenia Xenia Kseniya Kseniia ; Ксюша Ксюня Ксеня Ксюха Ksyusha Ksusha Ksenya
oleksandra  f Олександра Александра Alexandra Aleksandra Alessandra ; Саша Шура Леся Сашуня
oleksandra  f ; Sasha Alex Sandra Sandy Lesya
yevheniia   f Євгенія Евгения Evgenia Eugenia Eugenie Yevheniia ; Женя Женечка Zhenya Zhenia Jenny
tetiana     f Тетяна Татьяна Tatiana Tatyana Tetiana Tatjana ; Таня Танюша Танечка Tanya Tania Tanja
nataliia    f Наталія Наталья Наталия Наталка Natalia Natalya Natalie Nathalie ; Наташа Ната Натуся Natasha Nata Talia
kateryna    f Катерина Екатерина Kateryna Ekaterina Yekaterina Catherine Katherine Kathryn Katarzyna
kateryna    f ; Катя Катруся Катюша Katya Kate Katie Kathy Cathy Kat Kitty
anna        f Анна Ганна Anna Hanna Ann Anne Hannah ; Аня Анюта Ганнуся Нюра Анечка Anya Annie Ania
yuliia      f Юлія Юлия Julia Yulia Julie Juliette ; Юля Юлька Юлечка Yulya Jules
mariia      f Марія Мария Maria Mary Marie Marija ; Маша Марічка Маруся Машенька Masha Molly Mariika
olena       f Олена Елена Алена Альона Алёна Elena Helen Helena Alena Ellen ; Лена Оленка Леночка Lena Nell Ellie
iryna       f Ірина Ирина Irina Iryna Irene ; Іра Ира Іринка Иринка Ira
svitlana    f Світлана Светлана Svetlana Svitlana ; Світла Света Світланка Sveta Lana
liudmyla    f Людмила Lyudmila Ludmila Ludmilla ; Люда Людочка Люся Мила Lyuda Mila
halyna      f Галина Halyna Galina ; Галя Галинка Galya
larysa      f Лариса Larisa Larissa ; Лара Леся Lara Lesya
valentyna   f Валентина Valentina ; Валя Валюша Valya
viktoriia   f Вікторія Виктория Victoria Viktoria Wiktoria ; Віка Вика Vika Vicky Tori
anastasiia  f Анастасія Анастасия Anastasia Anastasiya ; Настя Настуся Настюша Nastya Stacy Asya
daria       f Дарина Дар'я Дарья Daria Darya Dariia Darina ; Даша Дарка Дашенька Dasha
olha        f Ольга Olga Olha Helga ; Оля Олька Olya Olia
nadiia      f Надія Надежда Nadia Nadezhda Nadiya ; Надя Надюша Nadya
liubov      f Любов Любовь Lyubov Liubov ; Люба Любаша Lyuba
vira        f Віра Вера Vera Wiera ; Вірочка Верочка
khrystyna   f Христина Кристина Khrystyna Kristina Christina Christine ; Христя Кристя Tina Chris Kris Tina
sofiia      f Софія София Софья Sofia Sophia Sophie ; Соня Софійка Sonya Sonia Sophie
yelyzaveta  f Єлизавета Елизавета Elizaveta Elizabeth Elisabeth Elżbieta ; Ліза Лиза Liza Liz
yelyzaveta  f ; Lizzie Beth Betty Eliza Elsa
marharyta   f Маргарита Margarita Margaret Margarethe ; Рита Rita Maggie Meg Peggy Margo
maryna      f Марина Marina Maryna ; Маринка Марішка
polina      f Поліна Полина Polina Pauline Paulina ; Поля Polya
lidiia      f Лідія Лидия Lidia Lydia ; Ліда Лида Lida
diana       f Діана Диана Diana ; Ді Di
veronika    f Вероніка Вероника Veronika Veronica ; Ніка Ника Nika Ronnie
alina       f Аліна Алина Alina ; Аліночка
inna        f Інна Инна Inna ; Інночка
alla        f Алла Alla ; Аллочка
yana        f Яна Yana Jana ; Яночка
ivanna      f Іванна Иванна Ivanna ; Іванка Ivanka
solomiia    f Соломія Соломия Solomiya Salome ; Соля Solia
zlata       f Злата Zlata ; Златка
antonina    f Антоніна Антонина Antonina Antonia ; Тоня Тоня Tonya Toni
zoia        f Зоя Zoya Zoe Zoia ; Зоєчка
raisa       f Раїса Раиса Raisa ; Рая Raya
myroslava   f Мирослава Miroslava ; Мирося Слава Slava
jennifer    f Дженніфер Jennifer ; Jen Jenny
patricia    f Патриція Patricia ; Pat Patty Trish
susan       f Сьюзен Susan Suzanne Susanna ; Sue Susie Suzy
"""


@dataclass(frozen=True, slots=True)
class _GivenNameForm:
    group: str
    full: bool


def _build_given_names() -> tuple[dict[str, tuple[_GivenNameForm, ...]], dict[str, tuple[str, ...]]]:
    forms: dict[str, list[_GivenNameForm]] = {}
    full_forms: dict[str, list[str]] = {}
    for line in _GIVEN_NAME_TABLE.strip().splitlines():
        head, _, short = line.partition(";")
        group, _gender, *full = head.split()
        full_forms.setdefault(group, []).extend(full)
        for spelling, is_full in [(f, True) for f in full] + [(s, False) for s in short.split()]:
            known = forms.setdefault(name_key(spelling), [])
            if all(form.group != group for form in known):
                known.append(_GivenNameForm(group, is_full))
            elif is_full:  # listed as both: the full reading wins
                known[:] = [_GivenNameForm(group, True) if f.group == group else f for f in known]
    return (
        {key: tuple(value) for key, value in forms.items()},
        {group: tuple(value) for group, value in full_forms.items()},
    )


_GIVEN_NAME_FORMS, _GROUP_FULL_FORMS = _build_given_names()


def given_name_groups(word: str) -> frozenset[str]:
    """The given-name groups a word belongs to: "Ксюша" -> {"oksana"}, "Саша" -> two groups."""
    return frozenset(form.group for form in _GIVEN_NAME_FORMS.get(name_key(word), ()))


# --- parsing names ---------------------------------------------------------------------------------


class TokenKind(StrEnum):
    GIVEN = "given"  # a known given name or short form
    SURNAME = "surname"  # anything else: a surname, or a given name the table does not know
    PATRONYMIC = "patronymic"
    INITIAL = "initial"


@dataclass(frozen=True, slots=True)
class NameToken:
    text: str  # as written, without the initial's dot
    key: str  # name_key(text)
    kind: TokenKind
    groups: frozenset[str] = frozenset()  # given-name groups
    full_groups: frozenset[str] = frozenset()  # groups in which this word is a full form
    initials: frozenset[str] = frozenset()  # what an initial of this word may look like
    cyrillic: bool = False


@dataclass(frozen=True, slots=True)
class PersonName:
    text: str
    tokens: tuple[NameToken, ...]


_WORDS = re.compile(r"[^\W\d_]+(?:['’ʼ`][^\W\d_]+)*")
_PATRONYMIC_ENDINGS = re.compile(r"(ovych|evych|ovich|evich|ovna|evna|ivna|ichna|ychna)$")
MAX_NAME_WORDS = 5  # more words than any real name; a pasted paragraph is cut, not compared


def _initial_forms(text: str, key: str, groups: frozenset[str]) -> frozenset[str]:
    spellings = {key}
    if any(_is_cyrillic(c) for c in text.lower()):
        spellings |= {_ascii_fold(_latin_lower(text, "uk")).lower(), _latin_lower(text, "ru")}
    else:
        spellings.add(_ascii_fold(text).lower())
    # "A. Shevchenko" may be Sasha Shevchenko: a short form answers to its full forms' initials.
    for group in groups:
        spellings |= {name_key(full) for full in _GROUP_FULL_FORMS[group]}
    return frozenset(s for s in spellings if s)


@lru_cache(maxsize=1 << 17)
def _token(word: str, may_be_patronymic: bool) -> NameToken | None:
    # Cached per word: a customer base has far fewer distinct words than names.
    key = name_key(word)
    if not key:
        return None
    cyrillic = any(_is_cyrillic(c) for c in word.lower())
    forms = _GIVEN_NAME_FORMS.get(key, ())
    groups = frozenset(f.group for f in forms)
    if len(word) == 1:
        kind = TokenKind.INITIAL
        groups = frozenset()
    elif may_be_patronymic and _PATRONYMIC_ENDINGS.search(_latin_lower(word)):
        kind = TokenKind.PATRONYMIC
        groups = frozenset()
    elif groups:
        kind = TokenKind.GIVEN
    else:
        kind = TokenKind.SURNAME
    full_groups = frozenset(f.group for f in forms if f.full) & groups
    initials = _initial_forms(word, key, groups)
    return NameToken(word, key, kind, groups, full_groups, initials, cyrillic)


@lru_cache(maxsize=1 << 16)
def parse_name(text: str) -> PersonName:
    """Split a name into words and say what each word is (given name, surname, patronymic, initial)."""
    words = _WORDS.findall(text)[:MAX_NAME_WORDS]
    tokens: list[NameToken] = []
    for position, word in enumerate(words):
        # Only in a name of three words or more and never first: "Петрович" alone is a surname.
        token = _token(word, len(words) >= 3 and position > 0)
        if token is not None:
            tokens.append(token)
    return PersonName(text, tuple(tokens))


# --- comparing names -------------------------------------------------------------------------------

# How two words of a name match, from weakest to strongest, and what each is worth. The values
# are what the duplicate scorer is calibrated on (see omnidesk.domain.duplicates).
_HOW_RANK = {"initial": 0, "typo": 1, "short_form": 2, "other_language": 3, "exact": 4}
_SIMILARITY = {"exact": 1.0, "other_language": 0.93, "short_form": 0.88, "typo": 0.85}
_TWO_TYPOS = 0.5
_TYPO_PENALTY = 0.1  # each typo after the first in one name
_MIN_TYPO_LENGTH = 5  # of a name key, for typo allowance and typo blocking keys
_INITIAL_VS_WORD = 0.6
_INITIAL_VS_INITIAL = 0.8
_NO_MATCH: tuple[float, str] = (0.0, "")


def _initial_matches(initial: NameToken, other: NameToken) -> bool:
    return any(form.startswith(letter) for letter in initial.initials for form in other.initials)


def _word_similarity(a: NameToken, b: NameToken) -> tuple[float, str]:
    if a.kind is TokenKind.INITIAL or b.kind is TokenKind.INITIAL:
        if a.kind is TokenKind.INITIAL and b.kind is TokenKind.INITIAL:
            same = a.key == b.key or bool(a.initials & b.initials)
            return (_INITIAL_VS_INITIAL, "initial") if same else _NO_MATCH
        initial, word = (a, b) if a.kind is TokenKind.INITIAL else (b, a)
        # A "surname" may be a given name the table does not know (E. Smith / Emily Smith); the
        # alignment still prefers the reading in which the initial meets a given name.
        return (_INITIAL_VS_WORD, "initial") if _initial_matches(initial, word) else _NO_MATCH
    if (a.kind is TokenKind.PATRONYMIC) != (b.kind is TokenKind.PATRONYMIC):
        return _NO_MATCH
    if a.key == b.key:
        return _SIMILARITY["exact"], "exact"
    if a.groups and b.groups:
        shared = a.groups & b.groups
        if not shared:
            # Two known, different given names (Іван / Іванна) are two people, however close the
            # spelling: no typo allowance here.
            return _NO_MATCH
        how = "other_language" if (a.full_groups & b.full_groups) else "short_form"
        return _SIMILARITY[how], how
    shortest = min(len(a.key), len(b.key))
    distance = OSA.distance(a.key, b.key, score_cutoff=2)
    if distance == 1 and shortest >= _MIN_TYPO_LENGTH:
        return _SIMILARITY["typo"], "typo"
    if distance == 2 and shortest >= 8:
        # Two typos in one word: weak, so that such a name alone never makes a suggestion (the
        # blocking keys cover one typo per word); with a shared identifier it still helps.
        return _TWO_TYPOS, "typo"
    return _NO_MATCH


@dataclass(frozen=True, slots=True)
class NameMatch:
    """How two names match: a score in [0, 1], a machine code, the reason in words.

    `conflict` is true when the names speak against one person (different given names or
    patronymics, or nothing in common between two full names).
    """

    score: float
    code: str
    text: str
    conflict: bool = False
    reordered: bool = False  # the matching words stand in another order ("Петренко Оксана")


def _comparable(a: NameToken, b: NameToken) -> bool:
    return (a.kind is TokenKind.PATRONYMIC) == (b.kind is TokenKind.PATRONYMIC)


def _alignment(a: PersonName, b: PersonName) -> list[tuple[NameToken, NameToken, float, str]]:
    """Pair the words of two names one to one, so that the pairs together match best."""
    matrix = [[_word_similarity(ta, tb) for tb in b.tokens] for ta in a.tokens]
    best: tuple[float | int, ...] | None = None
    chosen: tuple[tuple[int, int], ...] = ()
    swap = len(a.tokens) > len(b.tokens)
    small, large = (len(b.tokens), len(a.tokens)) if swap else (len(a.tokens), len(b.tokens))
    for permutation in itertools.permutations(range(large), small):
        pairs = tuple((j, i) if swap else (i, j) for i, j in enumerate(permutation))
        sims = sorted((matrix[i][j][0] for i, j in pairs), reverse=True)
        # Among equally good pairings, prefer the one pairing words of the same kind, so that a
        # different first name shows up as a conflict instead of hiding against a patronymic.
        comparable = sum(_comparable(a.tokens[i], b.tokens[j]) for i, j in pairs)
        rank = (sum(sims), comparable, *sims)
        if best is None or rank > best:
            best, chosen = rank, pairs
    return [(a.tokens[i], b.tokens[j], *matrix[i][j]) for i, j in chosen]


def _display(name: PersonName) -> str:
    return " ".join(t.text + ("." if t.kind is TokenKind.INITIAL else "") for t in name.tokens)


@lru_cache(maxsize=1 << 18)
def _compare_texts(first: str, second: str) -> NameMatch:
    a, b = parse_name(first), parse_name(second)
    if not a.tokens or not b.tokens:
        return NameMatch(0.0, "no_name", "no name to compare")
    shown = f"{_display(a)} / {_display(b)}"
    pairs = _alignment(a, b)
    matched = [p for p in pairs if p[2] > 0 and p[0].kind is not TokenKind.PATRONYMIC]
    patronymics = [p for p in pairs if p[0].kind is p[1].kind is TokenKind.PATRONYMIC]
    words_a = sum(t.kind is not TokenKind.PATRONYMIC for t in a.tokens)
    words_b = sum(t.kind is not TokenKind.PATRONYMIC for t in b.tokens)
    if not matched:
        # Two full names with nothing in common speak against one person; a lone nickname does not.
        conflict = words_a >= 2 and words_b >= 2
        return NameMatch(0.0, "different_names", f"names differ: {shown}", conflict)
    unmatched = [p for p in pairs if p[2] == 0 and TokenKind.PATRONYMIC not in (p[0].kind, p[1].kind)]
    given_kinds = (TokenKind.GIVEN, TokenKind.INITIAL)
    if any(p[0].kind in given_kinds or p[1].kind in given_kinds for p in unmatched):
        return NameMatch(0.1, "different_given_names", f"different first names: {shown}", True)
    if unmatched:
        return NameMatch(0.3, "different_surnames", f"same first name, different surnames: {shown}")
    core = sum(p[2] for p in matched) / len(matched)
    if len(matched) == 1:
        only = matched[0]
        if words_a == 1 and words_b == 1:
            return NameMatch(0.5 * core, "same_single_name", f"one-word names match: {shown}")
        if only[0].kind in given_kinds or only[1].kind in given_kinds:
            return NameMatch(0.25 * core, "same_given_name_only", f"only the first name matches: {shown}")
        return NameMatch(0.45 * core, "same_surname_only", f"only the surname matches: {shown}")
    # Extra words on one side (a second given name, a double surname) cost a little, and so does
    # every typo after the first.
    typos = sum(p[3] == "typo" for p in matched)
    score = core - 0.05 * (max(words_a, words_b) - len(matched)) - _TYPO_PENALTY * max(0, typos - 1)
    if any(p[2] == 0 for p in patronymics):
        return NameMatch(0.4 * score, "different_patronymics", f"different patronymics: {shown}", True)
    weakest = min((p[3] for p in matched), key=_HOW_RANK.__getitem__)
    if weakest == "initial":
        code, text = "name_initial", f"initial matches the name: {shown}"
    elif weakest == "typo":
        code, text = "name_typo", f"names differ by a typo: {shown}"
    elif weakest == "short_form":
        code, text = "name_short_form", f"short form of the same name: {shown}"
    elif weakest == "other_language":
        code, text = "name_other_language", f"same name in another language: {shown}"
    elif any(p[0].cyrillic != p[1].cyrillic for p in matched):
        code, text = "same_name_other_script", f"same name in another script: {shown}"
    else:
        code, text = "same_name", f"same name: {shown}"
    return NameMatch(max(0.0, min(1.0, score)), code, text, reordered=_reordered(a, b, matched))


def _reordered(a: PersonName, b: PersonName, matched: list[tuple[NameToken, NameToken, float, str]]) -> bool:
    positions = sorted(
        (next(i for i, t in enumerate(a.tokens) if t is ta), next(j for j, t in enumerate(b.tokens) if t is tb))
        for ta, tb, _, _ in matched
    )
    in_b = [j for _, j in positions]
    return in_b != sorted(in_b)


def compare_names(first: str, second: str) -> NameMatch:
    """Compare two names written in any script, word order and form.

    The result does not depend on the order of the arguments (the texts are put in a fixed order
    first), so a pair scores the same from either side.
    """
    if second < first:
        first, second = second, first
    return _compare_texts(first, second)


# --- keys for search and blocking ---------------------------------------------------------------------


def name_search_keys(name: str) -> set[str]:
    """Lower-case Latin keys of a name for the customer search, whatever script it was typed in.

    Each word gives its Ukrainian and Russian transliterations and its script-neutral key; a known
    given name also gives its group ("Саша" -> "oleksandr"), so "Sasha" finds "Олександр". Store the
    keys of each customer and look up the keys of the typed text (by prefix while typing): both
    sides come from this one function, so they meet.
    """
    keys: set[str] = set()
    for token in parse_name(name).tokens:
        if token.kind is TokenKind.INITIAL:
            continue  # one letter would find half the customers
        keys.add(readable_key(token.key))
        spellings = [to_latin(token.text, "uk"), to_latin(token.text, "ru")] if token.cyrillic else [token.text]
        for spelling in spellings:
            keys.add("".join(c for c in _ascii_fold(spelling).lower() if "a" <= c <= "z"))
        keys |= token.groups
    keys.discard("")
    return keys


def _one_deletion_variants(key: str) -> set[str]:
    # Two words one typo apart always share a one-deletion variant (or one is the other's variant),
    # so blocking on these keeps typos in the same block without comparing everyone.
    return {key[:i] + key[i + 1 :] for i in range(len(key))} | {key}


_Roles = tuple[list[NameToken], list[NameToken], list[NameToken]]


def _name_roles(name: str) -> _Roles | None:
    """(given names, initials, surnames) of a name of two words or more, patronymics left out."""
    tokens = [t for t in parse_name(name).tokens if t.kind is not TokenKind.PATRONYMIC]
    if len(tokens) < 2:
        return None
    givens = [t for t in tokens if t.kind is TokenKind.GIVEN]
    initials = [t for t in tokens if t.kind is TokenKind.INITIAL]
    surnames = [t for t in tokens if t.kind is TokenKind.SURNAME]
    if not surnames:  # "Роман Богдан": both are given names, either may be the surname
        surnames = givens
    elif not givens and not initials:  # no known given name: any word may be the given name
        givens = surnames
    return givens, initials, surnames


@lru_cache(maxsize=1 << 16)
def name_frequency_keys(name: str) -> frozenset[str]:
    """The blocking keys that stand for this very name, typo variants left out.

    How many customers hold one of these keys is how common the name is: "Олена Мельник",
    "Olena Melnyk" and "Лена Мельник" share "name:olena|melnik", and "О. Мельник" is as
    common as all the Melnyks whose given name starts with O. The duplicate scorer gives a
    common name less weight.
    """
    roles = _name_roles(name)
    if roles is None:
        return frozenset()
    givens, initials, surnames = roles
    keys: set[str] = set()
    for surname in surnames:
        for given in givens:
            if given is not surname:
                keys |= _name_keys(given, surname)
    if not keys:
        for surname in surnames:
            for initial in initials:
                keys |= _initial_keys(initial, surname)
    return frozenset(keys)


def _name_keys(given: NameToken, surname: NameToken, surname_variants: Iterable[str] = ()) -> set[str]:
    return {f"name:{group}|{key}" for group in given.groups or {given.key} for key in (surname.key, *surname_variants)}


def _initial_keys(word: NameToken, surname: NameToken, surname_variants: Iterable[str] = ()) -> set[str]:
    return {f"initial:{form[0]}|{key}" for form in word.initials for key in (surname.key, *surname_variants)}


@lru_cache(maxsize=1 << 16)
def has_initial(name: str) -> bool:
    """Whether the name has a word of one letter ("О. Петренко")."""
    return any(t.kind is TokenKind.INITIAL for t in parse_name(name).tokens)


def _typo_variants(key: str) -> set[str]:
    return _one_deletion_variants(key) if len(key) >= _MIN_TYPO_LENGTH else {key}


@lru_cache(maxsize=1 << 16)
def name_block_keys(name: str) -> frozenset[str]:
    """Keys under which a possible duplicate of this name is looked for (see duplicates.blocking_keys).

    A key pairs a given name (its group, or the word itself) with a surname, including the
    surname's one-typo variants (and the given name's one-typo variants with the surname as
    written), and an initial with the surname, so that short forms, initials, one typo and word
    order all land in a shared block. A one-word name gets none: it would pair with everyone of
    that name. compare_names is calibrated so that the duplicate scorer accepts a name-only pair
    only when the names share one of these keys.
    """
    roles = _name_roles(name)
    if roles is None:
        return frozenset()
    givens, initials, surnames = roles
    keys: set[str] = set()
    for surname in surnames:
        variants = _typo_variants(surname.key)
        for given in givens:
            if given is surname:
                continue
            keys |= _name_keys(given, surname, variants)
            # A typo in the given name instead: its variants with the surname as written.
            keys.update(f"name:{variant}|{surname.key}" for variant in _typo_variants(given.key) - {given.key})
        for word in givens:
            if word is not surname:
                keys |= _initial_keys(word, surname)
        for initial in initials:
            # Two initials and a typo in the surname still match ("І. Гончаренко" / "І. Гонаренко").
            keys |= _initial_keys(initial, surname, variants)
    return frozenset(keys)
