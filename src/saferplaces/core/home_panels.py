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
