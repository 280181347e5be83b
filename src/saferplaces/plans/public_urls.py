"""The resident-facing summary of a published plan: no sign-in."""

from django.urls import path

from saferplaces.plans import views

app_name = "plans_public"

urlpatterns = [
    path("<uuid:plan_id>/", views.public_summary_view, name="summary"),
    path("<uuid:plan_id>/leaflet.pdf", views.public_leaflet_view, name="leaflet"),
]
