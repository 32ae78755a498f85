"""The typed schema of an evaluation-criteria tree (GB/T 19580 and variants)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from .profile_schema import Code, NonEmpty, Strict


class CriterionItem(Strict):
    code: NonEmpty
    name_zh: NonEmpty
    name_en: NonEmpty
    points: int = Field(gt=0)
    # Process items are judged on 方法-展开-学习-整合, results on 水平-趋势-对比-整合.
    kind: Literal["process", "result"]


class CriterionCategory(Strict):
    code: NonEmpty
    name_zh: NonEmpty
    name_en: NonEmpty
    points: int = Field(gt=0)
    items: list[CriterionItem] = Field(min_length=1)


class ScoreBand(Strict):
    low: int = Field(ge=0, le=100)
    high: int = Field(ge=0, le=100)
    description_zh: NonEmpty


class CriteriaDoc(Strict):
    schema_version: Literal[1]
    code: Code
    name_zh: NonEmpty
    name_en: NonEmpty
    standard: NonEmpty
    source_note_zh: str = ""
    total_points: int = Field(gt=0)
    percentage_step: int = Field(gt=0, le=100)
    process_guidance_zh: NonEmpty
    result_guidance_zh: NonEmpty
    bands: list[ScoreBand] = []
    categories: list[CriterionCategory] = Field(min_length=1)

    def items(self) -> list[CriterionItem]:
        return [item for cat in self.categories for item in cat.items]
