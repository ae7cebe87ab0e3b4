"""OmniDesk: an on-premise omnichannel help desk."""

__version__ = "0.1.0"
