/* Which place is each mention? Ordered passes in the spirit of CLIFF:
 * country names first, then the document's focus countries and admin-1
 * areas, areas and towns the other names share, explicit containers
 * ("Alexandria, La."), population and feature class. Then the answer:
 * places with offsets, and the document's focus. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "doc.h"

static float prior(const doc_state *d, const mention *m, const candidate *c)
{
    const gaz_place *p = &d->g->places[c->place];
    float s = 0;
    switch (c->type) {
    case GAZ_NAME_ALT: s -= 1.0f; break;
    case GAZ_NAME_SHORT: s -= 1.5f; break;
    case GAZ_NAME_ABBREV: s -= 2.0f; break;
    default: break;
    }
    switch (p->kind) {
    /* A country's name outranks any city's alternate name: GeoNames lists
     * "Iraq" as an alternate name of a town in Iran. */
    case SR_PLACE_COUNTRY: s += c->type == GAZ_NAME_SHORT ? 0 : 5.0f; break;
    case SR_PLACE_ADMIN1: s += 3.0f; break;
    case SR_PLACE_REGION: s += 7.0f; break;  /* few and unambiguous; no population */
    case SR_PLACE_ADMIN2: s += 0.5f; break;
    default: s += p->rank == GAZ_PPLC ? 1.5f : p->rank == GAZ_PPLA ? 1.0f : p->rank == GAZ_PPLA2 ? 0.3f : 0;
    }
    s += 0.7f * log10f((float)p->population + 1.0f);
    if (m->kind_hint >= 0) {
        bool admin_hint = m->kind_hint == SR_PLACE_ADMIN1 || m->kind_hint == SR_PLACE_ADMIN2;
        if (p->kind == m->kind_hint)
            s += 4.0f;
        else if (admin_hint && (p->kind == SR_PLACE_ADMIN1 || p->kind == SR_PLACE_ADMIN2))
            s += 2.0f;
    }
    return s;
}

static int cc_index(const char cc[2])
{
    if (cc[0] < 'A' || cc[0] > 'Z' || cc[1] < 'A' || cc[1] > 'Z')
        return -1;
    return (cc[0] - 'A') * 26 + (cc[1] - 'A');
}

static uint32_t admin1_of(const gaz_place *places, uint32_t idx)
{
    return places[idx].kind == SR_PLACE_ADMIN1 ? idx : places[idx].admin1;
}

/* Where admin-1 area `adm1` sits in d->adm1 (a small hash over at most
 * 256 areas), SIZE_MAX when absent; *empty gets the free hash cell. */
static size_t adm1_slot_at(const doc_state *d, uint32_t adm1, size_t *empty)
{
    for (size_t h = (adm1 * 2654435761u) >> 23;; h = (h + 1) & 511) {  /* 9 bits */
        uint16_t at = d->adm1_index[h];
        if (at == 0) {
            *empty = h;
            return SIZE_MAX;
        }
        if (d->adm1[at - 1] == adm1)
            return at - 1u;
    }
}

static size_t adm1_slot(const doc_state *d, uint32_t adm1)
{
    size_t empty;
    return adm1_slot_at(d, adm1, &empty);
}

static size_t adm1_add(doc_state *d, uint32_t adm1)
{
    size_t empty, k = adm1_slot_at(d, adm1, &empty);
    if (k != SIZE_MAX || d->n_adm1 >= 256)
        return k;
    d->adm1[d->n_adm1] = adm1;
    d->adm1_count[d->n_adm1] = 0;
    d->adm1_index[empty] = (uint16_t)++d->n_adm1;
    return d->n_adm1 - 1;
}

/* Tallies the chosen places: countries (a named country counts double)
 * and admin-1 areas. */
