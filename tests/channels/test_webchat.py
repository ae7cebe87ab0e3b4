"""The web chat widget in Debian's chromium (Playwright), on a page of its own origin with a strict CSP, against a
real server on SQLite and PostgreSQL; and the widget API's protections without a browser."""

from __future__ import annotations

import asyncio
import contextlib
import http.server
import threading
import time

import pytest
from sqlalchemy import func, select

from omnidesk.channels.webchat.connector import site_user_token
from omnidesk.server.conversations.models import Conversation, Message
from omnidesk.server.customers.models import Customer, Identity
from omnidesk.server.webchat import views as webchat_views
from tests.helpers import free_port

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(autouse=True)
def fresh_limits():
    for limiter in (webchat_views.PER_ADDRESS, webchat_views.PER_VISITOR, webchat_views.NEW_VISITORS):
        limiter._hits.clear()


@contextlib.contextmanager
def site(server_url: str, channel_id: int, extra: str = "", lang: str = "uk"):
    """The bank's page on its own loopback origin, with a CSP that allows only the OmniDesk server."""
    page = (
        "<!doctype html><html><head><meta charset=utf-8><title>Bank</title></head><body><h1>Bank</h1>"
        f'<script src="{server_url}/widget.js" data-channel="{channel_id}" data-lang="{lang}" {extra} async></script>'
        "</body></html>"
    ).encode()
    csp = (
        f"default-src 'none'; script-src {server_url}; style-src {server_url}; connect-src {server_url}; "
        f"img-src {server_url}"
    )

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Security-Policy", csp)
            self.end_headers()
            self.wfile.write(page)

        def log_message(self, *args):
            pass

    port = free_port()
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        httpd.shutdown()


@pytest.fixture
async def browser():
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        b = await p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield b
        await b.close()


async def _webchat(api, **body) -> dict:
    admin = await api.headers_for("admin", "admin")
    r = await api.client.post("/api/v1/channels/webchat", headers=admin, json={"name": "Bank site", **body})
    assert r.status_code == 201, r.text
    return r.json()


async def _wait(predicate, timeout: float = 15.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = await predicate()
        if value:
            return value
        await asyncio.sleep(0.1)
    raise AssertionError("condition not met in time")


async def _count(api, model, *where) -> int:
    async with api.db.session() as session:
        return await session.scalar(select(func.count()).select_from(model).where(*where))


async def test_visitor_chats_live_with_an_operator_in_chromium(api, browser):
    channel = await _webchat(api, greeting="Вітаємо! Чим допомогти?")
    assert channel["snippet"].startswith("<script src=") and f'data-channel="{channel["id"]}"' in channel["snippet"]
    operator = await api.headers_for("op")  # logged in: the chat is online
    with site(api.url, channel["id"]) as url:
        page = await browser.new_page(locale="uk-UA")
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text))
        await page.goto(url)
        await page.click(".odw-bubble")
        await page.fill(".odw-form input[name=name]", "Оксана")
        await page.fill(".odw-form input[name=phone]", "067 111 22 33")
        await page.click(".odw-form:not(.odw-hidden) button")
        await page.fill(".odw-input", "Добрий день, питання щодо кредиту")
        await page.keyboard.press("Enter")
        await page.wait_for_selector(".odw-mine >> text=Добрий день, питання щодо кредиту")
        conv = await _wait(lambda: _first_conversation(api))
        # The pre-chat phone became an identity of the visitor's customer.
        async with api.db.session() as session:
            kinds = set(
                (await session.scalars(select(Identity.kind).where(Identity.customer_id == conv.customer_id))).all()
            )
        assert kinds == {"external", "phone"}
        info = (await api.client.get(f"/api/v1/conversations/{conv.id}/webchat", headers=operator)).json()
        assert info["page_url"] == url and info["online"] is True
        # The page's title and the browser's language reach the operator; the new customer takes that language.
        assert info["page_title"] == "Bank" and info["language"] == "uk-UA"
        async with api.db.session() as session:
            assert await session.scalar(select(Customer.language).where(Customer.id == conv.customer_id)) == "uk"
        # Typing both ways, then the operator's reply arrives live (once the widget's stream follows the conversation).
        await _wait(lambda: _open_widgets(api, conv.id, operator))
        r = await api.client.post(f"/api/v1/conversations/{conv.id}/typing", headers=operator)
        assert r.status_code == 204
        await page.wait_for_selector(".odw-typing:not(.odw-hidden)")
        await asyncio.sleep(3.1)  # the widget reports typing at most every 3 s
        await page.type(".odw-input", "ще")
        await _wait(lambda: _visitor_typing(api, conv.id, operator))
        await page.fill(".odw-input", "")
        started = time.monotonic()
        r = await api.client.post(
            f"/api/v1/conversations/{conv.id}/messages",
            headers=operator,
            json={"text": "Звісно, слухаю вас", "client_key": "r1"},
        )
        assert r.status_code in (200, 201), r.text
        await page.wait_for_selector(".odw-theirs >> text=Звісно, слухаю вас")
        assert time.monotonic() - started < 5
        # A reload keeps the identity and the history.
        await page.reload()
        await page.click(".odw-bubble")
        await page.wait_for_selector(".odw-theirs >> text=Звісно, слухаю вас")
        assert await page.locator(".odw-msg").count() == 2
        await page.fill(".odw-input", "Дякую")
        await page.keyboard.press("Enter")
        await _wait(lambda: _count_messages(api, conv.id, 3))
        assert await _count(api, Conversation) == 1 and await _count(api, Customer) == 1
        assert not [e for e in errors if "Content Security Policy" in e], errors
        await page.screenshot(path="docs/screenshots/webchat_widget_uk.png")


