"""A reviewer's download of an application's uploaded file.

Files leave MEDIA_ROOT only through checked views. A reviewer may open the files of the
applications that reviews.groups says they may review (assigned, no conflict attested, not recused);
anything else answers 404, whether or not it exists.
"""

from __future__ import annotations

from django.http import Http404, HttpResponseBase

from awards.models import ApplicationFile
from jurisdictions.access import role_required
from jurisdictions.confidential import confidential_file
from jurisdictions.models import Role
from jurisdictions.scoping import scoped
from jurisdictions.tenant_request import SignedInRequest

from .groups import reviewable_applications


@role_required(Role.REVIEWER)
def application_file(request: SignedInRequest, pk: int, file_id: int) -> HttpResponseBase:
    reviewable = reviewable_applications(request.user, request.jurisdiction)
    record = (
        scoped(request, ApplicationFile)
        .filter(pk=file_id, application_id=pk, application__in=reviewable)
        .first()
    )
    if record is None:
        raise Http404
    return confidential_file(record.file, record.original_name, record.content_type)
