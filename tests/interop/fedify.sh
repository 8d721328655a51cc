#!/usr/bin/env bash
# Interoperability with an independent ActivityPub implementation: the Fedify-based peer in
# ../shared/interop/fedify-peer. Starts a Gotong node in dev mode and checks that
#   1. the peer can follow the organisation, signing with RFC 9421 first, and gets an Accept;
#   2. the same, signing with draft-cavage-http-signatures-12 first;
#   3. the organisation can follow a peer that stays up (by its WebFinger handle) and gets
#      Accepted, and an update it publishes reaches that peer (which follows it as well).
# Environment: GOTONG_LOG (node log filter), FEDIFY_LOG (peer log level), KEEP_TMP=1 (keep files).
set -euo pipefail

ROOT="$(git -C "$(dirname "$0")" rev-parse --show-toplevel 2>/dev/null || (cd "$(dirname "$0")/../.." && pwd))"
PEER_SRC="$ROOT/../shared/interop/fedify-peer"
[ -d "$PEER_SRC" ] || PEER_SRC=/work/shared/interop/fedify-peer
[ -f "$PEER_SRC/peer.mjs" ] || { echo "fedify interop: peer not found at $PEER_SRC" >&2; exit 1; }

TMP="$(mktemp -d)"
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ "${KEEP_TMP:-0}" = 1 ]; then echo "fedify interop: files kept in $TMP"; else rm -rf "$TMP"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
free_port() { local p=$1; until port_free "$p"; do p=$((p + 1)); done; echo "$p"; }
wait_until() { # wait_until SECONDS COMMAND...: true once COMMAND succeeds, false after SECONDS
  local deadline=$((SECONDS + $1)); shift
  until "$@"; do [ "$SECONDS" -lt "$deadline" ] || return 1; sleep 0.5; done
}

NODE_PORT="$(free_port 18080)"
P1="$(free_port 19101)"; P2="$(free_port $((P1 + 1)))"; P3="$(free_port $((P2 + 1)))"
export GOTONG_DOMAIN="localhost:$NODE_PORT" GOTONG_LISTEN="127.0.0.1:$NODE_PORT"
export GOTONG_DATABASE_URL="sqlite://$TMP/node.db" GOTONG_DEV=true GOTONG_DELIVERY_RETRY_BASE_SECS=1
export GOTONG_ORG_HANDLE=interop GOTONG_ORG_NAME="Interop Test Organisation"
export GOTONG_LOG="${GOTONG_LOG:-info,sqlx=warn}" GOTONG_CONFIG="$TMP/none.toml"
BASE="http://$GOTONG_DOMAIN"
ORG="$BASE/o/$GOTONG_ORG_HANDLE"
NODE_LOG="$TMP/node.log"

echo "fedify interop: building Gotong"
(cd "$ROOT" && cargo build --quiet)
GOTONG="$ROOT/target/debug/gotong"

echo "fedify interop: installing the peer from $PEER_SRC in $TMP/peer"
cp -r "$PEER_SRC" "$TMP/peer" && chmod -R u+w "$TMP/peer"
(cd "$TMP/peer" && npm install --no-audit --no-fund --loglevel=error >"$TMP/npm.log" 2>&1) \
  || { cat "$TMP/npm.log" >&2; echo "fedify interop: npm install failed" >&2; exit 1; }

die() { echo "fedify interop: $*" >&2; exit 1; }
"$GOTONG" account create --username ed --role editor --password 'interop test password' >/dev/null \
  || die "gotong account create failed"
TOKEN="$("$GOTONG" token create --username ed | tail -n1)" && [ -n "$TOKEN" ] || die "gotong token create failed"
"$GOTONG" serve >"$NODE_LOG" 2>&1 &
NODE_PID=$!; PIDS+=("$NODE_PID")
org_up() { curl -sf -o /dev/null -H 'Accept: application/activity+json' "$ORG"; }
if ! wait_until 30 org_up; then
  tail -n 50 "$NODE_LOG" >&2; die "node did not serve $ORG within 30 s"