async def start_chat(page, url: str, name: str, text: str) -> None:
    """The visitor opens the widget, gives a name in the pre-chat form and writes ``text``, which shows as theirs."""
    await page.goto(url)
    await page.click(".odw-bubble")
    await page.fill(".odw-form input[name=name]", name)
    await page.click(".odw-form:not(.odw-hidden) button")
    await page.fill(".odw-input", text)
    await page.keyboard.press("Enter")
    await page.wait_for_selector(f".odw-mine >> text={text}")


async def _first_conversation(api):
    async with api.db.session() as session:
        return (await session.execute(select(Conversation.id, Conversation.customer_id))).first()


async def _count_messages(api, conversation_id: int, n: int) -> bool:
    return await _count(api, Message, Message.conversation_id == conversation_id) == n


async def _open_widgets(api, conversation_id: int, headers) -> bool:
    info = (await api.client.get(f"/api/v1/conversations/{conversation_id}/webchat", headers=headers)).json()
    return info["open_widgets"] > 0


async def _visitor_typing(api, conversation_id: int, headers) -> bool:
    info = (await api.client.get(f"/api/v1/conversations/{conversation_id}/webchat", headers=headers)).json()
    return info["typing"]


async def test_offline_form_when_no_operator_is_online(api, browser):
    channel = await _webchat(api)
    async with api.db.session() as session:  # the admin who created it logs out: nobody is online
        from omnidesk.server.auth.models import AuthSession
        from omnidesk.server.db import utcnow

        for s in (await session.scalars(select(AuthSession))).all():
            s.revoked_at = utcnow()
        await session.commit()
    with site(api.url, channel["id"]) as url:
        page = await browser.new_page()
        await page.goto(url)
        await page.click(".odw-bubble")
        form = ".odw-form:has(textarea)"
        await page.wait_for_selector(form)
        await page.fill(f"{form} input[name=email]", "visitor@customer.test")
        await page.fill(f"{form} textarea", "Передзвоніть мені, будь ласка")
        await page.click(f"{form} button")
        await page.wait_for_selector("text=Дякуємо! Ми з вами зв'яжемося.")
    async with api.db.session() as session:
        text = await session.scalar(select(Message.text))
        email = await session.scalar(select(Identity.value).where(Identity.kind == "email"))
    assert "Передзвоніть мені" in text and email == "visitor@customer.test"


