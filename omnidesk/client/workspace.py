"""The operator's signed-in session: the one object views talk to.

It owns the API connection, the live event stream, the outbox and the remembered session, and feeds
the store. Views call its methods (through the task registry for async ones); it never touches widgets.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

import httpx
from PySide6.QtCore import QObject, Signal

from omnidesk.client.api import (
    ApiClient,
    ApiError,
    Forbidden,
    NotFound,
    Rejected,
    ServerUnreachable,
    SessionExpired,
    normalise_server_url,
)
from omnidesk.client.credentials import SessionVault
from omnidesk.client.outbox import Outbox, PendingReply
from omnidesk.client.store import Store
from omnidesk.client.sync import Backoff, EventStream, LinkState
from omnidesk.client.tasks import TaskRegistry
from omnidesk.domain.enums import ConversationStatus
from omnidesk.protocol import ConversationOut, MessageOut, Page, TokenPair, UserOut

__all__ = ["Workspace"]

log = logging.getLogger(__name__)


class Workspace(QObject):
    signedIn = Signal(object)  # UserOut
    signedOut = Signal(str)  # "server" when the server ended the session, "operator" when they logged out

    def __init__(
        self,
        *,
        vault: SessionVault,
        outbox: Outbox,
        tasks: TaskRegistry,
        backoff: Backoff | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.store = Store(self)
        self.vault = vault
        self.outbox = outbox
        self.tasks = tasks
        self.backoff = backoff
        self._transport = transport
        self.api: ApiClient | None = None
        self.stream: EventStream | None = None
        self._stream_task: asyncio.Task[None] | None = None
        self._remember = False
        self._username = ""
        self._delivering = asyncio.Lock()

    @property
    def user(self) -> UserOut | None:
        return self.store.user

    @property
    def server_url(self) -> str:
        return self.api.server_url if self.api else ""

    # --- signing in and out ---------------------------------------------------------------------------

    def _connect(self, server_url: str) -> ApiClient:
        return ApiClient(server_url, transport=self._transport, on_tokens=self._tokens_rotated)

    def _tokens_rotated(self, tokens: TokenPair) -> None:
        if self._remember and self.api is not None:
            self.vault.remember(self.api.server_url, tokens.user.username, tokens.refresh_token)

    async def sign_in(self, server_url: str, username: str, password: str, *, remember: bool) -> UserOut:
        """Sign in with a password; raises WrongCredentials, ServerUnreachable, TlsFailure, Throttled..."""
        api = self._connect(server_url)
        self._remember = remember and self.vault.status().usable
        self.api = api
        try:
            tokens = await api.login(username, password)
        except BaseException:
            self.api = None
            await api.aclose()
            raise
        if not remember:
            self.vault.forget(api.server_url, tokens.user.username)
        return await self._begin(api, tokens.user)

    async def resume(self, server_url: str, username: str) -> UserOut | None:
        """Sign in with the session remembered in the keyring; None if there is none or it expired."""
        try:
            server_url = normalise_server_url(server_url)
        except ValueError:
            return None
        token = self.vault.recall(server_url, username)
        if not token:
            return None
        api = self._connect(server_url)
        self._remember = True
        self.api = api
        try:
            tokens = await api.resume(token)
        except SessionExpired:
            self.vault.forget(server_url, username)
            self.api = None
            await api.aclose()
            return None
        except BaseException:
            self.api = None
            await api.aclose()
            raise
        return await self._begin(api, tokens.user)

    async def _begin(self, api: ApiClient, user: UserOut) -> UserOut:
        self._username = user.username
        self.store.set_channels(await api.channels())
        # The stream starts from the head taken BEFORE the inbox is read, so nothing falls in between.
        head = await api.events_head()
        self.store.set_user(user)
        self.stream = EventStream(
            api,
            on_event=self.store.apply_event,
            on_state=self._link_changed,
            on_session_expired=self._session_expired,
            last_event_id=head,
            backoff=self.backoff,
        )
        self._stream_task = self.tasks.spawn(self.stream.run(), name="event-stream")
        self.signedIn.emit(user)
        self.tasks.spawn(self.deliver_pending(), name="outbox-at-start")
        return user

    def _link_changed(self, state: LinkState, retry_in: float | None) -> None:
        was_online = self.store.link_state == LinkState.ONLINE
        self.store.set_link(str(state), retry_in)
        if state == LinkState.ONLINE and not was_online:
            self.tasks.spawn(self.deliver_pending(), name="outbox-on-reconnect")

    def _session_expired(self) -> None:
        self.tasks.spawn(self._end(by_server=True), name="session-expired")

    async def sign_out(self) -> None:
        """Log out: revoke the session on the server and forget the remembered token."""
        await self._end(by_server=False)

    async def _end(self, *, by_server: bool) -> None:
        api, self.api = self.api, None
        if self._stream_task is not None:
            self._stream_task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._stream_task
            self._stream_task = None
        self.stream = None
        if api is not None:
            self.vault.forget(api.server_url, self._username)
            if not by_server:
                await api.logout()
            await api.aclose()
        self.store.set_user(None)
        self.signedOut.emit("server" if by_server else "operator")

    async def close(self) -> None:
        """Leave without logging out (the remembered session stays for the next start)."""
        if self._stream_task is not None:
            self._stream_task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._stream_task
            self._stream_task = None
        if self.api is not None:
            await self.api.aclose()
            self.api = None

    def _require_api(self) -> ApiClient:
        if self.api is None:
            raise SessionExpired("not signed in")
        return self.api

    # --- reading -------------------------------------------------------------------------------------

    async def inbox_page(
        self, statuses: tuple[ConversationStatus, ...], assignee: str | None, cursor: str | None, limit: int = 50
    ) -> Page[ConversationOut]:
        page = await self._require_api().conversations(statuses=statuses, assignee=assignee, cursor=cursor, limit=limit)
        self.store.note_conversations(page.items)
        return page

    async def message_page(self, conversation_id: int, cursor: str | None, limit: int = 50) -> Page[MessageOut]:
        return await self._require_api().messages(conversation_id, cursor=cursor, limit=limit)

    def pending_replies(self, conversation_id: int) -> list[PendingReply]:
        if self.api is None or self.user is None:
            return []
        return self.outbox.pending(self.api.server_url, self.user.id, conversation_id=conversation_id)

    # --- acting --------------------------------------------------------------------------------------

    async def mark_read(self, conversation_id: int) -> None:
        conversation = self.store.conversation(conversation_id)
        if conversation is not None and conversation.unread_count == 0:
            return
        self.store.put_conversation(await self._require_api().mark_read(conversation_id))

    async def set_status(self, conversation_id: int, status: ConversationStatus) -> None:
        self.store.put_conversation(await self._require_api().set_status(conversation_id, status))

    async def take(self, conversation_id: int) -> None:
        self.store.put_conversation(await self._require_api().assign(conversation_id, None))

    def reply(self, conversation_id: int, text: str) -> PendingReply:
        """Queue a reply on disk first, then try to send it (now, or when the server is back)."""
        api, user = self._require_api(), self.user
        assert user is not None
        pending = self.outbox.add(
            server_url=api.server_url, user_id=user.id, conversation_id=conversation_id, text=text
        )
        self.store.queue_reply(pending)
        self.tasks.spawn(self.deliver_pending(), name="outbox-reply")
        return pending

    async def deliver_pending(self) -> int:
        """Send every reply waiting in the outbox, oldest first; returns how many the server took."""
        async with self._delivering:
            api, user = self.api, self.user
            if api is None or user is None:
                return 0
            delivered = 0
            for pending in self.outbox.pending(api.server_url, user.id):
                if pending.error:
                    continue
                try:
                    message = await api.reply(pending.conversation_id, pending.text, pending.client_key)
                except ServerUnreachable:
                    log.info("outbox: server unreachable, %d replies wait", len(self.outbox))
                    break  # retried when the stream is back online
                except (Rejected, NotFound, Forbidden) as error:
                    self.outbox.refuse(pending.client_key, str(error))
                    self.store.refuse_reply(pending)
                    continue
                except ApiError as error:
                    log.warning("outbox: reply %s not sent yet: %s", pending.client_key, error)
                    break
                self.outbox.acknowledge(pending.client_key)
                self.store.put_message(message, created=True)
                delivered += 1
            return delivered
