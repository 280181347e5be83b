from __future__ import annotations

import json
from io import StringIO
from typing import Any

from django.core.management import call_command

from saferplaces.accounts.models import Membership, Organisation, Partnership, Role, User
from saferplaces.audit.models import AuditEvent


def test_demo_setup_is_idempotent(db: Any, settings: Any, tmp_path: Any) -> None:
    settings.DATA_DIR = tmp_path
    out = StringIO()

    call_command("saferplaces_setup_demo", stdout=out)
    counts = (User.objects.count(), Organisation.objects.count(), Membership.objects.count())
    events = AuditEvent.objects.count()
    call_command("saferplaces_setup_demo", stdout=StringIO())

    partnership = Partnership.objects.get()
    assert partnership.gss_code == "E22000170"
    assert partnership.lad_codes == ["E07000134"]
    assert partnership.police_force == "leicestershire"
    assert counts == (6, 9, 5)
    assert (
        User.objects.count(),
        Organisation.objects.count(),
        Membership.objects.count(),
    ) == counts
    assert AuditEvent.objects.count() == events
    assert set(Membership.objects.values_list("role", flat=True)) == set(Role.values)

    credentials = json.loads((tmp_path / "demo-credentials.json").read_text())
    manager = User.objects.get(email="manager@demo.saferplaces.test")
    assert manager.check_password(credentials["password"])
    text = out.getvalue()
    assert credentials["password"] in text
    assert "otpauth://" in text
    assert (tmp_path / "demo-credentials.txt").exists()
    admin = User.objects.get(email="admin@demo.saferplaces.test")
    assert admin.is_system_admin
    assert not admin.memberships.exists()


def test_demo_users_have_two_factor_with_hashed_backup_codes(
    db: Any, settings: Any, tmp_path: Any
) -> None:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from saferplaces.accounts.models import BackupCode, BackupCodeDevice

    settings.DATA_DIR = tmp_path
    call_command("saferplaces_setup_demo", "--quiet-credentials", stdout=StringIO())
    credentials = json.loads((tmp_path / "demo-credentials.json").read_text())

    for user in User.objects.all():
        assert TOTPDevice.objects.filter(user=user, confirmed=True).count() == 1
    admin = User.objects.get(is_system_admin=True)
    assert BackupCodeDevice.objects.get(user=admin).verify_token(credentials["backup_codes"][0])
    stored = BackupCode.objects.values_list("code_hash", flat=True)
    assert not set(credentials["backup_codes"]) & set(stored)
