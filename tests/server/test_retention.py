"""Retention: policies delete or anonymise old messages per channel and queue, exactly once a day, never on legal hold;
the audit log is append-only and pruned only past its retention; one customer's export and erasure."""

from __future__ import annotations

import asyncio
import datetime as dt
import json

import pytest
from sqlalchemy import func, select, text, update
from sqlalchemy.exc import DBAPIError

from omnidesk.domain.enums import Role
from omnidesk.server.audit.models import AuditRecord
from omnidesk.server.conversations.models import Conversation, Message
from omnidesk.server.customers.models import Customer, Identity
from omnidesk.server.retention.service import ERASED, REMOVED, months_before, run_retention

# The command runs in a thread while this loop goes on serving: a blocked loop would hold SQLite's lock.
from tests.server.conftest import omnidesk_here
from tests.server.customer_helpers import add_queue, deliver

NOW = dt.datetime.now(dt.UTC)
OLD = NOW - dt.timedelta(days=400)  # about 13 months ago
RECENT = NOW - dt.timedelta(days=20)


async def _age(api, external_id: str, when: dt.datetime) -> None:
    async with api.db.session() as session:
        await session.execute(update(Message).where(Message.external_id == external_id).values(sent_at=when))
        conversation = await session.scalar(select(Message.conversation_id).where(Message.external_id == external_id))
        await session.execute(update(Conversation).where(Conversation.id == conversation).values(last_message_at=when))
        await session.commit()


async def _text(api, external_id: str) -> str | None:
    async with api.db.session() as session:
        return await session.scalar(select(Message.text).where(Message.external_id == external_id))


async def _seed(api):
    site, site_token = await api.channel("Site")
    bot, bot_token = await api.channel("Bot")
    out = {}
    for ext, channel, token, phone in [
        ("s-old", site, site_token, "+380501230001"),
        ("s-new", site, site_token, "+380501230002"),
        ("b-old", bot, bot_token, "+380501230003"),
        ("h-old", site, site_token, "+380501230004"),
    ]:
        out[ext] = await deliver(api, channel, token, ext, "phone", phone, text=f"Картка 4444 {ext}")
    await _age(api, "s-old", OLD)
    await _age(api, "b-old", OLD)
    await _age(api, "h-old", OLD)
    await _age(api, "s-new", RECENT)
    return site, bot, out


async def _admin(api):
    return await api.headers_for("root", Role.ADMIN)


async def _policy(api, headers, **body):
    r = await api.client.post("/api/v1/retention/policies", json=body, headers=headers)
    assert r.status_code == 201, r.text
    return r.json()


async def test_policies_anonymise_or_delete_only_old_messages_of_their_scope_once_a_day(api):
    _site, bot, seeded = await _seed(api)
    headers = await _admin(api)
    await _policy(api, headers, name="Everything: 12 months", action="anonymise", months=12)
    await _policy(api, headers, name="Bot: 6 months, deleted", action="delete", months=6, channel_id=bot)
    hold = await api.client.put(
        f"/api/v1/customers/{seeded['h-old']['customer_id']}/legal-hold",
        json={"reason": "court case 12/2026"},
        headers=headers,
    )
    assert hold.status_code == 204, hold.text
    r = await api.client.post("/api/v1/retention/run", headers=headers)
    assert r.status_code == 200, r.text
    report = r.json()["report"]
    assert [(p["name"], p["messages"]) for p in report["policies"]] == [
        ("Everything: 12 months", 1),
        ("Bot: 6 months, deleted", 1),
    ]
    assert await _text(api, "s-old") == REMOVED
    assert await _text(api, "s-new") == "Картка 4444 s-new"  # recent: kept
    assert await _text(api, "b-old") is None  # the bot channel's own policy: deleted
    assert await _text(api, "h-old") == "Картка 4444 h-old"  # on legal hold: kept
    async with api.db.session() as session:
        preview = await session.scalar(
            select(Conversation.last_message_preview).where(Conversation.id == seeded["s-old"]["conversation_id"])
        )
        assert preview == REMOVED
    # The search no longer finds what retention removed.
    found = await api.client.get("/api/v1/search/messages", params={"q": "4444"}, headers=headers)
    assert {h["message_id"] for h in found.json()["items"]} == {
        seeded["s-new"]["message_id"],
        seeded["h-old"]["message_id"],
    }
    # Exactly once a day, through the API and the command line alike.
    assert (await api.client.post("/api/v1/retention/run", headers=headers)).status_code == 409
    again = await asyncio.to_thread(omnidesk_here, "retention", "run", database=api.settings.database_url)
    assert again.returncode == 0 and "already ran today" in again.stdout
    runs = (await api.client.get("/api/v1/retention/runs", headers=headers)).json()
    assert len(runs) == 1 and runs[0]["finished_at"] is not None
    async with api.db.session() as session:
        assert await session.scalar(select(func.count()).where(AuditRecord.action == "retention.run")) == 1


