"""English word lists for the coach, written as dictionary forms; inflections come from simplemma."""

ACTIVITY_VERBS = """
analyze analyse implement launch organize organise research investigate explore migrate build rebuild
conduct develop design redesign write rewrite publish establish introduce deploy install define document
map audit review evaluate assess prepare test pilot train interview survey identify eliminate automate
digitize digitise integrate refactor upgrade update replace select procure complete finish finalize
finalise release start coordinate facilitate draft outline brainstorm present pitch translate revamp
overhaul restructure reorganize reorganise standardize standardise formalize formalise send post host
revise rework rearrange relaunch modernize modernise consolidate centralize outsource schedule invite
construct renovate refurbish reinforce repair
"""

ACTIVITY_PHRASES = (
    r"\b(?:set|setting|sets)\s+up\b|\b(?:roll|rolling|rolled|rolls)\s+out\b|\b(?:carry|carrying|carried)\s+out\b"
    r"|\bmap(?:ping|ped)?\s+out\b|\bkick(?:ing|ed)?\s+off\b|\bput(?:ting)?\s+in\s+place\b|\bbuild(?:ing)?\s+out\b"
)

ACTIVITY_NOUNS = """
implementation introduction analysis development launch rollout migration research investigation review
redesign creation installation selection procurement evaluation assessment audit pilot setup establishment
digitisation digitization automation reorganisation reorganization restructuring overhaul
"""

OUTPUT_NOUNS = """
article blog blogpost webinar workshop training course session meeting event meetup presentation report
newsletter mailing campaign video podcast whitepaper ebook study talk lecture class interview survey
brochure feature integration release procedure protocol manual document guide hackathon dashboard demo call
"""

# Verbs of contact and effort: a count of them ("Call 50 customers a week") counts work done, not what it wins.
EFFORT_VERBS = "call phone ring email e-mail visit contact approach canvass"

CHANGE_VERBS = """
increase decrease reduce cut lower raise grow boost improve double triple quadruple halve shorten speed
accelerate drop rise fall decline climb lift expand shrink bring push drive up down
"""

ACHIEVE_VERBS = """
achieve reach hit attain exceed surpass beat win acquire gain sign onboard retain save convert generate
sell recruit hire fill use adopt buy purchase donate subscribe enroll enrol register activate
recommend return score rate earn pass
"""

# Fewer meetings or reports is an outcome (time saved), not output.
DECREASE_VERBS = "decrease reduce cut lower halve shorten drop fall decline shrink down fewer less"

MAINTAIN_VERBS = "maintain keep stay remain sustain"
MAINTAIN_WEAK_VERBS = "hold"

LIGHT_VERBS = "make create provide offer deliver ensure do be become get give have build"

VAGUE_WORDS = """
more less fewer better good improve improvement optimise optimize strengthen faster higher lower bigger
smaller often many much possible optimal maximum excellent significant significantly substantially
"""

GENERIC_WORDS = "everything things stuff do be become make grow get go something all"

NUMBER_WORDS = """
zero two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen
seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred thousand
million billion dozen twice thrice tenfold
"""

MULTIPLIERS = "halve double triple quadruple treble tenfold"

FRACTIONS = "half third quarter thirds quarters fifth fifths tenth tenths"
FRACTION_LEADS = "a one two three by"

STOPWORDS = """
the a an of to for from in on at by with and or as than that this these those our we us they their its
it is are be been was were per not also all each every any which who whose where so into over under
within via since across
"""

MEANS_MARKERS = "through via thanks"
COORDINATORS = "and plus"
BASELINE_FROM = "from"
BASELINE_TO = "to"
CURRENT_WORDS = "now current currently today baseline was"
RELATIVE_LEADS = "by"
THRESHOLDS = """
under below above over least most minimum maximum than to higher lower within
"""
BENCHMARKS = "average benchmark norm median"
COUNT_MARKERS = "number"
