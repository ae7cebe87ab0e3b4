"""The satisfaction survey in the web chat widget: Debian's chromium on the bank's page (strict CSP) against a real
server on SQLite and PostgreSQL. A resolved conversation's visitor sees the question with its scores as buttons
(5 for CSAT, 11 for NPS, in two rows on a phone-width panel), a click or Enter on one sends the number through the
widget's /messages (the survey's answer parsing takes it), the rating lands on the resolved conversation without
reopening it, and the buttons are gone; a typed "5 — comment" answers with a comment; an answered or stale question
shows no buttons after a reload; an operator's quick replies show the same way."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select, update

from omnidesk.domain import csat
from omnidesk.server.conversations.models import Conversation
from omnidesk.server.csat.models import CsatSurvey
from omnidesk.server.sla.worker import SlaWorker
from tests.channels import test_webchat
from tests.channels.test_webchat import _count, _first_conversation, _open_widgets, _wait, _webchat, site, start_chat
from tests.server.customer_helpers import add_queue

# The web chat tests' fixtures: Debian's chromium, and fresh rate limits for each test (autouse).
browser = test_webchat.browser
fresh_limits = test_webchat.fresh_limits

NARROW = {"width": 360, "height": 640}  # a phone
WIDE = {"width": 1280, "height": 800}


async def _queue_with_survey(api, asks: str) -> tuple[int, dict, dict, dict]:
    queue_id = await add_queue(api, "Retail")
    sup = await api.headers_for("sup", "supervisor")
    r = await api.client.put(
        f"/api/v1/csat/settings/{queue_id}", json={"enabled": True, "delay_seconds": 0, "asks": asks}, headers=sup
    )
    assert r.status_code == 200, r.text
    op = await api.headers_for("op", queue_ids=[queue_id])  # signed in: the chat is online
    channel = await _webchat(api, queue_id=queue_id)
    return queue_id, sup, op, channel


async def _chat_then_resolve(api, browser, url: str, op: dict) -> tuple[object, list[str], int]:
    """On a phone-width page the visitor writes, the operator answers and resolves; the survey worker asks the
    question. The page, its console messages and the conversation."""
    page = await browser.new_page(locale="uk-UA", viewport=NARROW)
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text))
    await start_chat(page, url, "Оксана", "Картку заблоковано")
    conv = await _wait(lambda: _first_conversation(api))
    await _wait(lambda: _open_widgets(api, conv.id, op))  # the widget's stream follows the conversation
    r = await api.client.post(
        f"/api/v1/conversations/{conv.id}/messages", json={"text": "Розблоковано", "client_key": "s1"}, headers=op
    )
    assert r.status_code == 201, r.text
    await page.wait_for_selector(".odw-theirs >> text=Розблоковано")
    r = await api.client.post(f"/api/v1/conversations/{conv.id}/status", json={"status": "resolved"}, headers=op)
    assert r.status_code == 200, r.text
    await SlaWorker(api.db).tick()  # the server's own worker may ask first: the question goes out once either way
    return page, errors, conv.id


async def _choices(page) -> list[tuple[str, str | None]]:
    buttons = page.locator(".odw-choices button")
    return [
        (await buttons.nth(i).inner_text(), await buttons.nth(i).get_attribute("aria-label"))
        for i in range(await buttons.count())
    ]


async def _survey(api) -> CsatSurvey:
    async with api.db.session() as session:
        return await session.scalar(select(CsatSurvey).execution_options(populate_existing=True))


async def _rated(api, sup: dict, kind: str) -> list[dict]:
    async with api.db.session() as session:
        customer_id = await session.scalar(select(Conversation.customer_id))
    timeline = (await api.client.get(f"/api/v1/customers/{customer_id}/timeline", headers=sup)).json()
    return [i for i in timeline["items"] if i["kind"] == kind]


async def _status(api, conversation_id: int, headers: dict) -> str:
    return (await api.client.get(f"/api/v1/conversations/{conversation_id}", headers=headers)).json()["status"]


async def _layout(page) -> list[tuple[float, float, float, float]]:
    """Each survey button's box (x, y, width, height) in the page."""
    boxes = await page.evaluate(
        "() => Array.from(document.querySelectorAll('.odw-choices button')).map(b => {"
        " const r = b.getBoundingClientRect(); return [r.x, r.y, r.width, r.height]; })"
    )
    return [tuple(b) for b in boxes]


def _inside_panel(boxes, panel) -> bool:
    px, _, pw, _ = panel
    return all(x >= px and x + w <= px + pw for x, _, w, _ in boxes)


