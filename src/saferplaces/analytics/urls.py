from django.urls import path

from saferplaces.analytics import views

app_name = "analytics"

urlpatterns = [
    path("", views.crime_data_view, name="crime_data"),
    path("profile/", views.crime_profile_view, name="crime_profile"),
]
