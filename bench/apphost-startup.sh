#!/usr/bin/env bash
# Prints the time from `dotnet run --project SentryFlow.AppHost` to all resources healthy (warm build:
# the solution is built first), the AppHost's own memory, and the time Ctrl+C (SIGTERM) takes to stop it all.
# Run twice: on a fresh state folder, then on the data the first run left.
set -euo pipefail
cd "$(dirname "$0")/.."

state=$(mktemp -d /tmp/sentryflow-bench-XXXXXX)
trap 'rm -rf "$state"' EXIT
dotnet build SentryFlow.AppHost -v q -nologo >/dev/null

run() {
  local label=$1 log="$state/apphost.out"
  local start=$(date +%s.%N)
  dotnet run --project SentryFlow.AppHost -- --state-dir "$state/data" >"$log" 2>&1 &
  local runner=$!
  until grep -q "All resources are running." "$log"; do
    if ! kill -0 "$runner" 2>/dev/null; then echo "AppHost exited:"; tail -40 "$log"; exit 1; fi
    sleep 0.1
  done
  local ready=$(date +%s.%N)
  local apphost=$(pgrep -f "SentryFlow.AppHost --state-dir $state/data" | head -1 || true)
  [ -z "$apphost" ] && apphost=$(pgrep -f "SentryFlow.AppHost.dll --state-dir $state/data" | head -1)
  local rss=$(awk '/VmRSS/ {print $2}' "/proc/$apphost/status")
  kill -TERM "$apphost"
  local stop_start=$(date +%s.%N)
  wait "$runner" || true
  local stopped=$(date +%s.%N)
  printf '%-28s all healthy after %6.2f s   AppHost RSS %6.1f MiB   stopped in %5.2f s\n' \
    "$label" "$(awk "BEGIN{print $ready - $start}")" "$(awk "BEGIN{print $rss / 1024}")" "$(awk "BEGIN{print $stopped - $stop_start}")"
}

run "fresh state folder:"
run "restart over kept data:"
