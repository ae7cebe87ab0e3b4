"""The operator's desktop client: a PySide6 app on a qasync loop talking to the OmniDesk server.

Layers (shared/DESIGN.md, client section): `api` (typed httpx calls), `sync` (the live event stream),
`outbox` (unsent replies on disk), `credentials` (the OS keyring), `store` (state and signals),
`workspace` (the signed-in session gluing them), `models` (Qt item models) and `views` (widgets).
Only `store`, `workspace`, `models`, `views`, `i18n` and `main` import Qt.
"""
