from django.urls import path

from saferplaces.surveys import views

app_name = "surveys"

urlpatterns = [
    path("", views.survey_list_view, name="list"),
    path("new/", views.survey_new_view, name="new"),
    path("<uuid:survey_id>/", views.survey_detail_view, name="detail"),
    path("<uuid:survey_id>/edit/", views.survey_edit_view, name="edit"),
    path("<uuid:survey_id>/questions/new/", views.question_new_view, name="question_new"),
    path(
        "<uuid:survey_id>/questions/<int:position>/delete/",
        views.question_delete_view,
        name="question_delete",
    ),
    path("<uuid:survey_id>/perception/", views.perception_add_view, name="perception_add"),
    path("<uuid:survey_id>/invite/", views.invite_view, name="invite"),
    path("<uuid:survey_id>/results/", views.results_view, name="results"),
    path(
        "<uuid:survey_id>/results/download/<slug:file_format>/",
        views.download_view,
        name="download",
    ),
    path("<uuid:survey_id>/publish/", views.publish_view, name="publish"),
    path("<uuid:survey_id>/indicator/", views.indicator_view, name="indicator"),
    path("<uuid:survey_id>/written-answers/", views.free_text_view, name="free_text"),
]
