"""The inbox's SLA filter (issue 14): "breaching soon" (past a warning) and "breached", read from the server's
filter (GET /conversations?sla=) and kept by the same rule for live rows; in three languages."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import update

from omnidesk.client.models.inbox import sla_state
from omnidesk.server.sla.models import ConversationSla
from tests.client.live import settle, signed_in, until

SQLITE_ONLY = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


@SQLITE_ONLY
async def test_the_inbox_shows_what_breaches_soon_or_has_breached(api, tmp_path, memory_keyring):
    await api.user("lead", role="supervisor")
    lead = await api.headers_for("lead2", "supervisor")
    policy = {"name": "Chat", "channel_kind": "api", "first_response_seconds": 3600}
    assert (await api.client.post("/api/v1/sla/policies", json=policy, headers=lead)).status_code == 201
    channel_id, token = await api.channel("Site")
    ids = {}
    for n, name in enumerate(("Андрій", "Богдана", "Віра")):
        r = await api.inbound(channel_id, token, f"sla-{n}", f"+38050100011{n}", "Допоможіть", name=name)
        ids[name] = r.json()["conversation_id"]
    client = await signed_in(tmp_path, api.url, "lead")
    window = client.window
    pane = window.inbox_pane

    def names() -> list[str]:
        return sorted(window.inbox.conversation_at(r).customer.name for r in range(window.inbox.rowCount()))

    await until(lambda: names() == ["Андрій", "Богдана", "Віра"], what="the whole inbox")
    # The clocks as time would have moved them (the filter's next read gets them from the server).
    now = dt.datetime.now(dt.UTC)
    moments = {  # missed an hour ago; warned a minute ago, due in an hour; nothing yet
        "Андрій": (now - dt.timedelta(hours=2), now - dt.timedelta(hours=1)),
        "Богдана": (now - dt.timedelta(minutes=1), now + dt.timedelta(hours=1)),
        "Віра": (now + dt.timedelta(minutes=30), now + dt.timedelta(hours=1)),
    }
    async with api.db.session() as session:
        for name, (warn, due) in moments.items():
            await session.execute(
                update(ConversationSla)
                .where(ConversationSla.conversation_id == ids[name])
                .values(first_response_warn=warn, first_response_due=due, next_check_at=due)
            )
        await session.commit()
    pane.sla.setCurrentIndex(2)
    await until(lambda: names() == ["Андрій"], what="only the breached")
    assert sla_state(window.inbox.conversation_at(0)) == "breached"
    pane.sla.setCurrentIndex(1)
    await until(lambda: names() == ["Богдана"], what="only the one breaching soon")
    assert sla_state(window.inbox.conversation_at(0)) == "soon"
    assert pane.sla.currentText() == "SLA: breaching soon"
    for code, text in (("uk", "SLA: скоро порушення"), ("ru", "SLA: скоро нарушение")):
        client.choose_language(code)
        await until(lambda t=text: pane.sla.currentText() == t, what=f"the filter in {code}")
    client.choose_language("en")
    pane.sla.setCurrentIndex(0)
    await until(lambda: len(names()) == 3, what="everything again")
    vira = next(
        window.inbox.conversation_at(r) for r in range(3) if window.inbox.conversation_at(r).customer.name == "Віра"
    )
    assert sla_state(vira) is None
    await settle(client)