async def test_widget_api_refuses_bad_tokens_foreign_origins_floods_and_forged_site_users(api):
    channel = await _webchat(api, origins=["https://bank.test"])
    cid = channel["id"]
    ok = {"origin": "https://bank.test"}
    r = await api.client.post(f"/webchat/{cid}/messages", json={"text": "x", "client_key": "a"}, headers=ok)
    assert r.status_code == 401
    r = await api.client.post(
        f"/webchat/{cid}/messages",
        json={"text": "x", "client_key": "a"},
        headers={**ok, "authorization": f"Bearer v1.{cid}.abc.def"},
    )
    assert r.status_code == 401
    assert (await api.client.get(f"/webchat/{cid}/config", headers={"origin": "https://evil.test"})).status_code == 403
    r = await api.client.get(f"/webchat/{cid}/config", headers=ok)
    assert r.status_code == 200 and r.headers["access-control-allow-origin"] == "https://bank.test"
    assert (await api.client.get("/webchat/987654/config")).status_code == 404
    # The site's own logged-in user: a valid signed token is recognised, a forged one refused.
    good = site_user_token(channel["secret"], "bank-customer-42", int(time.time()) + 600)
    r = await api.client.post(
        f"/webchat/{cid}/session", json={"user_token": good, "language": "not a tag!", "page_title": "T"}, headers=ok
    )
    assert r.status_code == 200, "a browser language that is not BCP 47 is left out, not refused"
    token = r.json()["token"]
    forged = site_user_token("not-the-secret", "bank-customer-42", int(time.time()) + 600)
    assert (
        await api.client.post(f"/webchat/{cid}/session", json={"user_token": forged}, headers=ok)
    ).status_code == 401
    auth = {**ok, "authorization": f"Bearer {token}"}
    r = await api.client.post(f"/webchat/{cid}/messages", json={"text": "hello", "client_key": "k1"}, headers=auth)
    assert r.status_code == 201
    r = await api.client.post(f"/webchat/{cid}/messages", json={"text": "hello", "client_key": "k1"}, headers=auth)
    assert r.status_code == 200 and r.json()["duplicate"] is True  # a retried send is one message
    async with api.db.session() as session:
        values = set((await session.scalars(select(Identity.value))).all())
        conv = await session.scalar(select(Conversation))
        # An internal note in the conversation (as a colleague would write) is never shown to the visitor.
        session.add(
            Message(
                conversation_id=conv.id,
                channel_id=cid,
                direction="out",
                kind="note",
                text="internal: check the credit history",
                sent_at=conv.created_at,
            )
        )
        await session.commit()
    assert "bank-customer-42" in values
    r = await api.client.post(f"/webchat/{cid}/session", json={"token": token}, headers=ok)
    assert [m["text"] for m in r.json()["history"]] == ["hello"]
    r = await api.client.post(f"/webchat/{cid}/messages", json={"text": "x" * 4001, "client_key": "k2"}, headers=auth)
    assert r.status_code == 422
    codes = [
        (
            await api.client.post(f"/webchat/{cid}/messages", json={"text": "m", "client_key": f"f{n}"}, headers=auth)
        ).status_code
        for n in range(31)
    ]
    assert codes.count(429) >= 1 and codes[0] == 201


@pytest.mark.parametrize(
    ("lang", "start", "placeholder"),
    [("en", "Start chat", "Your name"), ("ru", "Начать чат", "Ваше имя"), ("uk", "Почати чат", "Ваше ім'я")],
)
async def test_the_widget_speaks_the_sites_language(api, browser, lang, start, placeholder):
    channel = await _webchat(api, greeting={"en": "Hello!", "ru": "Здравствуйте!", "uk": "Вітаємо!"}[lang])
    with site(api.url, channel["id"], lang=lang, extra='data-color="#0b6e4f"') as url:
        page = await browser.new_page()
        await page.goto(url)
        await page.click(".odw-bubble")
        await page.wait_for_selector(f".odw-form button >> text={start}")
        assert await page.get_attribute(".odw-form input[name=name]", "placeholder") == placeholder
        color = await page.evaluate("getComputedStyle(document.querySelector('.odw-bubble')).backgroundColor")
        assert color == "rgb(11, 110, 79)"
        await page.screenshot(path=f"docs/screenshots/webchat_prechat_{lang}.png")


def _png(color: str = "red") -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (64, 48), color).save(out, "PNG")
    return out.getvalue()


