/* Is a candidate mention a place? Context words, capitalisation, person
 * and organisation cues, everyday words and the document's other readings
 * of the same name decide. */
#include <math.h>
#include <string.h>
#include "doc.h"
#include "words.h"

typedef struct mention_class {
    bool country, admin1, region, only_abbrev, any_abbrev, has_main;
    uint32_t max_pop;
} mention_class;

static mention_class classify(const doc_state *d, const mention *m)
{
    mention_class c = {.only_abbrev = true};
    /* Postings come strongest name first, then by population: the first
     * few tell what the name can be. */
    for (size_t k = 0; k < m->n_cand && k < 8; k++) {
        const gaz_place *p = &d->g->places[m->cand[k].place];
        uint8_t type = m->cand[k].type;
        if (type != GAZ_NAME_ABBREV)
            c.only_abbrev = false;
        else
            c.any_abbrev = true;
        if (type == GAZ_NAME_ABBREV)
            continue;
        /* "Fallujah" is the short form of "Al Fallujah": as good as a main name. */
        c.has_main |= type != GAZ_NAME_ALT;
        if (type == GAZ_NAME_SHORT && p->kind != SR_PLACE_CITY)
            continue;
        c.country |= p->kind == SR_PLACE_COUNTRY;
        c.admin1 |= p->kind == SR_PLACE_ADMIN1 && p->population >= 50000;
        c.region |= p->kind == SR_PLACE_REGION;
        uint32_t pop = type == GAZ_NAME_ALT ? p->population / 3 : p->population;
        if (pop > c.max_pop)
            c.max_pop = pop;
    }
    return c;
}

static bool is_given_name(const doc_state *d, const token *t)
{
    const gaz_slot *s = gaz_lookup(d->g, gaz_hash_final(gaz_hash_add(GAZ_HASH_INIT, t->norm, t->nlen)));
    return s && (s->flags & GAZ_KEY_GIVEN);
}

static const token *prev_token(const doc_state *d, const mention *m)
{
    return m->first > 0 && !(d->tok[m->first].flags & TOK_SENT) ? &d->tok[m->first - 1] : NULL;
}

static const token *next_token(const doc_state *d, const mention *m)
{
    return m->last + 1 < d->n_tok ? &d->tok[m->last + 1] : NULL;
}

/* Person cues: a title before ("Secretary Kerry"), a first name next to
 * the name ("Michael Jordan", "Chad Johnson"), or a capitalised word before
 * a one-word name that is no country or state ("John Kerry"). A capitalised
 * word after a name is no cue: news writes "Dublin Mayor", "U.S. House",
 * "Nashville Film Festival", and those are places. */
static float person_cue(const doc_state *d, const mention *m, const mention *prev_m,
                        const mention_class *c)
{
    const token *p = prev_token(d, m), *n = next_token(d, m);
    const token *first = &d->tok[m->first], *last = &d->tok[m->last];
    if (p && !(p->flags & TOK_COMMA) && is_title_word(p->norm))
        return 5.0f;
    if (p && (p->flags & TOK_JOIN) && (p->flags & TOK_CAP) && is_given_name(d, p))
        return 4.0f;
    if (n && (last->flags & TOK_JOIN) && m->first == m->last && (n->flags & TOK_CAP) &&
        !(n->flags & TOK_NUM) && is_given_name(d, first) && admin_word_kind(n->norm) < 0 &&
        !is_calendar_word(n->norm) && !is_name_connector(n->norm) && !is_org_word(n->norm) &&
        !is_institution_word(n->norm))
        return 4.0f;
    if (c->country || c->admin1 || c->region || m->last > m->first)
        return 0;
    if (p && (p->flags & TOK_JOIN) && (p->flags & TOK_CAP) && !(p->flags & TOK_NUM) &&
        !p->plen && p->nlen > 1 && !(prev_m && prev_m->last + 1 == m->first) &&
        !is_place_modifier(p->norm) && !is_calendar_word(p->norm) &&
        !is_name_connector(p->norm) && !is_place_preposition(p->norm) &&
        !is_stop_key(d, gaz_hash_final(gaz_hash_add(GAZ_HASH_INIT, p->norm, p->nlen))))
        return (p->flags & TOK_SENT) ? 1.0f : 3.5f;
    return 0;
}

