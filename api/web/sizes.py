"""File sizes in words, the one rule for every page: bytes below a kilobyte, else
kilobytes with one decimal and the page's decimal sign ("1,5 KB")."""
from __future__ import annotations

from flask_babel import gettext as _

from engine import monitoring_labels

from api.web.lang import page_lang


def size_words(size: int, lang: str | None = None) -> str:
    """``size`` bytes in words for a page in ``lang`` (default: the page's)."""
    lang = lang or page_lang()
    if size < 1024:
        return _("%(size)s bita", size=size)
    return f"{monitoring_labels.number(size / 1024, 1, lang)} KB"


def register_filters(app) -> None:
    """``{{ n|size_words }}`` in templates."""
    app.jinja_env.filters["size_words"] = size_words
