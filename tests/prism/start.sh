#!/usr/bin/env bash
# Starts the pinned Stoplight Prism mock server (see package.json / package-lock.json
# beside this file) on an OpenAPI document, in the background, for the Rust tests.
#
# Usage: start.sh SPEC PORTFILE
#
#   SPEC      the OpenAPI document to mock (e.g. spec/linq-partner-v2.yaml)
#   PORTFILE  where to write the TCP port Prism listens on (127.0.0.1). The PID of the
#             Prism process goes to PORTFILE.pid, its stdout/stderr to PORTFILE.log.
#
# On success it exits 0 with Prism still running; PORTFILE is written last, only once
# Prism answers HTTP, so a reader that sees it can connect at once. Stop Prism with
# `kill "$(cat PORTFILE.pid)"`. On failure it exits non-zero, says why on stderr and
# leaves no Prism running.
#
# Flags given to `prism mock`: `--errors`. In Prism 5.14.2 request validation is always
# on in mock mode: a missing X-LINQ-INTEGRATION-TOKEN gives 401 and a body that breaks
# the schema gives 422 with or without the flag. `--errors` adds that a mocked *response*
# that breaks the spec's own response schema becomes a 500 problem+json (instead of only
# an sl-violations header), so a wrong example in the spec cannot pass silently.
# Responses are static (the spec's examples), not `--dynamic`, so they are deterministic.
set -euo pipefail

readonly READY_TIMEOUT_S=60
readonly START_ATTEMPTS=3

die() {
  echo "start.sh: error: $*" >&2
  exit 1
}

[[ $# -eq 2 ]] || die "usage: start.sh SPEC PORTFILE"

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

abspath() {
  # Absolute path of $1 (the file itself need not exist, its folder must).
  local dir
  dir="$(cd "$(dirname "$1")" 2>/dev/null && pwd)" || die "no such folder: $(dirname "$1")"
  printf '%s/%s\n' "$dir" "$(basename "$1")"
}

spec="$(abspath "$1")"
portfile="$(abspath "$2")"
[[ -f $spec ]] || die "spec not found: $spec"
command -v node >/dev/null || die "node is not installed (Prism needs Node.js >= 18)"
command -v python3 >/dev/null || die "python3 is not installed (used to pick a free port)"

prism="$here/node_modules/.bin/prism"

# Install the pinned Prism from package-lock.json when it is missing. The lock on
# package-lock.json keeps two concurrent callers from running `npm ci` at once.
if [[ ! -x $prism ]]; then
  command -v npm >/dev/null || die "npm is not installed and $prism is missing"
  (
    cd "$here"
    if command -v flock >/dev/null; then
      exec 9<package-lock.json
      flock 9
    fi
    if [[ ! -x $prism ]]; then
      echo "start.sh: installing Prism with npm ci in $here" >&2
      npm ci --no-audit --no-fund >&2
    fi
  ) || die "npm ci failed in $here"
  [[ -x $prism ]] || die "npm ci did not install $prism"
fi

free_port() {
  python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()'
}

# Exit status 0 once anything answers HTTP on the port (any status: Prism gives 404
# for a path that is not in the spec), non-zero otherwise.
answers() {
  python3 - "$1" <<'EOF'
import sys, urllib.request, urllib.error
try:
    urllib.request.urlopen("http://127.0.0.1:%s/" % sys.argv[1], timeout=2)
except urllib.error.HTTPError:
    pass
except Exception:
    sys.exit(1)
EOF
}

rm -f "$portfile" "$portfile.pid"

pid=""
stop_prism() {
  if [[ -n $pid ]]; then
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    pid=""
  fi
}
trap stop_prism EXIT

started_at=$SECONDS
for attempt in $(seq 1 "$START_ATTEMPTS"); do
  port="$(free_port)" || die "could not pick a free port on 127.0.0.1"
  # Prism's stdin is /dev/null and its stdout/stderr go to the log, so it holds none
  # of the caller's pipes open (a caller that reads this script's output to EOF does
  # not wait for Prism). $! is Prism's own node process: the prism bin is a node script.
  # It stays in the caller's process group, so a Ctrl-C on `cargo test` ends it too.
  "$prism" mock "$spec" --host 127.0.0.1 --port "$port" --errors \
    </dev/null >"$portfile.log" 2>&1 &
  pid=$!

  deadline=$((SECONDS + READY_TIMEOUT_S))
  while ((SECONDS < deadline)); do
    if ! kill -0 "$pid" 2>/dev/null; then
      break
    fi
    if answers "$port"; then
      echo "$pid" >"$portfile.pid.tmp" && mv "$portfile.pid.tmp" "$portfile.pid"
      echo "$port" >"$portfile.tmp" && mv "$portfile.tmp" "$portfile"
      echo "start.sh: Prism (pid $pid) is listening on 127.0.0.1:$port after $((SECONDS - started_at)) s; log: $portfile.log" >&2
      trap - EXIT
      exit 0
    fi
    sleep 0.25
  done

  if kill -0 "$pid" 2>/dev/null; then
    stop_prism
    die "Prism did not answer on 127.0.0.1:$port within ${READY_TIMEOUT_S} s; last lines of $portfile.log:
$(tail -n 20 "$portfile.log")"
  fi
  wait "$pid" 2>/dev/null || true
  pid=""
  # Another process may have taken the port between picking and binding: try again.
  if grep -q EADDRINUSE "$portfile.log" && ((attempt < START_ATTEMPTS)); then
    echo "start.sh: port $port was taken, trying another one" >&2
    continue
  fi
  die "Prism exited before it answered; last lines of $portfile.log:
$(tail -n 20 "$portfile.log")"
done
die "Prism could not get a free port after $START_ATTEMPTS attempts"
