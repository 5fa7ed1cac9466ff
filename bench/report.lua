-- wrk script for bench/run: prints one machine-readable line when the run ends.
--   WRK_RESULT requests=N duration_s=S rps=R p50_ms=.. p90_ms=.. p99_ms=.. max_ms=..
--              non2xx=N connect_errors=N read_errors=N write_errors=N timeout_errors=N
-- non2xx is wrk's "Non-2xx or 3xx responses" counter (status >= 400).
-- Only done() is defined: a response() callback would run Lua per request and make wrk
-- itself the bottleneck.
done = function(summary, latency, requests)
  local e = summary.errors
  local secs = summary.duration / 1e6
  local rps = 0
  if secs > 0 then rps = summary.requests / secs end
  io.write(string.format(
    "WRK_RESULT requests=%d duration_s=%.3f rps=%.2f p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f max_ms=%.3f " ..
    "non2xx=%d connect_errors=%d read_errors=%d write_errors=%d timeout_errors=%d\n",
    summary.requests, secs, rps,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000,
    e.status, e.connect, e.read, e.write, e.timeout))
end
