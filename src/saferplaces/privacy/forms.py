from __future__ import annotations

from django import forms

from saferplaces.core.public_forms import PublicFormMixin


class AccessRequestForm(PublicFormMixin, forms.Form):
    email = forms.EmailField(
        label="E-mail address",
        max_length=254,
        help_text="The address you gave on this site's forms.",
        error_messages={
            "required": "Enter your e-mail address",
            "invalid": "Enter an e-mail address in the correct format, like name@example.com",
        },
    )
