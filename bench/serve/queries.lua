-- Map queries as the page makes them: a box around one of the fixture's
-- places and a week-long window, different for every request.
local places = {{43.78,33.35},{43.30,33.43},{43.13,36.34},{37.16,36.20},{36.23,49.99},{13.16,11.85},
                {32.53,15.55},{34.47,31.50},{45.34,2.04},{29.22,-1.68},{44.21,15.35},{69.17,34.53}}
local now = os.time()
math.randomseed(42)
request = function()
  local p = places[math.random(#places)]
  local d = 0.5 + math.random() * 2
  local t = now - math.random(0, 23) * 86400
  local path = string.format("/api/events?bbox=%.3f,%.3f,%.3f,%.3f&since=@%d&until=@%d&limit=200",
    p[1] - d, p[2] - d, p[1] + d, p[2] + d, t - 7 * 86400, t)
  return wrk.format("GET", path)
end
