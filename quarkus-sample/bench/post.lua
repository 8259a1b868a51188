wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"payload": "benchmark event"}'
done = function(summary, latency, requests)
  local s = summary.status or {}
  io.write(string.format("RESULT requests=%d errors_status=%d p50_ms=%.2f p99_ms=%.2f rps=%.0f\n",
    summary.requests, summary.errors.status, latency:percentile(50)/1000, latency:percentile(99)/1000,
    summary.requests / (summary.duration / 1e6)))
end
