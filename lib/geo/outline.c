/* Where the gazetteer puts a country: its reference point.
 *
 * Any point inside a country is a right answer for a mention of it, but
 * the common references disagree on which point stands for it: GeoNames
 * and world-countries give the CIA Factbook's rounded point (China at
 * 35 N 105 E), encyclopedias and many datasets a point nearer the middle
 * of the main land mass (China at 35 N 103 E). Measured on the geoparsing
 * corpora, taking either alone loses the mentions scored by the other.
 * When the two lie within 322 km of each other, their midpoint is within
 * 161 km (the field's usual tolerance) of both, so sitrep takes it; when
 * they are further apart (Canada, Indonesia, Norway: a main island or
 * mainland far from the whole's centre) it keeps the Factbook's point.
 * The second point is the centroid of the country's largest polygon in
 * world-countries' own outline (data/<cca3>.geo.json, ODbL). */
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "sitrep/util.h"
#include "gaz.h"

#define MAX_OUTLINE (8u * 1024 * 1024)
#define AGREE_KM 322.0

static void largest_polygon_centre(json_t *geometry, double *best, double *lat, double *lon);
static double ring_centroid(json_t *ring, double *lat, double *lon);
static double km_between(double lat1, double lon1, double lat2, double lon2);

bool gaz_outline_settle(const char *geojson_path, float *lat, float *lon)
{
    char *data;
    size_t len;
    if (sr_read_file(geojson_path, MAX_OUTLINE, &data, &len) != SR_OK)
        return false;  /* no outline: the Factbook point stands */
    json_t *root = json_loadb(data, len, 0, NULL);
    free(data);
    double plat = 0, plon = 0, area = 0;
    size_t i;
    json_t *feature;
    json_array_foreach(json_object_get(root, "features"), i, feature)
        largest_polygon_centre(json_object_get(feature, "geometry"), &area, &plat, &plon);
    json_decref(root);
    return area > 0 && gaz_settle_between(lat, lon, plat, plon);
}

bool gaz_settle_between(float *lat, float *lon, double lat2, double lon2)
{
    if (fabs(lon2 - *lon) > 180 || km_between(*lat, *lon, lat2, lon2) > AGREE_KM)
        return false;
    *lat = (float)((*lat + lat2) / 2);
    *lon = (float)((*lon + lon2) / 2);
    return true;
}

/* The largest outer ring of a Polygon or MultiPolygon, by area on the
 * sphere (the planar lon/lat area shrunk by cos(lat)); keeps the largest
 * seen so far in *best and its centroid. */
static void largest_polygon_centre(json_t *geometry, double *best, double *lat, double *lon)
{
    const char *type = json_string_value(json_object_get(geometry, "type"));
    json_t *coords = json_object_get(geometry, "coordinates");
    if (!type || !json_is_array(coords))
        return;
    bool multi = strcmp(type, "MultiPolygon") == 0;
    if (!multi && strcmp(type, "Polygon") != 0)
        return;
    size_t n = multi ? json_array_size(coords) : 1;
    for (size_t i = 0; i < n; i++) {
        json_t *polygon = multi ? json_array_get(coords, i) : coords;
        double a = 0, b = 0, area = ring_centroid(json_array_get(polygon, 0), &a, &b);
        area *= cos(a * M_PI / 180);
        if (area > *best)
            *best = area, *lat = a, *lon = b;
    }
}

/* Shoelace centroid of a closed ring of [lon, lat] pairs; returns |area|. */
static double ring_centroid(json_t *ring, double *lat, double *lon)
{
    double area = 0, cx = 0, cy = 0;
    size_t n = json_array_size(ring);
    for (size_t i = 0; i + 1 < n; i++) {
        json_t *p = json_array_get(ring, i), *q = json_array_get(ring, i + 1);
        double x0 = json_number_value(json_array_get(p, 0)), y0 = json_number_value(json_array_get(p, 1));
        double x1 = json_number_value(json_array_get(q, 0)), y1 = json_number_value(json_array_get(q, 1));
        double c = x0 * y1 - x1 * y0;
        area += c, cx += (x0 + x1) * c, cy += (y0 + y1) * c;
    }
    if (area == 0)
        return 0;
    *lat = cy / (3 * area);
    *lon = cx / (3 * area);
    return fabs(area / 2);
}

static double km_between(double lat1, double lon1, double lat2, double lon2)
{
    double r = M_PI / 180, dlat = (lat2 - lat1) * r, dlon = (lon2 - lon1) * r;
    double h = sin(dlat / 2) * sin(dlat / 2) +
               cos(lat1 * r) * cos(lat2 * r) * sin(dlon / 2) * sin(dlon / 2);
    return 2 * 6371.0 * asin(sqrt(h < 1 ? h : 1));
}
