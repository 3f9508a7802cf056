#!/usr/bin/env bash
# Breaking stories end to end: copies of one report from distinct sites are
# ingested by a separate `sitrep ingest` into the store of a running server.
# Four outlets (one of them under two host names) are not enough; the fifth
# makes the story breaking: exactly one breaking alert reaches the matching
# webhook (none the other), the live stream shows the event flagged, and
# ingesting again, or a sixth outlet, alerts nobody a second time.
set -euo pipefail
source "$(dirname "$0")/lib/serve.sh"
command -v curl >/dev/null || { echo "SKIP: curl is not installed"; exit 77; }
source "$(dirname "$0")/lib/common.sh"
fail() { echo "FAIL: $*"; [ -f "$WORK/serve.log" ] && tail -5 "$WORK/serve.log"; exit 1; }
ingest() { "$SITREP" ingest -q --db "$WORK/s.db" --gazetteer "$GAZ" --dict "$SR_SOURCE_DIR/data/lexicon" "$@"; }

# One wire report as each site prints it: the same story, the site's own
# sign-off, published now.
page() {  # page HOST N
  local now; now=$(date -u +%Y-%m-%dT%H:%M:%SZ)
  mkdir -p "$WORK/pages"
  cat >"$WORK/pages/$2.html" <<HTML
<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>Iraqi troops clash with militants in Fallujah</title>
<link rel="canonical" href="https://$1/world/iraq/fallujah-clashes">
<meta property="article:published_time" content="$now">
</head><body><article><h1>Iraqi troops clash with militants in Fallujah</h1>
<time datetime="$now">today</time>
<p>Iraqi troops clashed with militants in Fallujah on Tuesday, officials said, as the army pushed into
the western districts of the city after days of shelling.</p>
<p>At least 12 people were killed in the fighting, a hospital official said. Residents said gunmen had
set up checkpoints on the main roads and that families were leaving for Baghdad.</p>
<p>The provincial council said the operation would continue until the city was cleared, and asked
residents to stay indoors. Aid groups said food and water were running short in several districts.</p>
<p>The army said it had retaken the government compound and two police stations in the centre of
the city, but that snipers remained active near the river.</p>
<p>This report was published by $1 with material from agencies (copy $2).</p>
</article></body></html>
HTML
}

