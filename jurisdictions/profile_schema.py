"""The typed schema of a rule profile.

A profile is data (fixtures/rule_profiles/<slug>/<version>.json). Every rule value is a
``Cited`` object ``{"value": ..., "cite": "第五条"}``; a value the regulation leaves open carries
``"cite": "office setting"``. Code reads rules through these classes, never through string keys.
The schema is documented in docs/rule-profiles.md; keep the two in step.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from .fact_vocabulary import DATE_FACTS, FACT_NAMES

OFFICE_SETTING = "office setting"

T = TypeVar("T")

Code = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=40)]
NonEmpty = Annotated[str, StringConstraints(min_length=1, strip_whitespace=True)]


class Strict(BaseModel):
    # strict: a hand-edited "no" or "3" must be refused, not coerced to False or 3.
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class Cited(Strict, Generic[T]):
    """One rule value with the article it comes from."""

    value: T
    cite: NonEmpty
    note_zh: str = ""
    note_en: str = ""

    @property
    def is_office_setting(self) -> bool:
        return self.cite == OFFICE_SETTING


# --- counting words -------------------------------------------------------------------------
# 以上/以下/以内/届满 include the number itself (at_least / at_most); 不满/超过/以外 exclude it.
Counting = Literal["at_least", "more_than"]


class Threshold(Strict):
    """A fraction with its counting word, e.g. 2/3以上 = at_least 2/3."""

    numerator: int = Field(ge=0)
    denominator: int = Field(gt=0)
    counting: Counting

    def met(self, count: int, base: int) -> bool:
        # Integer arithmetic: 2/3 of 15 members must not become 9.999…
        lhs, rhs = count * self.denominator, self.numerator * base
        return lhs >= rhs if self.counting == "at_least" else lhs > rhs


class Period(Strict):
    amount: int = Field(ge=0)
    unit: Literal["calendar_days", "working_days", "months", "years"]


# --- the regulation itself ------------------------------------------------------------------
class Regulation(Strict):
    title_zh: NonEmpty
    title_en: NonEmpty
    document_number: str = ""
    # Empty where the text names no issuer (Lucheng's and Zhuji's drafts for comment).
    issued_by_zh: str = ""
    issued_on: dt.date | None = Field(default=None, strict=False)  # JSON has no date type: "YYYY-MM-DD"
    status: Literal["in_force", "draft", "superseded"]
    seed_file: str = ""
    # e.g. a draft that "takes effect on issue": effective_from is then the office's working date.
    note_zh: str = ""
    note_en: str = ""


class Bodies(Strict):
    """Who does what, in the jurisdiction's own words."""

    committee_zh: Cited[str]
    committee_en: Cited[str]
    office_zh: Cited[str]
    office_short_zh: Cited[str]
    office_en: Cited[str]
    approver_zh: Cited[str]
    approver_en: Cited[str]
    supervisor_zh: Cited[str] | None = None
    # How applicants reach the office, printed on its letters (no text gives it: an office setting),
    # and the issuer's code in its letters' numbers (发文机关代字, GB/T 9704: 柯质评办〔2026〕3号).
    contact_zh: Cited[str] | None = None
    contact_en: Cited[str] | None = None
    letter_prefix_zh: Cited[str] | None = None


# --- awards ---------------------------------------------------------------------------------
HonourKind = Literal["plaque", "certificate", "title", "trophy"]


class RepeatWin(Strict):
    """What a second win of the same award gets."""

    prize_cny: Cited[int] = Field(description="money paid for the repeat win (0: honour only)")
    counts_in_quota: Cited[bool]
    # Binjiang gives a repeat nomination winner a certificate and title but no plaque (五（四）).
    honours: Cited[list[HonourKind]] | None = None


class ScoreFloors(Strict):
    total: Cited[float] | None = None
    site: Cited[float] | None = None


