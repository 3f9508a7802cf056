/* Page furniture recognised by its words: class/id names that mark
 * boilerplate or article containers (the vocabulary Readability and
 * trafilatura rely on, read as words rather than substrings), and the short
 * lines that are furniture in any page: app banners, notification prompts,
 * consent notices, share/follow bars, video durations. */
#define _GNU_SOURCE  /* strcasestr */
#include <ctype.h>
#include <pthread.h>
#include <string.h>
#include <strings.h>
#include "extract_int.h"

/* A class/id word that starts with one of these marks boilerplate, even
 * next to an article word ("article-comments", "post-share"). */
static const char *const strong_prefix[] = {
    "comment", "related", "sidebar", "social", "share", "sharing", "footer", "breadcrumb",
    "cookie", "consent", "gdpr", "newsletter", "recommend", "outbrain", "taboola", "promo",
    "advert", "disqus", "paywall", "popular", "trending", "readmore", "smartbanner",
    "appbanner", "notification", "subscribe", "subscription", "signup", "morefrom", "moreon",
    "masthead", "byline", "community", "remark", "replies", "reply", "agegate", "supplemental", "navbar", "navigation", "pagination", "tagcloud", "sponsor", NULL};
/* Weaker: boilerplate unless an article word is there too. */
static const char *const weak_prefix[] = {
    "banner", "popup", "modal", "overlay", "login", "widget", "pager", "menu", "toolbar",
    "shoutbox", "skyscraper", "author", "autor", "auteur", "rss", "print",
    "teaser", "nextprev", "prevnext", "postmeta", "entrymeta", "meta", "copyright", "credit",
    "caption", "visuallyhidden", "sronly", "screenreader", "skip", "timestamp", "published",
    "player", "duration", "playlist", "carousel", "more", "follow", "contact", "legal",
    "disclaimer", "ticker", "feedback", "rating", "vote", "reaction", "poll", "search",
    "header", "tooltip", "icon", "button", "btn", "account", NULL};
/* Exact words (too short to be prefixes). */
static const char *const neg_exact[] = {
    "ad", "ads", "adv", "advertisement", "dfp", "aside", "hide", "hidden", "top", "extra",
    "promoted", "cta", "nav", "share", "tools", "jump", "sr-only", "visually-hidden",
    "screen-reader-text", "ad-container", "ad-wrapper", "ad-slot", "adsbygoogle", NULL};
/* Weak words that must stand whole: "tags" but not "tagStyle". */
static const char *const weak_words[] = {"tags", "tag", "topics", "keywords", NULL};
static const char *const pos_prefix[] = {
    "article", "content", "entry", "story", "post", "text", "body", "prose", "main",
    "blog", "hentry", "instapaper", "news", "paragraph", "richtext", "rtf", NULL};

/* Words that name a story's standfirst (lead, teaser, summary, in the
 * languages the sites use). A teaser is boilerplate among other stories'
 * teasers, but the one right after the headline opens the story. */
static const char *const lead_words[] = {
    "lead", "lede", "intro", "standfirst", "summary", "teaser", "excerpt", "subtitle",
    "subheadline", "subheading", "subline", "abstract", "description", "deck", "dek", "sommario",
    "bajada", "copete", "sumario", "entradilla", "chapo", "chapeau", "vorspann", "anriss",
    "einleitung", "leadtext", "teasertext", "introtext", NULL};

/* Every class/id word is tried against all the lists above, so they are
 * read once into one table indexed by first letter, with their lengths
 * (a word meets a handful of candidates instead of every entry). */
enum { W_STRONG = 1, W_WEAK = 2, W_WEAK_WORD = 4, W_POS = 8, W_LEAD = 16 };
static uint8_t neg_exact_len[64];

typedef struct vocab_word {
    const char *s;
    uint64_t head, mask;   /* the first min(len, 8) bytes, and which bytes those are */
    uint8_t len, kind;
} vocab_word;

/* Words are lower-case letters and digits (36 bytes) and the lists' are at
 * least three long, so each word meets only the entries that begin with its
 * first two bytes. */
enum { ALNUM = 36 };
static vocab_word vocab[512];
static uint16_t vocab_at[ALNUM * ALNUM + 1];   /* entries starting with pair p: [vocab_at[p], vocab_at[p + 1]) */
static uint8_t alnum_index[256];              /* 1 + the index of a lower-case letter or digit, else 0 */
static unsigned char alnum_lower[256];        /* tolower(c) for isalnum(c), else 0 */
static uint32_t neg_exact_lengths[256];       /* by folded first byte: the lengths of neg_exact names */
static pthread_once_t vocab_once = PTHREAD_ONCE_INIT;
/* the bytes that end a name: NUL, space, tab, newline */
static const bool name_end[256] = {[0] = true, [' '] = true, ['\t'] = true, ['\n'] = true};

