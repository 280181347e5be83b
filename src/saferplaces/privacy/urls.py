"""Privacy notices per purpose and residents' subject access and erasure: all public. The
pages under /your-data/<link>/ are guarded by the signed 1-hour link
(tests/saferplaces/privacy/test_views.py)."""

from django.urls import path

from saferplaces.privacy import views

app_name = "privacy"

urlpatterns = [
    path("privacy/<slug:key>/", views.purpose_view, name="purpose"),
    path("your-data/", views.request_view, name="request"),
    path("your-data/check-your-email/", views.request_sent_view, name="request_sent"),
    path("your-data/<str:signed>/", views.subject_view, name="subject"),
    path("your-data/<str:signed>/download/", views.download_view, name="download"),
    path("your-data/<str:signed>/delete/", views.erase_view, name="erase"),
]
