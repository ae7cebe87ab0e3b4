"""Role checks on every /api/v1 route, and queue scope on conversations.

ROUTES below is the single table of every /api/v1 route with the least role that may call it. Adding a route to the
server without adding it here fails ``test_every_api_route_is_in_the_rbac_table``: extend the table (one line), and
the role test covers the new route on both databases.
"""

from __future__ import annotations

import re

import httpx
from fastapi.routing import APIRoute

from omnidesk.domain.enums import Role
from omnidesk.server.app import create_app
from tests.conftest import test_settings
from tests.server.customer_helpers import add_queue

PUBLIC = "public"  # no user token needed (login, refresh)
CHANNEL = "channel"  # a channel's inbound token, never a user's
OPERATOR, SUPERVISOR, ADMIN = Role.OPERATOR, Role.SUPERVISOR, Role.ADMIN

# (method, path) -> least role.  Path parameters are filled with an id that does not exist, so allowed callers get
# 404 or 422 (never 401/403) and nothing real is changed.  Keep this table in the order routes appear in app.py.
ROUTES: dict[tuple[str, str], str | Role] = {
    ("POST", "/api/v1/auth/login"): PUBLIC,
    ("POST", "/api/v1/auth/refresh"): PUBLIC,
    ("POST", "/api/v1/auth/logout"): OPERATOR,
    ("GET", "/api/v1/me"): OPERATOR,
    ("GET", "/api/v1/users"): ADMIN,
    ("POST", "/api/v1/users"): ADMIN,
    ("PATCH", "/api/v1/users/{user_id}"): ADMIN,
    ("PUT", "/api/v1/users/{user_id}/queues/{queue_id}"): ADMIN,
    ("DELETE", "/api/v1/users/{user_id}/queues/{queue_id}"): ADMIN,
    ("DELETE", "/api/v1/users/{user_id}/sessions"): ADMIN,
    ("POST", "/api/v1/channels/{channel_id}/inbound"): CHANNEL,
    ("GET", "/api/v1/channels"): OPERATOR,
    ("POST", "/api/v1/channels"): ADMIN,
    ("POST", "/api/v1/admin/channels/{kind}"): ADMIN,  # channels II: viber, vk, meta, instagram, max
    ("GET", "/api/v1/conversations/{conversation_id}/thread"): OPERATOR,
    ("PUT", "/api/v1/conversations/{conversation_id}/thread"): OPERATOR,
    ("GET", "/api/v1/conversations"): OPERATOR,
    ("GET", "/api/v1/conversations/{conversation_id}"): OPERATOR,
    ("GET", "/api/v1/conversations/{conversation_id}/messages"): OPERATOR,
    ("POST", "/api/v1/conversations/{conversation_id}/messages"): OPERATOR,
    ("POST", "/api/v1/conversations/{conversation_id}/status"): OPERATOR,
    ("POST", "/api/v1/conversations/{conversation_id}/assign"): OPERATOR,
    ("DELETE", "/api/v1/conversations/{conversation_id}/assign"): OPERATOR,
    ("POST", "/api/v1/conversations/{conversation_id}/read"): OPERATOR,
    ("POST", "/api/v1/customers/merge"): SUPERVISOR,
    ("POST", "/api/v1/merges/{merge_id}/unmerge"): SUPERVISOR,
    ("GET", "/api/v1/duplicates"): SUPERVISOR,
    ("GET", "/api/v1/customers/{customer_id}/duplicates"): OPERATOR,
    ("POST", "/api/v1/duplicates/{suggestion_id}/dismiss"): SUPERVISOR,
    ("POST", "/api/v1/duplicates/scan"): SUPERVISOR,
    ("POST", "/api/v1/customers/matches"): OPERATOR,
    ("GET", "/api/v1/customers"): OPERATOR,
    ("GET", "/api/v1/customers/{customer_id}"): OPERATOR,
    ("POST", "/api/v1/customers"): OPERATOR,
    ("PATCH", "/api/v1/customers/{customer_id}"): OPERATOR,
    ("POST", "/api/v1/customers/{customer_id}/identities"): OPERATOR,
    ("DELETE", "/api/v1/customers/{customer_id}/identities/{identity_id}"): SUPERVISOR,
    ("GET", "/api/v1/customers/{customer_id}/timeline"): OPERATOR,
    ("GET", "/api/v1/events/head"): OPERATOR,
    ("GET", "/api/v1/events"): OPERATOR,
    ("GET", "/api/v1/audit"): ADMIN,
    ("GET", "/api/v1/permissions"): ADMIN,
    ("PUT", "/api/v1/permissions/{role}/{permission}"): ADMIN,
    ("POST", "/api/v1/channels/{channel_id}/token"): ADMIN,
    # provider channels (Telegram, WhatsApp): administration, templates, reply windows
    ("POST", "/api/v1/admin/channels/telegram"): ADMIN,
    ("POST", "/api/v1/admin/channels/whatsapp"): ADMIN,
    ("GET", "/api/v1/admin/channels"): ADMIN,
    ("GET", "/api/v1/admin/channels/{channel_id}"): ADMIN,
    ("POST", "/api/v1/admin/channels/{channel_id}/disable"): ADMIN,
    ("GET", "/api/v1/admin/channels/{channel_id}/health"): ADMIN,
    ("POST", "/api/v1/admin/channels/{channel_id}/templates/sync"): ADMIN,
    ("GET", "/api/v1/channels/{channel_id}/templates"): OPERATOR,
    ("GET", "/api/v1/conversations/{conversation_id}/window"): OPERATOR,
    # attachments
    ("POST", "/api/v1/conversations/{conversation_id}/attachments"): OPERATOR,
    ("GET", "/api/v1/conversations/{conversation_id}/media"): OPERATOR,
    ("GET", "/api/v1/attachments/{attachment_id}"): OPERATOR,
    ("GET", "/api/v1/attachments/{attachment_id}/thumbnail"): OPERATOR,
    # work organisation (issue 11)
    ("GET", "/api/v1/queues"): OPERATOR,
    ("POST", "/api/v1/queues"): SUPERVISOR,
    ("PATCH", "/api/v1/queues/{queue_id}"): SUPERVISOR,
    ("GET", "/api/v1/queues/{queue_id}/members"): SUPERVISOR,
    ("PUT", "/api/v1/queues/{queue_id}/members/{user_id}"): SUPERVISOR,
    ("DELETE", "/api/v1/queues/{queue_id}/members/{user_id}"): SUPERVISOR,
    ("GET", "/api/v1/routing/rules"): SUPERVISOR,
    ("POST", "/api/v1/routing/rules"): SUPERVISOR,
    ("PUT", "/api/v1/routing/rules/{rule_id}"): SUPERVISOR,
    ("DELETE", "/api/v1/routing/rules/{rule_id}"): SUPERVISOR,
    ("PUT", "/api/v1/routing/order"): SUPERVISOR,
    ("GET", "/api/v1/routing/rules/{rule_id}/history"): SUPERVISOR,
    ("POST", "/api/v1/routing/preview"): SUPERVISOR,
    ("GET", "/api/v1/presence"): OPERATOR,
    ("PUT", "/api/v1/presence"): OPERATOR,
    ("GET", "/api/v1/offers"): OPERATOR,
    ("POST", "/api/v1/offers/{offer_id}/accept"): OPERATOR,
    ("POST", "/api/v1/offers/{offer_id}/decline"): OPERATOR,
    ("POST", "/api/v1/conversations/next"): OPERATOR,
    ("POST", "/api/v1/conversations/{conversation_id}/transfer"): OPERATOR,
    ("POST", "/api/v1/conversations/{conversation_id}/activity"): OPERATOR,
    ("GET", "/api/v1/board"): OPERATOR,  # an operator's board holds only their own queues
    ("POST", "/api/v1/board/reassign"): SUPERVISOR,
    ("GET", "/api/v1/mentions"): OPERATOR,
    ("POST", "/api/v1/mentions/{mention_id}/read"): OPERATOR,
    ("GET", "/api/v1/canned-replies"): OPERATOR,
    ("POST", "/api/v1/canned-replies"): OPERATOR,
    ("PUT", "/api/v1/canned-replies/{reply_id}"): OPERATOR,
    ("DELETE", "/api/v1/canned-replies/{reply_id}"): OPERATOR,
    ("POST", "/api/v1/canned-replies/{reply_id}/render"): OPERATOR,
    ("GET", "/api/v1/sla/policies"): OPERATOR,
    ("POST", "/api/v1/sla/policies"): SUPERVISOR,
    ("PUT", "/api/v1/sla/policies/{policy_id}"): SUPERVISOR,
    ("DELETE", "/api/v1/sla/policies/{policy_id}"): SUPERVISOR,
    ("GET", "/api/v1/sla/calendars"): OPERATOR,
    ("POST", "/api/v1/sla/calendars"): SUPERVISOR,
    ("GET", "/api/v1/analytics/summary"): OPERATOR,
    ("GET", "/api/v1/analytics/timeseries"): OPERATOR,
    ("GET", "/api/v1/analytics/transitions"): OPERATOR,
    ("GET", "/api/v1/analytics/export"): OPERATOR,
    ("GET", "/api/v1/csat/settings/{queue_id}"): SUPERVISOR,
    ("PUT", "/api/v1/csat/settings/{queue_id}"): SUPERVISOR,
    # issue 13: e-mail, web chat, forms
    ("POST", "/api/v1/channels/email"): ADMIN,
    ("GET", "/api/v1/messages/{message_id}/mail"): OPERATOR,
    ("GET", "/api/v1/mail-attachments/{attachment_id}"): OPERATOR,
    ("GET", "/api/v1/messages/{message_id}/mail/reply"): OPERATOR,
    ("POST", "/api/v1/channels/forms"): ADMIN,
    ("GET", "/api/v1/conversations/{conversation_id}/form"): OPERATOR,
    ("GET", "/api/v1/search/messages"): OPERATOR,
    ("POST", "/api/v1/channels/webchat"): ADMIN,
    ("GET", "/api/v1/conversations/{conversation_id}/webchat"): OPERATOR,
    ("POST", "/api/v1/conversations/{conversation_id}/typing"): OPERATOR,
    ("GET", "/api/v1/retention/policies"): ADMIN,
    ("POST", "/api/v1/retention/policies"): ADMIN,
    ("DELETE", "/api/v1/retention/policies/{policy_id}"): ADMIN,
    ("POST", "/api/v1/retention/run"): ADMIN,
    ("GET", "/api/v1/retention/runs"): ADMIN,
    ("GET", "/api/v1/retention/status"): ADMIN,
    ("PUT", "/api/v1/customers/{customer_id}/legal-hold"): ADMIN,
    ("DELETE", "/api/v1/customers/{customer_id}/legal-hold"): ADMIN,
    ("GET", "/api/v1/customers/{customer_id}/export"): ADMIN,
    # Export and print (issue 15): conversation.export, supervisors and admins by default.
    ("GET", "/api/v1/conversations/{conversation_id}/export"): SUPERVISOR,
    ("GET", "/api/v1/customers/{customer_id}/history/export"): SUPERVISOR,
    ("GET", "/api/v1/exports/conversations"): SUPERVISOR,
    ("POST", "/api/v1/customers/{customer_id}/erase"): ADMIN,
}

