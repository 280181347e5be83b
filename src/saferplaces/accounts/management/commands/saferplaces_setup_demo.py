"""Create the demo partnership, its organisations and one demo user per role. Idempotent."""

from __future__ import annotations

import base64
import json
import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from saferplaces.accounts import services
from saferplaces.accounts.models import (
    BackupCode,
    BackupCodeDevice,
    Membership,
    Organisation,
    OrganisationType,
    Partnership,
    Role,
    StatutoryStatus,
    User,
)

PARTNERSHIP = {
    "name": "North West Leicestershire Community Safety Partnership",
    "gss_code": "E22000170",
    "lad_codes": ["E07000134"],
    "police_force": "leicestershire",
    "public_summary": (
        "The partnership brings together the councils, police, fire and rescue, health, "
        "probation, housing, youth justice and voluntary groups serving North West "
        "Leicestershire, including Coalville, Ashby de la Zouch and Castle Donington."
    ),
}
RA, CO, PA = (
    StatutoryStatus.RESPONSIBLE_AUTHORITY,
    StatutoryStatus.CO_OPERATING,
    StatutoryStatus.PARTICIPATING,
)
ORGANISATIONS = [
    ("North West Leicestershire District Council", OrganisationType.COUNCIL, RA),
    ("Leicestershire County Council", OrganisationType.COUNCIL, RA),
    ("Leicestershire Police", OrganisationType.POLICE, RA),
    ("Leicestershire Fire and Rescue Service", OrganisationType.FIRE_AND_RESCUE, RA),
    ("Leicester, Leicestershire and Rutland ICB", OrganisationType.HEALTH, RA),
    ("Probation Service East Midlands", OrganisationType.PROBATION, RA),
    ("Demo Housing Association", OrganisationType.HOUSING, CO),
    ("Leicestershire Youth Justice Service", OrganisationType.YOUTH_JUSTICE, CO),
    ("Coalville Community Voluntary Group (demo)", OrganisationType.VOLUNTARY, PA),
]
# e-mail, name, organisation, role
USERS = [
    (
        "manager@demo.saferplaces.test",
        "Morgan Manager",
        ORGANISATIONS[0][0],
        Role.PARTNERSHIP_MANAGER,
    ),
    ("analyst@demo.saferplaces.test", "Ash Analyst", ORGANISATIONS[0][0], Role.ANALYST),
    ("officer@demo.saferplaces.test", "Olu Officer", ORGANISATIONS[2][0], Role.PARTNER_OFFICER),
    ("board@demo.saferplaces.test", "Bea Board", ORGANISATIONS[3][0], Role.BOARD_MEMBER),
    ("viewer@demo.saferplaces.test", "Vic Viewer", ORGANISATIONS[8][0], Role.VIEWER),
]
ADMIN_EMAIL = "admin@demo.saferplaces.test"
BACKUP_CODES = 10