static void count_focus(doc_state *d, int sign, const mention *m)
{
    if (!m->accepted || m->chosen < 0 || m->rep != (int)(m - d->m))
        return;
    uint32_t idx = m->cand[m->chosen].place;
    const gaz_place *p = &d->g->places[idx];
    int cc = cc_index(p->cc);
    if (cc >= 0) {
        uint32_t votes = (uint32_t)(sign * (p->kind == SR_PLACE_COUNTRY ? 2 : 1));
        d->cc_count[cc] += votes;
        d->cc_total += votes;
    }
    if (cc >= 0 && p->kind == SR_PLACE_ADMIN1)
        d->adm1_peers[cc] += (uint32_t)sign;
    uint32_t a1 = admin1_of(d->g->places, idx);
    if (a1 == GAZ_NONE)
        return;
    size_t k = sign > 0 ? adm1_add(d, a1) : adm1_slot(d, a1);
    if (k != SIZE_MAX)
        d->adm1_count[k] += (uint32_t)(sign * (1 + (m->container >= 0 ? 1 : 0)));
}

/* Admin-1 areas the other mentions could lie in: "Gainesville" and "Hall
 * County" can both be in Georgia, which tips both. Each distinct name
 * counts once per area, over its strongest few candidates. */
#define COOC_TOP 12
static void tally_candidate_areas(doc_state *d)
{
    size_t need = 0;
    for (size_t i = 0; i < d->n_m; i++)
        if (d->m[i].accepted && !d->m[i].metonym && d->m[i].rep == (int)i)
            need += d->m[i].n_cand < COOC_TOP ? d->m[i].n_cand : COOC_TOP;
    size_t cap = 16;
    while (cap < need * 2)
        cap *= 2;
    d->area_cap = cap;
    d->area = sr_arena_calloc(d->a, cap * sizeof *d->area);
    if (!d->area)
        return;
    for (size_t i = 0; i < d->n_m; i++) {
        mention *m = &d->m[i];
        if (!m->accepted || m->metonym)
            continue;
        if (m->rep != (int)i)
            continue;
        for (size_t k = 0; k < m->n_cand && k < COOC_TOP; k++) {
            uint32_t a1 = admin1_of(d->g->places, m->cand[k].place);
            if (a1 == GAZ_NONE)
                continue;
            size_t h = (a1 * 2654435761u) & (cap - 1);
            while (d->area[h].adm1 != a1 && d->area[h].count)
                h = (h + 1) & (cap - 1);
            if (d->area[h].last == i + 1)
                continue;
            d->area[h].adm1 = a1;
            d->area[h].last = (uint32_t)i + 1;
            d->area[h].count++;
        }
    }
}

static float cooccurrence(const doc_state *d, const mention *m, const candidate *c)
{
    uint32_t a1 = admin1_of(d->g->places, c->place);
    if (!d->area || a1 == GAZ_NONE)
        return 0;
    size_t h = (a1 * 2654435761u) & (d->area_cap - 1);
    while (d->area[h].count && d->area[h].adm1 != a1)
        h = (h + 1) & (d->area_cap - 1);
    uint32_t n = d->area[h].adm1 == a1 ? d->area[h].count : 0;
    (void)m;
    n = n ? n - 1 : 0;  /* this name itself */
    return n >= 4 ? 4.0f : (float)n;
}

/* The towns and counties chosen for the document's other names close by
 * in the text (within 40 mentions: bounded work on huge texts), gathered
 * once per mention and weighed against each of its candidates. */
#define NEAR_MAX 80
typedef struct neighbours { size_t n; float lat[NEAR_MAX], lon[NEAR_MAX]; } neighbours;

static void gather_neighbours(const doc_state *d, const mention *m, neighbours *nb)
{
    size_t at = (size_t)(m - d->m);
    size_t from = at > 40 ? at - 40 : 0, to = at + 41 < d->n_m ? at + 41 : d->n_m;
    nb->n = 0;
    for (size_t i = from; i < to && nb->n < NEAR_MAX; i++) {
        const mention *o = &d->m[i];
        if (o == m || o->rep != (int)i || !o->accepted || o->chosen < 0 || o->key == m->key ||
            o->metonym || !o->local)
            continue;
        nb->lat[nb->n] = o->lat, nb->lon[nb->n++] = o->lon;
    }
}

/* How many of those lie within about 150 km (at most 3): towns named
 * together are usually near each other, across a state line too
 * ("Columbus" and "Phenix City"). */
