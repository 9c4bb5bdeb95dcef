"""The API's HTML pages (DRF's browsable API) under the Content-Security-Policy."""

from __future__ import annotations

from csp.constants import SELF, UNSAFE_INLINE
from rest_framework import renderers


class BrowsableAPIRenderer(renderers.BrowsableAPIRenderer):
    """DRF's pages, whose templates set a few styles inline ("float: right" on the filters button): these pages, and
    only these, may apply inline styles; their scripts stay files of the site ('self')."""

    def render(self, data, accepted_media_type=None, renderer_context=None):
        response = (renderer_context or {}).get("response")
        if response is not None:
            response._csp_update = {"style-src": [SELF, UNSAFE_INLINE]}
        return super().render(data, accepted_media_type, renderer_context)