ABSENT_ID = "987654"
BODYLESS = {"GET", "DELETE"}


def _route_contexts(routes):
    """Every route with its full path: FastAPI >= 0.16x nests included routers, older ones list APIRoutes flat."""
    try:
        from fastapi.routing import iter_route_contexts
    except ImportError:  # older FastAPI
        return routes
    return iter_route_contexts(routes)


def api_routes() -> set[tuple[str, str]]:
    """Every (method, path) under /api/v1 that the application serves."""
    app = create_app(test_settings("sqlite:///unused.db"), start_workers=False)
    found = set()
    for route in _route_contexts(app.routes):
        original = getattr(route, "original_route", route)
        if not isinstance(original, APIRoute) or not route.path.startswith("/api/v1"):
            continue
        found |= {(method, route.path) for method in route.methods if method != "HEAD"}
    assert found, "no /api/v1 routes found: has FastAPI changed how it lists routes?"
    return found


def test_every_api_route_is_in_the_rbac_table():
    served = api_routes()
    missing = sorted(served - ROUTES.keys())
    assert not missing, f"add these routes to ROUTES in tests/server/test_rbac.py with their least role: {missing}"
    stale = sorted(ROUTES.keys() - served)
    assert not stale, f"ROUTES lists routes the server no longer has: {stale}"


