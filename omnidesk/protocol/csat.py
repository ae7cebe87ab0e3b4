"""API bodies of satisfaction surveys (/api/v1/csat)."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, StringConstraints

from omnidesk.protocol.schemas import Contract

Question = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=1000)]


class CsatSettingsIn(Contract):
    enabled: bool = False
    delay_seconds: int = Field(0, ge=0, le=7 * 24 * 3600, description="How long after resolving to ask")
    questions: dict[Annotated[str, StringConstraints(pattern=r"^[a-z]{2}$")], Question] = Field(
        default_factory=dict, description='The question per language, e.g. {"uk": "...", "ru": "..."}; ours if empty'
    )


class CsatSettingsOut(CsatSettingsIn):
    queue_id: int
