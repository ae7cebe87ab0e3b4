"""Web form endpoints: ``POST /forms/{channel_id}`` (public, form-encoded or JSON) and creating a form channel.

Public, so guarded: the channel's allowed origins, a honeypot field, a per-address and per-e-mail rate limit, an
optional CAPTCHA check (any siteverify-style service: the channel's ``captcha_verify_url`` and secret), the body size
limit of the whole app. Answers a thank-you page (or a redirect to the site's own), or JSON to a script.
"""

from __future__ import annotations

import html
import json
import logging
import math
from typing import Annotated
from urllib.parse import parse_qsl

import httpx
from fastapi import APIRouter, Depends, HTTPException, Request, status
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from sqlalchemy import select

from omnidesk.domain.enums import ChannelKind
from omnidesk.domain.permissions import Permission
from omnidesk.protocol.webchannels import FormChannelCreate, WebChannelCreated
from omnidesk.server.admin.models import Channel
from omnidesk.server.channel_settings import service as channel_settings
from omnidesk.server.channel_settings.limits import RateLimiter, origin_allowed
from omnidesk.server.context import Caller, SessionDep, StateDep, client_ip, require_permission
from omnidesk.server.forms.service import HONEYPOT, FormInvalid, create_form_channel, read_submission, snippet, submit
from omnidesk.server.ingest.service import ChannelRef

log = logging.getLogger("omnidesk.forms")
router = APIRouter(tags=["web forms"])
ChannelAdmin = Annotated[Caller, Depends(require_permission(Permission.CHANNEL_MANAGE))]

PER_ADDRESS = RateLimiter(limit=10, window=600)  # submissions per client address per 10 minutes
PER_EMAIL = RateLimiter(limit=5, window=3600)  # per e-mail address or phone per hour

THANKS = {
    "en": ("Thank you!", "Your request has been received. We will get back to you soon."),
    "uk": ("Дякуємо!", "Ваше звернення отримано. Ми зв'яжемося з вами найближчим часом."),
    "ru": ("Спасибо!", "Ваше обращение получено. Мы свяжемся с вами в ближайшее время."),
}


@router.post("/api/v1/channels/forms", response_model=WebChannelCreated, status_code=status.HTTP_201_CREATED)
async def add_form_channel(
    body: FormChannelCreate, caller: ChannelAdmin, session: SessionDep, request: Request
) -> WebChannelCreated:
    try:
        channel = await create_form_channel(
            session,
            name=body.name,
            origins=body.origins,
            queue_id=body.queue_id,
            thank_you_url=body.thank_you_url,
            actor=caller.actor,
        )
    except ValueError as exc:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, str(exc)) from None
    await session.commit()
    base = str(request.base_url).rstrip("/")
    return WebChannelCreated(
        id=channel.id,
        kind=channel.kind,
        name=channel.name,
        queue_id=channel.queue_id,
        snippet=snippet(base, channel.id),
    )


async def _form_channel(st, channel_id: int):
    async with st.db.session() as session:
        c = await session.scalar(
            select(Channel).where(
                Channel.id == channel_id, Channel.kind == ChannelKind.WEBFORM.value, Channel.is_active
            )
        )
        if c is None:
            raise HTTPException(status.HTTP_404_NOT_FOUND, "no such form")
        ref = ChannelRef(c.id, c.kind, c.name, c.queue_id, c.webhook_url)
        options, secrets = await channel_settings.load(session, c.id)
        await session.rollback()
    return ref, options, secrets


def _too_many(wait: float) -> HTTPException:
    return HTTPException(
        status.HTTP_429_TOO_MANY_REQUESTS,
        "too many submissions; try again later",
        {"Retry-After": str(math.ceil(wait))},
    )