def _url(path: str) -> str:
    return re.sub(r"\{[^}]+\}", ABSENT_ID, path)


async def _status(client: httpx.AsyncClient, method: str, path: str, headers: dict) -> int:
    kwargs = {} if method in BODYLESS else {"json": {}}
    # A stream: read only the status line (GET /api/v1/events never ends).
    async with client.stream(method, _url(path), headers=headers, **kwargs) as response:
        return response.status_code


def _allowed(least: str | Role, role: Role) -> bool:
    return isinstance(least, Role) and role.at_least(least)


async def test_each_role_gets_403_exactly_where_the_table_says_and_anonymous_gets_401(api):
    tokens = {}
    for role in Role:
        await api.user(f"user-{role.value}", role)
        tokens[role] = (await api.login(f"user-{role.value}"))["access_token"]
    problems = []
    # Logout last: it revokes the token it is called with.
    order = sorted(ROUTES, key=lambda route: route == ("POST", "/api/v1/auth/logout"))
    for method, path in order:
        least = ROUTES[method, path]
        code = await _status(api.client, method, path, {})
        if least == PUBLIC:
            if code in (401, 403):
                problems.append(f"{method} {path}: anonymous got {code}, the route is public")
        elif code != 401:
            problems.append(f"{method} {path}: anonymous got {code}, expected 401")
        for role in Role:
            code = await _status(api.client, method, path, {"Authorization": f"Bearer {tokens[role]}"})
            if least == CHANNEL:
                expected = "401 (a user token is not a channel token)"
                ok = code == 401
            elif least == PUBLIC or _allowed(least, role):
                expected = "neither 401 nor 403"
                ok = code not in (401, 403)
            else:
                expected = "403"
                ok = code == 403
            if not ok:
                problems.append(f"{method} {path}: {role.value} got {code}, expected {expected}")
    assert not problems, "\n".join(problems)


