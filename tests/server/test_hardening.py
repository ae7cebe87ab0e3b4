"""Issue 17, part 1: permissions enforced on the server, streams that end with their session, offboarding.

Each test would pass against the server before issue 17 only if the hole were not there; they run on SQLite and
PostgreSQL (the ``api`` fixture)."""

from __future__ import annotations

import asyncio
import datetime as dt

from sqlalchemy import select, update

from omnidesk.domain.enums import Role
from omnidesk.domain.permissions import DEFAULTS, Permission
from omnidesk.server.audit.models import AuditRecord
from omnidesk.server.auth.models import AuthSession
from tests.server.customer_helpers import add_queue, deliver, grant, supervisor
from tests.server.hardening_helpers import StreamReader, bearer

# --- 7. permissions ---------------------------------------------------------------------------------------------


async def test_me_lists_the_callers_permissions_with_the_installations_overrides(api):
    operator = await api.headers_for("op")
    me = (await api.client.get("/api/v1/me", headers=operator)).json()
    assert me["permissions"] == sorted(p.value for p in DEFAULTS[Role.OPERATOR])
    assert "customer.merge" not in me["permissions"] and me["is_active"] is True
    lead = (await api.client.get("/api/v1/me", headers=await supervisor(api))).json()
    assert {"conversation.take_from_colleague", "customer.unmerge_any"} <= set(lead["permissions"])
    admin = await api.headers_for("root", Role.ADMIN)
    r = await api.client.put("/api/v1/permissions/operator/customer.merge", json={"allowed": True}, headers=admin)
    assert r.status_code == 200, r.text
    row = next(x for x in r.json() if x["permission"] == "customer.merge")
    assert row["roles"]["operator"] is True and row["overridden"] == {"operator": True}
    assert "customer.merge" in (await api.client.get("/api/v1/me", headers=operator)).json()["permissions"]
    # Back to the default, and an admin cannot take user management from admins.
    r = await api.client.put("/api/v1/permissions/operator/customer.merge", json={"allowed": None}, headers=admin)
    assert r.status_code == 200
    assert "customer.merge" not in (await api.client.get("/api/v1/me", headers=operator)).json()["permissions"]
    r = await api.client.put("/api/v1/permissions/admin/user.manage", json={"allowed": False}, headers=admin)
    assert r.status_code == 409
    r = await api.client.put("/api/v1/permissions/operator/customer.explode", json={"allowed": True}, headers=admin)
    assert r.status_code == 422
    async with api.db.session() as session:
        actions = (await session.scalars(select(AuditRecord.action))).all()
    assert actions.count("permission.change") == 2


async def test_operators_may_not_merge_dismiss_or_remove_identities_by_default(api):
    channel_id, token = await api.channel()
    a = (await deliver(api, channel_id, token, "m1", "phone", "+380501234567", name="Oksana Petrenko"))["customer_id"]
    b = (await deliver(api, channel_id, token, "m2", "email", "oksana@example.com", name="Oksana Petrenko"))[
        "customer_id"
    ]
    operator = await api.headers_for("op")
    r = await api.client.post("/api/v1/customers/merge", json={"survivor_id": a, "other_id": b}, headers=operator)
    assert r.status_code == 403 and "customer.merge" in r.json()["detail"]
    card = (await api.client.get(f"/api/v1/customers/{a}", headers=operator)).json()
    identity = card["identities"][0]["items"][0]["id"]
    r = await api.client.delete(f"/api/v1/customers/{a}/identities/{identity}", headers=operator)
    assert r.status_code == 403
    suggestions = (await api.client.get(f"/api/v1/customers/{a}/duplicates", headers=operator)).json()
    if suggestions:
        r = await api.client.post(f"/api/v1/duplicates/{suggestions[0]['id']}/dismiss", headers=operator)
        assert r.status_code == 403