static unsigned vocab_pair(const char *w)
{
    return (unsigned)(alnum_index[(unsigned char)w[0]] - 1) * ALNUM +
           (unsigned)(alnum_index[(unsigned char)w[1]] - 1);
}

static void vocab_build(void)
{
    static const struct { const char *const *list; uint8_t kind; } lists[] = {
        {strong_prefix, W_STRONG}, {weak_prefix, W_WEAK}, {weak_words, W_WEAK_WORD},
        {pos_prefix, W_POS}, {lead_words, W_LEAD}};
    for (int c = 0; c < 256; c++) {
        alnum_lower[c] = isalnum(c) ? (unsigned char)tolower(c) : 0;
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
            alnum_index[c] = (uint8_t)(1 + (c >= 'a' ? 10 + c - 'a' : c - '0'));
    }
    size_t count[ALNUM * ALNUM] = {0}, n = 0;
    for (size_t l = 0; l < sizeof lists / sizeof *lists; l++)
        for (int i = 0; lists[l].list[i]; i++)
            count[vocab_pair(lists[l].list[i])]++;
    for (unsigned b = 0; b < ALNUM * ALNUM; b++) {
        vocab_at[b] = (uint16_t)n;
        n += count[b];
    }
    vocab_at[ALNUM * ALNUM] = (uint16_t)n;
    for (int i = 0; neg_exact[i]; i++) {
        neg_exact_len[i] = (uint8_t)strlen(neg_exact[i]);
        neg_exact_lengths[(unsigned char)neg_exact[i][0]] |= 1u << neg_exact_len[i];
    }
    uint16_t fill[ALNUM * ALNUM];
    memcpy(fill, vocab_at, sizeof fill);
    for (size_t l = 0; l < sizeof lists / sizeof *lists; l++)
        for (int i = 0; lists[l].list[i]; i++) {
            const char *w = lists[l].list[i];
            size_t len = strlen(w), k = len < 8 ? len : 8;
            vocab_word v = {w, 0, 0, (uint8_t)len, lists[l].kind};
            memcpy(&v.head, w, k);
            memset(&v.mask, 0xFF, k);
            vocab[fill[vocab_pair(w)]++] = v;
        }
}

/* The W_ kinds a lower-case word (n >= 1) has: a prefix in the prefix
 * lists, whole in the word lists. w holds 32 bytes, zero after the word. */
static unsigned word_kinds(const char *w, size_t n)
{
    if (n < 3 || !alnum_index[(unsigned char)w[0]] || !alnum_index[(unsigned char)w[1]])
        return 0;   /* shorter than every entry, or not a word of [a-z0-9] as they all are */
    unsigned k = 0, p = vocab_pair(w);
    uint64_t head = sr_load8(w);
    for (unsigned i = vocab_at[p]; i < vocab_at[p + 1]; i++) {
        const vocab_word *v = &vocab[i];
        bool whole = v->kind & (W_WEAK_WORD | W_LEAD);
        if ((whole ? v->len == n : n >= v->len) && (head & v->mask) == v->head &&
            (v->len <= 8 || !memcmp(w + 8, v->s + 8, v->len - 8u)))
            k |= v->kind;
    }
    return k;
}

/* -2 strong boilerplate, -1 weak boilerplate, +1 article, 0 neither */
static int word_hint(const char *w, size_t n, unsigned kinds)
{
    /* an opinion piece ("news commentary") is a story, not its comments */
    if (n == 10 && !memcmp(w, "commentary", 10))
        return 0;
    if (kinds & W_STRONG)
        return -2;
    if (kinds & (W_WEAK | W_WEAK_WORD))
        return -1;
    if (kinds & W_POS)
        return 1;
    return 0;
}

/* Class names are split at spaces into names and at '-' and '_' into
 * words. Exact words count only as whole names ("hidden", not
 * "field--label-hidden"); CMS classification names (WordPress's
 * "category-social-media", "tag-share") say what the story is about, not
 * what the element is, and are skipped. */
static bool whole_name(const char *s, size_t n, int i)
{
    return neg_exact_len[i] == n && !strncasecmp(s, neg_exact[i], n);
}

