from django.urls import path

from saferplaces.plans import views

app_name = "plans"

urlpatterns = [
    path("", views.plan_list_view, name="list"),
    path("new/", views.plan_new_view, name="new"),
    path("<uuid:plan_id>/", views.plan_detail_view, name="detail"),
    path("<uuid:plan_id>/edit/", views.plan_edit_view, name="edit"),
    path("<uuid:plan_id>/priorities/new/", views.priority_new_view, name="priority_new"),
    path(
        "<uuid:plan_id>/priorities/from-assessment/",
        views.priorities_from_assessment_view,
        name="from_assessment",
    ),
    path(
        "<uuid:plan_id>/priorities/<uuid:priority_id>/edit/",
        views.priority_edit_view,
        name="priority_edit",
    ),
    path(
        "<uuid:plan_id>/priorities/<uuid:priority_id>/objectives/new/",
        views.objective_new_view,
        name="objective_new",
    ),
    path(
        "<uuid:plan_id>/objectives/<uuid:objective_id>/edit/",
        views.objective_edit_view,
        name="objective_edit",
    ),
    path(
        "<uuid:plan_id>/priorities/<uuid:priority_id>/actions/new/",
        views.action_new_view,
        name="action_new",
    ),
    path(
        "<uuid:plan_id>/actions/<uuid:action_id>/edit/", views.action_edit_view, name="action_edit"
    ),
    path(
        "<uuid:plan_id>/actions/<uuid:action_id>/milestones/new/",
        views.milestone_new_view,
        name="milestone_new",
    ),
    path(
        "<uuid:plan_id>/milestones/<uuid:milestone_id>/edit/",
        views.milestone_edit_view,
        name="milestone_edit",
    ),
    path(
        "<uuid:plan_id>/actions/<uuid:action_id>/progress/",
        views.progress_new_view,
        name="progress_new",
    ),
    path("<uuid:plan_id>/submit/", views.plan_submit_view, name="submit"),
    path("<uuid:plan_id>/approve/", views.plan_approve_view, name="approve"),
    path("<uuid:plan_id>/publish/", views.plan_publish_view, name="publish"),
    path(
        "<uuid:plan_id>/download/<slug:file_format>/",
        views.plan_download_view,
        name="download",
    ),
]
