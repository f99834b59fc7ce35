"""Dutch word lists for the coach, written as dictionary forms; inflections come from simplemma."""

ACTIVITY_VERBS = """
analyseren implementeren lanceren organiseren onderzoeken ontwikkelen identificeren elimineren opzetten
uitvoeren uitrollen invoeren inrichten herinrichten opstellen opstarten ontwerpen herontwerpen bouwen
herbouwen schrijven herschrijven publiceren migreren automatiseren digitaliseren trainen opleiden
interviewen evalueren inventariseren verkennen beschrijven documenteren voorbereiden testen herzien
actualiseren introduceren afronden opleveren installeren aanschaffen selecteren aanbesteden integreren
versturen verzenden faciliteren coördineren presenteren vormgeven aanpassen vervangen moderniseren
herstructureren reorganiseren standaardiseren harmoniseren centraliseren uitbesteden formuleren definiëren
uitwerken indelen herindelen oprichten instellen inplannen uitnodigen benaderen verspreiden auditen
inspecteren herijken vernieuwen uitzoeken vertalen relanceren aanleggen renoveren verbouwen verzwaren
repareren slopen
"""

# Multi-word activities that a single lemma misses.
ACTIVITY_PHRASES = r"in kaart (?:te )?\w+|in beeld (?:te )?\w+|onder de loep \w+|in gebruik (?:te )?nemen|op poten \w+"

# Nouns that name the work itself when they head the statement ("Implementatie van ...").
ACTIVITY_NOUNS = """
implementatie invoering analyse ontwikkeling lancering introductie migratie uitrol onderzoek herziening
herinrichting inventarisatie evaluatie oprichting selectie aanschaf installatie ontwerp herontwerp
digitalisering automatisering reorganisatie audit pilot nulmeting opzet
"""

# Things produced by work: counting them counts output, not outcome.
OUTPUT_NOUNS = """
artikel blog blogpost post webinar workshop training cursus sessie bijeenkomst evenement event meetup
vergadering overleg presentatie rapport rapportage nieuwsbrief mailing campagne video podcast whitepaper
ebook klantcase casestudy gastles les lezing interview gesprek enquête brochure folder feature demo
functionaliteit integratie release handleiding document beleidsnotitie plan dashboard
"""

# Verbs of contact and effort: a count of them ("50 klanten per week bellen") counts work done, not what it wins.
EFFORT_VERBS = "bellen opbellen nabellen benaderen bezoeken mailen e-mailen contacteren aanschrijven spreken"

CHANGE_VERBS = """
verhogen verlagen verminderen reduceren terugbrengen terugdringen verkorten verbeteren vergroten verkleinen
groeien stijgen dalen toenemen afnemen halveren verdubbelen verdrievoudigen beperken versnellen inkorten
zakken brengen omhoog omlaag opkrikken opvoeren
"""

# Verbs whose object is won, reached or adopted: an outcome even when counted.
ACHIEVE_VERBS = """
behalen bereiken realiseren halen winnen werven binnenhalen aantrekken verkopen besparen converteren scoren
gebruiken aanbevelen terugkeren behouden verlengen betalen kopen doneren inschrijven aanmelden activeren
deelnemen invullen aannemen ophalen opbrengen slagen genereren
"""

# Minder vergaderingen of rapportages is een uitkomst (tijdwinst), geen output.
DECREASE_VERBS = """
verlagen verminderen reduceren terugbrengen terugdringen verkorten verkleinen dalen afnemen halveren
beperken zakken omlaag inkorten minder
"""

MAINTAIN_VERBS = "handhaven blijven"
MAINTAIN_WEAK_VERBS = "houden behouden vasthouden"

# Verbs that say "produce something" without saying what changes.
LIGHT_VERBS = "maken creëren neerzetten bieden leveren zorgen doen worden zijn krijgen geven laten hebben"

VAGUE_WORDS = """
meer minder beter goed veel verbeteren verbetering optimaliseren versterken sneller hoger lager groter
kleiner vaak zoveel mogelijk optimaal maximaal excellent significant aanzienlijk flink
"""

# Words that alone give an objective no subject ("Beter worden", "Alles beter doen").
GENERIC_WORDS = "alles dingen zaken doen worden zijn maken groeien gaan iets alles"

NUMBER_WORDS = """
nul één twee drie vier vijf zes zeven acht negen tien elf twaalf dertien veertien vijftien zestien
zeventien achttien negentien twintig dertig veertig vijftig zestig zeventig tachtig negentig honderd
duizend miljoen miljard dozijn tweemaal driemaal viermaal tienmaal tweederde driekwart anderhalf
"""

MULTIPLIERS = """
halveren verdubbelen verdrievoudigen verviervoudigen vertienvoudigen halvering verdubbeling
verdrievoudiging tienvoudig
"""

FRACTIONS = "helft half halve derde kwart vijfde zesde tiende honderdste"
FRACTION_LEADS = "een één twee drie de met"

STOPWORDS = """
de het een van voor naar in op met en of te bij door aan uit om over onder tot als dan dat die dit deze
onze ons we wij ze zij hun is zijn wordt worden was er per niet nog ook al elk elke ieder iedere alle
zich hij het wat welke waar waarbij zodat ten ter binnen na via sinds
"""

MEANS_MARKERS = "door via middels dankzij"
COORDINATORS = "en én alsook evenals alsmede plus"
BASELINE_FROM = "van"
BASELINE_TO = "naar tot"
CURRENT_WORDS = "nu huidig huidige momenteel baseline startwaarde uitgangswaarde vertrekpunt nulmeting"
RELATIVE_LEADS = "met"
THRESHOLDS = """
onder boven minimaal minstens maximaal hoogstens ten minste meer dan minder dan hoger dan lager dan
korter dan langer dan naar tenminste
"""
BENCHMARKS = "gemiddelde branchegemiddelde benchmark norm mediaan marktgemiddelde"
COUNT_MARKERS = "aantal"
