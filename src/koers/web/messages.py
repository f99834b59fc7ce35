"""Domain messages in the reader's language: the services speak English, people may not."""

from __future__ import annotations

import re

from koers.domain.errors import KoersError
from koers.web.i18n import gettext_ as _
from koers.web.vocabulary import N_

# (pattern of the English message, message id in the catalogue with the same named groups)
PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(p), m)
    for p, m in [
        (
            r"an increase key result needs a target above its baseline \(baseline (?P<b>[^,]+), target (?P<t>[^)]+)\)",
            N_("An increase needs a target above its baseline (baseline %(b)s, target %(t)s)."),
        ),
        (
            r"a decrease key result needs a target below its baseline \(baseline (?P<b>[^,]+), target (?P<t>[^)]+)\)",
            N_("A decrease needs a target below its baseline (baseline %(b)s, target %(t)s)."),
        ),
        (
            r"target_low \((?P<lo>[^)]+)\) must not be above target_high \((?P<hi>[^)]+)\)",
            N_("The lowest value of the range (%(lo)s) must not be above the highest (%(hi)s)."),
        ),
        (r"an? (?P<kind>\w+) key result needs a (?P<field>\w+)", N_("This kind of key result needs a %(field)s.")),
        (r"weight must be greater than 0.*", N_("The weight must be greater than 0.")),
        (r"a milestone .*", N_("A milestone is 0 (not done) or 1 (done).")),
        (r"cycle (?P<name>.+) is closed.*", N_("Cycle %(name)s is closed: it no longer accepts changes.")),
        (r"key result (?P<id>\d+) is archived.*", N_("This key result is archived.")),
        (
            r".* was changed by someone else .*",
            "Someone else changed this in the meantime. Reload the page and try again.",
        ),
        (r"you may not .*|only admins may .*|members create .*|you cannot .*", N_("You are not allowed to do this.")),
        (r"(?P<what>[\w -]+) (?P<id>\d+) does not exist", N_("This no longer exists.")),
        (r".* lies in the future", N_("That moment lies in the future.")),
        (r".* is not a valid email address", N_("That is not a valid email address.")),
        (r"a (?P<what>\w+) (named|with email) .* already exists", N_("That name or email address is already in use.")),
        (r".* would make a loop", N_("That alignment would make a loop.")),
        (
            r"a strategic objective cannot align under a tactical one",
            "A strategic objective cannot align under a tactical one.",
        ),
        (r"end_date .* must be after start_date .*", N_("The end date must be after the start date.")),
        (r"(?P<field>\w+) must not be empty", N_("This field is required.")),
        (r"(?P<field>\w+) must be one of .*", N_("Choose one of the options.")),
        (r"a password needs at least (?P<n>\d+) characters", N_("A password needs at least %(n)s characters.")),
    ]
]


def localise(error: KoersError) -> str:
    """The error's message in the current language (English messages without a pattern stay as they are)."""
    for pattern, message in PATTERNS:
        match = pattern.fullmatch(error.message)
        if match:
            return _(message) % match.groupdict()
    return error.message
