"""Identities on the card: add (normalised, unique per kind), conflicts raise a suggestion, remove."""

from __future__ import annotations

import pytest

from tests.server.customer_helpers import audit_actions, deliver, supervisor


@pytest.mark.parametrize(
    "kind,typed,stored",
    [
        ("phone", "050 123 45 67", "+380501234567"),
        ("phone", "+7 701 123 45 67", "+77011234567"),  # Kazakhstan
        ("phone", "+7 (916) 123-45-67", "+79161234567"),  # Russia
        ("phone", "+44 20 7946 0958", "+442079460958"),
        ("email", "  Oksana.Petrenko@Gmail.COM ", "oksana.petrenko@gmail.com"),
        ("telegram_username", "@Kusya_99", "kusya_99"),
        ("telegram_id", "123456789", "123456789"),
        ("external", "CRM-0042", "CRM-0042"),
    ],
)
async def test_identity_is_stored_normalised(api, kind, typed, stored):
    channel_id, token = await api.channel()
    customer = (await deliver(api, channel_id, token, "m1", "external", "visitor-1"))["customer_id"]
    headers = await api.headers_for("op")
    r = await api.client.post(
        f"/api/v1/customers/{customer}/identities", json={"kind": kind, "value": typed}, headers=headers
    )
    assert r.status_code == 201, r.text
    values = {g["kind"]: [i["value"] for i in g["items"]] for g in r.json()["identities"]}
    assert stored in values[kind]
    again = await api.client.post(
        f"/api/v1/customers/{customer}/identities", json={"kind": kind, "value": stored}, headers=headers
    )
    assert again.status_code == 200


async def test_identity_of_another_customer_is_refused_and_suggested(api):
    channel_id, token = await api.channel()
    a = (await deliver(api, channel_id, token, "m1", "phone", "+380501234567"))["customer_id"]
    b = (await deliver(api, channel_id, token, "m2", "email", "b@example.com"))["customer_id"]
    headers = await supervisor(api)
    r = await api.client.post(
        f"/api/v1/customers/{b}/identities", json={"kind": "phone", "value": "0501234567"}, headers=headers
    )
    assert r.status_code == 409
    [item] = (await api.client.get("/api/v1/duplicates", headers=headers)).json()["items"]
    assert {item["customer"]["id"], item["other"]["id"]} == {a, b}
    assert item["reasons"][0]["code"] == "identifier_taken"


async def test_bad_identity_is_a_clear_422(api):
    channel_id, token = await api.channel()
    customer = (await deliver(api, channel_id, token, "m1", "phone", "+380501234567"))["customer_id"]
    headers = await api.headers_for("op")
    r = await api.client.post(
        f"/api/v1/customers/{customer}/identities", json={"kind": "email", "value": "nope"}, headers=headers
    )
    assert r.status_code == 422 and "e-mail" in r.text
    r = await api.client.post(
        f"/api/v1/customers/{customer}/identities", json={"kind": "fax", "value": "1"}, headers=headers
    )
    assert r.status_code == 422


async def test_remove_identity(api):
    channel_id, token = await api.channel()
    customer = (
        await deliver(api, channel_id, token, "m1", "phone", "+380501234567", identities=[("email", "a@example.com")])
    )["customer_id"]
    operator = await api.headers_for("op")
    card = (await api.client.get(f"/api/v1/customers/{customer}", headers=operator)).json()
    email = next(g["items"][0]["id"] for g in card["identities"] if g["kind"] == "email")
    r = await api.client.delete(f"/api/v1/customers/{customer}/identities/{email}", headers=operator)
    assert r.status_code == 403  # removing identities is a supervisor's action by default (issue 17)
    headers = await supervisor(api)
    r = await api.client.delete(f"/api/v1/customers/{customer}/identities/{email}", headers=headers)
    assert r.status_code == 200, r.text
    assert [g["kind"] for g in r.json()["identities"]] == ["phone"]
    r = await api.client.delete(f"/api/v1/customers/{customer}/identities/{email}", headers=headers)
    assert r.status_code == 404
    assert "customer.identity_remove" in await audit_actions(api, customer)
    # The address is free again: a message from it is a new customer.
    other = await deliver(api, channel_id, token, "m2", "email", "a@example.com")
    assert other["customer_id"] != customer
