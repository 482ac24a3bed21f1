#!/usr/bin/env bash
# Regenerates src/*/PublicAPI.Unshipped.txt from the analyzer's findings: adds every public symbol the build reports
# as undeclared (RS0016) and drops every declared one that no longer exists (RS0017). Review the diff like code.
set -euo pipefail
cd "$(dirname "$0")/.."
for proj in src/*/*.csproj; do
  dir=$(dirname "$proj")
  unshipped="$dir/PublicAPI.Unshipped.txt"
  [ -f "$unshipped" ] || printf '#nullable enable\n' > "$unshipped"
  # Only this project's findings: a build also reports those of the projects it references.
  log=$(dotnet build "$proj" -c Release -nologo -p:TreatWarningsAsErrors=false -p:WarningsAsErrors= --no-incremental 2>&1 | grep -F "[$(pwd)/$proj]" || true)
  added=$(grep -oE "RS0016: Symbol '[^']+'" <<<"$log" | sed -E "s/RS0016: Symbol '(.*)'/\1/" | sort -u || true)
  removed=$(grep -oE "RS0017: Symbol '[^']+'" <<<"$log" | sed -E "s/RS0017: Symbol '(.*)'/\1/" | sort -u || true)
  {
    echo '#nullable enable'
    { grep -v "^#nullable" "$unshipped" || true; if [ -n "$added" ]; then echo "$added"; fi; } \
      | grep -vxF -f <(printf '%s\n' "$removed" | sed '/^$/d'; echo '@@none@@') | sed '/^$/d' | LC_ALL=C sort -u
  } > "$unshipped.tmp"
  mv "$unshipped.tmp" "$unshipped"
  echo "$dir: +$(printf '%s' "$added" | grep -c . || true) -$(printf '%s' "$removed" | grep -c . || true)"
done