async def test_csat_buttons_in_the_widget_record_the_rating_without_reopening(api, browser):
    _, sup, op, channel = await _queue_with_survey(api, "csat")
    with site(api.url, channel["id"], lang="uk") as url:
        page, errors, conversation_id = await _chat_then_resolve(api, browser, url, op)

        # The question in the customer's language (learned from the browser), its five scores as buttons.
        await page.wait_for_selector(f".odw-theirs >> text={csat.QUESTIONS['uk']}")
        await page.wait_for_selector(".odw-choices button")
        assert await page.get_attribute(".odw-choices", "role") == "group"
        assert await page.get_attribute(".odw-choices", "aria-label") == "Оберіть відповідь"
        assert await _choices(page) == [(str(n), f"Оцінка {n} з 5") for n in range(1, 6)]
        boxes = await _layout(page)
        assert len({y for _, y, _, _ in boxes}) == 1, "five scores in one row"
        assert all(w >= 40 and h >= 40 for _, _, w, h in boxes), boxes  # big enough to tap
        panel = await page.locator(".odw-panel").bounding_box()
        assert _inside_panel(boxes, (panel["x"], panel["y"], panel["width"], panel["height"]))
        await page.locator(".odw-panel").screenshot(path="docs/screenshots/webchat_survey_csat_uk_narrow.png")
        await page.set_viewport_size(WIDE)
        await page.locator(".odw-panel").screenshot(path="docs/screenshots/webchat_survey_csat_uk_wide.png")

        # The visitor clicks 4: sent as their message, the buttons go, the rating is the conversation's.
        await page.click(".odw-choices button >> text=4")
        await page.wait_for_selector(".odw-mine >> text=4")
        await _wait(lambda: _rated(api, sup, "csat_rated"))
        assert await page.locator(".odw-choices").count() == 0
        (rated,) = await _rated(api, sup, "csat_rated")
        assert (rated["payload"]["score"], rated["conversation_id"]) == (4, conversation_id)
        survey = await _survey(api)
        assert (survey.score, survey.comment, survey.awaiting) == (4, None, None)
        assert await _status(api, conversation_id, op) == "resolved"  # never reopened by the rating
        assert await _count(api, Conversation) == 1
        totals = (await api.client.get("/api/v1/analytics/summary", headers=sup)).json()["totals"]
        assert (totals["csat"], totals["csat_responses"]) == (4.0, 1)

        # A new question after the rating opens a new conversation; the widget's open stream follows the visitor
        # there, so the operator's answer to it arrives live, without a reload.
        await page.fill(".odw-input", "Ще одне питання")
        await page.keyboard.press("Enter")
        await _wait(lambda: _count_is(api, Conversation, 2))
        async with api.db.session() as session:
            newer = await session.scalar(select(Conversation.id).where(Conversation.id != conversation_id))
        await _wait(lambda: _open_widgets(api, newer, op))
        r = await api.client.post(
            f"/api/v1/conversations/{newer}/messages", json={"text": "Слухаю вас", "client_key": "s2"}, headers=op
        )
        assert r.status_code == 201, r.text
        await page.wait_for_selector(".odw-theirs >> text=Слухаю вас", timeout=10_000)
        assert await page.locator(".odw-mine >> text=Ще одне питання").count() == 1  # its history shown once

        # After a reload the history shows the answer and no buttons.
        await page.reload()
        await page.click(".odw-bubble")
        await page.wait_for_selector(".odw-theirs >> text=Слухаю вас")
        assert await page.locator(".odw-choices").count() == 0
    assert not [e for e in errors if "Content Security Policy" in e], errors


async def _count_is(api, model, n: int) -> bool:
    return await _count(api, model) == n


