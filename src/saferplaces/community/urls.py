from django.urls import path

from saferplaces.community import views

app_name = "community"

urlpatterns = [
    path("", views.register_view, name="register"),
    path("new/", views.group_new_view, name="group_new"),
    path("capacity/", views.capacity_view, name="capacity"),
    path("groups/<uuid:group_id>/", views.group_detail_view, name="group"),
    path("groups/<uuid:group_id>/edit/", views.group_edit_view, name="group_edit"),
    path("groups/<uuid:group_id>/withdraw/", views.group_withdraw_view, name="group_withdraw"),
    path("forums/", views.forum_list_view, name="forums"),
    path("forums/new/", views.forum_new_view, name="forum_new"),
    path("forums/<uuid:forum_id>/", views.forum_detail_view, name="forum"),
    path("forums/<uuid:forum_id>/meetings/new/", views.meeting_new_view, name="meeting_new"),
    path("meetings/<uuid:meeting_id>/", views.meeting_detail_view, name="meeting"),
    path("meetings/<uuid:meeting_id>/issues/new/", views.issue_new_view, name="issue_new"),
    path("issues/<uuid:issue_id>/edit/", views.issue_edit_view, name="issue_edit"),
    path("pages/<uuid:neighbourhood_id>/publish/", views.page_publish_view, name="page_publish"),
]