static float nearby(const neighbours *nb, const gaz_place *p)
{
    if (p->kind != SR_PLACE_CITY && p->kind != SR_PLACE_ADMIN2)
        return 0;
    float coslat = cosf(p->lat * 0.0174533f), n = 0;
    for (size_t i = 0; i < nb->n && n < 3; i++) {
        float dy = (nb->lat[i] - p->lat) * 111.2f, dx = (nb->lon[i] - p->lon) * 111.2f * coslat;
        if (dx * dx + dy * dy < 150.0f * 150.0f)
            n += 1;
    }
    return n;
}

/* A town that shares its name with a far better-known place (a country, a
 * state, a capital, a city of a million) is rarely what a story means
 * without saying so: towns named Moscow and Lebanon in one state
 * would otherwise vote for each other in a story about the world, and the
 * towns California, Nevada and Oregon in one state win a list of states.
 * Their evidence from the document's other names counts for less; an
 * explicit container ("Lebanon, Ohio") still counts in full. */
#define SHADOW_WEIGHT 0.85f
#define SHADOW_GAP 3.0f

static bool prominent(const gaz_place *p, const candidate *c)
{
    switch (p->kind) {
    case SR_PLACE_COUNTRY: case SR_PLACE_REGION: return c->type != GAZ_NAME_SHORT;
    case SR_PLACE_ADMIN1: return c->type == GAZ_NAME_MAIN;
    case SR_PLACE_CITY: return p->rank == GAZ_PPLC || p->population >= 1000000;
    default: return false;
    }
}

/* The highest prior among a mention's prominent candidates (-inf when
 * none): a town whose prior lies SHADOW_GAP below it is shadowed. When
 * that candidate is a country's demonym ("the Canadian government" in a
 * story set in Texas, which has a town called Canadian), the town gets
 * nothing from the document's other names: an adjective of nationality
 * is a town only with its own cue ("Canadian, Texas", "the town of").
 * *country gets the country's index when the top candidate is a country. */
static float prominent_prior(const doc_state *d, const mention *m, bool *demonym, int *country)
{
    float top = -INFINITY;
    *demonym = false;
    *country = -1;
    for (size_t k = 0; k < m->n_cand; k++) {
        const gaz_place *p = &d->g->places[m->cand[k].place];
        if (prominent(p, &m->cand[k]) && m->cand[k].prior > top) {
            top = m->cand[k].prior;
            *demonym = p->kind == SR_PLACE_COUNTRY && m->cand[k].type == GAZ_NAME_DEMONYM;
            *country = p->kind == SR_PLACE_COUNTRY ? cc_index(p->cc) : -1;
        }
    }
    return top;
}

static bool shadowed(const doc_state *d, const mention *m, const candidate *c, float top)
{
    const gaz_place *p = &d->g->places[c->place];
    if (p->kind != SR_PLACE_CITY && p->kind != SR_PLACE_ADMIN2)
        return false;
    if (m->kind_hint == SR_PLACE_CITY || m->kind_hint == SR_PLACE_ADMIN2)
        return false;
    return top - c->prior >= SHADOW_GAP;
}

typedef struct evidence {
    neighbours near;
    float top;
    bool top_demonym;
    int top_country;  /* cc index when the top prominent candidate is a country, else -1 */
    uint32_t total_cc;
} evidence;

