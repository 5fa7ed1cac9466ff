# shellcheck shell=bash
# Shared helpers for bench/run. Sourced, not executed.
#
# A scenario (a function scenario_NAME in bench/run) uses these to start the processes it
# compares, wait until they answer, drive load and record what it measured:
#
#   bench_tmpdir NAME            -> prints a fresh directory under the run's temp dir
#   free_port                    -> prints a loopback port nobody listens on
#   start_bg NAME CWD LOG CMD... -> starts CMD in the background, sets BG_PID; stopped at exit
#   wait_for_url NAME URL PID [TIMEOUT_S]  -> waits for a 2xx from URL while PID lives
#   assert_alive NAME PID        -> fails the run with the log tail if PID has exited
#   run_wrk SCENARIO TARGET ROUND URL [SCRIPT] -> one wrk run, recorded as a sample; fails on errors
#                                   (with the server's CPU seconds per 1,000 requests, see below)
#   run_h2load_open_loop SCENARIO TARGET ROUND URL RATE -> one open-loop run at RATE req/s
#   pg_start NAME                -> a fresh PostgreSQL (initdb, default durability) on a free
#                                   port; sets PG_PID, PG_PORT, PG_URL (database "bench")
#   pg_psql SQL                  -> runs SQL in PG_URL's database
#   run_pgbench SCENARIO TARGET ROUND CLIENTS SCRIPT [ARGS...] -> one pgbench run, recorded
#   proc_kb PID FIELD            -> VmRSS/VmHWM/... of PID in KiB
#   rss_sampler_start PID / rss_sampler_stop -> background VmRSS sampling, max in RSS_MAX_KB
#   record KIND key=value ...    -> one record for bench/summarize.py (see there)
#   sample_values SCENARIO TARGET FIELD -> that field of each sample recorded for TARGET
#
# Harness failures call die (exit 1); cleanup (trap EXIT) stops every process started by
# start_bg or the sampler, by PID, and removes the temp dir (unless BENCH_KEEP_TMP=1).

BENCH_TMP=""
BENCH_RECORDS=""
BG_PID=""
# shellcheck disable=SC2034 # read by bench/run
RSS_MAX_KB=0
RSS_SAMPLES=0
declare -a BENCH_PIDS=()
declare -A BENCH_PID_NAME=()
declare -A BENCH_PID_LOG=()
# The process serving each loopback port, registered by wait_for_url, so that a load run
# against a URL can read that server's CPU time before and after (cpu_ticks).
declare -A BENCH_PORT_PID=()
CLOCK_TICKS_PER_SECOND=$(getconf CLK_TCK)
RSS_SAMPLER_PID=""
RSS_SAMPLER_FILE=""

log() { printf 'bench: %s\n' "$*" >&2; }

die() {
  printf 'bench: FAILED: %s\n' "$*" >&2
  exit 1
}

# Print the last lines of a process's log, for diagnosing a failure.
show_log_tail() {
  local name=$1 file=$2
  if [[ -s "$file" ]]; then
    printf 'bench: --- last lines of %s log (%s) ---\n' "$name" "$file" >&2
    tail -n 20 "$file" >&2 || true
    printf 'bench: ---\n' >&2
  fi
}

bench_init() {
  BENCH_TMP=$(mktemp -d "${TMPDIR:-/tmp}/sre-bench.XXXXXX")
  chmod 755 "$BENCH_TMP" # nginx workers may run as nobody when we are root
  BENCH_RECORDS="$BENCH_TMP/records.tsv"
  : >"$BENCH_RECORDS"
  trap bench_cleanup EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
}

