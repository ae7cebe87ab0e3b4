"""The seeded demo through a real server: the operator's inbox, a conversation, the customer card and timeline,
and the duplicates review with a merge and its undo (what issue 4 asks the newcomer to try)."""

from __future__ import annotations

from collections import Counter

import httpx
import pytest

from omnidesk.domain.enums import ChannelKind
from tests.conftest import serve, test_settings


@pytest.fixture
async def demo_api(seeded_url):
    url, world = seeded_url
    async with serve(test_settings(url)) as (_app, base):
        async with httpx.AsyncClient(base_url=base, timeout=30) as client:
            yield client, world


async def login(client: httpx.AsyncClient, username: str) -> dict:
    r = await client.post("/api/v1/auth/login", json={"username": username, "password": username})
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


async def all_conversations(client, headers, **params) -> list[dict]:
    items, cursor = [], None
    while True:
        r = await client.get(
            "/api/v1/conversations", params={**params, "limit": 200, "cursor": cursor}, headers=headers
        )
        assert r.status_code == 200, r.text
        page = r.json()
        items += page["items"]
        cursor = page["next_cursor"]
        if not cursor:
            return items


async def test_operator_logs_in_lists_the_inbox_and_opens_a_conversation(demo_api):
    client, world = demo_api
    headers = await login(client, "operator")
    conversations = await all_conversations(client, headers)
    assert len(conversations) >= 300
    times = [c["last_message_at"] for c in conversations]
    assert times == sorted(times, reverse=True), "newest activity first"
    assert Counter(c["channel"]["kind"] for c in conversations).keys() == {k.value for k in ChannelKind}

    unread_open = [c for c in conversations if c["status"] == "open" and c["unread_count"] > 0]
    assert unread_open
    chosen = unread_open[0]
    r = await client.get(f"/api/v1/conversations/{chosen['id']}", headers=headers)
    assert r.status_code == 200 and r.json()["customer"]["name"] == chosen["customer"]["name"]
    r = await client.get(f"/api/v1/conversations/{chosen['id']}/messages", headers=headers)
    assert r.status_code == 200
    history = r.json()["items"]
    assert history[0]["direction"] == "in" and history[-1]["direction"] == "in"
    assert " ".join(history[-1]["text"].split()).startswith(chosen["last_message_preview"].rstrip("…"))
    mine = await all_conversations(client, headers, assignee="me")
    assert mine and all(c["assignee_id"] == world.users["operator"] for c in mine)


async def test_a_customer_who_wrote_through_several_channels_has_one_card_and_timeline(demo_api):
    """As seeded; her Telegram, MAX and Viber come live and join by the shared phone (tests/demo/test_showcase.py)."""
    client, _ = demo_api
    headers = await login(client, "operator")
    r = await client.get("/api/v1/customers", params={"q": "067 123 45 67"}, headers=headers)
    assert r.status_code == 200, r.text
    (found,) = r.json()["items"]
    assert found["name"] == "Наталія Гончаренко"
    card = (await client.get(f"/api/v1/customers/{found['id']}", headers=headers)).json()
    assert {group["kind"] for group in card["identities"]} >= {"phone", "email"}
    assert card["conversations"] >= 3 and card["segment"] == "VIP"
    r = await client.get(f"/api/v1/customers/{found['id']}/timeline", params={"limit": 200}, headers=headers)
    assert r.status_code == 200, r.text
    channels = {item["channel_id"] for item in r.json()["items"] if item["kind"].startswith("message")}
    assert len(channels) == 3  # phone, the site's form, e-mail


async def test_supervisor_finds_the_cross_script_duplicate_merges_and_unmerges_it(demo_api):
    client, _ = demo_api
    headers = await login(client, "supervisor")
    r = await client.get("/api/v1/duplicates", params={"lang": "uk", "limit": 200}, headers=headers)
    assert r.status_code == 200, r.text
    pairs = {frozenset((s["customer"]["name"], s["other"]["name"])): s for s in r.json()["items"]}
    suggestion = pairs[frozenset(("Oksana Petrenko", "Оксана Петренко"))]
    assert suggestion["reasons"] and suggestion["reasons"][0]["text"]
    survivor, other = suggestion["customer"]["id"], suggestion["other"]["id"]
    before = {cid: (await client.get(f"/api/v1/customers/{cid}", headers=headers)).json() for cid in (survivor, other)}

    r = await client.post("/api/v1/customers/merge", json={"survivor_id": survivor, "other_id": other}, headers=headers)
    assert r.status_code == 201, r.text
    merge = r.json()
    merged = (await client.get(f"/api/v1/customers/{survivor}", headers=headers)).json()
    assert merged["conversations"] == before[survivor]["conversations"] + before[other]["conversations"]
    timeline = (await client.get(f"/api/v1/customers/{survivor}/timeline", headers=headers)).json()["items"]
    assert any(item["kind"] == "merged" for item in timeline)

    r = await client.post(f"/api/v1/merges/{merge['id']}/unmerge", headers=headers)
    assert r.status_code == 200, r.text
    for cid in (survivor, other):
        after = (await client.get(f"/api/v1/customers/{cid}", headers=headers)).json()
        for field in ("name", "identities", "conversations", "open_conversations", "language", "segment", "tags"):
            assert after[field] == before[cid][field], (cid, field)
