from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse

from saferplaces.audit.services import audit_record


def sign_in_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Like ``login_required``, but the refusal is written to the audit log."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            audit_record(
                actor=None,
                verb="access.sign_in_required",
                object_type="url",
                object_id=request.path[:64],
                request=request,
            )
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return wrapper
