"""Every audit verb the application may write, and the kind of action each one is.

A plain registry rather than model ``choices``: adding a verb needs no migration.
"""

from __future__ import annotations


class Action:
    CREATE = "create"
    VIEW = "view"
    CHANGE = "change"
    EXPORT = "export"
    DELETE = "delete"
    ARCHIVE = "archive"
    SIGN_IN = "sign_in"
    SIGN_IN_FAILED = "sign_in_failed"
    SIGN_OUT = "sign_out"
    ACCESS_DENIED = "access_denied"
    SECURITY = "security"

    ALL = (
        CREATE,
        VIEW,
        CHANGE,
        EXPORT,
        DELETE,
        ARCHIVE,
        SIGN_IN,
        SIGN_IN_FAILED,
        SIGN_OUT,
        ACCESS_DENIED,
        SECURITY,
    )


# verb -> (action, description shown on the audit log page)
VERBS: dict[str, tuple[str, str]] = {
    "auth.signed_in": (Action.SIGN_IN, "Signed in with password"),
    "auth.second_factor_verified": (Action.SIGN_IN, "Completed two-factor sign-in"),
    "auth.second_factor_failed": (Action.SIGN_IN_FAILED, "Entered a wrong two-factor code"),
    "auth.sign_in_failed": (Action.SIGN_IN_FAILED, "Failed sign-in"),
    "auth.locked_out": (Action.SIGN_IN_FAILED, "Locked out after repeated failures"),
    "auth.signed_out": (Action.SIGN_OUT, "Signed out"),
    "auth.session_expired": (Action.SIGN_OUT, "Session timed out"),
    "auth.password_changed": (Action.CHANGE, "Changed password"),
    "auth.password_set": (
        Action.CHANGE,
        "Set a password from an e-mailed link (invitation, or a link sent by a manager)",
    ),
    "auth.password_link_sent": (Action.SECURITY, "Sent a member a link to set a new password"),
    "auth.two_factor_added": (Action.SECURITY, "Set up two-factor authentication"),
    "auth.two_factor_removed": (Action.SECURITY, "Removed an authenticator app"),
    "auth.backup_codes_generated": (Action.SECURITY, "Made new two-factor backup codes"),
    "auth.session_ended": (Action.SIGN_OUT, "Ended another signed-in session"),
    "auth.two_factor_device_deleted": (
        Action.SECURITY,
        "Deleted a member's authenticator app or backup codes (admin site)",
    ),
    "auth.lockout_cleared": (Action.SECURITY, "Unlocked sign-in after repeated failures"),
    "access.sign_in_required": (Action.ACCESS_DENIED, "Asked for a staff page without signing in"),
    "access.forbidden": (Action.ACCESS_DENIED, "Refused: not allowed"),
    "access.hidden_object": (Action.ACCESS_DENIED, "Refused: record not visible to the user"),
    "access.csrf_failed": (Action.ACCESS_DENIED, "Refused: form security check failed"),
    "partnership.created": (Action.CREATE, "Created a partnership"),
    "organisation.created": (Action.CREATE, "Added an organisation"),
    "membership.added": (Action.CREATE, "Added a member"),
    "membership.role_changed": (Action.CHANGE, "Changed a member's role"),
    "membership.removed": (Action.DELETE, "Removed a member"),
    "user.invited": (Action.CREATE, "Invited a new user"),
    "invitation.sent": (Action.CREATE, "Invited an existing user to join"),
    "invitation.accepted": (Action.CHANGE, "Accepted an invitation to join"),
    "invitation.declined": (Action.CHANGE, "Declined an invitation to join"),
    "invitation.cancelled": (Action.DELETE, "Cancelled an invitation to join"),
    "user.changed": (Action.CHANGE, "Changed a user's name in the admin site"),
    "user.system_admin_granted": (Action.SECURITY, "Made a user a system administrator"),
    "user.system_admin_removed": (Action.SECURITY, "Removed a user's system administrator rights"),
    "user.deactivated": (Action.SECURITY, "Deactivated a user's account"),
    "user.reactivated": (Action.SECURITY, "Reactivated a user's account"),
    "audit.access_logs_purged": (Action.DELETE, "Deleted old sign-in records (lockout counters)"),
    "analytics.crime_data_viewed": (Action.VIEW, "Read the crime data page"),
    "neighbourhood.created": (Action.CREATE, "Created a neighbourhood profile"),
    "neighbourhood.changed": (Action.CHANGE, "Changed a neighbourhood profile"),
    "neighbourhood.deleted": (Action.DELETE, "Deleted a neighbourhood profile"),
    "neighbourhood.viewed": (Action.VIEW, "Read a neighbourhood profile"),
    "neighbourhood.exported": (
        Action.EXPORT,
        "Downloaded a neighbourhood profile (CSV, XLSX or PDF)",
    ),
    "analytics.dashboard_exported": (
        Action.EXPORT,
        "Downloaded crime figures from the dashboard (CSV, spreadsheet or PDF)",
    ),
    "assessment.build_requested": (Action.CREATE, "Started a strategic assessment draft"),
    "assessment.built": (Action.CHANGE, "Strategic assessment draft built from the crime data"),
    "assessment.build_failed": (Action.CHANGE, "Strategic assessment build failed"),
    "assessment.narrative_changed": (Action.CHANGE, "Changed a strategic assessment section"),
    "assessment.priority_overridden": (
        Action.CHANGE,
        "Changed a priority score in a strategic assessment (with a reason)",
    ),
    "assessment.submitted": (Action.CHANGE, "Submitted a strategic assessment for approval"),
    "assessment.approved": (Action.CHANGE, "Approved a strategic assessment version"),
    "assessment.returned": (Action.CHANGE, "Sent a strategic assessment back to draft"),
    "assessment.downloaded": (Action.EXPORT, "Downloaded a strategic assessment"),
    "event.created": (Action.CREATE, "Added an event to the partnership calendar"),
    "event.changed": (Action.CHANGE, "Changed an event in the partnership calendar"),
    "event.deleted": (Action.DELETE, "Deleted an event from the partnership calendar"),
    "calendar.feed_token_created": (
        Action.SECURITY,
        "Made a new private calendar feed address (the old one stops working)",
    ),
    "access.calendar_feed_refused": (
        Action.ACCESS_DENIED,
        "Refused: calendar feed address with a wrong or withdrawn key",
    ),
    "plan.created": (Action.CREATE, "Created a community safety plan"),
    "plan.changed": (Action.CHANGE, "Changed a community safety plan"),
    "plan.new_version": (Action.CHANGE, "Started a new draft version of an approved plan"),
    "plan.submitted": (Action.CHANGE, "Submitted a community safety plan for approval"),
    "plan.approved": (Action.CHANGE, "Approved a community safety plan version"),
    "plan.published": (Action.CHANGE, "Published a community safety plan to residents"),
    "plan.exported": (Action.EXPORT, "Downloaded an action plan (CSV or spreadsheet)"),
    "priority.created": (Action.CREATE, "Added a priority to a plan"),
    "priority.changed": (Action.CHANGE, "Changed a plan priority"),
    "objective.created": (Action.CREATE, "Added an objective to a plan priority"),
    "objective.changed": (Action.CHANGE, "Changed a plan objective"),
    "action.created": (Action.CREATE, "Added an action to the action plan"),
    "action.changed": (Action.CHANGE, "Changed an action in the action plan"),
    "milestone.created": (Action.CREATE, "Added a milestone to an action"),
    "milestone.changed": (Action.CHANGE, "Changed an action's milestone"),
    "progress.posted": (Action.CREATE, "Posted a progress update on an action"),
    # Indicators, RAG, exceptions, meetings and board packs (saferplaces.indicators).
    "indicator.created": (Action.CREATE, "Added a plan indicator"),
    "indicator.changed": (Action.CHANGE, "Changed a plan indicator"),
    "indicator.value_entered": (Action.CHANGE, "Entered a value for a plan indicator"),
    "indicator.refreshed": (Action.CHANGE, "Computed the plan indicators from the crime data"),
    "indicator.refresh_requested": (Action.CHANGE, "Asked for the plan indicators to be refreshed"),
    "rag.overridden": (Action.CHANGE, "Overrode an indicator's RAG colour (with a reason)"),
    "exception.raised": (
        Action.CREATE,
        "An exception was raised (red indicator or missed milestone)",
    ),
    "exception.notified": (Action.CHANGE, "E-mailed an exception's owners for a note"),
    "exception.reminded": (Action.CHANGE, "E-mailed a reminder of a milestone due soon"),
    "exception.noted": (Action.CHANGE, "Wrote an exception note"),
    "meeting.created": (Action.CREATE, "Added a partnership meeting"),
    "meeting.changed": (Action.CHANGE, "Changed a partnership meeting"),
    "meeting.item_added": (Action.CHANGE, "Added a decision or action to a meeting"),
    "meeting.action_added_to_plan": (Action.CHANGE, "Turned a meeting's action into a plan action"),
    "board_pack.requested": (Action.CREATE, "Asked for a board pack"),
    "board_pack.generated": (Action.CHANGE, "A board pack was made"),
    "board_pack.downloaded": (Action.EXPORT, "Downloaded a board pack"),
    "scrutiny.created": (Action.CREATE, "Started an annual review for the scrutiny committee"),
    "scrutiny.changed": (Action.CHANGE, "Changed an annual review for the scrutiny committee"),
    "scrutiny.recommendation_added": (Action.CHANGE, "Recorded a scrutiny recommendation"),
    "scrutiny.responded": (Action.CHANGE, "Recorded the response to a scrutiny recommendation"),
    "scrutiny.downloaded": (Action.EXPORT, "Downloaded an annual review for scrutiny"),
    # Community network, neighbourhood forums and "you said, we did" pages (saferplaces.community).
    "community.group_created": (Action.CREATE, "Recorded a community group, scheme or champion"),
    "community.group_changed": (Action.CHANGE, "Changed a community group, scheme or champion"),
    "community.personal_data_viewed": (
        Action.VIEW,
        "Viewed a community group coordinator's details",
    ),
    "community.consent_withdrawn": (
        Action.DELETE,
        "Recorded a coordinator's withdrawal of consent (details removed)",
    ),
    "community.coordinator_anonymised": (
        Action.DELETE,
        "Removed a coordinator's details (retention period or erasure request)",
    ),
    "community.forum_created": (Action.CREATE, "Set up a neighbourhood forum"),
    "community.meeting_recorded": (Action.CREATE, "Recorded a neighbourhood forum meeting"),
    "community.issue_recorded": (Action.CREATE, "Recorded an issue raised at a forum meeting"),
    "community.issue_changed": (Action.CHANGE, "Changed a forum issue (status, what we did)"),
    "community.page_published": (
        Action.CHANGE,
        "Published a neighbourhood's 'You said, we did' page",
    ),
    "community.page_withdrawn": (
        Action.CHANGE,
        "Withdrew a neighbourhood's 'You said, we did' page",
    ),
    # The ASB case review, the Community Trigger (saferplaces.casereview).
    "casereview.requested": (Action.CREATE, "A resident asked for an ASB case review"),
    "casereview.personal_data_viewed": (
        Action.VIEW,
        "Read a case review applicant's details and account of the problem",
    ),
    "casereview.threshold_decided": (
        Action.CHANGE,
        "Decided whether a case review meets the threshold",
    ),
    "casereview.review_recorded": (Action.CHANGE, "Recorded a multi-agency case review"),
    "casereview.recommendation_added": (Action.CHANGE, "Added a recommendation to a case review"),
    "casereview.outcome_sent": (Action.CHANGE, "Sent a case review's outcome to the applicant"),
    "casereview.appealed": (Action.CHANGE, "An applicant appealed a case review outcome"),
    "casereview.appeal_decided": (Action.CHANGE, "Decided an appeal about a case review"),
    "casereview.settings_changed": (
        Action.CHANGE,
        "Changed the case review threshold or time limits",
    ),
    "casereview.personal_data_removed": (
        Action.DELETE,
        "Removed a case review applicant's details (retention period or erasure request)",
    ),
    "concerns.reported": (Action.CREATE, "A resident reported a concern"),
    "concerns.reopened": (Action.CHANGE, "A resident reopened a concern"),
    "concerns.assigned": (Action.CHANGE, "Passed a concern to an organisation"),
    "concerns.noted": (Action.CHANGE, "Added an internal note to a concern"),
    "concerns.updated": (Action.CHANGE, "Posted a public update on a concern"),
    "concerns.marked_duplicate": (Action.CHANGE, "Marked a concern as a duplicate"),
    "concerns.closed": (Action.CHANGE, "Closed a concern with an outcome"),
    "concerns.status_link_sent": (Action.SECURITY, "E-mailed a resident the link to their concern"),
    "concerns.personal_data_viewed": (Action.VIEW, "Viewed a concern's personal data"),
    "concerns.personal_data_removed": (
        Action.DELETE,
        "Removed a concern's personal data (retention or the resident's request)",
    ),
    # Surveys and consultations (saferplaces.surveys)
    "survey.created": (Action.CREATE, "Created a survey"),
    "survey.question_added": (Action.CHANGE, "Added a question to a survey"),
    "survey.changed": (Action.CHANGE, "Changed a survey's title, purpose or dates"),
    "survey.question_removed": (Action.CHANGE, "Removed a question from a survey"),
    "survey.invitations_sent": (Action.CREATE, "Sent survey invitations by e-mail"),
    "survey.results_published": (Action.CHANGE, "Published a survey's results"),
    "survey.results_withdrawn": (Action.CHANGE, "Withdrew a survey's published results"),
    "survey.results_exported": (Action.EXPORT, "Downloaded a survey's results (suppressed)"),
    "survey.personal_data_viewed": (Action.VIEW, "Read a survey's written (free-text) answers"),
    "survey.indicator_recorded": (
        Action.CHANGE,
        "Recorded a survey result as a plan indicator reading",
    ),
    # Alerts to residents (saferplaces.alerts): residents act without an account.
    "alerts.signup_requested": (Action.CREATE, "A resident asked for alerts (not yet confirmed)"),
    "alerts.subscription_confirmed": (Action.CHANGE, "A resident confirmed their alerts"),
    "alerts.subscription_changed": (Action.CHANGE, "A resident changed their alerts"),
    "alerts.unsubscribed": (Action.CHANGE, "A resident unsubscribed from alerts"),
    "alerts.alert_sent": (Action.CREATE, "Sent an alert to residents"),
    "alerts.alert_delivered": (Action.CHANGE, "The e-mails of an alert were sent (counts)"),
    # Residents' personal data under UK GDPR (saferplaces.privacy); e-mails only hashed.
    "privacy.retention_applied": (Action.DELETE, "Deleted personal data past its retention period"),
    "privacy.subject_access": (Action.EXPORT, "A resident viewed or downloaded their data"),
    "privacy.subject_erased": (Action.DELETE, "A resident deleted their data"),
    "assessment.public_concern_set": (
        Action.CHANGE,
        "Entered public concern scores in a strategic assessment",
    ),
}


def action_for(verb: str) -> str:
    try:
        return VERBS[verb][0]
    except KeyError:
        raise ValueError(
            f"Unknown audit verb {verb!r}: add it to saferplaces.audit.registry"
        ) from None


def describe(verb: str) -> str:
    return VERBS.get(verb, ("", verb))[1]
