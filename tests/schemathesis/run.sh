#!/usr/bin/env bash
# The OpenAPI document against the server it describes: starts the debug binary on a
# free port with a fresh SQLite database and file mail, creates an admin with an API
# token and a little data through the CLI, and runs schemathesis with every check
# against /api/openapi.json. Any failure fails the script (and CI).
#
# Every operation in the document is tested; nothing is excluded. DELETE
# /api/v1/session only ends a session cookie, so it leaves the bearer token alone.
#
# Options through the environment: ST_MAX_EXAMPLES (default 50), ST_SEED (default
# fixed, so that a CI run can be repeated; set ST_SEED=random for a new one),
# ST_PORT (default: a free one).
set -euo pipefail
cd "$(dirname "$0")/../.."
root="$(pwd)"

schemathesis_version="4.32.5"
venv="${ST_VENV:-$root/target/schemathesis-venv}"
binary="$root/target/debug/shukudai"
max_examples="${ST_MAX_EXAMPLES:-50}"
seed="${ST_SEED:-20261201}"

# The binary `cargo test` built; a no-op when it is current.
cargo build --quiet --bin shukudai

if ! "$venv/bin/st" --version 2>/dev/null | grep -qF "$schemathesis_version"; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$schemathesis_version"
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/shukudai-schemathesis.XXXXXX")"
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

port="${ST_PORT:-$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}"
export SHUKUDAI_CONFIG_DIR="$root/config"
unset SHUKUDAI_ENV
export SHUKUDAI__DATABASE__URL="sqlite://$work/shukudai.db?mode=rwc"
export SHUKUDAI__SERVER__LISTEN="127.0.0.1:$port"
export SHUKUDAI__SERVER__PUBLIC_URL="http://127.0.0.1:$port"
export SHUKUDAI__MAIL__TRANSPORT=file
export SHUKUDAI__MAIL__FILE_DIR="$work/outbox"
export SHUKUDAI__REMINDERS__ENABLED=false
export SHUKUDAI__SECURITY__SECRET_KEY="schemathesis-run-only-$(date +%s%N)"

# Accounts and data, so that ids exist for the operations that take one.
"$binary" department add --name 政策経営部情報管理課 --alias 事務局 --email joho@example.jp >/dev/null
"$binary" department add --name 区民部 --email kumin@example.jp >/dev/null
echo 'schemathesis-admin-pass' |
  "$binary" user add --login admin --name 管理者 --email admin@example.jp --role admin >/dev/null
token="$("$binary" user token admin)"
"$binary" import tests/fixtures/minutes/*.txt >/dev/null

"$binary" serve >"$work/serve.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 100); do
  curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
  if ! kill -0 "$server_pid" 2>/dev/null; then
    cat "$work/serve.log" >&2
    echo "FAIL: shukudai serve did not start" >&2
    exit 1
  fi
  sleep 0.1
done

# Open tasks too, so that the steps on open tasks (notes, completion) are reached.
api="http://127.0.0.1:$port/api/v1"
drafts="$(curl -fsS -H "Authorization: Bearer $token" "$api/tasks?status=draft&page_size=3" |
  python3 -c 'import json, sys; print(" ".join(str(t["id"]) for t in json.load(sys.stdin)["items"]))')"
for id in $drafts; do
  curl -fsS -o /dev/null -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
    -d '{"owner": "区民部", "due_kind": "asap"}' "$api/tasks/$id/confirm"
done

seed_args=()
if [ "$seed" != random ]; then
  seed_args=(--seed "$seed")
fi
status=0
# From the temporary folder, where schemathesis keeps its cache.
(cd "$work" && "$venv/bin/st" --no-color --config-file "$root/tests/schemathesis/schemathesis.toml" run \
  "http://127.0.0.1:$port/api/openapi.json" \
  -H "Authorization: Bearer $token" \
  --checks all \
  --max-examples "$max_examples" \
  "${seed_args[@]}" \
  --report junit --report-dir "$root/target/schemathesis-report") || status=$?
if [ "$status" -ne 0 ]; then
  echo "== last lines of the server log" >&2
  tail -n 40 "$work/serve.log" >&2
fi
exit "$status"
