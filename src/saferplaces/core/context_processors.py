from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

# Staff pages of the work that comes from residents (their sections are on /staff/residents/).
RESIDENT_WORK_PATHS = (
    "/staff/concerns/",
    "/staff/case-reviews/",
    "/staff/surveys/",
    "/staff/community/",
    "/staff/alerts/",
)


def layout(request: HttpRequest) -> dict[str, Any]:
    """What the page layout needs: service name, current partnership, navigation."""
    from saferplaces.accounts import permissions
    from saferplaces.accounts.selectors import partnership_get_current, partnership_list_for_user

    user = getattr(request, "user", None)
    context: dict[str, Any] = {
        "service_name": settings.SAFERPLACES_SERVICE_NAME,
        **feedback(),
        "current_partnership": None,
        "navigation": [],
        "account_navigation": [],
        "signed_in": False,
    }
    fully_signed_in = (
        user is not None
        and user.is_authenticated
        and not getattr(request, "saferplaces_second_factor_pending", False)
    )
    if not fully_signed_in:
        return context

    path = request.path
    partnership = partnership_get_current(request)
    context["signed_in"] = True
    context["current_partnership"] = partnership
    navigation = [_item("Home", reverse("accounts:staff_home"), path, exact=True)]
    if partnership is not None:
        roles = permissions.roles_in_partnership(user, partnership)  # one query, then pure
        if permissions.can_view_analytics(user, partnership, roles=roles):
            # The partnership's cycle in order: the picture, places, the assessment, the plan and
            # its delivery, then the calendar. Every member reads each (see each app's permissions).
            navigation.append(_item("Crime data", reverse("analytics:crime_data"), path))
            navigation.append(_item("Neighbourhoods", reverse("neighbourhoods:list"), path))
            navigation.append(_item("Assessments", reverse("assessments:list"), path))
            navigation.append(_item("Plan", reverse("plans:list"), path))
            navigation.append(_item("Indicators", reverse("indicators:list"), path))
            navigation.append(_item("Calendar", reverse("calendar_events:month"), path))
            residents = _item("Residents", reverse("core:residents"), path)
            # The residents' apps have their own addresses; the section still shows as current.
            residents["active"] = residents["active"] or path.startswith(RESIDENT_WORK_PATHS)
            navigation.append(residents)
    # Who you are and the partnership's own records sit apart, in the account bar, so the
    # service navigation holds the work and fits on one line at 1280 px.
    account: list[dict[str, Any]] = []
    if partnership is not None:
        detail = reverse("accounts:partnership_detail", kwargs={"partnership_id": partnership.pk})
        account.append(_item("Partnership", detail, path))
    if permissions.can_view_audit_log(user):
        account.append(_item("Audit log", reverse("audit:list"), path))
    if partnership_list_for_user(user=user).count() > 1:
        account.append(_item("Switch partnership", reverse("accounts:switch_partnership"), path))
    if permissions.can_use_admin_site(user):
        account.append(_item("Administration", reverse("admin:index"), path))
    account.append(_item("Your account", reverse("accounts:account"), path))
    context["account_navigation"] = account
    context["navigation"] = navigation
    return context


def feedback() -> dict[str, str]:
    """Where feedback goes: the partnership's form, else its e-mail, else the statement's section.

    Set with SAFERPLACES_FEEDBACK_URL and SAFERPLACES_FEEDBACK_EMAIL (docs/admin-guide.md).
    """
    url = getattr(settings, "SAFERPLACES_FEEDBACK_URL", "")
    email = getattr(settings, "SAFERPLACES_FEEDBACK_EMAIL", "")
    if not url:
        url = f"mailto:{email}" if email else reverse("core:accessibility") + "#feedback"
    return {
        "feedback_url": url,
        "feedback_email": email,
        "feedback_form_url": url if not url.startswith(("mailto:", "/")) else "",
    }


def _item(text: str, href: str, path: str, exact: bool = False) -> dict[str, Any]:
    active = path == href if exact else path.startswith(href)
    return {"text": text, "href": href, "active": active, "current": path == href}
