#!/usr/bin/env bash
# Prints the time from `dotnet run --project SentryFlow.AppHost` (already built: --no-build) to every resource running
# and healthy, the memory (RSS and PSS) of the AppHost, DCP and the dashboard at that moment, and the time SIGTERM
# takes to stop it all. Runs twice: on a fresh state folder, then on the data the first run left (a warm start).
# Goal: under 30 s warm on this 2-core machine. The machine's load average is printed with each run.
set -euo pipefail
cd "$(dirname "$0")/.."

state=$(mktemp -d /tmp/sentryflow-bench-XXXXXX)
trap 'rm -rf "$state"' EXIT
dotnet build SentryFlow.AppHost -v q -nologo >/dev/null

# Sum of a field of /proc/<pid>/smaps_rollup (kB) over the given PIDs, in MiB.
mib() {
  local field=$1; shift
  local total=0
  for pid in "$@"; do
    local kb=$(awk -v f="$field:" '$1 == f {print $2}' "/proc/$pid/smaps_rollup" 2>/dev/null || echo 0)
    total=$((total + ${kb:-0}))
  done
  awk "BEGIN{printf \"%.0f\", $total / 1024}"
}

run() {
  local label=$1 log="$state/apphost.out"
  local start=$(date +%s.%N)
  dotnet run --project SentryFlow.AppHost --no-build -- --state-dir "$state/data" >"$log" 2>&1 &
  local runner=$!
  until grep -q "All resources are running and healthy." "$log"; do
    if ! kill -0 "$runner" 2>/dev/null; then echo "AppHost exited:"; tail -40 "$log"; exit 1; fi
    sleep 0.1
  done
  local ready=$(date +%s.%N)
  local apphost=$(pgrep -f "SentryFlow.AppHost/bin/.*/SentryFlow.AppHost --state-dir $state/data" | head -1)
  local dcp=($(pgrep -f "aspire.hosting.orchestration.*/dcp" || true))
  local dashboard=($(pgrep -f "aspire.dashboard.sdk.*/Aspire.Dashboard" || true))
  printf '%-26s all healthy after %6.2f s   (load average %s)\n' "$label" "$(awk "BEGIN{print $ready - $start}")" "$(cut -d' ' -f1-3 /proc/loadavg)"
  printf '%-26s AppHost RSS %5s MiB PSS %5s   DCP (%d processes) RSS %5s PSS %5s   dashboard RSS %5s PSS %5s\n' "" \
    "$(mib Rss "$apphost")" "$(mib Pss "$apphost")" "${#dcp[@]}" "$(mib Rss "${dcp[@]}")" "$(mib Pss "${dcp[@]}")" \
    "$(mib Rss "${dashboard[@]}")" "$(mib Pss "${dashboard[@]}")"
  kill -TERM "$apphost"
  local stop_start=$(date +%s.%N)
  wait "$runner" || true
  # DCP stops the resources after the AppHost has gone: wait for the last of the servers and services.
  while pgrep -f "$state/data" >/dev/null || pgrep -f "aspire.hosting.orchestration.*monitor $apphost" >/dev/null; do sleep 0.2; done
  local stopped=$(date +%s.%N)
  printf '%-26s stopped everything in %5.2f s after SIGTERM\n' "" "$(awk "BEGIN{print $stopped - $stop_start}")"
}

run "fresh state folder:"
run "restart over kept data:"
