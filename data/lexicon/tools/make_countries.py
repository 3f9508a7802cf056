#!/usr/bin/env python3
"""Writes data/lexicon/countries.actors from the world-countries package.

Facts come from node_modules/world-countries/countries.json (ODbL 1.0): names,
official names, alternate spellings, English demonyms, capitals and ISO 3166
alpha-3 codes.  CAMEO's own composite codes for dependent territories
(USAPRI, GBRGIB, ...) come from ../shared/reference/cameo/countrynames.txt when
that file is present; the few it lists are also written out below so the
output does not depend on it.  Everything in EXTRA_* is the project's own
editorial knowledge of how news names states.

Usage:  python3 data/lexicon/tools/make_countries.py > data/lexicon/countries.actors
        (run from the repository root; node_modules must be installed)
"""
import json
import os
import re
import sys
import unicodedata

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
COUNTRIES = os.path.join(ROOT, "node_modules", "world-countries", "countries.json")

# CAMEO codes that differ from the ISO alpha-3 code.  Kosovo has no ISO code
# (world-countries uses the UN placeholder UNK); CAMEO writes KSV.  Dependent
# territories take CAMEO's "sovereign + territory" form.
CODE_OVERRIDE = {
    "UNK": "KSV",
    "ASM": "USAASM", "GUM": "USAGUM", "PRI": "USAPRI", "VIR": "USAVIR",
    "UMI": "USAUMI", "MNP": "USAMNP",
    "VGB": "GBRVGB", "FLK": "GBRFLK", "GIB": "GBRGIB", "IMN": "GBRIMN",
    "MSR": "GBRMSR", "PCN": "GBRPCN", "SHN": "GBRSHN", "BMU": "GBRBMU",
    "CYM": "GBRCYM", "TCA": "GBRTCA", "AIA": "GBRAIA", "IOT": "GBRIOT",
    "SGS": "GBRSGS", "JEY": "GBRJEY", "GGY": "GBRGGY",
    "FRO": "DNKFRO", "GRL": "DNKGRL",
    "GUF": "FRAGUF", "PYF": "FRAPYF", "NCL": "FRANCL", "WLF": "FRAWLF",
    "GLP": "FRAGLP", "MTQ": "FRAMTQ", "REU": "FRAREU", "MYT": "FRAMYT",
    "SPM": "FRASPM", "BLM": "FRABLM", "MAF": "FRAMAF", "ATF": "FRAATF",
    "NIU": "NZLNIU", "TKL": "NZLTKL", "COK": "NZLCOK",
    "NFK": "AUSNFK", "CXR": "AUSCXR", "CCK": "AUSCCK", "HMD": "AUSHMD",
    "ABW": "NLDABW", "CUW": "NLDCUW", "SXM": "NLDSXM", "BES": "NLDBES",
    "SJM": "NORSJM", "BVT": "NORBVT", "ALA": "FINALA",
}

# Alternate spellings that would code the wrong thing in running text.
SKIP_NAMES = {
    "Timor",        # also Indonesia's West Timor
    "Guiana",       # the Guiana region spans three states
    "Prathet", "Thai",  # "Thai" is kept as a demonym below, not as a name
    "Saudi",        # kept as a demonym below
    "Togolese",     # kept as a demonym below
    "Emirates",     # the airline is in the news more often than the state
    "Congo",        # written once, deliberately, in EXTRA_NAMES
    "Republic of China",  # too close to People's Republic of China in text
    "Nation of Brunei", "the Abode of Peace",
    "Pleasant Island", "Portuguesa", "Salṭanat ʻUmān",
}

# Capitals shared with other well-known places, or that are not used as
# metonyms for a government.
SKIP_CAPITALS = {
    "Victoria", "City of Victoria", "Kingston", "Saint John's", "Georgetown",
    "Hamilton", "Jamestown", "The Valley", "West Island", "Stanley",
    "King Edward Point", "Adamstown", "San José", "San Juan", "Sucre",
    "Praia", "Moroni", "Flying Fish Cove", "The Bottom", "Saint-Denis",
    "Saint-Pierre", "Washington D.C.", "Bloemfontein", "Cape Town",
    "Oranjestad", "Kralendijk", "Road Town", "George Town", "Avarua",
    "Alofi", "Fakaofo", "Longyearbyen", "Mata-Utu", "Gustavia",
    "Marigot", "Philipsburg", "Plymouth", "Brades",
    "Malé",       # "male"
    "Brussels",   # in news mostly the European Union: see groups.actors
    "Amsterdam",  # not the seat of government (The Hague)
}

