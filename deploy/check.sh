#!/usr/bin/env bash
# Static checks of Stowage's deployment files, with real tools and no Docker engine, no cluster, no network
# beyond installing the tools (Debian packages and npm, into deploy/.tools/ where possible). The containers
# themselves are run by deploy/docker/prove.sh and cluster-prove.sh.
#   compose     docker-compose 1.29 (Debian) renders docker-compose.yml with .env.example, alone and with the
#               RabbitMQ cluster's deploy/docker/rabbitmq-cluster.yml; it must refuse to render without
#               credentials; then the stack's rules (health checks, 127.0.0.1, scalable worker, three nodes)
#   prometheus  promtool (Debian's prometheus 2.42): check config (compose and local), check rules, test rules
#   grafana     the dashboard is valid JSON, names only metrics the services export, and every query parses
#               (promtool check rules on the queries as recording rules)
#   k8s         every manifest against the Kubernetes/KEDA/CloudNativePG/RabbitMQ schemas, strictly
#               (deploy/k8s/validate/validate.mjs)
#   docker      the Dockerfile's jar and SBOM paths are what Maven builds and what .dockerignore lets in
#   shell       shellcheck (Debian) on the deployment and CI scripts
# Runs every check, then exits non-zero if any failed. Usage: deploy/check.sh
set -uo pipefail
# shellcheck source-path=SCRIPTDIR/..
cd "$(dirname "$0")/.." || exit 1
root=$(pwd)
tools="$root/deploy/.tools"
mkdir -p "$tools"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
started=$SECONDS
passed=()
failed=()

