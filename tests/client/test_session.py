"""Signing in and out against a real server: the login dialog's messages, the keyring and the no-keyring paths."""

from __future__ import annotations

import asyncio
import shutil
import ssl
import subprocess

import pytest

from omnidesk.client.credentials import SERVICE, SessionVault
from tests.client.live import Cable, open_client, settle, signed_in, until
from tests.helpers import free_port

SQLITE_ONLY = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


async def login_through_dialog(client, username: str, password: str, remember: bool = False) -> None:
    dialog = client.login
    await until(lambda: dialog.isVisible(), what="login dialog")
    dialog.username.setText(username)
    dialog.password.setText(password)
    if dialog.remember.isEnabled():
        dialog.remember.setChecked(remember)
    dialog.sign_in.click()


async def next_start_asks_for_the_password(home) -> None:
    client = open_client(home)
    await client.start()
    await until(lambda: client.login is not None and client.login.isVisible(), what="the login dialog")
    await settle(client)


@SQLITE_ONLY
async def test_good_password_opens_the_inbox(api, tmp_path, memory_keyring):
    await api.user("olena")
    client = open_client(tmp_path)
    await client.start(api.url)
    await login_through_dialog(client, "olena", "password-123")
    await until(lambda: client.window is not None and client.window.isVisible(), what="main window")
    assert not client.login.isVisible()
    assert client.login.password.text() == ""  # the password does not linger in the hidden dialog
    assert "olena" in client.window.user_label.text()
    await settle(client)


@SQLITE_ONLY
async def test_wrong_password_says_so_and_stays_in_the_dialog(api, tmp_path, memory_keyring):
    await api.user("olena")
    client = open_client(tmp_path)
    await client.start(api.url)
    await login_through_dialog(client, "olena", "not-the-password")
    dialog = client.login
    await until(lambda: dialog.error.isVisible(), what="error message")
    assert dialog.error.text() == "Wrong user name or password."
    assert client.window is None
    assert dialog.sign_in.isEnabled() and dialog.password.isEnabled()
    await settle(client)


async def test_server_down_says_it_cannot_reach_the_server(tmp_path, memory_keyring):
    address = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    client = open_client(tmp_path)
    await client.start(address, "olena", "password-123")
    dialog = client.login
    await until(lambda: dialog is not None and dialog.error.isVisible(), what="error message")
    assert dialog.error.text().startswith(f"Cannot reach the server {address}.")
    assert dialog.server.text() == address
    await settle(client)


@pytest.fixture
def untrusted_tls_port(tmp_path):
    """A TLS server with a self-signed certificate nobody trusts."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl is needed to make a certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
         "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    return context


async def test_untrusted_certificate_is_reported_as_a_tls_failure(tmp_path, memory_keyring, untrusted_tls_port):
    async def answer(reader, writer):
        writer.close()

    server = await asyncio.start_server(answer, "127.0.0.1", 0, ssl=untrusted_tls_port)
    port = server.sockets[0].getsockname()[1]
    client = open_client(tmp_path)
    await client.start(f"https://127.0.0.1:{port}", "olena", "password-123")
    dialog = client.login
    await until(lambda: dialog is not None and dialog.error.isVisible(), what="error message")
    assert dialog.error.text().startswith("The server's certificate could not be verified (TLS).")
    server.close()
    await settle(client)


@SQLITE_ONLY
async def test_remembered_session_lives_in_the_keyring_and_logout_forgets_it(api, tmp_path, memory_keyring):
    await api.user("olena")
    first = open_client(tmp_path)
    await first.start(api.url)
    await login_through_dialog(first, "olena", "password-123", remember=True)
    await until(lambda: first.window is not None and first.window.isVisible(), what="main window")
    account = f"olena@{api.url}"
    token = await until(lambda: memory_keyring.secrets.get((SERVICE, account)), what="token in the keyring")
    settings_text = (tmp_path / "client.ini").read_text()
    assert token not in settings_text and "password-123" not in settings_text
    await settle(first)

    # The next start signs in from the keyring without showing the dialog.
    second = open_client(tmp_path)
    await second.start()
    await until(lambda: second.window is not None and second.window.isVisible(), what="main window")
    assert second.login is None
    rotated = memory_keyring.secrets[(SERVICE, account)]
    assert rotated != token  # the server rotates refresh tokens; the keyring keeps the live one

    second.window.sign_out_action.trigger()
    await until(lambda: second.login is not None and second.login.isVisible(), what="login after logout")
    assert (SERVICE, account) not in memory_keyring.secrets
    revoked = await api.client.post("/api/v1/auth/refresh", json={"refresh_token": rotated})
    assert revoked.status_code == 401  # logged out on the server too
    await settle(second)

    await next_start_asks_for_the_password(tmp_path)


@SQLITE_ONLY
async def test_without_a_keyring_the_dialog_says_so_and_nothing_is_stored(api, tmp_path, no_keyring):
    await api.user("olena")
    assert not SessionVault().status().usable
    client = open_client(tmp_path)
    await client.start(api.url)
    dialog = client.login
    await until(lambda: dialog.isVisible(), what="login dialog")
    assert dialog.keyring_note.isVisible()
    assert "cannot remember you" in dialog.keyring_note.text()
    assert not dialog.remember.isEnabled() and not dialog.remember.isChecked()
    await login_through_dialog(client, "olena", "password-123", remember=True)
    await until(lambda: client.window is not None and client.window.isVisible(), what="main window")
    assert client.preferences.remember is False
    token = client.workspace.api.refresh_token
    for path in tmp_path.rglob("*"):
        if path.is_file():
            assert token not in path.read_text(errors="replace")
    await settle(client)

    await next_start_asks_for_the_password(tmp_path)


@SQLITE_ONLY
async def test_signed_in_client_reaches_the_inbox_with_a_live_stream(api, tmp_path, memory_keyring):
    await api.user("olena")
    client = await signed_in(tmp_path, api.url, "olena")
    assert client.window.link.text() == "Online"
    await settle(client)


@SQLITE_ONLY
async def test_a_session_revoked_on_the_server_brings_back_the_dialog_with_a_reason(api, tmp_path, memory_keyring):
    await api.user("olena")
    cable = await Cable(api.url).start()
    client = await signed_in(tmp_path, cable.url, "olena")
    access = client.workspace.api._tokens.access_token
    r = await api.client.post("/api/v1/auth/logout", headers={"Authorization": f"Bearer {access}"})
    assert r.status_code == 204
    cable.unplug()  # the stream reconnects, finds the session gone, and cannot refresh it
    cable.plug()
    dialog = await until(lambda: client.login if client.login and client.login.isVisible() else None, what="dialog")
    assert dialog.error.text() == "Your session has ended. Please sign in again."
    assert not client.window.isVisible()
    assert client.workspace.user is None
    await settle(client)
    await cable.close()
