/* TABARI's own validation suite (../shared/corpora/events/tabari): every
 * record is coded with TABARI's demo dictionaries and compared with the
 * events TABARI 0.8.4 codes for it. Skipped when the corpora are absent. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <unistd.h>
#include "sitrep/code.h"

#define PROJECT SR_CORPORA "/events/tabari/Validate.project"

/* Records coded as TABARI codes them when this test was last raised; the
 * test fails on any regression. The remaining differences are listed by
 * `sitrep code --validate` and in docs/code.md. */
#define AGREE_AT_LEAST 414

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
