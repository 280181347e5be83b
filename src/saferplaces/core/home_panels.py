"""Panels on the staff home page, given by the apps that have something to say.

The home page belongs to ``accounts``, which may not import the apps above it (import-linter:
accounts, audit and core never import analytics). So an app registers a provider here in its
``AppConfig.ready()``, and the home page shows what the providers return for this user and
partnership. A provider must be quick: it reads cached figures only, never computes them.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class HomePanel:
    """One block of the home page: a heading, and a template rendered with ``panel``."""

    title: str
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    order: int = 100  # lower first


# user, partnership, the user's roles in it, is it the current partnership → panels
Provider = Callable[[Any, Any, Collection[str], bool], list[HomePanel]]
_providers: dict[str, Provider] = {}


def home_panel_register(name: str, provider: Provider) -> None:
    """Add (or replace, so a second ``ready()`` is harmless) the provider called ``name``."""
    _providers[name] = provider


def home_panels_for(
    *, user: Any, partnership: Any, roles: Collection[str], is_current: bool
) -> list[HomePanel]:
    """Every registered provider's panels for this user and partnership, in order."""
    panels: list[HomePanel] = []
    for provider in _providers.values():
        panels.extend(provider(user, partnership, roles, is_current))
    return sorted(panels, key=lambda panel: panel.order)


# The public home page, likewise: an app adds context (e.g. the published plans) without core
# importing it. Each provider returns a dict merged into the page's context.
PublicProvider = Callable[[], dict[str, Any]]
_public_providers: dict[str, PublicProvider] = {}


def public_home_register(name: str, provider: PublicProvider) -> None:
    """Add (or replace) the public home page's context provider called ``name``."""
    _public_providers[name] = provider


def public_home_context() -> dict[str, Any]:
    """Every registered provider's context for the public home page."""
    context: dict[str, Any] = {}
    for provider in _public_providers.values():
        context.update(provider())
    return context


# A new partnership's set-up checklist (shown by analytics on the staff home) ends with steps that
# other apps know about, such as the first strategic assessment.
SetupStep = Callable[[Any], dict[str, Any]]
_setup_steps: dict[str, SetupStep] = {}


def setup_step_register(name: str, step: SetupStep) -> None:
    """Add (or replace) a checklist step: ``step(partnership)`` gives text, done, status, href."""
    _setup_steps[name] = step


def setup_steps_for(partnership: Any) -> list[dict[str, Any]]:
    """Every registered step for ``partnership``, in registration order."""
    return [step(partnership) for step in _setup_steps.values()]


# What a resident can do here, listed on the public home page ("Report a concern", "Ask for an
# ASB case review", "Have your say", "Get alerts"...): each resident-facing app adds its own.
@dataclass(frozen=True)
class PublicService:
    """A link on the public home page: ``url_name`` is reversed when the page is drawn."""

    title: str
    url_name: str
    description: str
    order: int = 100  # lower first


_public_services: dict[str, PublicService] = {}


def public_service_register(name: str, service: PublicService) -> None:
    """Add (or replace) the public home page's link called ``name``."""
    _public_services[name] = service


def public_services() -> list[PublicService]:
    return sorted(_public_services.values(), key=lambda service: service.order)


# The staff "Residents" page gathers the work that comes from residents (concerns to triage,
# case reviews, surveys, the community network, alerts, forums): each app gives its sections.
@dataclass(frozen=True)
class ResidentWorkSection:
    """One block of the staff "Residents" page: a link, what it is, and a short status line."""

    title: str
    href: str
    description: str
    status: str = ""  # e.g. "4 concerns waiting for triage"
    order: int = 100


# user, partnership, the user's roles in it → sections (empty when the user may not see them)
ResidentWorkProvider = Callable[[Any, Any, Collection[str]], list[ResidentWorkSection]]
_resident_work: dict[str, ResidentWorkProvider] = {}


def resident_work_register(name: str, provider: ResidentWorkProvider) -> None:
    """Add (or replace) the provider called ``name`` of the staff "Residents" page."""
    _resident_work[name] = provider


def resident_work_for(
    *, user: Any, partnership: Any, roles: Collection[str]
) -> list[ResidentWorkSection]:
    sections: list[ResidentWorkSection] = []
    for provider in _resident_work.values():
        sections.extend(provider(user, partnership, roles))
    return sorted(sections, key=lambda section: section.order)
