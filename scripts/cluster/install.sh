#!/usr/bin/env bash
# Builds the Temporal server and its SQL schema tool from the Go module proxy into
# .tools/temporal-server (git-ignored), and reuses them when they are already there.
#
#   scripts/cluster/install.sh        print the directory holding `temporal-server` and `temporal-sql-tool`
#
# A build is also kept in ~/.cache/scoreline (TEMPORAL_SERVER_CACHE), so a fresh clone on the
# same machine, as CI makes, copies it in seconds instead of building again.
# The server module needs a newer Go than Debian ships, so GOTOOLCHAIN names one and the go
# command fetches it as a module. A fresh build takes about 7.5 minutes on 2 cores.
set -euo pipefail

root="$(cd "$(dirname "$0")/../.." && pwd)"
version="${TEMPORAL_SERVER_VERSION:-v1.32.2}"
dir="${TEMPORAL_SERVER_DIR:-$root/.tools/temporal-server}"
stamp="$dir/VERSION"

say() { printf 'install.sh: %s\n' "$*" >&2; }

if [ -x "$dir/temporal-server" ] && [ -x "$dir/temporal-sql-tool" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$version" ]; then
  echo "$dir"
  exit 0
fi

# A build kept outside the checkout (CI clones afresh on the same machine): copied, not rebuilt.
cache="${TEMPORAL_SERVER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/scoreline/temporal-server-$version}"
if [ -x "$cache/temporal-server" ] && [ -x "$cache/temporal-sql-tool" ] && [ "$(cat "$cache/VERSION" 2>/dev/null)" = "$version" ]; then
  mkdir -p "$dir"
  cp -a "$cache/." "$dir/"
  say "reused the build in $cache"
  echo "$dir"
  exit 0
fi

command -v go >/dev/null || { say "go not found: install Debian's golang-go (any version; GOTOOLCHAIN fetches the one needed)"; exit 1; }
mkdir -p "$dir"
export GOTOOLCHAIN="${GOTOOLCHAIN_OVERRIDE:-go1.27.3}"
export GOBIN="$dir"
started=$(date +%s)
say "building go.temporal.io/server $version (server + sql tool) with $GOTOOLCHAIN"
go install "go.temporal.io/server/cmd/server@$version" >&2
go install "go.temporal.io/server/cmd/tools/sql@$version" >&2
mv -f "$dir/server" "$dir/temporal-server"
mv -f "$dir/sql" "$dir/temporal-sql-tool"
# The schemas ship inside the module; keep a copy beside the binaries so server.sh needs no go.
modroot="$(go env GOMODCACHE)/go.temporal.io/server@$version"
rm -rf "$dir/schema"
cp -r "$modroot/schema" "$dir/schema"
chmod -R u+w "$dir/schema"
echo "$version" >"$stamp"
say "built in $(( $(date +%s) - started ))s"
if ! { mkdir -p "$cache" && cp -a "$dir/." "$cache/"; }; then
  say "could not keep a copy in $cache (the next clone builds again)"
fi
echo "$dir"
