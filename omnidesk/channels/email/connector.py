"""The e-mail connector: composing an operator's reply as a threaded mail and sending it over SMTP (aiosmtplib).

Our Message-ID is derived from the reply's stored id (``<omnidesk.<channel>.<message>@domain>``), so every retry of
one reply carries the same id (the customer's server and mail program see one message), and a bounce or a customer's
reply that quotes it leads straight back to the reply and its conversation. In-Reply-To and References name the
customer's last mail, so the customer's mail program shows the answer in the same thread.

A mailbox may ask for reports (both off unless set): ``delivery_reports`` requests a delivery status notification
for every outcome (RFC 3461: ``NOTIFY=SUCCESS,DELAY,FAILURE``, ``RET=HDRS``) from an SMTP server that offers DSN,
so a reply can become "delivered"; ``read_receipts`` adds ``Disposition-Notification-To`` (RFC 8098), so the
customer's mail program may send a read receipt (most ask the customer first).
"""

from __future__ import annotations

import html
import re
from email.message import EmailMessage
from email.utils import format_datetime, formataddr

import aiosmtplib
import httpx

from omnidesk.channels.base import (
    Capabilities,
    Connector,
    InboundItem,
    InboundRequest,
    ItemKind,
    OutboundMessage,
    SenderRef,
    SendFailure,
    SendResult,
    Unverified,
)
from omnidesk.channels.email.parse import MailKind, parse_message
from omnidesk.domain.mail import reply_subject

_OURS = re.compile(r"^<omnidesk\.(\d+)\.(\d+)@[^>]+>$")


def outbound_message_id(channel_id: int, message_id: int, domain: str) -> str:
    return f"<omnidesk.{channel_id}.{message_id}@{domain}>"


def our_message(message_id_header: str | None) -> tuple[int, int] | None:
    """(channel id, message id) of a Message-ID we generated, else None."""
    if not message_id_header:
        return None
    m = _OURS.match(message_id_header.strip())
    return (int(m.group(1)), int(m.group(2))) if m else None


class EmailConnector(Connector):
    kind = "email"
    capabilities = Capabilities(
        max_text=1_000_000,
        media_kinds=frozenset({"image", "document", "audio", "video"}),
        max_media_bytes=20 * 1024 * 1024,
    )

    def verify(self, request: InboundRequest) -> None:
        # Mail arrives over IMAP from the mailbox the channel logs in to; there is no inbound HTTP endpoint.
        raise Unverified("e-mail arrives over IMAP, not over HTTP")

    def parse(self, request: InboundRequest) -> list[InboundItem]:
        mail = parse_message(request.body)
        if mail.kind is not MailKind.PERSON or not mail.from_address:
            return []
        return [
            InboundItem(
                kind=ItemKind.MESSAGE,
                external_id=mail.message_id,
                sender=SenderRef("email", mail.from_address, mail.from_name),
                text=mail.text,
                sent_at=mail.date,
            )
        ]

    @property
    def address(self) -> str:
        return self.config.options["address"]

    @property
    def domain(self) -> str:
        return self.address.rsplit("@", 1)[-1]

    def compose(self, message: OutboundMessage) -> EmailMessage:
        opts = self.config.options
        thread = opts.get("thread") or {}
        mail = EmailMessage()
        mail["From"] = formataddr((opts.get("display_name") or self.config.name, self.address))
        to = message.recipient.address
        if not to:
            raise SendFailure("the customer has no e-mail address to answer to", retryable=False, code="no-address")
        mail["To"] = formataddr((message.recipient.name, to)) if message.recipient.name != to else to
        if thread.get("to"):  # the operator chose the recipients (reply all, an edited list)
            mail.replace_header("To", ", ".join(thread["to"]))
        if thread.get("cc"):
            mail["Cc"] = ", ".join(thread["cc"])
        mail["Subject"] = thread.get("subject") or reply_subject(None)
        mail["Date"] = format_datetime(message.sent_at)
        mail["Message-ID"] = outbound_message_id(self.config.channel_id, message.message_id, self.domain)
        if thread.get("in_reply_to"):
            mail["In-Reply-To"] = thread["in_reply_to"]
            refs = list(thread.get("references") or [])
            if thread["in_reply_to"] not in refs:
                refs.append(thread["in_reply_to"])
            mail["References"] = " ".join(refs[-20:])
        # We answer people: tell their auto-responders not to answer us (RFC 3834), and mark the mail as ours.
        mail["Auto-Submitted"] = "no"
        mail["X-Auto-Response-Suppress"] = "OOF, AutoReply"
        if opts.get("read_receipts"):
            mail["Disposition-Notification-To"] = self.address
        survey = opts.get("survey_mail")  # a survey question with links (omnidesk.server.csat.links): multipart
        text = survey["text"] if survey else message.text
        signature = opts.get("signature")
        if signature:
            text = f"{text}\n\n-- \n{signature}"
        mail.set_content(text)
        if survey:
            body = survey["html"]
            if signature:
                escaped = html.escape(signature).replace("\n", "<br>")
                body = body.replace("</body>", f'<p style="color:#666">-- <br>{escaped}</p></body>')
            mail.add_alternative(body, subtype="html")
        for f in message.files:
            maintype, _, subtype = f.mime_type.partition("/")
            mail.add_attachment(
                f.content, maintype=maintype or "application", subtype=subtype or "octet-stream", filename=f.file_name
            )
        return mail

    async def send(self, client: httpx.AsyncClient, message: OutboundMessage) -> SendResult:
        mail = self.compose(message)
        opts, secrets = self.config.options, self.config.secrets
        security = opts.get("smtp_security", "starttls")
        smtp = aiosmtplib.SMTP(
            hostname=opts["smtp_host"],
            port=int(opts["smtp_port"]),
            username=opts.get("username") or None,
            password=secrets.get("password") or None,
            use_tls=security == "tls",
            start_tls=True if security == "starttls" else False,
            timeout=float(opts.get("timeout", 30)),
        )
        try:
            async with smtp:
                mail_options: list[str] = []
                rcpt_options: list[str] = []
                if opts.get("delivery_reports") and smtp.supports_extension("dsn"):
                    mail_options, rcpt_options = ["RET=HDRS"], ["NOTIFY=SUCCESS,DELAY,FAILURE"]
                await smtp.send_message(mail, mail_options=mail_options, rcpt_options=rcpt_options)
        except aiosmtplib.SMTPRecipientsRefused as exc:
            raise self.classify_smtp(exc.recipients[0]) from None
        except aiosmtplib.SMTPResponseException as exc:
            raise self.classify_smtp(exc) from None
        except (aiosmtplib.SMTPException, OSError) as exc:
            raise SendFailure(f"SMTP server unreachable: {exc}", retryable=True, code="connect") from None
        return SendResult(external_ids=(mail["Message-ID"],), copy=mail.as_bytes())

    @staticmethod
    def classify_smtp(exc: aiosmtplib.SMTPResponseException) -> SendFailure:
        """4xx: the server asks to try later (retry); 5xx: refused for good, with the server's own words."""
        code = int(exc.code)
        words = (exc.message or "").strip()
        return SendFailure(f"SMTP {code} {words}".strip(), retryable=400 <= code < 500 or code < 0, code=str(code))
