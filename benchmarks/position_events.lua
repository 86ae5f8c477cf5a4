-- wrk script: one position event per request, each with a unique event_id, spread
-- over technicians 1..FD_TECHS inside the Puurs demo region.
local techs = tonumber(os.getenv("FD_TECHS") or "50")
local counter = 0
local thread_no = 0
local threads = {}

function setup(thread)
  thread_no = thread_no + 1
  thread:set("tid", thread_no)
  table.insert(threads, thread)
end

function init(args)
  math.randomseed(1000 + tid)
end

function request()
  counter = counter + 1
  local tech = (counter % techs) + 1
  local lat = 51.052 + math.random() * 0.073
  local lon = 4.205 + math.random() * 0.140
  local body = string.format(
    '[{"event_id":"wrk-%d-%d","type":"position","at":"2026-11-24T10:00:%02d+01:00","lat":%.6f,"lon":%.6f}]',
    tid, counter, counter % 60, lat, lon)
  return wrk.format("POST", "/api/technicians/" .. tech .. "/events",
    {["Content-Type"] = "application/json", ["Authorization"] = os.getenv("FD_AUTH")}, body)
end

function done(summary, latency, requests)
  local errors = summary.errors.status + summary.errors.connect + summary.errors.read
    + summary.errors.write + summary.errors.timeout
  io.write(string.format(
    'WRK_JSON {"requests":%d,"seconds":%.3f,"errors":%d,"p50_ms":%.2f,"p95_ms":%.2f,"p99_ms":%.2f,"max_ms":%.2f}\n',
    summary.requests, summary.duration / 1e6, errors,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000))
end
