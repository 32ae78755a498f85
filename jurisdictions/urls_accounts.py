"""Site-wide account URLs (superusers and the admin); tenant logins live under /<slug>/accounts/."""


urlpatterns: list = []