/* One name: a strong word anywhere decides; otherwise the last word, the
 * head of the compound ("entry-meta" is meta, "post-content" is content),
 * then the others. */
static int name_hint(const char *s, size_t len, bool *lead)
{
    char c0 = (char)(s[0] | 0x20);   /* the first letter, folded, turns most names away */
    if ((c0 == 'c' && len > 9 && !strncasecmp(s, "category-", 9)) ||
        (c0 == 't' && ((len > 4 && !strncasecmp(s, "tag-", 4)) || (len > 5 && !strncasecmp(s, "tags-", 5)))))
        return 0;
    /* a name is a neg_exact one only if one has its first letter and length */
    if (len < 32 && (neg_exact_lengths[(unsigned char)tolower((unsigned char)s[0])] >> len & 1))
        for (int i = 0; neg_exact[i]; i++)
            if (whole_name(s, len, i))
                return -1;
    char w[40] = {0};   /* a word's first 31 bytes, and room to zero eight after them */
    size_t n = 0;
    int strong = 0, any_weak = 0, any_pos = 0, head = 0;
    for (size_t i = 0; i <= len; i++) {
        unsigned char c = i < len ? alnum_lower[(unsigned char)s[i]] : 0;
        if (c) {
            if (n < 31)
                w[n++] = (char)c;
            continue;
        }
        if (n) {
            memset(w + n, 0, 8);   /* word_kinds reads the first eight bytes */
            unsigned kinds = word_kinds(w, n);
            *lead |= (kinds & W_LEAD) != 0;
            head = word_hint(w, n, kinds);
            strong |= head == -2;
            any_weak |= head == -1;
            any_pos |= head == 1;
        }
        n = 0;
    }
    if (strong)
        return -2;
    if (head)
        return head;
    return any_weak && !any_pos ? -1 : any_pos;
}

/* What the names of one attribute say, as SR_NAMES_ bits. */
unsigned sr_names_hint(const char *s)
{
    pthread_once(&vocab_once, vocab_build);
    unsigned bits = 0;
    bool lead = false;
    while (*s) {
        while (*s == ' ' || *s == '\t' || *s == '\n')
            s++;
        size_t n = 0;
        while (!name_end[(unsigned char)s[n]])
            n++;
        if (n) {
            int h = name_hint(s, n, &lead);
            bits |= h == -2 ? SR_NAMES_STRONG : h == -1 ? SR_NAMES_WEAK : h == 1 ? SR_NAMES_POS : 0;
        }
        s += n;
    }
    return bits | (lead ? SR_NAMES_LEAD : 0);
}

/* class and id together: a strong word decides, a weak one unless an
 * article word stands beside it */
int sr_names_combine(unsigned cls, unsigned id, bool *lead)
{
    unsigned b = cls | id;
    *lead = b & SR_NAMES_LEAD;
    if (b & SR_NAMES_STRONG)
        return b & SR_NAMES_POS ? -3 : -2;
    if ((b & SR_NAMES_WEAK) && !(b & SR_NAMES_POS))
        return -1;
    return (b & SR_NAMES_POS) != 0;
}

int sr_class_hint(const xmlChar *cls, const xmlChar *id, bool *lead)
{
    return sr_names_combine(cls ? sr_names_hint((const char *)cls) : 0,
                            id ? sr_names_hint((const char *)id) : 0, lead);
}

/* "02:37", "1:02:37", "Video 02:37", "Duration 2:37" */
bool sr_is_duration(const char *s, size_t n)
{
    size_t i = 0, digits = 0, colons = 0;
    while (i < n && !isdigit((unsigned char)s[i]))
        i++;
    if (i > 12)
        return false;
    for (; i < n; i++) {
        if (isdigit((unsigned char)s[i]))
            digits++;
        else if (s[i] == ':')
            colons++;
        else if (!isspace((unsigned char)s[i]))
            return false;
    }
    return colons >= 1 && colons <= 2 && digits >= 3 && digits <= 6;
}

/* "3:59 PM", "19:49 Uhr": a time on its own line is a timestamp */
static bool is_clock(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && (isdigit((unsigned char)s[i]) || s[i] == ':'))
        i++;
    if (i < 4 || !memchr(s, ':', i))
        return false;
    while (i < n && s[i] == ' ')
        i++;
    const char *rest = s + i;
    size_t r = n - i;
    return r == 0 || (r == 2 && (!strncasecmp(rest, "am", 2) || !strncasecmp(rest, "pm", 2))) ||
           (r == 3 && !strncasecmp(rest, "uhr", 3));
}

