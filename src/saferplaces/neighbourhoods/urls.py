from django.urls import path

from saferplaces.neighbourhoods import views

app_name = "neighbourhoods"

urlpatterns = [
    path("", views.neighbourhood_list_view, name="list"),
    path("new/", views.neighbourhood_create_view, name="create"),
    path("<uuid:neighbourhood_id>/", views.neighbourhood_profile_view, name="profile"),
    path("<uuid:neighbourhood_id>/edit/", views.neighbourhood_edit_view, name="edit"),
    path("<uuid:neighbourhood_id>/delete/", views.neighbourhood_delete_view, name="delete"),
    path(
        "<uuid:neighbourhood_id>/download/<slug:table>.csv",
        views.neighbourhood_csv_view,
        name="csv",
    ),
    path("<uuid:neighbourhood_id>/profile.xlsx", views.neighbourhood_xlsx_view, name="xlsx"),
    path("<uuid:neighbourhood_id>/profile.pdf", views.neighbourhood_pdf_view, name="pdf"),
]