static float context_score(const doc_state *d, const mention *m, const candidate *c,
                           const evidence *ev)
{
    uint32_t total_cc = ev->total_cc;
    const gaz_place *p = &d->g->places[c->place];
    float s = 0;
    int cc = cc_index(p->cc);
    if (cc >= 0 && total_cc)
        s += 5.0f * (float)d->cc_count[cc] / (float)total_cc;
    uint32_t a1 = admin1_of(d->g->places, c->place);
    size_t k = a1 == GAZ_NONE ? SIZE_MAX : adm1_slot(d, a1);
    float local = 0;
    if (k != SIZE_MAX) {
        float n = (float)d->adm1_count[k];
        local += n >= 3 ? 6.0f : 2.0f * n;
    }
    local += cooccurrence(d, m, c);
    local += nearby(&ev->near, p);
    /* A country's name is a town only with the town's own cue when the
     * story speaks of that country elsewhere too ("the Egyptian
     * government", "Cairo airport", then "their stay in Egypt" in a story
     * that also names Alabama, which has a town called Egypt). */
    bool country_told = ev->top_country >= 0 && d->cc_count[ev->top_country] > 0;
    if (shadowed(d, m, c, ev->top))
        local *= ev->top_demonym || country_told ? 0.0f : SHADOW_WEIGHT;
    s += local;
    /* A list of states or provinces: each one named makes the next a state
     * rather than a town named after it ("Alaska, Alabama, ... Oregon"). */
    if (cc >= 0 && p->kind == SR_PLACE_ADMIN1)
        s += d->adm1_peers[cc] >= 6 ? 6.0f : (float)d->adm1_peers[cc];
    float best_container = 0;
    bool any_container = false;
    int walked = 0;
    for (int i = (int)(m - d->m); i >= 0 && walked < 64; i = d->m[i].next_same, walked++) {
        if (d->m[i].container < 0)
            continue;
        const mention *ct = &d->m[d->m[i].container];
        if (ct->chosen < 0)
            continue;
        uint32_t cidx = ct->cand[ct->chosen].place;
        const gaz_place *cp = &d->g->places[cidx];
        bool inside = cp->kind == SR_PLACE_COUNTRY ? memcmp(cp->cc, p->cc, 2) == 0
                                                   : p->admin1 == cidx || c->place == cidx;
        float v = inside ? 8.0f : -4.0f;
        best_container = any_container ? fmaxf(best_container, v) : v;
        any_container = true;
    }
    s += best_container;
    return s;
}

/* A bare name shared by a country's capital and one of its states is the
 * capital ("Washington"), unless the text asks for the state. */
static void prefer_capital(const doc_state *d, mention *m)
{
    for (size_t k = 0; k < m->n_cand; k++)
        m->cand[k].prior = 0;
    if (m->kind_hint >= 0)
        return;
    for (size_t k = 0; k < m->n_cand; k++) {
        const gaz_place *cap = &d->g->places[m->cand[k].place];
        if (cap->kind != SR_PLACE_CITY || cap->rank != GAZ_PPLC || m->cand[k].type != GAZ_NAME_MAIN)
            continue;
        for (size_t j = 0; j < m->n_cand; j++) {
            const gaz_place *st = &d->g->places[m->cand[j].place];
            if (st->kind == SR_PLACE_ADMIN1 && memcmp(st->cc, cap->cc, 2) == 0 &&
                m->cand[j].type == GAZ_NAME_MAIN)
                m->cand[k].prior = 4.0f;
        }
    }
}

static void choose(doc_state *d, mention *m, bool with_context)
{
    if (!m->accepted)
        return;
    uint32_t total = d->cc_total;
    count_focus(d, -1, m);  /* a mention is not its own evidence */
    int best = -1;
    evidence ev = {.total_cc = total};
    if (!with_context)
        prefer_capital(d, m);
    else
        gather_neighbours(d, m, &ev.near), ev.top = prominent_prior(d, m, &ev.top_demonym, &ev.top_country);
    for (size_t k = 0; k < m->n_cand; k++) {
        candidate *c = &m->cand[k];
        if (!with_context)
            c->prior += prior(d, m, c);
        c->score = c->prior + (with_context ? context_score(d, m, c, &ev) : 0);
        if (best < 0 || c->score > m->cand[best].score)
            best = (int)k;
    }
    m->chosen = best;
    if (best >= 0) {
        const gaz_place *p = &d->g->places[m->cand[best].place];
        m->local = p->kind == SR_PLACE_CITY || p->kind == SR_PLACE_ADMIN2;
        m->lat = p->lat, m->lon = p->lon;
    }
    count_focus(d, +1, m);
}

static uint32_t find_country(const doc_state *d, const char *cc)
{
    const gaz_header *h = d->g->h;
    for (uint32_t i = h->country_first; i < h->country_first + h->country_count; i++)
        if (memcmp(d->g->places[i].cc, cc, 2) == 0)
            return i;
    return GAZ_NONE;
}

