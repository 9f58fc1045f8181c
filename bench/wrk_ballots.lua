-- Each request casts one member's ballot: the tokens file has one "token option_id" per line;
-- wrk's single thread hands them out in order, once each, then only asks /healthz until wrk's
-- duration ends (so no ballot in flight is cut off; bench/governance.py times the ballots from
-- the database).
local tokens, options, next_index = {}, {}, 1
-- wrk calls request() once before the run to check it (script_verify_request): that call
-- must not use up a member, so the first answer repeats on the first real request.
local verified = false

init = function(args)
  local path, url = args[1], args[2]
  for line in io.lines(path) do
    local token, option = line:match("^(%S+) (%d+)$")
    tokens[#tokens + 1], options[#options + 1] = token, option
  end
  wrk.path = url
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
end

request = function()
  local i = next_index
  if i > #tokens then
    return wrk.format("GET", "/healthz")
  end
  if verified then next_index = i + 1 else verified = true end
  local headers = {}
  for name, value in pairs(wrk.headers) do headers[name] = value end  -- Host, Content-Type
  headers["Authorization"] = "Bearer " .. tokens[i]
  return wrk.format(nil, nil, headers, '{"choices": [' .. options[i] .. ']}')
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '\nENT_BENCH_JSON {"requests":%d,"status_errors":%d,"latency_us":{"p50":%d,"p99":%d,"max":%d}}\n',
    summary.requests, e.status, latency:percentile(50), latency:percentile(99), latency.max))
end