async def test_unmerging_someone_elses_merge_is_a_supervisor_action(api):
    channel_id, token = await api.channel()
    a = (await deliver(api, channel_id, token, "m1", "phone", "+380501234567"))["customer_id"]
    b = (await deliver(api, channel_id, token, "m2", "phone", "+380501234568"))["customer_id"]
    c = (await deliver(api, channel_id, token, "m3", "phone", "+380501234569"))["customer_id"]
    lead = await supervisor(api)
    theirs = await api.client.post("/api/v1/customers/merge", json={"survivor_id": a, "other_id": b}, headers=lead)
    assert theirs.status_code == 201, theirs.text
    # An installation lets operators merge and undo their own merges, not other people's.
    await grant(api, Role.OPERATOR, Permission.CUSTOMER_MERGE.value)
    await grant(api, Role.OPERATOR, Permission.CUSTOMER_UNMERGE_OWN.value)
    operator = await api.headers_for("op")
    r = await api.client.post(f"/api/v1/merges/{theirs.json()['id']}/unmerge", headers=operator)
    assert r.status_code == 403 and "customer.unmerge_any" in r.json()["detail"]
    mine = await api.client.post("/api/v1/customers/merge", json={"survivor_id": a, "other_id": c}, headers=operator)
    assert mine.status_code == 201, mine.text
    r = await api.client.post(f"/api/v1/merges/{mine.json()['id']}/unmerge", headers=operator)
    assert r.status_code == 200, r.text
    r = await api.client.post(f"/api/v1/merges/{theirs.json()['id']}/unmerge", headers=lead)
    assert r.status_code == 200, r.text


async def test_taking_a_colleagues_conversation_answers_409_naming_the_holder(api):
    channel_id, token = await api.channel()
    conversation = (await api.inbound(channel_id, token, "m1")).json()["conversation_id"]
    base = f"/api/v1/conversations/{conversation}"
    holder = await api.headers_for("olena")
    async with api.db.session() as session:
        from omnidesk.server.users.models import User

        await session.execute(update(User).where(User.username == "olena").values(display_name="Olena Kovalenko"))
        await session.commit()
    assert (await api.client.post(f"{base}/assign", headers=holder)).status_code == 200
    colleague = await api.headers_for("taras")
    r = await api.client.post(f"{base}/assign", headers=colleague)
    assert r.status_code == 409, r.text
    detail = r.json()["detail"]
    assert detail["holder"]["display_name"] == "Olena Kovalenko" and "Olena Kovalenko" in detail["message"]
    assert detail["permission"] == "conversation.take_from_colleague"
    got = (await api.client.get(base, headers=holder)).json()
    assert got["assignee_id"] == (await api.client.get("/api/v1/me", headers=holder)).json()["id"]
    # A supervisor may take it; so may an operator once the installation grants it.
    assert (await api.client.post(f"{base}/assign", headers=await supervisor(api))).status_code == 200
    await grant(api, Role.OPERATOR, Permission.CONVERSATION_TAKE_FROM_COLLEAGUE.value)
    assert (await api.client.post(f"{base}/assign", headers=colleague)).status_code == 200


# --- 1. streams end with their session ---------------------------------------------------------------------------


async def _streaming_operator(api, name: str, **kw) -> tuple[dict, dict]:
    await api.user(name, **kw)
    tokens = await api.login(name)
    return tokens, bearer(tokens["access_token"])


async def test_a_stream_ends_within_seconds_of_logout(api):
    _tokens, headers = await _streaming_operator(api, "op")
    channel_id, token = await api.channel()
    async with StreamReader(api.client, headers) as stream:
        await api.inbound(channel_id, token, "before", text="before logout")
        assert (await api.client.post("/api/v1/auth/logout", headers=headers)).status_code == 204
        took = await stream.wait_end(within=8)
    assert stream.end_reason == "session_ended" and took < 8
    assert stream.frames[-1]["event"] == "stream.end"


async def test_a_stream_ends_when_an_admin_revokes_the_users_sessions(api):
    _tokens, headers = await _streaming_operator(api, "op")
    admin = await api.headers_for("root", Role.ADMIN)
    user_id = (await api.client.get("/api/v1/me", headers=headers)).json()["id"]
    async with StreamReader(api.client, headers) as stream:
        r = await api.client.delete(f"/api/v1/users/{user_id}/sessions", headers=admin)
        assert r.status_code == 204
        assert (await api.client.get("/api/v1/me", headers=headers)).status_code == 401
        await stream.wait_end(within=8)
    assert stream.end_reason == "session_ended"