/* "Washington said": the US government, a country-level mention. */
static void apply_metonymy(doc_state *d, mention *m)
{
    uint32_t us = find_country(d, "US");
    if (us == GAZ_NONE || !m->n_cand)
        return;
    m->cand[0] = (candidate){us, GAZ_NAME_ALT, 0, 0};
    m->n_cand = 1;
    m->chosen = 0;
}

/* Links the accepted mentions of each name: rep is the first, next_same
 * chains the rest; a kind asked for by any mention holds for all. */
static void group_names(doc_state *d)
{
    size_t cap = 16;
    while (cap < d->n_m * 2)
        cap *= 2;
    struct { uint64_t key; int first, last; } *t = sr_arena_calloc(d->a, cap * sizeof *t);
    for (size_t i = 0; i < d->n_m; i++) {
        mention *m = &d->m[i];
        m->rep = (int)i;
        m->next_same = -1;
        if (!t || !m->accepted || m->metonym)
            continue;
        size_t h = (size_t)m->key & (cap - 1);
        while (t[h].key && t[h].key != m->key)
            h = (h + 1) & (cap - 1);
        if (!t[h].key) {
            t[h].key = m->key, t[h].first = t[h].last = (int)i;
            continue;
        }
        mention *rep = &d->m[t[h].first];
        m->rep = t[h].first;
        d->m[t[h].last].next_same = (int)i;
        t[h].last = (int)i;
        if (rep->kind_hint < 0)
            rep->kind_hint = m->kind_hint;
    }
}

/* The admin-1 area that dominates the document (at least three names and
 * half the admin-1 votes), GAZ_NONE when none does. */
static uint32_t dominant_admin1(const doc_state *d)
{
    uint32_t total = 0, best = 0;
    size_t at = SIZE_MAX;
    for (size_t i = 0; i < d->n_adm1; i++) {
        total += d->adm1_count[i];
        if (d->adm1_count[i] > best)
            best = d->adm1_count[i], at = i;
    }
    return at != SIZE_MAX && best >= 3 && best * 2 >= total ? d->adm1[at] : GAZ_NONE;
}

/* Whether place `p` lies in another country than the story's focus area
 * and the story names places in that country at least as often as it
 * names places in the focus area: then the town is corroborated where it
 * is ("Kabanjahe district of Sumatra in Indonesia" in a story that moves
 * on to Atlanta, Georgia), not a namesake in a country named in passing. */
static bool country_named_elsewhere(const doc_state *d, const mention *m, const gaz_place *p,
                                    uint32_t focus)
{
    if (memcmp(d->g->places[focus].cc, p->cc, 2) == 0)
        return false;
    size_t in_country = 0, in_focus = 0;
    for (size_t k = 0; k < d->n_m; k++) {
        const mention *o = &d->m[k];
        if (!o->accepted || o->metonym || o->chosen < 0 || o->rep == m->rep)
            continue;
        uint32_t op = o->cand[o->chosen].place;
        if (memcmp(d->g->places[op].cc, p->cc, 2) == 0)
            in_country++;
        else if (admin1_of(d->g->places, op) == focus)
            in_focus++;
    }
    return in_country > 0 && in_country >= in_focus;
}

/* A town the gazetteer does not know is often named for the first time
 * in a story set firmly in one state or province ("Riverton is a
 * community in Coos County, Oregon"). When no candidate lies in that area
 * and nothing else places the name, it is put on the map at the area the
 * story names (an admin-2 area named in it, else the admin-1), with that
 * precision, rather than at a namesake far away. */
