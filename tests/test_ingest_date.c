/* Feed dates: RFC 822 and ISO 8601 in their wild forms, to UTC. */
#include <criterion/criterion.h>
#include "sitrep/ingest.h"

static void date_is(const char *in, const char *want)
{
    char out[32];
    cr_assert(sr_date_iso8601(in, out), "%s should read", in);
    cr_assert_str_eq(out, want, "%s", in);
}

Test(date, rfc822_forms)
{
    date_is("Fri, 03 Jan 2014 16:20:00 GMT", "2014-01-03T16:20:00Z");
    date_is("Fri, 3 Jan 2014 16:20:00 +0530", "2014-01-03T10:50:00Z");
    date_is("3 Jan 14 23:30 PST", "2014-01-04T07:30:00Z");
    date_is("Wed, 31 Dec 2014 23:00:00 -0200", "2015-01-01T01:00:00Z");
    date_is("Thursday, 02 January 2014 8:05:00 EDT", "2014-01-02T12:05:00Z");
    date_is("Fri, 03 Jan 2014", "2014-01-03");
}

Test(date, iso8601_forms)
{
    date_is("2014-01-03T16:20:00Z", "2014-01-03T16:20:00Z");
    date_is("2014-01-03T16:20:00.123+01:00", "2014-01-03T15:20:00Z");
    date_is("2014-01-03 16:20", "2014-01-03T16:20:00Z");
    date_is("2014-01-03T00:10:00-0100", "2014-01-03T01:10:00Z");
    date_is("2014-03-01T00:30:00+01:00", "2014-02-28T23:30:00Z");
    date_is("2014-01-03", "2014-01-03");
}

Test(date, refuses_what_is_not_a_date)
{
    char out[32];
    cr_assert_not(sr_date_iso8601("yesterday", out));
    cr_assert_not(sr_date_iso8601("2014-13-01", out));
    cr_assert_not(sr_date_iso8601("2014-02-30T10:00:00Z junk", out));
    cr_assert_not(sr_date_iso8601("Fri, 32 Jan 2014 10:00:00 GMT", out));
    cr_assert_not(sr_date_iso8601("", out));
}
