"""Staff pages for residents' concerns, under /staff/concerns/."""

from django.urls import path

from saferplaces.concerns import views

app_name = "concerns"

urlpatterns = [
    path("", views.list_view, name="list"),
    path("intelligence/", views.intelligence_view, name="intelligence"),
    path("intelligence/concerns.csv", views.intelligence_csv_view, name="intelligence_csv"),
    path("<uuid:concern_id>/", views.detail_view, name="detail"),
    path("<uuid:concern_id>/photo.jpg", views.photo_view, name="photo"),
    path("<uuid:concern_id>/assign/", views.assign_view, name="assign"),
    path("<uuid:concern_id>/note/", views.note_view, name="note"),
    path("<uuid:concern_id>/close/", views.close_view, name="close"),
    path("<uuid:concern_id>/duplicate/", views.duplicate_view, name="duplicate"),
]
