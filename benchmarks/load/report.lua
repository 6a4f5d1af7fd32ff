-- wrk reports one JSON line at the end of a run: requests, seconds, errors and latency percentiles (ms).
-- Used by benchmarks/load/run.py; the Cookie header (if any) comes from wrk's -H option.
done = function(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    '{"requests": %d, "seconds": %.6f, "connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d, '
      .. '"p50": %.3f, "p95": %.3f, "p99": %.3f, "mean": %.3f, "max": %.3f}\n',
    summary.requests, summary.duration / 1e6, errors.connect, errors.read, errors.write, errors.status,
    errors.timeout, latency:percentile(50) / 1e3, latency:percentile(95) / 1e3, latency:percentile(99) / 1e3,
    latency.mean / 1e3, latency.max / 1e3))
end
