from django.contrib import admin
from django.urls import include, path
from django_otp.admin import OTPAdminSite

from saferplaces.accounts.views import auth as accounts_auth
from saferplaces.core import views as core_views

# The admin requires a verified second factor as well as a system administrator.
admin.site.__class__ = OTPAdminSite
admin.site.site_header = "SaferPlaces administration"
admin.site.site_title = "SaferPlaces administration"

urlpatterns = [
    path("", include("saferplaces.core.urls")),
    path("", include("saferplaces.accounts.urls")),
    path("staff/audit/", include("saferplaces.audit.urls")),
    path("staff/crime/", include("saferplaces.analytics.urls")),
    path("staff/neighbourhoods/", include("saferplaces.neighbourhoods.urls")),
    path("staff/assessments/", include("saferplaces.assessments.urls")),
    path("", include("saferplaces.calendar_events.urls")),  # /staff/calendar/, /calendar/*.ics
    path("staff/plans/", include("saferplaces.plans.urls")),
    path("plans/", include("saferplaces.plans.public_urls")),
    path("staff/indicators/", include("saferplaces.indicators.urls")),
    path("staff/community/", include("saferplaces.community.urls")),
    path("", include("saferplaces.community.public_urls")),  # /neighbourhoods/, /community-groups/
    path("staff/case-reviews/", include("saferplaces.casereview.urls")),
    path("case-reviews/", include("saferplaces.casereview.public_urls")),
    path("staff/concerns/", include("saferplaces.concerns.urls")),
    path("concerns/", include("saferplaces.concerns.public_urls")),
    path("staff/surveys/", include("saferplaces.surveys.urls")),
    path("surveys/", include("saferplaces.surveys.public_urls")),
    path("alerts/", include("saferplaces.alerts.public_urls")),
    path("staff/alerts/", include("saferplaces.alerts.urls")),
    path("", include("saferplaces.privacy.urls")),  # /privacy/<purpose>/, /your-data/
    # The admin has no sign-in page of its own: everyone signs in (with two-factor) here.
    path("admin/login/", accounts_auth.admin_login_view, name="admin_login_redirect"),
    path("admin/", admin.site.urls),
]

handler400 = core_views.bad_request
handler403 = core_views.permission_denied
handler404 = core_views.page_not_found
handler500 = core_views.server_error
