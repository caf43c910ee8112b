"""Task forms on a page: JSON Schema + uiSchema turned into fields to render,
and a posted HTML form turned back into the data the engine validates."""
from __future__ import annotations

import base64
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from api.web.wita import from_local_input, local_input

PDF_MAGIC = b"%PDF-"
MAX_PDF_BYTES = 5 * 1024 * 1024  # the engine's limit for an uploaded letter
FILE_ERROR = _l("Unggah berkas PDF (isi berkas diperiksa, bukan namanya) berukuran paling besar 5 MB.")
NOT_PDF = _l("Berkas ini bukan PDF (isinya diperiksa, bukan namanya). Unggah pindaian surat dalam format PDF.")
TOO_BIG = _l("Berkas PDF ini lebih dari 5 MB. Perkecil pindaiannya (mis. 150 dpi, hitam-putih) lalu unggah lagi.")


@dataclass(frozen=True)
class Field:
    """One input of a form, as the widget macros need it."""

    name: str
    widget: str
    label: str
    required: bool
    prop: dict
    ui: dict
    options: list  # (value, label) pairs for choices

    @property
    def help(self) -> str:
        """The uiSchema's help text, if any."""
        return self.ui.get("ui:help", "")


def _widget(prop: dict, ui: dict) -> str:
    if ui.get("ui:widget"):
        return ui["ui:widget"]
    if prop.get("type") == "array":
        return "checkboxes" if "enum" in prop.get("items", {}) else "lines"
    if "enum" in prop:
        return "select"
    if prop.get("type") == "boolean":
        return "checkbox"
    if prop.get("type") in ("integer", "number"):
        return "number"
    return {"date": "date", "date-time": "date-time", "data-url": "file"}.get(prop.get("format") or "", "text")


def _options(prop: dict, lang: str = "id") -> list:
    source = prop.get("items", prop) if prop.get("type") == "array" else prop
    values = source.get("enum", [])
    names = source.get("x-enumNames", values)
    if lang == "en":
        names = source.get("x-enumNames-en", names)
    return [(v, names[i] if i < len(names) else v) for i, v in enumerate(values)]


def _label(prop: dict, name: str, lang: str) -> str:
    """The field's title in the page's language (``x-vicon-title-en`` for English)."""
    if lang == "en" and prop.get("x-vicon-title-en"):
        return prop["x-vicon-title-en"]
    return prop.get("title", name)


def _ui(ui: dict, lang: str) -> dict:
    """The uiSchema of a field with its English help and placeholder on English pages."""
    if lang != "en":
        return ui
    english = {k[:-3]: v for k, v in ui.items() if k in ("ui:help-en", "ui:placeholder-en")}
    return {**ui, **english}


def fields(schema: dict, ui_schema: dict, lang: str = "id") -> list[Field]:
    """The form's fields in the uiSchema's order (``*`` stands for the rest), labelled
    in ``lang``."""
    props = schema.get("properties", {})
    order = [n for n in ui_schema.get("ui:order", []) if n != "*"]
    order += [n for n in props if n not in order]
    required = set(schema.get("required", ()))
    return [Field(n, _widget(props[n], ui_schema.get(n, {})), _label(props[n], n, lang), n in required,
                  props[n], _ui(ui_schema.get(n, {}), lang), _options(props[n], lang))
            for n in order if n in props]


def form_title(schema: dict, lang: str = "id") -> str:
    """The form's title in ``lang``."""
    english = schema.get("x-vicon-title-en")
    return str(english) if lang == "en" and english else str(schema.get("title", ""))


def read(schema: dict, ui_schema: dict, form, files, lang: str = "id") -> tuple[dict, dict]:
    """(data, errors): the posted form as engine data; errors only for uploads the
    page refuses itself (not a PDF, too big). Empty inputs are left out."""
    data, problems = {}, {}
    for field in fields(schema, ui_schema, lang):
        if field.widget == "file":
            upload = files.get(field.name)
            if upload and upload.filename:
                content = upload.read(MAX_PDF_BYTES + 1)
                if len(content) > MAX_PDF_BYTES:
                    problems[field.name] = [str(TOO_BIG)]
                elif not content.startswith(PDF_MAGIC):
                    problems[field.name] = [str(NOT_PDF)]
                else:
                    data[field.name] = "data:application/pdf;base64," + \
                        base64.b64encode(content).decode("ascii")
            continue
        value = _value(field, form)
        if value is not None:
            data[field.name] = value
    return data, problems


def _value(field: Field, form):
    if field.widget == "checkboxes":
        return form.getlist(field.name)
    if field.widget == "checkbox":
        return form.get(field.name) == "on"
    if field.widget == "lines":
        return [line.strip() for line in form.get(field.name, "").splitlines() if line.strip()]
    raw = form.get(field.name, "").strip()
    if raw == "":
        return None
    if field.widget == "date-time":
        return from_local_input(raw)
    if field.prop.get("type") == "integer":
        return _number(raw, int)
    if field.prop.get("type") == "number":
        return _number(raw, float)
    return raw


def _number(raw: str, kind):
    try:
        return kind(raw)
    except ValueError:
        return raw  # the engine names the wrong type in the user's language


def shown(field: Field, values: dict):
    """The value an input shows: what was typed (or the current value)."""
    value = values.get(field.name, field.prop.get("default"))
    if field.widget == "date-time" and value:
        return local_input(value)
    if field.widget == "lines" and isinstance(value, list):
        return "\n".join(map(str, value))
    return value