/* Whole short lines that are furniture whatever the site. Matched
 * case-insensitively at the start of a line of at most 100 bytes. */
static const char *const furniture_starts[] = {
    "open in app", "open in the app", "continue in browser", "continue in the app", "get the app",
    "download the app", "download our app", "read in app", "use the app", "view in app",
    "install the app", "turn on notifications", "turn on browser notifications",
    "get browser notifications", "enable notifications", "allow notifications",
    "be the first to know", "never miss a story", "get breaking news alerts", "get alerts",
    "sign up for", "subscribe to our", "subscribe now", "subscribe for", "subscribe today",
    "sign up to our", "join our newsletter", "newsletter", "we use cookies", "this site uses cookies",
    "this website uses cookies", "by continuing to use", "accept cookies", "accept all",
    "manage cookies", "cookie settings", "advertisement", "advertising", "sponsored",
    "share this", "share on", "share via", "share article", "share:", "share", "tweet", "email this",
    "follow us", "follow on", "read more", "read next", "read also", "more from", "more on",
    "related:", "related articles", "related stories", "related coverage", "recommended",
    "most popular", "most read", "trending", "you may also like", "you might also like",
    "skip to", "back to top", "click here to", "all rights reserved", "copyright", "©",
    "watch:", "watch live", "watch now", "watch the video", "watch video", "play video",
    "video:", "listen", "log in", "sign in", "already a subscriber", "create an account",
    "to continue reading", "continue reading", "this article is for subscribers",
    "leave a comment", "comments", "show comments", "view comments", "print", "reprints",
    "image:", "photo:", "credit:", "image credit", "photograph:", "getty images",
    "related posts", "related content", "see also", "also read", "also on", "what to read next",
    "more stories", "more news", "top stories", "latest news", "editor's picks", "previous article",
    "next article", "previous post", "next post", "posted in", "filed under", "tagged",
    "rate this", "was this article helpful", "did you find this", "report an error",
    "anzeige", "- anzeige", "werbung", "weiterlesen", "mehr zum thema", "teilen", "artikel teilen",
    "auch interessant", "das könnte dich auch interessieren", "das könnte sie auch interessieren",
    "könnte sie auch interessieren", "ähnliche artikel", "ähnliche beiträge", "weitere artikel",
    "verwandte artikel", "lesen sie auch", "lies auch", "mehr dazu", "zum artikel", "nach oben",
    "drucken", "kommentare", "kommentar schreiben", "kommentieren", "beitragsbild", "aufrufe:",
    "war der artikel", "war dieser artikel", "möchten sie den artikel", "diesen artikel teilen",
    "jetzt abonnieren", "newsletter abonnieren", "zum newsletter", "bild:", "foto:",
    "verwandte beiträge", "vorschau auf den nächsten", "wie bewerten sie", "bewerten sie",
    "sie könnten auch an", "(noch keine bewertung", "crédits photos", "crédit photo", "category:",
    "category :", "categories:", "kategorie:", "kategorien:", "schlagwörter", "release date:",
    "posted on", "published on", "veröffentlicht am", "erstellt am", "last updated", "updated on",
    "last modified",
    "zuletzt aktualisiert", "you might be interested", "rate this article",
    "à lire aussi", "lire la suite", "voir aussi", "sur le même sujet", "commentaires",
    "leer más", "te puede interesar", "comentarios", "leggi anche", "condividi",
    "publicité", "partager", "lire aussi", "publicidad", "compartir", "lee también",
    NULL};

/* "23.10.2018", "March 3, 2021 at 10:15": a date alone on a line is page
 * metadata (the date goes to `published`), not part of the story. */
static bool is_date_line(const char *s, size_t n)
{
    if (n > 40)
        return false;
    /* a day-precise date has a four-digit year */
    size_t digits = 0;
    for (size_t i = 0; i < n; i++)
        digits += (unsigned)((unsigned char)s[i] - '0') < 10;
    if (digits < 4)
        return false;
    char buf[48], iso[40];
    memcpy(buf, s, n);
    buf[n] = 0;
    if (sr_date_parse(buf, iso, sizeof iso) < SR_DATE_DAY)
        return false;
    size_t letters = 0;
    for (size_t i = 0; i < n; i++)
        letters += isalpha((unsigned char)s[i]) != 0;
    return letters <= 12;
}

