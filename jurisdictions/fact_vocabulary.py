"""The facts about an organisation that eligibility conditions read: the one list of them.

The profile schema takes its fact names from here, the organisation record stores each fact in the
field named here, and the applicant form, the office review page, the eligibility facts and the
scenario loader all derive their mappings from this list. A new fact is added here (and as a field
of the organisation record); nothing else lists fact names.

How a fact is *asked* is each regulation's own wording, held on the profile's condition
(``question_zh``); the labels below are neutral fall-backs for a fact no condition of a profile reads.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

FactKind = Literal["yes_no", "date", "sector", "certificate"]


@dataclass(frozen=True)
class Fact:
    name: str
    kind: FactKind
    label: StrOrPromise
    # The organisation record's field holding the answer; None for facts derived from certificates.
    record_field: str | None = None
    # Further record fields asked together with it (the local tax amount, a declaration's explanation).
    extra_fields: tuple[str, ...] = ()
    # A declaration: "yes" means the event happened and must be explained in `extra_fields[0]`.
    declaration: bool = False
    # For certificate facts: the certificate kinds that establish it (empty: any valid certificate).
    certificate_kinds: tuple[str, ...] = ()


def _declaration(name: str, label: StrOrPromise) -> Fact:
    return Fact(name, "yes_no", label, record_field=name, extra_fields=(name.replace("_last_3_years", "_note"),),
                declaration=True)


FACTS: tuple[Fact, ...] = (
    Fact("registered_in_jurisdiction", "yes_no", _("在本辖区注册登记"), record_field="registered_in_jurisdiction"),
    Fact("local_tax", "yes_no", _("税收形成的地方财政收入归属本辖区"), record_field="pays_tax_locally",
         extra_fields=("local_tax_wan",)),
    Fact("legal_person", "yes_no", _("具有独立法人资格"), record_field="legal_person"),
    Fact("established", "date", _("成立日期"), record_field="established"),
    Fact("excellence_model_since", "date", _("开始实施卓越绩效管理的时间"), record_field="excellence_model_since"),
    Fact("iso9001_certified", "certificate", _("持有有效的 ISO 9001 质量管理体系认证证书"),
         certificate_kinds=("iso9001",)),
    Fact("qms_certified", "certificate", _("持有有效的质量管理体系认证证书")),
    Fact("sector", "sector", _("产业类别"), record_field="sector"),
    # The names say "last_3_years" for history; the period each regulation asks about is in its question.
    _declaration("failed_inspections_last_3_years", _("监督检查或抽查不合格（申报）")),
    _declaration("major_accidents_last_3_years", _("发生质量、安全、环境、公共卫生等事故（申报）")),
    _declaration("major_complaints_last_3_years", _("重大投诉（申报）")),
    _declaration("administrative_penalties_last_3_years", _("受到行政处罚（申报）")),
    _declaration("export_quality_notices_last_3_years", _("出口产品因质量问题被国外通报、索赔或退运（申报）")),
    _declaration("serious_violations_last_3_years", _("其他违法违规行为（申报）")),
)

BY_NAME: dict[str, Fact] = {f.name: f for f in FACTS}
FACT_NAMES: tuple[str, ...] = tuple(BY_NAME)
DATE_FACTS: tuple[str, ...] = tuple(f.name for f in FACTS if f.kind == "date")
DECLARATION_FACTS: tuple[str, ...] = tuple(f.name for f in FACTS if f.declaration)
# Facts answered yes/no on the record; a condition reading one must say how it is asked (question_zh).
QUESTION_FACTS: frozenset[str] = frozenset(f.name for f in FACTS if f.kind == "yes_no")
