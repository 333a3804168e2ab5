#!/usr/bin/env bash
# Builds Stowage's two images from the jars and their SBOMs (mvn -B -DskipTests package first):
#   stowage/api-gateway:<content hash>, :<version> and :local, stowage/worker-service:<the same three>
# on eclipse-temurin:17-jre, the image users build on. <version> is the one the jar was built as (its
# build-info.properties: the POM's). Each image carries the OCI labels org.opencontainers.image.version (that
# version), .revision (git rev-parse HEAD), .source (STOWAGE_IMAGE_SOURCE, default https://stowage.dev), .title
# and .licenses (Apache-2.0), and the jar's SBOM as /application/sbom.json; deploy/docker/check-images.sh checks
# them against the POM.
#
# --local-deps: for Docker hosts that cannot pull registry images, also builds stand-ins from Debian's packages
# and puts the Stowage images on the local Java runtime instead:
#   stowage-local/debian   debootstrap --variant=minbase bookworm, imported (the base of the others)
#   stowage-local/jre      openjdk-17-jre-headless            instead of eclipse-temurin:17-jre
#   stowage-local/rabbitmq rabbitmq-server 3.10 + plugins      instead of rabbitmq:4.1-management
#   stowage-local/postgres postgresql-15                       instead of postgres:16
#   stowage-local/prometheus prometheus 2.42                   instead of prom/prometheus
# Each honours the environment and paths docker-compose.yml relies on (deploy/docker/local-deps/*/Dockerfile),
# so the compose file under test is the one users run. Grafana has no Debian package: it has no stand-in.
#
# Every image is tagged with a hash of what it is made from (its recipe, its parent image; the jar, its SBOM and
# the labels), and one whose tag exists is not built again. The tags are written to deploy/docker/.images.env as
# the variables docker-compose.yml and the tests read (STOWAGE_RABBITMQ_IMAGE, ...), with STOWAGE_VERSION:
# `set -a; . deploy/docker/.images.env`.
#
# Usage: deploy/docker/build-images.sh [--local-deps]
set -euo pipefail
cd "$(dirname "$0")/../.."
here=deploy/docker
deps=$here/local-deps
env_file=$here/.images.env

local_deps=false
for arg in "$@"; do
  case "$arg" in
    --local-deps) local_deps=true ;;
    -h | --help) sed -n '2,24p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "build-images.sh: unknown argument '$arg' (see --help)" >&2; exit 2 ;;
  esac
done

log() { printf '[build-images] %s\n' "$*" >&2; }
command -v docker >/dev/null || { echo "build-images.sh: docker is not installed" >&2; exit 1; }
docker info >/dev/null 2>&1 || { echo "build-images.sh: the Docker engine does not answer (is dockerd running?)" >&2; exit 1; }

# hash_of TEXT FILE...: 12 hex digits of SHA-256 over a text and the files' names and contents.
hash_of() {
  local text=$1
  shift
  { printf '%s\n' "$text"; for f in "$@"; do printf '%s\n' "$f"; sha256sum <"$f"; done; } | sha256sum | cut -c1-12
}
exists() { docker image inspect "$1" >/dev/null 2>&1; }
# docker_build ARGS...: docker build, its output shown only when it fails.
docker_build() {
  local out
  out=$(mktemp)
  if ! docker build --force-rm "$@" >"$out" 2>&1; then
    cat "$out" >&2
    rm -f "$out"
    echo "build-images.sh: docker build $* FAILED (output above)" >&2
    exit 1
  fi
  rm -f "$out"
}
image_id() { docker image inspect --format '{{.Id}}' "$1"; }