/* Phrases that make a short paragraph a prompt or a notice wherever they
 * stand in it: paywalls, membership and newsletter pitches, copyright and
 * reprint notices. Matched case-insensitively in paragraphs of at most
 * 300 bytes (a story's sentence that quotes one is longer than that). */
static const char *const furniture_phrases[] = {
    "please subscribe", "already a subscriber", "subscribers also receive", "to view the full story",
    "to read the full story", "subscribe to continue", "subscribe to read", "log in to read",
    "log in for immediate access", "register to continue", "this content is for subscribers",
    "unlock this article", "support our journalism", "support independent journalism",
    "become a member", "become a subscriber", "delivered to your inbox", "straight to your inbox",
    "copyrighted property", "written permission", "all rights reserved", "may not be reproduced",
    "without prior written", "reproduction in whole or in part", "alle rechte vorbehalten",
    "nur für abonnenten", "registrieren sie sich", "jetzt abonnieren", "abonnieren sie",
    "todos los derechos reservados", "suscríbete", "hazte miembro", "tous droits réservés",
    "réservé aux abonnés", "abonnez-vous", "tutti i diritti riservati", "abbonati",
    /* affiliate and advertising disclosures */
    "may receive compensation", "we may earn", "earn a commission", "affiliate link",
    "contains affiliate", "beitrag enthält werbung", "enthält affiliate", "provisions-links",
    /* calls to follow, join, install or write in */
    "follow us on", "síguenos en", "siguenos en", "folgen sie uns", "suivez-nous", "seguici su",
    "apps for ios", "app for ios", "straight to your phone", "canal de telegram",
    "channel on telegram", "whatsapp channel", "sign up here", "submit a letter",
    "help us continue", "consider supporting our work", "werden sie mitglied",
    "in deinen posteingang", "in ihren posteingang", "melde dich hier", "für unseren newsletter",
    "to our newsletter", "nuestra newsletter", "notre newsletter",
    /* blog and comment chrome */
    "bookmark the permalink", "this entry was posted in", "bloggern gefällt das",
    "bloggers like this", "must be logged in", "müssen sich einloggen", "musst eingeloggt sein",
    "nicht eingeloggt", "keine kommentare", "no comments yet", "kommentare geschlossen",
    "comments are closed", "comments closed", "commentaires fermés", "comentarios cerrados",
    "accéder en illimité", "accès illimité", "unlimited access", "acceso ilimitado",
    "instant access to",
    /* subscription and donation pitches */
    "cancel anytime", "cancel at any time", "jederzeit kündbar", "cancela cuando quieras",
    "résiliable à tout moment", "wählen sie ihren zugang", "zapraszamy do subskrypcji",
    "do subskrypcji", "jede kleine spende",
    "make a donation", "donate now", "jetzt spenden", "gefällt dir unser", "gefällt ihnen unser",
    "nuestro canal de youtube", "our youtube channel", "unseren youtube-kanal", "submit your letter",
    /* copyright and disclaimer notices */
    "chroniony prawem autorskim", "angaben ohne gewähr", "does not offer medical advice",
    "not responsible for the opinions",
    /* pointers to more stories, wherever the phrase stands */
    "könnte dich auch interessieren", "könnte sie auch interessieren",
    "könnten dich auch interessieren", "könnten sie auch interessieren",
    "you may also like", "you might also like", "también te puede interesar",
    "potrebbe interessarti", "pourrait vous intéresser",
    NULL};

/* Phrases that make a line of at most 40 bytes page furniture: reading
 * times, table-of-contents headers, the headers of the blocks after a
 * story. */
static const char *const short_phrases[] = {
    "min read", "minute read", "minutes read", "reading time", "lesezeit", "lesedauer",
    "temps de lecture", "tiempo de lectura", "tempo di lettura", "minut czytania",
    "przeczytasz w", "table of contents", "inhaltsverzeichnis",
    /* headers of the blocks that follow a story */
    "über den autor", "about the author", "kontakt:", "weitere informationen", "more information",
    "mehr themen", "zum weiterlesen", "further reading", "neueste artikel", "latest articles",
    "notas relacionadas", "schon gelesen", "lust auf mehr", "quellenangaben", "verwandte themen",
    "related topics", NULL};

/* Every short paragraph is tried against every phrase, so this is a hot
 * path: the phrases are indexed by their first two bytes, and one pass over
 * the lower-cased line meets only the phrases that could start at each
 * position. */
