/* A country's reference point: the Factbook's point and the centre of the
 * main polygon of its outline meet halfway when they agree within 322 km,
 * so the point is within 161 km of both conventions. */
#include <criterion/criterion.h>
#include <math.h>
#include "geo/gaz.h"

#define OUTLINE SR_FIXTURES "/geo/outline_mainland.geo.json"

/* The mainland of the fixture is the 2x2 degree square centred on 1 N
 * 11 E; the small island far east must not pull the centre. */
Test(geo_outline, near_points_meet_halfway)
{
    float lat = 1.0f, lon = 12.0f;  /* about 111 km east of the mainland's centre */
    cr_assert(gaz_outline_settle(OUTLINE, &lat, &lon));
    cr_assert_float_eq(lat, 1.0f, 1e-3);
    cr_assert_float_eq(lon, 11.5f, 1e-3, "the island dragged the centre: lon %f", lon);
}

Test(geo_outline, far_points_keep_the_factbook_point)
{
    float lat = 5.0f, lon = 11.0f;  /* about 445 km north: another convention altogether */
    cr_assert_not(gaz_outline_settle(OUTLINE, &lat, &lon));
    cr_assert_eq(lat, 5.0f);
    cr_assert_eq(lon, 11.0f);
}

Test(geo_outline, missing_or_broken_outline_changes_nothing)
{
    float lat = 1.0f, lon = 12.0f;
    cr_assert_not(gaz_outline_settle(SR_FIXTURES "/geo/no_such.geo.json", &lat, &lon));
    cr_assert_not(gaz_outline_settle(SR_FIXTURES "/geo/outline_truncated.geo.json", &lat, &lon));
    cr_assert_eq(lon, 12.0f);
}

Test(geo_outline, an_area_and_its_seat_meet_halfway_only_when_near)
{
    float lat = 0.0f, lon = 10.0f;
    cr_assert(gaz_settle_between(&lat, &lon, 0.0, 12.0));  /* 222 km apart */
    cr_assert_float_eq(lon, 11.0f, 1e-4);
    cr_assert_not(gaz_settle_between(&lat, &lon, 0.0, 14.0));  /* 333 km apart */
    cr_assert_float_eq(lon, 11.0f, 1e-4);
    lat = 10.0f, lon = 179.5f;
    cr_assert_not(gaz_settle_between(&lat, &lon, 10.0, -179.5), "across the antimeridian");
}
