"""Starting the desktop client: QApplication, the qasync loop, failure reporting, and the session flow.

`run()` is what `omnidesk client` and `omnidesk demo` call. `ClientApp` is the flow itself (sign in,
main window, sign out, quit) and can be driven inside an already running loop, as the tests do.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import sys
import traceback
from types import TracebackType
from typing import Any

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication, QMessageBox

from omnidesk.client.api import ApiError, SessionExpired
from omnidesk.client.credentials import SessionVault
from omnidesk.client.i18n import Translations
from omnidesk.client.outbox import Outbox
from omnidesk.client.preferences import ClientFolders, Preferences
from omnidesk.client.sync import Backoff
from omnidesk.client.tasks import TaskRegistry
from omnidesk.client.views import theme
from omnidesk.client.views.dialogs import NotificationChoice
from omnidesk.client.views.icons import app_icon
from omnidesk.client.views.login import LoginDialog, SignInRequest
from omnidesk.client.views.main_window import MainWindow
from omnidesk.client.views.texts import describe_error, session_end_text
from omnidesk.client.workspace import Workspace
from omnidesk.protocol import UserOut

__all__ = ["ClientApp", "run"]

log = logging.getLogger("omnidesk.client")


class ClientApp(QObject):
    """The client's life: sign in (remembered session, given credentials or the dialog), work, leave."""

    def __init__(
        self,
        app: QApplication,
        *,
        home: str | os.PathLike[str] | None = None,
        language: str | None = None,
        vault: SessionVault | None = None,
        backoff: Backoff | None = None,
    ) -> None:
        super().__init__()
        self.app = app
        app.setQuitOnLastWindowClosed(False)  # the flow decides when to end, not the last closed window
        self.folders = ClientFolders.locate(home)
        self.preferences = Preferences(self.folders)
        self.translations = Translations(app)
        self.language_choice = self.preferences.language if language is None else language
        self.translations.apply(self.language_choice)
        theme.apply(app, self.preferences.theme)
        self.tasks = TaskRegistry(reporter=self.report)
        self.vault = vault or SessionVault()
        self.outbox = Outbox(self.folders.outbox)
        self.workspace = Workspace(vault=self.vault, outbox=self.outbox, tasks=self.tasks, backoff=backoff)
        self.workspace.signedIn.connect(self._signed_in)
        self.workspace.signedOut.connect(self._signed_out)
        self.window: MainWindow | None = None
        self.login: LoginDialog | None = None
        self.finished: asyncio.Future[int] = asyncio.get_event_loop().create_future()

    # --- signing in ---------------------------------------------------------------------------------------

    async def start(
        self, server_url: str | None = None, username: str | None = None, password: str | None = None
    ) -> None:
        """Sign in with the given credentials, else the remembered session, else ask."""
        prefs = self.preferences
        if server_url and username and password:
            await self._sign_in(server_url, username, password, remember=False)
            return
        url, user = server_url or prefs.server_url, username or prefs.username
        if prefs.remember and url and user:
            try:
                if await self.workspace.resume(url, user) is not None:
                    return
            except ApiError as error:
                self.show_login(describe_error(error, url))
                return
        self.show_login(None, server_url=url, username=user)

    def show_login(self, error: str | None = None, *, server_url: str = "", username: str = "") -> None:
        if self.login is None:
            self.login = LoginDialog(self.vault.status())
            self.login.setWindowIcon(app_icon())
            self.login.submitted.connect(self._login_submitted)
            self.login.rejected.connect(self._login_closed)
            self.login.languageChosen.connect(self.choose_language)
        prefs = self.preferences
        url, user = server_url or prefs.server_url, username or prefs.username
        self.login.fill(url, user, prefs.remember, self.language_choice)
        if error:
            self.login.show_error(error)
        self.login.show()
        self.login.raise_()

    def _login_submitted(self, request: SignInRequest) -> None:
        sign_in = self._sign_in(request.server_url, request.username, request.password, remember=request.remember)
        self.tasks.spawn(sign_in, name="sign-in")

    async def _sign_in(self, server_url: str, username: str, password: str, *, remember: bool) -> UserOut | None:
        try:
            user = await self.workspace.sign_in(server_url, username, password, remember=remember)
        except (ApiError, ValueError) as error:
            self.show_login(describe_error(error, server_url), server_url=server_url, username=username)
            return None
        self.preferences.remember = remember and self.vault.status().usable
        return user

    def _login_closed(self) -> None:
        if self.workspace.user is None:
            self.quit()

    def _signed_in(self, user: UserOut) -> None:
        prefs = self.preferences
        prefs.server_url, prefs.username = self.workspace.server_url, user.username
        if self.login is not None:
            self.login.password.clear()
            self.login.set_busy(False)
            self.login.hide()
        if self.window is None:
            self.window = MainWindow(self.workspace, self.language_choice)
            self.window.closed.connect(self.quit)
            self.window.signOutRequested.connect(self.sign_out)
            self.window.languageChosen.connect(self.choose_language)
            self.window.themeChosen.connect(self.choose_theme)
            self.window.notificationsChosen.connect(self._notifications_chosen)
            self.window.restore_layout(*self.preferences.window_layout)
            self.window.theme = self.preferences.theme
            prefs_choice = NotificationChoice(prefs.notify_desktop, prefs.notify_sound, prefs.quiet_hours)
            self.window.choose_notifications(prefs_choice)
            workorg = getattr(self.window, "workorg", None)
            if workorg is not None:  # away after the configured idle time
                workorg.presence.set_idle_after(prefs.away_after)
        self.window.show()
        self.window.start()

    def sign_out(self) -> None:
        self.preferences.remember = False
        self.tasks.spawn(self.workspace.sign_out(), name="sign-out")

    def _signed_out(self, by_whom: str) -> None:
        if self.finished.done():
            return
        if self.window is not None:
            # Every view, model and cache of customer data is emptied BEFORE the login dialog appears (defect 2).
            self._save_layout()
            self.window.clear_session()
            self.window.hide()
        message = None
        if by_whom == "server":
            reason = self.workspace.end_reason
            message = session_end_text(reason) if reason else describe_error(SessionExpired("ended by the server"))
        self.show_login(message)

    def _save_layout(self) -> None:
        if self.window is not None:
            self.preferences.window_layout = self.window.saved_layout()

    # --- around ------------------------------------------------------------------------------------------

    def choose_theme(self, name: str) -> None:
        self.preferences.theme = name
        theme.apply(self.app, name)
        if self.window is not None:
            self.window.theme = name

    def _notifications_chosen(self, choice: NotificationChoice) -> None:
        prefs = self.preferences
        prefs.notify_desktop, prefs.notify_sound, prefs.quiet_hours = choice.desktop, choice.sound, choice.quiet_hours

    def choose_language(self, code: str) -> None:
        self.language_choice = code
        self.preferences.language = code
        self.translations.apply(code)

    def report(self, error: BaseException) -> None:
        """A background task failed: tell the operator where they are looking."""
        if self.window is not None and self.window.isVisible():
            self.window.show_failure(error)
        elif self.login is not None and self.login.isVisible() and isinstance(error, ApiError):
            self.login.show_error(describe_error(error, self.workspace.server_url))
        elif not isinstance(error, ApiError):
            show_crash(type(error), error, error.__traceback__)

    def quit(self) -> None:
        if not self.finished.done():
            self.tasks.spawn(self._shutdown(), name="shutdown")

    async def _shutdown(self) -> None:
        self._save_layout()
        if self.window is not None:
            self.window._keep_draft()  # the draft being typed survives the restart
        await self.workspace.close()
        # Work still in flight (a page load, a delivery) ends before the widgets it would update are deleted;
        # unsent replies stay in the outbox on disk for the next start.
        await self.tasks.cancel_all(keep=asyncio.current_task())
        for widget in (self.window, self.login):
            if widget is not None:
                widget.hide()
                widget.deleteLater()
        self.window = self.login = None
        self.translations.remove()
        if not self.finished.done():
            self.finished.set_result(0)

    async def wait(self) -> int:
        return await self.finished


