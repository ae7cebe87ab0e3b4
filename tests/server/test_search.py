"""Customer search: any identifier in any format, names in either script and word order, prefixes as one types."""

from __future__ import annotations

import pytest

from tests.server.customer_helpers import add_queue, audit_actions, deliver


async def _people(api):
    channel_id, token = await api.channel()
    ids = {}
    for ext, kind, value, name in [
        ("m1", "phone", "+380501234567", "Оксана Петренко"),
        ("m2", "email", "ivan.koval@example.com", "Ivan Koval"),
        ("m3", "telegram_username", "Kusya_99", "Ксюша"),
        ("m4", "phone", "+77011234567", "Айгерим Нурланова"),
        ("m5", "phone", "+79161234567", "Сергей Иванов"),
    ]:
        ids[value] = (await deliver(api, channel_id, token, ext, kind, value, name=name))["customer_id"]
    return ids


async def _search(api, headers, q):
    r = await api.client.get("/api/v1/customers", params={"q": q}, headers=headers)
    assert r.status_code == 200, r.text
    return [c["id"] for c in r.json()["items"]]


@pytest.mark.parametrize(
    "q,who",
    [
        ("050 123 45 67", "+380501234567"),
        ("+380501234567", "+380501234567"),
        ("0501234567", "+380501234567"),
        ("+38 (050) 123-45-67", "+380501234567"),
        ("8 050 123 45 67", "+380501234567"),
        ("+7 701 123 4567", "+77011234567"),
        ("+7 916 123-45-67", "+79161234567"),
        ("IVAN.KOVAL@example.com", "ivan.koval@example.com"),
        ("@kusya_99", "Kusya_99"),
        ("t.me/Kusya_99", "Kusya_99"),
        ("Oksana Petrenko", "+380501234567"),  # the name in the other script
        ("Петренко Оксана", "+380501234567"),  # the other word order
        ("petr", "+380501234567"),  # a prefix, as the operator types
        ("Іван Коваль", "ivan.koval@example.com"),
        ("Sergei Ivanov", "+79161234567"),
        ("Aigerim", "+77011234567"),
    ],
)
async def test_search_finds_the_customer(api, q, who):
    ids = await _people(api)
    headers = await api.headers_for("op")
    assert ids[who] in await _search(api, headers, q)


async def test_search_is_specific_scoped_paged_and_audited(api):
    ids = await _people(api)
    headers = await api.headers_for("op")
    assert await _search(api, headers, "Nobody Unknown") == []
    assert await _search(api, headers, "0671234567") == []
    everyone = await _search(api, headers, "")
    assert sorted(everyone) == sorted(ids.values())
    page = (await api.client.get("/api/v1/customers", params={"limit": 2}, headers=headers)).json()
    second = (
        await api.client.get("/api/v1/customers", params={"limit": 2, "cursor": page["next_cursor"]}, headers=headers)
    ).json()
    assert len(page["items"]) == 2 and not {c["id"] for c in page["items"]} & {c["id"] for c in second["items"]}
    assert (await api.client.get("/api/v1/customers", params={"cursor": "garbage"}, headers=headers)).status_code == 400
    assert "customer.search" in await audit_actions(api)

    vip = await add_queue(api, "VIP")
    vip_channel, vip_token = await api.channel("VIP line", queue_id=vip)
    hidden = await deliver(api, vip_channel, vip_token, "v1", "phone", "+380671112244", name="Оксана Коваль")
    assert hidden["customer_id"] not in await _search(api, headers, "Oksana")
    assert hidden["customer_id"] not in await _search(api, headers, "+380671112244")