serve_start "$WORK/s.db" --allow-private
# Two webhook receivers: one follows Iraq, the other Nigeria.
python3 - "$WORK" <<'PY' &
import http.server, json, os, sys, threading
work = sys.argv[1]
class H(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        with open(f"{work}/hook{self.path.strip('/')}", "ab") as f:
            f.write(body + b"\n")
        self.send_response(204); self.end_headers()
    def log_message(self, *a): pass
s = http.server.HTTPServer(("127.0.0.1", 0), H)
open(f"{work}/port.tmp", "w").write(str(s.server_port))
os.rename(f"{work}/port.tmp", f"{work}/port")
threading.Timer(90, s.shutdown).start()
s.serve_forever()
PY
RECEIVER_PID=$!
for _ in $(seq 50); do [ -s "$WORK/port" ] && break; sleep 0.1; done
hook="http://127.0.0.1:$(cat "$WORK/port")"
for want in IQ:iq NG:ng; do
  code=$(curl -s -o "$WORK/sub" -w '%{http_code}' -X POST "$SERVE_URL/api/subscriptions" \
    -d "{\"region\":{\"country\":\"${want%%:*}\"},\"channel\":{\"webhook\":{\"url\":\"$hook/${want##*:}\"}}}")
  [ "$code" = 201 ] || fail "subscribe ${want%%:*}: $code $(cat "$WORK/sub")"
done
curl -sN --max-time 40 "$SERVE_URL/api/stream" >"$WORK/live" &
STREAM=$!

breaking_alerts() {  # breaking alerts received at receiver $1
  [ -f "$WORK/hook$1" ] || { echo 0; return; }
  python3 -c "import json,sys; print(sum(json.loads(l)['type'] == 'breaking' for l in open(sys.argv[1])))" "$WORK/hook$1"
}
settle() { sleep 2.5; }  # the server looks at new articles every second

# Four outlets, one of them under two host names: not breaking yet.
page www.outlet-one.example 1; page edition.outlet-one.example 2
page outlet-two.example 3; page outlet-three.example 4; page news.outlet-four.co.uk 5
ingest "$WORK/pages" 2>"$WORK/ingest.log" || fail "ingest: $(cat "$WORK/ingest.log")"
grep -q "5 articles stored" "$WORK/ingest.log" || fail "the copies were not all stored: $(cat "$WORK/ingest.log")"
python3 - "$WORK/s.db" <<'PY' || fail "the copies are not one story with an event in Iraq"
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
assert db.execute("select count(distinct story_id) from articles").fetchone()[0] == 1
assert db.execute("select count(*) from events where cc = 'IQ'").fetchone()[0] >= 1
PY
settle
[ "$(breaking_alerts iq)" = 0 ] || fail "breaking with four outlets"
curl -s "$SERVE_URL/api/stories" | grep -q '"breaking":false' || fail "story flagged with four outlets"

# The fifth outlet: breaking, alerted once to the subscriber of Iraq only.
rm -rf "$WORK/pages"; page outlet-five.example 6
ingest "$WORK/pages" 2>"$WORK/ingest.log" || fail "ingest: $(cat "$WORK/ingest.log")"
for _ in $(seq 100); do [ "$(breaking_alerts iq)" != 0 ] && break; sleep 0.1; done
[ "$(breaking_alerts iq)" = 1 ] || fail "expected one breaking alert, got $(breaking_alerts iq)"
[ "$(breaking_alerts ng)" = 0 ] || fail "the subscriber of Nigeria was alerted"
curl -s "$SERVE_URL/api/stories" | grep -q '"breaking":true' || fail "the story is not flagged"
python3 - "$WORK/hookiq" <<'PY' || fail "the breaking alert"
import json, sys
alert = [json.loads(l) for l in open(sys.argv[1]) if json.loads(l)["type"] == "breaking"][0]
assert alert["event"]["breaking"] is True and alert["event"]["place"]["cc"] == "IQ", alert
PY

# Again, and a sixth outlet: nobody is told twice.
page outlet-six.example 7
ingest "$WORK/pages" 2>"$WORK/ingest.log" || fail "ingest: $(cat "$WORK/ingest.log")"
settle
[ "$(breaking_alerts iq)" = 1 ] || fail "alerted again: $(breaking_alerts iq) breaking alerts"
curl -s "$SERVE_URL/metrics" | grep -q '^sitrep_breaking_stories_total 1$' || fail "metrics"

kill $STREAM 2>/dev/null || true; wait $STREAM 2>/dev/null || true
python3 - "$WORK/live" <<'PY' || fail "the stream did not show the event flagged"
import json, sys
events = [json.loads(l[6:]) for l in open(sys.argv[1]) if l.startswith("data: {")]
assert any(e["breaking"] and e["place"]["cc"] == "IQ" for e in events), [e["breaking"] for e in events]
PY
curl -s "$SERVE_URL/metrics" | grep -q '^sitrep_outbox_pending 0$' || fail "the outbox is not empty after delivery"

# Around it: a URL over 4 KiB is refused; the admin token (from the
# environment) may delete any subscription; without --allow-private a
# webhook on this machine is refused.
long=$(head -c 5000 /dev/zero | tr '\0' a)
[ "$(curl -s -o /dev/null -w '%{http_code}' "$SERVE_URL/api/events?q=$long")" = 414 ] || fail "a 5 kB URL was not refused"
serve_stop
SITREP_ADMIN_TOKEN=s3cret-admin serve_start "$WORK/s.db"
code=$(curl -s -o "$WORK/out" -w '%{http_code}' -X POST "$SERVE_URL/api/subscriptions" \
  -d "{\"channel\":{\"webhook\":{\"url\":\"$hook/x\"}}}")
[ "$code" = 400 ] && grep -q -i "private\|loopback\|address" "$WORK/out" || fail "a loopback webhook was accepted: $code $(cat "$WORK/out")"
[ "$(curl -s -o /dev/null -w '%{http_code}' -X DELETE -H 'Authorization: Bearer wrong' "$SERVE_URL/api/subscriptions/2")" = 403 ] \
  || fail "a wrong admin token deleted a subscription"
[ "$(curl -s -o /dev/null -w '%{http_code}' -X DELETE -H 'Authorization: Bearer s3cret-admin' "$SERVE_URL/api/subscriptions/2")" = 200 ] \
  || fail "the admin token could not delete a subscription"
echo "serve breaking: all checks passed"
