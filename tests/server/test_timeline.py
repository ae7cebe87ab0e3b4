"""The customer timeline: every kind of entry, newest first, cursor paging, filters, scope, and live events."""

from __future__ import annotations

from sqlalchemy import select

from omnidesk.server.timeline.models import TimelineEntry
from tests.server.customer_helpers import audit_actions, deliver, supervisor
from tests.sse import StreamReader, of_type


async def test_timeline_has_messages_status_changes_and_assignments(api, webhook_sink):
    site, site_token = await api.channel("Site", webhook_url=webhook_sink.url)
    mail, mail_token = await api.channel("Mail")
    first = await deliver(
        api, site, site_token, "m1", "phone", "+380501234567", text="hello", identities=[("email", "o@example.com")]
    )
    customer = first["customer_id"]
    await deliver(api, mail, mail_token, "m2", "email", "o@example.com", text="by mail")
    headers = await supervisor(api)
    conv = first["conversation_id"]
    assert (await api.client.post(f"/api/v1/conversations/{conv}/assign", headers=headers)).status_code == 200
    r = await api.client.post(f"/api/v1/conversations/{conv}/messages", json={"text": "reply"}, headers=headers)
    assert r.status_code == 201
    assert (
        await api.client.post(f"/api/v1/conversations/{conv}/status", json={"status": "resolved"}, headers=headers)
    ).status_code == 200
    items = (await api.client.get(f"/api/v1/customers/{customer}/timeline", headers=headers)).json()["items"]
    assert [i["kind"] for i in items] == ["status_changed", "message_out", "assigned", "message_in", "message_in"]
    assert items[0]["payload"]["to"] == "resolved"
    assert items[1]["payload"]["message"]["text"] == "reply"
    assert {i["channel_id"] for i in items} == {site, mail}
    only_mail = (
        await api.client.get(f"/api/v1/customers/{customer}/timeline", params={"channel_id": mail}, headers=headers)
    ).json()["items"]
    assert [i["payload"]["message"]["text"] for i in only_mail] == ["by mail"]
    messages = (
        await api.client.get(
            f"/api/v1/customers/{customer}/timeline", params={"kinds": "message_in,message_out"}, headers=headers
        )
    ).json()["items"]
    assert [i["kind"] for i in messages] == ["message_out", "message_in", "message_in"]
    assert "customer.read_timeline" in await audit_actions(api, customer)


async def test_timeline_pages_newest_first_without_gaps_or_repeats(api):
    channel_id, token = await api.channel()
    customer = None
    for n in range(45):
        ack = await deliver(api, channel_id, token, f"m{n}", "phone", "+380501234567", text=f"t{n}")
        customer = ack["customer_id"]
    headers = await api.headers_for("op")
    seen, cursor = [], None
    while True:
        params = {"limit": 10, **({"before": cursor} if cursor else {})}
        page = (await api.client.get(f"/api/v1/customers/{customer}/timeline", params=params, headers=headers)).json()
        seen += [i["payload"]["message"]["text"] for i in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert seen == [f"t{n}" for n in reversed(range(45))]
    bad = await api.client.get(f"/api/v1/customers/{customer}/timeline", params={"before": "x"}, headers=headers)
    assert bad.status_code == 400


async def test_new_message_announces_itself_live_with_its_customer(api):
    channel_id, token = await api.channel()
    customer = (await deliver(api, channel_id, token, "m1", "phone", "+380501234567"))["customer_id"]
    headers = await api.headers_for("op")
    head = (await api.client.get("/api/v1/events/head", headers=headers)).json()["last_event_id"]
    async with StreamReader(api.url, headers, after=head) as stream:
        await deliver(api, channel_id, token, "m2", "phone", "+380501234567", text="live")
        events = await stream.wait_for(lambda ev: of_type(ev, "conversation.updated"))
    message = of_type(events, "message.created")[0]["payload"]["message"]
    conversation = of_type(events, "conversation.updated")[0]["payload"]["conversation"]
    assert message["text"] == "live" and conversation["customer"]["id"] == customer
    top = (await api.client.get(f"/api/v1/customers/{customer}/timeline", params={"limit": 1}, headers=headers)).json()[
        "items"
    ][0]
    assert top["payload"]["message"]["id"] == message["id"]
    async with api.db.session() as session:
        count = await session.scalar(select(TimelineEntry.id).where(TimelineEntry.message_id == message["id"]))
    assert count is not None
