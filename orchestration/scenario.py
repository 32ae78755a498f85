"""What-if runs of one award cycle (the format: docs/scenario-format.md).

A scenario is loaded into a throw-away cycle inside a transaction that is rolled back, and driven
through the same services, workflow and rule engine as the web pages. Nothing here decides a rule
by itself: it only supplies what a user would have typed and reads back what the product did.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import tempfile
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from awards import eligibility, services
from awards.models import (
    DECLARATION_FACTS,
    Application,
    ApplicationEvent,
    Certification,
    Organization,
    PastOutcome,
)
from awards.placeholder_pdf import PLACEHOLDER_PDF
from awards.states import AppState
from awards.uscc import check_character
from jurisdictions.fact_vocabulary import DATE_FACTS, FACTS
from jurisdictions.models import Jurisdiction, Membership, Role, RuleProfile

from . import scenario_approval, scenario_committee, scenario_objections, scenario_sandbox

# A scenario's fact keys are the vocabulary's names; the yes/no and sector facts go to their record
# fields, dates are parsed, certificate facts become certificates.
FACT_FIELDS = {f.name: f.record_field for f in FACTS if f.kind in ("yes_no", "sector") and f.record_field}


class ScenarioError(ValueError):
    """The scenario cannot be run (malformed file, unknown jurisdiction, ...)."""


class _Rollback(Exception):
    pass


@dataclass
class ApplicantOutcome:
    final_state: str
    award: str | None = None
    prize_cny: int | None = None
    counts_in_quota: bool | None = None
    comprehensive_score: float | None = None
    votes: dict[str, Any] = field(default_factory=dict)
    reasons: list[dict[str, Any]] = field(default_factory=list)


def _date(value: Any, where: str) -> dt.date:
    try:
        return dt.date.fromisoformat(str(value))
    except (TypeError, ValueError) as exc:
        raise ScenarioError(f"{where}: not a date (YYYY-MM-DD): {value!r}") from exc


def _aware(day: dt.date, hour: int = 17, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def _profile_for(jurisdiction: Jurisdiction, version: str | None, close: dt.date) -> RuleProfile:
    if version:
        profile = jurisdiction.rule_profiles.filter(version=version).first()
        if profile is None:
            known = ", ".join(jurisdiction.rule_profiles.values_list("version", flat=True))
            raise ScenarioError(f"profile version {version!r} not found for {jurisdiction.slug} (known: {known})")
        return profile
    profile = jurisdiction.profile_in_force(close)
    if profile is None:
        raise ScenarioError(f"no rule profile of {jurisdiction.slug} in force on {close}")
    return profile


def _stand_in_uscc(ref: str) -> str:
    """A valid, made-up code for an applicant the file gives none for (codes are unique per tenant)."""
    digits = f"{int(hashlib.sha256(ref.encode()).hexdigest(), 16) % 10**9:09d}"
    first17 = f"91000000{digits}"
    return first17 + check_character(first17)


def _organization(jurisdiction: Jurisdiction, spec: dict, close: dt.date, actor: User) -> Organization:
    facts = spec.get("facts") or {}
    if not isinstance(facts, dict):
        raise ScenarioError(f"applicant {spec.get('ref')}: facts must be an object")
    org = Organization(jurisdiction=jurisdiction, name=spec.get("name") or spec["ref"],
                       uscc=spec.get("uscc") or _stand_in_uscc(spec["ref"]))
    for key, attr in FACT_FIELDS.items():
        if key in facts:
            setattr(org, attr, facts[key])
        elif key in DECLARATION_FACTS:
            # A scenario lists what happened; a declaration it leaves out is "nothing to declare".
            setattr(org, attr, False)
    for key in DATE_FACTS:
        if facts.get(key):
            setattr(org, key, _date(facts[key], f"applicant {spec['ref']}.facts.{key}"))
    org.save()
    org.users.add(actor)
    valid_until = close + dt.timedelta(days=365)
    if facts.get("iso9001_certified"):
        Certification.objects.create(organization=org, kind=Certification.Kind.ISO9001, number="SCENARIO",
                                     expires_on=valid_until)
    elif facts.get("qms_certified"):
        Certification.objects.create(organization=org, kind=Certification.Kind.OTHER_QMS, number="SCENARIO",
                                     expires_on=valid_until)
    for i, past in enumerate(spec.get("history") or []):
        _past_outcome(jurisdiction, org, past, f"applicant {spec['ref']}.history[{i}]")
    return org


def _past_outcome(jurisdiction: Jurisdiction, org: Organization, past: Any, where: str) -> PastOutcome:
    """One history entry: an award (`revoked`/`revoked_on` if revoked), or a disqualification before
    any award (`"award": null, "disqualified": "fraud", "decided_on"`); either may carry `serious`."""
    if not isinstance(past, dict) or "year" not in past:
        raise ScenarioError(f"{where}: an entry needs at least a year")
    serious = past.get("serious")
    if serious is not None and not isinstance(serious, bool):
        raise ScenarioError(f"{where}.serious: true, false or absent, not {serious!r}")
    record = PastOutcome(
        jurisdiction=jurisdiction,
        organization=org,
        year=int(past["year"]),
        award_code=past.get("award") or "",
        prize_cny=int(past.get("prize_cny") or 0),
        revoked=past.get("revoked") or "",
        revoked_on=_date(past["revoked_on"], f"{where}.revoked_on") if past.get("revoked_on") else None,
        disqualified=past.get("disqualified") or "",
        disqualified_on=_date(past["decided_on"], f"{where}.decided_on") if past.get("decided_on") else None,
        serious=serious,
    )
    try:
        record.full_clean(exclude=["jurisdiction", "organization"])
    except ValidationError as exc:
        raise ScenarioError(f"{where}: {'; '.join(exc.messages)}") from exc
    record.save()
    return record


def _reasons_of(app: Application, to_state: str) -> list[dict[str, Any]]:
    event = ApplicationEvent.objects.filter(application=app, to_state=to_state).order_by("-at").first()
    if event is None:
        return []
    checks = event.details.get("precheck", [])
    if to_state == AppState.INELIGIBLE:
        return [{"rule": r["rule"], "cite": r["cite"], "text": r["text"]} for r in checks if r["passed"] is False]
    if to_state == AppState.RETURNED:
        # Returned for completion: the gaps to fill, each with its article.
        return [{"rule": r["rule"], "cite": r["cite"], "text": r["text"]} for r in checks if r["status"] == "missing"]
    return [{"rule": r["rule"], "cite": r["cite"], "text": r["text"]} for r in checks if r["passed"] is not False]


def run(data: dict, profile_version: str | None = None, profile_document: dict | None = None) -> dict[str, Any]:
    """Run one scenario and roll it back. `profile_document` (a profile file's JSON, not loaded) overrides
    `profile_version`, which overrides the file's own "profile" key; by default the version in force on
    the close date decides."""
    if not isinstance(data, dict):
        raise ScenarioError("the scenario must be a JSON object")
    slug = data.get("jurisdiction")
    jurisdiction = Jurisdiction.objects.filter(slug=slug).first()
    if jurisdiction is None:
        raise ScenarioError(f"unknown jurisdiction {slug!r}")
    cycle_spec = data.get("cycle") or {}
    if "year" not in cycle_spec or "applications_close" not in cycle_spec:
        raise ScenarioError("cycle.year and cycle.applications_close are required")
    year = cycle_spec["year"]
    if isinstance(year, bool) or not isinstance(year, int) or not 1900 <= year <= 9999:
        raise ScenarioError(f"cycle.year must be a year such as 2026, not {year!r}")
    applicants = data.get("applicants")
    if not isinstance(applicants, list) or not applicants:
        raise ScenarioError("applicants must be a non-empty list")
    refs = [a.get("ref") for a in applicants if isinstance(a, dict)]
    if len(refs) != len(applicants) or None in refs or len(set(refs)) != len(refs):
        raise ScenarioError("every applicant needs a unique ref")
    close = _date(cycle_spec["applications_close"], "cycle.applications_close")
    profile = None
    if profile_document is None:
        profile = _profile_for(jurisdiction, profile_version or data.get("profile"), close)

    result: dict[str, Any] = {}
    # Uploads go to a scratch folder; mail, PDFs and tasks are queued on commit, which never comes.
    with tempfile.TemporaryDirectory() as media, override_settings(MEDIA_ROOT=media):
        try:
            with transaction.atomic():
                if profile_document is not None:
                    profile = scenario_sandbox.unsaved_profile(jurisdiction, profile_document)
                scenario_sandbox.set_aside_cycle_year(jurisdiction, year)
                scenario_sandbox.set_aside_organizations(
                    jurisdiction, [str(a.get("uscc") or _stand_in_uscc(a["ref"])) for a in applicants]
                )
                assert profile is not None  # the one in force, or built from the scenario's own document
                driven = _drive(jurisdiction, profile, cycle_spec, close, applicants, data.get("committee"),
                                data.get("objections"))
                details = {"rule_profile_details": _profile_details(profile, loaded=profile_document is None)}
                result = {key: driven[key] for key in ("jurisdiction", "rule_profile")} | details | driven
                raise _Rollback
        except _Rollback:
            pass
        except scenario_sandbox.SandboxError as exc:
            raise ScenarioError(str(exc)) from exc
    return result


def _profile_details(profile: RuleProfile, *, loaded: bool) -> dict[str, Any]:
    """Which rules the run used: `loaded` is false for a profile file run before it is loaded."""
    return {
        "version": profile.version,
        "effective_from": profile.typed.effective_from.isoformat(),
        "status": profile.typed.regulation.status,
        "loaded": loaded,
    }


def _drive(jurisdiction: Jurisdiction, profile: RuleProfile, cycle_spec: dict, close: dt.date,
           applicants: list[dict], committee_spec: Any = None, objections_spec: Any = None) -> dict[str, Any]:
    User = get_user_model()
    office = User.objects.create(username=scenario_sandbox.free_username(f"scenario-office-{jurisdiction.slug}"),
                                 is_active=False)
    Membership.objects.create(user=office, jurisdiction=jurisdiction, role=Role.OFFICE)
    close_at = _aware(close, 23, 59)
    open_at = _aware(close - dt.timedelta(days=60), 9)
    # The cycle stands alone in a what-if run: earlier real cycles must not trigger the interval rule.
    try:
        cycle = services.create_cycle(
            jurisdiction, year=int(cycle_spec["year"]), actor=office,
            applications_open_at=open_at, applications_close_at=close_at,
            quotas=cycle_spec.get("quotas") or {}, profile=profile,
            interval_override_reason="scenario",
        )
    except services.ServiceError as exc:
        raise ScenarioError(exc.message) from exc
    cycle = services.publish_cycle(cycle, office)
    rules = profile.typed
    filing_time = close_at - dt.timedelta(days=1)
    outcomes: dict[str, ApplicantOutcome] = {}
    apps: dict[str, Application] = {}
    for spec in applicants:
        ref = spec["ref"]
        category = spec.get("category") or rules.top_awards[0].code
        org = _organization(jurisdiction, spec, close, office)
        try:
            app = services.start_application(cycle, org, category, office, now=filing_time)
            services.save_draft(
                app, actor=office, overview=spec.get("overview") or f"{org.name}组织概述",
                narratives={}, recommenders=list((spec.get("facts") or {}).get("recommended_by") or []),
                now=filing_time,
            )
            # Every material the profile requires, as an applicant uploads it.
            for kind in rules.eligibility.required_materials.value:
                services.add_file(app, kind=kind, actor=office, now=filing_time,
                                  uploaded=SimpleUploadedFile(f"{kind}.pdf", PLACEHOLDER_PDF, "application/pdf"))
            services.submit(app, office, now=filing_time)
        except services.ServiceError as exc:
            raise ScenarioError(f"applicant {ref}: {exc.message}") from exc
        app.refresh_from_db()
        outcomes[ref] = _eligibility_review(app, office, close_at + dt.timedelta(days=1))
        apps[ref] = app
    _review_stages(cycle, office, applicants, apps, outcomes)
    committee = _committee_stage(cycle, office, committee_spec, apps, outcomes)
    objections = _objections_stage(cycle, office, objections_spec, apps, outcomes)
    _approval_stage(cycle, office, apps, outcomes)
    return {
        "jurisdiction": jurisdiction.slug,
        "rule_profile": profile.label,
        "applicants": {ref: vars(o) for ref, o in outcomes.items()},
        "objections": objections,
        "committee": committee,
    }


def _committee_stage(cycle, office: User, spec: Any, apps: dict[str, Application],
                     outcomes: dict[str, ApplicantOutcome]) -> dict[str, Any]:
    """The committee block through the committee's own code (orchestration/scenario_committee.py):
    each candidate on a closed round ends proposed or not selected, with its votes and reasons."""
    candidates = {ref: app for ref, app in apps.items() if outcomes[ref].final_state == AppState.CANDIDATE}
    try:
        committee = scenario_committee.run(cycle, office, spec, candidates)
    except scenario_committee.CommitteeScenarioError as exc:
        raise ScenarioError(str(exc)) from exc
    for ref, decided in scenario_committee.outcomes(cycle, candidates).items():
        outcome = outcomes[ref]
        outcome.final_state = decided["final_state"]
        outcome.award, outcome.counts_in_quota = decided["award"], decided["counts_in_quota"]
        outcome.votes = decided["votes"]
        outcome.reasons = [*outcome.reasons, *decided["reasons"]]
    return committee


def _objections_stage(cycle, office: User, spec: Any, apps: dict[str, Application],
                      outcomes: dict[str, ApplicantOutcome]) -> list[dict[str, Any]]:
    """The objections block through the publicity app (orchestration/scenario_objections.py): the
    notice is published the day after the committee's meeting; an upheld objection disqualifies."""
    published_at = timezone.make_aware(dt.datetime.combine(
        cycle.close_date + scenario_committee.MEETING_AFTER_CLOSE + dt.timedelta(days=1), dt.time(9, 0)))
    try:
        found, disqualified = scenario_objections.run(cycle, office, spec, apps, published_at)
    except scenario_objections.ObjectionScenarioError as exc:
        raise ScenarioError(str(exc)) from exc
    for ref, reasons in disqualified.items():
        outcomes[ref].final_state = AppState.DISQUALIFIED
        outcomes[ref].award, outcomes[ref].counts_in_quota = None, None
        outcomes[ref].reasons = [*outcomes[ref].reasons, *reasons]
    return found


def _approval_stage(cycle, office: User, apps: dict[str, Application], outcomes: dict[str, ApplicantOutcome]) -> None:
    """Approval, assumed given once publicity has run out (orchestration/scenario_approval.py): each
    winner ends awarded with its award, prize money and quota use, with the reasons and articles."""
    published_at = timezone.make_aware(dt.datetime.combine(
        cycle.close_date + scenario_committee.MEETING_AFTER_CLOSE + dt.timedelta(days=1), dt.time(9, 0)))
    try:
        decided = scenario_approval.run(cycle, office, apps, published_at)
    except scenario_approval.ApprovalScenarioError as exc:
        raise ScenarioError(str(exc)) from exc
    for ref, result in decided.items():
        outcome = outcomes[ref]
        outcome.final_state = result["final_state"]
        if result["final_state"] == AppState.AWARDED:
            outcome.award, outcome.prize_cny = result["award"], result["prize_cny"]
            outcome.counts_in_quota = result["counts_in_quota"]
        outcome.reasons = [*outcome.reasons, *result["reasons"]]


def _eligibility_review(app: Application, office, when: dt.datetime) -> ApplicantOutcome:
    """The office's decision as the engine advises it (eligibility.proposal): a failed condition makes
    it ineligible; missing data returns it for completion with the gaps where the profile provides
    for that (Daqing 第十三条), and otherwise counts as not met."""
    results = services.precheck(app)
    advised = eligibility.proposal(app.cycle.profile.typed, results)
    if advised == AppState.RETURNED:
        reason = "；".join(f"{r.text}（{r.cite}）" for r in eligibility.gaps(results))
        app = services.decide_eligibility(app, office, AppState.RETURNED, reason=reason, now=when,
                                          returned_until=services.completion_deadline(app, when))
    elif advised == AppState.INELIGIBLE:
        reason = "；".join(f"{r.text}（{r.cite}）" for r in eligibility.failures(results))
        app = services.decide_eligibility(app, office, AppState.INELIGIBLE, reason=reason, now=when)
    else:
        app = services.decide_eligibility(app, office, AppState.ELIGIBLE, now=when)
    return ApplicantOutcome(final_state=app.state, reasons=_reasons_of(app, app.state))


def _stage_total(app: Application, spec: dict, stage: str) -> Decimal | None:
    """A stage total from the file: the consensus total, or item percentages summed over the criteria."""
    from awards.refusals import ServiceError
    from reviews.scoring import check_percentage, criteria_of, item_points, total_of

    key = {"document": "document_score", "site": "site_score"}[stage]
    if spec.get(key) is not None:
        value, top = spec[key], app.cycle.profile.typed.scoring.total_points.value
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= top:
            raise ScenarioError(f"applicant {spec['ref']}: {key} must be a number from 0 to {top}, not {value!r}")
        return Decimal(str(value))
    items = (spec.get("item_scores") or {}).get(stage)
    if items:
        criteria = criteria_of(app)
        points = item_points(criteria)
        unknown = sorted(set(items) - set(points))
        if unknown:
            raise ScenarioError(f"applicant {spec['ref']}: unknown criterion items {unknown}")
        # A group submits its score only with a consensus on every item (scoring.submit_group_score).
        missing = [code for code in points if code not in items]
        if missing:
            raise ScenarioError(f"applicant {spec['ref']}: item_scores.{stage} lacks items {missing}")
        percentages = {}
        for code, pct in items.items():
            whole = (isinstance(pct, int) and not isinstance(pct, bool)) or (isinstance(pct, float) and pct.is_integer())
            try:
                check_percentage(int(pct) if whole else -1, criteria.percentage_step)
            except ServiceError as exc:
                raise ScenarioError(f"applicant {spec['ref']}: item_scores.{stage}.{code} = {pct!r}: "
                                    f"{exc.message}") from exc
            percentages[code] = int(pct)
        return total_of(percentages, points)
    return None


def _review_stages(cycle, office, specs: list[dict], apps: dict[str, Application],
                   outcomes: dict[str, ApplicantOutcome]) -> None:
    """Document review, shortlist, site review and comprehensive evaluation, as far as the file goes."""
    from reviews import ranking, scoring, site
    from reviews.models import Stage
    from reviews.ranked_cut import ranked_score

    def record(app: Application, stage: str, total: Decimal, ref: str) -> None:
        try:
            scoring.record_group_total(app, stage, total, office)
        except ranking.ServiceError as exc:
            raise ScenarioError(f"applicant {ref}: {exc.message}") from exc

    by_ref = {s["ref"]: s for s in specs}
    eligible = {ref: app for ref, app in apps.items() if outcomes[ref].final_state == AppState.ELIGIBLE}
    if not eligible:
        return
    totals = {ref: _stage_total(app, by_ref[ref], Stage.DOCUMENT) for ref, app in eligible.items()}
    if any(t is None for t in totals.values()):
        return  # no document scores: the run stops at eligibility
    for ref, app in eligible.items():
        record(app, Stage.DOCUMENT, ranked_score(totals[ref]), ref)
    excluded = {app.pk for ref, app in eligible.items() if by_ref[ref].get("shortlisted") is False}
    forced = {app.pk for ref, app in eligible.items() if by_ref[ref].get("shortlisted") is True}
    # Under a cap the office's own picks take places first and the ranking fills the rest; with no
    # office to choose among a tie across the cap, the tied are left out (decide_shortlist says why).
    try:
        rows = ranking.decide_shortlist(cycle, office, excluded_ids=excluded, forced_ids=forced)
    except ranking.ServiceError as exc:
        raise ScenarioError(exc.message) from exc
    shortlisted = {}
    for row in rows:
        ref = next(r for r, a in eligible.items() if a.pk == row.application.pk)
        row.application.refresh_from_db()
        outcomes[ref] = ApplicantOutcome(final_state=row.application.state, reasons=row.reasons)
        if row.application.state == AppState.SHORTLISTED:
            shortlisted[ref] = row.application
    if not shortlisted:
        return
    site_totals = {ref: _stage_total(app, by_ref[ref], Stage.SITE) for ref, app in shortlisted.items()}
    if any(t is None for t in site_totals.values()):
        return  # no site scores: the run stops at the shortlist
    for ref, app in shortlisted.items():
        record(app, Stage.SITE, ranked_score(site_totals[ref]), ref)
        if site.confirmation_required(cycle):
            # The file's site score stands for a report the applicant accepted: recorded through the
            # applicant's own confirmation, so the evaluation's wait for it is exercised too.
            visit_on = cycle.close_date + dt.timedelta(days=30)
            try:
                site.record_given_report(app, starts_on=visit_on, ends_on=visit_on, actor=office,
                                         report="现场评审报告（情景运行）")
                site.respond(app, office, confirm=True)
            except ranking.ServiceError as exc:
                raise ScenarioError(f"applicant {ref}: {exc.message}") from exc
    try:
        evaluated = ranking.comprehensive_evaluation(cycle, office)
    except ranking.ServiceError as exc:
        raise ScenarioError(exc.message) from exc
    for row in evaluated:
        ref = next(r for r, a in shortlisted.items() if a.pk == row.application.pk)
        row.application.refresh_from_db()
        outcomes[ref] = ApplicantOutcome(
            final_state=row.application.state,
            comprehensive_score=float(ranked_score(row.comprehensive_score)),
            reasons=row.reasons,
        )
