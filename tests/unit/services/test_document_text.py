"""Reading import documents: JSON and YAML, with YAML aliases refused before they expand (issue 9, item 5)."""

from __future__ import annotations

import time
import tracemalloc

import pytest

from koers.domain.errors import ValidationError
from koers.services.document_text import parse_document

LIMIT = 20 * 1024 * 1024


def alias_bomb(levels: int = 3, width: int = 300) -> bytes:
    """Anchors that each repeat the level below `width` times: 300 × 300 × 300 nodes from a few kilobytes."""
    lines = ["a0: &a0 [1]"]
    for level in range(1, levels + 1):
        lines.append(f"a{level}: &a{level} [" + ", ".join(f"*a{level - 1}" for _ in range(width)) + "]")
    lines.append(f"objectives: *a{levels}")
    return "\n".join(lines).encode()


def test_a_yaml_alias_bomb_is_refused_within_a_second_without_expanding():
    bomb = alias_bomb()
    assert len(bomb) < 8_000
    tracemalloc.start()
    started = time.perf_counter()
    with pytest.raises(ValidationError) as refused:
        parse_document(bomb, "bomb.yaml", LIMIT)
    elapsed = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert refused.value.code == "file.invalid_yaml_at"
    assert "aliases" in refused.value.message and "line 2" in refused.value.message
    assert elapsed < 1.0
    assert peak < 20 * 1024 * 1024


def test_plain_yaml_and_json_are_read_and_anchors_without_aliases_are_harmless():
    assert parse_document(b"cycles:\n  - {name: Q1}\n", "org.yaml", LIMIT) == {"cycles": [{"name": "Q1"}]}
    assert parse_document(b"x: &x 1\n", "org.yml", LIMIT) == {"x": 1}
    assert parse_document(b'{"cycles": []}', "org.json", LIMIT) == {"cycles": []}


@pytest.mark.parametrize(
    ("raw", "name", "code"),
    [
        (b"\xff\xfe", "org.json", "file.not_utf8"),
        (b"   \n", "org.json", "file.empty"),
        (b'{"cycles": [}', "org.json", "file.invalid_json"),
        (b"!!python/object/apply:os.system ['true']", "org.yaml", "file.invalid_yaml_at"),
        (b"x" * 101, "org.json", "document.too_large"),
    ],
)
def test_bad_documents_get_one_clear_error(raw, name, code):
    with pytest.raises(ValidationError) as refused:
        parse_document(raw, name, 100)
    assert refused.value.code == code
