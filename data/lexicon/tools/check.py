#!/usr/bin/env python3
"""Checks sitrep's lexicon for the faults that would make the coder wrong
without making it fail.  Run from anywhere:

    python3 data/lexicon/tools/check.py [LEXICON_DIR] [--countries JSON]

Exit 0 when clean, 1 with one line per fault on stderr.  It checks that
  - every event code in the .verbs files (and in acled.tsv) is a CAMEO code
    of cameo_plover.tsv, or the null code ---;
  - every CAMEO code of that table has at least one verb or pattern (a
    two-digit root counts as covered when its "not specified" code, root+0,
    is);
  - no verb word or pattern is given twice with different codes, and no
    verb root is written twice;
  - no actor or agent phrase is given two different codes;
  - agent codes are CAMEO sector codes with the ~ connector;
  - every country of world-countries has an actor entry carrying its code;
  - acled.tsv uses ACLED's own type and sub-type names and CAMEO codes;
  - cameo_plover.tsv agrees with the CAMEO codebook when that reference is
    present (../shared/reference/cameo).
"""
import glob
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
LEX = os.path.dirname(HERE)
REPO = os.path.dirname(os.path.dirname(LEX))

SECTORS = set("""GOV MIL COP REB INS OPP CVL JUD LEG MED BUS REF NGO IGO EDU HLH
LAB AGR CRM SPY UAF SEP ELI ENV HRI DEV MOD RAD IMG INT MNC NGM UIS
""".split())

ACLED = {
    "Battles": ["Armed clash", "Government regains territory",
                "Non-state actor overtakes territory"],
    "Explosions/Remote violence": ["Air/drone strike", "Shelling/artillery/missile attack",
                                   "Remote explosive/landmine/IED", "Suicide bomb",
                                   "Grenade", "Chemical weapon"],
    "Violence against civilians": ["Attack", "Abduction/forced disappearance",
                                   "Sexual violence"],
    "Protests": ["Peaceful protest", "Protest with intervention",
                 "Excessive force against protesters"],
    "Riots": ["Violent demonstration", "Mob violence"],
    "Strategic developments": ["Agreement", "Arrest", "Change to group/activity",
                               "Disrupted weapons use", "Headquarters or base established",
                               "Looting/property destruction",
                               "Non-violent transfer of territory", "Other"],
}

faults = []


def fault(where, msg):
    faults.append("%s: %s" % (where, msg))


def main(argv):
    lex = LEX
    countries = os.path.join(REPO, "node_modules", "world-countries", "countries.json")
    args = list(argv)
    while args:
        a = args.pop(0)
        if a == "--countries" and args:
            countries = args.pop(0)
        else:
            lex = a
    table = read_cameo_table(os.path.join(lex, "cameo_plover.tsv"))
    check_reference(table, os.path.join(REPO, "..", "shared", "reference", "cameo",
                                        "cameo_eventcodes_goldstein.tsv"))
    used = check_verbs(lex, table)
    for code in table:
        if code in used or (len(code) == 2 and code + "0" in used):
            continue
        fault("cameo_plover.tsv", "CAMEO code %s (%s) has no verb entry" % (code, table[code]))
    codes = check_actors(lex)
    check_agents(lex)
    check_countries(countries, codes)
    check_acled(os.path.join(lex, "acled.tsv"), table)
    for f in faults:
        sys.stderr.write("lexicon: %s\n" % f)
    n_verbs = len(used)
    print("lexicon: %d CAMEO codes, %d used by verbs, %d actor codes, %d faults"
          % (len(table), n_verbs, len(codes), len(faults)))
    return 1 if faults else 0


def data_lines(path):
    """(line number, text) of a dictionary file, comments and blanks left
    out, up to the end mark."""
    with open(path, encoding="utf-8") as f:
        for i, raw in enumerate(f, 1):
            line = raw.rstrip("\n")
            s = line.strip()
            if not s or s.startswith("#") or s.startswith("/"):
                continue
            if s.startswith("~FINISH") or s.startswith("~~"):
                return
            yield i, line


def read_cameo_table(path):
    table = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or line.startswith("code\t"):
                continue
            p = line.rstrip("\n").split("\t")
            if len(p) < 3 or not p[0].isdigit():
                fault(os.path.basename(path), "bad row %r" % line.strip())
                continue
            table[p[0]] = p[2]
    if len(table) < 300:
        fault(os.path.basename(path), "only %d CAMEO codes" % len(table))
    return table


def check_reference(table, ref):
    if not os.path.exists(ref):
        return
    with open(ref, encoding="utf-8") as f:
        next(f)
        codes = {line.split("\t")[0] for line in f if line.strip()}
    for c in sorted(codes - set(table)):
        fault("cameo_plover.tsv", "CAMEO code %s of the codebook is missing" % c)
    for c in sorted(set(table) - codes):
        fault("cameo_plover.tsv", "%s is not a CAMEO code of the codebook" % c)