def show_crash(kind: type[BaseException], error: BaseException, trace: TracebackType | None) -> None:
    """Log a failure and show it: nothing fails silently, not even in an async slot."""
    log.error("unhandled failure", exc_info=(kind, error, trace))
    if QApplication.instance() is None:
        return
    box = QMessageBox(QMessageBox.Icon.Critical, "OmniDesk", describe_error(error))
    box.setDetailedText("".join(traceback.format_exception(kind, error, trace)))
    # A parentless box belongs to its Python wrapper: keep it until the operator closes it.
    _crash_boxes.add(box)
    box.finished.connect(lambda _result: _crash_boxes.discard(box))
    box.open()


_crash_boxes: set[QMessageBox] = set()


def _loop_failure(loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
    error = context.get("exception")
    if isinstance(error, BaseException):
        show_crash(type(error), error, error.__traceback__)
    else:
        log.error("event loop: %s", context.get("message"))


def run(
    argv: list[str] | None = None,
    *,
    server_url: str | None = None,
    username: str | None = None,
    password: str | None = None,
    language: str | None = None,
    home: str | os.PathLike[str] | None = None,
) -> int:
    """Run the desktop client until its window closes; returns the exit code.

    With `server_url`, `username` and `password` it signs in at once (the demo does); `language` ("en",
    "uk", "ru", "" for the system's) overrides the saved choice for this run; `home` keeps settings and
    the outbox in one folder instead of the user's config and data directories.
    """
    from omnidesk.client import collector
    from omnidesk.client.eventloop import ClientLoop  # imports qasync, which only the running app needs
    from omnidesk.client.platform_check import problems

    if QApplication.instance() is None:
        found = problems()
        if found:
            for problem in found:
                print(f"omnidesk: cannot start the desktop client: {problem}", file=sys.stderr)
            return 2

    logging.basicConfig(level=os.environ.get("OMNIDESK_LOG_LEVEL", "INFO"))
    app = QApplication.instance() or QApplication(list(argv) if argv is not None else sys.argv)
    assert isinstance(app, QApplication)
    app.setApplicationName("OmniDesk")
    app.setOrganizationName("OmniDesk")
    app.setWindowIcon(app_icon())
    collector.install(app)  # cycles of Qt objects are freed on this thread, never in a worker thread

    async def main() -> int:
        loop = asyncio.get_running_loop()
        loop.set_exception_handler(_loop_failure)
        client = ClientApp(app, home=home, language=language)
        for stop in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError, RuntimeError):  # Windows: no signal handlers in loops
                loop.add_signal_handler(stop, client.quit)  # Ctrl+C in the terminal closes the client cleanly
        await client.start(server_url, username, password)
        return await client.wait()

    previous_hook = sys.excepthook
    sys.excepthook = show_crash
    try:
        with asyncio.Runner(loop_factory=lambda: ClientLoop(app)) as runner:
            return runner.run(main())
    finally:
        sys.excepthook = previous_hook
