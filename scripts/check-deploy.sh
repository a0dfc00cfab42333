#!/usr/bin/env bash
# Static checks of the container deployment, without a Docker engine (CI has none):
#   1. docker-compose.yml against the Compose Specification JSON schema (check-jsonschema)
#   2. `docker compose config` (Compose v5 from PyPI; resolves interpolation, references, profiles),
#      also with the Temporal Cloud overlays
#   3. project rules on the resolved model, the Dockerfile, Prometheus config and search
#      attributes (scripts/check-deploy.py)
#   4. hadolint on the Dockerfile, ShellCheck on the shell scripts
#   5. `promtool check config` on deploy/prometheus.yml (Debian's prometheus package)
# Installs its pinned tools into .tools/deploy-check on first use. Runs every check, then
# exits 1 if any failed. Usage: bash scripts/check-deploy.sh
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS="${DEPLOY_CHECK_TOOLS:-$ROOT/.tools/deploy-check}"
REQUIREMENTS="$ROOT/scripts/check-deploy.requirements.txt"
# promtool: upstream release pinned; the Debian revision may move with security updates.
PROMTOOL_VERSION=2.42.0
PROMTOOL_DEB="prometheus=2.42.0+ds-5+deb12u1"

failures=()
step() { printf '\n== %s\n' "$1"; }
die() {
  printf 'check-deploy: %s\n' "$1" >&2
  exit 2
}

install_python_tools() {
  local stamp="$TOOLS/venv/.requirements"
  if [ -f "$stamp" ] && cmp -s "$stamp" "$REQUIREMENTS"; then return; fi
  step "installing Python tools into $TOOLS/venv"
  command -v python3 >/dev/null || die "python3 is required"
  rm -rf "$TOOLS/venv"
  python3 -m venv "$TOOLS/venv" || die "python3 -m venv failed (Debian: apt-get install python3-venv)"
  "$TOOLS/venv/bin/pip" install --quiet --disable-pip-version-check -r "$REQUIREMENTS" ||
    die "pip install -r $REQUIREMENTS failed"
  cp "$REQUIREMENTS" "$stamp"
}

install_promtool() {
  local bin="$TOOLS/bin/promtool"
  if [ -x "$bin" ] && "$bin" --version 2>&1 | grep -q "version $PROMTOOL_VERSION"; then return; fi
  step "installing promtool $PROMTOOL_VERSION from Debian's prometheus package"
  command -v apt-get >/dev/null || die "promtool comes from Debian's prometheus package: apt-get is required"
  local tmp
  tmp="$(mktemp -d)"
  # Only the .deb is fetched and unpacked: installing the package would also start a server.
  if ! (cd "$tmp" && apt-get download "$PROMTOOL_DEB" >/dev/null 2>&1); then
    apt-get update -qq >/dev/null || die "apt-get update failed"
    if ! (cd "$tmp" && apt-get download "$PROMTOOL_DEB" >/dev/null 2>&1); then
      # The pinned Debian revision was superseded: accept the current one of the same release.
      (cd "$tmp" && apt-get download prometheus >/dev/null 2>&1) || die "apt-get download prometheus failed"
    fi
  fi
  dpkg-deb -x "$tmp"/prometheus_*.deb "$tmp/root"
  mkdir -p "$TOOLS/bin"
  install -m 0755 "$tmp/root/usr/bin/promtool" "$bin"
  rm -rf "$tmp"
  "$bin" --version 2>&1 | grep -q "version $PROMTOOL_VERSION" ||
    die "Debian now ships promtool $("$bin" --version 2>&1 | head -1); update PROMTOOL_VERSION in $0"
}

# Runs one check, records its name on failure, and carries on with the next.
check() {
  local name="$1"
  shift
  step "$name"
  if "$@"; then echo "ok"; else failures+=("$name"); fi
}

# Compose reads .env and the caller's environment; give it only the example file, so the
# result does not depend on who runs the check.
compose() {
  env -i PATH="$PATH" HOME="${HOME:-/tmp}" \
    "$TOOLS/venv/bin/docker-compose" --project-directory "$ROOT" -f "$ROOT/docker-compose.yml" \
    --env-file "$ROOT/deploy/.env.example" --profile codec "$@"
}

compose_defaults_only() {
  env -i PATH="$PATH" HOME="${HOME:-/tmp}" \
    "$TOOLS/venv/bin/docker-compose" --project-directory "$ROOT" -f "$ROOT/docker-compose.yml" \
    --env-file /dev/null --profile codec config --quiet
}

# The Temporal Cloud overlays must still merge into a valid model (placeholder address/namespace).
compose_cloud_overlays() {
  env -i PATH="$PATH" HOME="${HOME:-/tmp}" \
    WORKER_TEMPORAL_ADDRESS=example-ns.a1b2c.tmprl.cloud:7233 TEMPORAL_NAMESPACE=example-ns.a1b2c \
    "$TOOLS/venv/bin/docker-compose" --project-directory "$ROOT" -f "$ROOT/docker-compose.yml" \
    -f "$ROOT/deploy/compose.cloud.yml" -f "$ROOT/deploy/compose.cloud-mtls.yml" \
    --env-file /dev/null config --quiet
}

rules() {
  local resolved
  resolved="$(mktemp)"
  compose config --format json >"$resolved" || {
    rm -f "$resolved"
    return 1
  }
  "$TOOLS/venv/bin/python" "$ROOT/scripts/check-deploy.py" --root "$ROOT" --compose-json "$resolved"
  local rc=$?
  rm -f "$resolved"
  return $rc
}

main() {
  install_python_tools
  install_promtool
  local bin="$TOOLS/venv/bin"

  check "compose: Compose Specification schema" \
    "$bin/check-jsonschema" --builtin-schema vendor.compose-spec "$ROOT/docker-compose.yml"
  check "compose: docker compose config (deploy/.env.example)" compose config --quiet
  check "compose: docker compose config (built-in defaults, no .env)" compose_defaults_only
  check "compose: Temporal Cloud overlays (deploy/compose.cloud*.yml)" compose_cloud_overlays
  check "project rules (compose, Dockerfile, Prometheus, search attributes)" rules
  check "Dockerfile: hadolint" "$bin/hadolint" --no-color --config "$ROOT/deploy/hadolint.yaml" "$ROOT/Dockerfile"
  check "shell scripts: shellcheck" "$bin/shellcheck" "$ROOT/scripts/check-deploy.sh" "$ROOT"/deploy/temporal/*.sh "$ROOT"/scripts/cluster/*.sh
  check "Prometheus: promtool check config" "$TOOLS/bin/promtool" check config "$ROOT/deploy/prometheus.yml"

  if [ ${#failures[@]} -gt 0 ]; then
    printf '\ncheck-deploy: FAILED (%d): %s\n' "${#failures[@]}" "$(printf '%s; ' "${failures[@]}")" >&2
    exit 1
  fi
  printf '\ncheck-deploy: all deployment checks passed\n'
}

main "$@"
