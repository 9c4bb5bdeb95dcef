"""Cursor pagination: stable under concurrent inserts, and as fast on the last page as on the first."""

from __future__ import annotations

from rest_framework.exceptions import NotFound
from rest_framework.pagination import CursorPagination

from tracker.api.exceptions import InvalidQuery


class Cursor(CursorPagination):
    """`?cursor=` comes from the `next` and `previous` links; `?page_size=` is 1 to 500 (default 50): anything else
    is a 400, so a client never gets fewer records a page than it asked for without being told.

    The ordering is the view's `ordering` (one unique, non-null column, or one with a unique tie-break), or what the
    query's own `ordering` parameter chose once the filter set has validated it (see AgreementFilter.ORDERINGS).
    """

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
    ordering = "-id"

    def get_ordering(self, request, queryset, view):
        chosen = getattr(view, "chosen_ordering", None)
        if chosen:
            return chosen
        return (getattr(view, "ordering", None) or self.ordering,)

    def get_page_size(self, request) -> int:
        value = request.query_params.get(self.page_size_query_param)
        if value is None:
            return self.page_size
        # ASCII digits only: str.isdigit() also accepts "²", which int() refuses; and a number of thousands of
        # digits is refused by int() too. Both were server errors.
        digits = value.lstrip("0")
        if (
            not (value.isascii() and value.isdigit())
            or not digits
            or len(digits) > 6
            or int(digits) > self.max_page_size
        ):
            raise InvalidQuery({self.page_size_query_param: [f"A whole number from 1 to {self.max_page_size}."]})
        return int(digits)

    def get_schema_operation_parameters(self, view) -> list[dict]:
        # Declares what get_page_size accepts: 1 to the maximum.
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"] = {
                    "type": "integer",
                    "minimum": 1,
                    "maximum": self.max_page_size,
                    "default": self.page_size,
                }
                parameter["description"] = (
                    f"Records per page, from 1 to {self.max_page_size} (default {self.page_size}); "
                    "anything else is a 400."
                )
        return parameters

    def decode_cursor(self, request):
        try:
            return super().decode_cursor(request)
        except NotFound as error:
            raise InvalidQuery({"cursor": ["Invalid cursor: use the `next` or `previous` link as given."]}) from error