# Names news uses that world-countries does not list (or lists only for
# another entity).  code -> names.
EXTRA_NAMES = {
    "USA": ["U.S.", "U.S.A.", "US", "America", "United States of America"],
    "GBR": ["U.K.", "UK", "Britain", "Great Britain", "England", "Scotland",
            "Wales", "Northern Ireland"],
    "TUR": ["Turkey"],
    "CZE": ["Czech Republic"],
    "CIV": ["Ivory Coast", "Cote d'Ivoire"],
    "MMR": ["Burma"],
    "COD": ["Congo", "Democratic Republic of Congo", "Congo Kinshasa", "D.R. Congo"],
    "COG": ["Congo Brazzaville", "Republic of Congo", "Congo Republic"],
    "MKD": ["Macedonia", "Republic of North Macedonia"],
    "SWZ": ["Swaziland"],
    "CPV": ["Cabo Verde"],
    "TLS": ["East Timor"],
    "VAT": ["Holy See", "Vatican"],
    "PRK": ["DPRK", "D.P.R.K."],
    "KOR": ["Republic of Korea", "ROK"],
    "PSE": ["Palestinian Territories", "Palestinian territories", "Gaza",
            "Gaza Strip", "West Bank", "Occupied Palestinian Territory"],
    "RUS": ["Russian Federation"],
    "CHN": ["PRC", "People's Republic of China", "Mainland China"],
    "IRN": ["Islamic Republic of Iran", "Islamic Republic"],
    "SYR": ["Syrian Arab Republic"],
    "ARE": ["UAE", "U.A.E."],
    "COD_DEMONYM": [],
    "NLD": ["Holland"],
    "BIH": ["Bosnia"],
    "STP": ["Sao Tome"],
    "KSV": ["Kosova"],
    "VNM": ["Viet Nam"],
    "LAO": ["Lao PDR"],
    "ZAF": ["RSA"],
    "NGA": ["Niger Delta"],
}

# Phrases that two entries of world-countries share, given to the state news
# means by them far more often.
FORCED_OWNER = {
    "DOMINICAN_": "DOM",
    "CONGOLESE_": "COD",
    "SAMOAN_": "WSM",
    "GUINEAN_": "GIN",
    "FRENCH_": "FRA",
    "NORWEGIAN_": "NOR",
    "DUTCH_": "NLD",
    "VIRGIN_ISLANDER_": "---",
    "CHANNEL_ISLANDER_": "---",
}

# Demonyms and adjectives beyond world-countries' single English form.
# Regular plurals (-s) and possessives ('s) are matched by the engine.
EXTRA_DEMONYMS = {
    "USA": ["American", "U.S.-led", "US-led"],
    "GBR": ["Briton", "Englishman", "Englishmen", "Scottish", "Scot",
            "Welsh", "UK-led"],
    "FRA": ["Frenchman", "Frenchmen", "Frenchwoman", "Frenchwomen"],
    "NLD": ["Dutchman", "Dutchmen", "Dutchwoman"],
    "DNK": ["Dane"],
    "SWE": ["Swede"],
    "FIN": ["Finn"],
    "TUR": ["Turk"],
    "ESP": ["Spaniard"],
    "IRL": ["Irishman", "Irishmen"],
    "THA": ["Thai"],
    "SAU": ["Saudi"],
    "TGO": ["Togolese"],
    "KAZ": ["Kazakh"],
    "KGZ": ["Kyrgyz", "Kirghiz"],
    "TJK": ["Tajik"],
    "UZB": ["Uzbek"],
    "TKM": ["Turkmen"],
    "MMR": ["Burmese", "Myanmarese"],
    "LAO": ["Laotian", "Lao"],
    "PHL": ["Philippine", "Filipina"],
    "BWA": ["Batswana"],
    "LSO": ["Basotho", "Mosotho", "Lesothan"],
    "MDG": ["Malagasy"],
    "COD": ["Congolese"],
    "CHN": ["Sino"],
    "ISR": ["Israeli"],
    "BIH": ["Bosnian"],
    "ARG": ["Argentinian", "Argentinean"],
    "CPV": ["Cape Verdean"],
    "ECU": ["Ecuadorian"],
    "SVN": ["Slovenian"],
    "SVK": ["Slovakian"],
    "CZE": ["Czech"],
    "BEN": ["Beninois"],
    "BFA": ["Burkinabe", "Burkinabè"],
    "GNB": ["Bissau-Guinean"],
    "TLS": ["Timorese"],
    "KOR": ["South Korean"],
    "PRK": ["North Korean"],
    "CYP": ["Greek Cypriot"],
    "SRB": ["Serb"],
    "HRV": ["Croat"],
    "AZE": ["Azeri"],
    "KSV": ["Kosovar", "Kosovan"],
    "BGD": ["Bangladeshi"],
    "YEM": ["Yemenite"],
    "SOM": ["Somalian"],
    "SWZ": ["Swazi", "Emaswati"],
    "TWN": ["Taiwanese"],
    "PSE": ["Palestinian"],
}

