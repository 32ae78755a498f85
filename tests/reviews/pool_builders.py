"""Reviewers put into the office's pool with qualifications that meet every profile (Keqiao 第十一条)."""

from __future__ import annotations

from reviews import pool


def in_pool(jurisdiction, *people, organisation: str = "浙江省质量技术评价中心", position: str = "高级工程师",
            degree: str = "bachelor", senior_title: bool = True, experience_years: int = 8):
    for person in people:
        pool.admit(jurisdiction, person, organisation=organisation, position=position, degree=degree,
                   senior_title=senior_title, experience_years=experience_years)
    return list(people)