# The base root filesystem: debootstrap into a temporary folder, then docker import.
base_image() {
  local mirror=http://deb.debian.org/debian
  local tag
  tag=stowage-local/debian:bookworm-$(hash_of "debootstrap --variant=minbase bookworm $mirror" "$deps"/base/*)
  if ! exists "$tag"; then
    command -v debootstrap >/dev/null || { echo "build-images.sh: --local-deps needs debootstrap (apt-get install debootstrap)" >&2; exit 1; }
    [ "$(id -u)" = 0 ] || { echo "build-images.sh: debootstrap needs root" >&2; exit 1; }
    local root
    root=$(mktemp -d)
    log "debootstrap --variant=minbase bookworm (about a minute)"
    debootstrap --variant=minbase bookworm "$root" "$mirror" >"$root.log" 2>&1 \
      || { tail -20 "$root.log" >&2; rm -rf "$root" "$root.log"; exit 1; }
    install -m 644 "$deps/base/sources.list" "$root/etc/apt/sources.list"
    install -m 755 "$deps/base/policy-rc.d" "$root/usr/sbin/policy-rc.d"
    install -m 644 "$deps/base/apt-slim.conf" "$root/etc/apt/apt.conf.d/90stowage-slim"
    rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*
    log "importing $tag"
    tar -C "$root" -c . | docker import --change 'CMD ["/bin/bash"]' - "$tag" >/dev/null
    rm -rf "$root" "$root.log"
  fi
  echo "$tag"
}

# build NAME PARENT DIR [DOCKER BUILD ARGS...]: builds DIR/Dockerfile on PARENT as stowage-local/NAME:<hash>.
build_dep() {
  local name=$1 parent=$2 dir=$3
  local tag files
  mapfile -t files < <(find "$dir" -type f | sort)
  tag=stowage-local/$name:$(hash_of "$(image_id "$parent")" "${files[@]}")
  if ! exists "$tag"; then
    log "building $tag"
    docker_build --build-arg BASE_IMAGE="$parent" -t "$tag" "$dir"
  fi
  echo "$tag"
}

java_image=eclipse-temurin:17-jre
: >"$env_file.new"
if $local_deps; then
  base=$(base_image)
  java_image=$(build_dep jre "$base" "$deps/jre")
  rabbitmq=$(build_dep rabbitmq "$base" "$deps/rabbitmq")
  postgres=$(build_dep postgres "$base" "$deps/postgres")
  prometheus=$(build_dep prometheus "$base" "$deps/prometheus")
  printf '%s\n' "STOWAGE_RABBITMQ_IMAGE=$rabbitmq" "STOWAGE_POSTGRES_IMAGE=$postgres" \
    "STOWAGE_PROMETHEUS_IMAGE=$prometheus" "STOWAGE_JAVA_IMAGE=$java_image" >>"$env_file.new"
fi

# jar_version JAR: build.version of the jar's META-INF/build-info.properties (written by the build from the POM).
jar_version() {
  python3 - "$1" <<'PY'
import sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as jar:
    lines = jar.read("META-INF/build-info.properties").decode().splitlines()
print(next(line.split("=", 1)[1] for line in lines if line.startswith("build.version=")))
PY
}

revision=$(git rev-parse HEAD 2>/dev/null || echo unknown)
source_url=${STOWAGE_IMAGE_SOURCE:-https://stowage.dev}
java_ref=$java_image
exists "$java_image" && java_ref=$(image_id "$java_image")
versions=()
for app in api-gateway worker-service; do
  jar=$app/target/$app.jar
  sbom=$app/target/$app.sbom.json
  for built in "$jar" "$sbom"; do
    [ -f "$built" ] || { echo "build-images.sh: $built is missing: build the jars first (mvn -B -DskipTests package)" >&2; exit 1; }
  done
  version=$(jar_version "$jar") || { echo "build-images.sh: $jar has no build.version in its build-info.properties" >&2; exit 1; }
  versions+=("$version")
  tag=stowage/$app:$(hash_of "$java_ref $version $revision $source_url" "$here/Dockerfile" .dockerignore "$jar" "$sbom")
  if ! exists "$tag"; then
    log "building $tag ($version, $revision) on $java_image"
    docker_build -f "$here/Dockerfile" --build-arg APP="$app" --build-arg JAVA_IMAGE="$java_image" \
      --build-arg VERSION="$version" --build-arg REVISION="$revision" --build-arg SOURCE="$source_url" -t "$tag" .
  fi
  docker tag "$tag" "stowage/$app:$version"
  docker tag "$tag" "stowage/$app:local"
  var=STOWAGE_GATEWAY_IMAGE
  [ "$app" = worker-service ] && var=STOWAGE_WORKER_IMAGE
  echo "$var=$tag" >>"$env_file.new"
done
[ "${versions[0]}" = "${versions[1]}" ] \
  || { echo "build-images.sh: the jars were built as different versions: ${versions[*]}" >&2; exit 1; }
echo "STOWAGE_VERSION=${versions[0]}" >>"$env_file.new"
mv "$env_file.new" "$env_file"
log "images ready ($env_file):"
sed 's/^/  /' "$env_file" >&2
