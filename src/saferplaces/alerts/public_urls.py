"""Residents' alert pages: no sign-in. Confirm, manage and unsubscribe are guarded by the
secret in the e-mailed link (tests/saferplaces/alerts/test_public.py)."""

from django.urls import path

from saferplaces.alerts import views

app_name = "alerts_public"

urlpatterns = [
    path("", views.signup_view, name="signup"),
    path("topics/", views.signup_topics_view, name="signup_topics"),
    path("your-email/", views.signup_email_view, name="signup_email"),
    path("check-your-email/", views.check_email_view, name="check_email"),
    path("confirm/<str:signed>/", views.confirm_view, name="confirm"),
    path("manage/<str:token>/", views.manage_view, name="manage"),
    path("unsubscribe/<str:token>/", views.unsubscribe_view, name="unsubscribe"),
]
