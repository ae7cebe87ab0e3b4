"""The e-mail version of a survey question: one link per score to a small public page on the server.

When the survey worker asks a question in an e-mail channel and the server knows its public base URL (the
``public_url`` setting), the question gets a random token (``new_token``: 256 bits), stored as its SHA-256 like
every other token (``csat_survey_links.token_hash``) and sealed with the channel key for the mail's retries. The mail
is multipart: the text part lists one URL per score, the HTML part shows them as buttons. The message the operators
see is the question alone: the links are the customer's secret.

``GET /survey/{token}?score=N`` shows the page with N preselected and a comment box; it records nothing, because
mail scanners (Outlook Safe Links, corporate gateways, link previews) fetch every link of a mail before the
customer reads it: recording on GET would record whichever score the scanner fetched last. ``POST /survey/{token}``
(the page's form: score and comment) records the answer through the same code as a text reply
(omnidesk.server.csat.service.answer_by_link → record_answer), then shows a thank-you page. The token is the only
credential (no cookie, no session), so a forged cross-site POST needs the token itself: CSRF has nothing to ride on.
A token answers its question once (omnidesk.domain.csat.link_state): a second answer is refused in words (409), an
unknown token is 404 and one past ``LINK_DAYS`` 410, each a page in the survey's language, never a 500.

Without ``public_url`` the question goes as text ("reply with a number") and the server logs that once.
"""

from __future__ import annotations

import datetime as dt
import html
import logging

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.domain import csat
from omnidesk.server import secrets as sealed_secrets
from omnidesk.server.csat.models import CsatSurvey, CsatSurveyLink
from omnidesk.server.security import new_token, token_hash

log = logging.getLogger("omnidesk.csat")
TOKEN_PREFIX = "srv"
MAX_TOKEN = 100  # longer path segments are no token of ours (404 without a lookup)
MAX_COMMENT = 2000  # as a text reply's (omnidesk.domain.csat.parse_rating)
_warned = False

# The mail's and the page's words per language (uk, ru, en); the question itself is the queue's (or ours).
WORDS = {
    "en": {
        "choose": "Or choose your answer by following a link:",
        "csat": "How would you rate our help?",
        "nps": "How likely are you to recommend us to a friend?",
        "low_csat": "1 = poor, 5 = excellent",
        "low_nps": "0 = not at all, 10 = extremely likely",
        "comment": "A comment (optional)",
        "send": "Send",
        "thanks": "Thank you! Your answer has been recorded.",
        "your_score": "Your score",
        "answered": "This question has already been answered. Thank you!",
        "expired": "This survey link has expired.",
        "unknown": "This survey link is not valid.",
        "too_many": "Too many requests. Please try again in a minute.",
        "pick": "Please choose a score.",
        "too_long": "The comment is too long (at most 2000 characters).",
        "title": "Your feedback",
    },
    "uk": {
        "choose": "Або оберіть відповідь за посиланням:",
        "csat": "Як ви оцінюєте нашу допомогу?",
        "nps": "Наскільки ймовірно, що ви порекомендуєте нас другу?",
        "low_csat": "1 = погано, 5 = чудово",
        "low_nps": "0 = зовсім ні, 10 = дуже ймовірно",
        "comment": "Коментар (необов'язково)",
        "send": "Надіслати",
        "thanks": "Дякуємо! Вашу відповідь збережено.",
        "your_score": "Ваша оцінка",
        "answered": "На це питання вже відповіли. Дякуємо!",
        "expired": "Термін дії цього посилання минув.",
        "unknown": "Це посилання недійсне.",
        "too_many": "Забагато запитів. Спробуйте за хвилину.",
        "pick": "Будь ласка, оберіть оцінку.",
        "too_long": "Коментар задовгий (не більше 2000 символів).",
        "title": "Ваш відгук",
    },
    "ru": {
        "choose": "Или выберите ответ по ссылке:",
        "csat": "Как вы оцениваете нашу помощь?",
        "nps": "Насколько вероятно, что вы порекомендуете нас другу?",
        "low_csat": "1 = плохо, 5 = отлично",
        "low_nps": "0 = совсем нет, 10 = очень вероятно",
        "comment": "Комментарий (необязательно)",
        "send": "Отправить",
        "thanks": "Спасибо! Ваш ответ сохранён.",
        "your_score": "Ваша оценка",
        "answered": "На этот вопрос уже ответили. Спасибо!",
        "expired": "Срок действия этой ссылки истёк.",
        "unknown": "Эта ссылка недействительна.",
        "too_many": "Слишком много запросов. Попробуйте через минуту.",
        "pick": "Пожалуйста, выберите оценку.",
        "too_long": "Комментарий слишком длинный (не более 2000 символов).",
        "title": "Ваш отзыв",
    },
}


def language_of(language: str | None) -> str:
    """uk, ru or en (the survey's language; "uk-UA" is uk), as omnidesk.domain.csat.question reads it."""
    lang = (language or "en").lower().replace("_", "-").split("-")[0]
    return lang if lang in WORDS else "en"


def words(language: str | None) -> dict[str, str]:
    return WORDS[language_of(language)]


