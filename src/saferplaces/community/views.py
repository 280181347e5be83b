"""Community network, capacity, forums and published pages (staff); thin over the services.

Each view finds its object through a selector (404 when it is not visible), asks the permission
predicates (403 when visible but not allowed) and calls one service.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from saferplaces.accounts.decorators import sign_in_required
from saferplaces.accounts.selectors import partnership_and_roles_current
from saferplaces.community import crime, permissions, selectors, services
from saferplaces.community.forms import (
    ForumForm,
    GroupForm,
    IssueForm,
    MeetingForm,
    WithdrawForm,
)
from saferplaces.community.models import GroupKind, PublishedPage
from saferplaces.core.exceptions import ApplicationError
from saferplaces.core.forms_govuk import posted

GET_POST = ["GET", "HEAD", "POST"]
OTHER_KINDS = {GroupKind.GROUP, GroupKind.RESIDENTS}


def _current(request: HttpRequest) -> tuple[Any, set[str]]:
    partnership, roles = partnership_and_roles_current(request, permissions.NOT_ALLOWED_VIEW)
    if not permissions.can_view_network(request.user, roles=roles):
        raise PermissionDenied(permissions.NOT_ALLOWED_VIEW)
    return partnership, roles


def _neighbourhoods(request: HttpRequest, partnership: Any) -> list[Any]:
    from saferplaces.neighbourhoods.selectors import neighbourhood_list_visible

    return list(neighbourhood_list_visible(user=request.user, partnership=partnership))


# --- the register ------------------------------------------------------------------------------


@sign_in_required
@require_safe
def register_view(request: HttpRequest) -> HttpResponse:
    partnership, roles = _current(request)
    groups = list(
        selectors.group_list_visible(user=request.user, partnership=partnership, roles=roles)
    )
    names = selectors.lsoa_names(partnership=partnership)
    rows = [{"group": g, "area": selectors.area_words(g.lsoa_codes, names)} for g in groups]
    totals = {label: sum(1 for g in groups if g.kind == kind) for kind, label in GroupKind.choices}
    return render(
        request,
        "community/register.html",
        {
            "partnership": partnership,
            "rows": rows,
            "totals": totals,
            "members": sum(g.members_count or 0 for g in groups),
            "can_record": permissions.can_record_group(request.user, roles=roles),
        },
    )


def _group_form(
    request: HttpRequest, partnership: Any, roles: set[str], **kwargs: Any
) -> GroupForm:
    from saferplaces.neighbourhoods.selectors import partnership_lsoas

    return GroupForm(
        posted(request),
        organisations=selectors.owner_choices(
            user=request.user, partnership=partnership, roles=roles
        ),
        neighbourhoods=_neighbourhoods(request, partnership),
        lsoas=partnership_lsoas(partnership=partnership),
        **kwargs,
    )


def _wards(partnership: Any) -> list[dict[str, Any]]:
    from saferplaces.neighbourhoods.selectors import lsoas_by_ward

    return lsoas_by_ward(partnership=partnership)


def _fields(form: GroupForm) -> dict[str, Any]:
    data = dict(form.cleaned_data)
    data.pop("owner_organisation", None)
    return data


@sign_in_required
@require_http_methods(GET_POST)
def group_new_view(request: HttpRequest) -> HttpResponse:
    partnership, roles = _current(request)
    if not permissions.can_record_group(request.user, roles=roles):
        raise PermissionDenied(permissions.NOT_ALLOWED_EDIT)
    form = _group_form(request, partnership, roles)
    if request.method == "POST" and form.is_valid():
        try:
            group = services.group_create(
                partnership=partnership, by=request.user, roles=roles,
                owner_organisation=form.cleaned_data["owner_organisation"], **_fields(form),
            )  # fmt: skip
        except ApplicationError as error:
            error.add_to(form, "name")
        else:
            messages.success(request, f"Recorded: {group.name}.")
            return redirect("community:group", group_id=group.pk)
    return render(
        request,
        "community/group_form.html",
        {"form": form, "partnership": partnership, "group": None, "wards": _wards(partnership),
         "chosen": set(form["lsoa_codes"].value() or [])},
    )  # fmt: skip


def _group_for_editor(request: HttpRequest, group_id: Any) -> tuple[Any, Any, set[str]]:
    partnership, roles = _current(request)
    group = selectors.group_get_visible(
        user=request.user, partnership=partnership, roles=roles, group_id=group_id
    )
    writers = selectors.writer_organisation_ids(user=request.user, partnership=partnership)
    if not permissions.can_edit_group(
        request.user, roles=roles, writer_organisation_ids=writers,
        owner_id=group.owner_organisation_id,
    ):  # fmt: skip
        raise PermissionDenied(permissions.NOT_ALLOWED_EDIT)
    return partnership, group, roles


@sign_in_required
@require_safe
def group_detail_view(request: HttpRequest, group_id: Any) -> HttpResponse:
    partnership, roles = _current(request)
    group = selectors.group_get_visible(
        user=request.user, partnership=partnership, roles=roles, group_id=group_id
    )
    names = selectors.lsoa_names(partnership=partnership)
    personal = selectors.group_personal_data(
        user=request.user, group=group, roles=roles, request=request
    )
    return render(
        request,
        "community/group_detail.html",
        {
            "partnership": partnership,
            "group": group,
            "areas": [
                names.get(code, {"name": code, "code": code, "ward": ""}) | {"code": code}
                for code in group.lsoa_codes
            ],  # fmt: skip
            "personal": personal,
            "can_edit": personal is not None,
        },
    )


@sign_in_required
@require_http_methods(GET_POST)
def group_edit_view(request: HttpRequest, group_id: Any) -> HttpResponse:
    partnership, group, roles = _group_for_editor(request, group_id)
    initial = {
        "kind": group.kind, "name": group.name, "description": group.description,
        "owner_organisation": str(group.owner_organisation_id),
        "neighbourhood": str(group.neighbourhood_id or ""),
        "lsoa_codes": [] if group.neighbourhood_id else group.lsoa_codes,
        "members_count": group.members_count,
        "listed_publicly": "yes" if group.listed_publicly else "no",
        "coordinator_name": group.coordinator_name, "coordinator_email": group.coordinator_email,
        "coordinator_phone": group.coordinator_phone,
        "consent_given_on": group.consent_given_on.strftime("%d/%m/%Y")
        if group.consent_given_on else "",
        "consent_wording": group.consent_wording or None,
        "review_date": group.review_date.strftime("%d/%m/%Y"),
    }  # fmt: skip
    if not group.consent_wording:
        initial.pop("consent_wording")
    form = _group_form(request, partnership, roles, initial=initial)
    if request.method == "GET" and group.has_personal_data:
        # The form shows the coordinator's details: that is a view of personal data.
        selectors.group_personal_data(user=request.user, group=group, roles=roles, request=request)
    if request.method == "POST" and form.is_valid():
        try:
            services.group_update(
                group=group, by=request.user, roles=roles,
                owner_organisation=form.cleaned_data["owner_organisation"], **_fields(form),
            )  # fmt: skip
        except ApplicationError as error:
            error.add_to(form, "name")
        else:
            messages.success(request, "Saved.")
            return redirect("community:group", group_id=group.pk)
    return render(
        request,
        "community/group_form.html",
        {"form": form, "partnership": partnership, "group": group, "wards": _wards(partnership),
         "chosen": set(form["lsoa_codes"].value() or [])},
    )  # fmt: skip


@sign_in_required
@require_http_methods(GET_POST)
def group_withdraw_view(request: HttpRequest, group_id: Any) -> HttpResponse:
    partnership, group, roles = _group_for_editor(request, group_id)
    form = WithdrawForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.group_withdraw_consent(group=group, by=request.user, roles=roles)
        except ApplicationError as error:
            messages.info(request, error.message)
        else:
            messages.success(
                request, "Consent withdrawn: the coordinator's details have been removed."
            )
        return redirect("community:group", group_id=group.pk)
    return render(
        request,
        "community/withdraw.html",
        {"form": form, "group": group, "partnership": partnership},
    )


# --- capacity beside crime ----------------------------------------------------------------------


def capacity_rows(
    partnership: Any, groups: list[Any], crime_data: dict[str, Any]
) -> dict[str, Any]:
    """Per LSOA and per neighbourhood: crimes and ASB beside champions, schemes and groups."""
    cover: dict[str, dict[str, int]] = {}
    for group in groups:
        kind = "champions" if group.kind == GroupKind.CHAMPION else (
            "watch" if group.kind == GroupKind.WATCH else "groups")  # fmt: skip
        for code in group.lsoa_codes:
            cover.setdefault(code, {"champions": 0, "watch": 0, "groups": 0})[kind] += 1
    empty = {"champions": 0, "watch": 0, "groups": 0}
    lsoas = [
        row | cover.get(row["code"], empty) | {"covered": row["code"] in cover}
        for row in crime_data.get("lsoas", [])
    ]
    lsoas.sort(key=lambda r: (-r["crimes"], r["name"]))
    return {"lsoas": lsoas, "covered": set(cover)}


@sign_in_required
@require_safe
def capacity_view(request: HttpRequest) -> HttpResponse:
    partnership, roles = _current(request)
    groups = list(
        selectors.group_list_visible(user=request.user, partnership=partnership, roles=roles)
    )
    crime_data = crime.partnership_crime(partnership)
    table = capacity_rows(partnership, groups, crime_data)
    by_code = {row["code"]: row for row in table["lsoas"]}
    neighbourhoods = []
    for n in _neighbourhoods(request, partnership):
        rows = [by_code[c] for c in n.lsoa_codes if c in by_code]
        covering = [g for g in groups if set(g.lsoa_codes) & set(n.lsoa_codes)]
        neighbourhoods.append({
            "neighbourhood": n,
            "crimes": sum(r["crimes"] for r in rows),
            "asb": sum(r["asb"] for r in rows),
            "champions": sum(1 for g in covering if g.kind == GroupKind.CHAMPION),
            "watch": sum(1 for g in covering if g.kind == GroupKind.WATCH),
            "groups": sum(1 for g in covering if g.kind in OTHER_KINDS),
            "has_data": bool(rows),
        })  # fmt: skip
    svg = None
    if crime_data.get("state") == "ready":
        svg = crime.capacity_map_svg(crime_data, table["covered"])
    return render(
        request,
        "community/capacity.html",
        {
            "partnership": partnership,
            "crime": crime_data,
            "lsoas": table["lsoas"],
            "neighbourhoods": neighbourhoods,
            "map_url": _svg_url(svg) if svg else None,
            "n_covered": sum(1 for r in table["lsoas"] if r["covered"]),
        },
    )


def _svg_url(svg: str) -> str:
    import base64

    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


# --- forums ------------------------------------------------------------------------------------


def _forum_editor(request: HttpRequest, forum: Any, roles: set[str]) -> bool:
    officers = selectors.officer_organisation_ids(user=request.user, partnership=forum.partnership)
    return permissions.can_edit_forum(
        request.user, roles=roles, officer_organisation_ids=officers,
        owner_id=forum.owner_organisation_id,
    )  # fmt: skip


@sign_in_required
@require_safe
def forum_list_view(request: HttpRequest) -> HttpResponse:
    partnership, roles = _current(request)
    forums = list(
        selectors.forum_list_visible(user=request.user, partnership=partnership, roles=roles)
    )
    published = set(
        PublishedPage.objects.filter(partnership=partnership).values_list(
            "neighbourhood_id", flat=True
        )
    )
    return render(
        request,
        "community/forums.html",
        {
            "partnership": partnership,
            "forums": forums,
            "neighbourhoods": _neighbourhoods(request, partnership),
            "published": published,
            "can_create": permissions.can_create_forum(request.user, roles=roles),
            "can_publish": permissions.can_publish_page(request.user, roles=roles),
        },
    )


@sign_in_required
@require_http_methods(GET_POST)
def forum_new_view(request: HttpRequest) -> HttpResponse:
    partnership, roles = _current(request)
    if not permissions.can_create_forum(request.user, roles=roles):
        raise PermissionDenied(permissions.NOT_ALLOWED_FORUM)
    from saferplaces.accounts.models import Organisation, Role

    organisations = (
        list(Organisation.objects.filter(partnership=partnership).order_by("name"))
        if roles & {Role.PARTNERSHIP_MANAGER, Role.ANALYST}
        else selectors.owner_choices(user=request.user, partnership=partnership, roles=roles)
    )
    form = ForumForm(
        posted(request), organisations=organisations,
        neighbourhoods=_neighbourhoods(request, partnership),
    )  # fmt: skip
    if request.method == "POST" and form.is_valid():
        try:
            forum = services.forum_create(
                partnership=partnership, by=request.user, roles=roles, **form.cleaned_data
            )
        except ApplicationError as error:
            error.add_to(form, "neighbourhood")
        else:
            messages.success(request, f"Forum set up: {forum.name}.")
            return redirect("community:forum", forum_id=forum.pk)
    return render(request, "community/forum_form.html", {"form": form, "partnership": partnership})


@sign_in_required
@require_safe
def forum_detail_view(request: HttpRequest, forum_id: Any) -> HttpResponse:
    partnership, roles = _current(request)
    forum = selectors.forum_get_visible(
        user=request.user, partnership=partnership, roles=roles, forum_id=forum_id
    )
    meetings = list(forum.meetings.prefetch_related("issues", "issues__priority").all())
    return render(
        request,
        "community/forum_detail.html",
        {
            "partnership": partnership,
            "forum": forum,
            "meetings": meetings,
            "can_edit": _forum_editor(request, forum, roles),
            "is_published": PublishedPage.objects.filter(
                neighbourhood=forum.neighbourhood
            ).exists(),
        },
    )


@sign_in_required
@require_http_methods(GET_POST)
def meeting_new_view(request: HttpRequest, forum_id: Any) -> HttpResponse:
    partnership, roles = _current(request)
    forum = selectors.forum_get_visible(
        user=request.user, partnership=partnership, roles=roles, forum_id=forum_id
    )
    if not _forum_editor(request, forum, roles):
        raise PermissionDenied(permissions.NOT_ALLOWED_FORUM)
    form = MeetingForm(posted(request))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            meeting = services.meeting_record(forum=forum, by=request.user, roles=roles, **data)
        except ApplicationError as error:
            error.add_to(form, "date")
        else:
            messages.success(request, "Meeting recorded. Now add the issues residents raised.")
            return redirect("community:meeting", meeting_id=meeting.pk)
    return render(
        request,
        "community/meeting_form.html",
        {"form": form, "forum": forum, "partnership": partnership},
    )


@sign_in_required
@require_safe
def meeting_detail_view(request: HttpRequest, meeting_id: Any) -> HttpResponse:
    partnership, roles = _current(request)
    meeting = selectors.meeting_get_visible(
        user=request.user, partnership=partnership, roles=roles, meeting_id=meeting_id
    )
    return render(
        request,
        "community/meeting_detail.html",
        {
            "partnership": partnership,
            "meeting": meeting,
            "forum": meeting.forum,
            "issues": list(meeting.issues.select_related("priority", "priority__plan")),
            "notes": selectors.meeting_notes(
                user=request.user, meeting=meeting, roles=roles, request=request
            ),
            "can_edit": _forum_editor(request, meeting.forum, roles),
        },
    )


@sign_in_required
@require_http_methods(GET_POST)
def issue_new_view(request: HttpRequest, meeting_id: Any) -> HttpResponse:
    partnership, roles = _current(request)
    meeting = selectors.meeting_get_visible(
        user=request.user, partnership=partnership, roles=roles, meeting_id=meeting_id
    )
    if not _forum_editor(request, meeting.forum, roles):
        raise PermissionDenied(permissions.NOT_ALLOWED_FORUM)
    form = IssueForm(posted(request), priorities=selectors.plan_priorities(partnership=partnership))
    if request.method == "POST" and form.is_valid():
        try:
            services.issue_record(
                meeting=meeting, by=request.user, roles=roles, **form.cleaned_data
            )
        except ApplicationError as error:
            error.add_to(form, "text")
        else:
            messages.success(request, "Issue added.")
            return redirect("community:meeting", meeting_id=meeting.pk)
    return render(
        request,
        "community/issue_form.html",
        {"form": form, "meeting": meeting, "issue": None, "partnership": partnership},
    )


@sign_in_required
@require_http_methods(GET_POST)
def issue_edit_view(request: HttpRequest, issue_id: Any) -> HttpResponse:
    partnership, roles = _current(request)
    issue = selectors.issue_get_visible(
        user=request.user, partnership=partnership, roles=roles, issue_id=issue_id
    )
    if not _forum_editor(request, issue.meeting.forum, roles):
        raise PermissionDenied(permissions.NOT_ALLOWED_FORUM)
    initial = {
        "text": issue.text, "raised_by": issue.raised_by, "votes": issue.votes,
        "priority": str(issue.priority_id or ""), "status": issue.status, "we_did": issue.we_did,
    }  # fmt: skip
    form = IssueForm(
        posted(request), priorities=selectors.plan_priorities(partnership=partnership),
        initial=initial,
    )  # fmt: skip
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("submission_key", None)
        try:
            services.issue_update(issue=issue, by=request.user, roles=roles, **data)
        except ApplicationError as error:
            error.add_to(form, "text")
        else:
            messages.success(request, "Issue saved.")
            return redirect("community:meeting", meeting_id=issue.meeting_id)
    return render(
        request,
        "community/issue_form.html",
        {"form": form, "meeting": issue.meeting, "issue": issue, "partnership": partnership},
    )


@sign_in_required
@require_POST
def page_publish_view(request: HttpRequest, neighbourhood_id: Any) -> HttpResponse:
    from saferplaces.neighbourhoods.selectors import neighbourhood_get_visible

    partnership, roles = _current(request)
    neighbourhood = neighbourhood_get_visible(
        user=request.user, partnership=partnership, neighbourhood_id=neighbourhood_id
    )
    if not permissions.can_publish_page(request.user, roles=roles):
        raise PermissionDenied(permissions.NOT_ALLOWED_PUBLISH)
    try:
        if request.POST.get("action") == "withdraw":
            services.page_withdraw(
                partnership=partnership, neighbourhood=neighbourhood, by=request.user, roles=roles
            )
            messages.success(request, f"{neighbourhood.name}: the public page is withdrawn.")
        else:
            services.page_publish(
                partnership=partnership, neighbourhood=neighbourhood, by=request.user, roles=roles
            )
            messages.success(request, f"{neighbourhood.name}: the public page is published.")
    except ApplicationError as error:
        messages.error(request, error.message)
    return redirect("community:forums")
