#!/usr/bin/env bash
# The server's API against a real `sitrep serve` on 127.0.0.1 with a
# generated store: pagination, filters, formats, evidence, statistics,
# live streams with replay, subscriptions with tokens and limits, signed
# webhook delivery to a local receiver, static files and clean shutdown.
set -euo pipefail
source "$(dirname "$0")/lib/serve.sh"
command -v curl >/dev/null || { echo "SKIP: curl is not installed"; exit 77; }

"$FIXTURE_STORE" "$WORK/s.db" 450 >/dev/null
serve_start "$WORK/s.db" --allow-private --subscribe-rate 3
fail() { echo "FAIL: $*"; exit 1; }
get() { curl -sS --max-time 10 "$SERVE_URL$1"; }

[ "$(get /healthz)" = ok ] || fail "healthz"

# Every event exactly once across pages, newest first, with no cap.
python3 - "$SERVE_URL" <<'PY' || fail "pagination"
import json, sys, urllib.request
base = sys.argv[1]; seen = []; cursor = None
while True:
    url = base + "/api/events?limit=100" + (f"&cursor={cursor}" if cursor else "")
    page = json.load(urllib.request.urlopen(url))
    seen += [(e["date"], e["id"]) for e in page["events"]]
    cursor = page["next"]
    if not cursor: break
assert len(seen) == 450 and len(set(seen)) == 450, len(seen)
assert seen == sorted(seen, reverse=True), "not newest first"
PY

# Filters: a box around Anbar holds only Fallujah and Ramadi; actor and fatalities hold.
python3 - "$SERVE_URL" <<'PY' || fail "filters"
import json, sys, urllib.request
base = sys.argv[1]
def events(q):
    return json.load(urllib.request.urlopen(base + "/api/events?limit=1000&" + q))["events"]
box = events("bbox=42.5,32.8,44.5,34.0")
assert box and all(e["place"]["name"] in ("Fallujah", "Ramadi") for e in box)
assert all(42.5 <= e["place"]["lon"] <= 44.5 for e in box)
iq = events("country=IQ")
assert len(iq) > len(box) and all(e["place"]["cc"] == "IQ" for e in iq)
ukr = events("actor=UKR")
assert ukr and all("UKR" in (e["source"]["code"] + e["target"]["code"]) for e in ukr)
deadly = events("min_fatalities=10")
assert deadly and all(e["fatalities"]["value"] >= 10 for e in deadly)
battles = events("acled_type=Battles&root=19")
assert battles and all(e["acled_type"] == "Battles" and e["cameo"].startswith("19") for e in battles)
PY

# Bad requests are refused with a message, not a crash.
code=$(curl -s -o "$WORK/err" -w '%{http_code}' "$SERVE_URL/api/events?bbox=1,2,3")
[ "$code" = 400 ] && grep -q bbox "$WORK/err" || fail "bad bbox gave $code"
code=$(curl -s -o /dev/null -w '%{http_code}' "$SERVE_URL/api/events?limit=0")
[ "$code" = 400 ] || fail "limit=0 gave $code"
code=$(curl -s -o /dev/null -w '%{http_code}' "$SERVE_URL/api/events/999999")
[ "$code" = 404 ] || fail "missing event gave $code"
head -c 200000 /dev/zero | tr '\0' 'x' >"$WORK/big"
code=$(curl -s -o /dev/null -w '%{http_code}' -X POST --data-binary @"$WORK/big" "$SERVE_URL/api/subscriptions")
[ "$code" = 413 ] || fail "a 200 kB body gave $code"

# GeoJSON (RFC 7946: lon,lat order) and CSV.
python3 - "$SERVE_URL" <<'PY' || fail "formats"
import csv, io, json, sys, urllib.request
base = sys.argv[1]
fc = json.load(urllib.request.urlopen(base + "/api/events?format=geojson&country=SY&limit=50"))
assert fc["type"] == "FeatureCollection" and fc["features"]
for f in fc["features"]:
    assert f["type"] == "Feature" and f["geometry"]["type"] == "Point"
    lon, lat = f["geometry"]["coordinates"]
    assert 35 < lon < 39 and 35 < lat < 37.5, (lon, lat)   # Aleppo
rows = list(csv.reader(io.StringIO(urllib.request.urlopen(base + "/api/events?format=csv&limit=5").read().decode())))
assert "GLOBALEVENTID" in rows[0] and len(rows) == 6
PY