async def test_nps_after_a_csat_answer_with_a_comment_has_eleven_buttons_on_a_phone(api, browser):
    _, sup, op, channel = await _queue_with_survey(api, "both")
    with site(api.url, channel["id"], lang="uk") as url:
        page, errors, conversation_id = await _chat_then_resolve(api, browser, url, op)
        await page.wait_for_selector(".odw-choices button")
        assert len(await _choices(page)) == 5

        # A typed score with a comment answers as in any channel, and the buttons go.
        await page.fill(".odw-input", "5 — дуже швидко")
        await page.keyboard.press("Enter")
        await page.wait_for_selector(".odw-mine >> text=5 — дуже швидко")
        assert await page.locator(".odw-choices").count() == 0
        await _wait(lambda: _rated(api, sup, "csat_rated"))
        survey = await _survey(api)
        assert (survey.score, survey.comment, survey.awaiting) == (5, "дуже швидко", None)

        # NPS follows: eleven buttons, 0..10, in two rows (6 and 5) inside a phone-width panel.
        await SlaWorker(api.db).tick()
        await page.wait_for_selector(f".odw-theirs >> text={csat.NPS_QUESTIONS['uk']}")
        await page.wait_for_selector(".odw-choices button")
        assert await _choices(page) == [(str(n), f"Оцінка {n} з 10") for n in range(11)]
        boxes = await _layout(page)
        rows = sorted({round(y) for _, y, _, _ in boxes})
        assert len(rows) == 2 and [sum(1 for b in boxes if round(b[1]) == r) for r in rows] == [6, 5], boxes
        assert all(w >= 40 and h >= 40 for _, _, w, h in boxes), boxes
        panel = await page.locator(".odw-panel").bounding_box()
        assert panel["width"] <= NARROW["width"]
        assert _inside_panel(boxes, (panel["x"], panel["y"], panel["width"], panel["height"]))
        await page.locator(".odw-panel").screenshot(path="docs/screenshots/webchat_survey_nps_uk_narrow.png")
        await page.set_viewport_size(WIDE)
        await page.locator(".odw-panel").screenshot(path="docs/screenshots/webchat_survey_nps_uk_wide.png")

        # By keyboard: the buttons take the focus in order; Enter on 9 answers.
        await page.focus(".odw-choices button >> text=8")
        await page.keyboard.press("Tab")
        assert await page.evaluate("() => document.activeElement.textContent") == "9"
        await page.keyboard.press("Enter")
        await page.wait_for_selector(".odw-mine >> text=9")
        await _wait(lambda: _rated(api, sup, "nps_rated"))
        assert await page.locator(".odw-choices").count() == 0
        (rated,) = await _rated(api, sup, "nps_rated")
        assert (rated["payload"]["nps"], rated["conversation_id"]) == (9, conversation_id)
        survey = await _survey(api)
        assert (survey.score, survey.nps, survey.awaiting) == (5, 9, None)
        assert await _status(api, conversation_id, op) == "resolved"
        assert await _count(api, Conversation) == 1
    assert not [e for e in errors if "Content Security Policy" in e], errors


async def test_a_stale_question_shows_no_buttons_and_operators_quick_replies_show_the_same_way(api, browser):
    _, _sup, op, channel = await _queue_with_survey(api, "csat")
    with site(api.url, channel["id"], lang="en") as url:
        page, errors, conversation_id = await _chat_then_resolve(api, browser, url, op)
        await page.wait_for_selector(".odw-choices button")
        assert [label for _, label in await _choices(page)] == [f"Score {n} of 5" for n in range(1, 6)]

        # A week and a day later the question takes no answer by a reply: after a reload it has no buttons.
        asked_at = (await _survey(api)).asked_at
        async with api.db.session() as session:
            await session.execute(
                update(CsatSurvey).values(asked_at=asked_at - dt.timedelta(days=csat.ANSWER_DAYS + 1))
            )
            await session.commit()
        await page.reload()
        await page.click(".odw-bubble")
        await page.wait_for_selector(f".odw-theirs >> text={csat.QUESTIONS['uk']}")
        assert await page.locator(".odw-choices").count() == 0

        # The operator reopens and offers choices: quick replies, shown as buttons; a button the chat refuses.
        r = await api.client.post(
            f"/api/v1/conversations/{conversation_id}/status", json={"status": "open"}, headers=op
        )
        assert r.status_code == 200, r.text
        await _wait(lambda: _open_widgets(api, conversation_id, op))
        r = await api.client.post(
            f"/api/v1/conversations/{conversation_id}/messages",
            json={"text": "Need a new card?", "buttons": [{"title": "Yes", "payload": "yes"}], "client_key": "s2"},
            headers=op,
        )
        assert r.status_code == 422 and "buttons" in r.text
        r = await api.client.post(
            f"/api/v1/conversations/{conversation_id}/messages",
            json={"text": "Need a new card?", "quick_replies": ["Yes, a new card", "No, thanks"], "client_key": "s3"},
            headers=op,
        )
        assert r.status_code == 201, r.text
        await page.wait_for_selector(".odw-theirs >> text=Need a new card?")
        await page.wait_for_selector(".odw-choices button")
        assert await _choices(page) == [("Yes, a new card", "Yes, a new card"), ("No, thanks", "No, thanks")]
        await page.click(".odw-choices button >> text=Yes, a new card")
        await page.wait_for_selector(".odw-mine >> text=Yes, a new card")
        assert await page.locator(".odw-choices").count() == 0
        page_ = (await api.client.get(f"/api/v1/conversations/{conversation_id}/messages", headers=op)).json()
        assert [m["text"] for m in page_["items"]][-1] == "Yes, a new card"
        survey = await _survey(api)
        assert survey.score is None  # an ordinary message, not a rating
    assert not [e for e in errors if "Content Security Policy" in e], errors
