/* PETRARCH's unit-test records (../shared/corpora/events/phoenix) coded from
 * their sentence text with the PETR.Validate dictionaries, by the same
 * reader bench/code uses. Fails when fewer records come out as PETRARCH
 * expects than when the floor was last raised; skipped without corpora. */
#include <criterion/criterion.h>
#include <unistd.h>
#include "../bench/code/petrarch.c"

#define PHOENIX SR_CORPORA "/events/phoenix"
#define RECORDS PHOENIX "/PETR.UnitTest.records.xml"

/* Records passed when this floor was last raised (docs/code.md). */
#define PASS_AT_LEAST 248

Test(code_petrarch, unit_test_records)
{
    if (access(RECORDS, R_OK) != 0) {
        cr_skip_test("corpora absent: %s not found", RECORDS);
        return;
    }
    int valid = 0, passed = 0;
    cr_assert_eq(sr_bench_petrarch(RECORDS, PHOENIX, &valid, &passed), 0);
    cr_log_info("PETRARCH unit tests: %d of %d valid records", passed, valid);
    cr_expect_eq(valid, 272, "valid records read: %d", valid);
    cr_expect_geq(passed, PASS_AT_LEAST, "only %d of %d records as PETRARCH expects", passed, valid);
}
