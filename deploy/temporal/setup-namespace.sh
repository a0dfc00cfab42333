#!/bin/sh
# One-shot job (temporalio/admin-tools): create the namespace and register Scoreline's custom
# search attributes, so the Web UI can list runs by date, phase, counts and cost. Idempotent:
# existing ones are left alone, so it runs on every `docker compose up`.
#
# Keep SEARCH_ATTRIBUTES in step with src/workflows/definitions.ts; scripts/check-deploy.sh
# fails when they differ. PostgreSQL visibility has 3 Int, 3 Double and 10 Keyword slots per
# namespace: the three Int attributes below use all of the Int slots.
set -eu

address="${TEMPORAL_ADDRESS:-temporal:7233}"
namespace="${TEMPORAL_NAMESPACE:-default}"
retention="${TEMPORAL_NAMESPACE_RETENTION:-72h}"
SEARCH_ATTRIBUTES="RunDate=Keyword RunPhase=Keyword ListingsTotal=Int ListingsScored=Int ListingsDeadLettered=Int CostUsd=Double DriftDetected=Bool"

# Temporal's own compose scripts resolve the host to IPv4 first: the CLI may otherwise try an
# IPv6 address the server does not listen on.
host="${address%:*}"
port="${address##*:}"
ip="$(getent ahostsv4 "$host" | awk 'NR == 1 { print $1 }')"
target="${ip:-$host}:$port"

attempt=0
until temporal operator cluster health --address "$target" >/dev/null 2>&1; do
  attempt=$((attempt + 1))
  if [ "$attempt" -ge 30 ]; then
    echo "setup: Temporal at $address is not healthy after 60 s" >&2
    exit 1
  fi
  sleep 2
done

if temporal operator namespace describe --namespace "$namespace" --address "$target" >/dev/null 2>&1; then
  echo "setup: namespace '$namespace' exists"
else
  temporal operator namespace create --namespace "$namespace" --retention "$retention" --address "$target"
  echo "setup: namespace '$namespace' created (retention $retention)"
fi

# A namespace just created reaches the frontend's namespace cache a few seconds later; until
# then listing its search attributes answers "not found".
attempt=0
until existing="$(temporal operator search-attribute list --namespace "$namespace" --address "$target" 2>&1)"; do
  attempt=$((attempt + 1))
  if [ "$attempt" -ge 30 ]; then
    echo "setup: cannot list search attributes of '$namespace': $existing" >&2
    exit 1
  fi
  sleep 2
done
for entry in $SEARCH_ATTRIBUTES; do
  name="${entry%%=*}"
  type="${entry##*=}"
  if printf '%s\n' "$existing" | grep -Eq "^[[:space:]]*${name}[[:space:]]"; then
    echo "setup: search attribute $name exists"
  else
    temporal operator search-attribute create --namespace "$namespace" --address "$target" \
      --name "$name" --type "$type"
    echo "setup: search attribute $name ($type) created"
  fi
done