static float context_cue(doc_state *d, mention *m)
{
    float s = 0;
    const token *p = prev_token(d, m), *n = next_token(d, m);
    const token *last = &d->tok[m->last];
    if (p && p->nlen == 1 && (p->norm[0] == 'd' || p->norm[0] == 'r') && (p->flags & TOK_JOIN) &&
        d->text[p->end] == '-')
        s += 2.0f;  /* a legislator's party and home: "D-Columbus", "R-Texas" */
    if (p && !(p->flags & TOK_COMMA)) {
        if (is_place_preposition(p->norm))
            s += 1.5f;
        else if (strcmp(p->norm, "of") == 0) {
            s += 0.5f;
            const token *pp = m->first > 1 ? &d->tok[m->first - 2] : NULL;
            if (pp && is_settlement_word(pp->norm))
                s += 2.0f, m->kind_hint = SR_PLACE_CITY;
            else if (pp && admin_word_kind(pp->norm) >= 0)
                s += 2.0f, m->kind_hint = (int8_t)admin_word_kind(pp->norm);
        }
    }
    if (n && (last->flags & TOK_JOIN) && !last->plen) {
        int kind = admin_word_kind(n->norm);
        if (kind >= 0 && !(n->flags & TOK_POSS)) {
            s += 2.0f, m->kind_hint = (int8_t)kind;
            m->end = n->end;  /* "Anbar province" is the mention */
        } else if (is_settlement_word(n->norm))
            s += 1.0f, m->kind_hint = SR_PLACE_CITY;
        else if (is_org_word(n->norm))
            s -= 3.0f;
        if (strcmp(n->norm, "is") == 0 && m->last + 3 < d->n_tok &&
            (strcmp(d->tok[m->last + 2].norm, "a") == 0 || strcmp(d->tok[m->last + 2].norm, "an") == 0 ||
             strcmp(d->tok[m->last + 2].norm, "the") == 0) &&
            (is_settlement_word(d->tok[m->last + 3].norm) || admin_word_kind(d->tok[m->last + 3].norm) >= 0 ||
             is_community_word(d->tok[m->last + 3].norm)))
            s += 3.0f;  /* "Reading is a town", "Hope is a city" */
        if (is_speech_verb(n->norm) && strcmp(d->tok[m->first].norm, "washington") == 0 &&
            m->first == m->last)
            m->metonym = true;
    }
    return s;
}

/* "S.C.", "N.Y.": a dotted abbreviation of two or more letters. */
static bool is_dotted_abbrev(const doc_state *d, const mention *m)
{
    const char *s = d->text + m->start;
    size_t n = m->end - m->start;
    return m->first == m->last && n >= 4 && n <= 6 && s[1] == '.' && memchr(s + 2, '.', n - 2);
}

/* Without a dot, "WA" is Washington only in "Spokane, WA": elsewhere the
 * name's other readings stand alone (Western Australia's "WA Department"
 * is no agency of Washington state). "Pa." and "Calif." keep theirs. */
static void drop_abbreviations(mention *m)
{
    size_t n = 0;
    for (size_t k = 0; k < m->n_cand; k++)
        if (m->cand[k].type != GAZ_NAME_ABBREV)
            m->cand[n++] = m->cand[k];
    m->n_cand = (uint16_t)n;
}

