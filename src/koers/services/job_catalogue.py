"""Every module that registers background jobs, imported here so that `koers sync` and `koers serve` know them all.

Add a module by one import line (its top level calls `koers.services.jobs.register`).
"""

from __future__ import annotations

# maintenance: the nightly recompute of stored scores; reminders: the weekly mail; sources: data-source sync;
# webhooks: deliveries with retries.
from koers.services import maintenance, reminders, sources, webhooks  # noqa: F401
