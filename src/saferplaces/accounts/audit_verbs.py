"""Audit verbs written by the accounts app, added to the audit registry at start-up."""

from __future__ import annotations

from saferplaces.audit.registry import VERBS, Action

ACCOUNT_VERBS: dict[str, tuple[str, str]] = {
    "auth.backup_codes_generated": (Action.SECURITY, "Made new two-factor backup codes"),
    "auth.two_factor_removed": (Action.SECURITY, "Removed an authenticator app"),
    "auth.password_link_sent": (Action.SECURITY, "Sent a member a link to set a new password"),
    "auth.session_ended": (Action.SIGN_OUT, "Ended another signed-in session"),
    "invitation.sent": (Action.CREATE, "Invited an existing user to join"),
    "invitation.accepted": (Action.CHANGE, "Accepted an invitation to join"),
    "invitation.declined": (Action.CHANGE, "Declined an invitation to join"),
}


def register() -> None:
    for verb, entry in ACCOUNT_VERBS.items():
        VERBS.setdefault(verb, entry)