static float placeness(doc_state *d, mention *m, const mention *prev_m)
{
    mention_class c = classify(d, m);
    float s = 0.5f;
    bool contains_prev = prev_m && prev_m->container == (int)(m - d->m);
    if (c.only_abbrev)
        return contains_prev ? 3.0f : is_dotted_abbrev(d, m) ? 2.0f : -9.0f;
    bool dotted = m->end < d->len && d->text[m->end] == '.';
    if (c.any_abbrev && !contains_prev && !dotted && !is_dotted_abbrev(d, m))
        drop_abbreviations(m);
    /* "UN", "CDC": a word of two or three capitals is an acronym, not a
     * town spelt that way ("Un" in India), unless a container places it or
     * it names a great city ("NYC", "LA"; an alternate name counts a third
     * of the population). */
    if (m->first == m->last && (d->tok[m->first].flags & TOK_UPPER) && m->end - m->start <= 3 &&
        !(c.country || c.admin1 || c.region) && c.max_pop < 300000 && !contains_prev &&
        m->container < 0)
        return -9.0f;
    if (c.country || c.admin1 || c.region)
        s += 2.0f;
    s += c.max_pop >= 1000000 ? 1.5f : c.max_pop >= 100000 ? 1.0f : c.max_pop >= 10000 ? 0.5f : 0;
    if (!c.has_main)
        s -= 1.0f;
    if (m->last > m->first)
        s += 1.0f;
    if ((d->tok[m->first].flags & TOK_SENT) && m->first == m->last && !c.country)
        s -= 0.5f;
    if (is_stop_key(d, m->key))
        s -= c.country ? 2.5f : 4.0f;
    s += context_cue(d, m);
    if (m->container >= 0)  /* "Mobile, Ala.": as sure a sign as news gives */
        s += 4.0f;
    else if (prev_m && prev_m->container == (int)(m - d->m))
        s += 2.5f;
    float person = person_cue(d, m, prev_m, &c);
    if (person >= 3.0f)
        m->person = true;
    return s - person;
}

static bool comma_joined(const doc_state *d, const mention *m, const mention *n)
{
    return (d->tok[m->last].flags & TOK_COMMA) && n->first == m->last + 1;
}

/* "Alexandria, La.": a place right after "Place," is its container. */
static void link_containers(doc_state *d)
{
    for (size_t i = 0; i + 1 < d->n_m; i++) {
        mention *m = &d->m[i], *n = &d->m[i + 1];
        if (!comma_joined(d, m, n))
            continue;
        mention_class c = classify(d, n), mc = classify(d, m);
        /* "Turkey, Armenia, Georgia, Iraq, Iran": a list of countries,
         * not a town called Iraq in Iran. */
        if (c.country && mc.country)
            continue;
        /* "Alaska, Alabama, Arizona": three states in a row are a list
         * ("Washington, Pennsylvania" alone may be the town). */
        bool run = (i > 0 && comma_joined(d, &d->m[i - 1], m)) ||
                   (i + 2 < d->n_m && comma_joined(d, n, &d->m[i + 2]));
        if (c.admin1 && mc.admin1 && run)
            continue;
        if (c.country || c.admin1 || c.any_abbrev)
            m->container = (int)(i + 1);
    }
}

void geo_weigh_mentions(doc_state *d)
{
    link_containers(d);
    for (size_t i = 0; i < d->n_m; i++) {
        mention *m = &d->m[i];
        m->placeness = placeness(d, m, i ? &d->m[i - 1] : NULL);
        m->accepted = m->placeness >= 1.0f;
        m->strong = m->placeness >= 2.0f && !m->person;
    }
    /* One reading per name and document: a name taken firmly as a place
     * elsewhere is a place here too unless a person cue says otherwise;
     * a name seen as a person stays a person without a place cue. */
    size_t cap = 16;
    while (cap < d->n_m * 2)
        cap *= 2;
    struct name_seen { uint64_t key; bool strong, person; } *seen =
        sr_arena_calloc(d->a, cap * sizeof *seen);
    if (!seen)
        return;
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < d->n_m; i++) {
            mention *m = &d->m[i];
            size_t h = (size_t)m->key & (cap - 1);
            while (seen[h].key && seen[h].key != m->key)
                h = (h + 1) & (cap - 1);
            if (pass == 0) {
                seen[h].key = m->key;
                seen[h].strong |= m->strong;
                seen[h].person |= m->person;
                continue;
            }
            if (seen[h].strong && !m->person && m->placeness > -1.0f)
                m->accepted = true;
            if (seen[h].person && !seen[h].strong && m->placeness < 2.5f)
                m->accepted = false;
        }
    }
}