# One event with its evidence and sources; statistics per day and type.
python3 - "$SERVE_URL" <<'PY' || fail "event detail / stats"
import json, sys, urllib.request
base = sys.argv[1]
e = json.load(urllib.request.urlopen(base + "/api/events/7"))
assert e["id"] == 7 and e["sources"] and e["sources"][0]["url"].startswith("https://news.example/")
assert e["place"]["name"] in e["sources"][0]["sentence"]
days = json.load(urllib.request.urlopen(base + "/api/stats"))["days"]
assert sum(sum(d["counts"].values()) for d in days) == 450
PY

# Live stream: events stored by another process arrive; Last-Event-ID replays.
curl -sN --max-time 6 "$SERVE_URL/api/stream?country=IQ" >"$WORK/live" &
STREAM=$!
sleep 0.5
"$FIXTURE_STORE" "$WORK/s.db" 40 --seed 2 >/dev/null
wait $STREAM || true
python3 - "$WORK/live" "$WORK/s.db" <<'PY' || fail "live stream"
import json, sys, sqlite3
events = [json.loads(l[6:]) for l in open(sys.argv[1]) if l.startswith("data: {")]
assert events, "no live event"
assert all(e["place"]["cc"] == "IQ" for e in events), "filter not applied"
db = sqlite3.connect(sys.argv[2])
want = db.execute("select count(*) from events where seq > 450 and cc = 'IQ'").fetchone()[0]
assert len(events) == want, (len(events), want)
PY
curl -sN --max-time 2 -H 'Last-Event-ID: 480' "$SERVE_URL/api/stream" >"$WORK/replay" || true
n=$(grep -c '^id: ' "$WORK/replay" || true)
[ "$n" = 10 ] || fail "replay after 480 gave $n events, expected 10"

# since= replays what was stored or updated since that time, matching the
# filters, in order, then goes live with nothing twice at the seam; a stream
# without it gets only what is stored after it connects.
sleep 1
T=$(date +%s)
"$FIXTURE_STORE" "$WORK/s.db" 30 --seed 4 >/dev/null
# the server must have seen (and sent live) those events before the stream
# without since= connects, or they would reach it live, rightly
top=$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('select max(seq) from events').fetchone()[0])" "$WORK/s.db")
for _ in $(seq 100); do
  seen=$(curl -s "$SERVE_URL/metrics" | awk '$1 == "sitrep_events_seq" {print int($2)}')
  [ "${seen:-0}" -ge "$top" ] && break
  sleep 0.1
done
[ "${seen:-0}" -ge "$top" ] || fail "the server did not see the new events (seq $seen of $top)"
curl -sN --max-time 1.5 "$SERVE_URL/api/stream?country=IQ" >"$WORK/nosince" || true
curl -sN --max-time 4 "$SERVE_URL/api/stream?country=IQ&since=$T" >"$WORK/since_unix" &
STREAM=$!
curl -sN --max-time 2 "$SERVE_URL/api/stream?country=IQ&since=$(date -u -d "@$T" +%Y-%m-%dT%H:%M:%SZ)" >"$WORK/since_iso" || true
"$FIXTURE_STORE" "$WORK/s.db" 20 --seed 5 >/dev/null
wait $STREAM || true
python3 - "$WORK" "$T" <<'PY' || fail "since= replay"
import sqlite3, sys
work, t = sys.argv[1], int(sys.argv[2])
def ids(name):
    return [int(l[4:]) for l in open(f"{work}/{name}") if l.startswith("id: ")]
db = sqlite3.connect(f"{work}/s.db")
stored = [r[0] for r in db.execute("select seq from events where updated >= ? and cc = 'IQ' order by seq", (t,))]
assert stored, "the fixture stored no Iraqi event"
assert not ids("nosince"), "a stream without since= replayed"
iso = ids("since_iso")
assert iso and iso == stored[:len(iso)], (iso, stored)
got = ids("since_unix")
assert got == stored, f"since= replay then live: got {got}, stored {stored}"
PY

