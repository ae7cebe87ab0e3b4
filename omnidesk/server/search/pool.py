"""The connections history search runs on (PostgreSQL): a small pool of its own, each connection warmed as it opens.

PostgreSQL reads a text-search configuration's ispell/hunspell dictionaries from disk into each backend the first
time that backend uses them, and ``omnidesk_search`` chains three (uk, ru, en; migration 0010): about 1.3 s on this
machine, paid by whichever search first lands on a new connection. Measured over 1,000,000 messages: such a search
plans for 1,167 ms and runs for 5 ms. So searches get ``search_pool_size`` connections of their own (also: a burst of
searches cannot take the inbox's connections), and each one runs ``WARM_SQL`` as it opens; the server opens them
all in the background as it starts, so no operator waits for a dictionary. The warm-up text holds one Cyrillic and
one Latin word no dictionary knows, so every dictionary of both chains is consulted, hence loaded; the connection
then renames itself ``WARMED_NAME``, which an administrator sees in ``pg_stat_activity``. With
``search_pool_size = 0`` (and on SQLite, whose FTS5 index needs no dictionaries) searches use the main pool.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.server.db import make_engine, make_sessionmaker

log = logging.getLogger(__name__)

APPLICATION_NAME = "omnidesk-search"
WARMED_NAME = "omnidesk-search warm"  # what pg_stat_activity shows for a connection once its dictionaries are loaded
WARM_SQL = (
    f"SELECT to_tsvector('omnidesk_search', 'щшщжхщ qxqzjvq'), set_config('application_name', '{WARMED_NAME}', false)"
)


def _warm(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(WARM_SQL)
        dbapi_connection.commit()  # the new name is a session setting: a rollback would take it back
    except Exception as exc:  # no search configuration (a database not migrated yet): searches will say so
        log.warning("the search connection could not load the search dictionaries: %s", exc)
    finally:
        cursor.close()


class SearchPool:
    """The search connections of one server process (``session`` as ``Database.session``)."""

    def __init__(self, url: str, size: int) -> None:
        self.size = size
        self.engine = make_engine(url, pool_size=size, application_name=APPLICATION_NAME)
        event.listen(self.engine.sync_engine, "connect", _warm)
        self.sessionmaker = make_sessionmaker(self.engine)

    @asynccontextmanager
    async def session(self) -> AsyncIterator[AsyncSession]:
        async with self.sessionmaker() as session:
            yield session

    async def warm(self) -> None:
        """Open every connection of the pool at once (each warms as it opens) and give them back to the pool."""
        opened = await asyncio.gather(
            *(self.engine.connect().start() for _ in range(self.size)), return_exceptions=True
        )
        for connection in opened:
            if isinstance(connection, BaseException):  # the database is down at start: they warm as they open later
                log.warning("a search connection could not be opened in advance: %s", connection)
            else:
                await connection.close()

    async def dispose(self) -> None:
        await self.engine.dispose()
