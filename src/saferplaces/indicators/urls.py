from django.urls import path

from saferplaces.indicators import views

app_name = "indicators"

urlpatterns = [
    path("", views.indicator_list_view, name="list"),
    path("new/", views.indicator_new_view, name="new"),
    path("refresh/", views.indicators_refresh_view, name="refresh"),
    path("<uuid:indicator_id>/", views.indicator_detail_view, name="detail"),
    path("<uuid:indicator_id>/edit/", views.indicator_edit_view, name="edit"),
    path("<uuid:indicator_id>/values/", views.indicator_value_view, name="value"),
    path("<uuid:indicator_id>/override/", views.indicator_override_view, name="override"),
    path("exceptions/", views.exception_list_view, name="exceptions"),
    path("exceptions/<uuid:exception_id>/", views.exception_note_view, name="exception_note"),
    path("meetings/", views.meeting_list_view, name="meetings"),
    path("meetings/new/", views.meeting_new_view, name="meeting_new"),
    path("meetings/<uuid:meeting_id>/", views.meeting_detail_view, name="meeting"),
    path("meetings/<uuid:meeting_id>/edit/", views.meeting_edit_view, name="meeting_edit"),
    path(
        "meetings/<uuid:meeting_id>/items/<uuid:item_id>/action/",
        views.meeting_item_action_view,
        name="meeting_item_action",
    ),
    path("meetings/<uuid:meeting_id>/pack/", views.board_pack_view, name="board_pack"),
    path("meetings/<uuid:meeting_id>/pack/pdf/", views.board_pack_pdf_view, name="board_pack_pdf"),
    path("scrutiny/", views.scrutiny_list_view, name="scrutiny"),
    path("scrutiny/new/", views.scrutiny_edit_view, name="scrutiny_new"),
    path("scrutiny/<uuid:review_id>/", views.scrutiny_detail_view, name="scrutiny_detail"),
    path("scrutiny/<uuid:review_id>/edit/", views.scrutiny_edit_view, name="scrutiny_edit"),
    path(
        "scrutiny/<uuid:review_id>/recommendations/<uuid:recommendation_id>/",
        views.scrutiny_respond_view,
        name="scrutiny_respond",
    ),
    path("scrutiny/<uuid:review_id>/pdf/", views.scrutiny_pdf_view, name="scrutiny_pdf"),
]
