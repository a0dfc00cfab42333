#!/usr/bin/env bash
# Runs the unit and store tiers on other Node majors than the machine's, each in a private
# copy under .tools/node-<major> (git-ignored), never touching the shared node_modules:
#
#   scripts/node-versions.sh 22 24
#
# Node itself comes from the npm registry (`node@<major>` installs the platform binary and its
# headers); better-sqlite3 is rebuilt in the copy for that Node's ABI with those headers.
# NODE_KNOWN_FAILURES lists majors that are known to fail: their failure is printed, with the
# error, as a known failure and does not fail the script; any other failure does.
set -uo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
base="${NODE_VERSIONS_DIR:-$root/.tools}"
known=" ${NODE_KNOWN_FAILURES:-} "
gyp="$(dirname "$(command -v npm)")/../lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js"
[ -f "$gyp" ] || gyp=/usr/lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js
failed=()

say() { printf '\n== node-versions: %s\n' "$*"; }

prepare() {
  local major="$1" dir="$base/node-$1"
  mkdir -p "$dir"
  if [ ! -x "$dir/node/node_modules/node/bin/node" ]; then
    npm install --prefix "$dir/node" --no-audit --no-fund --no-save "node@$major" >/dev/null 2>&1 ||
      { echo "npm install node@$major failed" >&2; return 1; }
  fi
  bin="$dir/node/node_modules/node/bin"
  nodedir="$(dirname "$(find "$dir/node/node_modules" -path '*/include/node/node_api.h' | head -1)")/../.."
  # The project's files (what git tracks) and a hard-linked node_modules: fast and small.
  rm -rf "$dir/app"
  mkdir -p "$dir/app"
  (cd "$root" && git ls-files -z --cached --others --exclude-standard | xargs -0 cp --parents -t "$dir/app")
  cp -al "$(readlink -f "$root/node_modules")" "$dir/app/node_modules"
  # Caches vitest writes in place must not be the shared ones (hard links share content).
  rm -rf "$dir/app/node_modules/.vite" "$dir/app/node_modules/.cache"
  # A real copy of better-sqlite3, so its rebuild writes nowhere shared.
  rm -rf "$dir/app/node_modules/better-sqlite3"
  cp -a "$(readlink -f "$root/node_modules")/better-sqlite3" "$dir/app/node_modules/better-sqlite3"
  rm -rf "$dir/app/node_modules/better-sqlite3/build"
  (cd "$dir/app/node_modules/better-sqlite3" &&
    PATH="$bin:$PATH" "$bin/node" "$gyp" rebuild --release --nodedir="$nodedir" >"$dir/rebuild.log" 2>&1) ||
    { tail -n 20 "$dir/rebuild.log" >&2; return 1; }
}

# The store tier's PostgreSQL is the project's own server, not one the copies would start.
SCORELINE_TEST_PG_URL="${SCORELINE_TEST_PG_URL:-$(bash "$root/scripts/postgres.sh" start)}" || exit 1
export SCORELINE_TEST_PG_URL

for major in "$@"; do
  started=$(date +%s)
  say "Node $major"
  log="$base/node-$major.log"
  if prepare "$major" >"$log" 2>&1; then
    app="$base/node-$major/app"
    echo "running $("$bin/node" -v) from $app" | tee -a "$log"
    # The store tier first: it is the shorter one and the one that loads the native module
    # hardest, so a Node the module cannot run on fails in a minute, not after the unit tier.
    (cd "$app" && PATH="$bin:$PATH" "$bin/node" node_modules/vitest/vitest.mjs run --config vitest.store.config.mts &&
      PATH="$bin:$PATH" "$bin/node" node_modules/vitest/vitest.mjs run --config vitest.unit.config.mts) >>"$log" 2>&1
    rc=$?
  else
    rc=1
  fi
  tail -n 8 "$log"
  if [ $rc -eq 0 ]; then
    echo "node-versions: Node $major passed in $(($(date +%s) - started)) s"
  elif [[ "$known" == *" $major "* ]]; then
    echo "node-versions: KNOWN FAILURE on Node $major (exit $rc) in $(($(date +%s) - started)) s; first errors:"
    grep -m 5 -E "Assertion failed|Error|FAIL|Abort" "$log" || true
  else
    echo "node-versions: Node $major FAILED (exit $rc); see $log"
    failed+=("$major")
  fi
done
[ ${#failed[@]} -eq 0 ] || { echo "node-versions: failed on Node ${failed[*]}" >&2; exit 1; }
