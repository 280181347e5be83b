from django.urls import path

from saferplaces.analytics import views

app_name = "analytics"

urlpatterns = [
    path("", views.crime_data_view, name="crime_data"),
    path("profile/", views.crime_profile_view, name="crime_profile"),
]

# The crime map (saferplaces.analytics.map_views): a page and the GeoJSON its script fetches.
from saferplaces.analytics import map_views  # noqa: E402

urlpatterns += [
    path("map/", map_views.map_view, name="map"),
    path("map/geojson/", map_views.map_geojson_view, name="map_geojson"),
]