static void fall_back_to_focus(doc_state *d)
{
    uint32_t focus = dominant_admin1(d);
    if (focus == GAZ_NONE)
        return;
    for (size_t i = 0; i < d->n_m; i++) {
        mention *m = &d->m[i];
        if (!m->accepted || m->metonym || m->rep != (int)i || m->chosen < 0 || m->container >= 0)
            continue;
        const gaz_place *p = &d->g->places[m->cand[m->chosen].place];
        if (p->kind != SR_PLACE_CITY)
            continue;  /* county names are precise enough to stand */
        int repeats = 0;
        for (int k = m->next_same; k >= 0 && repeats < 3; k = d->m[k].next_same)
            repeats++;
        /* A well-known place is named from afar too, unless the story
         * keeps coming back to the name: then it is the story's own. */
        if ((p->population >= 150000 || p->rank >= GAZ_PPLA) && repeats < 2)
            continue;
        bool inside = false;
        for (size_t k = 0; k < m->n_cand && !inside; k++)
            inside = admin1_of(d->g->places, m->cand[k].place) == focus;
        if (inside || country_named_elsewhere(d, m, p, focus))
            continue;
        uint32_t area = focus;
        size_t best_gap = SIZE_MAX;
        size_t from = i > 64 ? i - 64 : 0, to = i + 65 < d->n_m ? i + 65 : d->n_m;
        for (size_t k = from; k < to; k++) {
            const mention *o = &d->m[k];
            if (!o->accepted || o->chosen < 0 || o->metonym)
                continue;
            uint32_t op = o->cand[o->chosen].place;
            if (d->g->places[op].kind != SR_PLACE_ADMIN2 || d->g->places[op].admin1 != focus)
                continue;
            size_t gap = o->start > m->start ? o->start - m->start : m->start - o->start;
            if (gap < best_gap)
                best_gap = gap, area = op;
        }
        m->cand[0] = (candidate){area, GAZ_NAME_ALT, 0, 0};
        m->n_cand = 1;
        m->chosen = 0;
        m->placeness = fminf(m->placeness, 1.5f);  /* the place itself is unknown */
    }
}

void geo_resolve(doc_state *d)
{
    d->adm1 = sr_arena_alloc(d->a, 256 * sizeof *d->adm1);
    d->adm1_count = sr_arena_alloc(d->a, 256 * sizeof *d->adm1_count);
    if (!d->adm1 || !d->adm1_count) {
        for (size_t i = 0; i < d->n_m; i++)
            d->m[i].accepted = false;
        return;
    }
    for (size_t i = 0; i < d->n_m; i++)
        if (d->m[i].metonym && d->m[i].accepted)
            apply_metonymy(d, &d->m[i]);
    group_names(d);
    tally_candidate_areas(d);
    /* One sense per name and document: the first mention of a name is
     * resolved with the evidence of all its mentions, the others follow. */
    for (size_t i = 0; i < d->n_m; i++)
        if (!d->m[i].metonym && d->m[i].rep == (int)i)
            choose(d, &d->m[i], false);
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < d->n_m; i++)
            if (!d->m[i].metonym && d->m[i].rep == (int)i)
                choose(d, &d->m[i], true);
    fall_back_to_focus(d);
    for (size_t i = 0; i < d->n_m; i++) {
        mention *m = &d->m[i];
        if (m->metonym || !m->accepted || m->rep == (int)i)
            continue;
        const mention *r = &d->m[m->rep];
        if (r->metonym || r->chosen < 0)
            continue;
        uint32_t place = r->cand[r->chosen].place;
        for (size_t k = 0; k < m->n_cand; k++) {
            m->cand[k].score = m->cand[k].place == place ? 1.0f : 0.0f;
            if (m->cand[k].place == place)
                m->chosen = (int)k;
        }
        if (m->chosen < 0 && m->n_cand) {  /* the name was placed at its area */
            m->cand[0] = r->cand[r->chosen];
            m->n_cand = 1;
            m->chosen = 0;
        }
    }
}

/* ---- the answer ---- */

static float confidence(const mention *m)
{
    float best = m->cand[m->chosen].score, second = -1e9f;
    for (size_t k = 0; k < m->n_cand; k++)
        if ((int)k != m->chosen && m->cand[k].score > second)
            second = m->cand[k].score;
    float margin = m->n_cand > 1 ? best - second : 4.0f;
    float sure = 1.0f / (1.0f + expf(-margin));
    float place = m->placeness >= 3.0f ? 1.0f : m->placeness <= 0 ? 0.3f : 0.3f + 0.7f * m->placeness / 3.0f;
    return sure * place;
}

