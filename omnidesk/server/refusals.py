"""A refusal with a stable code: the HTTP error of work organisation (domain/problems.py holds the codes).

``raise Refusal(409, "conversation.taken", detail, holder_id=3, holder_name="Olena")`` answers
``{"detail": detail, "code": "conversation.taken", "params": {"holder_id": 3, "holder_name": "Olena"}}`` (the app's
error handler adds ``code`` and ``params``; ``detail`` keeps its usual shape, a 422's text becoming the uniform list).
"""

from __future__ import annotations

from typing import Any

from fastapi import HTTPException

from omnidesk.domain import problems
from omnidesk.domain.routing import RuleError


class Refusal(HTTPException):
    def __init__(self, status_code: int, code: str, detail: Any, **params: Any) -> None:
        problems.check(code, params)
        if problems.CODES[code].status != status_code:
            raise ValueError(f"refusal {code!r} answers {problems.CODES[code].status}, not {status_code}")
        super().__init__(status_code, detail)
        self.code = code
        self.params = params

    def body(self) -> dict[str, Any]:
        return {"code": self.code, "params": self.params}


def rule_refusal(exc: RuleError) -> Refusal:
    """A rule or calendar the domain refused: 422 with the place and the reason, and the reason's code."""
    return Refusal(422, exc.code, {"where": exc.where, "reason": exc.reason}, **exc.params)


def coded(exc: HTTPException) -> dict[str, Any]:
    """``code`` and ``params`` of a refusal (empty for an uncoded HTTP error): for answers that list refusals."""
    return exc.body() if isinstance(exc, Refusal) else {}
