/* Shared between match.c and index.c; internal to lib/alert. */
#ifndef SR_ALERT_MATCH_H
#define SR_ALERT_MATCH_H

#include "sitrep/alert.h"

/** Coordinates present and on the globe. */
bool sr_alert_event_has_point(const sr_alert_event *ev);
bool sr_alert_region_valid(const sr_alert_region *r);
/** Great-circle distance (haversine). */
double sr_alert_distance_km(double lat1, double lon1, double lat2, double lon2);

#endif