async def test_next_day_run_with_cli_and_the_most_specific_policy_wins(api):
    site, _bot, seeded = await _seed(api)
    queue = await add_queue(api, "VIP")
    async with api.db.session() as session:
        await session.execute(
            update(Conversation).where(Conversation.id == seeded["s-old"]["conversation_id"]).values(queue_id=queue)
        )
        await session.commit()
    headers = await _admin(api)
    await _policy(api, headers, name="Site", action="delete", months=12, channel_id=site)
    await _policy(api, headers, name="Site VIP: 10 years", action="delete", months=120, channel_id=site, queue_id=queue)
    async with api.db.session() as session:
        report = await run_retention(session, api.settings, now=NOW - dt.timedelta(days=1))
        await session.commit()
    assert report is not None
    assert await _text(api, "s-old") is not None  # VIP queue: 10 years
    assert await _text(api, "h-old") is None  # site, 12 months
    assert await _text(api, "b-old") is not None  # no policy for the bot channel
    r = await asyncio.to_thread(omnidesk_here, "retention", "run", database=api.settings.database_url)
    assert r.returncode == 0 and "policy 'Site'" in r.stdout, r.stdout + r.stderr


async def test_audit_log_is_append_only_and_pruned_only_past_its_retention(api):
    headers = await _admin(api)
    async with api.db.session() as session:
        first = await session.scalar(select(AuditRecord.id).order_by(AuditRecord.id).limit(1))
        with pytest.raises(DBAPIError, match="append-only"):
            await session.execute(update(AuditRecord).where(AuditRecord.id == first).values(action="edited"))
        await session.rollback()
        # Rows written 30 and 11 months ago (the retention is 24 months by default, never under 12).
        for months, action in ((30, "ancient"), (11, "recent-ish")):
            at = months_before(NOW, months)
            await session.execute(
                text("INSERT INTO audit_log (at, action) VALUES (:at, :action)"),
                {"at": at if session.bind.dialect.name != "sqlite" else at.replace(tzinfo=None), "action": action},
            )
        await session.commit()
    r = await api.client.post("/api/v1/retention/run", headers=headers)
    assert r.status_code == 200 and r.json()["report"]["audit_pruned"] == 1
    async with api.db.session() as session:
        actions = set((await session.scalars(select(AuditRecord.action))).all())
    assert "ancient" not in actions and "recent-ish" in actions and "retention.run" in actions


async def test_export_holds_everything_and_erasure_leaves_only_an_audit_record(api, tmp_path):
    _site, _bot, seeded = await _seed(api)
    customer_id = seeded["s-new"]["customer_id"]
    headers = await _admin(api)
    r = await api.client.get(f"/api/v1/customers/{customer_id}/export", headers=headers)
    assert r.status_code == 200 and "attachment" in r.headers["content-disposition"]
    data = r.json()
    assert data["customer"]["id"] == customer_id
    assert [i["value"] for i in data["identities"]] == ["+380501230002"]
    assert [m["text"] for m in data["messages"]] == ["Картка 4444 s-new"]
    assert data["timeline"] and data["conversations"]
    file = tmp_path / "export.json"
    cli = await asyncio.to_thread(
        omnidesk_here, "customer", "export", str(customer_id), str(file), database=api.settings.database_url
    )
    assert cli.returncode == 0, cli.stderr
    assert json.loads(file.read_text())["messages"][0]["text"] == "Картка 4444 s-new"
    # Legal hold blocks erasure.
    await api.client.put(f"/api/v1/customers/{customer_id}/legal-hold", json={"reason": "audit"}, headers=headers)
    held = await api.client.post(f"/api/v1/customers/{customer_id}/erase", headers=headers)
    assert held.status_code == 409 and "legal hold" in held.json()["detail"]
    assert (await api.client.delete(f"/api/v1/customers/{customer_id}/legal-hold", headers=headers)).status_code == 204
    erased = await api.client.post(f"/api/v1/customers/{customer_id}/erase", headers=headers)
    assert erased.status_code == 200 and erased.json()["identities"] == 1
    async with api.db.session() as session:
        customer = await session.get(Customer, customer_id)
        assert customer.display_name == f"Erased customer {customer_id}"
        assert (await session.scalar(select(func.count()).where(Identity.customer_id == customer_id))) == 0
        assert (
            await session.scalar(
                select(Message.text).where(Message.conversation_id == seeded["s-new"]["conversation_id"])
            )
            == ERASED
        )
        record = await session.scalar(select(AuditRecord).where(AuditRecord.action == "customer.erase"))
        assert record.object_id == str(customer_id) and record.username == "root"
    # A message from the same number after the erasure starts a new customer: nothing of the old one is left to match.
    channel2, token2 = await api.channel("Site 2")
    again = await deliver(api, channel2, token2, "s-later", "phone", "+380501230002")
    assert again["customer_id"] != customer_id
    none = await api.client.get("/api/v1/search/messages", params={"q": "s-new"}, headers=headers)
    assert none.json()["items"] == []


