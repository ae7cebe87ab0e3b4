"""Work organisation's refusals carry a stable code and parameters beside the English ``detail`` (which keeps its
shape for API users): assignment races, transfers, bulk reassign, routing rules and their preview, queues, members,
business hours, canned replies and missing permissions; on PostgreSQL and SQLite. The OpenAPI document lists the
codes, and every catalogued code passes the server's own check."""

from __future__ import annotations

import pytest
from sqlalchemy import update

from omnidesk.domain import problems, routing
from omnidesk.domain.routing import RuleError
from omnidesk.server.refusals import Refusal
from omnidesk.server.users.models import User
from tests.server.customer_helpers import add_queue


def coded(response, status: int, code: str, **params):
    """The answer is ``status`` with ``code`` and exactly ``params``; its ``detail`` is still there."""
    body = response.json()
    assert response.status_code == status, response.text
    assert body.get("code") == code, body
    assert body.get("params") == params, body
    assert body.get("detail"), body
    return body


async def _conversation(api, queue_id=None, n: int = 1):
    channel_id, token = await api.channel(f"Site {n}", queue_id=queue_id)
    return (await api.inbound(channel_id, token, f"c-{n}", f"+38050123{n:04d}", "Допоможіть")).json()["conversation_id"]


async def test_an_assignment_race_names_the_holder_by_code_and_keeps_the_detail(api):
    olena = await api.headers_for("olena")
    pavlo = await api.headers_for("pavlo")
    async with api.db.session() as session:
        await session.execute(update(User).where(User.username == "olena").values(display_name="Олена Коваль"))
        await session.commit()
    olena_id = (await api.client.get("/api/v1/me", headers=olena)).json()["id"]
    conversation_id = await _conversation(api)
    assert (await api.client.post(f"/api/v1/conversations/{conversation_id}/assign", headers=olena)).status_code == 200
    r = await api.client.post(f"/api/v1/conversations/{conversation_id}/assign", headers=pavlo)
    body = coded(r, 409, "conversation.taken", holder_id=olena_id, holder_name="Олена Коваль")
    assert body["detail"]["reason"] == "already taken" and body["detail"]["assignee_name"] == "Олена Коваль"


async def test_transfers_and_bulk_reassign_say_why_by_code(api):
    sales = await add_queue(api, "Sales")
    sup = await api.headers_for("sup", "supervisor")
    olena = await api.headers_for("olena", queue_ids=[sales])
    pavlo = await api.headers_for("pavlo", queue_ids=[sales])
    conversation_id = await _conversation(api)
    transfer = f"/api/v1/conversations/{conversation_id}/transfer"
    coded(await api.client.post(transfer, json={"note": ""}, headers=sup), 422, "transfer.target_required")
    coded(await api.client.post(transfer, json={"user_id": 98765}, headers=sup), 422, "user.unavailable", user_id=98765)
    coded(await api.client.post(transfer, json={"queue_id": 98765}, headers=sup), 422, "queue.missing", queue_id=98765)
    assert (await api.client.post(transfer, json={"queue_id": sales}, headers=sup)).status_code == 200
    coded(await api.client.post(transfer, json={"queue_id": sales}, headers=sup), 409, "conversation.already_there")
    # Someone else's conversation is handed on by its assignee or a supervisor only (Pavlo sees it: its queue is his).
    assert (await api.client.post(f"/api/v1/conversations/{conversation_id}/assign", headers=olena)).status_code == 200
    olena_id = (await api.client.get("/api/v1/me", headers=olena)).json()["id"]
    sup_id = (await api.client.get("/api/v1/me", headers=sup)).json()["id"]
    coded(await api.client.post(transfer, json={"user_id": sup_id}, headers=pavlo), 403, "transfer.not_assignee")

    # Bulk: each refusal by code next to its English reason; the moved ones moved.
    other = await _conversation(api, n=2)
    r = await api.client.post(
        "/api/v1/board/reassign",
        json={"conversation_ids": [conversation_id, other, 98765], "user_id": olena_id},
        headers=sup,
    )
    body = r.json()
    assert r.status_code == 200 and body["moved"] == [other], body
    assert set(body["refused"]) == {str(conversation_id), "98765"}
    assert body["refusals"] == {
        str(conversation_id): {"code": "conversation.already_there", "params": {}},
        "98765": {"code": "conversation.missing", "params": {"conversation_id": 98765}},
    }
    # Without the permission: 403 naming it.
    r = await api.client.post(
        "/api/v1/board/reassign", json={"conversation_ids": [other], "queue_id": sales}, headers=pavlo
    )
    coded(r, 403, "permission.missing", permission="conversation.assign_others")