async def test_a_stream_ends_when_its_access_token_expires_or_is_refreshed(api):
    tokens, headers = await _streaming_operator(api, "op")
    async with StreamReader(api.client, headers) as stream:
        async with api.db.session() as session:
            await session.execute(
                update(AuthSession).values(access_expires_at=dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1))
            )
            await session.commit()
        await stream.wait_end(within=8)
    assert stream.end_reason == "token_expired"
    tokens, headers = await _streaming_operator(api, "op2")
    async with StreamReader(api.client, headers) as stream:
        r = await api.client.post("/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
        assert r.status_code == 200
        await stream.wait_end(within=8)
    assert stream.end_reason == "token_expired"


async def test_a_stream_ends_when_the_account_is_disabled_and_the_user_cannot_log_in_again(api):
    tokens, headers = await _streaming_operator(api, "op")
    admin = await api.headers_for("root", Role.ADMIN)
    user_id = (await api.client.get("/api/v1/me", headers=headers)).json()["id"]
    async with StreamReader(api.client, headers) as stream:
        r = await api.client.patch(f"/api/v1/users/{user_id}", json={"is_active": False}, headers=admin)
        assert r.status_code == 200 and r.json()["is_active"] is False
        await stream.wait_end(within=8)
    assert stream.end_reason in ("account_disabled", "session_ended")
    assert (await api.client.get("/api/v1/me", headers=headers)).status_code == 401
    r = await api.client.post("/api/v1/auth/login", json={"username": "op", "password": "password-123"})
    assert r.status_code == 401
    r = await api.client.post("/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert r.status_code == 401
    # Enabled again, the user signs in (the old sessions stay ended).
    r = await api.client.patch(f"/api/v1/users/{user_id}", json={"is_active": True}, headers=admin)
    assert r.status_code == 200
    await api.login("op")


async def test_a_stream_stops_delivering_a_queue_the_user_was_removed_from(api):
    vip = await add_queue(api, "VIP")
    channel_id, token = await api.channel("VIP line", queue_id=vip)
    _tokens, headers = await _streaming_operator(api, "op", queue_ids=[vip])
    admin = await api.headers_for("root", Role.ADMIN)
    user_id = (await api.client.get("/api/v1/me", headers=headers)).json()["id"]
    async with StreamReader(api.client, headers) as stream:
        await api.inbound(channel_id, token, "m1", text="still yours")
        for _ in range(100):
            if "still yours" in stream.texts():
                break
            await asyncio.sleep(0.05)
        r = await api.client.delete(f"/api/v1/users/{user_id}/queues/{vip}", headers=admin)
        assert r.status_code == 200 and r.json()["queue_ids"] == []
        await stream.wait_end(within=8)
        await api.inbound(channel_id, token, "m2", text="not yours any more")
    assert stream.end_reason == "access_changed"
    assert stream.texts() == ["still yours"]
    # Reconnecting, the stream follows the new scope: the VIP queue's messages are not delivered.
    async with StreamReader(api.client, headers) as again:
        await api.inbound(channel_id, token, "m3", text="secret")
        await asyncio.sleep(1.5)
    assert again.texts() == []


# --- 6. offboarding ----------------------------------------------------------------------------------------------


async def test_admin_changes_role_password_and_queues_and_every_change_is_audited(api):
    admin = await api.headers_for("root", Role.ADMIN)
    _tokens, headers = await _streaming_operator(api, "op")
    user_id = (await api.client.get("/api/v1/me", headers=headers)).json()["id"]
    r = await api.client.patch(f"/api/v1/users/{user_id}", json={"role": "supervisor"}, headers=admin)
    assert r.status_code == 200 and r.json()["role"] == "supervisor"
    me = (await api.client.get("/api/v1/me", headers=headers)).json()
    assert me["role"] == "supervisor" and "customer.merge" in me["permissions"]
    vip = await add_queue(api, "VIP")
    r = await api.client.put(f"/api/v1/users/{user_id}/queues/{vip}", headers=admin)
    assert r.status_code == 200 and vip in r.json()["queue_ids"]
    assert (await api.client.put(f"/api/v1/users/{user_id}/queues/987654", headers=admin)).status_code == 404
    assert (await api.client.patch("/api/v1/users/987654", json={"role": "admin"}, headers=admin)).status_code == 404
    r = await api.client.patch(f"/api/v1/users/{user_id}", json={"password": "new-password-456"}, headers=admin)
    assert r.status_code == 200
    assert (await api.client.get("/api/v1/me", headers=headers)).status_code == 401  # the old sessions ended
    r = await api.client.post("/api/v1/auth/login", json={"username": "op", "password": "password-123"})
    assert r.status_code == 401
    await api.login("op", "new-password-456")
    users = (await api.client.get("/api/v1/users", headers=admin)).json()
    assert {u["username"]: u["is_active"] for u in users} == {"op": True, "root": True}
    async with api.db.session() as session:
        rows = (await session.scalars(select(AuditRecord).where(AuditRecord.action.like("user.%")))).all()
    actions = [r.action for r in rows]
    assert actions.count("user.update") == 2 and "user.queue_add" in actions and "user.list" in actions
    changed = [r.details for r in rows if r.action == "user.update"]
    assert changed[0]["role"] == {"from": "operator", "to": "supervisor"}
    assert changed[1]["password"] == "changed" and "new-password-456" not in str(changed)


async def test_the_last_admin_cannot_be_disabled_or_demoted(api):
    admin = await api.headers_for("root", Role.ADMIN)
    me = (await api.client.get("/api/v1/me", headers=admin)).json()["id"]
    for change in ({"is_active": False}, {"role": "operator"}):
        r = await api.client.patch(f"/api/v1/users/{me}", json=change, headers=admin)
        assert r.status_code == 409, r.text
    other = await api.user("second", Role.ADMIN)
    r = await api.client.patch(f"/api/v1/users/{other['id']}", json={"is_active": False}, headers=admin)
    assert r.status_code == 200


async def test_rotating_a_channel_token_kills_the_old_one_at_once(api):
    admin = await api.headers_for("root", Role.ADMIN)
    channel_id, old = await api.channel()
    assert (await api.inbound(channel_id, old, "m1")).status_code == 201  # the old token is cached now
    r = await api.client.post(f"/api/v1/channels/{channel_id}/token", headers=admin)
    assert r.status_code == 200, r.text
    new = r.json()["token"]
    assert new != old and new.startswith("odc_")
    assert (await api.inbound(channel_id, old, "m2")).status_code == 401
    assert (await api.inbound(channel_id, new, "m3")).status_code == 201
    assert (await api.client.post("/api/v1/channels/987654/token", headers=admin)).status_code == 404
    async with api.db.session() as session:
        actions = (await session.scalars(select(AuditRecord.action))).all()
    assert "channel.token_rotated" in actions


# --- 8. customer visibility --------------------------------------------------------------------------------------


async def test_unlinked_customers_are_hidden_from_operators_when_configured(db_url):
    from tests.server.hardening_helpers import api_with

    async with api_with(db_url, unlinked_customers_visible=False) as api:
        lead = await supervisor(api)
        loose = (await api.client.post("/api/v1/customers", json={"name": "Loose"}, headers=lead)).json()["id"]
        operator = await api.headers_for("op")
        assert (await api.client.get(f"/api/v1/customers/{loose}", headers=operator)).status_code == 404
        assert (await api.client.get(f"/api/v1/customers/{loose}", headers=lead)).status_code == 200
    async with api_with(db_url) as api:  # the default: visible, as documented
        operator = await api.headers_for("op2")
        assert (await api.client.get(f"/api/v1/customers/{loose}", headers=operator)).status_code == 200


async def test_customer_updates_reach_an_operator_who_sees_the_customer_only_through_an_assignment(api):
    vip = await add_queue(api, "VIP")
    channel_id, token = await api.channel("VIP line", queue_id=vip)
    delivered = (await api.inbound(channel_id, token, "m1")).json()
    operator_tokens = await _streaming_operator(api, "op")  # General only
    headers = operator_tokens[1]
    op_id = (await api.client.get("/api/v1/me", headers=headers)).json()["id"]
    lead = await supervisor(api)
    base = f"/api/v1/conversations/{delivered['conversation_id']}"
    assert (await api.client.post(f"{base}/assign", json={"user_id": op_id}, headers=lead)).status_code == 200
    async with StreamReader(api.client, headers) as stream:
        r = await api.client.patch(
            f"/api/v1/customers/{delivered['customer_id']}", json={"name": "Renamed Customer"}, headers=lead
        )
        assert r.status_code == 200, r.text
        for _ in range(100):
            if any(f.get("event") == "customer.updated" for f in stream.frames):
                break
            await asyncio.sleep(0.05)
    updates = [f for f in stream.frames if f.get("event") == "customer.updated"]
    assert updates and updates[0]["payload"]["customer"]["name"] == "Renamed Customer"


# --- 11. webhook targets -----------------------------------------------------------------------------------------


def test_webhook_allow_list_matches_hosts_suffixes_and_networks():
    from omnidesk.server.security import webhook_allowed

    allowed = ["crm.example.com", ".bank.internal", "10.20.0.0/16"]
    assert webhook_allowed("https://crm.example.com/hook", allowed)
    assert webhook_allowed("https://a.b.bank.internal/x", allowed)
    assert webhook_allowed("http://10.20.3.4:8080/x", allowed)
    assert not webhook_allowed("http://10.21.0.1/x", allowed)
    assert not webhook_allowed("http://169.254.169.254/latest/meta-data", allowed)
    assert not webhook_allowed("https://evil-crm.example.com/", allowed)
    assert not webhook_allowed("file:///etc/passwd", [])
    assert webhook_allowed("https://anything.example/", [])


async def test_webhooks_outside_the_allow_list_are_refused_and_never_called(db_url, webhook_sink):
    from tests.server.hardening_helpers import api_with

    async with api_with(db_url, webhook_allowed_hosts=["192.0.2.1"]) as api:
        admin = await api.headers_for("root", Role.ADMIN)
        r = await api.client.post(
            "/api/v1/channels", json={"name": "Internal", "webhook_url": webhook_sink.url}, headers=admin
        )
        assert r.status_code == 422 and "webhook_allowed_hosts" in str(r.json()["detail"])
        # A channel that predates the allow-list: its replies fail with a short reason, the target is not called.
        channel_id, token = await api.channel("Old", webhook_url=webhook_sink.url)
        conversation = (await api.inbound(channel_id, token, "m1")).json()["conversation_id"]
        operator = await api.headers_for("op")
        r = await api.client.post(
            f"/api/v1/conversations/{conversation}/messages", json={"text": "hi"}, headers=operator
        )
        assert r.status_code == 201
        for _ in range(100):
            items = (await api.client.get(f"/api/v1/conversations/{conversation}/messages", headers=operator)).json()
            reply = items["items"][-1]
            if reply["delivery_status"] == "failed":
                break
            await asyncio.sleep(0.05)
        assert reply["delivery_status"] == "failed" and "webhook_allowed_hosts" in reply["delivery_error"]
        assert webhook_sink.received == []


async def test_creating_a_customer_with_a_hidden_customers_phone_does_not_confirm_it_exists(api):
    vip = await add_queue(api, "VIP")
    channel_id, token = await api.channel("VIP line", queue_id=vip)
    hidden = (await deliver(api, channel_id, token, "v1", "phone", "+380671112244"))["customer_id"]
    operator = await api.headers_for("op")  # General only: cannot see the VIP customer
    body = {"name": "Ivan", "identities": [{"kind": "phone", "value": "+380671112244"}]}
    r = await api.client.post("/api/v1/customers", json=body, headers=operator)
    assert r.status_code == 201, r.text
    created = r.json()["id"]
    # Adding it to an existing customer answers the same way.
    r = await api.client.post(
        f"/api/v1/customers/{created}/identities", json={"kind": "phone", "value": "+380671112244"}, headers=operator
    )
    assert r.status_code == 201, r.text
    # Nothing was moved: a supervisor reviews the pair.
    lead = await supervisor(api)
    items = (await api.client.get("/api/v1/duplicates", headers=lead)).json()["items"]
    assert any({i["customer"]["id"], i["other"]["id"]} == {created, hidden} for i in items)
    hidden_card = (await api.client.get(f"/api/v1/customers/{hidden}", headers=lead)).json()
    assert [g["kind"] for g in hidden_card["identities"]] == ["phone"]
    async with api.db.session() as session:
        actions = (await session.scalars(select(AuditRecord.action))).all()
    assert actions.count("customer.identity_withheld") == 2
    # Where the owner is visible, the answer still says so (409: open that customer instead).
    vip_operator = await api.headers_for("vip-op", queue_ids=[vip])
    r = await api.client.post("/api/v1/customers", json=body, headers=vip_operator)
    assert r.status_code == 409
