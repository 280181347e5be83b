"""The resident's pages of the ASB case review: no sign-in."""

from django.urls import path

from saferplaces.casereview import public_views

app_name = "casereview_public"

urlpatterns = [
    path("", public_views.start_view, name="start"),
    path("ask/check/", public_views.check_view, name="check"),
    path("ask/<slug:step>/", public_views.step_view, name="step"),
    path("sent/", public_views.sent_view, name="sent"),
    path("figures/", public_views.figures_view, name="figures"),
    path("figures.csv", public_views.figures_csv_view, name="figures_csv"),
    path("appeal/<uuid:token>/", public_views.appeal_view, name="appeal"),
]
