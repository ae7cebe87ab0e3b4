"""Connectors: one package per channel provider, each implementing :class:`omnidesk.channels.base.Connector`.

``connector_for(kind, config)`` is the one place that maps a channel kind to its connector; the server's outbox and
inbound routes go through it, so adding a channel is adding a package and one line in ``CONNECTORS``.
"""

from __future__ import annotations

from omnidesk.channels.api.connector import ApiConnector
from omnidesk.channels.base import ChannelConfig, Connector
from omnidesk.channels.email.connector import EmailConnector
from omnidesk.channels.max.connector import MaxConnector
from omnidesk.channels.meta.connector import InstagramConnector, MetaConnector
from omnidesk.channels.telegram.connector import TelegramConnector
from omnidesk.channels.viber.connector import ViberConnector
from omnidesk.channels.vk.connector import VkConnector
from omnidesk.channels.webchat.connector import WebchatConnector
from omnidesk.channels.whatsapp.connector import WhatsAppConnector

CONNECTORS: dict[str, type[Connector]] = {
    ApiConnector.kind: ApiConnector,
    TelegramConnector.kind: TelegramConnector,
    WhatsAppConnector.kind: WhatsAppConnector,
    EmailConnector.kind: EmailConnector,  # issue 13
    WebchatConnector.kind: WebchatConnector,
    # channels II
    ViberConnector.kind: ViberConnector,
    VkConnector.kind: VkConnector,
    MetaConnector.kind: MetaConnector,
    InstagramConnector.kind: InstagramConnector,
    MaxConnector.kind: MaxConnector,
}


def connector_for(kind: str, config: ChannelConfig) -> Connector:
    """The connector of a channel instance; a kind without its own connector speaks the generic API protocol."""
    return CONNECTORS.get(kind, ApiConnector)(config)