RULE_CASES = [
    # (conditions, actions, code, params)
    ([], {"priority": 1, "colour": 1}, "rule.actions_unknown", {"actions": ["colour"]}),
    ([], {}, "rule.no_action", {}),
    ([], {"priority": 9}, "rule.priority_range", {}),
    ([], {"max_wait_s": 0}, "rule.max_wait_range", {}),
    ([], {"queue_id": "one"}, "rule.action_number", {"action": "queue_id"}),
    ([], {"skill": "x" * 65}, "rule.action_text", {"action": "skill", "limit": 64}),
    ([{"field": "colour", "op": "eq", "value": "x"}], {"priority": 1}, "rule.condition_field", {"field": "colour"}),
    (
        [{"field": "language", "op": "has", "value": "uk"}],
        {"priority": 1},
        "rule.condition_op",
        {"field": "language", "op": "has"},
    ),
    ([{"field": "text", "op": "contains_none", "value": []}], {"priority": 1}, "rule.condition_list", {}),
    ([{"field": "text", "op": "contains_any", "value": [" "]}], {"priority": 1}, "rule.keyword_empty", {}),
    ([{"field": "customer_known", "op": "is", "value": "yes"}], {"priority": 1}, "rule.condition_yes_no", {}),
    ([{"field": "channel_id", "op": "eq", "value": "tg"}], {"priority": 1}, "rule.condition_channel", {}),
    ([{"field": "channel_id", "op": "in", "value": ["tg"]}], {"priority": 1}, "rule.condition_channel", {}),
    ([{"field": "segment", "op": "eq", "value": " "}], {"priority": 1}, "rule.condition_value", {}),
    ([{"field": "attribute", "op": "eq", "value": "gold"}], {"priority": 1}, "rule.attribute_name", {}),
    ([{"field": "segment", "op": "eq", "value": "VIP", "key": "x"}], {"priority": 1}, "rule.key_not_allowed", {}),
    ([{"field": "business_hours", "op": "is", "value": True}], {"priority": 1}, "rule.calendar_required", {}),
    (
        [{"field": "segment", "op": "eq", "value": "VIP", "calendar": 1}],
        {"priority": 1},
        "rule.calendar_not_allowed",
        {},
    ),
    (
        [{"field": "segment", "op": "eq", "value": "VIP", "colour": 1}],
        {"priority": 1},
        "rule.condition_keys",
        {"keys": ["colour"]},
    ),
]


@pytest.mark.parametrize(("conditions", "actions", "code", "params"), RULE_CASES)
def test_every_refused_rule_names_its_code_and_passes_the_catalogue(conditions, actions, code, params):
    """The domain's refusals (no server): the code, its parameters, and the server's check of both."""
    lead = [{"field": "segment", "op": "eq", "value": "VIP"}]  # the bad condition is the second: index 1
    with pytest.raises(RuleError) as caught:
        routing.parse_rule(1, "r", lead + conditions, actions)
    expected = params | ({"condition": 1} if conditions else {})
    assert (caught.value.code, caught.value.params) == (code, expected)
    problems.check(caught.value.code, caught.value.params)


def test_a_nameless_rule_is_refused_by_code():
    with pytest.raises(RuleError) as caught:
        routing.parse_rule(1, " ", [], {"priority": 1})
    assert (caught.value.where, caught.value.code, caught.value.params) == ("name", "rule.name_required", {})