class Award(Strict):
    code: Code
    name_zh: NonEmpty
    name_en: NonEmpty
    quota: Cited[Annotated[int, Field(ge=0)]]
    prize_cny: Cited[Annotated[int, Field(ge=0)]]
    honours: Cited[list[HonourKind]]
    # A lower tier awarded from the same application (Binjiang/Keqiao/Daqing nomination)
    # names the award it is filed under; a category filed directly (Lucheng/Zhuji innovation) has none.
    lower_tier_of: Code | None = None
    floors: ScoreFloors = ScoreFloors()
    repeat_win: RepeatWin | None = None
    # Earlier awards whose winner, winning this award now, is not counted in its quota (Binjiang
    # 五（四）: a past quality winner winning the nomination award; Keqiao 第二十二条: a past nomination
    # winner re-evaluated to the quality award). A repeat of the same award is `repeat_win`'s.
    outside_quota_after: Cited[list[Code]] | None = None
    # Earlier awards after which winning this award brings no money (Binjiang 五（四）: a past quality
    # winner winning the nomination award gets plaque and certificate, no money).
    no_prize_after: Cited[list[Code]] | None = None


class QuotaRules(Strict):
    total_cap: Cited[Annotated[int, Field(ge=0)]] | None = None
    may_be_vacant: Cited[bool]
    prize_cumulative_cap_cny: Cited[Annotated[int, Field(ge=0)]] | None = None
    same_award_paid_once: Cited[bool] | None = None
    upgrade_pays_difference: Cited[list[Code]] | None = Field(
        default=None, description="[from, to]: a winner of `from` later winning `to` is paid the difference"
    )
    outside_quota: list[Cited[str]] = []


class HonourBonus(Strict):
    level_zh: NonEmpty
    level_en: NonEmpty
    award_amount_cny: Annotated[int, Field(ge=0)]
    nomination_amount_cny: Annotated[int, Field(ge=0)]


class HigherHonours(Strict):
    bonuses: Cited[list[HonourBonus]]
    highest_only: Cited[bool]


# --- cycle and eligibility ------------------------------------------------------------------
class CycleRules(Strict):
    interval_years: Cited[Annotated[int, Field(ge=1)]]
    fees: Cited[bool]
    one_application_per_cycle: Cited[bool]


# The fact vocabulary is defined once, in fact_vocabulary.py; the schema takes its names from there.
FactName = Literal[FACT_NAMES]  # type: ignore[valid-type]
DateFactName = Literal[DATE_FACTS]  # type: ignore[valid-type]


class FactTrue(Strict):
    kind: Literal["fact_true"]
    fact: FactName


class FactFalse(Strict):
    kind: Literal["fact_false"]
    fact: FactName


class MinYears(Strict):
    """Years since a date fact, counted to the cycle's application close date."""

    kind: Literal["min_years"]
    fact: DateFactName
    years: int = Field(ge=0)
    counting: Counting
    counted_to: Literal["applications_close"] = "applications_close"


class OneOf(Strict):
    kind: Literal["one_of"]
    fact: Literal["sector"]
    values: list[str] = Field(min_length=1)


class Manual(Strict):
    """Judged by office staff on the evidence (leading indicators, credit, innovation...)."""

    kind: Literal["manual"]


ConditionTest = Annotated[FactTrue | FactFalse | MinYears | OneOf | Manual, Field(discriminator="kind")]


class Condition(Strict):
    code: Code
    text_zh: NonEmpty
    text_en: NonEmpty
    # How the applicant is asked, in the regulation's own terms (required for yes/no facts: a shared
    # question would misstate a rulebook, e.g. Lucheng's 较大以上 accidents or Daqing's any accident).
    question_zh: str = ""
    question_en: str = ""
    test: Cited[ConditionTest]


Recommender = Literal[
    "supervising_department", "town", "industry_association", "industry_authority", "county_government"
]


class Recommendation(Strict):
    """Who must recommend an application. `none` files directly with the office."""

    rule: Literal["none", "one_of", "all_of"]
    recommenders: list[Recommender] = []
    # Zhuji: the industry authority signs only "where there is one" (如有).
    optional_recommenders: list[Recommender] = []
    # The regulation's own name for a recommender where the shared label would misquote it
    # (Zhuji 第十三条（二）: 所在地镇乡（街道）人民政府, not Keqiao's 镇（街道、开发区）).
    names_zh: dict[Recommender, str] = {}
    names_en: dict[Recommender, str] = {}
    via_zh: str = ""
    via_en: str = ""


