#!/usr/bin/env bash
# Starts `npm start` on spare ports, sends the push sample with `npm run send`, waits for it to be previewed, and stops.
set -euo pipefail
cd "$(dirname "$0")/.."
export PORT="${SMOKE_PORT:-3917}" SQS_PORT="${SMOKE_SQS_PORT:-9917}" DYNAMODB_PORT="${SMOKE_DYNAMODB_PORT:-8917}"
# a state directory of its own, so the smoke run neither reads nor leaves a developer's conversations
VIGIL_STATE_DIR=$(mktemp -d)
export VIGIL_STATE_DIR
log=$(mktemp)
# its own process group, so npm, its shell and node all stop together
setsid npm start >"$log" 2>&1 &
pid=$!
stop() {
  kill -TERM -- "-$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  # node outlives npm for a moment while it shuts down: wait until the port is free
  for _ in $(seq 1 40); do curl -s "http://127.0.0.1:$PORT/health" >/dev/null || return 0; sleep 0.25; done
}
trap 'stop; rm -rf "$VIGIL_STATE_DIR"' EXIT

for _ in $(seq 1 60); do
  curl -sf "http://127.0.0.1:$PORT/health" >/dev/null && break
  sleep 0.5
done
curl -sf "http://127.0.0.1:$PORT/health" >/dev/null || { cat "$log"; echo "smoke: the local stack did not start"; exit 1; }

# the README's try-it: signed with the development secret, exit status non-zero unless Vigil answers 2xx
npm run -s send -- events/github/push.json
for _ in $(seq 1 40); do
  grep -q "Cliq preview · channel default · github.push" "$log" && { echo "smoke: npm start accepted, queued and previewed a signed push"; exit 0; }
  sleep 0.5
done
cat "$log"
echo "smoke: the push was not previewed"
exit 1
