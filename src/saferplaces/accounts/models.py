from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.hashers import check_password
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django_otp.models import Device, ThrottlingMixin, TimestampMixin

from saferplaces.accounts.validators import (
    validate_csp_code,
    validate_lad_codes,
    validate_police_force_slug,
)
from saferplaces.core.models import BaseModel


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        if not email:
            raise ValueError("A user needs an e-mail address.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra["is_system_admin"] = True
        return self.create_user(email, password, **extra)

    def get_by_natural_key(self, username: str | None) -> User:
        return self.get(email__iexact=username)


class User(AbstractBaseUser):
    """A person who signs in. E-mail is the login; the key is a UUID."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    email = models.EmailField("e-mail address", unique=True)
    full_name = models.CharField(max_length=150, blank=True)
    is_active = models.BooleanField(default=True)
    # Runs the installation (admin site, partnerships); sees no case data by default.
    is_system_admin = models.BooleanField("system administrator", default=False)
    date_joined = models.DateTimeField(auto_now_add=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        ordering = ["email"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique")
        ]

    def __str__(self) -> str:
        return self.full_name or self.email

    def clean(self) -> None:
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()

    # The Django admin asks these; only system administrators get in (see permissions.py).
    @property
    def is_staff(self) -> bool:
        return self.is_active and self.is_system_admin

    @property
    def is_superuser(self) -> bool:
        return self.is_staff

    def has_perm(self, perm: str, obj: Any = None) -> bool:
        return self.is_staff

    def has_module_perms(self, app_label: str) -> bool:
        return self.is_staff

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email


class OrganisationType(models.TextChoices):
    COUNCIL = "council", "Council"
    POLICE = "police", "Police"
    FIRE_AND_RESCUE = "fire_and_rescue", "Fire and rescue"
    HEALTH = "health", "NHS / integrated care board"
    PROBATION = "probation", "Probation"
    HOUSING = "housing", "Housing provider"
    YOUTH_JUSTICE = "youth_justice", "Youth justice"
    VOLUNTARY = "voluntary", "Voluntary or community group"
    EDUCATION = "education", "Education"
    PCC = "pcc", "Police and crime commissioner's office"
    OTHER = "other", "Other"


class StatutoryStatus(models.TextChoices):
    RESPONSIBLE_AUTHORITY = "responsible_authority", "Responsible authority"
    CO_OPERATING = "co_operating", "Co-operating body"
    PARTICIPATING = "participating", "Invited to participate"
    OTHER = "other", "Other partner"


class Role(models.TextChoices):
    PARTNERSHIP_MANAGER = "partnership_manager", "Partnership manager"
    ANALYST = "analyst", "Analyst"
    PARTNER_OFFICER = "partner_officer", "Partner officer"
    BOARD_MEMBER = "board_member", "Board member"
    VIEWER = "viewer", "Read-only viewer"


class Partnership(BaseModel):
    """A Community Safety Partnership (Crime and Disorder Act 1998, s.5)."""

    name = models.CharField(max_length=200, unique=True)
    gss_code = models.CharField(
        "GSS code", max_length=9, unique=True, validators=[validate_csp_code]
    )
    lad_codes = models.JSONField(
        "local authority district codes",
        default=list,
        validators=[validate_lad_codes],
        help_text="ONS codes of the districts the partnership covers, e.g. E07000134",
    )
    police_force = models.CharField(
        max_length=50,
        validators=[validate_police_force_slug],
        help_text="Force identifier as used by data.police.uk, e.g. leicestershire",
    )
    public_summary = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(gss_code__regex=r"^E22[0-9]{6}$"),
                name="accounts_partnership_gss_code_e22",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Organisation(BaseModel):
    """A partner agency inside a partnership."""

    Type = OrganisationType
    StatutoryStatus = StatutoryStatus

    partnership = models.ForeignKey(
        Partnership, on_delete=models.PROTECT, related_name="organisations"
    )
    name = models.CharField(max_length=200)
    type = models.CharField(max_length=30, choices=Type.choices)
    statutory_status = models.CharField(max_length=30, choices=StatutoryStatus.choices)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "name"], name="accounts_organisation_unique_name"
            ),
            models.CheckConstraint(
                condition=models.Q(type__in=OrganisationType.values),
                name="accounts_organisation_type_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(statutory_status__in=StatutoryStatus.values),
                name="accounts_organisation_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Membership(BaseModel):
    """A user's role in one organisation (and so in that organisation's partnership)."""

    Role = Role

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(max_length=30, choices=Role.choices)
    # When the person joined this organisation: for someone who already had an account, when
    # they accepted the invitation. The audit log shows a partnership personal events from then.
    joined_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["organisation__name", "user__email"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"], name="accounts_membership_one_per_organisation"
            ),
            models.CheckConstraint(
                condition=models.Q(role__in=Role.values),
                name="accounts_membership_role_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()}, {self.organisation}"

    @property
    def partnership(self) -> Partnership:
        return self.organisation.partnership


BACKUP_CODE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: read aloud or typed
BACKUP_CODE_LENGTH = 10  # about 49 bits each; stored only as salted password hashes


def backup_code_normalise(token: str) -> str:
    return "".join(ch for ch in token.lower() if ch.isalnum())


class BackupCodeDevice(TimestampMixin, ThrottlingMixin, Device):
    """Single-use backup codes, kept only as salted password hashes (ASVS v5.0.0-6.5.2).

    Replaces django-otp's ``StaticDevice``, whose tokens are stored in plain text.
    """

    class Meta:
        verbose_name = "backup code set"

    def get_throttle_factor(self) -> int:
        return int(getattr(settings, "OTP_STATIC_THROTTLE_FACTOR", 1))

    def verify_token(self, token: Any) -> bool:
        token = backup_code_normalise(str(token))
        # A 6-digit authenticator code is never a backup code: skip the slow hash checks.
        if len(token) < 8:
            return False
        allowed, _ = self.verify_is_allowed()
        if not allowed:
            return False
        for code in self.codes.all():
            if check_password(token, code.code_hash):
                # Delete-then-count makes the code single use even under concurrent requests.
                deleted, _ = BackupCode.objects.filter(pk=code.pk).delete()
                if deleted:
                    self.throttle_reset(commit=False)
                    self.set_last_used_timestamp(commit=False)
                    self.save()
                    return True
                break
        self.throttle_increment()
        return False


class BackupCode(models.Model):
    device = models.ForeignKey(BackupCodeDevice, on_delete=models.CASCADE, related_name="codes")
    code_hash = models.CharField(max_length=255)

    def __str__(self) -> str:
        return "backup code (hashed)"


class InvitationStatus(models.TextChoices):
    PENDING = "pending", "Waiting for an answer"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"
    CANCELLED = "cancelled", "Cancelled"
    EXPIRED = "expired", "Expired"


class MembershipInvitation(BaseModel):
    """An offer of a role to someone who already has an account; nothing changes until accepted.

    People new to SaferPlaces are added directly (they have no history another partnership
    could see); someone who already has an account must agree to join another organisation.
    """

    Status = InvitationStatus

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="invitations")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="invitations"
    )
    role = models.CharField(max_length=30, choices=Role.choices)
    invited_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(
        max_length=20, choices=InvitationStatus.choices, default=InvitationStatus.PENDING
    )
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"],
                condition=models.Q(status="pending"),
                name="accounts_invitation_one_pending_per_organisation",
            ),
            models.CheckConstraint(
                condition=models.Q(role__in=Role.values),
                name="accounts_invitation_role_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=InvitationStatus.values),
                name="accounts_invitation_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"Invitation for {self.user} to {self.organisation}"

    @property
    def partnership(self) -> Partnership:
        return self.organisation.partnership

    @property
    def expires_at(self) -> Any:
        """A pending invitation stops working ``SAFERPLACES_INVITATION_DAYS`` after it was sent."""
        return self.created_at + timedelta(days=settings.SAFERPLACES_INVITATION_DAYS)

    @property
    def is_expired(self) -> bool:
        if self.status == InvitationStatus.EXPIRED:
            return True
        return self.status == InvitationStatus.PENDING and timezone.now() >= self.expires_at


class UserSession(BaseModel):
    """One signed-in browser, so its owner can see it and end it (ASVS v5.0.0-7.5)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="signed_in_sessions")
    session_key = models.CharField(max_length=64, unique=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    last_seen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-last_seen_at"]

    def __str__(self) -> str:
        return f"Session of {self.user}"
