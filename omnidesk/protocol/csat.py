"""API bodies of satisfaction surveys (/api/v1/csat)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from omnidesk.protocol.schemas import Contract

Question = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=1000)]


Language = Annotated[str, StringConstraints(pattern=r"^[a-z]{2}$")]


class CsatSettingsIn(Contract):
    enabled: bool = False
    asks: Literal["csat", "nps", "both"] = Field(
        "csat",
        description="What the survey asks: CSAT (1-5), NPS (0-10, how likely to recommend us) or both (CSAT first, "
        "NPS after its answer)",
    )
    delay_seconds: int = Field(0, ge=0, le=7 * 24 * 3600, description="How long after resolving to ask")
    questions: dict[Language, Question] = Field(
        default_factory=dict,
        description='The CSAT question per language, e.g. {"uk": "...", "ru": "..."}; ours if empty',
        max_length=20,
    )
    nps_questions: dict[Language, Question] = Field(
        default_factory=dict, description="The NPS question per language; ours if empty", max_length=20
    )


class CsatSettingsOut(CsatSettingsIn):
    queue_id: int
