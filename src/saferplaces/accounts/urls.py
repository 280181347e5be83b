from django.urls import path

from saferplaces.accounts.views import auth, staff

app_name = "accounts"

urlpatterns = [
    path("sign-in/", auth.sign_in_view, name="sign_in"),
    path("sign-in/two-factor/", auth.verify_two_factor_view, name="verify_two_factor"),
    path("sign-out/", auth.sign_out_view, name="sign_out"),
    path("account/", auth.account_view, name="account"),
    path("account/two-factor/", auth.set_up_two_factor_view, name="set_up_two_factor"),
    path("account/password/", auth.password_change_view, name="password_change"),
    path("account/two-factor/change/", auth.two_factor_change_view, name="two_factor_change"),
    path(
        "account/two-factor/backup-codes/",
        auth.backup_codes_regenerate_view,
        name="backup_codes_regenerate",
    ),
    path("account/sessions/", auth.sessions_view, name="sessions"),
    path(
        "account/sessions/end-others/",
        auth.sessions_end_others_view,
        name="sessions_end_others",
    ),
    path("account/sessions/<uuid:session_id>/end/", auth.session_end_view, name="session_end"),
    path("set-password/<str:uidb64>/<str:token>/", auth.set_password_view, name="set_password"),
    path("staff/", staff.staff_home_view, name="staff_home"),
    path("staff/switch-partnership/", staff.switch_partnership_view, name="switch_partnership"),
    path("staff/partnerships/new/", staff.partnership_add_view, name="partnership_add"),
    path(
        "staff/invitations/<uuid:invitation_id>/",
        staff.invitation_respond_view,
        name="invitation_respond",
    ),
    path(
        "staff/partnerships/<uuid:partnership_id>/",
        staff.partnership_detail_view,
        name="partnership_detail",
    ),
    path(
        "staff/partnerships/<uuid:partnership_id>/organisations/new/",
        staff.organisation_add_view,
        name="organisation_add",
    ),
    path(
        "staff/partnerships/<uuid:partnership_id>/members/invite/",
        staff.member_invite_view,
        name="member_invite",
    ),
    path(
        "staff/partnerships/<uuid:partnership_id>/members/<uuid:membership_id>/role/",
        staff.member_change_view,
        name="member_change",
    ),
    path(
        "staff/partnerships/<uuid:partnership_id>/members/<uuid:membership_id>/password-link/",
        staff.member_password_link_view,
        name="member_password_link",
    ),
    path(
        "staff/partnerships/<uuid:partnership_id>/invitations/<uuid:invitation_id>/cancel/",
        staff.invitation_cancel_view,
        name="invitation_cancel",
    ),
    path(
        "staff/partnerships/<uuid:partnership_id>/members/<uuid:membership_id>/remove/",
        staff.member_remove_view,
        name="member_remove",
    ),
]
