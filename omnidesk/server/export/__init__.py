"""Export and print (issue 15): one conversation or one customer's whole history as a self-contained HTML page or a
PDF (for a complaint file or a court request), and conversations of a period in bulk as CSV or JSON.

``document`` renders a :class:`~omnidesk.server.export.document.Transcript` (pure: no database), ``service`` reads
what the caller may see into one, page by page, and ``views`` are the endpoints (permission ``conversation.export``,
queue scope as for reading, every export audited).
"""