# Places and buildings news uses for a government, its army or parliament
# (metonymy), and capitals spelled in more than one way.
METONYMS = [
    ("USAGOV", ["Washington", "White House", "State Department", "Foggy Bottom",
                "Oval Office", "Trump administration", "Biden administration",
                "U.S. administration", "US administration", "Obama administration"]),
    ("USAMIL", ["Pentagon"]),
    ("USALEG", ["Capitol Hill", "U.S. Congress", "US Congress", "U.S. Senate",
                "US Senate", "U.S. House of Representatives"]),
    ("RUSGOV", ["Kremlin", "Moscow"]),
    ("RUSLEG", ["State Duma", "Duma"]),
    ("GBRGOV", ["Downing Street", "Whitehall", "Number 10", "Foreign Office"]),
    ("GBRLEG", ["House of Commons", "Westminster"]),
    ("FRAGOV", ["Elysee", "Élysée", "Elysee Palace", "Quai d'Orsay", "Matignon"]),
    ("DEULEG", ["Bundestag"]),
    ("CHNGOV", ["Zhongnanhai"]),
    ("ISRLEG", ["Knesset"]),
    ("UKRGOV", ["Kyiv", "Kiev"]),
    ("UKRLEG", ["Verkhovna Rada"]),
    ("KORGOV", ["Seoul"]),
    ("PRKGOV", ["Pyongyang"]),
    ("TURGOV", ["Ankara"]),
    ("INDGOV", ["New Delhi"]),
    ("JPNGOV", ["Tokyo"]),
    ("PSEGOV", ["Palestinian Authority"]),
    ("GBRGOV", ["London"]),
    ("ISRGOV", ["Jerusalem"]),
    ("MMRGOV", ["Naypyidaw", "Naypyitaw"]),
    ("SDNGOV", ["Port Sudan"]),
]

CLASHES = []

ACRONYM_OK = {"UAE", "DRC", "DPRK", "USA", "UK", "RSA", "PRC", "ROK", "US"}

# The coder reads text in upper case, where "US" is also the pronoun.  These
# phrases, where it can only be the pronoun, take the null code.
PRONOUN_US = ["TOLD_US", "TELL_US", "TELLS_US", "ASKED_US", "GAVE_US", "GIVE_US",
              "LET_US", "HELP_US", "JOIN_US", "SHOW_US", "CALL_US", "CALLED_US",
              "FOR_US", "TO_US", "WITH_US", "OF_US", "ABOUT_US", "AMONG_US",
              "LIKE_US", "BEFORE_US", "BEHIND_US", "AHEAD_OF_US", "ALL_OF_US",
              "MANY_OF_US", "SOME_OF_US", "BOTH_OF_US", "EACH_OF_US", "MOST_OF_US",
              "WE_AND_US", "THEM_AND_US", "ALLOW_US", "MAKE_US", "MADE_US",
              "KEEP_US", "KILL_US", "ATTACK_US", "HIT_US", "SEND_US", "SENT_US"]


def main():
    with open(COUNTRIES, encoding="utf-8") as f:
        countries = json.load(f)
    countries.sort(key=lambda c: (not c.get("independent"), c["name"]["common"]))
    seen = {}
    blocks = []
    for c in countries:
        code = cameo_code(c["cca3"])
        names = country_names(c)
        demonyms = country_demonyms(c)
        entries = unique(seen, code, names + demonyms)
        if not entries:
            continue
        blocks.append((c["name"]["common"], code, entries, capitals(c)))
    out = sys.stdout
    out.write(HEADER)
    for common, code, entries, caps in blocks:
        write_block(out, common, code, entries)
    out.write("\n# ---- Capitals and seats of government (metonyms for the government) ----\n")
    for common, code, entries, caps in blocks:
        if len(code) != 3:
            continue
        caps = [x for x in caps if phrase(x) not in seen]
        caps = unique(seen, code + "GOV", caps)
        if caps:
            write_block(out, common + " (capital)", code + "GOV", caps)
    for code, names in METONYMS:
        names = unique(seen, code, names)
        if names:
            write_block(out, "seat of government", code, names)
    write_modifiers(out, countries, seen)
    out.write("\n# ---- the pronoun \"us\" (null code) ----\n")
    for p in PRONOUN_US:
        out.write("%s_ [---]\n" % p)
    out.write("\n~FINISH\n")
    for p, first, other in CLASHES:
        sys.stderr.write("make_countries: %s kept for %s, not given to %s\n" % (p, first, other))


