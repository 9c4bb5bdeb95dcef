"""Request body parsers: DRF's, made to answer every unreadable body with a 400 instead of a server error."""

from __future__ import annotations

from rest_framework import parsers
from rest_framework.exceptions import ParseError


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser (so Django's DATA_UPLOAD_MAX_MEMORY_SIZE still applies to the body).

    Python's json module recurses once per nesting level: `[[[[…]]]]` a hundred thousand deep raises RecursionError,
    which is not a ValueError and escaped DRF's parser as a 500.
    """

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError as error:
            raise ParseError("JSON parse error - the document is nested too deeply.") from error
