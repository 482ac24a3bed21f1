#!/usr/bin/env bash
# Benchmark tracking: ./build.sh bench [--full] [--update-baseline] [--filter PATTERN]... [--tolerance PERCENT]
#
# Builds benchmarks/OrderFlow.Benchmarks in Release and runs every benchmark in BenchmarkDotNet's short job with
# 250 ms iterations (sized for CI: about 5 minutes on 2 cores) with the memory diagnoser and the JSON exporter. Then
# benchmarks/OrderFlow.Benchmarks.Tracking compares the results with benchmarks/baseline.json and writes
# benchmarks/results/latest.json, benchmarks/results/latest.md and the table of benchmarks/README.md.
#
#   --full             BenchmarkDotNet's default job instead of the short one (longer, more precise; for local runs)
#   --update-baseline  write benchmarks/baseline.json from this run
#   --filter PATTERN   run only the benchmarks matching PATTERN (BenchmarkDotNet glob on Namespace.Type.Method,
#                      repeatable): a partial run, which leaves the README alone (ratios need the class's baseline
#                      method to match too)
#   --tolerance PCT    ratio regression, in percent, that triggers a warning (default 30)
#
# A watchdog stops a run that hangs: BENCH_TIMEOUT (a `timeout` duration; default 30m for the short job, 180m with
# --full) bounds the benchmark process, which is killed 30 s after it is asked to stop; the run then fails.
# Exit status is non-zero only when the benchmarks fail to build or run, or when the tracking tool reports a
# failure (an allocation-free benchmark that now allocates, a benchmark without result). Ratio regressions warn.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '==> %s\n' "$*" >&2; }
usage() { sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; }

full=false
update=false
tolerance=30
filters=()
while [ $# -gt 0 ]; do
  case "$1" in
    --full) full=true ;;
    --update-baseline) update=true ;;
    --filter)
      [ $# -ge 2 ] || { echo "bench: --filter needs a pattern" >&2; exit 2; }
      filters+=("$2"); shift ;;
    --filter=*) filters+=("${1#--filter=}") ;;
    --tolerance)
      [ $# -ge 2 ] || { echo "bench: --tolerance needs a percentage" >&2; exit 2; }
      tolerance=$2; shift ;;
    --tolerance=*) tolerance=${1#--tolerance=} ;;
    -h|--help) usage; exit 0 ;;
    *) echo "bench: unknown option '$1'" >&2; usage >&2; exit 2 ;;
  esac
  shift
done

bench_project=benchmarks/OrderFlow.Benchmarks/OrderFlow.Benchmarks.csproj
tracking_project=benchmarks/OrderFlow.Benchmarks.Tracking/OrderFlow.Benchmarks.Tracking.csproj
out_dir=artifacts/bench
bdn_dir=$out_dir/bdn
bdn_log=$out_dir/benchmarks.log
started=$SECONDS

mkdir -p "$out_dir"
log "building benchmarks and the tracking tool (Release)"
for project in "$bench_project" "$tracking_project"; do
  if ! dotnet build "$project" -c Release -nologo -v quiet >"$out_dir/build.log" 2>&1; then
    cat "$out_dir/build.log" >&2
    log "build failed: $project"
    exit 1
  fi
done
bench_dll=$(dotnet msbuild "$bench_project" -nologo -getProperty:TargetPath -p:Configuration=Release)
tracking_dll=$(dotnet msbuild "$tracking_project" -nologo -getProperty:TargetPath -p:Configuration=Release)

partial=false
if [ ${#filters[@]} -eq 0 ]; then
  filters=('*')
else
  partial=true
fi
if $full; then
  job_args=()
  job_name="default job"
else
  # Short iterations (250 ms instead of 500 ms) keep the whole set within ~5 minutes on 2 cores; the ratios that the
  # tracking compares are measured within one run, so they survive the extra noise.
  job_args=(--job short --iterationTime 250)
  job_name="short job, 250 ms iterations"
fi

rm -rf "$bdn_dir"
mkdir -p "$bdn_dir"
log "running benchmarks (${job_name}, filter: ${filters[*]}); full output in $bdn_log"
set +e
limit=${BENCH_TIMEOUT:-$($full && echo 180m || echo 30m)}
timeout --kill-after=30s "$limit" dotnet "$bench_dll" --filter "${filters[@]}" ${job_args[@]+"${job_args[@]}"} --memory --exporters json --artifacts "$bdn_dir" 2>&1 \
  | tee "$bdn_log" \
  | grep --line-buffered -E '^// (Benchmark: |\*\* Remained|   \* )|^The filter .* returned 0'
bench_rc=${PIPESTATUS[0]}
set -e
if [ "$bench_rc" -eq 124 ] || [ "$bench_rc" -eq 137 ]; then
  tail -n 40 "$bdn_log" >&2
  log "the benchmarks did not finish within $limit (BENCH_TIMEOUT): stopped; full output in $bdn_log"
  exit 1
fi
if [ "$bench_rc" -ne 0 ]; then
  tail -n 40 "$bdn_log" >&2
  log "the benchmarks failed to run (exit code $bench_rc); full output in $bdn_log"
  exit 1
fi
log "benchmarks ran in $((SECONDS - started)) s"

track_args=(
  --results "$bdn_dir/results"
  --assembly "$bench_dll"
  --baseline benchmarks/baseline.json
  --output benchmarks/results
  --readme benchmarks/README.md
  --tolerance "$tolerance"
)
$partial && track_args+=(--partial)
$update && track_args+=(--update-baseline)
track_rc=0
dotnet "$tracking_dll" "${track_args[@]}" || track_rc=$?
log "done in $((SECONDS - started)) s"
if [ "$track_rc" -eq 2 ]; then
  log "the benchmark results could not be read; BenchmarkDotNet's output is in $bdn_log"
fi
exit "$track_rc"
