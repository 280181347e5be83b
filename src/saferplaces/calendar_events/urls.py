from django.urls import path

from saferplaces.calendar_events import views

app_name = "calendar_events"

# Mounted at the site root: staff pages under /staff/calendar/, the feeds under /calendar/
# (a calendar client fetches those without a session).
urlpatterns = [
    path("staff/calendar/", views.calendar_month_view, name="month"),
    path("staff/calendar/list/", views.calendar_list_view, name="list"),
    path("staff/calendar/new/", views.event_create_view, name="create"),
    path("staff/calendar/subscribe/", views.calendar_subscribe_view, name="subscribe"),
    path("staff/calendar/<uuid:event_id>/", views.event_detail_view, name="detail"),
    path("staff/calendar/<uuid:event_id>/edit/", views.event_edit_view, name="edit"),
    path("staff/calendar/<uuid:event_id>/delete/", views.event_delete_view, name="delete"),
    path("calendar/<uuid:partnership_id>/public.ics", views.public_feed_view, name="public_feed"),
    path("calendar/feed/<slug:token>.ics", views.private_feed_view, name="private_feed"),
]