log() { printf '[check] %s\n' "$*"; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
apt_updated=false
apt_install() {
  if ! $apt_updated; then as_root apt-get update -qq; apt_updated=true; fi
  log "installing $* (apt)"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}
# check NAME COMMAND...: runs one check, prints its output, records the result.
check() {
  local name=$1
  shift
  printf '\n== %s\n' "$name"
  if "$@"; then passed+=("$name"); else failed+=("$name"); printf '!! FAILED: %s\n' "$name" >&2; fi
}

# ---- tools ----------------------------------------------------------------------------------------------------
command -v docker-compose >/dev/null || apt_install docker-compose
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then apt_install nodejs npm; fi
command -v shellcheck >/dev/null || apt_install shellcheck
for tool in docker-compose node npm shellcheck; do
  command -v "$tool" >/dev/null || { echo "!! FAILED: $tool is missing and could not be installed" >&2; exit 1; }
done
. deploy/prometheus/tools.sh
ensure_prometheus_tools || { echo "!! FAILED: could not install promtool" >&2; exit 1; }

# The Node tools (yaml, ajv and the compiled Kubernetes schemas) at the versions of the lock file.
node_tools="$tools/node"
lock="deploy/k8s/validate/package-lock.json"
if ! cmp -s "$lock" "$node_tools/package-lock.json" || [ ! -d "$node_tools/node_modules" ]; then
  log "installing the Node tools of $lock into deploy/.tools/node"
  rm -rf "$node_tools" && mkdir -p "$node_tools"
  cp deploy/k8s/validate/package.json "$lock" "$node_tools/"
  (cd "$node_tools" && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error >/dev/null) || {
    echo "!! FAILED: npm ci in deploy/.tools/node" >&2
    exit 1
  }
fi
# Scripts run from beside node_modules so that their imports resolve there.
cp deploy/k8s/validate/validate.mjs deploy/docker/check-compose.mjs deploy/grafana/check-dashboard.mjs "$node_tools/"

# ---- checks ---------------------------------------------------------------------------------------------------
# docker-compose reads only the env file given (not the caller's environment, not a developer's .env).
compose() {
  env -i PATH="$PATH" HOME="$HOME" ${RABBITMQ_ERLANG_COOKIE_FILE:+RABBITMQ_ERLANG_COOKIE_FILE="$RABBITMQ_ERLANG_COOKIE_FILE"} \
    docker-compose --env-file "$1" -f docker-compose.yml "${@:2}"
}

compose_renders() {
  compose .env.example config >"$work/compose.yml" && node "$node_tools/check-compose.mjs" "$work/compose.yml" || return 1
  echo cookie >"$work/cookie"
  RABBITMQ_ERLANG_COOKIE_FILE="$work/cookie" compose .env.example -f deploy/docker/rabbitmq-cluster.yml config >"$work/cluster.yml" \
    && node "$node_tools/check-compose.mjs" "$work/cluster.yml" --cluster
}
compose_needs_credentials() {
  : >"$work/empty.env"
  if compose "$work/empty.env" config -q 2>"$work/compose-err.txt"; then
    echo "docker-compose.yml renders without any credentials: every secret must be \${VAR:?...}" >&2
    return 1
  fi
  grep -q 'in .env (see .env.example)' "$work/compose-err.txt" || { cat "$work/compose-err.txt" >&2; return 1; }
  # and each credential on its own: drop one line of .env.example at a time
  local var
  for var in POSTGRES_PASSWORD RABBITMQ_PASSWORD STOWAGE_API_KEYS GRAFANA_ADMIN_PASSWORD; do
    grep -v "^$var=" .env.example >"$work/partial.env"
    if compose "$work/partial.env" config -q 2>/dev/null; then
      echo "docker-compose.yml renders without $var" >&2
      return 1
    fi
  done
  echo "docker-compose.yml refuses to render without .env credentials ($(head -c 90 "$work/compose-err.txt" | tr -d '\n')...)"
}
promtool_config() {
  "$PROMTOOL" check config deploy/prometheus/prometheus.yml && "$PROMTOOL" check config deploy/prometheus/prometheus.local.yml
}
dashboard() {
  local f ok=0
  for f in deploy/grafana/dashboards/*.json; do
    node "$node_tools/check-dashboard.mjs" "$f" "$work/$(basename "$f" .json).rules.yml" \
      && "$PROMTOOL" check rules "$work/$(basename "$f" .json).rules.yml" || ok=1
  done
  for f in deploy/grafana/provisioning/*/*.yml; do
    node -e 'require("'"$node_tools"'/node_modules/yaml").parse(require("fs").readFileSync(process.argv[1], "utf8"))' "$f" \
      || { echo "$f: invalid YAML" >&2; ok=1; }
  done
  return $ok
}

docker_jars() {
  local app ok=0
  for app in api-gateway worker-service; do
    grep -q "<finalName>$app</finalName>" "$app/pom.xml" || { echo "$app/pom.xml: finalName is not $app" >&2; ok=1; }
    grep -qx "!$app/target/$app.jar" .dockerignore || { echo ".dockerignore does not let in $app/target/$app.jar" >&2; ok=1; }
    grep -qx "!$app/target/$app.sbom.json" .dockerignore || { echo ".dockerignore does not let in $app/target/$app.sbom.json" >&2; ok=1; }
    grep -q "APP: $app\$" docker-compose.yml || { echo "docker-compose.yml builds no image with APP=$app" >&2; ok=1; }
  done
  # shellcheck disable=SC2016 # the Dockerfile's own variables, literally
  grep -q 'COPY ${APP}/target/${APP}.jar' deploy/docker/Dockerfile || { echo "deploy/docker/Dockerfile: jar path" >&2; ok=1; }
  # shellcheck disable=SC2016 # the Dockerfile's own variables, literally
  grep -q 'COPY ${APP}/target/${APP}.sbom.json sbom.json' deploy/docker/Dockerfile || { echo "deploy/docker/Dockerfile: SBOM path" >&2; ok=1; }
  # shellcheck disable=SC2016 # Maven's own expression, literally
  grep -q '<outputName>${project.build.finalName}.sbom</outputName>' pom.xml || { echo "pom.xml: the SBOM's name" >&2; ok=1; }
  [ $ok = 0 ] && echo "Dockerfile, .dockerignore, poms and docker-compose.yml agree on the jars and their SBOMs"
  return $ok
}

runbook_links() {
  local anchors anchor ok=0
  anchors=$(grep '^#' deploy/README.md | sed 's/^#* //' | tr '[:upper:]' '[:lower:]' | sed 's/[^a-z0-9 -]//g; s/ /-/g')
  while read -r anchor; do
    grep -qx "$anchor" <<<"$anchors" || { echo "alerts.yml links deploy/README.md#$anchor, which has no such heading" >&2; ok=1; }
  done < <(grep -o 'deploy/README.md#[a-z0-9-]*' deploy/prometheus/alerts.yml | cut -d'#' -f2 | sort -u)
  [ $ok = 0 ] && echo "every alert's runbook link has its section in deploy/README.md"
  return $ok
}

check "compose: docker-compose config (with .env.example; alone and with the RabbitMQ cluster)" compose_renders
check "compose: refuses to start without credentials" compose_needs_credentials
check "prometheus: promtool check config" promtool_config
check "prometheus: promtool check rules" "$PROMTOOL" check rules deploy/prometheus/alerts.yml
check "prometheus: promtool test rules" "$PROMTOOL" test rules deploy/prometheus/alerts.test.yml
check "prometheus: runbook links" runbook_links
check "grafana: dashboard JSON, metric names, PromQL" dashboard
check "k8s: schema validation (strict)" node "$node_tools/validate.mjs" deploy/k8s deploy/k8s/secret.example.yaml
check "docker: jar paths" docker_jars
check "shell: shellcheck" shellcheck -x .ci/run deploy/check.sh deploy/prometheus/*.sh deploy/local/*.sh deploy/docker/*.sh \
  deploy/docker/local-deps/*/docker-entrypoint.sh

printf '\n== summary (%ss)\n' "$((SECONDS - started))"
for name in "${passed[@]}"; do printf '  ok      %s\n' "$name"; done
for name in "${failed[@]}"; do printf '  FAILED  %s\n' "$name"; done
if [ ${#failed[@]} -gt 0 ]; then
  printf '\ndeploy/check.sh: %d of %d checks FAILED\n' "${#failed[@]}" "$((${#passed[@]} + ${#failed[@]}))" >&2
  exit 1
fi
printf '\ndeploy/check.sh: all %d checks passed\n' "${#passed[@]}"
