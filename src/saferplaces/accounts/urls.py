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
    path("set-password/<str:uidb64>/<str:token>/", auth.set_password_view, name="set_password"),
    path("staff/", staff.staff_home_view, name="staff_home"),
    path("staff/switch-partnership/", staff.switch_partnership_view, name="switch_partnership"),
    path("staff/partnerships/new/", staff.partnership_add_view, name="partnership_add"),
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
        "staff/partnerships/<uuid:partnership_id>/members/<uuid:membership_id>/remove/",
        staff.member_remove_view,
        name="member_remove",
    ),
]
