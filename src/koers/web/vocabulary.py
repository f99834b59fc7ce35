"""Words of the OKR vocabulary as people read them: the shared `koers.vocabulary`, under the web's name."""

from __future__ import annotations

from koers.vocabulary import LABELS, N_, label

__all__ = ["LABELS", "N_", "label"]
