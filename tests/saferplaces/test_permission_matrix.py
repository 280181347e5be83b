"""Who gets what on every staff page; and a guard that every URL is in some matrix."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from saferplaces.accounts.models import MembershipInvitation, Role
from tests.conftest import ROLES
from tests.saferplaces.factories import MembershipFactory, OrganisationFactory, UserFactory

# Pages anyone may open (no sign-in), each tested in its own module.
PUBLIC_URL_NAMES = {
    "core:home",
    "core:accessibility",
    "core:privacy",
    "accounts:sign_in",
    "accounts:sign_out",  # POST only; tests/saferplaces/accounts/test_sign_in.py
    "accounts:set_password",  # guarded by its token; test_invitations.py
    "admin_login_redirect",
    # Calendar feeds for calendar apps: public events, or guarded by a secret token
    # (tests/saferplaces/calendar_events/test_feeds.py).
    "calendar_events:public_feed",
    "calendar_events:private_feed",
    # A published plan's summary and leaflet (tests/saferplaces/plans/test_public.py).
    "plans_public:summary",
    "plans_public:leaflet",
    # Published "you said, we did" pages and listed community groups, without personal data
    # (tests/saferplaces/community/test_public.py).
    "community_public:neighbourhoods",
    "community_public:you_said",
    "community_public:groups",
    # The ASB case review's resident pages (tests/saferplaces/casereview/test_public_views.py).
    "casereview_public:start",
    "casereview_public:step",
    "casereview_public:check",
    "casereview_public:sent",
    "casereview_public:figures",
    "casereview_public:figures_csv",
    "casereview_public:appeal",
    # Report a concern, one question per page, and its status page behind an unguessable token
    # (tests/saferplaces/concerns/test_public.py).
    "concerns_public:start",
    "concerns_public:what",
    "concerns_public:where",
    "concerns_public:when",
    "concerns_public:description",
    "concerns_public:photo",
    "concerns_public:contact",
    "concerns_public:check",
    "concerns_public:confirmation",
    "concerns_public:status",
    "concerns_public:reopen",
    "concerns_public:find",
    # Surveys: the list of open surveys and published results, answering (by link or by a
    # single-use invitation), the thank-you page, published results
    # (tests/saferplaces/surveys/test_public.py).
    "surveys_public:list",
    "surveys_public:answer",
    "surveys_public:thanks",
    "surveys_public:results",
    "surveys_public:invitation",
    # Alerts to residents (tests/saferplaces/alerts/test_views.py): sign-up is public; confirm,
    # manage and unsubscribe are guarded by the secret in the e-mailed link (signed and
    # expiring for confirm, a random token for manage and unsubscribe), no sign-in.
    "alerts_public:signup",
    "alerts_public:signup_topics",
    "alerts_public:signup_email",
    "alerts_public:check_email",
    "alerts_public:confirm",
    "alerts_public:manage",
    "alerts_public:unsubscribe",
    # Privacy notices per purpose and a resident's own data (tests/saferplaces/privacy): the
    # data pages are guarded by the signed 1-hour link e-mailed to the address.
    "privacy:purpose",
    "privacy:request",
    "privacy:request_sent",
    "privacy:subject",
    "privacy:download",
    "privacy:erase",
}
# The Django admin has its own test (test_admin_requires_system_admin_with_two_factor).
ADMIN_NAMESPACE = "admin"

#                                  anon outsider viewer board officer analyst manager admin
MATRIX: dict[str, tuple[int, ...]] = {
    "accounts:staff_home":          (302, 200, 200, 200, 200, 200, 200, 200),
    "accounts:account":             (302, 200, 200, 200, 200, 200, 200, 200),
    "accounts:password_change":     (302, 200, 200, 200, 200, 200, 200, 200),
    "accounts:set_up_two_factor":   (302, 200, 200, 200, 200, 200, 200, 200),
    # Each asks for the password again before anything changes (test_two_factor.py).
    "accounts:two_factor_change":   (302, 200, 200, 200, 200, 200, 200, 200),
    "accounts:backup_codes_regenerate": (302, 200, 200, 200, 200, 200, 200, 200),
    "accounts:sessions":            (302, 200, 200, 200, 200, 200, 200, 200),
    # POST only; only one's own sessions (test_sessions.py).
    "accounts:session_end":         (302, 405, 405, 405, 405, 405, 405, 405),
    "accounts:sessions_end_others": (302, 405, 405, 405, 405, 405, 405, 405),
    # Only the invited person may open an invitation (test_membership_invitations.py).
    "accounts:invitation_respond":  (302, 404, 404, 404, 404, 404, 404, 404),
    # A user with no device (or already verified) is sent on: nothing to verify.
    "accounts:verify_two_factor":   (302, 302, 302, 302, 302, 302, 302, 302),
    "accounts:switch_partnership":  (302, 200, 200, 200, 200, 200, 200, 200),
    "accounts:partnership_add":     (302, 403, 403, 403, 403, 403, 403, 200),
    "accounts:partnership_detail":  (302, 404, 200, 200, 200, 200, 200, 200),
    "accounts:organisation_add":    (302, 404, 403, 403, 403, 403, 200, 200),
    "accounts:member_invite":       (302, 404, 403, 403, 403, 403, 200, 200),
    "accounts:member_change":       (302, 404, 403, 403, 403, 403, 200, 200),
    "accounts:member_remove":       (302, 404, 403, 403, 403, 403, 200, 200),
    "accounts:member_password_link": (302, 404, 403, 403, 403, 403, 200, 200),
    # A pending invitation of this partnership (test_invitation_cancel_expiry.py).
    "accounts:invitation_cancel":   (302, 404, 403, 403, 403, 403, 200, 200),
    # The outsider manages another partnership, so sees the page (with only its own events).
    "audit:list":                   (302, 200, 403, 403, 403, 403, 200, 200),
    # The current partnership's figures: the outsider sees its own partnership's; no case data
    # for administrators.
    "analytics:crime_data":         (302, 200, 200, 200, 200, 200, 200, 403),
    # Neighbourhood profiles: members read; analysts and managers create, change and delete
    # (the neighbourhood is shared with the partnership; the outsider, a manager elsewhere,
    # may create in its own partnership, but its current partnership
    # does not hold it: 404). No case data for administrators. Without crime data the
    # downloads have nothing to give: 404 (their contents: neighbourhoods/test_views.py).
    "neighbourhoods:list":          (302, 200, 200, 200, 200, 200, 200, 403),
    "neighbourhoods:create":        (302, 200, 403, 403, 403, 200, 200, 403),
    "neighbourhoods:profile":       (302, 404, 200, 200, 200, 200, 200, 403),
    "neighbourhoods:edit":          (302, 404, 403, 403, 403, 200, 200, 403),
    "neighbourhoods:delete":        (302, 404, 403, 403, 403, 200, 200, 403),
    "neighbourhoods:csv":           (302, 404, 404, 404, 404, 404, 404, 403),
    "neighbourhoods:xlsx":          (302, 404, 404, 404, 404, 404, 404, 403),
    "neighbourhoods:pdf":           (302, 404, 404, 404, 404, 404, 404, 403),
    # The crime map page and its GeoJSON: the same rule as the crime data page.
    "analytics:map":                (302, 200, 200, 200, 200, 200, 200, 403),
    "analytics:map_geojson":        (302, 200, 200, 200, 200, 200, 200, 403),
    # The latest 12 months' profile (harm, hot spots, data quality): the same readers.
    "analytics:crime_profile":      (302, 200, 200, 200, 200, 200, 200, 403),
    # Strategic assessments (tests/saferplaces/assessments): every member reads the approved
    # versions; a draft (used below) only analysts and managers see; they draft, managers approve.
    "assessments:list":             (302, 200, 200, 200, 200, 200, 200, 403),
    "assessments:new":              (302, 200, 403, 403, 403, 200, 200, 403),
    "assessments:detail":           (302, 404, 404, 404, 404, 200, 200, 404),
    "assessments:status":           (302, 404, 404, 404, 404, 200, 200, 404),
    "assessments:section_edit":     (302, 404, 404, 404, 404, 200, 200, 404),
    "assessments:override":         (302, 404, 404, 404, 404, 200, 200, 404),
    "assessments:public_concern":   (302, 404, 404, 404, 404, 200, 200, 404),
    "assessments:submit":           (302, 404, 404, 404, 404, 200, 200, 404),
    "assessments:download":         (302, 404, 404, 404, 404, 200, 200, 404),
    # A submitted draft: the analyst sees it but may not approve (403 with the reason).
    "assessments:review":           (302, 404, 404, 404, 404, 403, 200, 404),
    # Partnership calendar (tests/saferplaces/calendar_events): every member reads; analysts,
    # officers and managers add; the event below belongs to another organisation, so only a
    # manager may change it. No membership, no calendar, for administrators.
    "calendar_events:month":        (302, 200, 200, 200, 200, 200, 200, 403),
    "calendar_events:list":         (302, 200, 200, 200, 200, 200, 200, 403),
    "calendar_events:subscribe":    (302, 200, 200, 200, 200, 200, 200, 403),
    "calendar_events:create":       (302, 200, 403, 403, 200, 200, 200, 403),
    "calendar_events:detail":       (302, 404, 200, 200, 200, 200, 200, 403),
    "calendar_events:edit":         (302, 404, 403, 403, 403, 403, 200, 403),
    "calendar_events:delete":       (302, 404, 403, 403, 403, 403, 200, 403),
    # Community safety plan (tests/saferplaces/plans): every member reads; analysts and managers
    # write; managers approve and publish. The plan's action below belongs to another
    # organisation, so the partner officer may not post progress on it (403 with the reason).
    "plans:list":                   (302, 200, 200, 200, 200, 200, 200, 403),
    "core:residents":               (302, 200, 200, 200, 200, 200, 200, 403),
    "plans:new":                    (302, 200, 403, 403, 403, 200, 200, 403),
    "plans:detail":                 (302, 404, 200, 200, 200, 200, 200, 404),
    "plans:edit":                   (302, 404, 403, 403, 403, 200, 200, 404),
    "plans:priority_new":           (302, 404, 403, 403, 403, 200, 200, 404),
    "plans:from_assessment":        (302, 404, 403, 403, 403, 200, 200, 404),
    "plans:priority_edit":          (302, 404, 403, 403, 403, 200, 200, 404),
    "plans:objective_new":          (302, 404, 403, 403, 403, 200, 200, 404),
    "plans:objective_edit":         (302, 404, 403, 403, 403, 200, 200, 404),
    "plans:action_new":             (302, 404, 403, 403, 403, 200, 200, 404),
    "plans:action_edit":            (302, 404, 403, 403, 403, 200, 200, 404),
    "plans:milestone_new":          (302, 404, 403, 403, 403, 200, 200, 404),
    "plans:milestone_edit":         (302, 404, 403, 403, 403, 200, 200, 404),
    "plans:progress_new":           (302, 404, 403, 403, 403, 200, 200, 404),
    "plans:submit":                 (302, 404, 403, 403, 403, 200, 200, 404),
    "plans:approve":                (302, 404, 403, 403, 403, 403, 200, 404),
    "plans:publish":                (302, 404, 403, 403, 403, 403, 200, 404),
    "plans:download":               (302, 404, 200, 200, 200, 200, 200, 404),
    # Plan indicators, exceptions, meetings and board packs (tests/saferplaces/indicators): every
    # member reads; analysts and managers change; only managers override a colour; officers of
    # the lead organisation enter manual values (test_views.py). The outsider's own partnership
    # has no plan, so "new" sends it to the list. No partnership data for administrators.
    "indicators:list":              (302, 200, 200, 200, 200, 200, 200, 403),
    "indicators:new":               (302, 302, 403, 403, 403, 200, 200, 403),
    "indicators:refresh":           (302, 200, 403, 403, 403, 200, 200, 403),
    "indicators:detail":            (302, 404, 200, 200, 200, 200, 200, 403),
    "indicators:edit":              (302, 404, 403, 403, 403, 200, 200, 403),
    "indicators:value":             (302, 404, 403, 403, 403, 200, 200, 403),
    "indicators:override":          (302, 404, 403, 403, 403, 403, 200, 403),
    "indicators:exceptions":        (302, 200, 200, 200, 200, 200, 200, 403),
    # Everyone reads the note; only its owner, the lead organisation, analysts and managers
    # may write it (the form is shown only to them: test_views.py).
    "indicators:exception_note":    (302, 404, 200, 200, 200, 200, 200, 403),
    "indicators:meetings":          (302, 200, 200, 200, 200, 200, 200, 403),
    "indicators:meeting_new":       (302, 200, 403, 403, 403, 200, 200, 403),
    "indicators:meeting":           (302, 404, 200, 200, 200, 200, 200, 403),
    "indicators:meeting_edit":      (302, 404, 403, 403, 403, 200, 200, 403),
    "indicators:meeting_item_action": (302, 404, 403, 403, 403, 200, 200, 403),
    "indicators:board_pack":        (302, 404, 200, 200, 200, 200, 200, 403),
    "indicators:board_pack_pdf":    (302, 404, 200, 200, 200, 200, 200, 403),
    # The annual review for the scrutiny committee: every member reads it and its PDF;
    # analysts and managers write it and record the committee's recommendations and responses.
    "indicators:scrutiny":          (302, 200, 200, 200, 200, 200, 200, 403),
    "indicators:scrutiny_new":      (302, 200, 403, 403, 403, 200, 200, 403),
    "indicators:scrutiny_detail":   (302, 404, 200, 200, 200, 200, 200, 403),
    "indicators:scrutiny_edit":     (302, 404, 403, 403, 403, 200, 200, 403),
    "indicators:scrutiny_respond":  (302, 404, 403, 403, 403, 200, 200, 403),
    "indicators:scrutiny_pdf":      (302, 404, 200, 200, 200, 200, 200, 403),
    # Community network and forums (tests/saferplaces/community): every member reads the
    # register's anonymous part, the capacity page and the forums; managers and the owning
    # organisation's analysts and officers change a group (the matrix's group belongs to
    # another organisation, so only the manager); analysts, managers and officers write forums
    # (an officer only their own organisation's: here the forum is another's). Publishing is
    # POST only. No partnership data for administrators.
    "community:register":           (302, 200, 200, 200, 200, 200, 200, 403),
    "community:group_new":          (302, 200, 403, 403, 200, 200, 200, 403),
    "community:capacity":           (302, 200, 200, 200, 200, 200, 200, 403),
    "community:group":              (302, 404, 200, 200, 200, 200, 200, 403),
    "community:group_edit":         (302, 404, 403, 403, 403, 403, 200, 403),
    "community:group_withdraw":     (302, 404, 403, 403, 403, 403, 200, 403),
    "community:forums":             (302, 200, 200, 200, 200, 200, 200, 403),
    "community:forum_new":          (302, 200, 403, 403, 200, 200, 200, 403),
    "community:forum":              (302, 404, 200, 200, 200, 200, 200, 403),
    "community:meeting_new":        (302, 404, 403, 403, 403, 200, 200, 403),
    "community:meeting":            (302, 404, 200, 200, 200, 200, 200, 403),
    "community:issue_new":          (302, 404, 403, 403, 403, 200, 200, 403),
    "community:issue_edit":         (302, 404, 403, 403, 403, 200, 200, 403),
    "community:page_publish":       (302, 405, 405, 405, 405, 405, 405, 405),
    # ASB case reviews (tests/saferplaces/casereview): managers, analysts and partner officers
    # see them (no case data for board members, viewers or administrators); a manager decides the
    # threshold and appeals and sets the threshold; the lead organisation (none of the officers
    # here) or a manager records the review. The outsider manages another partnership.
    "casereview:list":              (302, 200, 403, 403, 200, 200, 200, 403),
    "casereview:settings":          (302, 200, 403, 403, 403, 403, 200, 403),
    "casereview:detail":            (302, 404, 403, 403, 200, 200, 200, 403),
    "casereview:threshold":         (302, 404, 403, 403, 403, 403, 200, 403),
    "casereview:review":            (302, 404, 403, 403, 403, 403, 200, 403),
    "casereview:recommendation":    (302, 404, 403, 403, 403, 403, 200, 403),
    "casereview:outcome":           (302, 404, 403, 403, 403, 403, 200, 403),
    "casereview:appeal_decide":     (302, 404, 403, 403, 403, 403, 200, 403),
    # Residents' concerns (tests/saferplaces/concerns): every member has a queue (their
    # organisation's concerns; managers all) and the community intelligence counts. The concern
    # below is assigned to another organisation, so only the partnership manager sees it (and
    # its photo, which it has none of: 404). The actions are POST only. No partnership data
    # for administrators.
    "concerns:list":                (302, 200, 200, 200, 200, 200, 200, 403),
    "concerns:intelligence":        (302, 200, 200, 200, 200, 200, 200, 403),
    "concerns:intelligence_csv":    (302, 200, 200, 200, 200, 200, 200, 403),
    "concerns:detail":              (302, 404, 404, 404, 404, 404, 200, 403),
    "concerns:photo":               (302, 404, 404, 404, 404, 404, 404, 403),
    "concerns:assign":              (302, 405, 405, 405, 405, 405, 405, 405),
    "concerns:note":                (302, 405, 405, 405, 405, 405, 405, 405),
    "concerns:close":               (302, 405, 405, 405, 405, 405, 405, 405),
    "concerns:duplicate":           (302, 405, 405, 405, 405, 405, 405, 405),
    # Surveys (tests/saferplaces/surveys): every member reads the results (exact counts under a
    # "not for publication" banner) and downloads them suppressed; analysts and managers build,
    # invite and publish. The outsider manages its own partnership, so may start one there.
    # Adding the perception questions is POST only.
    "surveys:list":                 (302, 200, 200, 200, 200, 200, 200, 403),
    "surveys:new":                  (302, 200, 403, 403, 403, 200, 200, 403),
    "surveys:detail":               (302, 404, 200, 200, 200, 200, 200, 404),
    "surveys:edit":                 (302, 404, 403, 403, 403, 200, 200, 404),
    "surveys:question_new":         (302, 404, 403, 403, 403, 200, 200, 404),
    "surveys:question_delete":      (302, 405, 405, 405, 405, 405, 405, 405),
    "surveys:perception_add":       (302, 405, 405, 405, 405, 405, 405, 405),
    "surveys:invite":               (302, 404, 403, 403, 403, 200, 200, 404),
    "surveys:results":              (302, 404, 200, 200, 200, 200, 200, 404),
    "surveys:download":             (302, 404, 200, 200, 200, 200, 200, 404),
    "surveys:publish":              (302, 404, 403, 403, 403, 200, 200, 404),
    "surveys:indicator":            (302, 404, 403, 403, 403, 200, 200, 404),
    # Written answers may describe people: analysts and managers only, audited.
    "surveys:free_text":            (302, 404, 403, 403, 403, 200, 200, 404),
    # Alerts to residents (tests/saferplaces/alerts): every member reads the counts (never an
    # address); analysts and managers write and send. The outsider manages its own partnership.
    "alerts:list":                  (302, 200, 200, 200, 200, 200, 200, 403),
    "alerts:new":                   (302, 200, 403, 403, 403, 200, 200, 403),
}  # fmt: skip


def _kwargs(url_name: str, partnership: Any, membership: Any) -> dict[str, Any]:
    kwargs: dict[str, Any] = {}
    if "partnership_id" in _route(url_name):
        kwargs["partnership_id"] = partnership.pk
    if "membership_id" in _route(url_name):
        kwargs["membership_id"] = membership.pk
    if "invitation_id" in _route(url_name):
        # An invitation of this partnership for someone else: nobody in the matrix may answer
        # it; its managers may cancel it.
        kwargs["invitation_id"] = MembershipInvitation.objects.create(
            user=UserFactory(), organisation=membership.organisation, role=Role.VIEWER
        ).pk
    if "session_id" in _route(url_name):
        kwargs["session_id"] = uuid.uuid4()
    if "neighbourhood_id" in _route(url_name):
        kwargs["neighbourhood_id"] = _neighbourhood(membership.organisation).pk
    if "<slug:table>" in _route(url_name):
        kwargs["table"] = "categories"
    if "event_id" in _route(url_name):
        kwargs["event_id"] = _calendar_event(membership.organisation).pk
    if "assessment_id" in _route(url_name):
        kwargs.update(_assessment_kwargs(url_name, partnership))
    if "survey_id" in _route(url_name):
        kwargs.update(_survey_kwargs(url_name, partnership))
    if "plan_id" in _route(url_name):
        kwargs.update(_plan_kwargs(url_name, membership.organisation))
    if url_name.startswith("indicators:"):
        kwargs.update(_indicator_kwargs(_route(url_name), membership.organisation))
    if url_name.startswith("community:"):
        kwargs.update(_community_kwargs(_route(url_name), membership.organisation))
    if "case_review_id" in _route(url_name):
        kwargs["case_review_id"] = _case_review(partnership).pk
    if "concern_id" in _route(url_name):
        kwargs["concern_id"] = _concern(membership.organisation).pk
    return kwargs


def _community_kwargs(route: str, organisation: Any) -> dict[str, Any]:
    from datetime import date

    from saferplaces.community.models import (
        CommunityGroup,
        ForumIssue,
        ForumMeeting,
        NeighbourhoodForum,
    )

    partnership = organisation.partnership
    group = CommunityGroup.objects.create(
        partnership=partnership, owner_organisation=organisation, sharing="partnership",
        kind="watch", name="Watch", lsoa_codes=["E01025932"], review_date=date(2027, 1, 1),
    )  # fmt: skip
    from saferplaces.neighbourhoods.models import Neighbourhood

    neighbourhood = Neighbourhood.objects.filter(
        partnership=partnership, name="Estate"
    ).first() or _neighbourhood(organisation)
    forum = NeighbourhoodForum.objects.create(
        partnership=partnership, neighbourhood=neighbourhood, owner_organisation=organisation,
        name="Estate forum",
    )  # fmt: skip
    meeting = ForumMeeting.objects.create(
        forum=forum, date=date(2026, 3, 1), place="Hall", attendance=5
    )
    issue = ForumIssue.objects.create(meeting=meeting, text="Litter")
    found = {"group_id": group.pk, "forum_id": forum.pk, "meeting_id": meeting.pk,
             "issue_id": issue.pk, "neighbourhood_id": neighbourhood.pk}  # fmt: skip
    return {name: value for name, value in found.items() if name in route}


def _case_review(partnership: Any) -> Any:
    from datetime import date

    from saferplaces.casereview.models import CaseReview

    return CaseReview.objects.create(
        partnership=partnership, reference="CR-2026-0001", received_on=date(2026, 3, 2),
        applicant_kind="victim", applicant_name="Alex", email="alex@example.org",
        window_start=date(2025, 9, 2), decision_due=date(2026, 3, 16),
    )  # fmt: skip


def _survey_kwargs(url_name: str, partnership: Any) -> dict[str, Any]:
    from datetime import timedelta

    from django.utils.timezone import now

    from saferplaces.surveys.models import Survey

    survey = Survey.objects.create(
        partnership=partnership, title="Perception survey", purpose="Plan patrols",
        kind="perception", access="invitation", opens_at=now() - timedelta(days=1),
        closes_at=now() + timedelta(days=9),
    )  # fmt: skip
    kwargs: dict[str, Any] = {"survey_id": survey.pk}
    if "position" in _route(url_name):
        kwargs["position"] = 1
    if "file_format" in _route(url_name):
        kwargs["file_format"] = "csv"
    return kwargs


def _indicator_kwargs(route: str, organisation: Any) -> dict[str, Any]:
    from datetime import date

    from django.utils.timezone import now

    from saferplaces.indicators.models import (
        BoardPack,
        Indicator,
        Meeting,
        MeetingItem,
        PlanException,
        ScrutinyRecommendation,
        ScrutinyReview,
    )
    from saferplaces.plans.models import Plan

    partnership = organisation.partnership
    plan = Plan.objects.create(
        partnership=partnership, title="Community Safety Plan", start_year=2026, end_year=2029
    )
    indicator = Indicator.objects.create(plan=plan, name="Residents who feel safe", kind="manual")
    exception = PlanException.objects.create(
        partnership=partnership, kind="indicator_red", indicator=indicator,
        period=date(2025, 12, 1), summary="Residents who feel safe is red",
    )  # fmt: skip
    meeting = Meeting.objects.create(partnership=partnership, date=date(2026, 3, 12),
                                     title="Board", plan=plan)  # fmt: skip
    BoardPack.objects.create(meeting=meeting, status="ready", html="<p>Pack</p>",
                             generated_at=now(), pdf=b"%PDF-1.7 test")  # fmt: skip
    review = ScrutinyReview.objects.create(partnership=partnership, plan=plan, year=2026)
    recommendation = ScrutinyRecommendation.objects.create(review=review, text="Publish it")
    item = MeetingItem.objects.create(meeting=meeting, kind="action", text="Report back")
    kwargs: dict[str, Any] = {
        "review_id": review.pk,
        "recommendation_id": recommendation.pk,
        "item_id": item.pk,
    }
    kwargs = {k: v for k, v in kwargs.items() if k in route}
    for name, obj in (("indicator_id", indicator), ("exception_id", exception),
                      ("meeting_id", meeting)):  # fmt: skip
        if name in route:
            kwargs[name] = obj.pk
    return kwargs


def _plan_kwargs(url_name: str, organisation: Any) -> dict[str, Any]:
    from datetime import date

    from saferplaces.plans.models import Action, Milestone, Objective, Plan, Priority

    plan = Plan.objects.create(
        partnership=organisation.partnership, title="Community Safety Plan",
        start_year=2026, end_year=2029, status="consultation",
    )  # fmt: skip
    priority = Priority.objects.create(plan=plan, title="Burglary", order=1)
    objective = Objective.objects.create(priority=priority, text="Fewer repeat burglaries")
    action = Action.objects.create(
        priority=priority, key_activity="Target hardening", intervention_level="prevention"
    )
    action.organisations.set([organisation])
    milestone = Milestone.objects.create(action=action, title="Start", due_date=date(2026, 6, 1))
    route = _route(url_name)
    kwargs: dict[str, Any] = {"plan_id": plan.pk}
    for name, obj in (("priority_id", priority), ("objective_id", objective),
                      ("action_id", action), ("milestone_id", milestone)):  # fmt: skip
        if name in route:
            kwargs[name] = obj.pk
    if "file_format" in route:
        kwargs["file_format"] = "csv"
    return kwargs


def _assessment_kwargs(url_name: str, partnership: Any) -> dict[str, Any]:
    from saferplaces.assessments.models import Assessment
    from tests.saferplaces.assessments._documents import small_document

    status = "submitted" if url_name == "assessments:review" else "draft"
    assessment = Assessment.objects.create(
        partnership=partnership, title="Strategic assessment", status=status,
        document=small_document(), options={"area": "E07000134"},
    )  # fmt: skip
    route = _route(url_name)
    kwargs: dict[str, Any] = {"assessment_id": assessment.pk}
    if "section_key" in route:
        kwargs["section_key"] = "executive-summary"
    if "category" in route:
        kwargs["category"] = "burglary"
    if "file_format" in route:
        kwargs["file_format"] = "xlsx"
    return kwargs


def _neighbourhood(organisation: Any) -> Any:
    from datetime import date

    from saferplaces.neighbourhoods.models import Neighbourhood

    return Neighbourhood.objects.create(
        partnership=organisation.partnership, owner_organisation=organisation, name="Estate",
        lsoa_codes=["E01025932"], baseline_month=date(2024, 1, 1), sharing="partnership",
    )  # fmt: skip


def _calendar_event(organisation: Any) -> Any:
    from datetime import date

    from saferplaces.calendar_events.models import Event

    return Event.objects.create(
        partnership=organisation.partnership, owner_organisation=organisation, title="Board",
        kind="meeting", start_date=date(2026, 3, 10), end_date=date(2026, 3, 10),
    )  # fmt: skip


def _concern(organisation: Any) -> Any:
    from datetime import date

    from saferplaces.concerns.models import Concern

    return Concern.objects.create(
        partnership=organisation.partnership, reference="C-2026-00001", token="t" * 43,
        category="litter", location_method="description", description="Bags by the bins",
        assigned_organisation=organisation, status="assigned", due_on=date(2026, 1, 1),
    )  # fmt: skip


def _route(url_name: str) -> str:
    namespace, _, name = url_name.rpartition(":")
    resolver = get_resolver()
    for pattern, prefix in _walk(resolver.url_patterns):
        if _full_name(pattern, prefix) == url_name:
            return str(pattern.pattern)
    raise KeyError(url_name)


def _walk(patterns: list[Any], namespace: str = "") -> Any:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            child = namespace
            if pattern.namespace:
                child = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _walk(pattern.url_patterns, child)
        elif isinstance(pattern, URLPattern):
            yield pattern, namespace


def _full_name(pattern: URLPattern, namespace: str) -> str | None:
    if not pattern.name:
        return None
    return f"{namespace}:{pattern.name}" if namespace else pattern.name


def all_url_names() -> set[str]:
    names = set()
    for pattern, namespace in _walk(get_resolver().url_patterns):
        name = _full_name(pattern, namespace)
        if name is None and namespace.startswith(ADMIN_NAMESPACE):
            continue  # the admin's own unnamed redirect patterns
        if name is None:
            raise AssertionError(f"URL pattern {pattern.pattern} has no name")
        names.add(name)
    return names


@pytest.fixture
def managed_membership(partnership: Any) -> Any:
    # A second manager, so the remove page is not refused as "last manager".
    organisation = OrganisationFactory(partnership=partnership)
    MembershipFactory(organisation=organisation, role=Role.PARTNERSHIP_MANAGER)
    return MembershipFactory(organisation=organisation, role=Role.VIEWER)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("url_name", sorted(MATRIX))
def test_staff_pages_respect_roles(
    client: Any,
    sign_in_as: Any,
    partnership: Any,
    managed_membership: Any,
    url_name: str,
    role: str,
) -> None:
    sign_in_as(client, role, partnership=partnership)
    url = reverse(url_name, kwargs=_kwargs(url_name, partnership, managed_membership))

    response = client.get(url)

    expected = dict(zip(ROLES, MATRIX[url_name], strict=True))[role]
    assert response.status_code == expected, f"{role} on {url_name}"
    if expected == 302 and role == "anonymous":
        assert response["Location"].startswith(reverse("accounts:sign_in"))


def test_every_url_is_in_a_permission_matrix() -> None:
    names = {name for name in all_url_names() if not name.startswith(f"{ADMIN_NAMESPACE}:")}
    missing = names - PUBLIC_URL_NAMES - set(MATRIX)
    assert not missing, f"Add these to a permission matrix or PUBLIC_URL_NAMES: {sorted(missing)}"


def test_matrix_names_are_real_urls() -> None:
    assert set(MATRIX) | PUBLIC_URL_NAMES <= all_url_names()


# Public pages that need an argument (a token, a published plan, a calendar feed) are tested in
# their own modules.
WITH_ARGUMENTS = {
    "accounts:set_password",
    "calendar_events:public_feed",
    "calendar_events:private_feed",
    "plans_public:summary",
    "plans_public:leaflet",
    "community_public:you_said",
    # A question, the check page and the confirmation send an unstarted request to the start;
    # an appeal needs its token (tests/saferplaces/casereview/test_public_views.py).
    "casereview_public:step",
    "casereview_public:check",
    "casereview_public:sent",
    "casereview_public:appeal",
    # The later questions send a visitor with no earlier answers back to the first question.
    "concerns_public:where",
    "concerns_public:when",
    "concerns_public:description",
    "concerns_public:photo",
    "concerns_public:contact",
    "concerns_public:check",
    "concerns_public:confirmation",
    "concerns_public:status",
    "concerns_public:reopen",
    "surveys_public:answer",
    "surveys_public:thanks",
    "surveys_public:results",
    "surveys_public:invitation",
    "alerts_public:confirm",
    "alerts_public:manage",
    "alerts_public:unsubscribe",
    "privacy:purpose",
    "privacy:subject",
    "privacy:download",
    "privacy:erase",
}


@pytest.mark.parametrize("url_name", sorted(PUBLIC_URL_NAMES - WITH_ARGUMENTS))
def test_public_pages_need_no_sign_in(client: Any, db: Any, url_name: str) -> None:
    response = client.get(reverse(url_name))
    expected = {"accounts:sign_out": 405, "admin_login_redirect": 302}.get(url_name, 200)
    assert response.status_code == expected


@pytest.mark.parametrize("role", ROLES)
def test_admin_requires_system_admin_with_two_factor(
    client: Any, sign_in_as: Any, role: str
) -> None:
    sign_in_as(client, role)
    response = client.get(reverse("admin:index"), follow=True)
    if role == "system_admin":
        assert response.status_code == 200
        assert response.redirect_chain == []
    elif role == "anonymous":
        assert response.redirect_chain[-1][0].startswith(reverse("accounts:sign_in"))
    else:
        assert response.status_code == 403
