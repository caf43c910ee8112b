"""Stored choice values in words: a disposition's instructions, an urgency or a
decision are stored as the form's Indonesian values and never change; pages
name them from the form's choice names in the page's language."""
from __future__ import annotations

from api.web.form_fields import fields


def choice_names(forms: dict, lang: str) -> dict[str, str]:
    """Stored value -> its name in ``lang``, over every form of a version
    (``forms``: form key -> FormView)."""
    names: dict[str, str] = {}
    for form in forms.values():
        if form is None:
            continue
        for field in fields(form.schema, form.ui_schema or {}, lang):
            names.update((str(value), str(name)) for value, name in field.options)
    return names
