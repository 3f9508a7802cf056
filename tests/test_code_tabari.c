/* TABARI's own validation suite (../shared/corpora/events/tabari): every
 * record is coded with TABARI's demo dictionaries and compared with the
 * events TABARI 0.8.4 codes for it. Skipped when the corpora are absent. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "sitrep/code.h"

#define PROJECT SR_CORPORA "/events/tabari/Validate.project"

/* Records coded as TABARI codes them when this test was last raised; the
 * test fails on any regression. The remaining differences are listed by
 * `sitrep code --validate` and in docs/code.md. */
#define AGREE_AT_LEAST 447

Test(code_tabari, validation_suite)
{
    if (access(PROJECT, R_OK) != 0) {
        cr_skip_test("corpora absent: %s not found", PROJECT);
        return;
    }
    char *report = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&report, &len);
    sr_code_validation v;
    cr_assert_eq(sr_code_validate(PROJECT, out, NULL, &v), SR_OK);
    fclose(out);
    cr_log_info("TABARI validation: %d records coded, %d as expected, %d differ",
                v.records - v.options, v.passed, v.failed);
    /* all 466 standard records plus TABARI's four 8-digit-date ones */
    cr_expect_eq(v.records, 470, "records read: %d", v.records);
    cr_expect_eq(v.passed + v.failed, v.records - v.options);
    cr_expect_geq(v.passed, AGREE_AT_LEAST, "only %d records as TABARI codes them:\n%s", v.passed, report);
    free(report);
}

/* The Phoenix/PETRARCH dictionaries load (their own comment, date and
 * substitution conventions) and code with a verb file of ours. */
Test(code_tabari, phoenix_dictionaries_load_and_code)
{
    const char *dir = SR_CORPORA "/events/phoenix";
    char path[1024];
    snprintf(path, sizeof path, "%s/Phoenix.Countries.actors.txt", dir);
    if (access(path, R_OK) != 0) {
        cr_skip_test("corpora absent: %s not found", path);
        return;
    }
    static const char *const files[] = {"Phoenix.Countries.actors.txt", "Phoenix.International.actors.txt",
                                        "Phoenix.MilNonState.actors.txt", "Phoenix.agents.txt", NULL};
    FILE *quiet = fopen("/dev/null", "w");
    sr_code_dict *d;
    cr_assert_eq(sr_code_dict_new(&d, quiet), SR_OK);
    for (int i = 0; files[i]; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, files[i]);
        cr_assert_eq(sr_code_dict_load(d, path), SR_OK, "%s", files[i]);
    }
    cr_expect_gt(sr_code_dict_size(d), 35000);
    cr_assert_eq(sr_code_dict_load(d, SR_FIXTURES "/code/news.verbs"), SR_OK);
    sr_coder *c;
    cr_assert_eq(sr_coder_new(&c, d), SR_OK);
    const char *s = "Afghan soldiers attacked Pakistan on Monday.";
    const sr_code_result *r;
    cr_assert_eq(sr_code_sentence(c, s, strlen(s), 20140101, 0, &r), SR_OK);
    cr_assert_eq(r->n_events, 1);
    cr_expect_str_eq(r->events[0].source.code, "AFGMIL");
    cr_expect_str_eq(r->events[0].target.code, "PAK");
    sr_coder_free(c);
    sr_code_dict_free(d);
    fclose(quiet);
}
