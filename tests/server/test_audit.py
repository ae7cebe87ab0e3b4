"""The audit log: who read or changed what, when, from which address; filters; admins only."""

from __future__ import annotations

import datetime as dt

from omnidesk.domain.enums import Role

AUDIT = "/api/v1/audit"


async def _entries(api, headers, **params) -> list[dict]:
    items, cursor = [], None
    while True:
        query = {**params, **({"cursor": cursor} if cursor else {})}
        r = await api.client.get(AUDIT, params=query, headers=headers)
        assert r.status_code == 200, r.text
        items += r.json()["items"]
        cursor = r.json()["next_cursor"]
        if cursor is None:
            return items


async def test_logins_reads_and_changes_are_recorded_with_user_time_and_address(api):
    channel_id, token = await api.channel()
    admin = await api.headers_for("root", Role.ADMIN)
    operator = await api.headers_for("op")
    op_id = (await api.client.get("/api/v1/me", headers=operator)).json()["id"]
    before = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
    r = await api.client.post("/api/v1/auth/login", json={"username": "op", "password": "wrong"})
    assert r.status_code == 401
    conversation_id = (await api.inbound(channel_id, token, "m-1")).json()["conversation_id"]
    base = f"/api/v1/conversations/{conversation_id}"
    assert (await api.client.get(base, headers=operator)).status_code == 200
    assert (await api.client.get(f"{base}/messages", headers=operator)).status_code == 200
    assert (await api.client.post(f"{base}/messages", json={"text": "hi"}, headers=operator)).status_code == 201
    assert (await api.client.post(f"{base}/status", json={"status": "pending"}, headers=operator)).status_code == 200
    assert (await api.client.delete(f"{base}/assign", headers=operator)).status_code == 200
    after = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=1)

    entries = await _entries(api, admin)
    by_action = {}
    for e in entries:
        by_action.setdefault(e["action"], []).append(e)
    login = [e for e in by_action["auth.login"] if e["username"] == "op"]
    assert len(login) == 1 and login[0]["user_id"] == op_id and login[0]["ip"] == "127.0.0.1"
    (failed,) = by_action["auth.login_failed"]
    assert failed["user_id"] is None and failed["object_id"] == "op" and failed["ip"] == "127.0.0.1"
    for action in (
        "conversation.read",
        "conversation.read_messages",
        "message.reply",
        "conversation.status",
        "conversation.unassign",
    ):
        (entry,) = by_action[action]
        assert entry["user_id"] == op_id and entry["username"] == "op", entry
        assert entry["object_type"] == "conversation" and entry["object_id"] == str(conversation_id)
        assert entry["ip"] == "127.0.0.1"
        assert before <= dt.datetime.fromisoformat(entry["at"]) <= after
    assert by_action["conversation.status"][0]["details"] == {"from": "open", "to": "pending"}
    # The customer the message created is on record too, as done by the channel.
    (created,) = by_action["customer.create"]
    assert created["username"] == f"channel:{channel_id}"
    # Newest first.
    ids = [e["id"] for e in entries]
    assert ids == sorted(ids, reverse=True)


async def test_filters_by_user_action_and_time_and_pages(api):
    admin = await api.headers_for("root", Role.ADMIN)
    op_a = await api.headers_for("anna")
    await api.headers_for("bohdan")
    anna_id = (await api.client.get("/api/v1/me", headers=op_a)).json()["id"]
    for _ in range(5):
        await api.client.get("/api/v1/conversations", headers=op_a)

    anna = await _entries(api, admin, user_id=anna_id)
    assert anna and {e["user_id"] for e in anna} == {anna_id}
    assert [e["action"] for e in anna].count("conversation.list") == 5
    assert {e["username"] for e in await _entries(api, admin, username="bohdan")} == {"bohdan"}
    logins = await _entries(api, admin, action="auth.login")
    assert sorted(e["username"] for e in logins) == ["anna", "bohdan", "root"]

    paged = await _entries(api, admin, user_id=anna_id, limit=2)
    assert [e["id"] for e in paged] == [e["id"] for e in anna]

    everything = await _entries(api, admin)
    pivot = sorted(everything, key=lambda e: e["id"])[len(everything) // 2]
    at = dt.datetime.fromisoformat(pivot["at"])
    since = await _entries(api, admin, since=at.isoformat())
    until = await _entries(api, admin, until=at.isoformat())
    assert pivot["id"] in {e["id"] for e in since}
    assert all(dt.datetime.fromisoformat(e["at"]) >= at for e in since)
    assert all(dt.datetime.fromisoformat(e["at"]) < at for e in until)
    # Together they cover every record that existed, once.
    covered = {e["id"] for e in since} | {e["id"] for e in until}
    assert {e["id"] for e in everything} <= covered
    assert not {e["id"] for e in since} & {e["id"] for e in until}
    future = (dt.datetime.now(dt.UTC) + dt.timedelta(hours=1)).isoformat()
    assert await _entries(api, admin, since=future) == []


async def test_time_without_zone_a_bad_cursor_or_a_nul_character_is_400(api):
    admin = await api.headers_for("root", Role.ADMIN)
    r = await api.client.get(AUDIT, params={"since": "2026-11-22T10:00:00"}, headers=admin)
    assert r.status_code == 400 and "time zone" in r.json()["detail"]
    r = await api.client.get(AUDIT, params={"cursor": "nonsense"}, headers=admin)
    assert r.status_code == 400
    # PostgreSQL cannot compare text with U+0000: a clear 400 on both databases, never a 500.
    for name in ("username", "action"):
        r = await api.client.get(AUDIT, params={name: "root\x00"}, headers=admin)
        assert r.status_code == 400 and "NUL" in r.json()["detail"], r.text


async def test_reading_the_audit_log_is_itself_audited(api):
    admin = await api.headers_for("root", Role.ADMIN)
    await api.client.get(AUDIT, params={"action": "auth.login"}, headers=admin)
    reads = await _entries(api, admin, action="audit.read")
    assert reads[-1]["username"] == "root" and reads[-1]["details"]["action"] == "auth.login"


async def test_only_admins_read_the_audit_log(api):
    for role in (Role.OPERATOR, Role.SUPERVISOR):
        headers = await api.headers_for(f"user-{role.value}", role)
        r = await api.client.get(AUDIT, headers=headers)
        assert r.status_code == 403
        assert "access_token" not in r.text and "items" not in r.json()
    assert (await api.client.get(AUDIT)).status_code == 401
