"""Print the demo users' current two-factor code, so the demo can be tried without a phone.

Every demo user shares one authenticator key (``saferplaces_setup_demo``). Someone trying the
demo on a machine without an authenticator app runs ``make demo-code`` and types the six
digits it prints. Refused outside development: it reads a secret.
"""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

DEMO_DEVICE = "Demo authenticator"
DEMO_DOMAIN = "@demo.saferplaces.test"


class Command(BaseCommand):
    help = "Print the current two-factor code shared by the demo users (development only)."

    def handle(self, *args: Any, **options: Any) -> None:
        if getattr(settings, "SAFERPLACES_ENV", "") == "production":
            raise CommandError("The demo code is for development only; production has no demo.")
        device = (
            TOTPDevice.objects.filter(
                name=DEMO_DEVICE, confirmed=True, user__email__endswith=DEMO_DOMAIN
            )
            .order_by("pk")
            .first()
        )
        if device is None:
            raise CommandError("No demo users yet: run `make run` (or saferplaces_setup_demo).")
        app = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        seconds = device.step - int(time.time() - device.t0) % device.step
        self.stdout.write(f"{app.token():06d}  (valid for about {seconds} more seconds)")
