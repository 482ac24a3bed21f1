#!/usr/bin/env bash
# Sync worker traffic and footprint (issue 16): benchmarks/measure-worker.sh [--seconds N] [--keep] [--no-build] [options]
#
# A measurement, not a test (CI never runs it). Builds the feed server and the sync worker samples in Release, starts
# a private redis-server on a free loopback port (no persistence, in a temp dir), the standalone feed server serving
# the synthetic market at real speed (--speed 1 --seed 42) on a free loopback port, and the sync worker pointed at that
# feed and that Redis only, for GC SI CL ES NQ × 1m 5m 15m 1h 4h 1d at the seed's depths. It waits until the 30
# chart:{sym}:{tf}:1year keys exist, lets the worker settle for 30 s, then measures over a window:
#   - bytes and commands the worker sends to Redis (INFO stats deltas) and which commands dominate (INFO commandstats);
#   - the worker's CPU (% of one core, /proc/PID/stat) and RSS (VmRSS at the end, VmHWM peak); the feed server's RSS;
#   - whether live:GC:1m:current changes every second or two (sampled once a second).
# After the window a short MONITOR sample attributes the bytes to commands and keys. The report is printed and written
# to artifacts/measure/worker-<date>.txt; every process the script started is stopped on exit, also on failure or Ctrl-C
# (the logs of a failed run are kept in artifacts/measure/failed-<date>/).
#
#   --seconds N          length of the measurement window in seconds (default 120)
#   --settle N           seconds to wait after the 30 chart keys exist, before the window (default 30)
#   --monitor-seconds N  length of the MONITOR sample after the window (default 35, just over one chart-sync
#                        interval; 0 skips it)
#   --always-open        the synthetic market trades around the clock (without it, the CME hours: the script stops
#                        when the market is closed, since nothing live would be measured)
#   --keep               keep the temp dir (Redis, feed server and worker logs) for inspection
#   --no-build           use the Release builds already in artifacts/bin/
#   -h, --help           this text
#
# The machine's other work skews CPU and timings: the report gives the load average (/proc/loadavg) at both ends.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '==> %s\n' "$*" >&2; }
fail() { printf 'measure-worker: %s\n' "$*" >&2; exit 1; }
usage() { sed -n '2,25p' "$0" | sed 's/^# \{0,1\}//'; }

seconds=120
settle=30
monitor_seconds=35
always_open=false
keep=false
build=true
keys_timeout=600
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) [ $# -ge 2 ] || fail "--seconds needs a number"; seconds=$2; shift ;;
    --seconds=*) seconds=${1#--seconds=} ;;
    --settle) [ $# -ge 2 ] || fail "--settle needs a number"; settle=$2; shift ;;
    --settle=*) settle=${1#--settle=} ;;
    --monitor-seconds) [ $# -ge 2 ] || fail "--monitor-seconds needs a number"; monitor_seconds=$2; shift ;;
    --monitor-seconds=*) monitor_seconds=${1#--monitor-seconds=} ;;
    --always-open) always_open=true ;;
    --keep) keep=true ;;
    --no-build) build=false ;;
    -h|--help) usage; exit 0 ;;
    *) echo "measure-worker: unknown option '$1'" >&2; usage >&2; exit 2 ;;
  esac
  shift
done
for value in "$seconds" "$settle" "$monitor_seconds"; do
  [[ "$value" =~ ^[0-9]+$ ]] || fail "expected a whole number of seconds, got '$value'"
done
[ "$seconds" -ge 10 ] || fail "--seconds must be at least 10"

SYMBOLS=(GC SI CL ES NQ)
TIMEFRAMES=(1m 5m 15m 1h 4h 1d)
LIVE_KEY=live:GC:1m:current
FEED_PROJECT=samples/OrderFlow.FeedServer/OrderFlow.FeedServer.csproj
WORKER_PROJECT=samples/OrderFlow.SyncWorker/OrderFlow.SyncWorker.csproj
REDIS_SERVER=${REDIS_SERVER:-/usr/bin/redis-server}
CLK_TCK=$(getconf CLK_TCK)
OUT_DIR=artifacts/measure

command -v "$REDIS_SERVER" >/dev/null 2>&1 || fail "redis-server not found at $REDIS_SERVER (set REDIS_SERVER)"
command -v redis-cli >/dev/null 2>&1 || fail "redis-cli not found"

tmp_dir=$(mktemp -d "${TMPDIR:-/tmp}/orderflow-measure.XXXXXX")
redis_pid=""
feed_pid=""
worker_pid=""
redis_port=""
sleep_pid=""
monitor_pids=()