async def test_files_both_ways_in_chromium(api, browser, tmp_path):
    """The visitor attaches a photo with the paperclip; the operator sees it as the message's file and answers with a
    PDF; the widget shows the operator's file and the visitor downloads it with their own token."""
    channel = await _webchat(api)
    operator = await api.headers_for("op")
    photo = tmp_path / "паспорт.png"
    photo.write_bytes(_png())
    with site(api.url, channel["id"], lang="en") as url:
        page = await browser.new_page()
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text))
        await start_chat(page, url, "Taras", "Here is my document")
        assert await page.get_attribute(".odw-attach", "aria-label") == "Attach a file"
        await page.set_input_files(".odw-composer input[type=file]", str(photo))
        await page.wait_for_selector(".odw-mine .odw-file >> text=паспорт.png")

        # The preview picture loads from the desk (CSP img-src) and is a real image.
        # Polled from here, not with page.wait_for_function: that evaluates its predicate string with eval() inside
        # the page, which the bank page's CSP (no 'unsafe-eval') refuses whenever the first check is not yet true.
        async def thumb_loaded() -> bool:
            return await page.evaluate("() => document.querySelector('.odw-mine .odw-thumb')?.naturalWidth === 64")

        await _wait(thumb_loaded)
        conv = await _wait(lambda: _first_conversation(api))
        r = await api.client.get(f"/api/v1/conversations/{conv.id}/media", headers=operator)
        files = r.json()["attachments"]
        assert [(f["file_name"], f["mime_type"], f["direction"]) for f in files] == [("паспорт.png", "image/png", "in")]
        r = await api.client.get(f"/api/v1/attachments/{files[0]['id']}", headers=operator)
        assert r.status_code == 200 and r.content == photo.read_bytes()
        # The operator answers with a PDF.
        pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
        r = await api.client.post(
            f"/api/v1/conversations/{conv.id}/attachments",
            headers=operator,
            files={"file": ("Договір.pdf", pdf, "application/pdf")},
        )
        assert r.status_code == 201, r.text
        r = await api.client.post(
            f"/api/v1/conversations/{conv.id}/messages",
            headers=operator,
            json={"text": "Our contract", "client_key": "rf1", "attachment_ids": [r.json()["id"]]},
        )
        assert r.status_code in (200, 201), r.text
        await page.wait_for_selector(".odw-theirs .odw-file >> text=Договір.pdf")
        assert await page.locator(".odw-theirs .odw-text").inner_text() == "Our contract"
        assert await page.locator(".odw-mine .odw-text").count() == 0, "a file alone shows its name once"
        href = await page.get_attribute(".odw-theirs .odw-file", "href")
        got = await page.evaluate("(u) => fetch(u).then(r => r.arrayBuffer()).then(b => b.byteLength)", href)
        assert got == len(pdf)
        await page.screenshot(path="docs/screenshots/webchat_files_en.png")
        # After a reload the history shows both files again.
        await page.reload()
        await page.click(".odw-bubble")
        await page.wait_for_selector(".odw-theirs .odw-file >> text=Договір.pdf")
        assert await page.locator(".odw-mine .odw-file").count() == 1
    assert not [e for e in errors if "Content Security Policy" in e], errors


