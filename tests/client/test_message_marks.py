"""What happened to a message on its platform shows in its meta line: an edit ("edited"), a deletion ("deleted by the
customer") and an answer our side sent from the platform's own app ("sent from the platform's own app"), read from
the conversation's details on a real server (VK and Messenger payloads as the platforms document them)."""

from __future__ import annotations

import json

import httpx
import pytest
from cryptography.fernet import Fernet

from omnidesk.domain.enums import Role
from omnidesk.server.db import Database
from tests.channels.ch2_loopback import fixture
from tests.channels.test_messengers_server import CHANNELS, meta_sig
from tests.client.live import settle, signed_in, until
from tests.conftest import Api, serve, test_settings


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
async def test_edits_deletions_and_echoes_are_marked_in_the_history(db_url, tmp_path, memory_keyring):
    settings = test_settings(db_url, channel_key=Fernet.generate_key().decode())
    async with serve(settings) as (app, url):
        async with httpx.AsyncClient(base_url=url, timeout=30) as http:
            api = Api(url=url, db=Database(db_url, pool_size=2), settings=settings, client=http, app=app)
            admin = await api.headers_for("root", Role.ADMIN)
            await api.user("olena", Role.OPERATOR)
            made = {}
            for kind in ("vk", "meta"):
                secrets, options = CHANNELS[kind]
                body = {"name": f"Bank {kind}", "secrets": secrets, "options": options}
                made[kind] = (await http.post(f"/api/v1/admin/channels/{kind}", json=body, headers=admin)).json()
            for name in ("message_new.json", "message_edit.json", "message_reply.json"):
                r = await http.post(f"/hooks/vk/{made['vk']['id']}", content=fixture("vk", name))
                assert r.text == "ok", name
            text = fixture("meta", "messenger_text.json")
            hook = f"/hooks/meta/{made['meta']['id']}"
            assert (await http.post(hook, content=text, headers=meta_sig(text))).status_code == 200
            event = json.loads(text)
            mid = event["entry"][0]["messaging"][0]["message"]["mid"]
            event["entry"][0]["messaging"][0]["message"] = {"mid": mid, "is_deleted": True}
            deleted = json.dumps(event).encode()
            assert (await http.post(hook, content=deleted, headers=meta_sig(deleted))).status_code == 200

            client = await signed_in(tmp_path, url, "olena")
            window = client.window
            try:
                conversations = {c.channel.kind: c for c in window.workspace.store.conversations.values()}
                delegate = window.conversation_pane.history.itemDelegate()

                def metas() -> list[str]:
                    model = window.messages
                    return [delegate._meta(model.index(r, 0))[0] for r in range(model.rowCount())]

                window.open_conversation(conversations["vk"].id)
                await until(lambda: len(metas()) == 2 and "edited" in metas()[0], what="the VK edit marked")
                inbound, echo = metas()
                assert "sent from the platform's own app" in echo and "sent from" not in inbound
                window.open_conversation(conversations["meta"].id)
                await until(lambda: metas() and "deleted by the customer" in metas()[0], what="the deletion marked")

                client.choose_language("uk")
                await until(lambda: "видалив клієнт" in metas()[0], what="in Ukrainian")
                client.choose_language("ru")
                await until(lambda: "удалено клиентом" in metas()[0], what="in Russian")
                client.choose_language("en")
            finally:
                await settle(client)
                await api.db.dispose()
