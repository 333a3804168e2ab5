#!/usr/bin/env bash
# Proves the metrics pipeline end to end on this machine, without Docker: runs Debian's Prometheus (the binary
# from deploy/.tools, see tools.sh) against the local stack of deploy/local/run.sh with prometheus.local.yml and
# alerts.yml, uploads N files, waits for the job to be DONE, and checks that Prometheus saw exactly N more
# `stowage_files_processed_total{outcome="done"}` across the workers. Prints the figures; exits non-zero if they
# differ or anything on the way fails.
#
#   deploy/local/run.sh                 # first: gateway on :8080, workers on :8081 and :8082
#   deploy/prometheus/prove.sh          # then
#
# Settings (environment): GATEWAY_PORT (8080), WORKER_PORTS ("8081 8082"), RABBITMQ_PROMETHEUS_PORT (15692),
# PROMETHEUS_PORT (19090, where this Prometheus listens), FILES (20), STOWAGE_API_KEY (local-admin-key, the key
# run.sh configures), JOB_TIMEOUT (120 s). Needs curl and python3 (standard library only).
set -euo pipefail
# shellcheck source-path=SCRIPTDIR/../..
cd "$(dirname "$0")/../.."
root=$(pwd)

GATEWAY_PORT=${GATEWAY_PORT:-8080}
WORKER_PORTS=${WORKER_PORTS:-"8081 8082"}
RABBITMQ_PROMETHEUS_PORT=${RABBITMQ_PROMETHEUS_PORT:-15692}
PROMETHEUS_PORT=${PROMETHEUS_PORT:-19090}
FILES=${FILES:-20}
STOWAGE_API_KEY=${STOWAGE_API_KEY:-local-admin-key}
JOB_TIMEOUT=${JOB_TIMEOUT:-120}

log() { printf '[prove] %s\n' "$*"; }
die() { printf '[prove] FAILED: %s\n' "$*" >&2; exit 1; }
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
gateway="http://127.0.0.1:$GATEWAY_PORT"
prometheus="http://127.0.0.1:$PROMETHEUS_PORT"

# ---- the stack ------------------------------------------------------------------------------------------------
curl -fsS "$gateway/actuator/health" 2>/dev/null | grep -q '"UP"' \
  || die "no healthy gateway on $gateway: start the stack first (deploy/local/run.sh)"
workers=()
for port in $WORKER_PORTS; do
  curl -fsS "http://127.0.0.1:$port/actuator/health" 2>/dev/null | grep -q '"UP"' \
    || die "no healthy worker on 127.0.0.1:$port (WORKER_PORTS=\"$WORKER_PORTS\")"
  workers+=("127.0.0.1:$port")
done

# RabbitMQ's own Prometheus endpoint, if the broker is local.
if ! port_open "$RABBITMQ_PROMETHEUS_PORT" && command -v rabbitmq-plugins >/dev/null; then
  log "enabling rabbitmq_prometheus (port $RABBITMQ_PROMETHEUS_PORT)"
  as_root rabbitmq-plugins enable rabbitmq_prometheus >/dev/null || log "could not enable rabbitmq_prometheus"
  for _ in $(seq 1 20); do port_open "$RABBITMQ_PROMETHEUS_PORT" && break; sleep 0.5; done
fi
scrape_rabbitmq=true
port_open "$RABBITMQ_PROMETHEUS_PORT" || { scrape_rabbitmq=false; log "RabbitMQ's :$RABBITMQ_PROMETHEUS_PORT is closed: not scraping it"; }