class Command(BaseCommand):
    help = (
        "Create the demo partnership (North West Leicestershire), its organisations and one "
        "demo user per role. Safe to run again. Sign-in details are written once to "
        "<SAFERPLACES_DATA_DIR>/demo-credentials.txt."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--quiet-credentials", action="store_true", help="Do not print them")

    def handle(self, *args: Any, **options: Any) -> None:
        credentials = self._credentials()
        with transaction.atomic():
            admin = self._admin(credentials)
            partnership = self._partnership(admin)
            organisations = self._organisations(admin, partnership)
            for email, name, organisation_name, role in USERS:
                self._member(
                    admin, organisations[organisation_name], email, name, role, credentials
                )
        if not options["quiet_credentials"]:
            self.stdout.write(self._describe(credentials))

    # -- credentials -------------------------------------------------------------------------

    def _path(self):  # type: ignore[no-untyped-def]
        return settings.DATA_DIR / "demo-credentials.json"

    def _credentials(self) -> dict[str, Any]:
        path = self._path()
        if path.exists():
            return json.loads(path.read_text())
        credentials = {
            "password": secrets.token_urlsafe(12),
            "totp_key": secrets.token_hex(20),
            "backup_codes": [secrets.token_hex(4) for _ in range(BACKUP_CODES)],
        }
        settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(credentials, indent=2))
        path.chmod(0o600)
        return credentials

    def _describe(self, credentials: dict[str, Any]) -> str:
        device = TOTPDevice.objects.filter(
            user__email=ADMIN_EMAIL, name="Demo authenticator"
        ).first()
        secret = base64.b32encode(bytes.fromhex(credentials["totp_key"])).decode()
        lines = [
            "",
            "SaferPlaces demo sign-in (development only)",
            f"Password for every demo user: {credentials['password']}",
            "",
        ]
        lines += [f"  {role.label:<22} {email}" for email, _, _, role in USERS]
        lines += [
            f"  {'System administrator':<22} {ADMIN_EMAIL}",
            "",
            "Every account needs a two-factor code. For the demo, every demo user shares one",
            "authenticator key: add it to an authenticator app (TOTP, 6 digits, 30 s)",
            f"  key: {secret}",
            f"  otpauth URL: {device.config_url if device else ''}",
            "No authenticator app to hand? `make demo-code` prints the current code.",
            "The administrator can also use one of these single-use backup codes:",
            "  " + " ".join(credentials["backup_codes"]),
            "",
        ]
        text = "\n".join(lines)
        (settings.DATA_DIR / "demo-credentials.txt").write_text(text)
        (settings.DATA_DIR / "demo-credentials.txt").chmod(0o600)
        return text

    # -- records -----------------------------------------------------------------------------

    def _set_password(self, user: User, password: str) -> None:
        if not user.check_password(password):
            user.set_password(password)
            user.save(update_fields=["password"])

    def _admin(self, credentials: dict[str, Any]) -> User:
        admin = User.objects.filter(email=ADMIN_EMAIL).first()
        if admin is None:
            admin = User.objects.create_superuser(ADMIN_EMAIL, full_name="Sam Sysadmin")
        self._set_password(admin, credentials["password"])
        self._second_factor(admin, credentials)
        return admin

    def _second_factor(
        self, user: User, credentials: dict[str, Any], *, backup_codes: bool = True
    ) -> None:
        """The shared demo authenticator key, and backup codes (stored hashed) if asked."""
        TOTPDevice.objects.get_or_create(
            user=user,
            name="Demo authenticator",
            defaults={"key": credentials["totp_key"], "confirmed": True},
        )
        if not backup_codes:  # hashing is deliberately slow: the administrator's set only
            return
        backup, created = BackupCodeDevice.objects.get_or_create(
            user=user, name="Demo backup codes", defaults={"confirmed": True}
        )
        if created:
            BackupCode.objects.bulk_create(
                BackupCode(device=backup, code_hash=make_password(code))
                for code in credentials["backup_codes"]
            )

    def _partnership(self, admin: User) -> Partnership:
        partnership = Partnership.objects.filter(gss_code=PARTNERSHIP["gss_code"]).first()
        return partnership or services.partnership_create(by=admin, **PARTNERSHIP)

    def _organisations(self, admin: User, partnership: Partnership) -> dict[str, Organisation]:
        existing = {o.name: o for o in Organisation.objects.filter(partnership=partnership)}
        for name, kind, status in ORGANISATIONS:
            if name not in existing:
                existing[name] = services.organisation_create(
                    by=admin, partnership=partnership, name=name, type=kind, statutory_status=status
                )
        return existing

    def _member(
        self,
        admin: User,
        organisation: Organisation,
        email: str,
        name: str,
        role: str,
        credentials: dict[str, Any],
    ) -> None:
        if not Membership.objects.filter(user__email=email, organisation=organisation).exists():
            # A new account is added directly (an existing one would only be invited).
            services.membership_add(
                by=admin,
                organisation=organisation,
                email=email,
                full_name=name,
                role=role,
                base_url=settings.SAFERPLACES_BASE_URL or "http://127.0.0.1:8000",
                notify=False,
            )
        user = User.objects.get(email=email)
        self._set_password(user, credentials["password"])
        self._second_factor(user, credentials, backup_codes=False)