enum { PAIR_BUCKETS = 1024, MAX_PHRASES = 256 };

static struct phrase { const char *s; uint8_t len; bool is_short; } phrases[MAX_PHRASES];
static uint16_t pair_at[PAIR_BUCKETS + 1];   /* bucket b: phrases [pair_at[b], pair_at[b + 1]) */
static uint64_t head_seen[65536 / 64];      /* the first eight bytes of some phrase, hashed to one bit */
static bool all_long = true;                /* every phrase has eight bytes or more (then head_seen filters) */
/* furniture_starts by first byte, with their lengths */
static struct start { const char *s; uint8_t len; } starts[512];
static uint16_t starts_at[257];
static pthread_once_t phrase_once = PTHREAD_ONCE_INIT;

static unsigned head_hash(uint64_t w)
{
    return (unsigned)((w * 0x9E3779B97F4A7C15ull) >> 48);
}

static unsigned pair_bucket(const char *p)
{
    return ((unsigned)(unsigned char)p[0] * 31u + (unsigned char)p[1]) % PAIR_BUCKETS;
}

static void phrase_build(void)
{
    static const struct { const char *const *list; bool is_short; } lists[] = {
        {furniture_phrases, false}, {short_phrases, true}};
    uint16_t count[PAIR_BUCKETS] = {0};
    for (size_t l = 0; l < 2; l++)
        for (int i = 0; lists[l].list[i]; i++)
            count[pair_bucket(lists[l].list[i])]++;
    uint16_t n = 0;
    for (unsigned b = 0; b < PAIR_BUCKETS; b++) {
        pair_at[b] = n;
        n = (uint16_t)(n + count[b]);
    }
    pair_at[PAIR_BUCKETS] = n;
    uint16_t fill[PAIR_BUCKETS];
    memcpy(fill, pair_at, sizeof fill);
    for (size_t l = 0; l < 2; l++)
        for (int i = 0; lists[l].list[i]; i++) {
            const char *w = lists[l].list[i];
            phrases[fill[pair_bucket(w)]++] =
                (struct phrase){w, (uint8_t)strlen(w), lists[l].is_short};
            if (strlen(w) < 8) {
                all_long = false;
                continue;
            }
            unsigned key = head_hash(sr_load8(w));
            head_seen[key >> 6] |= 1ull << (key & 63);
        }
    size_t k = 0;
    for (int b = 0; b < 256; b++) {
        starts_at[b] = (uint16_t)k;
        for (int i = 0; furniture_starts[i]; i++)
            if ((unsigned char)furniture_starts[i][0] == b)
                starts[k++] = (struct start){furniture_starts[i], (uint8_t)strlen(furniture_starts[i])};
    }
    starts_at[256] = (uint16_t)k;
}

/* A phrase of furniture_phrases anywhere in a line of at most 300 bytes,
 * or of short_phrases in a line of at most 40 (ASCII letters folded, as
 * strcasecmp folds). */
static bool has_furniture_phrase(const char *s, size_t n)
{
    if (n > 300 || n < 2)
        return false;
    pthread_once(&phrase_once, phrase_build);
    char low[304];
    for (size_t i = 0; i < n; i++)
        low[i] = (char)tolower((unsigned char)s[i]);
    for (size_t i = 0; i + 1 < n; i++) {
        /* when every phrase is 8 bytes or longer, one starts at i only if
         * eight bytes are left and the hash of them has its bit set */
        if (all_long) {
            if (i + 8 > n)
                break;
            unsigned key = head_hash(sr_load8(low + i));
            if (!(head_seen[key >> 6] >> (key & 63) & 1))
                continue;
        }
        unsigned b = pair_bucket(low + i);
        for (unsigned k = pair_at[b]; k < pair_at[b + 1]; k++) {
            const struct phrase *p = &phrases[k];
            if (p->len <= n - i && (!p->is_short || n <= 40) && !memcmp(low + i, p->s, p->len))
                return true;
        }
    }
    return false;
}

static bool is_credit_line(const char *s, size_t n);
static bool follow_call(const char *s, size_t n);
static bool disguised(const char *s, size_t n);
static bool site_link(const char *s, size_t n);
static bool source_line(const char *s, size_t n);
static bool cyrillic_lead(const char *s, size_t n);
static bool ends_with_credit(const char *s, size_t n);

