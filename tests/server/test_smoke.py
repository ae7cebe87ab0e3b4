async def test_inbound_then_list(api):
    channel_id, token = await api.channel()
    r = await api.inbound(channel_id, token, "m1", value="050 123 45 67", text="Привіт")
    assert r.status_code == 201, r.text
    headers = await api.headers_for("op")
    r = await api.client.get("/api/v1/conversations", headers=headers)
    assert r.status_code == 200
    assert [c["last_message_preview"] for c in r.json()["items"]] == ["Привіт"]