async def create(
    session: AsyncSession, survey: CsatSurvey, which: str, message_id: int, public_url: str | None, now: dt.datetime
) -> str | None:
    """The links' token of the question ``which`` just asked in ``message_id`` (the raw token, once); None and the
    text version without ``public_url`` (logged once per process)."""
    global _warned
    if not public_url:
        if not _warned:
            _warned = True
            log.warning("public_url is not set: e-mail surveys go as text ('reply with a number'), without links")
        return None
    token = new_token(TOKEN_PREFIX)
    session.add(
        CsatSurveyLink(
            survey_id=survey.id,
            question=which,
            message_id=message_id,
            token_hash=token_hash(token),
            sealed=sealed_secrets.encrypt({"token": token, "base": public_url.rstrip("/")}),
            created_at=now,
            expires_at=now + dt.timedelta(days=csat.LINK_DAYS),
        )
    )
    await session.flush()
    return token


def url(base: str, token: str, score: int) -> str:
    return f"{base.rstrip('/')}/survey/{token}?score={score}"


def mail_parts(question: str, which: str, language: str | None, base: str, token: str) -> tuple[str, str]:
    """The question's mail: (the text part with one URL per score, the HTML part with the same links as buttons)."""
    w = words(language)
    scale = w["low_nps"] if which == csat.NPS else w["low_csat"]
    links = [(score, url(base, token, score)) for score in csat.scores(which)]
    text = "\n".join([question, "", w["choose"], f"({scale})", *(f"{s}: {u}" for s, u in links)])
    button = (
        '<a href="{u}" style="display:inline-block;min-width:2.2em;margin:2px;padding:8px 10px;border-radius:6px;'
        'background:#2f6fde;color:#ffffff;text-decoration:none;font:bold 16px sans-serif;text-align:center">{s}</a>'
    )
    buttons = "".join(button.format(u=html.escape(u), s=s) for s, u in links)
    body = (
        f'<!doctype html><html lang="{language_of(language)}"><body style="font:15px sans-serif">'
        f"<p>{html.escape(question)}</p><p>{html.escape(w['choose'])}</p><p>{buttons}</p>"
        f'<p style="color:#666">{html.escape(scale)}</p></body></html>'
    )
    return text, body


async def for_message(session: AsyncSession, message_id: int, question: str) -> tuple[str, str] | None:
    """The multipart body of an outgoing survey question with links ((text, html)) in the survey's language, or
    None: an ordinary mail (a reply, or a question asked without ``public_url``)."""
    row = (
        await session.execute(
            select(CsatSurveyLink.question, CsatSurveyLink.sealed, CsatSurvey.language)
            .join(CsatSurvey, CsatSurvey.id == CsatSurveyLink.survey_id)
            .where(CsatSurveyLink.message_id == message_id)
        )
    ).first()
    if row is None:
        return None
    opened = sealed_secrets.decrypt(row.sealed)
    return mail_parts(question, row.question, row.language, opened["base"], opened["token"])


async def find(session: AsyncSession, token: str) -> CsatSurveyLink | None:
    """The link row of a token, by its hash (the raw token is never looked up)."""
    if not token or len(token) > MAX_TOKEN or not token.isascii():
        return None
    return await session.scalar(select(CsatSurveyLink).where(CsatSurveyLink.token_hash == token_hash(token)))


# --- the pages ------------------------------------------------------------------------------------------------------

_STYLE = (
    "body{font:16px sans-serif;max-width:32em;margin:3em auto;padding:0 1em;color:#222}"
    ".scores{display:flex;flex-wrap:wrap;gap:6px;margin:1em 0}"
    ".scores label{border:1px solid #2f6fde;border-radius:6px;padding:8px 12px;cursor:pointer}"
    ".scores input{margin-right:4px}textarea{width:100%;min-height:6em}"
    "button{margin-top:1em;padding:8px 20px;font-size:16px}.note{color:#666}.error{color:#b00020}"
)


def page(language: str | None, body: str) -> str:
    w = words(language)
    return (
        f'<!doctype html><html lang="{language_of(language)}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex">'
        f"<title>{html.escape(w['title'])}</title><style>{_STYLE}</style></head><body>{body}</body></html>"
    )


def message_page(language: str | None, key: str) -> str:
    return page(language, f"<p>{html.escape(words(language)[key])}</p>")


def form_page(language: str | None, which: str, chosen: int | None, comment: str = "", error: str | None = None) -> str:
    w = words(language)
    scale = w["low_nps"] if which == csat.NPS else w["low_csat"]
    radios = "".join(
        f'<label><input type="radio" name="score" value="{s}"{" checked" if s == chosen else ""}>{s}</label>'
        for s in csat.scores(which)
    )
    problem = f'<p class="error">{html.escape(w[error])}</p>' if error else ""
    return page(
        language,
        f"<h1>{html.escape(w[which])}</h1>{problem}"
        f'<form method="post"><div class="scores">{radios}</div><p class="note">{html.escape(scale)}</p>'
        f'<label for="comment">{html.escape(w["comment"])}</label>'
        f'<textarea id="comment" name="comment" maxlength="{MAX_COMMENT}">{html.escape(comment)}</textarea>'
        f'<button type="submit">{html.escape(w["send"])}</button></form>',
    )


def thanks_page(language: str | None, score: int) -> str:
    w = words(language)
    return page(
        language,
        f"<h1>{html.escape(w['thanks'])}</h1><p>{html.escape(w['your_score'])}: <strong>{score}</strong></p>",
    )
