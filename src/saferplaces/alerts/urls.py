from django.urls import path

from saferplaces.alerts import views

app_name = "alerts"

urlpatterns = [
    path("", views.alert_list_view, name="list"),
    path("new/", views.alert_new_view, name="new"),
]