def write_modifiers(out, countries, seen):
    """"pro-Iranian militias", "Russian-backed separatists", "pro-Moscow
    rebels": the country named in the modifier is not the actor.  These
    phrases take the null code so that the coder passes over them to the
    actor they modify (manual 6.2)."""
    out.write("\n# ---- modifiers that name a state without being the actor (null code) ----\n")
    for c in countries:
        words = [c["name"]["common"]] + country_demonyms(c) + capitals(c)
        for w in dict.fromkeys(words):
            base = phrase(fold(w))[:-1]
            for p in ("PRO_" + base + "_", base + "_BACKED_"):
                if p not in seen:
                    seen[p] = "---"
                    out.write("%s [---]\n" % p)


def cameo_code(cca3):
    return CODE_OVERRIDE.get(cca3, cca3)


def country_names(c):
    code = cameo_code(c["cca3"])
    names = [c["name"]["common"], c["name"]["official"]]
    for alt in c.get("altSpellings", []):
        if alt in SKIP_NAMES:
            continue
        if len(alt) <= 3 and alt not in ACRONYM_OK:
            continue
        names.append(alt)
    names += EXTRA_NAMES.get(code, [])
    return [n for n in names if latin(n)]


def country_demonyms(c):
    code = cameo_code(c["cca3"])
    out = []
    eng = c.get("demonyms", {}).get("eng", {})
    for form in (eng.get("m", ""), eng.get("f", "")):
        for d in form.split(","):
            if d.strip():
                out.append(d.strip())
    out += EXTRA_DEMONYMS.get(code, [])
    return [n for n in out if latin(n)]


def capitals(c):
    return [x for x in c.get("capital", []) if x not in SKIP_CAPITALS and latin(x)]


def latin(s):
    return all(ord(ch) < 0x250 or ch in "ʻ’‘" for ch in s) and "ʻ" not in s


def fold(s):
    s = unicodedata.normalize("NFKD", s)
    return "".join(ch for ch in s if not unicodedata.combining(ch))


def phrase(name):
    """A name as a dictionary phrase: upper case, words joined by '_', and a
    final '_' so that it matches whole words only (regular -s and 's endings
    are still matched by the engine)."""
    s = name.upper().replace("’", "'").replace("-", " ")
    s = re.sub(r"[(),]", " ", s)
    words = s.split()
    return "_".join(words) + "_"


def unique(seen, code, names):
    """Phrases not yet given to any actor, in order; a phrase keeps the code of
    its first (independent states come first) owner."""
    out = []
    for n in names:
        for variant in dict.fromkeys([n, fold(n)]):
            p = phrase(variant)
            if len(p) < 3 or p in seen:
                if p in seen and seen[p] != code and p not in FORCED_OWNER:
                    CLASHES.append((p, seen[p], code))
                continue
            if FORCED_OWNER.get(p, code) != code:
                continue
            seen[p] = code
            out.append(p)
    return out


def write_block(out, common, code, entries):
    out.write("\n%s ; %s\n" % (entries[0], common))
    for e in entries[1:]:
        out.write("+%s\n" % e)
    out.write("\t[%s]\n" % code)


HEADER = """\
# sitrep countries actor dictionary (TABARI .actors format, synonym blocks:
# manual section 5.3.1).  GENERATED by data/lexicon/tools/make_countries.py
# from the world-countries package (ODbL 1.0, https://github.com/mledoze/countries)
# and the project's own list of news names, demonyms and metonyms kept in that
# script.  Edit the script, not this file, and regenerate.
#
# Codes: ISO 3166 alpha-3 as CAMEO uses them; Kosovo KSV; dependent
# territories in CAMEO's sovereign+territory form (USAPRI, GBRGIB, ...).
# Capitals and seats of government code as the state's government (XXXGOV).
"""

if __name__ == "__main__":
    main()
