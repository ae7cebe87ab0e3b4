"""The public survey pages of the e-mail version (omnidesk.server.csat.links): outside /api/v1, like /webchat/.

No user token: the survey link's token is the credential. Every answer is an HTML page in the survey's language
(uk, ru, en), with its status: 200 the form or the thanks, 404 an unknown link, 409 a question already answered,
410 an expired link, 422 a form without a valid score or with a too long comment, 429 too many requests from one
address. The pages are for people, not programs: they are left out of the OpenAPI document (like /widget.js), and
tests/server/test_survey_links.py sends them the refusals a fuzzer would.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from omnidesk.domain import csat
from omnidesk.server.channel_settings.limits import RateLimiter
from omnidesk.server.context import SessionDep, StateDep, client_ip
from omnidesk.server.csat import links
from omnidesk.server.csat.service import answer_by_link, link_survey
from omnidesk.server.db import utcnow

router = APIRouter(tags=["surveys"], include_in_schema=False)

PER_ADDRESS = RateLimiter(limit=30, window=60)  # survey page requests per client address per minute
MAX_FORM = 16 * 1024
# The token is in the path: no Referer may carry it elsewhere, no cache keep the page, no frame show it.
HEADERS = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Robots-Tag": "noindex, nofollow",
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; form-action 'self';"
    " frame-ancestors 'none'",
}
STATUS = {"unknown": 404, "answered": 409, "expired": 410, "pick": 422, "too_long": 422}


def _html(body: str, status_code: int = 200, extra: dict | None = None) -> HTMLResponse:
    return HTMLResponse(body, status_code=status_code, headers={**HEADERS, **(extra or {})})


def _limited(request: Request) -> HTMLResponse | None:
    wait = PER_ADDRESS.hit(f"survey:{client_ip(request)}")
    if wait is None:
        return None
    return _html(links.message_page(None, "too_many"), 429, {"Retry-After": str(int(wait) + 1)})


@router.get("/survey/{token}", response_class=HTMLResponse)
async def survey_page(token: str, request: Request, session: SessionDep, st: StateDep) -> HTMLResponse:
    """The question with the link's score preselected and a comment box; records nothing (mail scanners fetch
    links)."""
    if (refused := _limited(request)) is not None:
        return refused
    state, survey, which = await link_survey(session, st.db, token, utcnow())
    language = survey.language if survey is not None else None
    if state != "open":
        return _html(links.message_page(language, state), STATUS[state])
    chosen = csat.parse_score(which, request.query_params.get("score"))
    return _html(links.form_page(language, which, chosen))


@router.post("/survey/{token}", response_class=HTMLResponse)
async def survey_answer(token: str, request: Request, session: SessionDep, st: StateDep) -> HTMLResponse:
    """The page's form (score, comment): the answer recorded as a text reply's, then the thanks."""
    if (refused := _limited(request)) is not None:
        return refused
    length = request.headers.get("content-length") or "0"
    if not length.isdigit() or int(length) > MAX_FORM:  # (BodySizeLimit caps a chunked body)
        return _html(links.message_page(None, "too_long"), 413)
    try:
        form = await request.form(max_files=0, max_fields=10)
    except Exception:  # not a form (a JSON body, a broken multipart): the same as no score
        form = {}
    score, comment = form.get("score"), form.get("comment")
    score = score if isinstance(score, str) else None
    comment = comment if isinstance(comment, str) else None
    outcome, survey, which, recorded = await answer_by_link(session, st.db, token, score, comment, utcnow())
    language = survey.language if survey is not None else None
    if outcome == "recorded":
        await session.commit()
        return _html(links.thanks_page(language, recorded))
    await session.rollback()
    if outcome in ("pick", "too_long"):
        return _html(links.form_page(language, which, recorded, comment or "", error=outcome), 422)
    return _html(links.message_page(language, outcome), STATUS[outcome])