CODE_RE = re.compile(r"\[([^\]]*)\]\s*(;.*)?$")


def event_code(where, text, table):
    code = text.strip()
    if code in ("---", "- - -"):
        return None
    if code not in table:
        fault(where, "event code [%s] is not a CAMEO code" % code)
        return None
    return code


def check_verbs(lex, table):
    used = set()
    words = {}      # verb word or form -> (where, root id)
    patterns = {}   # (root id, pattern) -> (where, code)
    files = sorted(glob.glob(os.path.join(lex, "**", "*.verbs"), recursive=True))
    if not files:
        fault(lex, "no .verbs files")
    for path in files:
        name = os.path.relpath(path, lex)
        root = None
        in_syn = False
        for n, line in data_lines(path):
            where = "%s:%d" % (name, n)
            s = line.strip()
            if s.upper().startswith("<SYNSET"):
                in_syn = True
                continue
            if s.upper().startswith("</SYNSET"):
                in_syn = False
                continue
            if in_syn:
                if not (s.startswith("&") or s.startswith("+")):
                    fault(where, "synset line must start with & or +")
                continue
            if s.startswith("{"):
                if root is None:
                    fault(where, "verb forms before any verb")
                    continue
                if not s.endswith("}"):
                    fault(where, "verb forms without closing }")
                for w in s.strip("{}").split():
                    add_word(words, norm(w), where, root)
                continue
            m = CODE_RE.search(s)
            if s.startswith("-"):
                if root is None:
                    fault(where, "pattern before any verb")
                    continue
                if not m:
                    fault(where, "pattern without [code]")
                    continue
                pat = " ".join(s[1:m.start()].split())
                if "*" not in pat.split() and "*" not in pat.replace("_", " ").split():
                    fault(where, "pattern without the verb marker *")
                code = event_code(where, m.group(1), table)
                if code:
                    used.add(code)
                key = (root, pat.upper())
                old = patterns.get(key)
                if old and old[1] != code:
                    fault(where, "pattern %r also at %s with another code" % (pat, old[0]))
                patterns.setdefault(key, (where, code))
                continue
            if not m:
                fault(where, "verb without [code]")
                continue
            word = norm(s[:m.start()])
            code = event_code(where, m.group(1), table)
            if code:
                used.add(code)
            root = "%s" % word
            add_word(words, word, where, root)
    return used


def norm(w):
    return w.strip().upper().replace("-", "_").rstrip("_")


def add_word(words, w, where, root):
    old = words.get(w)
    if old and old[1] != root:
        fault(where, "verb word %s already belongs to %s (%s)" % (w, old[1], old[0]))
    elif old and old[0] != where:
        fault(where, "verb %s written twice (first at %s)" % (w, old[0]))
    else:
        words[w] = (where, root)


def actor_files(lex):
    out = []
    for p in sorted(glob.glob(os.path.join(lex, "**", "*.actors"), recursive=True)):
        out.append(p)
    return out


def check_actors(lex):
    phrases = {}
    codes = set()
    files = actor_files(lex)
    if not files:
        fault(lex, "no .actors files")
    for path in files:
        name = os.path.relpath(path, lex)
        pending = []
        pending_codes = []

        def flush():
            for ph, where in pending:
                for c in pending_codes:
                    if c != "---":
                        codes.add(c)
                key = ph
                val = tuple(sorted(pending_codes))
                old = phrases.get(key)
                if old and old[1] != val:
                    fault(where, "actor %s coded %s here and %s at %s"
                          % (ph, "/".join(val), "/".join(old[1]), old[0]))
                phrases.setdefault(key, (where, val))

        for n, line in data_lines(path):
            where = "%s:%d" % (name, n)
            s = line.strip()
            if s.startswith("<"):
                continue
            if line[:1] in (" ", "\t") and s.startswith("["):
                pending_codes.extend(block_codes(where, s))
                continue
            if s.startswith("+"):
                pending.append((norm(s[1:].split("[")[0]), where))
                if "[" in s:
                    fault(where, "synonym line with its own code")
                continue
            if pending:
                if not pending_codes:
                    fault(pending[0][1], "actor %s has no code" % pending[0][0])
                flush()
            pending = [(norm(s.split("[")[0].split(";")[0]), where)]
            pending_codes = block_codes(where, s[s.index("["):]) if "[" in s else []
        if pending:
            if not pending_codes:
                fault(pending[0][1], "actor %s has no code" % pending[0][0])
            flush()
    return codes