async def test_compliance_routes_are_admin_only_and_bad_input_is_4xx(api):
    operator = await api.headers_for("op", Role.OPERATOR)
    supervisor = await api.headers_for("sup", Role.SUPERVISOR)
    for headers in (operator, supervisor):
        assert (await api.client.get("/api/v1/retention/policies", headers=headers)).status_code == 403
        assert (await api.client.get("/api/v1/customers/1/export", headers=headers)).status_code == 403
    admin = await _admin(api)
    for body in (
        {"name": "x", "action": "burn", "months": 3},
        {"name": "x", "action": "delete", "months": 0},
        {"name": "x", "action": "delete", "months": 3, "channel_id": 999},
    ):
        r = await api.client.post("/api/v1/retention/policies", json=body, headers=admin)
        assert r.status_code == 422, (body, r.text)
    assert (await api.client.post("/api/v1/customers/999/erase", headers=admin)).status_code == 404
    assert (await api.client.get("/api/v1/customers/999/export", headers=admin)).status_code == 404


async def test_retention_and_erasure_take_the_files_letters_and_payloads_too(api):
    """A message's files (rows, and the file on disk once nothing else refers to it), its e-mail letter and its
    platform payload go with its text; the customer export lists the files it holds."""
    import os

    from omnidesk.server.attachments import service as attachment_service
    from omnidesk.server.attachments.models import Attachment
    from omnidesk.server.channels.models import MessageDetails

    site, token = await api.channel("Site")
    old = await deliver(api, site, token, "f-old", "phone", "+380501239001", text="Скан паспорта")
    keep = await deliver(api, site, token, "f-keep", "phone", "+380501239002", text="Виписка")
    await _age(api, "f-old", OLD)
    await _age(api, "f-keep", RECENT)
    headers = await _admin(api)
    big = api.settings.attachment_db_max_bytes + 1000  # larger files live on disk
    shared, own = os.urandom(big), os.urandom(big)

    async def attach(seeded: dict, name: str, data: bytes) -> Attachment:
        r = await api.client.post(
            f"/api/v1/conversations/{seeded['conversation_id']}/attachments",
            files={"file": (name, data, "application/pdf")},
            headers=headers,
        )
        assert r.status_code == 201, r.text
        async with api.db.session() as session:  # as an inbound file of the customer's message
            await session.execute(
                update(Attachment).where(Attachment.id == r.json()["id"]).values(message_id=seeded["message_id"])
            )
            await session.commit()
            return await session.get(Attachment, r.json()["id"])

    old_shared, old_own = await attach(old, "a.pdf", shared), await attach(old, "b.pdf", own)
    kept_shared = await attach(keep, "c.pdf", shared)  # the same content in a message that stays
    assert old_shared.storage == "disk" and old_shared.sha256 == kept_shared.sha256
    path = lambda a: attachment_service._path(api.settings, a.sha256)  # noqa: E731
    assert path(old_own).is_file() and path(old_shared).is_file()
    async with api.db.session() as session:
        session.add(MessageDetails(message_id=old["message_id"], payload={"raw": {"passport": "КВ 123456"}}))
        await session.commit()

    await _policy(api, headers, name="Everything: 12 months", action="anonymise", months=12)
    r = await api.client.post("/api/v1/retention/run", headers=headers)
    assert r.status_code == 200, r.text
    assert [p["files"] for p in r.json()["report"]["policies"]] == [2]
    assert not path(old_own).exists()  # nothing refers to it any more
    assert path(kept_shared).read_bytes() == shared  # still another message's file
    async with api.db.session() as session:
        left = (await session.scalars(select(Attachment.id).order_by(Attachment.id))).all()
        assert left == [kept_shared.id]
        assert (await session.get(MessageDetails, old["message_id"])).payload == {}

    export = (await api.client.get(f"/api/v1/customers/{keep['customer_id']}/export", headers=headers)).json()
    assert [(a["id"], a["sha256"], a["file_name"]) for a in export["attachments"]] == [
        (kept_shared.id, kept_shared.sha256, "c.pdf")
    ]
    erased = await api.client.post(f"/api/v1/customers/{keep['customer_id']}/erase", headers=headers)
    assert erased.status_code == 200 and erased.json()["files"] == 1
    assert not path(kept_shared).exists()
    async with api.db.session() as session:
        assert await session.scalar(select(func.count()).select_from(Attachment)) == 0
