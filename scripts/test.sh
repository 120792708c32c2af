#!/usr/bin/env bash
# Runs the tap suite and ends with one line "N passed, N failed, N skipped" (tap's own summary
# is a YAML-like comment). Exits non-zero when any test failed or no summary was printed.
#
# Databases: when a Postgres server is reachable (TEST_DATABASE_URL, or by default
# postgres://postgres@127.0.0.1:5432/test), the whole suite runs against it, each test creating
# and dropping its own database; the tests of the phone path, the admin API and security then
# run a second time on the embedded PGlite. Without Postgres, everything runs on PGlite.
#
# Arguments are passed to tap: `npm test -- test/api` runs one folder.
set -u
cd "$(dirname "$0")/.."

pglite_tests=(test/provisioning/*.test.ts test/api/*.test.ts test/security/*.test.ts)
out=$(mktemp)
trap 'rm -f "$out"' EXIT

postgres_url=${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test}
if node scripts/probe-postgres.mjs "$postgres_url"; then
  echo "# tests on Postgres ($postgres_url)" | tee -a "$out"
  TEST_DATABASE_URL=$postgres_url npx tap -R tap "$@" 2>&1 | tee -a "$out"
  rc=${PIPESTATUS[0]}
  if [ "$#" -eq 0 ]; then
    echo "# database tests on embedded PGlite" | tee -a "$out"
    env -u TEST_DATABASE_URL npx tap -R tap "${pglite_tests[@]}" 2>&1 | tee -a "$out"
    pglite_rc=${PIPESTATUS[0]}
    [ "$rc" = 0 ] && rc=$pglite_rc
  fi
else
  echo "# no Postgres reachable at $postgres_url: all tests on embedded PGlite" | tee -a "$out"
  env -u TEST_DATABASE_URL npx tap -R tap "$@" 2>&1 | tee -a "$out"
  rc=${PIPESTATUS[0]}
fi

summaries=$(grep -E '^# \{ total: [0-9]+' "$out")
sum() { echo "$summaries" | grep -oE "$1: [0-9]+" | grep -oE '[0-9]+' | awk '{ s += $1 } END { print s + 0 }'; }

if [ -z "$summaries" ]; then
  echo "0 passed, 1 failed"
  [ "$rc" = 0 ] && rc=1
else
  echo "$(sum pass) passed, $(sum fail) failed, $(sum skip) skipped"
fi
exit "$rc"
