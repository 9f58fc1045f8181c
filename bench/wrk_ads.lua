-- Ad decisions as browsers ask them: one placement, a size, a reader id that changes (each
-- connection a reader of its own, renewed every 50 requests), and a browser's user agent.
-- Usage: wrk -s bench/wrk_ads.lua URL -- <placement public id>
local placement, counter, reader = "pl", 0, "r0"

init = function(args)
  placement = args[1] or placement
  math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16) % 1000)
end

request = function()
  counter = counter + 1
  if counter % 50 == 1 then
    reader = string.format("%x%x", math.random(0, 0x7fffffff), math.random(0, 0x7fffffff))
  end
  return wrk.format("GET", "/ads/d?p=" .. placement .. "&s=300x250&r=" .. reader ..
    "&sector=it&lang=fr&tags=cloud,data", {
      ["User-Agent"] = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
    })
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '\nENT_BENCH_JSON {"requests":%d,"duration_us":%d,"bytes":%d,' ..
    '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},' ..
    '"latency_us":{"mean":%.1f,"p50":%d,"p90":%d,"p99":%d,"max":%d}}\n',
    summary.requests, summary.duration, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency.mean, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.max))
end