async def test_rule_queue_and_calendar_refusals_answer_their_codes(api):
    sup = await api.headers_for("sup", "supervisor")
    plain = await add_queue(api, "No hours")
    base = {"name": "r", "conditions": [{"field": "segment", "op": "eq", "value": "VIP"}], "actions": {"priority": 1}}
    rules = "/api/v1/routing/rules"
    bad = base | {"conditions": base["conditions"] + [{"field": "language", "op": "ne", "value": ""}]}
    body = coded(await api.client.post(rules, json=bad, headers=sup), 422, "rule.condition_value", condition=1)
    assert body["detail"]["where"] == "conditions[1].value"
    r = await api.client.post(rules, json=base | {"actions": {"queue_id": 98765}}, headers=sup)
    coded(r, 422, "rule.queue_missing", queue_id=98765)
    hours = {"field": "business_hours", "op": "is", "value": True}
    r = await api.client.post(rules, json=base | {"conditions": [hours | {"calendar": 98765}]}, headers=sup)
    coded(r, 422, "rule.calendar_missing", condition=0, queue_id=98765)
    r = await api.client.post(rules, json=base | {"conditions": [hours | {"calendar": plain}]}, headers=sup)
    coded(r, 422, "rule.calendar_unset", condition=0, queue_id=plain)
    saved = (await api.client.post(rules, json=base, headers=sup)).json()
    coded(
        await api.client.put("/api/v1/routing/order", json={"rule_ids": []}, headers=sup), 422, "rules.order_incomplete"
    )
    assert saved["id"]

    preview = "/api/v1/routing/preview"
    r = await api.client.post(preview, json={"channel_id": 98765}, headers=sup)
    coded(r, 422, "preview.channel_missing", channel_id=98765)
    channel_id, _ = await api.channel("Site")
    r = await api.client.post(preview, json={"channel_id": channel_id, "customer_id": 98765}, headers=sup)
    coded(r, 422, "preview.customer_missing", customer_id=98765)
    unsaved = [base, base | {"actions": {"max_wait_s": 0}}]
    r = await api.client.post(preview, json={"channel_id": channel_id, "rules": unsaved}, headers=sup)
    body = coded(r, 422, "rule.max_wait_range", rule=1)
    assert body["detail"]["rule"] == 1 and body["detail"]["where"] == "actions.max_wait_s"

    # Queues, members, business hours.
    queues = "/api/v1/queues"
    r = await api.client.post(queues, json={"name": "Kyiv", "calendar": {"tz": "Mars/Base"}}, headers=sup)
    body = coded(r, 422, "calendar.tz_unknown", tz="Mars/Base")
    assert "Mars/Base" in body["detail"][0]["msg"]  # the uniform 422 list, as every 422 string
    for calendar, code, params in [
        ({"week": {}}, "calendar.tz_required", {}),
        ({"tz": "Europe/Kyiv", "week": {"8": []}}, "calendar.day", {"day": "8"}),
        ({"tz": "Europe/Kyiv", "week": {"0": [["9", "x"]]}}, "calendar.span", {"span": "['9', 'x']"}),
        (
            {"tz": "Europe/Kyiv", "week": {"0": [["18:00", "09:00"]]}},
            "calendar.span_backwards",
            {"span": "['18:00', '09:00']"},
        ),
        ({"tz": "Europe/Kyiv", "holidays": ["25.12"]}, "calendar.holiday", {"day": "25.12"}),
    ]:
        r = await api.client.patch(f"{queues}/{plain}", json={"calendar": calendar}, headers=sup)
        coded(r, 422, code, **params)
    coded(
        await api.client.post(queues, json={"name": "No hours"}, headers=sup), 422, "queue.name_taken", name="No hours"
    )
    member = await api.user("member")
    # The API's schema refuses an unknown class of work before the service does; the CLI meets the service's code.
    from omnidesk.server.queues import service as queue_service

    async with api.db.session() as session:
        with pytest.raises(queue_service.QueueError) as caught:
            await queue_service.set_member(session, queue_id=plain, user_id=member["id"], capacity={"fax": 1})
    assert (caught.value.code, caught.value.params) == (
        "queue.capacity_classes",
        {"classes": ["fax"], "allowed": list(routing.DEFAULT_CAPACITY)},
    )
    r = await api.client.put(f"{queues}/{plain}/members/98765", json={}, headers=sup)
    coded(r, 422, "user.unavailable", user_id=98765)


async def test_canned_reply_refusals_answer_their_codes(api):
    sup = await api.headers_for("sup", "supervisor")
    olena = await api.headers_for("olena")
    queue = await add_queue(api, "Support")
    reply = {"shortcut": "hi", "title": "Hi", "language": "uk", "body": "Вітаю"}
    r = await api.client.post("/api/v1/canned-replies", json=reply | {"queue_id": queue}, headers=sup)
    coded(r, 422, "canned.queue_shared")
    r = await api.client.post("/api/v1/canned-replies", json=reply | {"shared": True, "queue_id": 98765}, headers=sup)
    coded(r, 422, "queue.missing", queue_id=98765)
    r = await api.client.post("/api/v1/canned-replies", json=reply | {"shared": True}, headers=olena)
    coded(r, 403, "permission.missing", permission="canned.shared_manage")
    shared = (await api.client.post("/api/v1/canned-replies", json=reply | {"shared": True}, headers=sup)).json()
    coded(await api.client.delete(f"/api/v1/canned-replies/{shared['id']}", headers=olena), 403, "canned.not_owner")
    r = await api.client.put(f"/api/v1/canned-replies/{shared['id']}", json=reply, headers=olena)
    coded(r, 403, "canned.not_owner")


async def test_the_openapi_document_lists_every_code(api):
    schema = (await api.client.get("/openapi.json")).json()
    problem = schema["components"]["schemas"]["Problem"]["properties"]
    assert problem["code"]["enum"] == sorted(problems.CODES)
    for code, known in problems.CODES.items():
        assert f"`{code}` ({known.status};" in problem["code"]["description"]
    assert "params" in problem


def test_the_admin_guide_lists_every_code_with_its_parameters():
    from pathlib import Path

    guide = (Path(__file__).resolve().parents[2] / "docs" / "admin" / "queues.md").read_text(encoding="utf-8")
    for code, known in problems.CODES.items():
        params = ", ".join(f"`{p}`" for p in known.params) or "—"
        assert f"| `{code}` | {known.status} | {params} |" in guide, code


def test_a_refusal_outside_the_catalogue_or_with_other_parameters_is_a_programming_error():
    Refusal(409, "conversation.taken", "x", holder_id=1, holder_name="Olena")
    with pytest.raises(ValueError, match="unknown refusal code"):
        Refusal(409, "conversation.grabbed", "x")
    with pytest.raises(ValueError, match="takes"):
        Refusal(409, "conversation.taken", "x", holder=1)
    with pytest.raises(ValueError, match="answers 409"):
        Refusal(422, "conversation.taken", "x", holder_id=1, holder_name="Olena")
