#!/usr/bin/env bash
# OrderFlow build entry point.
#
#   ./build.sh test     install what the tests need when it is missing, build, run every test project,
#                       and print "N passed, N failed" (exit non-zero when a test failed or none ran)
#   ./build.sh bench    run every benchmark in a short job and compare it with benchmarks/baseline.json
#   ./build.sh pack     build the NuGet packages into artifacts/packages
#
# Works on a fresh Debian machine that has only the .NET SDK: system packages the tests need are
# installed with apt-get (as root) when missing.
set -euo pipefail
cd "$(dirname "$0")"
root=$(pwd)

log() { printf '==> %s\n' "$*" >&2; }

# Debian packages the test suite needs, as "command:package" pairs. Installed only when the command is missing.
TEST_SYSTEM_DEPS=("redis-server:redis-server" "chromium:chromium" "node:nodejs" "npm:npm")

ensure_system_deps() {
  local missing=() pair cmd pkg
  for pair in "$@"; do
    cmd=${pair%%:*}; pkg=${pair#*:}
    command -v "$cmd" >/dev/null 2>&1 || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing missing system packages: ${missing[*]}"
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

# Sums the counters of every TRX file under $1 and prints "N passed, N failed".
summarise_trx() {
  local dir=$1 passed=0 failed=0 total=0 executed=0 f line
  shopt -s nullglob
  for f in "$dir"/*.trx; do
    line=$(grep -o '<Counters [^>]*>' "$f" | head -n 1)
    [ -n "$line" ] || continue
    passed=$((passed + $(sed -E 's/.* passed="([0-9]+)".*/\1/' <<<"$line")))
    failed=$((failed + $(sed -E 's/.* failed="([0-9]+)".*/\1/' <<<"$line")))
    total=$((total + $(sed -E 's/.* total="([0-9]+)".*/\1/' <<<"$line")))
    executed=$((executed + $(sed -E 's/.* executed="([0-9]+)".*/\1/' <<<"$line")))
  done
  local notrun=$((total - executed))
  [ "$notrun" -gt 0 ] && log "$notrun test(s) did not run (skipped or not executed)"
  echo "$passed passed, $failed failed"
  [ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
}

cmd_test() {
  ensure_system_deps "${TEST_SYSTEM_DEPS[@]+"${TEST_SYSTEM_DEPS[@]}"}"
  local results="$root/artifacts/test-results"
  rm -rf "$results"
  mkdir -p "$results"
  log "building (Release)"
  dotnet build OrderFlow.sln -c Release -nologo -v quiet
  log "running tests"
  local rc=0
  # One test project at a time (-m:1): the hostile-load tests (2,000 WebSockets, feed floods, zstd bombs) must not
  # starve another project's end-to-end tests, which run real sockets and redis-server on the same two cores.
  dotnet test OrderFlow.sln -c Release --no-build -nologo -m:1 \
    --logger "trx" --logger "console;verbosity=minimal" \
    --results-directory "$results" \
    --blame-hang --blame-hang-timeout 10m || rc=$?
  local summary_rc=0
  summarise_trx "$results" || summary_rc=$?
  [ "$rc" -eq 0 ] && [ "$summary_rc" -eq 0 ]
}

cmd_bench() {
  exec bash "$root/benchmarks/bench.sh" "$@"
}

cmd_pack() {
  dotnet pack OrderFlow.sln -c Release -nologo -o "$root/artifacts/packages"
}

case "${1:-}" in
  test) shift; cmd_test "$@" ;;
  bench) shift; cmd_bench "$@" ;;
  pack) shift; cmd_pack "$@" ;;
  *) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
