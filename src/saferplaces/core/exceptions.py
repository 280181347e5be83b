from __future__ import annotations

from typing import Any


class ApplicationError(Exception):
    """A rule of the application was broken; the message is safe to show to the user."""

    def __init__(self, message: str, extra: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.extra = extra or {}

    def add_to(self, form: Any, default_field: str | None = None) -> None:
        """Show the message on ``form``: on the field the service named (``extra["field"]``),
        else on ``default_field``, else above the form (the GOV.UK error summary lists it)."""
        field = self.extra.get("field", default_field)
        form.add_error(field if field in form.fields else None, self.message)
