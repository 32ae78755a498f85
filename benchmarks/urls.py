"""The site's URLs plus the ceiling: a bare Django view returning a constant string.

It runs under the same server and the same middleware as every page, so a page's requests per
second divided by the ceiling's says how much of the server's capacity the page itself costs.
"""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from config.urls import handler404, handler500  # noqa: F401
from config.urls import urlpatterns as site_urlpatterns


def ceiling(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench-ceiling/", ceiling, name="bench-ceiling"), *site_urlpatterns]
