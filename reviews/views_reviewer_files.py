"""A reviewer's download of an application's uploaded file.

Files leave MEDIA_ROOT only through checked views. A reviewer may open the files of the
applications that reviews.groups says they may review (assigned, no conflict attested, not recused);
anything else answers 404, whether or not it exists.
"""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpRequest, HttpResponse

from awards.models import ApplicationFile
from jurisdictions.access import role_required
from jurisdictions.confidential import confidential
from jurisdictions.models import Role
from jurisdictions.scoping import scoped

from .groups import reviewable_applications


@role_required(Role.REVIEWER)
def application_file(request: HttpRequest, pk: int, file_id: int) -> HttpResponse:
    reviewable = reviewable_applications(request.user, request.jurisdiction)
    record = (
        scoped(request, ApplicationFile)
        .filter(pk=file_id, application_id=pk, application__in=reviewable)
        .first()
    )
    if record is None:
        raise Http404
    try:
        handle = record.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(
        handle, as_attachment=True, filename=record.original_name, content_type=record.content_type
    )
    return confidential(response)