# Subscriptions: a webhook to a local receiver, signed; token needed to delete.
python3 - "$WORK" <<'PY' &
import http.server, json, sys, threading
work = sys.argv[1]
class H(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        open(f"{work}/hook", "ab").write(json.dumps({
            "ts": self.headers["X-Sitrep-Timestamp"], "sig": self.headers["X-Sitrep-Signature"],
            "body": body.decode()}).encode() + b"\n")
        self.send_response(204); self.end_headers()
    def log_message(self, *a): pass
s = http.server.HTTPServer(("127.0.0.1", 0), H)
open(f"{work}/hook_port.tmp", "w").write(str(s.server_port))
import os; os.rename(f"{work}/hook_port.tmp", f"{work}/hook_port")
threading.Timer(30, s.shutdown).start()
s.serve_forever()
PY
RECEIVER_PID=$!
for _ in $(seq 50); do [ -s "$WORK/hook_port" ] && break; sleep 0.1; done
hook="http://127.0.0.1:$(cat "$WORK/hook_port")/hook"
curl -sS -X POST "$SERVE_URL/api/subscriptions" -H 'Content-Type: application/json' \
  -d "{\"region\":{\"country\":\"SO\"},\"channel\":{\"webhook\":{\"url\":\"$hook\"}}}" >"$WORK/sub"
python3 -c "import json,sys; d=json.load(open('$WORK/sub')); assert d['id'] and len(d['token'])==64 and d['secret']" || fail "subscribe: $(cat "$WORK/sub")"
"$FIXTURE_STORE" "$WORK/s.db" 60 --seed 3 >/dev/null
for _ in $(seq 50); do [ -s "$WORK/hook" ] && break; sleep 0.1; done
python3 - "$WORK" <<'PY' || fail "webhook delivery"
import hashlib, hmac, json, sys, time
work = sys.argv[1]
secret = json.load(open(f"{work}/sub"))["secret"]
time.sleep(1)
hooks = [json.loads(l) for l in open(f"{work}/hook")]
assert hooks, "nothing delivered"
for h in hooks:
    mac = hmac.new(secret.encode(), f"{h['ts']}.{h['body']}".encode(), hashlib.sha256).hexdigest()
    assert h["sig"] == "sha256=" + mac, "bad signature"
    assert json.loads(h["body"])["event"]["place"]["cc"] == "SO"
ids = [json.loads(h["body"])["event"]["id"] for h in hooks]
assert len(ids) == len(set(ids)), "an event was delivered twice"
PY
id=$(python3 -c "import json; print(json.load(open('$WORK/sub'))['id'])")
token=$(python3 -c "import json; print(json.load(open('$WORK/sub'))['token'])")
[ "$(curl -s -o /dev/null -w '%{http_code}' -X DELETE "$SERVE_URL/api/subscriptions/$id")" = 401 ] || fail "delete without token"
[ "$(curl -s -o /dev/null -w '%{http_code}' -X DELETE -H "Authorization: Bearer nope" "$SERVE_URL/api/subscriptions/$id")" = 403 ] || fail "delete with a wrong token"
[ "$(curl -s -o /dev/null -w '%{http_code}' -X DELETE -H "Authorization: Bearer $token" "$SERVE_URL/api/subscriptions/$id")" = 200 ] || fail "delete with the token"
# A target that is not http(s) is refused; subscribing is rate-limited (3 at once, 3 a minute here).
codes=""
for _ in 1 2 3 4 5; do
  codes="$codes $(curl -s -o /dev/null -w '%{http_code}' -X POST "$SERVE_URL/api/subscriptions" -d '{"channel":{"webhook":{"url":"ftp://x"}}}')"
done
case "$codes" in *" 400 429"*) ;; *) fail "bad target / rate limit gave:$codes";; esac
[ -z "$(echo $codes | tr ' ' '\n' | grep -vE '^(400|429)$')" ] || fail "unexpected answers:$codes"

# The page and its assets; nothing outside web/.
curl -sf "$SERVE_URL/" | grep -q '<title>sitrep' || fail "page"
curl -sf -o /dev/null "$SERVE_URL/vendor/leaflet/leaflet.js" || fail "leaflet"
curl -sf -o /dev/null "$SERVE_URL/manifest.webmanifest" || fail "manifest"
[ "$(curl -s -o /dev/null -w '%{http_code}' --path-as-is "$SERVE_URL/../README.md")" = 404 ] || fail "escape"
get /metrics | grep -q '^sitrep_http_requests_total ' || fail "metrics"

# SIGTERM stops it cleanly, with a stream open.
curl -sN --max-time 10 "$SERVE_URL/api/stream" >/dev/null &
sleep 0.3
start=$(date +%s%N)
serve_stop
ms=$(( ($(date +%s%N) - start) / 1000000 ))
[ $ms -lt 5000 ] || fail "shutdown took $ms ms"
echo "serve API: all checks passed"
