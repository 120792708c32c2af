#!/usr/bin/env bash
# Checks the production start-up path that the Dockerfile uses, without Docker: compiles the
# tree to dist/, stages the files the image's runtime stage contains, installs them with
# `npm ci --omit=dev`, starts `node bin/htek-dms.js serve` against Postgres and waits for
# /readyz to return 200, then stops it with SIGTERM and expects exit code 0.
#
# Postgres: the server of TEST_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test);
# the script creates and drops a database of its own next to it. Needs the npm registry for
# `npm ci`. Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."

admin_url=${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test}
stage=$(mktemp -d /tmp/htek-production-start.XXXXXX)
database=htek_prodstart_$$
server_pid=

run_sql() {
  (cd "$stage" && node --input-type=module -e "
    import pg from 'pg';
    const client = new pg.Client({ connectionString: process.argv[1], connectionTimeoutMillis: 5000 });
    await client.connect();
    await client.query(process.argv[2]);
    await client.end();" "$admin_url" "$1")
}

cleanup() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then kill -KILL "$server_pid"; fi
  if [ -d "$stage/node_modules/pg" ]; then run_sql "drop database if exists $database with (force)" || true; fi
  rm -rf "$stage"
}
trap cleanup EXIT

echo "== build dist/ into $stage"
npx tsc -p tsconfig.build.json --outDir "$stage/dist"
cp package.json package-lock.json "$stage/"
cp -r bin templates "$stage/"
if [ -d web ]; then cp -r web "$stage/"; fi

echo "== npm ci --omit=dev"
(cd "$stage" && npm ci --omit=dev --no-audit --no-fund --loglevel=error)
for dev_package in typescript tap pino-pretty fast-xml-parser; do
  if [ -e "$stage/node_modules/$dev_package" ]; then
    echo "FAIL: dev dependency $dev_package was installed by npm ci --omit=dev" >&2
    exit 1
  fi
done

echo "== start against Postgres"
run_sql "create database $database"
database_url=$(node -e 'const url = new URL(process.argv[1]); url.pathname = "/" + process.argv[2]; console.log(url.href)' "$admin_url" "$database")
port=$(node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })')
log="$stage/server.log"

(cd "$stage" && NODE_ENV=production DATABASE_URL="$database_url" HOST=127.0.0.1 PORT="$port" \
  HTEK_DMS_LOG_FORMAT=json exec node bin/htek-dms.js serve) >"$log" 2>&1 &
server_pid=$!

status=
for _ in $(seq 1 60); do
  status=$(node -e 'fetch(process.argv[1]).then((r) => console.log(r.status), () => console.log("down"))' "http://127.0.0.1:$port/readyz")
  [ "$status" = 200 ] && break
  if ! kill -0 "$server_pid" 2>/dev/null; then break; fi
  sleep 1
done
if [ "$status" != 200 ]; then
  echo "FAIL: /readyz returned $status; server log:" >&2
  cat "$log" >&2
  exit 1
fi
echo "/readyz: 200"

phone_status=$(node -e 'fetch(process.argv[1]).then((r) => console.log(r.status))' "http://127.0.0.1:$port/cfg001fc1000001.xml")
if [ "$phone_status" != 404 ]; then
  echo "FAIL: an unknown phone got $phone_status instead of 404" >&2
  exit 1
fi

echo "== SIGTERM"
kill -TERM "$server_pid"
exit_code=0
wait "$server_pid" || exit_code=$?
server_pid=
if [ "$exit_code" != 0 ]; then
  echo "FAIL: server exited with $exit_code after SIGTERM; server log:" >&2
  cat "$log" >&2
  exit 1
fi
grep -q '"msg":"htek-dms stopped"' "$log" || { echo "FAIL: no 'htek-dms stopped' log line" >&2; exit 1; }
echo "production start: ok"
