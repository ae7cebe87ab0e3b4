"""The single client/server contract: HTTP API bodies and the event envelope."""

from omnidesk.protocol.schemas import *  # noqa: F403