async def _captcha_ok(options: dict, secrets: dict, token: str | None, ip: str | None) -> bool:
    url = options.get("captcha_verify_url")
    if not url:
        return True
    if not token:
        return False
    try:
        async with httpx.AsyncClient(timeout=5) as client:
            r = await client.post(
                url, data={"secret": secrets.get("captcha_secret", ""), "response": token, "remoteip": ip or ""}
            )
        return bool(r.json().get("success"))
    except (httpx.HTTPError, ValueError):
        log.warning("the CAPTCHA service at %s did not answer; the submission is refused", url)
        return False


@router.post("/forms/{channel_id}", summary="Submit a web form (public)")
async def post_form(channel_id: int, request: Request, st: StateDep) -> Response:
    ip = client_ip(request)
    wait = PER_ADDRESS.hit(f"{channel_id}:{ip}")
    if wait is not None:
        raise _too_many(wait)
    channel, options, secrets = await _form_channel(st, channel_id)
    if not origin_allowed(request.headers.get("origin"), options.get("origins") or []):
        raise HTTPException(status.HTTP_403_FORBIDDEN, "this form does not accept submissions from that site")
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    raw = await request.body()
    wants_json = ctype == "application/json" or "application/json" in request.headers.get("accept", "")
    try:
        if ctype == "application/json":
            data = json.loads(raw or b"{}")
            if not isinstance(data, dict):
                raise ValueError("a JSON object is expected")
        elif ctype in ("application/x-www-form-urlencoded", ""):
            data = dict(parse_qsl(raw.decode("utf-8"), keep_blank_values=True, max_num_fields=100))
        else:
            raise HTTPException(status.HTTP_415_UNSUPPORTED_MEDIA_TYPE, "send the form URL-encoded or as JSON")
    except (ValueError, UnicodeDecodeError) as exc:
        raise HTTPException(status.HTTP_400_BAD_REQUEST, f"the form cannot be read: {exc}") from None
    lang = str(data.get("lang") or "en")[:2]
    lang = lang if lang in THANKS else "en"
    if str(data.get(HONEYPOT) or "").strip():
        # A bot filled the hidden field: it is told "thank you" and nothing is stored (it must not learn the rule).
        log.info("form %s: honeypot filled from %s; submission discarded", channel_id, ip)
        return _thanks(options, lang, wants_json, None)
    if not await _captcha_ok(options, secrets, data.get("captcha_token"), ip):
        raise HTTPException(status.HTTP_403_FORBIDDEN, "the CAPTCHA check failed")
    try:
        submission = read_submission(data, st.settings.default_region)
    except FormInvalid as exc:
        if wants_json:
            return JSONResponse({"detail": exc.errors}, status_code=422)
        items = "".join(f"<li>{html.escape(k)}: {html.escape(v)}</li>" for k, v in exc.errors.items())
        return HTMLResponse(f"<!doctype html><meta charset=utf-8><h1>Please check the form</h1><ul>{items}</ul>", 422)
    contact = (submission.email or submission.phone).value
    wait = PER_EMAIL.hit(f"{channel_id}:{contact}")
    if wait is not None:
        raise _too_many(wait)
    if not submission.page_url:
        submission.page_url = request.headers.get("referer")
    ack = await submit(st.db, channel, submission, ip)
    return _thanks(options, lang, wants_json, ack)


def _thanks(options: dict, lang: str, wants_json: bool, ack) -> Response:
    if wants_json:
        body = {"status": "received"}
        if ack is not None:
            body["conversation_id"] = ack.conversation_id
        return JSONResponse(body, status_code=201 if ack is not None and not ack.duplicate else 200)
    if options.get("thank_you_url"):
        return RedirectResponse(options["thank_you_url"], status_code=303)
    title, text = THANKS[lang]
    return HTMLResponse(
        f"<!doctype html><html lang={lang}><meta charset=utf-8><title>{title}</title>"
        f"<h1>{title}</h1><p>{text}</p></html>",
        headers={"Content-Security-Policy": "default-src 'none'"},
    )
