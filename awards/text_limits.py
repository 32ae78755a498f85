"""How long each kind of free text may be, enforced by the forms on the server.

Without limits one 1.5-million-character narrative made a 4.5 MB page that every reviewer then
loaded. Each limit fits its purpose: a reason is a paragraph, a criterion narrative a few pages (the
full self-assessment report is the uploaded PDF), a site report a long document.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

OVERVIEW = 3000        # the organisation overview on the application
REASON = 2000          # decisions, overrides, refusals, recusals, dispute handling
NOTE = 1000            # an explanation beside a declaration, an early-cycle reason, a tie pick
NARRATIVE = 10000      # one criterion category's narrative in the application
COMMENT = 5000         # a reviewer's strengths or opportunities for one item, an applicant's comments
SITE_REPORT = 30000    # the site review group's report


def too_long(limit: int) -> dict[str, StrOrPromise]:
    """A form field's error message for going over `limit`, in the interface's words."""
    return {"max_length": gettext_lazy("请控制在%(limit_value)d字以内（现为%(show_value)d字）。")}