MaterialKind = Literal["self_assessment", "recommendation", "evidence"]


class Reconsideration(Strict):
    """Asking again about an eligibility decision (复核): to whom, how, and within what period of the letter."""

    to_zh: NonEmpty
    to_en: NonEmpty
    how_zh: NonEmpty
    how_en: NonEmpty
    within: Period


class Eligibility(Strict):
    conditions: list[Condition] = Field(min_length=1)
    recommendation: Cited[Recommendation]
    # The files an application must carry (kinds of ApplicationFile); the application form itself is
    # filled in online. Daqing 第十二条 asks for no self-assessment report.
    required_materials: Cited[list[MaterialKind]]
    # Paper copies to hand in besides the upload (Keqiao 第十四条: 一式两份).
    paper_copies: Cited[Annotated[int, Field(ge=1)]] | None = None
    review_checks_zh: Cited[str]
    review_checks_en: Cited[str]
    return_for_completion: Cited[bool]
    # How long an application returned for completion stays open (required when returning).
    completion_period: Cited[Period] | None = None
    written_reason_on_failure: Cited[bool]
    # How an applicant found ineligible may ask again, to whom and within what period (the letter says so).
    reconsideration: Cited[Reconsideration] | None = None


class Ban(Strict):
    """Who may not apply, for how long, counted from what."""

    code: Code
    trigger: Literal["fraud_revocation", "incident_revocation", "award_won"]
    award: Code | None = None
    text_zh: NonEmpty
    text_en: NonEmpty
    period: Cited[Period]
    counted_from: Literal["revocation_date", "award_year"]
    # Which recorded outcomes start the ban: a revocation of an award, and/or a disqualification
    # before any award (Daqing 第三十一条: 尚未授奖的，取消其当年评选资格). Required except for award_won.
    triggered_by: Cited[list[Literal["revocation", "disqualification"]]] | None = None
    # True where the ban is imposed only on a finding that the case is serious (Daqing 第三十一条:
    # 情节严重的); the check then bans only outcomes recorded with serious=True.
    discretionary: Cited[bool] | None = None


# --- stages and review ----------------------------------------------------------------------
StageCode = Literal[
    "call", "application", "eligibility", "document_review", "site_review", "comprehensive",
    "committee", "publicity", "approval",
]


class Stage(Strict):
    code: StageCode
    name_zh: Cited[str]
    name_en: str


# Degrees in order, lowest first: a profile's minimum is met by it and everything after it.
DEGREES = ("none", "junior_college", "bachelor", "master", "doctor")
Degree = Literal["none", "junior_college", "bachelor", "master", "doctor"]


class ReviewerQualifications(Strict):
    """What a reviewer must hold to sit in a group (Keqiao 第十一条: 本科以上学历或高级专业技术职称;
    三年以上的质量管理或专业技术方面的工作经历)."""

    min_degree: Degree
    # A senior professional title (高级专业技术职称) stands in for the degree.
    senior_title_suffices: bool
    min_experience_years: int = Field(ge=0)
    counting: Counting


class ReviewRules(Strict):
    reviewers: Cited[Literal["review_groups", "third_party_agency"]]
    # The office keeps a pool of reviewers (评审专家库) and draws groups from it (Zhuji 第九条（三）).
    reviewer_pool: Cited[bool] | None = None
    reviewer_qualifications: Cited[ReviewerQualifications] | None = None
    group_min_size: Cited[Annotated[int, Field(ge=1)]]
    group_leader: Cited[bool]
    recusal: Cited[bool]
    site_report_confirmed_by_applicant: Cited[bool]
    site_report_deadline: Cited[Period] | None = None
    feedback_to_not_shortlisted: Cited[bool]
    dismissed_reviewer_ban_years: Cited[int] | None = None


class Shortlist(Strict):
    rule: Cited[Literal["cap_ratio_of_total_quota", "office_choice"]]
    ratio: Cited[float] | None = None


class Weights(Strict):
    document: float = Field(ge=0, le=1)
    site: float = Field(ge=0, le=1)


class Scoring(Strict):
    total_points: Cited[int]
    criteria: Cited[Code]
    weights: Cited[Weights]
    floors_apply_to_lower_tier: Cited[bool]


