#!/usr/bin/env bash
# Runs the TaskMaster sample app under the TaskMaster agent against a local model server, then
# prints the agent's request and token counters.
#
#   mvn -q -B -DskipTests package     # once, at the repository root
#   sample-app/run-demo.sh            # from any directory
#
# Environment (all optional):
#   DURATION=30s          how long the app runs (30s, 2m, 500ms, ...)
#   METRICS_PORT=9470  port of the agent's /metrics
#   RATE=5                calls per second
#   SCENARIO=stable       model server scenario (see ModelServer --help): latency_step,
#                         latency_creep, verbose, repetition, refusal_rise, empty, truncations,
#                         noisy_stable answer from the seeded traffic model
#   CHANGE_AFTER=0        calls of unchanged traffic before the scenario's change, e.g.
#                         SCENARIO=latency_step CHANGE_AFTER=600 DURATION=4m (the agent learns
#                         its drift baseline from the first 500 calls)
#   NO_AGENT=1            run the app without the agent
#   APP_ARGS="..."        extra flags for the app, e.g. "--stream-share 0.3 --verbose"
#   FEEDBACK_SHARE=0.5    fraction of answers the simulated users rate (thumbs up or down)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

DURATION="${DURATION:-30s}"
METRICS_PORT="${METRICS_PORT:-9470}"
RATE="${RATE:-5}"
SCENARIO="${SCENARIO:-stable}"
CHANGE_AFTER="${CHANGE_AFTER:-0}"
APP_JAR=sample-app/target/taskmaster-sample-app.jar
AGENT_JAR=agent/target/taskmaster-agent.jar
CONFIG=sample-app/agent.properties
METRICS_URL="http://localhost:${METRICS_PORT}/metrics"
FEEDBACK_SHARE="${FEEDBACK_SHARE:-0.5}"

say() { printf '[demo] %s\n' "$*"; }

command -v java >/dev/null || { say "java not found: install a JDK 17 or later"; exit 1; }
if [[ ! -f "$APP_JAR" || ! -d sample-app/target/lib ]]; then
  say "$APP_JAR is missing: run 'mvn -q -B -DskipTests package' at $ROOT first"
  exit 1
fi
AGENT_FLAG=()
if [[ -n "${NO_AGENT:-}" ]]; then
  say "NO_AGENT is set: running without the agent"
elif [[ ! -f "$AGENT_JAR" ]]; then
  say "$AGENT_JAR is missing (run 'mvn -q -B -DskipTests package' at $ROOT): running without the agent"
else
  # The JSON call log goes to a file, so that the app's progress lines stay readable.
  AGENT_LOG="sample-app/target/taskmaster-demo.log"
  AGENT_FLAG=("-javaagent:${AGENT_JAR}=config=${CONFIG},exporter.port=${METRICS_PORT},log.destination=file,log.file=${AGENT_LOG}")
fi

# Seconds as a whole number, from 30s / 2m / 1h / 500ms / 30.
seconds() {
  local d="$1"
  case "$d" in
    *ms) echo $(( ${d%ms} / 1000 )) ;;
    *s) echo "${d%s}" | cut -d. -f1 ;;
    *m) echo $(( $(echo "${d%m}" | cut -d. -f1) * 60 )) ;;
    *h) echo $(( $(echo "${d%h}" | cut -d. -f1) * 3600 )) ;;
    *) echo "$d" | cut -d. -f1 ;;
  esac
}
DURATION_S="$(seconds "$DURATION")"
[[ "$DURATION_S" =~ ^[0-9]+$ ]] || { say "DURATION must look like 30s, 2m, 1h or 500ms, got '$DURATION'"; exit 1; }

