"""Who may see and act on a partnership's case reviews. Pure predicates: no queries.

- Partnership managers, analysts and partner officers see the list and the progress of each
  case review (reference, dates, decisions, recommendations): they take part in reviews.
  Board members and read-only viewers read the published yearly figures instead.
- The applicant's details and their account of the problem (personal data) are visible only to
  the partnership manager and to the organisation leading the review; each view is audited.
- A partnership manager decides whether the threshold is met and chooses the lead organisation,
  changes the local threshold, and decides appeals.
- The lead organisation (or a manager) records the review, its recommendations and the outcome.
- An appeal is decided by a different person from the one who decided the review (four eyes).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import Any

from saferplaces.accounts.models import Role
from saferplaces.accounts.permissions import signed_in

NOT_ALLOWED_VIEW = (
    "Only the partnership's managers, analysts and partner officers see case reviews."
)
NOT_ALLOWED_DECIDE = "Only a partnership manager can decide whether the threshold is met."
NOT_ALLOWED_REVIEW = (
    "Only the organisation leading this case review, or a partnership manager, can record "
    "the review and its outcome."
)
NOT_ALLOWED_SETTINGS = "Only a partnership manager can change the case review threshold."
NOT_ALLOWED_APPEAL = "Only a partnership manager can decide an appeal."
SAME_PERSON_APPEAL = (
    "You made the decision the applicant is appealing against, so you cannot decide the "
    "appeal. Ask another partnership manager to decide it."
)

READING_ROLES = {Role.PARTNERSHIP_MANAGER, Role.ANALYST, Role.PARTNER_OFFICER}
LEAD_ROLES = {Role.PARTNERSHIP_MANAGER, Role.ANALYST, Role.PARTNER_OFFICER}


def _in_lead(organisation_ids: Iterable[Any], lead_organisation_id: Any) -> bool:
    if lead_organisation_id is None:
        return False
    return str(lead_organisation_id) in {str(pk) for pk in organisation_ids}


def roles_can_view_case_reviews(roles: Collection[str]) -> bool:
    return any(role in READING_ROLES for role in roles)


def can_view_case_reviews(user: Any, *, roles: Collection[str]) -> bool:
    return signed_in(user) and roles_can_view_case_reviews(roles)


def can_see_personal_data(
    user: Any, *, roles: Collection[str], lead_organisation_ids: Iterable[Any], case_review: Any
) -> bool:
    """``lead_organisation_ids``: the organisations where the user holds a reading role."""
    if not signed_in(user):
        return False
    if Role.PARTNERSHIP_MANAGER in roles:
        return True
    return _in_lead(lead_organisation_ids, case_review.lead_organisation_id)


def can_decide_threshold(user: Any, *, roles: Collection[str]) -> bool:
    return signed_in(user) and Role.PARTNERSHIP_MANAGER in roles


def can_record_review(
    user: Any, *, roles: Collection[str], lead_organisation_ids: Iterable[Any], case_review: Any
) -> bool:
    if not signed_in(user):
        return False
    if Role.PARTNERSHIP_MANAGER in roles:
        return True
    return _in_lead(lead_organisation_ids, case_review.lead_organisation_id)


def can_change_settings(user: Any, *, roles: Collection[str]) -> bool:
    return signed_in(user) and Role.PARTNERSHIP_MANAGER in roles


def can_decide_appeal(user: Any, *, roles: Collection[str]) -> bool:
    return signed_in(user) and Role.PARTNERSHIP_MANAGER in roles


def is_same_decider(user: Any, case_review: Any) -> bool:
    """Did ``user`` make the decision being appealed?

    After a review: whoever recorded it or sent its outcome. After a refusal on the threshold:
    whoever decided the threshold.
    """
    if case_review.review_held_on is not None:
        deciders = {case_review.reviewed_by_id, case_review.outcome_sent_by_id}
    else:
        deciders = {case_review.threshold_decided_by_id}
    return str(user.pk) in {str(pk) for pk in deciders if pk is not None}