class Vote(Strict):
    method: Cited[Literal["secret_ballot", "deliberation"]]
    chair_zh: Cited[str] | None = None
    quorum: Cited[Threshold | None]
    majority_basis: Cited[Literal["present", "valid_votes", "members"]] | None = None
    majority: Cited[Threshold] | None = None
    ranking: Cited[Literal["by_votes", "by_comprehensive_score"]]
    tie_break: Cited[Literal["comprehensive_score", "revote", "committee_decides"]]
    cascade_to_lower_tier: Cited[bool]
    # Whether a blank ballot (nothing marked) is a valid ballot abstaining on every candidate.
    blank_ballot_valid: Cited[bool] | None = None
    # Awards a government body may name outside the quota, recorded by the office (Keqiao 第二十二条).
    government_named_outside_quota: Cited[list[Code]] | None = None
    # A review of the candidate list the office records before the meeting (Binjiang 四（六）).
    pre_meeting_review_zh: Cited[str] | None = None
    # Ballots may be cast on paper in the room and entered by the office with a named scrutineer.
    paper_ballots: Cited[bool] | None = None


class Publicity(Strict):
    period: Cited[Period]
    media_zh: Cited[str]
    investigation_report_to_zh: Cited[str]
    confirmed_violation_disqualifies: Cited[bool]


class Objections(Strict):
    accepted_from_zh: Cited[str]
    real_name_required: Cited[bool]
    anonymous_accepted: Cited[bool]
    person_requires: Cited[list[Literal["name", "id_number", "contact"]]]
    organization_requires: Cited[list[Literal["name", "address", "contact", "seal"]]]
    evidence_required: Cited[bool]
    acceptance_decision_within: Cited[Period]
    written_receipt: Cited[bool]
    candidate_silence_admits: Cited[bool]
    objector_silence_withdraws: Cited[bool]
    decided_by_zh: Cited[str]
    # How long each side has to give its evidence once an objection is accepted (Daqing 第二十三条
    # says only 在规定时间内, so it is an office setting everywhere); the office may set another date.
    evidence_period: Cited[Period] | None = None


class Approval(Strict):
    approver_zh: Cited[str]
    announced_by_zh: Cited[str]
    # The body named on the certificate as issuing it (颁发证书).
    certificate_issuer_zh: Cited[str] | None = None
    certificate_issuer_en: Cited[str] | None = None


class AnnualDue(Strict):
    """A yearly deadline written as "before a day" (每年3月前 = before 1 March): the report is due on
    the day before (before_month, before_day), so February's length never has to be stated."""

    before_month: int = Field(ge=1, le=12)
    before_day: int = Field(ge=1, le=28, default=1)

    def due_on(self, year: int) -> dt.date:
        return dt.date(year, self.before_month, self.before_day) - dt.timedelta(days=1)


class IncidentTrigger(Strict):
    """One situation a winner must report (Keqiao 第二十九条 lists four)."""

    code: Code
    text_zh: NonEmpty
    text_en: NonEmpty


# The sanctions an office may impose on a winner, lightest first (Keqiao 第三十条: 批评、警告、通报批评，
# 直至撤销); the other texts know only revocation.
WinnerSanction = Literal["criticism", "warning", "public_criticism", "revocation"]
# On a reviewer (Binjiang 七（六）, Lucheng 第二十条, Keqiao 第二十七条: 批评、警告或取消评审资格).
ReviewerSanction = Literal["criticism", "warning", "disqualification"]
# What a revocation takes back (收回奖牌/奖杯、证书、奖金) and how it is made public (曝光/公告/通报/披露).
Recoverable = Literal["plaque", "trophy", "certificate", "prize"]
Publication = Literal["media_exposure", "announcement", "public_circular", "circular_criticism",
                      "credit_record"]


