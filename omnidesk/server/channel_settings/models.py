"""A channel's options and sealed credentials: the one ``channel_settings`` table of omnidesk/server/channels.

E-mail, web chat and forms keep their hosts, colours and origins in ``options`` and their passwords in ``secrets``
like every provider channel does; this module only names the shared model for their code.
"""

from __future__ import annotations

from omnidesk.server.channels.models import ChannelSettings

__all__ = ["ChannelSettings"]
