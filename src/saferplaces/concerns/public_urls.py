"""The resident's pages, under /concerns/: no sign-in."""

from django.urls import path

from saferplaces.concerns import public_views as views

app_name = "concerns_public"

urlpatterns = [
    path("", views.start_view, name="start"),
    path("what/", views.what_view, name="what"),
    path("where/", views.where_view, name="where"),
    path("when/", views.when_view, name="when"),
    path("description/", views.description_view, name="description"),
    path("photo/", views.photo_view, name="photo"),
    path("contact/", views.contact_view, name="contact"),
    path("check/", views.check_view, name="check"),
    path("confirmation/", views.confirmation_view, name="confirmation"),
    path("find/", views.find_view, name="find"),
    path("status/<str:token>/", views.status_view, name="status"),
    path("status/<str:token>/reopen/", views.reopen_view, name="reopen"),
]
