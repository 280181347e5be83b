"""The Jinja2 environment for our pages: govuk-frontend-jinja macros plus a few globals."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.messages import get_messages
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PackageLoader, PrefixLoader

from saferplaces.core import forms_govuk, places

# GOV.UK Frontend's page template writes one inline <script> to add the js-enabled class.
# Our Content-Security-Policy forbids inline script; app/init.js (a static file) does the same
# job. We remove that one line when the package template is loaded, and a test checks that the
# pattern still matches the installed package (docs/adr/0001).
INLINE_SCRIPT = re.compile(r"^\s*<script[^>]*>document\.body\.className.*?</script>\s*$", re.M)


class GovukFrontendLoader(PackageLoader):
    """The package's templates, with the inline script removed from ``template.html``."""

    def get_source(self, environment: Environment, template: str) -> tuple[str, str, Callable]:
        source, filename, uptodate = super().get_source(environment, template)
        if template == "template.html":
            source, count = INLINE_SCRIPT.subn("", source)
            if count != 1:
                raise RuntimeError("govuk_frontend_jinja/template.html changed: review the loader")
        return source, filename, uptodate


def _our_template_dirs() -> list[str]:
    """``templates/`` of our own apps only; the admin's Django templates are never Jinja."""
    dirs = []
    for config in apps.get_app_configs():
        if config.name.startswith("saferplaces."):
            path = Path(config.path) / "templates"
            if path.is_dir():
                dirs.append(str(path))
    return dirs


def url(name: str, *args: Any, **kwargs: Any) -> str:
    return reverse(name, args=args or None, kwargs=kwargs or None)


def environment(**options: Any) -> Environment:
    options["loader"] = ChoiceLoader(
        [
            FileSystemLoader(_our_template_dirs()),
            PrefixLoader({"govuk_frontend_jinja": GovukFrontendLoader("govuk_frontend_jinja")}),
        ]
    )
    options["extensions"] = [*options.get("extensions", []), "jinja2.ext.do"]
    options.setdefault("autoescape", True)
    options["trim_blocks"] = True
    options["lstrip_blocks"] = True
    env = Environment(**options)  # noqa: S701 - autoescape is set above
    env.globals.update(
        {
            "static": static,
            "url": url,
            "get_messages": get_messages,
            "now": timezone.now,
            "settings_icons": settings.SAFERPLACES_ICONS,
            "govuk_field": forms_govuk.field_params,
            "govuk_choices": forms_govuk.choice_params,
            "govuk_error_summary": forms_govuk.error_summary_params,
            "district_names": places.district_names,
            "police_force_name": places.police_force_name,
        }
    )
    env.filters["localtime"] = timezone.localtime
    return env
