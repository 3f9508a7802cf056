#!/usr/bin/env bash
# bench/serve: the server under load on loopback.
#
#   bash bench/serve/bench_serve.sh [EVENTS] [STREAM_CLIENTS]   (defaults 1000000 10000)
#
# Builds a store of EVENTS generated events, starts `sitrep serve`, then
#  1. map queries (bbox + week window, varying) with wrk: requests/s and p99,
#     next to /healthz on the same server in the same run (the floor of the
#     HTTP layer), printed as a ratio, and the server's CPU time per query;
#  2. STREAM_CLIENTS live-stream clients held open: server memory per client;
#  3. one event stored by another process: time until the last client has it
#     (target p99 <= 1 s), and until a local webhook receiver has it.
set -euo pipefail
cd "$(dirname "$0")/../.."
EVENTS=${1:-1000000}
CLIENTS=${2:-10000}
BUILD=${BUILD:-build}
SITREP=$BUILD/src/sitrep
FIXTURE=$BUILD/tests/fixture_store
SSE=$BUILD/bench/serve/sse_clients
WORK=$(mktemp -d)
trap 'kill $SERVE_PID $RECV_PID 2>/dev/null; rm -rf "$WORK"' EXIT
SERVE_PID= RECV_PID=

t0=$(date +%s.%N)
"$FIXTURE" "$WORK/s.db" "$EVENTS" --days 365 >/dev/null
printf 'store: %d events generated in %.1f s\n' "$EVENTS" "$(echo "$(date +%s.%N) - $t0" | bc)"

"$SITREP" serve --db "$WORK/s.db" --listen 127.0.0.1:0 --vapid-key "$WORK/v.pem" --allow-private 2>"$WORK/log" &
SERVE_PID=$!
for _ in $(seq 100); do port=$(sed -n 's/.*(port \([0-9]*\);.*/\1/p' "$WORK/log"); [ -n "$port" ] && break; sleep 0.1; done
URL=http://127.0.0.1:$port

echo "== map queries (wrk, 2 threads, 32 connections, 10 s each)"
cpu() { awk '{print $14 + $15}' /proc/$SERVE_PID/stat; }  # server CPU in clock ticks
c0=$(cpu)
wrk -t2 -c32 -d10s --latency -s bench/serve/queries.lua "$URL" >"$WORK/q.txt"
c1=$(cpu)
wrk -t2 -c32 -d10s --latency "$URL/healthz" >"$WORK/h.txt"
q_rps=$(awk '/Requests\/sec/ {print $2}' "$WORK/q.txt"); h_rps=$(awk '/Requests\/sec/ {print $2}' "$WORK/h.txt")
q_p99=$(awk '$1=="99%" {print $2}' "$WORK/q.txt"); h_p99=$(awk '$1=="99%" {print $2}' "$WORK/h.txt")
echo "bbox+time /api/events: $q_rps req/s, p99 $q_p99"
echo "/healthz (floor):      $h_rps req/s, p99 $h_p99"
echo "ratio: map queries run at $(echo "scale=3; $q_rps / $h_rps" | bc) of the HTTP floor"
q_n=$(awk '/requests in/ {print $1}' "$WORK/q.txt")
# CPU time does not depend on what else the machine runs, unlike the rates
echo "server CPU per map query: $(echo "scale=2; ($c1 - $c0) * 1000 / $(getconf CLK_TCK) / $q_n" | bc) ms"

echo "== $CLIENTS live-stream clients"
rss0=$(awk '/VmRSS/ {print $2}' /proc/$SERVE_PID/status)
# a webhook receiver subscribed to everything, to time alert delivery too
python3 - "$WORK" <<'PY' &
import http.server, sys, time
work = sys.argv[1]
class H(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        self.rfile.read(int(self.headers["Content-Length"]))
        open(f"{work}/hook_at", "a").write(f"{time.time()}\n")
        self.send_response(204); self.end_headers()
    def log_message(self, *a): pass
s = http.server.HTTPServer(("127.0.0.1", 0), H)
open(f"{work}/hook_port", "w").write(str(s.server_port))
s.timeout = 1
end = time.time() + 120
while time.time() < end: s.handle_request()
PY
RECV_PID=$!
for _ in $(seq 50); do [ -s "$WORK/hook_port" ] && break; sleep 0.1; done
curl -s -X POST "$URL/api/subscriptions" -d "{\"channel\":{\"webhook\":{\"url\":\"http://127.0.0.1:$(cat "$WORK/hook_port")/\"}}}" >/dev/null
cat >"$WORK/trigger.sh" <<SH
#!/bin/sh
date +%s.%N >"$WORK/stored_at"
exec "$PWD/$FIXTURE" "$WORK/s.db" 1 --seed 77 --days 1 >/dev/null
SH
chmod +x "$WORK/trigger.sh"
SERVE_PID=$SERVE_PID "$SSE" "$port" "$CLIENTS" "$WORK/trigger.sh" | tee "$WORK/sse.txt"
rss1=$(awk '/server RSS/ {print $(NF-1)}' "$WORK/sse.txt")
echo "server memory: $rss0 kB idle, $rss1 kB with $CLIENTS streams: $(( (rss1 - rss0) * 1024 / CLIENTS )) bytes per stream client"
for _ in $(seq 100); do [ -s "$WORK/hook_at" ] && break; sleep 0.1; done
if [ -s "$WORK/hook_at" ]; then
  echo "event to webhook receiver: $(echo "($(head -1 "$WORK/hook_at") - $(cat "$WORK/stored_at")) * 1000 / 1" | bc) ms from store write"
else
  echo "event to webhook receiver: not received within 10 s"
fi
