from django.apps import AppConfig


class CalendarEventsConfig(AppConfig):
    # Not "calendar": the app must never shadow Python's own ``calendar`` module.
    name = "saferplaces.calendar_events"
    label = "calendar_events"
    verbose_name = "Partnership calendar"
