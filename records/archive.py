"""A cycle's complete archive as one .zip: a JSON file per table, every document under documents/.

What it holds: manifest.json (cycle, jurisdiction, the pinned profile version and its document, when
and by whom exported, what each part counts); the organisations and applications with their states,
eligibility reasons and files; the review (groups, assignments, statements, item scores, score
sheets, consensus, stage results, site visits, evaluations); the committee's meetings, attendance and
rounds with each candidate's tally; the publicity notices and objections; the approval, prizes and
certificates with the signed PDFs; the after-award duties and sanctions where those apps hold rows;
and the history (application events, cycle events, the audit rows of simple_history).

What it leaves out, on purpose: every ballot and vote receipt (the secret ballot: the tallies are
the record, and nothing may join a member to a choice); the objector's identity (name, ID number in
any form, contact, e-mail, address, the secret code's hash), the files an objector supplied and the
letters addressed to the objector, which name them (publicity/identity.py; their size and SHA-256
are listed so the record shows they exist).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import zipfile
from collections.abc import Iterable, Set
from importlib import import_module
from typing import Any

from django.apps import apps as django_apps
from django.contrib.auth.models import User
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone

from awards.models import (
    Application,
    ApplicationEvent,
    ApplicationFile,
    AwardCycle,
    CycleQuota,
    GeneratedDocument,
)
from awards.workflow import cycle_events
from committee.models import Attendance, Meeting, Round, RoundCandidate
from honours.models import Approval, Certificate, HonourClaim, Prize
from jurisdictions.people import person_name
from publicity.models import Notice, NoticeEntry, Objection, ObjectionEvent, ObjectionFile, ObjectionLetter
from reviews.models import (
    Assignment,
    Attestation,
    ConsensusItem,
    Evaluation,
    GroupMember,
    ItemScore,
    ReviewDocument,
    ReviewGroup,
    ScoreSheet,
    SiteVisit,
    StageResult,
)

# The objector's identity never leaves the database in an archive.
OBJECTOR_IDENTITY = {"name", "id_number_encrypted", "id_number_masked", "contact", "email", "address", "secret_hash"}
# Files an objector supplied (an evidence letter or a sealed objection names them).
OBJECTOR_FILES = {ObjectionFile.Kind.EVIDENCE, ObjectionFile.Kind.SEAL_LETTER, ObjectionFile.Kind.OBJECTOR_EVIDENCE}
# Apps built beside this one; the archive takes their rows of the cycle where their models exist.
AFTER_AWARD_APPS = ("duties", "sanctions")


def _value(field: models.Field, obj: models.Model) -> Any:
    value = field.value_from_object(obj)
    if isinstance(field, models.FileField):
        return value.name if value else ""
    if isinstance(value, memoryview | bytes):
        return None  # binary content goes under documents/, never into the JSON
    return value


def rows(queryset: Iterable[models.Model], exclude: Set[str] = frozenset()) -> list[dict[str, Any]]:
    out = []
    for obj in queryset:
        row = {}
        for field in obj._meta.concrete_fields:
            if field.name in exclude or isinstance(field, models.BinaryField):
                continue
            row[field.attname] = _value(field, obj)
        out.append(row)
    return out


class ArchiveWriter:
    """Writes the zip: JSON parts and documents, counting what each part holds."""

    def __init__(self, zf: zipfile.ZipFile) -> None:
        self.zf = zf
        self.counts: dict[str, int] = {}

    def json(self, name: str, data: Any, count: int | None = None) -> None:
        self.zf.writestr(name, json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=1))
        if count is not None:
            self.counts[name] = count

    def table(self, name: str, queryset: Iterable[models.Model], exclude: Set[str] = frozenset()) -> list[dict]:
        data = rows(queryset, exclude)
        self.json(name, data, len(data))
        return data

    def document(self, path: str, content: bytes) -> dict[str, Any]:
        self.zf.writestr(path, content)
        self.counts["documents"] = self.counts.get("documents", 0) + 1
        return {"path": path, "size": len(content), "sha256": hashlib.sha256(content).hexdigest()}


def _read(field_file) -> bytes | None:
    if not field_file:
        return None
    try:
        with field_file.open("rb") as handle:
            return handle.read()
    except OSError:
        return None


def _history(model: type[models.Model], **lookup: Any) -> Iterable[models.Model]:
    manager = getattr(model, "history", None)
    if manager is None:
        return []
    return manager.filter(**lookup).order_by("history_date", "history_id")


def _after_award(writer: ArchiveWriter, cycle: AwardCycle, app_ids: list[int]) -> list[str]:
    """Rows of the duties and sanctions apps that belong to this cycle (by cycle or application).
    Returns the apps whose models were not there to take from."""
    missing = []
    for label in AFTER_AWARD_APPS:
        try:
            config = django_apps.get_app_config(label)
            import_module(f"{label}.models")
        except (LookupError, ImportError):
            missing.append(label)
            continue
        app_models = [m for m in config.get_models() if not m.__name__.startswith("Historical")]
        if not app_models:
            missing.append(label)
            continue
        for model in app_models:
            names = {f.name for f in model._meta.concrete_fields}
            base = model._base_manager
            if "cycle" in names:
                queryset = base.filter(cycle=cycle)
            elif "application" in names:
                queryset = base.filter(application_id__in=app_ids)
            elif "organization" in names and "jurisdiction" in names:
                queryset = base.filter(organization__applications__cycle=cycle).distinct()
            else:
                continue
            writer.table(f"{label}/{model.__name__.lower()}.json", queryset.order_by("pk"))
    return missing


def build(cycle: AwardCycle, actor: User | None, now: dt.datetime | None = None) -> tuple[bytes, dict[str, int]]:
    """The archive of one cycle, as bytes, and the counts per part. Reads with scopes disabled by the caller."""
    now = now or timezone.now()
    buffer = io.BytesIO()
    apps_qs = Application.objects.filter(cycle=cycle).select_related("organization").order_by("pk")
    app_list = list(apps_qs)
    app_ids = [a.pk for a in app_list]
    by_app = {"application_id__in": app_ids}
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        w = ArchiveWriter(zf)
        # Applications and their organisations.
        w.table("applications.json", app_list)
        orgs = {a.organization_id: a.organization for a in app_list}
        w.table("organizations.json", [orgs[k] for k in sorted(orgs)])
        eligibility = [{"application_id": e.application_id, "number": next(
            (a.number for a in app_list if a.pk == e.application_id), ""), "to_state": e.to_state, "at": e.at,
            "reason": e.reason, "rule": e.rule, "cite": e.cite, "details": e.details}
            for e in ApplicationEvent.objects.filter(**by_app, to_state__in=["eligible", "ineligible", "returned"])
            .order_by("at", "pk")]
        w.json("eligibility.json", eligibility, len(eligibility))
        w.table("cycle_quotas.json", CycleQuota.objects.filter(cycle=cycle).order_by("pk"))
        files = []
        for f in ApplicationFile.objects.filter(**by_app).order_by("pk"):
            row = rows([f])[0]
            content = _read(f.file)
            if content is not None:
                ext = f.file.name.rsplit(".", 1)[-1] if "." in f.file.name else "bin"
                row["archived"] = w.document(f"documents/applications/{f.application_id}/{f.kind}-{f.pk}.{ext}", content)
            files.append(row)
        w.json("application_files.json", files, len(files))
        generated = []
        for d in GeneratedDocument.objects.filter(**by_app).order_by("pk"):
            row = rows([d])[0]
            row["archived"] = w.document(f"documents/generated/{d.application_id}/{d.kind}.pdf", bytes(d.pdf))
            generated.append(row)
        w.json("generated_documents.json", generated, len(generated))

        # The review.
        w.table("reviews/groups.json", ReviewGroup.objects.filter(cycle=cycle).order_by("pk"))
        w.table("reviews/group_members.json", GroupMember.objects.filter(group__cycle=cycle).order_by("pk"))
        w.table("reviews/assignments.json", Assignment.objects.filter(**by_app).order_by("pk"))
        w.table("reviews/attestations.json", Attestation.objects.filter(**by_app).order_by("pk"))
        w.table("reviews/item_scores.json", ItemScore.objects.filter(**by_app).order_by("pk"))
        w.table("reviews/score_sheets.json", ScoreSheet.objects.filter(**by_app).order_by("pk"))
        w.table("reviews/consensus_items.json", ConsensusItem.objects.filter(**by_app).order_by("pk"))
        w.table("reviews/stage_results.json", StageResult.objects.filter(**by_app).order_by("pk"))
        w.table("reviews/site_visits.json", SiteVisit.objects.filter(**by_app).order_by("pk"))
        w.table("reviews/evaluations.json", Evaluation.objects.filter(**by_app).order_by("pk"))
        review_docs = []
        for rd in ReviewDocument.objects.filter(**by_app).order_by("pk"):
            row = rows([rd])[0]
            row["archived"] = w.document(f"documents/review/{rd.application_id}/{rd.kind}.pdf", bytes(rd.pdf))
            review_docs.append(row)
        w.json("reviews/documents.json", review_docs, len(review_docs))

        # The committee: meetings, attendance, rounds and each candidate's tally; never a ballot.
        w.table("committee/meetings.json", Meeting.objects.filter(cycle=cycle).order_by("pk"))
        w.table("committee/attendance.json", Attendance.objects.filter(meeting__cycle=cycle).order_by("pk"))
        w.table("committee/rounds.json", Round.objects.filter(meeting__cycle=cycle).order_by("pk"))
        w.table("committee/tallies.json", RoundCandidate.objects.filter(round__meeting__cycle=cycle).order_by("pk"))

        # Publicity, with the objector's identity left out.
        notices = []
        for n in Notice.objects.filter(cycle=cycle).order_by("pk"):
            row = rows([n])[0]
            if n.pdf:
                row["archived"] = w.document(f"documents/publicity/notice-{n.pk}.pdf", bytes(n.pdf))
            notices.append(row)
        w.json("publicity/notices.json", notices, len(notices))
        w.table("publicity/notice_entries.json", NoticeEntry.objects.filter(notice__cycle=cycle).order_by("pk"))
        objections = Objection.objects.filter(notice__cycle=cycle).order_by("pk")
        w.table("publicity/objections.json", objections, exclude=OBJECTOR_IDENTITY)
        w.table("publicity/objection_events.json", ObjectionEvent.objects.filter(objection__in=objections).order_by("pk"))
        obj_files = []
        for of in ObjectionFile.objects.filter(objection__in=objections).order_by("pk"):
            row = rows([of], exclude={"original_name"})[0]
            if of.kind in OBJECTOR_FILES:
                row["file"] = ""
                row["omitted"] = "objector"
            else:
                content = _read(of.file)
                if content is not None:
                    row["archived"] = w.document(f"documents/publicity/objection-{of.objection_id}-{of.pk}.pdf",
                                                 content)
            obj_files.append(row)
        w.json("publicity/objection_files.json", obj_files, len(obj_files))
        w.table("publicity/objection_letters.json", ObjectionLetter.objects.filter(objection__in=objections)
                .order_by("pk"))

        # The approval, prizes, certificates (the signed PDFs).
        approvals = []
        for a in Approval.objects.filter(cycle=cycle):
            row = rows([a])[0]
            content = _read(a.document)
            if content is not None:
                row["archived"] = w.document(f"documents/approval/{a.document.name.rsplit('/', 1)[-1]}", content)
            approvals.append(row)
        w.json("honours/approval.json", approvals, len(approvals))
        w.table("honours/prizes.json", Prize.objects.filter(**by_app).order_by("pk"))
        w.table("honours/honour_claims.json", HonourClaim.objects.filter(cycle=cycle).order_by("pk"))
        certs = []
        for c in Certificate.objects.filter(**by_app).order_by("pk"):
            row = rows([c])[0]
            if c.pdf:
                row["archived"] = w.document(f"documents/certificates/{c.serial}.pdf", bytes(c.pdf))
            certs.append(row)
        w.json("honours/certificates.json", certs, len(certs))

        missing_apps = _after_award(w, cycle, app_ids)

        # The history.
        w.table("history/application_events.json", ApplicationEvent.objects.filter(**by_app).order_by("at", "pk"))
        events = [{"at": e.at, "from_state": e.from_state, "to_state": e.to_state,
                   "actor_id": e.actor.pk if e.actor else None, "actor": person_name(e.actor) if e.actor else "",
                   "reason": e.reason} for e in cycle_events(cycle)]
        w.json("history/cycle_events.json", events, len(events))
        w.table("history/cycle.json", _history(AwardCycle, id=cycle.pk))
        w.table("history/applications.json", _history(Application, cycle_id=cycle.pk))
        for model, name in ((ItemScore, "item_scores"), (ScoreSheet, "score_sheets"), (StageResult, "stage_results"),
                            (Evaluation, "evaluations"), (Assignment, "assignments"), (Attestation, "attestations")):
            w.table(f"history/{name}.json", _history(model, **by_app))

        profile = cycle.profile
        w.json("manifest.json", {
            "cycle": {"id": cycle.pk, "year": cycle.year, "title": cycle.title, "state": cycle.state},
            "jurisdiction": {"slug": cycle.jurisdiction.slug, "name": cycle.jurisdiction.name_zh},
            "profile": {"version": profile.version, "name": profile.version_name, "document": profile.document},
            "exported_at": now,
            "exported_by": {"id": actor.pk if actor else None, "name": person_name(actor) if actor else ""},
            "counts": w.counts,
            "not_included": {
                "committee_ballots": "secret ballot: tallies only",
                "objector_identity": sorted(OBJECTOR_IDENTITY),
                "objector_files_and_letters": "listed with size and SHA-256 only",
                "apps_without_models": missing_apps,
            },
        })
    return buffer.getvalue(), w.counts
