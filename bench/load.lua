-- wrk script: each connection walks a mix of list, filtered, detail and export URLs.
-- The paths come from bench/load.sh in the PATHS environment variable (one per line).
local paths = {}
for line in string.gmatch(os.getenv("PATHS") or "/", "[^\n]+") do
  paths[#paths + 1] = line
end
local counter = 0

request = function()
  counter = counter + 1
  return wrk.format("GET", paths[(counter % #paths) + 1])
end

done = function(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format("RESULT requests=%d seconds=%.1f rps=%.1f p50_ms=%.1f p99_ms=%.1f http_errors=%d socket_errors=%d\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    errors.status,
    errors.connect + errors.read + errors.write + errors.timeout))
end