bool sr_furniture_line(const char *s, size_t n)
{
    while (n && isspace((unsigned char)*s))
        s++, n--;
    while (n && isspace((unsigned char)s[n - 1]))
        n--;
    if (n == 0)
        return true;
    pthread_once(&phrase_once, phrase_build);
    if (has_furniture_phrase(s, n))
        return true;
    if (n <= 300 && (ends_with_credit(s, n) || follow_call(s, n)))
        return true;
    if (n <= 600 && disguised(s, n))
        return true;
    if (n > 100)
        return false;
    if (sr_is_duration(s, n) || is_clock(s, n) || is_date_line(s, n) || is_credit_line(s, n) ||
        site_link(s, n) || source_line(s, n))
        return true;
    unsigned char c0 = (unsigned char)tolower((unsigned char)s[0]);
    for (unsigned i = starts_at[c0]; i < starts_at[c0 + 1]; i++) {
        size_t k = starts[i].len;
        if (n < k || strncasecmp(s, starts[i].s, k) != 0)
            continue;
        /* a whole line, or the phrase then more words of a short line */
        if (n == k || n < 60 || !isalnum((unsigned char)starts[i].s[k - 1]))
            return true;
    }
    return false;
}

/* A picture credit left in the body: "AFP / MARCO BERTORELLO", "Augusta
 * National/Getty Images", "iStock.com". A short line naming a picture
 * agency, either alone or joined by a slash, pipe or copyright sign (the
 * way credits are written, never a sentence of the story). */
static bool is_credit_line(const char *s, size_t n)
{
    static const char *const agencies[] = {
        "getty images", "istock", "istockphoto", "istock.com", "shutterstock", "afp", "reuters",
        "dpa", "imago", "imago images", "picture alliance", "picture-alliance", "epa", "ap",
        "ap photo", "keystone", "adobe stock", "unsplash", "pixabay", "pap", "ansa", "efe", "apa",
        "kna", "epd", "sda", "afp/getty", NULL};
    if (n > 60)
        return false;
    char buf[64];
    for (size_t i = 0; i < n; i++)
        buf[i] = (char)tolower((unsigned char)s[i]);
    buf[n] = 0;
    bool joined = strchr(buf, '/') || strchr(buf, '|') || strstr(buf, "\xc2\xa9");
    /* every place an agency's name starts a word, as strstr would find
     * them one agency at a time */
    size_t len = strlen(buf);
    for (size_t p = 0; p < len; p++) {
        if (p > 0 && isalnum((unsigned char)buf[p - 1]))
            continue;
        for (int i = 0; agencies[i]; i++) {
            if (agencies[i][0] != buf[p])
                continue;
            size_t k = strlen(agencies[i]);
            if (k <= len - p && !memcmp(buf + p, agencies[i], k) &&
                !isalnum((unsigned char)buf[p + k]) && (joined || k == n))
                return true;
        }
    }
    return false;
}

/* A caption set as a paragraph of the body ends with its picture's credit:
 * "... im Überblick. (Foto: Getty)", "... in Bremen. © CAE", "... | ©
 * Augusta National/Getty Images". A story's sentence does not end so. */
static bool ends_with_credit(const char *s, size_t n)
{
    static const char *const words[] = {"foto", "fotos", "photo", "photos", "bild", "bilder",
                                        "image", "imagen", "picture", "photograph", "credit",
                                        "crédit", "credito", "crédito", "foto/video", NULL};
    if (n > 1 && s[n - 1] == '.' && s[n - 2] == ')')
        n--;
    if (n && s[n - 1] == ')') {
        const char *open = NULL;
        for (size_t i = n - 1; i-- > 0 && n - i < 80;)
            if (s[i] == '(') {
                open = s + i + 1;
                break;
            }
        for (int i = 0; open && words[i]; i++) {
            size_t k = strlen(words[i]);
            if (!strncasecmp(open, words[i], k) && (open[k] == ':' || open[k] == ' '))
                return true;
        }
    }
    /* "© Name" closing the line, the copyright sign after the caption's text */
    const char *c = NULL;
    for (size_t i = n > 70 ? n - 70 : 0; i + 1 < n; i++)
        if ((unsigned char)s[i] == 0xC2 && (unsigned char)s[i + 1] == 0xA9)
            c = s + i;
    if (!c || c == s)
        return false;
    for (const char *p = c; p < s + n - 1; p++)
        if ((*p == '.' || *p == '!' || *p == '?') && p[1] == ' ')
            return false;   /* a sentence follows the sign */
    return true;
}

/* "Follow The Gleaner on Twitter and Instagram @JamaicaGleaner": a call to
 * follow the site on a social network. */
