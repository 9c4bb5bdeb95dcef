"""Form fields shared by the admin, the page filters and the add-article form."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from tracker.partial_dates import PartialDate


class PartialDateFormField(forms.CharField):
    """A date typed at the precision it is known: 1951, 2023-07 or 2023-07-20. Cleans to a PartialDate or None."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", "YYYY, YYYY-MM or YYYY-MM-DD")
        kwargs.setdefault("widget", forms.TextInput(attrs={"placeholder": "YYYY[-MM[-DD]]", "size": 12}))
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        try:
            return PartialDate.parse(value)
        except ValueError as error:
            raise ValidationError(str(error), code="invalid_partial_date") from error
