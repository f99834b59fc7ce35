"""Reading an import document's text (JSON or YAML) into data: one parser for every door that imports.

YAML is read with the safe loader and without aliases: 3.6 KB of nested anchors and aliases expand to billions of
nodes (an alias bomb), and an export never writes aliases, so a document that holds one is refused at once.
"""

from __future__ import annotations

import json
from typing import Any

import yaml

from koers.domain.errors import ValidationError


class _NoAliasLoader(yaml.SafeLoader):
    """The safe loader, refusing `*alias` before it is expanded."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(
                None, None, "aliases (*name) are not allowed in an import document", event.start_mark
            )
        return super().compose_node(parent, index)


def parse_document(raw: bytes, name: str, limit: int) -> Any:
    """The data in `raw` (JSON, or YAML when `name` says so or the text does not start like JSON)."""
    if len(raw) > limit:
        raise ValidationError("document.too_large", megabytes=f"{limit / (1024 * 1024):g}")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError("file.not_utf8", file=name) from None
    if not text.strip():
        raise ValidationError("file.empty", file=name)
    if name.lower().endswith((".yaml", ".yml")) or not text.lstrip().startswith(("{", "[")):
        try:
            return yaml.load(text, Loader=_NoAliasLoader)
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            problem = str(getattr(error, "problem", error))
            if mark:
                raise ValidationError("file.invalid_yaml_at", file=name, line=mark.line + 1, problem=problem) from None
            raise ValidationError("file.invalid_yaml", file=name, problem=problem) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise ValidationError(
            "file.invalid_json", file=name, problem=error.msg, line=error.lineno, column=error.colno
        ) from None