def block_codes(where, s):
    out = []
    for b in re.findall(r"\[([^\]]*)\]", s):
        c = b.split()[0] if b.split() else ""
        if c == "---":
            out.append(c)
            continue
        if not re.fullmatch(r"[A-Z0-9]{3,15}", c):
            fault(where, "bad actor code [%s]" % b)
            continue
        out.append(c)
    if "[" in s and not out:
        fault(where, "no code in %s" % s)
    return out


def check_agents(lex):
    files = sorted(glob.glob(os.path.join(lex, "**", "*.agents"), recursive=True))
    if not files:
        fault(lex, "no .agents file")
    seen = {}
    for path in files:
        name = os.path.relpath(path, lex)
        pending = []
        for n, line in data_lines(path):
            where = "%s:%d" % (name, n)
            s = line.strip()
            if s.startswith("+"):
                pending.append(norm(s[1:]))
                continue
            m = re.search(r"\[([^\]]*)\]", s)
            if not m:
                pending = [norm(s)]
                continue
            code = m.group(1).strip()
            if not re.fullmatch(r"~[A-Z]{3}([A-Z]{3})*|[A-Z]{3}([A-Z]{3})*~", code):
                fault(where, "agent code [%s] needs ~ before or after 3-letter sectors" % code)
            else:
                for i in range(0, len(code.strip("~")), 3):
                    sec = code.strip("~")[i:i + 3]
                    if sec not in SECTORS:
                        fault(where, "agent code [%s]: %s is not a CAMEO sector" % (code, sec))
            head = s[:m.start()].strip()
            names = pending + ([norm(head)] if head else [])
            pending = []
            for ph in names:
                if ph in seen and seen[ph][1] != code:
                    fault(where, "agent %s coded %s here and %s at %s"
                          % (ph, code, seen[ph][1], seen[ph][0]))
                seen.setdefault(ph, (where, code))


def check_countries(path, codes):
    if not os.path.exists(path):
        fault(path, "world-countries is not installed (npm install)")
        return
    with open(path, encoding="utf-8") as f:
        countries = json.load(f)
    for c in countries:
        cca3 = c["cca3"]
        # the state's own code, or CAMEO's sovereign+territory form (USAPRI)
        if not (cca3 in codes or any(len(code) == 6 and code.endswith(cca3) for code in codes)) \
                and cca3 not in ALIASES:
            fault("countries.actors", "%s (%s) has no actor entry" % (c["name"]["common"], cca3))
        elif cca3 in ALIASES and ALIASES[cca3] not in codes:
            fault("countries.actors", "%s has no actor entry under %s" % (cca3, ALIASES[cca3]))


# Countries whose CAMEO code is not their ISO code.
ALIASES = {"UNK": "KSV"}


def check_acled(path, table):
    if not os.path.exists(path):
        fault("acled.tsv", "missing")
        return
    subtypes = {s: t for t, ss in ACLED.items() for s in ss}
    seen_sub = set()
    with open(path, encoding="utf-8") as f:
        section = None
        for n, line in enumerate(f, 1):
            where = "acled.tsv:%d" % n
            s = line.rstrip("\n")
            if not s.strip() or s.startswith("#"):
                continue
            p = s.split("\t")
            if p[0].startswith("["):
                section = p[0].strip("[]")
                continue
            if section == "cameo":
                if p[0] == "code":
                    continue
                if len(p) < 3:
                    fault(where, "cameo row needs code, type, sub-type")
                    continue
                if p[0] not in table:
                    fault(where, "%s is not a CAMEO code" % p[0])
                check_type(where, p[1], p[2], subtypes, seen_sub)
            elif section == "cue":
                if p[0] == "kind":
                    continue
                if len(p) < 5:
                    fault(where, "cue row needs kind, match, type, sub-type, applies")
                    continue
                if p[0] not in ("word", "target", "source"):
                    fault(where, "cue kind %r is not word, target or source" % p[0])
                if p[0] != "word":
                    for sec in p[1].split("|"):
                        if sec not in SECTORS:
                            fault(where, "%s is not a CAMEO sector" % sec)
                for c in p[4].split(","):
                    if c.strip() not in table:
                        fault(where, "applies to %r, not a CAMEO code" % c)
                check_type(where, p[2], p[3], subtypes, seen_sub)
            elif section is None:
                fault(where, "row before any [section]")
    for s in subtypes:
        if s not in seen_sub:
            fault("acled.tsv", "ACLED sub-type %r has no rule" % s)


def check_type(where, typ, sub, subtypes, seen):
    if sub not in subtypes:
        fault(where, "%r is not an ACLED sub-type" % sub)
    elif subtypes[sub] != typ:
        fault(where, "sub-type %r belongs to %r, not %r" % (sub, subtypes[sub], typ))
    seen.add(sub)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
