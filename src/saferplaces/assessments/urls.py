from django.urls import path

from saferplaces.assessments import views

app_name = "assessments"

urlpatterns = [
    path("", views.assessment_list_view, name="list"),
    path("new/", views.assessment_new_view, name="new"),
    path("<uuid:assessment_id>/", views.assessment_detail_view, name="detail"),
    path("<uuid:assessment_id>/status/", views.assessment_status_view, name="status"),
    path(
        "<uuid:assessment_id>/sections/<slug:section_key>/",
        views.assessment_section_edit_view,
        name="section_edit",
    ),
    path(
        "<uuid:assessment_id>/priorities/<slug:category>/",
        views.assessment_override_view,
        name="override",
    ),
    path(
        "<uuid:assessment_id>/public-concern/",
        views.assessment_public_concern_view,
        name="public_concern",
    ),
    path("<uuid:assessment_id>/submit/", views.assessment_submit_view, name="submit"),
    path("<uuid:assessment_id>/review/", views.assessment_review_view, name="review"),
    path(
        "<uuid:assessment_id>/download/<slug:file_format>/",
        views.assessment_download_view,
        name="download",
    ),
]
