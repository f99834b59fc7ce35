"""Applying a partial change to an entity: only the fields a use case allows, refusing the rest."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any, TypeVar

from koers.domain.errors import ValidationError

E = TypeVar("E")


def apply_changes(entity: E, changes: Mapping[str, Any], allowed: Collection[str]) -> E:
    """Set each changed field on the entity; an unknown or read-only field is a clear error."""
    for name, value in changes.items():
        if name not in allowed:
            raise ValidationError("field.not_changeable", field=name, name=name, allowed=", ".join(sorted(allowed)))
        setattr(entity, name, value)
    return entity