async def test_operator_outside_a_queue_can_neither_see_nor_touch_its_conversations(api):
    vip = await add_queue(api, "VIP")
    channel_id, token = await api.channel("VIP line", queue_id=vip)
    r = await api.inbound(channel_id, token, "vip-1", text="private matter")
    conversation_id = r.json()["conversation_id"]
    outsider = await api.headers_for("outsider")  # member of General only
    member = await api.headers_for("member", queue_ids=[vip])
    base = f"/api/v1/conversations/{conversation_id}"
    attempts = [
        ("GET", base, None),
        ("GET", f"{base}/messages", None),
        ("POST", f"{base}/messages", {"text": "hi"}),
        ("POST", f"{base}/status", {"status": "resolved"}),
        ("POST", f"{base}/assign", {}),
        ("DELETE", f"{base}/assign", None),
        ("POST", f"{base}/read", None),
    ]
    for method, url, body in attempts:
        r = await api.client.request(method, url, json=body, headers=outsider)
        assert r.status_code == 404, f"{method} {url}: {r.status_code} {r.text}"
    listed = (await api.client.get("/api/v1/conversations", headers=outsider)).json()["items"]
    assert conversation_id not in [c["id"] for c in listed]
    # Nothing changed behind the refusals: the member sees it untouched.
    r = await api.client.get(base, headers=member)
    assert r.status_code == 200
    assert r.json()["status"] == "open" and r.json()["assignee_id"] is None and r.json()["unread_count"] == 1
    messages = (await api.client.get(f"{base}/messages", headers=member)).json()["items"]
    assert [m["text"] for m in messages] == ["private matter"]


async def test_operator_sees_a_conversation_of_another_queue_once_assigned_to_them(api):
    vip = await add_queue(api, "VIP")
    channel_id, token = await api.channel("VIP line", queue_id=vip)
    conversation_id = (await api.inbound(channel_id, token, "vip-1")).json()["conversation_id"]
    operator = await api.headers_for("op")
    op_id = (await api.client.get("/api/v1/me", headers=operator)).json()["id"]
    supervisor = await api.headers_for("sup", Role.SUPERVISOR)
    base = f"/api/v1/conversations/{conversation_id}"
    assert (await api.client.get(base, headers=operator)).status_code == 404
    r = await api.client.post(f"{base}/assign", json={"user_id": op_id}, headers=supervisor)
    assert r.status_code == 200, r.text
    assert (await api.client.get(base, headers=operator)).status_code == 200


async def test_operator_cannot_assign_to_someone_else(api):
    channel_id, token = await api.channel()
    conversation_id = (await api.inbound(channel_id, token, "m-1")).json()["conversation_id"]
    operator = await api.headers_for("op")
    other = await api.user("other")
    r = await api.client.post(
        f"/api/v1/conversations/{conversation_id}/assign", json={"user_id": other["id"]}, headers=operator
    )
    assert r.status_code == 403
