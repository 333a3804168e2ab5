#!/usr/bin/env bash
# Checks that the images built by deploy/docker/build-images.sh are the version the POMs say, one version
# everywhere (what CI runs after building them):
#   - every module's POM has the root POM's version (mvn help:evaluate), and deploy/k8s deploys that tag;
#   - each image (the tags of deploy/docker/.images.env, and stowage/<app>:<version>) has the OCI labels
#     org.opencontainers.image.version = that version, .revision = the commit checked out (git rev-parse HEAD),
#     .licenses = Apache-2.0, .title, .source;
#   - each image holds /application/sbom.json, identical to the module's target/<app>.sbom.json, naming the
#     service at that version.
# The POM's version against `stowage --version` and /actuator/info is checked by the tests (CliIT, AccessIT,
# WorkerInfoIT); the SBOM against the jar by SbomTest. Prints one line a check; exits 1 if any fails.
#
# Usage: deploy/docker/check-images.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
env_file=deploy/docker/.images.env
failed=0
ok() { printf '[check-images] ok: %s\n' "$*"; }
fail() { printf '[check-images] FAILED: %s\n' "$*" >&2; failed=1; }
# expect ACTUAL WANTED WHAT
expect() {
  if [ "$1" = "$2" ]; then ok "$3: $1"; else fail "$3: '$1', expected '$2'"; fi
}

[ -f "$env_file" ] || { echo "check-images.sh: $env_file is missing: run deploy/docker/build-images.sh first" >&2; exit 1; }
# shellcheck source=/dev/null # written by build-images.sh
. "$env_file"

# The root POM's version as Maven sees it (color codes stripped: Maven 3.8 writes them even in batch mode).
version=$(mvn -B -q help:evaluate -DforceStdout -Dexpression=project.version -N | sed 's/\x1b\[[0-9;]*m//g')
[ -n "$version" ] || { echo "check-images.sh: no project.version from the root POM" >&2; exit 1; }
# Each module's version: its own <version>, else its parent's.
modules=$(python3 - <<'PY'
import xml.etree.ElementTree as ET
ns = {"m": "http://maven.apache.org/POM/4.0.0"}
root = ET.parse("pom.xml").getroot()
for module in root.findall("m:modules/m:module", ns):
    pom = ET.parse(f"{module.text}/pom.xml").getroot()
    own = pom.find("m:version", ns)
    print(module.text, (own if own is not None else pom.find("m:parent/m:version", ns)).text)
PY
)
wrong=$(awk -v v="$version" '$2 != v' <<<"$modules")
if [ -z "$wrong" ]; then ok "the root POM and its $(wc -l <<<"$modules") modules are version $version"; else fail "modules not at $version: $wrong"; fi
for app in api-gateway worker-service; do
  if grep -qx "    newTag: $version" deploy/k8s/kustomization.yaml && grep -q "image: stowage/$app:$version\$" deploy/k8s/*.yaml; then
    ok "deploy/k8s deploys stowage/$app:$version"
  else
    fail "deploy/k8s does not deploy stowage/$app:$version (kustomization.yaml newTag, the Deployment's image)"
  fi
done

revision=$(git rev-parse HEAD 2>/dev/null || echo unknown)
label() { docker image inspect --format "{{ index .Config.Labels \"org.opencontainers.image.$2\" }}" "$1"; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for pair in "api-gateway=${STOWAGE_GATEWAY_IMAGE:-}" "worker-service=${STOWAGE_WORKER_IMAGE:-}"; do
  app=${pair%%=*}
  for image in "${pair#*=}" "stowage/$app:$version"; do
    docker image inspect "$image" >/dev/null 2>&1 || { fail "$app: no image '$image'"; continue; }
    expect "$(label "$image" version)" "$version" "$image: label org.opencontainers.image.version"
    expect "$(label "$image" revision)" "$revision" "$image: label org.opencontainers.image.revision"
    expect "$(label "$image" licenses)" Apache-2.0 "$image: label org.opencontainers.image.licenses"
    expect "$(label "$image" title)" "stowage-$app" "$image: label org.opencontainers.image.title"
    if [ -n "$(label "$image" source)" ]; then ok "$image: source label $(label "$image" source)"; else fail "$image: no source label"; fi

    container=$(docker create "$image")
    if docker cp "$container:/application/sbom.json" "$work/$app.json" >/dev/null 2>&1; then
      if cmp -s "$work/$app.json" "$app/target/$app.sbom.json"; then
        ok "$image: /application/sbom.json is $app/target/$app.sbom.json"
      else
        fail "$image: /application/sbom.json differs from $app/target/$app.sbom.json"
      fi
      named=$(python3 -c 'import json, sys; c = json.load(open(sys.argv[1]))["metadata"]["component"]; print(c["name"], c["version"])' "$work/$app.json")
      expect "$named" "$app $version" "$image: the SBOM describes"
    else
      fail "$image: no /application/sbom.json"
    fi
    docker rm "$container" >/dev/null
  done
done
[ $failed = 0 ] || exit 1
echo "[check-images] OK: version $version in the POMs, deploy/k8s, the image labels and the images' SBOMs"
