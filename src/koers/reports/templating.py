"""The reports' templates: one Jinja environment with autoescaping and the shared catalogues, rendered in a language.

Reports are documents (a file, a PDF, an e-mail body), so they carry their own style and never reach into the web
pages' templates.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, pass_context, select_autoescape
from jinja2.runtime import Context

from koers import __version__, i18n
from koers.vocabulary import label

TEMPLATES = Path(__file__).with_name("templates")


@pass_context
def _label(context: Context, code: str | None) -> str:
    """A vocabulary code as the reader's word. `pass_context` keeps Jinja from folding `"tactical"|label` into the
    compiled template: folded, the language of the first page rendered would stick to every later page."""
    return i18n.gettext_(label(code))


def template_environment(folder: Path) -> Environment:
    """A Jinja environment on `folder`: autoescaping, the shared catalogues, labels and the locale's formats.

    The report documents and the web pages each have their own templates, and both are built by this function.
    """
    made = Environment(
        loader=FileSystemLoader(folder),
        autoescape=select_autoescape(["html", "svg"], default_for_string=True),
        extensions=["jinja2.ext.i18n"],
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    made.install_gettext_callables(i18n.gettext_, i18n.ngettext_, newstyle=True)  # type: ignore[attr-defined]
    made.filters["label"] = _label
    made.globals.update(
        number=i18n.number,
        score=i18n.score,
        percent=i18n.percent,
        day=i18n.day,
        moment=i18n.moment,
        version=__version__,
    )
    return made


environment = template_environment(TEMPLATES)


def language(lang: str | None) -> str:
    """A language Koers speaks: the one asked for, else the default (Dutch)."""
    return lang if lang in i18n.LOCALES else i18n.DEFAULT_LOCALE


def render(template: str, context: dict[str, Any], lang: str | None) -> str:
    """Render a report template in `lang` (nl or en)."""
    token = i18n.current_locale.set(language(lang))
    try:
        return environment.get_template(template).render(lang=language(lang), **context)
    finally:
        i18n.current_locale.reset(token)


def translated(lang: str | None, message: str) -> str:
    """One message in `lang` (for cells and labels built outside a template)."""
    return i18n.translations(language(lang)).gettext(message)
