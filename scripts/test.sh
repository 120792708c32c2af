#!/usr/bin/env bash
# Runs the tap suite and ends with one line "N passed, N failed, N skipped" (tap's own
# summary is a YAML-like comment). The exit code is tap's, or 1 when no summary was seen.
#
# Database: with TEST_DATABASE_URL set, every test runs against that Postgres server (each
# test file creates and drops its own database there); without it, on embedded PGlite.
set -u
cd "$(dirname "$0")/.."

out=$(mktemp)
trap 'rm -f "$out"' EXIT

npx tap -R tap "$@" 2>&1 | tee "$out"
rc=${PIPESTATUS[0]}

summary=$(grep -E '^# \{ total: [0-9]+' "$out" | tail -n 1)
count() { echo "$summary" | grep -oE "$1: [0-9]+" | grep -oE '[0-9]+' || echo 0; }

if [ -z "$summary" ]; then
  echo "0 passed, 1 failed"
  [ "$rc" = 0 ] && rc=1
else
  echo "$(count pass) passed, $(count fail) failed, $(count skip) skipped"
fi
exit "$rc"