WORK="$(mktemp -d "${TMPDIR:-/tmp}/taskmaster-demo.XXXXXX")"
SERVER_PID=""
cleanup() {
  local status=$?
  if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
    say "model server stopped"
  fi
  rm -rf "$WORK"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# GET a URL on localhost with curl, or with bash alone where curl is missing.
fetch() {
  local url="$1"
  if command -v curl >/dev/null; then
    curl -fsS --max-time 5 "$url"
    return
  fi
  local rest="${url#http://}" hostport path
  hostport="${rest%%/*}"
  path="/${rest#*/}"
  exec 3<>"/dev/tcp/${hostport%%:*}/${hostport##*:}" || return 1
  printf 'GET %s HTTP/1.0\r\nHost: %s\r\n\r\n' "$path" "$hostport" >&3
  local response
  response="$(cat <&3)"
  exec 3<&-
  [[ "$response" == "HTTP/1."?" 200"* ]] || return 1
  printf '%s\n' "${response#*$'\r\n\r\n'}"
}

# 1. The model server, on a free port.
java -cp "$APP_JAR" dev.taskmaster.sample.server.ModelServer \
  --port 0 --port-file "$WORK/port" --scenario "$SCENARIO" --change-after "$CHANGE_AFTER" \
  >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 300); do
  [[ -s "$WORK/port" ]] && break
  if ! kill -0 "$SERVER_PID" 2>/dev/null; then
    say "the model server did not start:"
    cat "$WORK/server.log"
    SERVER_PID=""
    exit 1
  fi
  sleep 0.1
done
[[ -s "$WORK/port" ]] || { say "the model server did not report its port within 30 s"; exit 1; }
PORT="$(tr -d '[:space:]' <"$WORK/port")"
say "model server on http://127.0.0.1:${PORT} (scenario ${SCENARIO}; change it live with"
say "  curl -d '{\"scenario\":\"latency_step\"}' http://127.0.0.1:${PORT}/control)"

# 2. The app, in the foreground. Under the agent it lingers a few seconds after its last call,
#    and its "done:" line is the cue to take a snapshot of the agent's metrics.
LINGER=()
FEEDBACK=()
if (( ${#AGENT_FLAG[@]} )); then
  say "metrics while the app runs: ${METRICS_URL}; JSON call log: ${AGENT_LOG}"
  say "status page while the app runs: http://localhost:${METRICS_PORT}/"
  LINGER=(--linger 4s)
  # The simulated users rate answers; the agent joins each rating to its call by request_id.
  FEEDBACK=(--feedback-url "http://127.0.0.1:${METRICS_PORT}/feedback" --feedback-share "$FEEDBACK_SHARE")
fi
APP_STATUS=0
# shellcheck disable=SC2086 # APP_ARGS is a list of flags
java "${AGENT_FLAG[@]}" -jar "$APP_JAR" \
  --base-url "http://127.0.0.1:${PORT}/v1" --duration "$DURATION" --rate "$RATE" "${LINGER[@]}" \
  "${FEEDBACK[@]}" \
  ${APP_ARGS:-} 2>&1 \
  | while IFS= read -r line; do
      printf '%s\n' "$line"
      if (( ${#LINGER[@]} )) && [[ "$line" == *"] done: "* ]]; then
        fetch "$METRICS_URL" >"$WORK/metrics" 2>"$WORK/metrics.err" || true
      fi
    done
APP_STATUS=${PIPESTATUS[0]}

# 3. The snapshot.
if (( ${#LINGER[@]} )); then
  if [[ -s "$WORK/metrics" ]]; then
    say "agent metrics after the last call (${METRICS_URL}):"
    if ! grep -E '^taskmaster_(requests_total|tokens_|cost_|feedback_total|user_satisfaction)' "$WORK/metrics"; then
      say "  (no taskmaster_requests_total or taskmaster_tokens_* lines yet)"
    fi
  else
    say "could not read ${METRICS_URL} while the app ran (is the agent exporting on port ${METRICS_PORT}?)"
    head -c 300 "$WORK/metrics.err" 2>/dev/null | sed "s/^/[demo]   /" || true
  fi
fi

# 4. What the model server saw, printed by the server as it stops.
kill "$SERVER_PID" 2>/dev/null || true
wait "$SERVER_PID" 2>/dev/null || true
SERVER_PID=""
say "model server counted:"
grep -E '^model-server:   ' "$WORK/server.log" | sed -E 's/^model-server: /[demo]/' || true
exit "$APP_STATUS"