static void fill_place(doc_state *d, const mention *m, sr_place *out)
{
    const candidate *c = &m->cand[m->chosen];
    const gaz_place *p = &d->g->places[c->place];
    out->start = m->start;
    out->end = m->end;
    out->cp_start = geo_cp_offset(d, m->first, m->start);
    out->cp_end = geo_cp_offset(d, m->first, m->end);
    out->text = sr_arena_strndup(d->a, d->text + m->start, m->end - m->start);
    out->name = gaz_str(d->g, p->name);
    out->kind = (sr_place_kind)p->kind;
    out->cc[0] = p->cc[0], out->cc[1] = p->cc[1], out->cc[2] = 0;
    uint32_t a1 = admin1_of(d->g->places, c->place);
    out->admin1 = a1 < d->g->h->n_places ? gaz_str(d->g, d->g->places[a1].name) : "";
    out->lat = p->lat;
    out->lon = p->lon;
    out->geonameid = p->geonameid;
    out->population = p->population;
    const mention *rep = &d->m[m->rep];
    out->confidence = confidence(rep->chosen >= 0 && !rep->metonym ? rep : m);
}

static int cmp_focus(const void *a, const void *b)
{
    const sr_geo_focus *x = a, *y = b;
    if (x->kind != y->kind)
        return (int)x->kind - (int)y->kind;
    return x->mentions < y->mentions ? 1 : x->mentions > y->mentions ? -1 : 0;
}

static sr_err make_focus(doc_state *d, sr_geo_doc *doc)
{
    size_t n = 0;
    for (size_t i = 0; i < 26 * 26; i++)
        n += d->cc_count[i] > 0;
    doc->focus = sr_arena_calloc(d->a, (n + d->n_adm1 + 1) * sizeof *doc->focus);
    if (!doc->focus)
        return SR_ENOMEM;
    for (size_t i = 0; i < 26 * 26; i++) {
        if (!d->cc_count[i])
            continue;
        char cc[3] = {(char)('A' + i / 26), (char)('A' + i % 26), 0};
        uint32_t idx = find_country(d, cc);
        sr_geo_focus *f = &doc->focus[doc->n_focus++];
        f->kind = SR_PLACE_COUNTRY;
        memcpy(f->cc, cc, 3);
        f->name = idx != GAZ_NONE ? gaz_str(d->g, d->g->places[idx].name) : "";
        f->admin1 = "";
        f->lat = idx != GAZ_NONE ? d->g->places[idx].lat : NAN;
        f->lon = idx != GAZ_NONE ? d->g->places[idx].lon : NAN;
        f->mentions = d->cc_count[i];
    }
    for (size_t i = 0; i < d->n_adm1; i++) {
        if (!d->adm1_count[i])
            continue;
        const gaz_place *p = &d->g->places[d->adm1[i]];
        sr_geo_focus *f = &doc->focus[doc->n_focus++];
        f->kind = SR_PLACE_ADMIN1;
        f->cc[0] = p->cc[0], f->cc[1] = p->cc[1];
        f->name = f->admin1 = gaz_str(d->g, p->name);
        f->lat = p->lat, f->lon = p->lon;
        f->mentions = d->adm1_count[i];
    }
    qsort(doc->focus, doc->n_focus, sizeof *doc->focus, cmp_focus);
    return SR_OK;
}

sr_err geo_make_doc(doc_state *d, sr_geo_doc **out)
{
    sr_geo_doc *doc = sr_arena_calloc(d->a, sizeof *doc);
    size_t n = 0;
    for (size_t i = 0; i < d->n_m; i++)
        n += d->m[i].accepted && d->m[i].chosen >= 0;
    if (!doc || !(doc->places = sr_arena_calloc(d->a, (n + 1) * sizeof *doc->places)))
        return SR_ENOMEM;
    for (size_t i = 0; i < d->n_m; i++)
        if (d->m[i].accepted && d->m[i].chosen >= 0)
            fill_place(d, &d->m[i], &doc->places[doc->n_places++]);
    sr_err e = make_focus(d, doc);
    *out = doc;
    return e;
}
