"""Residents' pages: no sign-in."""

from django.urls import path

from saferplaces.community import public_views

app_name = "community_public"

urlpatterns = [
    path("neighbourhoods/", public_views.neighbourhood_index_view, name="neighbourhoods"),
    path(
        "neighbourhoods/<uuid:neighbourhood_id>/you-said-we-did/",
        public_views.you_said_view,
        name="you_said",
    ),
    path("community-groups/", public_views.public_groups_view, name="groups"),
]