fi
echo "fedify interop: node up at $BASE (organisation $ORG), peers on ports $P1 $P2 $P3"

api() { # api METHOD PATH [JSON]: prints the body; fails on a non-2xx status
  curl -sS --fail-with-body -X "$1" -H "Authorization: Bearer $TOKEN" \
    -H 'Content-Type: application/json' ${3:+--data "$3"} "$BASE$2"
}
json() { # json EXPR: evaluates EXPR on the JSON document on stdin (as `d`) and prints the result
  node -e 'let s="";process.stdin.on("data",c=>s+=c).on("end",()=>{const d=JSON.parse(s);
    const r=eval(process.argv[1]);console.log(r===undefined?"":r)})' "$1"
}

PASSED=0; FAILED=0
pass() { PASSED=$((PASSED + 1)); echo "PASS: $1"; }
fail() { # fail STEP MESSAGE PEER_OUTPUT_FILE
  FAILED=$((FAILED + 1))
  echo "FAIL: $1: $2" >&2
  echo "---- peer output ($3)" >&2
  grep -v -e 'Using preloaded context' -e 'logtape·meta' "$3" >&2 || true
  echo "---- node log (last 60 lines)" >&2; tail -n 60 "$NODE_LOG" | sed 's/\x1b\[[0-9;]*m//g' >&2
  echo "----" >&2
}

follow_org() { # follow_org STEP PORT SCHEME
  local out="$TMP/peer-$2.out"
  if (cd "$TMP/peer" && FEDIFY_LOG="${FEDIFY_LOG:-debug}" node peer.mjs --host localhost --port "$2" \
        --follow "$ORG" --first-knock "$3" --timeout 20 >"$out" 2>&1); then
    local how="signed with $3"  # Fedify logs at debug level when it falls back to the other scheme
    grep -q "spec '$3' (401 'Unauthorized'); retrying" "$out" && how="$3 refused with 401, retried with the other scheme"
    pass "$1: peer (first knock $3) followed $ORG and got an Accept ($how)"
  else
    fail "$1" "peer (first knock $3) did not get an Accept for its Follow of $ORG (exit $?)" "$out"
  fi
}
follow_org "step 1" "$P1" rfc9421
follow_org "step 2" "$P2" draft-cavage-http-signatures-12

step3() {
  local out="$TMP/peer-$P3.out" handle="tester@localhost:$P3" actor="http://localhost:$P3/users/tester"
  # The peer follows the organisation too: an update is delivered to the organisation's followers.
  (cd "$TMP/peer" && exec node peer.mjs --host localhost --port "$P3" --accept-follow --stay \
    --follow "$ORG" --timeout 20 >"$out" 2>&1) &
  PIDS+=("$!")
  wait_until 25 grep -qs "PASS: got Accept" "$out" \
    || { fail "step 3" "peer on port $P3 did not start or got no Accept for its Follow of $ORG" "$out"; return; }
  local resp
  resp="$(api POST /api/v1/following "{\"handle\":\"$handle\"}" 2>&1)" \
    || { fail "step 3" "POST /api/v1/following {\"handle\":\"$handle\"} failed: $resp" "$out"; return; }
  following_state() { api GET /api/v1/following | json "(d.find(f=>f.actor===\"$actor\")||{}).state"; }
  accepted() { [ "$(following_state 2>/dev/null)" = accepted ]; }
  wait_until 30 accepted || { fail "step 3" "following $handle not accepted within 30 s \
(state: '$(following_state 2>&1)'; POST answered: $resp)" "$out"; return; }
  resp="$(api POST /api/v1/updates '{"text":"Hello from the Gotong interop test"}' 2>&1)" \
    || { fail "step 3" "POST /api/v1/updates failed: $resp" "$out"; return; }
  wait_until 30 grep -qs "INBOX Create" "$out" || { fail "step 3" "the peer did not receive the \
update (no 'INBOX Create' within 30 s; published: $resp; deliveries: $("$GOTONG" deliveries 2>&1))" "$out"; return; }
  pass "step 3: organisation followed $handle (accepted); its update reached the peer's inbox"
}
step3

echo "fedify interop: $PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
