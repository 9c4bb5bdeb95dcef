"""The "add article" form: pasted text, an uploaded file, or a URL."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from articles.languages import language_choices
from articles.models import SubmissionKind
from tracker.forms import PartialDateFormField

MAX_UPLOAD_BYTES = 10_000_000


class ArticleSubmitForm(forms.Form):
    text = forms.CharField(
        label="Paste the article",
        required=False,
        widget=forms.Textarea(attrs={"rows": 14, "cols": 100}),
        help_text="Plain text or HTML, as copied.",
    )
    upload = forms.FileField(label="…or upload a file", required=False, help_text=".html, .htm or .txt")
    url = forms.URLField(label="…or give its URL", required=False, assume_scheme="https", max_length=2000)
    title = forms.CharField(required=False, max_length=500)
    publisher = forms.CharField(required=False, max_length=200)
    published = PartialDateFormField(
        label="Publication date", help_text="YYYY, YYYY-MM or YYYY-MM-DD; relative dates in the text resolve against it"
    )
    language = forms.ChoiceField(
        required=False,
        choices=language_choices,
        help_text="Leave it to detection unless you know better: the page's own declaration is often its site's.",
    )

    def clean(self):
        cleaned = super().clean()
        given = [name for name in ("text", "upload", "url") if cleaned.get(name)]
        if len(given) != 1:
            raise ValidationError("Give exactly one of: pasted text, an uploaded file, or a URL.", code="one_source")
        upload = cleaned.get("upload")
        if upload and upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError(f"The file is larger than {MAX_UPLOAD_BYTES // 1_000_000} MB.", code="too_large")
        return cleaned

    def submission_kwargs(self) -> dict:
        """Arguments for articles.services.article_submit."""
        data = self.cleaned_data
        common = {
            "title": data["title"],
            "publisher": data["publisher"],
            "published": data["published"],
            "language": data["language"],
        }
        if data.get("upload"):
            upload = data["upload"]
            return {
                **common,
                "raw": upload.read(),
                "submission": SubmissionKind.FILE,
                "filename": upload.name,
                "content_type": upload.content_type or "",
            }
        if data.get("url"):
            return {**common, "url": data["url"], "submission": SubmissionKind.URL}
        return {**common, "raw": data["text"].encode("utf-8"), "submission": SubmissionKind.TEXT}