# ---- Prometheus -------------------------------------------------------------------------------------------------
. deploy/prometheus/tools.sh
ensure_prometheus_tools
work=$(mktemp -d)
prometheus_pid=
cleanup() {
  if [ -n "$prometheus_pid" ]; then kill "$prometheus_pid" 2>/dev/null || true; wait "$prometheus_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

# prometheus.local.yml with this run's ports (rule_files are resolved beside the config).
worker_targets=$(printf '"%s", ' "${workers[@]}")
python3 - "$root/deploy/prometheus/prometheus.local.yml" "$work/prometheus.yml" "$GATEWAY_PORT" "[${worker_targets%, }]" \
  "$RABBITMQ_PROMETHEUS_PORT" "$scrape_rabbitmq" <<'PY'
import sys
src, dst, gateway, workers, rabbit, scrape_rabbit = sys.argv[1:]
text = open(src).read()
for old, new in [('"127.0.0.1:8080"', f'"127.0.0.1:{gateway}"'), ('["127.0.0.1:8081", "127.0.0.1:8082"]', workers),
                 ('"127.0.0.1:15692"', f'"127.0.0.1:{rabbit}"')]:
    if old not in text:
        sys.exit(f"prometheus.local.yml no longer contains {old}")
    text = text.replace(old, new)
if scrape_rabbit != "true":
    text = text[: text.index("  - job_name: rabbitmq")]
open(dst, "w").write(text)
PY
cp deploy/prometheus/alerts.yml "$work/alerts.yml"
"$PROMTOOL" check config "$work/prometheus.yml" >/dev/null || die "the generated Prometheus config is invalid"

port_open "$PROMETHEUS_PORT" && die "port $PROMETHEUS_PORT is taken: set PROMETHEUS_PORT"
log "starting $("$PROMETHEUS" --version 2>&1 | head -1 | cut -d' ' -f1-3) on 127.0.0.1:$PROMETHEUS_PORT"
"$PROMETHEUS" --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/data" \
  --web.listen-address="127.0.0.1:$PROMETHEUS_PORT" --log.level=warn >"$work/prometheus.log" 2>&1 &
prometheus_pid=$!
for _ in $(seq 1 60); do curl -fsS "$prometheus/-/ready" >/dev/null 2>&1 && break; sleep 0.5; done
curl -fsS "$prometheus/-/ready" >/dev/null 2>&1 || { cat "$work/prometheus.log" >&2; die "Prometheus did not become ready"; }

# query EXPR -> the value of a one-element vector, 0 when empty ("nan" and friends pass through).
query() {
  curl -fsS --get "$prometheus/api/v1/query" --data-urlencode "query=$1" | python3 -c '
import json, sys
r = json.load(sys.stdin)
assert r["status"] == "success", r
v = r["data"]["result"]
print(v[0]["value"][1] if v else "0")'
}
# series EXPR -> "labels value" lines
series() {
  curl -fsS --get "$prometheus/api/v1/query" --data-urlencode "query=$1" | python3 -c '
import json, sys
for s in json.load(sys.stdin)["data"]["result"]:
    labels = ",".join(f"{k}={v}" for k, v in sorted(s["metric"].items()) if k != "__name__")
    value = s["value"][1]
    print("    {" + labels + "} " + value)'
}

expected_up=$((1 + ${#workers[@]}))
for _ in $(seq 1 60); do
  [ "$(query 'sum(up{job=~"stowage-gateway|stowage-worker"})')" = "$expected_up" ] && break
  sleep 0.5
done
[ "$(query 'sum(up{job=~"stowage-gateway|stowage-worker"})')" = "$expected_up" ] || {
  series 'up'
  die "Prometheus does not scrape the gateway and ${#workers[@]} workers"
}
log "scraping: gateway, ${#workers[@]} workers$($scrape_rabbitmq && echo ", RabbitMQ")"
series 'up'

# ---- the work ---------------------------------------------------------------------------------------------------
done_query='sum(stowage_files_processed_total{outcome="done"})'
sleep 3 # one more scrape of every target, so the counters read before the upload are current
before=$(query "$done_query")
log "before: $done_query = $before"

files_dir="$work/files"
mkdir -p "$files_dir"
form=()
for i in $(seq 1 "$FILES"); do
  printf '[{"n":%d,"name":"record %d","ok":true},{"n":%d,"name":"record %d","ok":false}]\n' \
    "$i" "$i" "$((i + 1000))" "$((i + 1000))" >"$files_dir/prove-$i.json"
  form+=(-F "files=@$files_dir/prove-$i.json;type=application/json")
done
answer=$(curl -sS -w '\n%{http_code}' -H "Authorization: Bearer $STOWAGE_API_KEY" "${form[@]}" \
  -F dataset=prove_metrics "$gateway/api/v1/jobs")
status_code=${answer##*$'\n'}
body=${answer%$'\n'*}
[ "$status_code" = 202 ] || die "upload answered $status_code: $body"
job_id=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["jobId"])' <<<"$body")
log "uploaded $FILES files: job $job_id"

deadline=$((SECONDS + JOB_TIMEOUT))
job_status=
while [ $SECONDS -lt $deadline ]; do
  job_status=$(curl -fsS -H "Authorization: Bearer $STOWAGE_API_KEY" "$gateway/api/v1/jobs/$job_id" \
    | python3 -c 'import json,sys; j=json.load(sys.stdin); print(j["status"], j["progress"]["done"], j["progress"]["failed"])')
  case $job_status in
    DONE*) break ;;
    FAILED* | PARTIALLY_FAILED*) die "job $job_id ended $job_status (status done failed)" ;;
  esac
  sleep 0.5
done
[[ $job_status == DONE* ]] || die "job $job_id not DONE after ${JOB_TIMEOUT}s: $job_status"
log "job $job_id DONE"

# Wait for the scrapes after the last file (scrape_interval 2s) to show the whole increase.
after=$before
for _ in $(seq 1 30); do
  after=$(query "$done_query")
  python3 -c 'import sys; b, a, n = map(float, sys.argv[1:]); sys.exit(0 if a - b >= n else 1)' "$before" "$after" "$FILES" && break
  sleep 1
done
sleep 3 # and one more: a count that goes on rising past N is a failure too
after=$(query "$done_query")
increase=$(python3 -c 'import sys; print(int(float(sys.argv[2]) - float(sys.argv[1])))' "$before" "$after")

echo
echo "  files uploaded                     $FILES (job $job_id: DONE)"
echo "  $done_query"
echo "    before the upload                $before"
echo "    after the job was DONE           $after"
echo "    increase                         $increase"
echo "  per worker, now:"
series 'sum by (instance) (stowage_files_processed_total{outcome="done"})'
echo "  files accepted by the gateway, now: $(query 'sum(stowage_files_accepted_total)')"
echo "  alerts firing now:                  $(query 'count(ALERTS{alertstate="firing"})')"
echo
if [ "$increase" = "$FILES" ]; then
  log "OK: Prometheus counted exactly $FILES files processed (done)"
else
  die "Prometheus counted $increase files processed (done), expected $FILES"
fi
