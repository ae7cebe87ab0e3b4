"""The operator's signed-in session: the one object views talk to.

It owns the API connection, the live event stream, the outbox and the remembered session, and feeds
the store. Views call its methods (through the task registry for async ones); it never touches widgets.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from typing import Any

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
from omnidesk.client.drafts import Drafts
from omnidesk.client.outbox import Outbox, PendingReply
from omnidesk.client.permissions import effective_permissions
from omnidesk.client.store import Store
from omnidesk.client.sync import Backoff, EventStream, LinkState
from omnidesk.client.tasks import TaskRegistry
from omnidesk.domain.enums import ConversationStatus
from omnidesk.protocol import ConversationOut, MessageOut, Page, TokenPair, UserOut

__all__ = ["ReplyHeld", "Workspace"]

log = logging.getLogger(__name__)


class ReplyHeld(ValueError):
    """A feature holds a reply back before it is queued (an e-mail with a bad address); the text says why."""


class Workspace(QObject):
    signedIn = Signal(object)  # UserOut
    signedOut = Signal(str)  # "server" when the server ended the session, "operator" when they logged out
    resynchronised = Signal()  # the server could not resume the stream (409): views read their state again

    def __init__(
        self,
        *,
        vault: SessionVault,
        outbox: Outbox,
        tasks: TaskRegistry,
        backoff: Backoff | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        drafts: Drafts | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.store = Store(self)
        self.vault = vault
        self.outbox = outbox
        self.drafts = drafts or Drafts(outbox.path.parent / "drafts.json")
        self.end_reason = ""  # why the server ended the last session (its stream.end), "" if it did not say
        self.tasks = tasks
        self.backoff = backoff
        self._transport = transport
        self.api: ApiClient | None = None
        self.stream: EventStream | None = None
        self._stream_task: asyncio.Task[None] | None = None
        self._release_first_inbox: Callable[[], None] = _nothing
        self._remember = False
        self._username = ""
        self._delivering = asyncio.Lock()
        # Features add fields to a reply's body, or hold it back with ReplyHeld (omnidesk/client/mail: To, Cc, subject).
        self.reply_details: list[Callable[[int], dict[str, Any]]] = []

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
        # Three independent reads at once. The stream starts from the head taken BEFORE the inbox is read (that read
        # starts when signedIn is emitted below), so nothing falls in between.
        channels, head, permissions = await asyncio.gather(
            api.channels(), api.events_head(), self._listed_permissions(api)
        )
        self.store.set_channels(channels)
        self.end_reason = ""
        # The first inbox page goes ahead of what signing in sets off (presence, offers, the stream, the mail views):
        # it is what the operator waits for. Released when it is answered (inbox_page), or by sign-out.
        self._release_first_inbox()
        self._release_first_inbox = api.hold()
        self.store.set_user(user, effective_permissions(user, permissions))
        self.stream = EventStream(
            api,
            on_event=self.store.apply_event,
            on_state=self._link_changed,
            on_session_expired=self._session_expired,
            on_session_ended=self._session_ended,
            on_resync=self._resync,
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

    async def _listed_permissions(self, api: ApiClient) -> list[str] | None:
        """The permissions GET /me lists for this user (None when the server does not list them)."""
        try:
            return await api.my_permissions()
        except ApiError as error:
            log.info("permissions not read (%s): the role's defaults apply", error)
            return None

    def _session_expired(self) -> None:
        self.tasks.spawn(self._end(by_server=True), name="session-expired")

    def _session_ended(self, reason: str) -> None:
        """The server said (event: stream.end) that this session is over, and why."""
        self.end_reason = reason
        self.tasks.spawn(self._end(by_server=True), name="session-ended")

    async def _resync(self) -> int:
        """The server cannot replay from our last event (409): start again from its head and re-read."""
        head = await self._require_api().events_head()
        self.resynchronised.emit()
        return head

    def retry_now(self) -> None:
        """The operator pressed "Retry now": reconnect at once and send what waits."""
        if self.stream is not None:
            self.stream.retry_now()
        self.tasks.spawn(self.deliver_pending(), name="outbox-retry")

    # --- drafts ------------------------------------------------------------------------------------------

    def draft(self, conversation_id: int) -> str:
        if self.api is None or self.user is None:
            return ""
        return self.drafts.get(self.api.server_url, self.user.id, conversation_id)

    def keep_draft(self, conversation_id: int, text: str) -> None:
        if self.api is not None and self.user is not None:
            self.drafts.put(self.api.server_url, self.user.id, conversation_id, text)

    async def sign_out(self) -> None:
        """Log out: revoke the session on the server and forget the remembered token."""
        await self._end(by_server=False)

    async def _end(self, *, by_server: bool) -> None:
        self._release_first_inbox()
        api, self.api = self.api, None
        if self._stream_task is not None:
            await _stop(self._stream_task)
            self._stream_task = None
        self.stream = None
        if api is not None:
            self.vault.forget(api.server_url, self._username)
            if not by_server and self.user is not None:
                self.drafts.forget_user(api.server_url, self.user.id)  # the next user must not find them
            if not by_server:
                await api.logout()
            await api.aclose()
        self.store.set_user(None)
        self.signedOut.emit("server" if by_server else "operator")

    async def close(self) -> None:
        """Leave without logging out (the remembered session stays for the next start)."""
        if self._stream_task is not None:
            await _stop(self._stream_task)
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
        self,
        statuses: tuple[ConversationStatus, ...],
        assignee: str | None,
        cursor: str | None,
        limit: int = 50,
        order: str = "activity",
        sla: str | None = None,
    ) -> Page[ConversationOut]:
        api = self._require_api()
        # The first page of the inbox (at sign-in, on a filter or order change) is what the operator waits for.
        try:
            async with api.priority() if cursor is None else contextlib.nullcontext():
                page = await api.conversations(
                    statuses=statuses, assignee=assignee, cursor=cursor, limit=limit, order=order, sla=sla
                )
        finally:
            if cursor is None:
                self._release_first_inbox()
        # The rows as the store holds them: where an event brought a newer state than this page, that state.
        return page.model_copy(update={"items": self.store.note_conversations(page.items)})

    async def customer_conversations(self, customer_id: int) -> list[ConversationOut]:
        """The customer's conversations on every channel, newest first (the card lists them)."""
        page = await self._require_api().conversations(statuses=list(ConversationStatus), customer_id=customer_id)
        return self.store.note_conversations(page.items)

    async def message_page(self, conversation_id: int, cursor: str | None, limit: int = 50) -> Page[MessageOut]:
        api = self._require_api()
        # The newest page of a conversation being opened is what the operator waits for.
        async with api.priority() if cursor is None else contextlib.nullcontext():
            return await api.messages(conversation_id, cursor=cursor, limit=limit)

    def pending_replies(self, conversation_id: int) -> list[PendingReply]:
        if self.api is None or self.user is None:
            return []
        return self.outbox.pending(self.api.server_url, self.user.id, conversation_id=conversation_id)

    # --- acting --------------------------------------------------------------------------------------

    async def load_conversation(self, conversation_id: int) -> ConversationOut:
        """One conversation the store does not hold yet (e.g. one a colleague mentioned the operator in)."""
        conversation = await self._require_api().conversation(conversation_id)
        self.store.put_conversation(conversation)
        return conversation

    async def mark_read(self, conversation_id: int) -> None:
        conversation = self.store.conversation(conversation_id)
        if conversation is not None and conversation.unread_count == 0:
            return
        self.store.put_conversation(await self._require_api().mark_read(conversation_id))

    async def set_status(self, conversation_id: int, status: ConversationStatus) -> None:
        self.store.put_conversation(await self._require_api().set_status(conversation_id, status))

    async def take(self, conversation_id: int) -> None:
        self.store.put_conversation(await self._require_api().assign(conversation_id, None))

    def reply(self, conversation_id: int, text: str, *, note: bool = False) -> PendingReply:
        """Queue a reply on disk first, then try to send it (now, or when the server is back). An internal note
        (``note``) waits the same way: offline it is not lost (defect 7); the server keeps it idempotent by the same
        client key."""
        api, user = self._require_api(), self.user
        assert user is not None
        details: dict[str, Any] = {}
        if note:
            details["kind"] = "note"  # never e-mail fields or any other channel's: it is not sent to the customer
        else:
            for provide in self.reply_details:
                details.update(provide(conversation_id))  # may raise ReplyHeld: nothing is queued then
        pending = self.outbox.add(
            server_url=api.server_url, user_id=user.id, conversation_id=conversation_id, text=text, details=details
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
                    message = await api.reply(
                        pending.conversation_id, pending.text, pending.client_key, pending.details
                    )
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


async def _stop(task: asyncio.Task[None]) -> None:
    """Cancel the stream task and wait until it has ended. Its own end (cancelled, or failed) is not an error
    here, but a cancellation of the caller is never swallowed: suppressing CancelledError around `await task`
    also ate the cancellation sent to the caller (the client's shutdown, the test loop's teardown), which then
    carried on awaiting and left the loop's final cancel-all waiting (the hang of test_customer_screens)."""
    task.cancel()
    await asyncio.wait({task})
    if not task.cancelled() and task.exception() is not None:
        log.info("event stream ended with %r", task.exception())


def _nothing() -> None:
    pass
