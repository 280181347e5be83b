"""Staff pages of the ASB case review (the Community Trigger)."""

from django.urls import path

from saferplaces.casereview import views

app_name = "casereview"

urlpatterns = [
    path("", views.list_view, name="list"),
    path("settings/", views.settings_view, name="settings"),
    path("<uuid:case_review_id>/", views.detail_view, name="detail"),
    path("<uuid:case_review_id>/threshold/", views.threshold_view, name="threshold"),
    path("<uuid:case_review_id>/review/", views.review_view, name="review"),
    path(
        "<uuid:case_review_id>/recommendation/", views.recommendation_view, name="recommendation"
    ),  # fmt: skip
    path("<uuid:case_review_id>/outcome/", views.outcome_view, name="outcome"),
    path("<uuid:case_review_id>/appeal/", views.appeal_decide_view, name="appeal_decide"),
]
