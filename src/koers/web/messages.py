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
        # editors and admin
        (r"a password has at most (?P<n>\d+) characters", N_("A password has at most %(n)s characters.")),
        (
            r"an in_range KPI needs target_low and target_high",
            N_("A KPI within a range needs its lowest and highest value."),
        ),
        (r"target_low must not be above target_high", N_("The lowest value must not be above the highest.")),
        (
            r"red_at \((?P<red>[^)]+)\) must not be above green_at \((?P<green>[^)]+)\).*",
            N_("Red (%(red)s) must not lie above green (%(green)s) when higher is better."),
        ),
        (
            r"red_at \((?P<red>[^)]+)\) must not be below green_at \((?P<green>[^)]+)\).*",
            N_("Red (%(red)s) must not lie below green (%(green)s) when lower is better."),
        ),
        (
            r"green_at of an in_range KPI is a distance.*",
            N_("For a KPI within a range, green is a distance: 0 or more."),
        ),
        (r"\w+ is longer than (?P<n>\d+) characters", N_("This is too long: at most %(n)s characters.")),
        (r"team .* cannot sit under one of its own sub-teams", N_("A team cannot sit under one of its own sub-teams.")),
        (r"a new cycle cannot start closed.*", N_("A new cycle cannot start closed.")),
        (r"close a cycle with .*", N_("Closing a cycle grades its objectives; that is a separate step.")),
        (r"user .* is disabled", N_("This user is disabled.")),
        (
            r"an initiative belongs to either an objective or a key result",
            N_("Choose the objective or key result this work should move."),
        ),
        (r"expires_at must lie in the future", N_("That date has already passed.")),
        (r"this is the last admin.*", N_("This is the last admin: make someone else admin first.")),
    ]
]


def localise(error: KoersError) -> str:
    """The error's message in the current language (English messages without a pattern stay as they are)."""
    for pattern, message in PATTERNS:
        match = pattern.fullmatch(error.message)
        if match:
            return _(message) % match.groupdict()
    return error.message