static bool follow_call(const char *s, size_t n)
{
    static const char *const calls[] = {"follow ", "folgen sie ", "folge ", "folgt ", "suivez ",
                                        "síguenos", "siguenos", "seguici", "obserwuj", NULL};
    static const char *const networks[] = {"twitter", "facebook", "instagram", "tiktok",
                                           "linkedin", "telegram", "youtube", "mastodon", NULL};
    unsigned char c0 = (unsigned char)tolower((unsigned char)s[0]);
    if (c0 != 'f' && c0 != 's' && c0 != 'o')
        return false;   /* the first letters of the calls */
    bool call = false;
    for (int i = 0; calls[i] && !call; i++)
        call = !strncasecmp(s, calls[i], strlen(calls[i]));
    if (!call)
        return false;
    char buf[304];
    memcpy(buf, s, n);
    buf[n] = 0;
    for (int i = 0; networks[i]; i++)
        if (strcasestr(buf, networks[i]))
            return true;
    return false;
}

/* Words that mix Latin and Cyrillic letters ("Yоur соntеnt" with
 * Cyrillic о and е) are an advertisement disguised from filters, never
 * prose: two such words condemn the line. */
static bool disguised(const char *s, size_t n)
{
    if (!cyrillic_lead(s, n))
        return false;
    int mixed = 0;
    bool latin = false, cyr = false;
    for (size_t i = 0; i <= n; i++) {
        unsigned char c = i < n ? (unsigned char)s[i] : ' ';
        if (isalpha(c)) {
            latin = true;
        } else if (c >= 0xD0 && c <= 0xD3) {
            cyr = true;
            i++;
        } else if (c < 0x80 || c >= 0xC0) {
            mixed += latin && cyr;
            latin = cyr = false;
        }
    }
    return mixed >= 2;
}

/* A byte 0xD0-0xD3 (the lead of a Cyrillic letter) in s; ASCII words are
 * passed eight bytes at a time. */
static bool cyrillic_lead(const char *s, size_t n)
{
    size_t i = 0;
    for (; n - i >= 8; i += 8)
        if (sr_load8(s + i) & SR_HIGH8)
            for (size_t k = i; k < i + 8; k++)
                if ((unsigned char)s[k] >= 0xD0 && (unsigned char)s[k] <= 0xD3)
                    return true;
    for (; i < n; i++)
        if ((unsigned char)s[i] >= 0xD0 && (unsigned char)s[i] <= 0xD3)
            return true;
    return false;
}

/* A link's name alone on a line: the site's contact, legal and
 * navigation pages ("Kontakt", "Impressum", "Privacy Policy"). */
static bool site_link(const char *s, size_t n)
{
#define W(s) {s, sizeof s - 1}
    static const struct { const char *s; size_t len; } names[] = {
        W("kontakt"), W("contact"), W("contact us"), W("impressum"), W("imprint"), W("datenschutz"),
        W("datenschutzerklärung"), W("privacy"), W("privacy policy"), W("terms of use"),
        W("terms of service"), W("terms and conditions"), W("agb"), W("sitemap"), W("startseite"),
        W("home"), W("homepage"), W("menu"), W("menü"), W("suche"), W("search"), W("login"),
        W("anmelden"), W("registrieren"), W("register"), W("mentions légales"), W("aviso legal"),
        W("contacto"), W("política de privacidad"), W("note legali"), W("cookie policy"),
        W("cookies"), W("accessibility"), W("barrierefreiheit"), W("permalink"), W("permalien"),
        {NULL, 0}};
#undef W
    if (n && s[n - 1] == ':')
        n--;
    for (int i = 0; names[i].s; i++)
        if (names[i].len == n && !strncasecmp(s, names[i].s, n))
            return true;
    return false;
}

/* "Quelle: Landesregierung", "Source: Reuters": the source named after a
 * story, a line of its own. */
static bool source_line(const char *s, size_t n)
{
#define W(s) {s, sizeof s - 1}
    static const struct { const char *s; size_t len; } marks[] = {
        W("quelle:"), W("quellen:"), W("source:"), W("sources:"), W("fuente:"), W("fuentes:"),
        W("fonte:"), W("źródło:"), W("Źródło:"), W("bron:"), {NULL, 0}};
#undef W
    if (n > 80)
        return false;
    for (int i = 0; marks[i].s; i++)
        if (!strncasecmp(s, marks[i].s, marks[i].len))
            return true;
    return false;
}
