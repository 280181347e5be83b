"""Residents' survey pages: no sign-in."""

from django.urls import path

from saferplaces.surveys import views

app_name = "surveys_public"

urlpatterns = [
    path("", views.public_list_view, name="list"),
    path("<uuid:survey_id>/", views.answer_view, name="answer"),
    path("<uuid:survey_id>/thank-you/", views.thanks_view, name="thanks"),
    path("<uuid:survey_id>/results/", views.public_results_view, name="results"),
    path("invitation/<str:token>/", views.invitation_view, name="invitation"),
]