# Stops a process started by this script: SIGTERM, then SIGKILL after $2 seconds.
stop_process() {
  local pid=$1 grace=$2 name=$3 waited=0
  [ -n "$pid" ] || return 0
  kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  while kill -0 "$pid" 2>/dev/null && [ "$waited" -lt $((grace * 10)) ]; do
    sleep 0.1
    waited=$((waited + 1))
  done
  if kill -0 "$pid" 2>/dev/null; then
    log "$name ($pid) still running after ${grace} s: killing it"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
}

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  stop_process "$sleep_pid" 1 "sleep"
  local pid
  for pid in ${monitor_pids[@]+"${monitor_pids[@]}"}; do stop_process "$pid" 2 "the MONITOR sample"; done
  # The worker first: it flushes to Redis on SIGTERM (HostOptions:ShutdownTimeout 15 s), so Redis must still be up.
  stop_process "$worker_pid" 20 "the sync worker"
  stop_process "$feed_pid" 10 "the feed server"
  stop_process "$redis_pid" 10 "redis-server"
  if $keep; then
    log "kept $tmp_dir (redis.log, feed.log, worker.log, the Redis dir)"
  elif [ "$rc" -ne 0 ] && [ -d "$tmp_dir" ]; then
    # Keep the logs of a failed run next to the reports.
    mkdir -p "$OUT_DIR"
    local failed_logs
    failed_logs="$OUT_DIR/failed-$(date -u +%Y%m%d-%H%M%S)"
    mkdir -p "$failed_logs"
    cp "$tmp_dir"/*.log "$failed_logs"/ 2>/dev/null || true
    if [ "$rc" -eq 130 ] || [ "$rc" -eq 143 ]; then
      log "interrupted; logs in $failed_logs"
    else
      log "failed (exit code $rc); logs in $failed_logs"
    fi
    rm -rf "$tmp_dir"
  else
    rm -rf "$tmp_dir"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# sleep, interruptible: a signal runs the trap at once instead of after the sleep.
pause() {
  sleep "$1" &
  sleep_pid=$!
  wait "$sleep_pid" || true
  sleep_pid=""
}

free_port() {
  if command -v python3 >/dev/null 2>&1; then
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
    return
  fi
  local port
  for _ in $(seq 1 50); do
    port=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return
    fi
  done
  fail "no free loopback port found"
}

redis() { redis-cli -h 127.0.0.1 -p "$redis_port" "$@"; }

# Fails with the tail of the process's log when it is no longer running.
require_running() {
  local pid=$1 name=$2 logfile=$3
  if ! kill -0 "$pid" 2>/dev/null; then
    tail -n 30 "$logfile" >&2 || true
    fail "$name exited early (log above: $logfile)"
  fi
}

build_samples() {
  log "building the feed server and the sync worker (Release)"
  local project
  for project in "$FEED_PROJECT" "$WORKER_PROJECT"; do
    if ! dotnet build "$project" -c Release -nologo -v quiet >"$tmp_dir/build.log" 2>&1; then
      cat "$tmp_dir/build.log" >&2
      fail "build failed: $project"
    fi
  done
}

target_path() { dotnet msbuild "$1" -nologo -getProperty:TargetPath -p:Configuration=Release; }

start_redis() {
  redis_port=$(free_port)
  mkdir -p "$tmp_dir/redis"
  "$REDIS_SERVER" --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no --dir "$tmp_dir/redis" \
    --logfile "$tmp_dir/redis.log" --daemonize no >/dev/null 2>&1 &
  redis_pid=$!
  for _ in $(seq 1 100); do
    [ "$(redis ping 2>/dev/null || true)" = "PONG" ] && break
    require_running "$redis_pid" "redis-server" "$tmp_dir/redis.log"
    sleep 0.1
  done
  [ "$(redis ping 2>/dev/null || true)" = "PONG" ] || fail "redis-server did not answer PING on port $redis_port within 10 s"
  [ "$(redis dbsize)" = "0" ] || fail "the private redis-server on port $redis_port is not empty"
  log "redis-server $redis_pid on 127.0.0.1:$redis_port (dir $tmp_dir/redis, no persistence)"
}

start_feed_server() {
  local dll=$1 port args
  port=$(free_port)
  args=(--port "$port" --speed 1 --seed 42)
  $always_open && args+=(--always-open)
  feed_args="${args[*]}"
  dotnet "$dll" "${args[@]}" >"$tmp_dir/feed.log" 2>&1 &
  feed_pid=$!
  for _ in $(seq 1 300); do
    grep -q 'Press Ctrl+C to stop' "$tmp_dir/feed.log" && break
    require_running "$feed_pid" "the feed server" "$tmp_dir/feed.log"
    sleep 0.1
  done
  grep -q 'Press Ctrl+C to stop' "$tmp_dir/feed.log" || fail "the feed server did not start within 30 s ($tmp_dir/feed.log)"
  feed_url=$(grep -o 'ws://[^ ]*' "$tmp_dir/feed.log" | head -n 1)
  [ -n "$feed_url" ] || fail "the feed server printed no ws:// URL ($tmp_dir/feed.log)"
  if grep -q 'The market is closed' "$tmp_dir/feed.log"; then
    grep 'The market is closed' "$tmp_dir/feed.log" >&2
    fail "the synthetic market is closed (CME hours): nothing live to measure; run again with --always-open"
  fi
  log "feed server $feed_pid on $feed_url ($feed_args)"
}

start_worker() {
  local dll=$1
  # Everything on the command line, which overrides appsettings.json and the environment: this Redis and this feed
  # only, whatever Redis__Configuration or Feed__Url the caller's environment holds.
  worker_args=(
    --Source=feed
    "--Feed:Url=$feed_url"
    "--Redis:Configuration=127.0.0.1:$redis_port"
    --Redis:KeyPrefix=
    "--Sync:Symbols=$(IFS=,; echo "${SYMBOLS[*]}")"
    "--Sync:Timeframes=$(IFS=,; echo "${TIMEFRAMES[*]}")"
    --Sync:HistoryBars:1m=100000 --Sync:HistoryBars:5m=50000 --Sync:HistoryBars:15m=35000
    --Sync:HistoryBars:1h=8760 --Sync:HistoryBars:4h=2200 --Sync:HistoryBars:1d=365
    --Health:Port=0
  )
  dotnet "$dll" "${worker_args[@]}" >"$tmp_dir/worker.log" 2>&1 &
  worker_pid=$!
  log "sync worker $worker_pid: ${worker_args[*]}"
}

chart_keys() {
  local sym tf
  for sym in "${SYMBOLS[@]}"; do
    for tf in "${TIMEFRAMES[@]}"; do
      printf 'chart:%s:%s:1year\n' "$sym" "$tf"
    done
  done
}

wait_for_chart_keys() {
  local keys=() count=0 started=$SECONDS last_report=0
  mapfile -t keys < <(chart_keys)
  log "waiting for the ${#keys[@]} chart keys (at most ${keys_timeout} s)"
  while :; do
    require_running "$worker_pid" "the sync worker" "$tmp_dir/worker.log"
    require_running "$feed_pid" "the feed server" "$tmp_dir/feed.log"
    count=$(redis exists "${keys[@]}")
    [ "$count" -eq "${#keys[@]}" ] && break
    if [ $((SECONDS - started)) -ge "$keys_timeout" ]; then
      local key missing=()
      for key in "${keys[@]}"; do
        [ "$(redis exists "$key")" = "1" ] || missing+=("$key")
      done
      tail -n 30 "$tmp_dir/worker.log" >&2
      fail "only $count of ${#keys[@]} chart keys after ${keys_timeout} s; missing: ${missing[*]} (worker log above)"
    fi
    if [ $((SECONDS - last_report)) -ge 30 ]; then
      log "  $count/${#keys[@]} chart keys after $((SECONDS - started)) s"
      last_report=$SECONDS
    fi
    pause 2
  done
  keys_after=$((SECONDS - started))
  log "all ${#keys[@]} chart keys after ${keys_after} s"
}

# utime + stime of a process, in clock ticks (fields 14 and 15 of /proc/PID/stat, counted after the ")" of comm).
cpu_ticks() { sed 's/^.*) //' "/proc/$1/stat" | awk '{ print $12 + $13 }'; }

# A VmRSS/VmHWM line of /proc/PID/status, in kB.
status_kb() { awk -v field="$2:" '$1 == field { print $2 }' "/proc/$1/status"; }

mb_of_kb() { awk -v kb="$1" 'BEGIN { printf "%.0f", kb / 1024 }'; }

# "name value" lines: the counters of INFO stats we use, and calls/usec of every command in INFO commandstats.
redis_snapshot() {
  redis info all | tr -d '\r' | awk -F'[:,=]' '
    $1 == "total_net_input_bytes" || $1 == "total_commands_processed" || $1 == "total_net_output_bytes" { print $1, $2 }
    $1 ~ /^cmdstat_/ { name = substr($1, 9); print "calls." name, $3; print "usec." name, $5 }'
}

measure_window() {
  local before_file=$tmp_dir/before.txt after_file=$tmp_dir/after.txt
  load_before=$(cut -d' ' -f1-3 /proc/loadavg)
  redis_snapshot >"$before_file"
  local ticks_before time_before
  ticks_before=$(cpu_ticks "$worker_pid")
  time_before=$EPOCHREALTIME

  local previous="" value sample=0 changes=0 unchanged=0 longest_unchanged=0 next
  samples=0
  next=${EPOCHREALTIME/./}
  for sample in $(seq 1 "$seconds"); do
    next=$((next + 1000000))
    value=$(redis get "$LIVE_KEY" | md5sum | cut -d' ' -f1)
    samples=$((samples + 1))
    if [ "$sample" -gt 1 ]; then
      if [ "$value" != "$previous" ]; then
        changes=$((changes + 1))
        unchanged=0
      else
        unchanged=$((unchanged + 1))
        if [ "$unchanged" -gt "$longest_unchanged" ]; then longest_unchanged=$unchanged; fi
      fi
    fi
    previous=$value
    require_running "$worker_pid" "the sync worker" "$tmp_dir/worker.log"
    local now=${EPOCHREALTIME/./} wait_us
    wait_us=$((next - now))
    if [ "$wait_us" -gt 0 ]; then
      pause "$(printf '%d.%06d' $((wait_us / 1000000)) $((wait_us % 1000000)))"
    fi
  done

  local ticks_after time_after
  ticks_after=$(cpu_ticks "$worker_pid")
  time_after=$EPOCHREALTIME
  redis_snapshot >"$after_file"
  load_after=$(cut -d' ' -f1-3 /proc/loadavg)
  live_changes=$changes
  live_intervals=$((samples - 1))
  live_longest_unchanged=$longest_unchanged

  elapsed=$(awk -v a="$time_before" -v b="$time_after" 'BEGIN { printf "%.3f", b - a }')
  worker_cpu=$(awk -v t="$((ticks_after - ticks_before))" -v hz="$CLK_TCK" -v s="$elapsed" 'BEGIN { printf "%.1f", 100 * t / hz / s }')
  worker_rss_kb=$(status_kb "$worker_pid" VmRSS)
  worker_hwm_kb=$(status_kb "$worker_pid" VmHWM)
  feed_rss_kb=$(status_kb "$feed_pid" VmRSS)
  feed_hwm_kb=$(status_kb "$feed_pid" VmHWM)
  redis_rss_kb=$(status_kb "$redis_pid" VmRSS)
  redis_used_memory=$(redis info memory | tr -d '\r' | awk -F: '$1 == "used_memory_human" { print $2 }')

  # Deltas. The script's own commands (one GET a second, the INFO of the first snapshot) are left out of the command
  # counts; their few input bytes (~50 B/s) are not.
  awk -v s="$elapsed" -v own_get="$samples" '
    NR == FNR { before[$1] = $2; next }
    { delta[$1] = $2 - ($1 in before ? before[$1] : 0) }
    END {
      delta["calls.get"] -= own_get
      own = own_get
      for (k in delta) if (k ~ /^calls\.(info|command)/) { own += delta[k]; skip[substr(k, 7)] = 1 }
      in_bytes = delta["total_net_input_bytes"]
      commands = delta["total_commands_processed"] - own
      printf "input_bytes %d\n", in_bytes
      printf "output_bytes %d\n", delta["total_net_output_bytes"]
      printf "mb_per_min %.1f\n", in_bytes / s * 60 / 1e6
      printf "commands %d\n", commands
      printf "commands_per_s %.0f\n", commands / s
      for (k in delta) if (k ~ /^calls\./ && delta[k] > 0 && !(substr(k, 7) in skip)) {
        name = substr(k, 7)
        printf "cmd %s %d %d\n", name, delta[k], delta["usec." name]
      }
    }' "$before_file" "$after_file" >"$tmp_dir/deltas.txt"
}

# After the window: MONITOR for a while, the bytes of the arguments per command and key (symbols folded into {sym}).
# Python reads the stream: redis-cli falls far behind on MONITOR lines of several MB (a chart), and what it had not
# read yet when it is stopped would be lost; the INFO stats delta over the sample says how much was seen.
sample_monitor() {
  monitor_file=$tmp_dir/monitor.txt
  : >"$monitor_file"
  monitor_note=""
  [ "$monitor_seconds" -gt 0 ] || return 0
  if ! command -v python3 >/dev/null 2>&1; then
    monitor_note="no MONITOR sample: python3 not found"
    log "$monitor_note"
    return 0
  fi
  log "MONITOR sample for ${monitor_seconds} s (bytes per command and key)"
  local input_before input_after
  input_before=$(redis info stats | tr -d '\r' | awk -F: '$1 == "total_net_input_bytes" { print $2 }')
  python3 - "$redis_port" "$monitor_seconds" >"$tmp_dir/monitor.raw" <<'PY' &
import re, socket, sys, time

port, seconds = int(sys.argv[1]), float(sys.argv[2])
sock = socket.create_connection(("127.0.0.1", port))
sock.sendall(b"MONITOR\r\n")
sock.settimeout(0.2)
symbol = re.compile(rb":(GC|SI|CL|ES|NQ):")
calls, sizes = {}, {}
buf, line_start, scan = bytearray(), 0, 0


def count(line):
    # +<time> [<db> <client>] "CMD" "key" "arg"...: each argument quoted, \" for a quote inside one (JSON text).
    i = line.find(b'] "')
    if i < 0:
        return
    args = line[i + 2:]
    parts = args.split(b'"', 4)
    cmd = parts[1].upper()
    key = symbol.sub(b":{sym}:", parts[3]) if len(parts) > 3 else b"-"
    escaped = args.count(b'\\"')
    quotes = args.count(b'"') - escaped
    size = len(args) - escaped - quotes - max(quotes // 2 - 1, 0)
    name = cmd + b" " + key
    calls[name] = calls.get(name, 0) + 1
    sizes[name] = sizes.get(name, 0) + size


deadline = time.monotonic() + seconds
while time.monotonic() < deadline:
    try:
        chunk = sock.recv(1 << 20)
    except socket.timeout:
        continue
    if not chunk:
        break
    buf += chunk
    while True:
        end = buf.find(b"\r\n", scan)
        if end < 0:
            scan = max(line_start, len(buf) - 1)
            break
        count(bytes(buf[line_start:end]))
        line_start = scan = end + 2
    if line_start > (1 << 22):
        del buf[:line_start]
        scan -= line_start
        line_start = 0
sock.close()
for name in calls:
    print(name.decode(errors="replace"), calls[name], sizes[name])
PY
  monitor_pids=("$!")
  wait "${monitor_pids[0]}" || fail "the MONITOR sample failed"
  monitor_pids=()
  input_after=$(redis info stats | tr -d '\r' | awk -F: '$1 == "total_net_input_bytes" { print $2 }')
  monitor_input=$((input_after - input_before))
  sort -k4,4nr "$tmp_dir/monitor.raw" >"$monitor_file"
}

write_report() {
  local report=$1 commit date_text
  commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
  if [ -n "$(git status --porcelain --untracked-files=no 2>/dev/null)" ]; then commit="$commit (modified)"; fi
  date_text=$(date -u '+%Y-%m-%d %H:%M UTC')
  local mb_per_min commands_per_s input_bytes output_bytes commands
  mb_per_min=$(awk '$1 == "mb_per_min" { print $2 }' "$tmp_dir/deltas.txt")
  commands_per_s=$(awk '$1 == "commands_per_s" { print $2 }' "$tmp_dir/deltas.txt")
  commands=$(awk '$1 == "commands" { print $2 }' "$tmp_dir/deltas.txt")
  input_bytes=$(awk '$1 == "input_bytes" { print $2 }' "$tmp_dir/deltas.txt")
  output_bytes=$(awk '$1 == "output_bytes" { print $2 }' "$tmp_dir/deltas.txt")
  summary=$(printf 'worker: %s MB/min to Redis, %s commands/s, CPU %s %% of a core, RSS %s MB (peak %s MB); %s changed in %s/%s s; feed server RSS %s MB (peak %s MB)' \
    "$mb_per_min" "$commands_per_s" "$worker_cpu" "$(mb_of_kb "$worker_rss_kb")" "$(mb_of_kb "$worker_hwm_kb")" \
    "$LIVE_KEY" "$live_changes" "$live_intervals" "$(mb_of_kb "$feed_rss_kb")" "$(mb_of_kb "$feed_hwm_kb")")
  {
    echo "OrderFlow sync worker: traffic to Redis and footprint (issue 16)"
    echo
    echo "date         $date_text"
    echo "commit       $commit"
    echo "machine      $(nproc) cores, $(uname -r); load average $load_before at the start of the window, $load_after at its end"
    echo "redis        $("$REDIS_SERVER" --version | awk '{ print $3 }' | sed 's/^v=//'), 127.0.0.1:$redis_port, --save '' --appendonly no"
    echo "feed server  dotnet OrderFlow.FeedServer.dll $feed_args (synthetic market)"
    echo "worker       dotnet OrderFlow.SyncWorker.dll ${worker_args[*]}"
    echo "             all 30 chart keys after ${keys_after} s; settled ${settle} s; window ${elapsed} s"
    echo
    echo "Worker → Redis over the window (INFO stats deltas; MB = 10^6 bytes)"
    printf '  input            %s bytes = %s MB/min\n' "$input_bytes" "$mb_per_min"
    printf '  commands         %s = %s/s (the script'"'"'s own GET and INFO left out)\n' "$commands" "$commands_per_s"
    printf '  Redis output     %s bytes (replies and pub/sub deliveries)\n' "$output_bytes"
    echo
    echo "Processes"
    printf '  worker CPU       %s %% of one core (utime+stime over the window)\n' "$worker_cpu"
    printf '  worker RSS       %s MB at the end, peak %s MB (VmRSS, VmHWM)\n' "$(mb_of_kb "$worker_rss_kb")" "$(mb_of_kb "$worker_hwm_kb")"
    printf '  feed server RSS  %s MB at the end, peak %s MB (not part of the worker'"'"'s figures)\n' "$(mb_of_kb "$feed_rss_kb")" "$(mb_of_kb "$feed_hwm_kb")"
    printf '  redis-server     RSS %s MB, used_memory %s\n' "$(mb_of_kb "$redis_rss_kb")" "$redis_used_memory"
    echo
    echo "Live key"
    printf '  %s changed in %s of %s one-second intervals; longest unchanged stretch %s s\n' \
      "$LIVE_KEY" "$live_changes" "$live_intervals" "$live_longest_unchanged"
    echo
    echo "Commands over the window (INFO commandstats deltas), by calls"
    printf '  %-16s %10s %10s %12s %10s\n' command calls calls/s usec usec/call
    grep '^cmd ' "$tmp_dir/deltas.txt" | sort -k3,3nr | awk -v s="$elapsed" '
      { printf "  %-16s %10d %10.1f %12d %10.1f\n", $2, $3, $3 / s, $4, ($3 > 0 ? $4 / $3 : 0) }'
    if [ -n "$monitor_note" ]; then
      echo
      echo "$monitor_note"
    elif [ -s "$monitor_file" ]; then
      local monitor_total
      monitor_total=$(awk '{ t += $4 } END { print t + 0 }' "$monitor_file")
      echo
      echo "Bytes by command and key (MONITOR, ${monitor_seconds} s after the window; bytes of the arguments; Redis received $monitor_input bytes meanwhile)"
      printf '  %-8s %-28s %8s %14s %7s %10s\n' command key calls bytes share MB/min
      head -n 20 "$monitor_file" | awk -v total="$monitor_total" -v s="$monitor_seconds" '
        { printf "  %-8s %-28s %8d %14d %6.1f%% %10.1f\n", $1, $2, $3, $4, (total > 0 ? 100 * $4 / total : 0), $4 / s * 60 / 1e6 }'
      printf '  %-8s %-28s %8s %14d\n' total "" "" "$monitor_total"
    fi
    echo
    echo "$summary"
  } >"$report"
}

main() {
  local feed_dll worker_dll
  if $build; then build_samples; fi
  feed_dll=$(target_path "$FEED_PROJECT")
  worker_dll=$(target_path "$WORKER_PROJECT")
  [ -f "$feed_dll" ] || fail "$feed_dll not found (run without --no-build)"
  [ -f "$worker_dll" ] || fail "$worker_dll not found (run without --no-build)"

  start_redis
  start_feed_server "$feed_dll"
  start_worker "$worker_dll"
  wait_for_chart_keys
  log "settling for ${settle} s"
  pause "$settle"
  require_running "$worker_pid" "the sync worker" "$tmp_dir/worker.log"
  log "measuring for ${seconds} s"
  measure_window
  sample_monitor

  mkdir -p "$OUT_DIR"
  local report
  report="$OUT_DIR/worker-$(date -u +%Y%m%d-%H%M%S).txt"
  write_report "$report"
  cat "$report"
  log "report written to $report"
}

main