class RevocationGround(Strict):
    """One reason an award may or must be revoked, with its approval chain and its consequences."""

    code: Literal["fraud", "incident"]
    text_zh: NonEmpty
    text_en: NonEmpty
    # 撤销 (must, Daqing 第三十二条) or 可报请…撤销 (may, Zhuji 第十八条) once the facts are found.
    mandatory: bool
    # Only what happened within this period of the award's approval counts (Zhuji, Daqing: 2 years).
    within: Period | None = None
    proposed_by_zh: NonEmpty
    proposed_by_en: NonEmpty
    approved_by_zh: NonEmpty
    approved_by_en: NonEmpty
    recover: list[Recoverable] = Field(min_length=1)
    publication: list[Publication] = []
    # Daqing 第三十一条: 记入诚信黑名单.
    blacklist: bool = False
    # Daqing 第三十一条: the decision states whether the case is serious (情节严重), which decides the ban.
    serious_finding: bool = False


class PostAward(Strict):
    annual_self_assessment_years: Cited[int] | None = None
    annual_self_assessment_due_zh: Cited[str] | None = None
    # The same deadline as data the reminders and the overdue list count from (required with the years).
    annual_self_assessment_due: Cited[AnnualDue] | None = None
    # How many days before the due date the winner is reminded (no text says: an office setting).
    annual_self_assessment_reminder_days: Cited[list[Annotated[int, Field(ge=1, le=365)]]] | None = None
    incident_report_within: Cited[Period] | None = None
    incident_triggers: Cited[list[IncidentTrigger]] | None = None
    revocation_window: Cited[Period] | None = None
    # Who orders a misuse of the title corrected within a time limit (责令限期改正); None where the text is silent.
    title_correction_by_zh: Cited[str] | None = None
    sanction_ladder: Cited[list[WinnerSanction]]
    revocation_grounds: list[Cited[RevocationGround]] = Field(min_length=1)
    # Daqing 第三十一条、第三十四条: a credit blacklist of organisations and evaluation agencies.
    blacklist: Cited[bool] | None = None
    reviewer_sanctions: Cited[list[ReviewerSanction]] | None = None
    # Binjiang 七（六）: a reviewer whose qualification was withdrawn is not engaged again for 5 years.
    reviewer_rehire_ban: Cited[Period] | None = None
    # Daqing 第三十五条: office staff, not only reviewers, declare conflicts and recuse.
    staff_recusal: Cited[bool] | None = None
    title_use_zh: Cited[str]
    fraud_consequences_zh: Cited[str]
    # What an accident or violation after the award leads to (Binjiang 七（五）, Zhuji 第十八条, Daqing 第三十二条).
    incident_consequences_zh: Cited[str] | None = None


class Records(Strict):
    retention_years: Cited[Annotated[int, Field(ge=1)]]


class RuleProfileDoc(Strict):
    schema_version: Literal[1]
    jurisdiction: Code
    version: Annotated[str, StringConstraints(pattern=r"^\d{4}-\d{2}-\d{2}(\.[a-z0-9]+)?$")]
    effective_from: dt.date = Field(strict=False)  # JSON has no date type: "YYYY-MM-DD"
    regulation: Regulation
    bodies: Bodies
    cycle: CycleRules
    awards: list[Award] = Field(min_length=1)
    quota_rules: QuotaRules
    higher_honours: HigherHonours | None = None
    eligibility: Eligibility
    bans: list[Ban] = []
    stages: list[Stage] = Field(min_length=1)
    review: ReviewRules
    shortlist: Shortlist
    scoring: Scoring
    vote: Vote
    publicity: Publicity
    objections: Objections
    approval: Approval
    post_award: PostAward
    records: Records

    # --- typed look-ups the rest of the code uses ---
    def award(self, code: str) -> Award:
        for award in self.awards:
            if award.code == code:
                return award
        raise KeyError(code)

    @property
    def award_codes(self) -> list[str]:
        return [a.code for a in self.awards]

    @property
    def top_awards(self) -> list[Award]:
        """Awards filed for directly (not a lower tier of another)."""
        return [a for a in self.awards if a.lower_tier_of is None]

    def stage(self, code: str) -> Stage | None:
        return next((s for s in self.stages if s.code == code), None)

    @property
    def facts_needed(self) -> set[str]:
        needed = set()
        for condition in self.eligibility.conditions:
            fact = getattr(condition.test.value, "fact", None)
            if fact:
                needed.add(fact)
        return needed