async def test_visitor_files_are_refused_when_unsafe_kept_once_and_private(api):
    channel = await _webchat(api)
    cid = channel["id"]
    r = await api.client.post(f"/webchat/{cid}/session", json={})
    token = r.json()["token"]
    auth = {"authorization": f"Bearer {token}"}

    async def upload(name: str, data: bytes, key: str, headers=auth, mime: str = "application/octet-stream"):
        return await api.client.post(
            f"/webchat/{cid}/files", headers=headers, files={"file": (name, data, mime)}, data={"client_key": key}
        )

    assert (await upload("a.png", _png(), "k1", headers={})).status_code == 401
    r = await upload("setup.exe", b"MZ\x90\x00" + b"\x00" * 60 + b"PE\x00\x00" + b"\x00" * 200, "k2")
    assert r.status_code == 415 and "programs" in r.json()["detail"]
    assert (await upload("empty.txt", b"", "k4")).status_code == 422
    r = await upload("big.bin", b"\x00" * (10 * 1024 * 1024 + 1), "k5")
    assert r.status_code == 413
    assert await _count(api, Message) == 0, "a refused file leaves no message"
    r = await upload("statement.png", _png("blue"), "k6")
    assert r.status_code == 201, r.text
    first = r.json()
    assert first["files"][0]["name"] == "statement.png" and first["files"][0]["image"] is True
    r = await upload("statement.png", _png("blue"), "k6")  # the same upload retried: one message, one file
    assert r.status_code == 200 and r.json()["id"] == first["id"]
    from omnidesk.server.attachments.models import Attachment

    assert await _count(api, Message) == 1 and await _count(api, Attachment) == 1
    file_id = first["files"][0]["id"]
    r = await api.client.get(f"/webchat/{cid}/files/{file_id}", params={"token": token})
    assert r.status_code == 200 and r.content == _png("blue") and r.headers["content-type"] == "image/png"
    # Another visitor of the same site cannot fetch it; neither can a bad token.
    other = (await api.client.post(f"/webchat/{cid}/session", json={})).json()["token"]
    assert (await api.client.get(f"/webchat/{cid}/files/{file_id}", params={"token": other})).status_code == 404
    assert (await api.client.get(f"/webchat/{cid}/files/{file_id}", params={"token": "x"})).status_code == 401
    # The history carries the file for the widget to show after a reload.
    history = (await api.client.post(f"/webchat/{cid}/session", json={"token": token})).json()["history"]
    assert [m["files"][0]["id"] for m in history] == [file_id]


async def test_typing_both_ways_goes_through_the_event_log(api):
    """The operator typing a reply reaches the visitor's stream, and the visitor typing reaches the operators as a
    conversation.activity event marked ``visitor``, both through the event log (so across server processes), the
    visitor's told at most every few seconds; a note typed by the operator is not typing (the client sends
    typing=false for it, and so nothing reaches the visitor)."""
    from omnidesk.server.events.models import EventRow

    channel = await _webchat(api)
    cid = channel["id"]
    operator = await api.headers_for("op")
    token = (await api.client.post(f"/webchat/{cid}/session", json={"name": "Оксана"})).json()["token"]
    auth = {"authorization": f"Bearer {token}"}
    r = await api.client.post(
        f"/webchat/{cid}/messages", headers=auth, json={"text": "Добрий день", "client_key": "t1"}
    )
    assert r.status_code == 201, r.text
    conv = await _wait(lambda: _first_conversation(api))
    token = (await api.client.post(f"/webchat/{cid}/session", json={"token": token})).json()["token"]

    frames: list[str] = []

    async def listen() -> None:
        async with api.client.stream("GET", f"/webchat/{cid}/stream", params={"token": token}) as response:
            async for line in response.aiter_lines():
                if line.startswith("event:"):
                    frames.append(line.split(":", 1)[1].strip())

    listener = asyncio.ensure_future(listen())
    try:
        await _wait(lambda: _open_widgets(api, conv.id, operator))
        r = await api.client.post(f"/api/v1/conversations/{conv.id}/activity", headers=operator, json={"typing": False})
        assert r.status_code == 204
        await asyncio.sleep(1.0)
        assert "typing" not in frames  # viewing (or writing a note) is not typing
        r = await api.client.post(f"/api/v1/conversations/{conv.id}/activity", headers=operator, json={"typing": True})
        assert r.status_code == 204

        async def heard() -> bool:
            return "typing" in frames

        await _wait(heard)
    finally:
        listener.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await listener

    async def visitor_activity() -> list[dict]:
        async with api.db.session() as session:
            rows = (await session.scalars(select(EventRow).where(EventRow.type == "conversation.activity"))).all()
        return [row.payload["activity"] for row in rows if row.payload["activity"].get("visitor")]

    for _ in range(3):  # three reports within the throttle: the operators are told once
        assert (await api.client.post(f"/webchat/{cid}/typing", headers=auth)).status_code == 204
    told = await visitor_activity()
    assert len(told) == 1, told
    assert told[0]["conversation_id"] == conv.id and told[0]["typing"] is True and told[0]["display_name"] == "Оксана"
    assert told[0]["user_id"] == 0
    await asyncio.sleep(3.1)
    assert (await api.client.post(f"/webchat/{cid}/typing", headers=auth)).status_code == 204
    assert len(await visitor_activity()) == 2