bench_cleanup() {
  local rc=$?
  set +e
  rss_sampler_stop
  local i pid
  # Stop in reverse start order: TERM, wait up to 10 s, then KILL.
  for ((i = ${#BENCH_PIDS[@]} - 1; i >= 0; i--)); do
    pid=${BENCH_PIDS[$i]}
    if kill -0 "$pid" 2>/dev/null; then
      kill -TERM "$pid" 2>/dev/null
      local n=0
      while kill -0 "$pid" 2>/dev/null && ((n < 100)); do
        sleep 0.1
        n=$((n + 1))
      done
      if kill -0 "$pid" 2>/dev/null; then
        log "${BENCH_PID_NAME[$pid]} (pid $pid) ignored SIGTERM for 10 s, sending SIGKILL"
        kill -KILL "$pid" 2>/dev/null
      fi
    fi
    wait "$pid" 2>/dev/null
  done
  if [[ $rc -ne 0 && $rc -ne 3 && -n "$BENCH_TMP" ]]; then
    for pid in "${BENCH_PIDS[@]}"; do
      show_log_tail "${BENCH_PID_NAME[$pid]}" "${BENCH_PID_LOG[$pid]}"
    done
  fi
  if [[ -n "$BENCH_TMP" && -d "$BENCH_TMP" ]]; then
    if [[ "${BENCH_KEEP_TMP:-0}" == 1 ]]; then
      log "kept temp dir $BENCH_TMP"
    else
      rm -rf "$BENCH_TMP"
    fi
  fi
  exit "$rc"
}

bench_tmpdir() {
  local d="$BENCH_TMP/$1"
  mkdir -p "$d"
  chmod 755 "$d"
  printf '%s\n' "$d"
}

# A loopback TCP port below the kernel's ephemeral range (so wrk's own client sockets
# cannot collide with it) on which nothing listens right now.
free_port() {
  local port tries=0
  while ((tries < 200)); do
    port=$((20000 + (RANDOM % 12000)))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      printf '%s\n' "$port"
      return 0
    fi
    tries=$((tries + 1))
  done
  die "no free port found"
}

# start_bg NAME CWD LOGFILE CMD [ARGS...]: the child execs CMD, so BG_PID is CMD's PID.
start_bg() {
  local name=$1 cwd=$2 logfile=$3
  shift 3
  (cd "$cwd" && exec "$@") >"$logfile" 2>&1 </dev/null &
  BG_PID=$!
  BENCH_PIDS+=("$BG_PID")
  BENCH_PID_NAME[$BG_PID]=$name
  BENCH_PID_LOG[$BG_PID]=$logfile
  log "started $name (pid $BG_PID)"
}

assert_alive() {
  local name=$1 pid=$2
  if ! kill -0 "$pid" 2>/dev/null; then
    local rc=0
    wait "$pid" 2>/dev/null || rc=$?
    die "$name (pid $pid) exited with status $rc"
  fi
}

wait_for_url() {
  local name=$1 url=$2 pid=$3 timeout=${4:-30}
  BENCH_PORT_PID[$(url_port "$url")]=$pid
  local deadline=$((SECONDS + timeout))
  while ((SECONDS < deadline)); do
    assert_alive "$name" "$pid"
    if curl -fsS -o /dev/null --max-time 1 "$url" 2>/dev/null; then
      return 0
    fi
    sleep 0.1
  done
  die "$name did not answer 2xx on $url within ${timeout}s"
}

# url_port URL: the port of an http://host:port/... URL.
url_port() {
  local rest=${1#*://}
  rest=${rest%%/*}
  printf '%s\n' "${rest##*:}"
}

# cpu_ticks PID: user + system CPU time, in clock ticks, of PID and its child processes (nginx
# serves from a worker, its child), from /proc/PID/stat fields 14 and 15.
cpu_ticks() {
  local pid total=0 stat
  local -a fields
  for pid in "$1" $(pgrep -P "$1"); do
    stat=$(<"/proc/$pid/stat") || return 1
    # The fields after "(comm) ": the command name may itself hold spaces.
    read -ra fields <<<"${stat##*) }"
    total=$((total + fields[11] + fields[12]))
  done
  printf '%s\n' "$total"
}

# cpu_per_1k_requests TICKS_BEFORE TICKS_AFTER REQUESTS: CPU seconds per 1,000 requests.
cpu_per_1k_requests() {
  awk -v b="$1" -v a="$2" -v n="$3" -v hz="$CLOCK_TICKS_PER_SECOND" \
    'BEGIN { printf "%.4f", (n > 0 ? (a - b) / hz / n * 1000 : 0) }'
}

# proc_kb PID FIELD: a "FIELD: N kB" line of /proc/PID/status, without forking.
proc_kb() {
  local pid=$1 field=$2 key value rest
  while read -r key value rest; do
    if [[ "$key" == "$field:" ]]; then
      printf '%s\n' "$value"
      return 0
    fi
  done <"/proc/$pid/status"
  return 1
}

rss_sampler_start() {
  local pid=$1 interval=${2:-0.2}
  RSS_SAMPLER_FILE="$BENCH_TMP/rss-samples.$pid"
  : >"$RSS_SAMPLER_FILE"
  (
    trap 'exit 0' TERM
    while kill -0 "$pid" 2>/dev/null; do
      proc_kb "$pid" VmRSS >>"$RSS_SAMPLER_FILE" 2>/dev/null || true
      sleep "$interval"
    done
  ) &
  RSS_SAMPLER_PID=$!
}

# Stops the sampler and sets RSS_MAX_KB (max VmRSS seen) and RSS_SAMPLES (count).
rss_sampler_stop() {
  if [[ -n "$RSS_SAMPLER_PID" ]]; then
    kill -TERM "$RSS_SAMPLER_PID" 2>/dev/null || true
    wait "$RSS_SAMPLER_PID" 2>/dev/null || true
    RSS_SAMPLER_PID=""
  fi
  RSS_MAX_KB=0
  RSS_SAMPLES=0
  if [[ -n "$RSS_SAMPLER_FILE" && -f "$RSS_SAMPLER_FILE" ]]; then
    # shellcheck disable=SC2034 # RSS_MAX_KB and RSS_SAMPLES are read by bench/run
    read -r RSS_MAX_KB RSS_SAMPLES < <(awk 'BEGIN{m=0;n=0} /^[0-9]+$/{n++; if ($1>m) m=$1} END{print m, n}' "$RSS_SAMPLER_FILE")
  fi
}

# record KIND key=value ...: appends one tab-separated record for bench/summarize.py.
# Values must not contain tabs or newlines.
record() {
  local IFS=$'\t'
  printf 'kind=%s\t%s\n' "$1" "${*:2}" >>"$BENCH_RECORDS"
}

# sample_values SCENARIO TARGET FIELD: FIELD (rps, requests, p99_ms...) of each sample recorded
# so far for TARGET, one per line, in recording order.
sample_values() {
  awk -F'\t' -v scenario="$1" -v target="$2" -v field="$3" '
    $1 == "kind=sample" {
      split("", kv)
      for (i = 2; i <= NF; i++) { eq = index($i, "="); kv[substr($i, 1, eq - 1)] = substr($i, eq + 1) }
      if (kv["scenario"] == scenario && kv["target"] == target) print kv[field]
    }' "$BENCH_RECORDS"
}

# record_run SCENARIO TARGET ROUND UNIT RATE P50 P90 P99 MAX COUNT SECONDS [CPU_PER_1K]: prints
# the progress line of one load run and, unless it was the warm-up, records it as a sample.
record_run() {
  local scenario=$1 target=$2 round=$3 unit=$4 rate=$5 p50=$6 p90=$7 p99=$8 max=$9
  local count=${10} seconds=${11} cpu=${12:-}
  printf 'bench:   %-8s %-14s round %-6s %10.0f %-5s  p50 %7.3f ms  p99 %7.3f ms%s\n' \
    "$scenario" "$target" "$round" "$rate" "$unit" "$p50" "$p99" \
    "${cpu:+  cpu $cpu s/1k}" >&2
  if [[ "$round" != warmup ]]; then
    record sample "scenario=$scenario" "target=$target" "round=$round" "rps=$rate" \
      "p50_ms=$p50" "p90_ms=$p90" "p99_ms=$p99" "max_ms=$max" "requests=$count" \
      "duration_s=$seconds" ${cpu:+"cpu_s_per_1k=$cpu"}
  fi
}

# latency_summary: latencies in microseconds on stdin, one per line; prints p50 p90 p99 max (in
# milliseconds) and the count.
latency_summary() {
  sort -n | awk '
    function at(q,   i) { i = int(NR * q); if (i < 1) i = 1; return v[i] / 1000 }
    {v[NR]=$1}
    END {
      if (NR == 0) { print "0 0 0 0 0"; exit }
      printf "%.3f %.3f %.3f %.3f %d\n", at(0.50), at(0.90), at(0.99), v[NR] / 1000, NR
    }'
}

# run_wrk SCENARIO TARGET ROUND URL [DURATION]: one wrk run with the shared settings.
# ROUND "warmup" runs for BENCH_WARMUP and is not recorded. Any socket error or
# non-2xx/3xx response fails the run: a fast error page is not a result.
run_wrk() {
  local scenario=$1 target=$2 round=$3 url=$4 script=${5:-$BENCH_DIR/report.lua}
  local duration=$BENCH_DURATION
  [[ "$round" == warmup ]] && duration=$BENCH_WARMUP
  local out="$BENCH_TMP/wrk.$scenario.$target.$round.out"
  local server_pid=${BENCH_PORT_PID[$(url_port "$url")]:-} ticks_before=""
  [[ -n "$server_pid" ]] && ticks_before=$(cpu_ticks "$server_pid")
  if ! wrk --threads "$BENCH_THREADS" --connections "$BENCH_CONNECTIONS" \
    --duration "$duration" --timeout "$BENCH_WRK_TIMEOUT" \
    --script "$script" "$url" >"$out" 2>&1; then
    cat "$out" >&2
    die "wrk failed against $scenario/$target ($url)"
  fi
  local line
  line=$(grep '^WRK_RESULT ' "$out" | tail -n 1) || true
  if [[ -z "$line" ]]; then
    cat "$out" >&2
    die "wrk printed no WRK_RESULT line for $scenario/$target"
  fi
  local -A r=()
  local kv
  for kv in ${line#WRK_RESULT }; do
    r[${kv%%=*}]=${kv#*=}
  done
  local errors=$((r[connect_errors] + r[read_errors] + r[write_errors] + r[timeout_errors]))
  if ((r[requests] == 0 || r[non2xx] > 0 || errors > 0)); then
    cat "$out" >&2
    die "$scenario/$target ($url): requests=${r[requests]} non2xx=${r[non2xx]} socket errors=$errors (connect ${r[connect_errors]}, read ${r[read_errors]}, write ${r[write_errors]}, timeout ${r[timeout_errors]})"
  fi
  local cpu=""
  if [[ -n "$ticks_before" ]]; then
    cpu=$(cpu_per_1k_requests "$ticks_before" "$(cpu_ticks "$server_pid")" "${r[requests]}")
  fi
  record_run "$scenario" "$target" "$round" req/s "${r[rps]}" "${r[p50_ms]}" "${r[p90_ms]}" \
    "${r[p99_ms]}" "${r[max_ms]}" "${r[requests]}" "${r[duration_s]}" "$cpu"
}

# run_h2load_open_loop SCENARIO TARGET ROUND URL RATE: one open-loop run (h2load --rps) offering
# RATE requests per second over BENCH_CONNECTIONS HTTP/1.1 connections, whatever the server's
# answers do. (wrk is closed loop: a slow answer delays the next request, so its latencies hide
# queueing; here requests keep coming at the offered rate.) Latencies come from h2load's
# per-request log. A failed request fails the run.
run_h2load_open_loop() {
  local scenario=$1 target=$2 round=$3 url=$4 rate=$5
  local duration=${BENCH_DURATION%s}
  [[ "$round" == warmup ]] && duration=${BENCH_WARMUP%s}
  local dir="$BENCH_TMP/h2load.$scenario.$target.$round"
  mkdir -p "$dir"
  local per_connection
  per_connection=$(awk -v r="$rate" -v c="$BENCH_CONNECTIONS" 'BEGIN { printf "%d", r / c + 0.5 }')
  ((per_connection > 0)) || die "offered rate $rate is below one request per second per connection"
  local server_pid=${BENCH_PORT_PID[$(url_port "$url")]:-} ticks_before=""
  [[ -n "$server_pid" ]] && ticks_before=$(cpu_ticks "$server_pid")
  if ! h2load --h1 --threads 1 --clients "$BENCH_CONNECTIONS" --rps "$per_connection" \
    --duration "$duration" --log-file "$dir/requests.tsv" "$url" >"$dir/out" 2>&1; then
    cat "$dir/out" >&2
    die "h2load failed against $scenario/$target ($url)"
  fi
  # "requests: N total, N started, N done, N succeeded, N failed, N errored, N timeout"
  local succeeded failed
  succeeded=$(sed -n 's/^requests: .* \([0-9]*\) succeeded.*/\1/p' "$dir/out")
  failed=$(sed -n 's/^requests: .* \([0-9]*\) failed.*/\1/p' "$dir/out")
  if [[ -z "$succeeded" || "$succeeded" == 0 || "${failed:-1}" != 0 ]]; then
    cat "$dir/out" >&2
    die "$scenario/$target ($url): h2load succeeded=${succeeded:-?} failed=${failed:-?}"
  fi
  # Log lines: start time (us since the epoch), status, microseconds until the response ended.
  local p50 p90 p99 max count
  read -r p50 p90 p99 max count < <(awk -F'\t' '$2 >= 200 && $2 < 400 { print $3 }' \
    "$dir/requests.tsv" | latency_summary)
  local cpu=""
  if [[ -n "$ticks_before" ]]; then
    cpu=$(cpu_per_1k_requests "$ticks_before" "$(cpu_ticks "$server_pid")" "$count")
  fi
  record_run "$scenario" "$target" "$round" req/s \
    "$(awk -v n="$count" -v s="$duration" 'BEGIN { printf "%.1f", n / s }')" \
    "$p50" "$p90" "$p99" "$max" "$count" "$duration" "$cpu"
}

# ---- PostgreSQL (scenario postgres; reusable by any scenario that needs a database) ----

PG_PID=""
PG_PORT=""
PG_URL=""
PG_DIR=""

pg_bin() {
  local name=$1 version
  if command -v "$name" >/dev/null 2>&1; then
    command -v "$name"
    return 0
  fi
  for version in 17 16 15; do
    if [[ -x "/usr/lib/postgresql/$version/bin/$name" ]]; then
      printf '%s\n' "/usr/lib/postgresql/$version/bin/$name"
      return 0
    fi
  done
  die "$name not found (run scripts/bootstrap)"
}

# The command prefix that runs a program as the PostgreSQL account when we are root (initdb
# and postgres refuse root): setpriv execs, so a background start's PID is postgres itself.
pg_owner_prefix() {
  PG_AS_OWNER=()
  PG_OWNER=""
  if [[ $EUID -eq 0 ]]; then
    PG_OWNER=postgres
    id postgres >/dev/null 2>&1 || PG_OWNER=nobody
    PG_AS_OWNER=(setpriv "--reuid=$PG_OWNER" "--regid=$PG_OWNER" --clear-groups --)
  fi
}

# pg_start NAME: initdb into the run's temp dir and start PostgreSQL on a free loopback port,
# with default durability (fsync and synchronous_commit on). Stopped at exit like the rest.
pg_start() {
  local name=$1
  PG_DIR=$(bench_tmpdir "$name")
  PG_PORT=$(free_port)
  mkdir -p "$PG_DIR/socket"
  pg_owner_prefix
  [[ -z "$PG_OWNER" ]] || chown -R "$PG_OWNER" "$PG_DIR"
  "${PG_AS_OWNER[@]}" "$(pg_bin initdb)" -D "$PG_DIR/data" -U bench --auth=trust -E UTF8 --locale=C \
    >"$PG_DIR/initdb.log" 2>&1 || {
    cat "$PG_DIR/initdb.log" >&2
    die "initdb failed"
  }
  start_bg "$name" "$PG_DIR" "$PG_DIR/postgres.log" "${PG_AS_OWNER[@]}" "$(pg_bin postgres)" \
    -D "$PG_DIR/data" -p "$PG_PORT" -c listen_addresses=127.0.0.1 \
    -c "unix_socket_directories=$PG_DIR/socket" -c max_connections=300 -c shared_buffers=128MB
  PG_PID=$BG_PID
  local deadline=$((SECONDS + 30))
  until "$(pg_bin pg_isready)" -q -h 127.0.0.1 -p "$PG_PORT" -U bench -d postgres; do
    assert_alive "$name" "$PG_PID"
    ((SECONDS < deadline)) || die "PostgreSQL did not accept connections within 30 s"
    sleep 0.1
  done
  "$(pg_bin psql)" -X -q -h 127.0.0.1 -p "$PG_PORT" -U bench -d postgres \
    -c "CREATE DATABASE bench" >/dev/null || die "CREATE DATABASE failed"
  PG_URL="postgresql://bench@127.0.0.1:$PG_PORT/bench"
  log "PostgreSQL on port $PG_PORT ($PG_DIR)"
}

pg_psql() {
  "$(pg_bin psql)" -X -q -A -t -v ON_ERROR_STOP=1 "$PG_URL" -c "$1"
}

# run_pgbench SCENARIO TARGET ROUND CLIENTS SCRIPT [PGBENCH ARGS...]: one pgbench run of
# BENCH_DURATION (BENCH_WARMUP for round "warmup"), prepared statements (-M prepared),
# CLIENTS connections, one pgbench thread. Per-transaction latencies go to a log, from which
# p50/p90/p99/max are computed like wrk's. Recorded as a sample unless warmup.
run_pgbench() {
  local scenario=$1 target=$2 round=$3 clients=$4 script=$5
  shift 5
  local duration=$BENCH_DURATION
  [[ "$round" == warmup ]] && duration=$BENCH_WARMUP
  local seconds=${duration%s}
  local dir="$BENCH_TMP/pgbench.$scenario.$target.$round"
  mkdir -p "$dir"
  if ! (cd "$dir" && "$(pg_bin pgbench)" -n -M prepared -c "$clients" -j 1 -T "$seconds" \
    -f "$script" -l --log-prefix=tx "$@" "$PG_URL") >"$dir/out" 2>&1; then
    cat "$dir/out" >&2
    die "pgbench failed for $scenario/$target"
  fi
  local tps failed
  tps=$(sed -n 's/^tps = \([0-9.]*\) .*/\1/p' "$dir/out" | head -n 1)
  failed=$(sed -n 's/^number of failed transactions: \([0-9]*\).*/\1/p' "$dir/out")
  [[ -n "$tps" ]] || { cat "$dir/out" >&2; die "no tps in pgbench output ($scenario/$target)"; }
  [[ "${failed:-0}" == 0 ]] || { cat "$dir/out" >&2; die "pgbench had failed transactions"; }
  # Log lines: client_id transaction_no latency_us script_no time_epoch time_us
  local p50 p90 p99 max count
  read -r p50 p90 p99 max count < <(cat "$dir"/tx.* | awk '{print $3}' | latency_summary)
  record_run "$scenario" "$target" "$round" tx/s "$tps" "$p50" "$p90" "$p99" "$max" "$count" \
    "$seconds"
}
