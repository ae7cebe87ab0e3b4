"""Web forms: a submission becomes a customer (all its identifiers) and a conversation of its own, in one step.

The sender is the e-mail address when given, else the phone; the other identifier joins the same customer through
the multi-identifier path of ingest, so a phone that belongs to someone else raises a duplicate suggestion instead
of a silent merge. Each submission opens its own conversation (kind "form" by its channel) and is kept as a
``form_submissions`` row with every field, for the card in the history and for leads later.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.domain.enums import ChannelKind
from omnidesk.domain.identity import Identifier, IdentityKind, InvalidIdentifier, normalize
from omnidesk.protocol import InboundMessage
from omnidesk.protocol.schemas import MAX_TEXT
from omnidesk.server.admin.models import Channel
from omnidesk.server.admin.service import create_api_channel
from omnidesk.server.audit.service import Actor
from omnidesk.server.channel_settings import service as channel_settings
from omnidesk.server.db import Database
from omnidesk.server.forms.models import FormSubmission
from omnidesk.server.ingest.service import ChannelRef, ThreadHint, ingest

KNOWN = ("name", "phone", "email", "message")
UTM = ("utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content")
SERVICE_FIELDS = ("page", "page_url", "submission_id", "lang", "captcha_token", "website_url")
HONEYPOT = "website_url"  # hidden from people by the snippet's CSS; bots fill every field
MAX_FIELDS = 40
MAX_VALUE = 4000


class FormInvalid(ValueError):
    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


@dataclass
class Submission:
    name: str | None
    phone: Identifier | None
    email: Identifier | None
    message: str | None
    custom: dict[str, str] = field(default_factory=dict)
    utm: dict[str, str] = field(default_factory=dict)
    page_url: str | None = None
    key: str | None = None


def read_submission(data: dict[str, Any], default_region: str) -> Submission:
    """Validate a submission's fields; raises FormInvalid with a reason per field."""
    if len(data) > MAX_FIELDS:
        raise FormInvalid({"form": f"at most {MAX_FIELDS} fields"})
    values = {str(k)[:100]: ("" if v is None else str(v)).strip()[:MAX_VALUE] for k, v in data.items()}
    errors: dict[str, str] = {}
    phone = email = None
    if values.get("phone"):
        try:
            phone = normalize(IdentityKind.PHONE, values["phone"], default_region)
        except InvalidIdentifier as exc:
            errors["phone"] = str(exc)
    if values.get("email"):
        try:
            email = normalize(IdentityKind.EMAIL, values["email"])
        except InvalidIdentifier as exc:
            errors["email"] = str(exc)
    if not errors and phone is None and email is None:
        errors["contact"] = "give a phone number or an e-mail address"
    if errors:
        raise FormInvalid(errors)
    custom = {k: v for k, v in values.items() if k not in KNOWN and k not in UTM and k not in SERVICE_FIELDS and v}
    return Submission(
        name=values.get("name") or None,
        phone=phone,
        email=email,
        message=values.get("message") or None,
        custom=custom,
        utm={k: values[k] for k in UTM if values.get(k)},
        page_url=(values.get("page_url") or values.get("page") or None),
        key=values.get("submission_id") or None,
    )


def card_text(channel_name: str, s: Submission) -> str:
    lines = [f"[{channel_name}]"]
    if s.message:
        lines.append(s.message)
    details = [
        ("name", s.name),
        ("phone", s.phone.value if s.phone else None),
        ("email", s.email.value if s.email else None),
    ]
    details += list(s.custom.items())
    lines += [f"{k}: {v}" for k, v in details if v]
    if s.page_url:
        lines.append(f"page: {s.page_url}")
    return "\n".join(lines)[:MAX_TEXT]


async def submit(db: Database, channel: ChannelRef, s: Submission, client_ip: str | None):
    sender, extra = (s.email, [s.phone]) if s.email is not None else (s.phone, [])
    extra = [i for i in extra if i is not None]
    key = (s.key or uuid.uuid4().hex)[:200]
    message = InboundMessage(
        external_id=f"form:{key}",
        sender={"kind": sender.kind.value, "value": sender.value, "name": (s.name or "")[:200] or None},
        identities=[{"kind": i.kind.value, "value": i.value} for i in extra],
        text=card_text(channel.name, s),
    )

    async def on_stored(session: AsyncSession, message_id: int, conversation_id: int, customer_id: int) -> None:
        session.add(
            FormSubmission(
                channel_id=channel.id,
                message_id=message_id,
                conversation_id=conversation_id,
                customer_id=customer_id,
                name=s.name,
                phone=s.phone.value if s.phone else None,
                email=s.email.value if s.email else None,
                fields=s.custom,
                page_url=(s.page_url or "")[:2000] or None,
                utm=s.utm,
                client_ip=client_ip,
            )
        )
        await session.flush()

    return await ingest(
        db, channel, message, sender, extra, thread=ThreadHint(new_conversation=True, on_stored=on_stored)
    )


async def create_form_channel(
    session: AsyncSession,
    *,
    name: str,
    origins: list[str] | None = None,
    queue_id: int | None = None,
    thank_you_url: str | None = None,
    actor: Actor | None = None,
) -> Channel:
    if thank_you_url and not thank_you_url.lower().startswith(("https://", "http://")):
        raise ValueError("the thank-you URL must start with http:// or https://")
    channel, _token = await create_api_channel(
        session, name=name, queue_id=queue_id, actor=actor, kind=ChannelKind.WEBFORM
    )
    await channel_settings.save(
        session, channel.id, {"origins": list(origins or []), "thank_you_url": thank_you_url}, {}
    )
    return channel


def snippet(base_url: str, channel_id: int) -> str:
    """The HTML a web developer pastes: a plain form (works without JavaScript), with the honeypot field hidden."""
    return f"""<form method="post" action="{base_url}/forms/{channel_id}" accept-charset="utf-8">
  <input name="name" autocomplete="name" placeholder="Name">
  <input name="phone" type="tel" autocomplete="tel" placeholder="Phone">
  <input name="email" type="email" autocomplete="email" placeholder="E-mail">
  <textarea name="message" placeholder="Message"></textarea>
  <div aria-hidden="true" style="position:absolute;left:-10000px">
    <input name="{HONEYPOT}" tabindex="-1" autocomplete="off">
  </div>
  <button type="submit">Send</button>
</form>"""
