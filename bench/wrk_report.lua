-- wrk script of bench/run.py, in two modes.
--
-- One page (no script arguments): the URL given to wrk, over and over; counts the responses that are
-- not 200 (a redirect to the login page would otherwise count as a fast success).
--
-- A members' load (`wrk -t N -c N ... -- <data.lua> <write_every> <run> <round>`): the data file (written by
-- run.py) lists N members, each with her own session cookie, CSRF token, the pages she reads with
-- their weights, and the forms she writes. One thread and one connection per member, so each member's
-- requests go one after the other, as a person's do. Her reads follow a shuffled deck of 100 weighted
-- pages; with write_every > 0 every write_every-th request is a write instead (20: 5 %), in turn
-- RSVP, draft report, RSVP, draft report, profile (each member starts elsewhere in that order, and
-- one further on each round, so every kind is written in every round, however short). Each write carries `<run>-<n>` (<n>: its number among
-- her writes of that kind), so run.py can check afterwards that the database holds her last one
-- (per member and kind done() gives: issued, number of the last confirmed, failed, confirmed).
-- A write succeeds only with a 302 to the page the view sends her to on success; a form shown again
-- (200) or anything else is a failed write. Latency per kind of request is measured here too.
--
-- done() prints every figure as one JSON line, "WRK_JSON {...}" (per kind of request every latency:
-- run.py merges the rounds of a load).
local ffi = require("ffi")
ffi.cdef([[
typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
int clock_gettime(int clk_id, bench_timespec *tp);
]])
local CLOCK_MONOTONIC = 1
local timespec = ffi.new("bench_timespec")

local function now_ms()
  ffi.C.clock_gettime(CLOCK_MONOTONIC, timespec)
  return tonumber(timespec.tv_sec) * 1000 + tonumber(timespec.tv_nsec) / 1e6
end

local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("id", #threads)
end

-- Per thread (each thread has its own Lua state). done() reads the globals with thread:get(), which
-- copies flat tables only (a nested one crashes wrk 4.1): kind_names, bad_counts and ms_<i> (the
-- latencies of kind i) are flat, and so are w_<kind> = {issued, last confirmed, failed, confirmed}.
local me, deck, position, write_every, run, static_request
local current, started_at, kind_index
local WRITE_ORDER = { "rsvp", "report", "rsvp", "report", "profile" }
local WRITE_KINDS = { "rsvp", "report", "profile" }

function init(args)
  not_ok = 0
  kind_names, bad_counts = {}, {}
  if args[1] == nil then
    static_request = wrk.format()
    return
  end
  local data = dofile(args[1])
  write_every = tonumber(args[2]) or 0
  run = args[3] or "run"
  me = data.members[id]
  kind_index = {}
  local function add_kind(name)
    table.insert(kind_names, name)
    table.insert(bad_counts, 0)
    kind_index[name] = #kind_names
    _G["ms_" .. #kind_names] = {}
  end
  -- The deck: each read page as often as its weight, shuffled with a seed of her own.
  deck = {}
  for _, page in ipairs(me.reads) do
    add_kind(page.name)
    for _ = 1, page.weight do
      table.insert(deck, page)
    end
  end
  for _, kind in ipairs(WRITE_KINDS) do
    add_kind("write: " .. kind)
    _G["w_" .. kind] = { 0, 0, 0, 0 }
  end
  math.randomseed(1000 + id)
  for i = #deck, 2, -1 do
    local j = math.random(i)
    deck[i], deck[j] = deck[j], deck[i]
  end
  position = (id * 7) % #deck -- members do not all write at the same moment
  writes_made = (id - 1 + (tonumber(args[4]) or 0)) % #WRITE_ORDER
end

function request()
  if static_request ~= nil then
    return static_request
  end
  if me == nil then -- wrk's own check of the script, in its main state: any valid request
    return wrk.format("GET", "/healthz")
  end
  position = position + 1
  started_at = now_ms()
  if write_every > 0 and position % write_every == 0 then
    local kind = WRITE_ORDER[(writes_made % #WRITE_ORDER) + 1]
    writes_made = writes_made + 1
    local write = me.writes[kind]
    local counter = _G["w_" .. kind]
    counter[1] = counter[1] + 1
    local n = counter[1]
    current = { name = "write: " .. kind, write = write, counter = counter, n = n }
    local body = write.body:gsub("{run}", run):gsub("{n}", tostring(n))
    if write.alternate then -- the RSVP: yes on odd numbers, no on even ones
      body = body .. "&attending=" .. ((n % 2 == 1) and "yes" or "no")
    end
    return wrk.format("POST", write.path, me.post_headers, body)
  end
  local page = deck[(position % #deck) + 1]
  current = { name = page.name }
  return wrk.format("GET", page.path, page.anonymous and me.anonymous_headers or me.headers)
end

function response(status, headers, body)
  if static_request ~= nil then
    if status ~= 200 then
      not_ok = not_ok + 1
    end
    return
  end
  if current == nil then
    return
  end
  local i = kind_index[current.name]
  local ms = _G["ms_" .. i]
  ms[#ms + 1] = now_ms() - started_at
  local write = current.write
  local ok
  if write == nil then
    ok = status == 200
  else
    local location = headers["Location"] or headers["location"] or ""
    ok = status == 302 and location:sub(-#write.expect) == write.expect
    if ok then
      current.counter[2] = current.n
      current.counter[4] = current.counter[4] + 1
    else
      current.counter[3] = current.counter[3] + 1
      if current.counter[3] <= 2 then
        io.stderr:write(string.format("failed %s of member %d: %d %s\n", current.name, id, status, location))
      end
    end
  end
  if not ok then
    bad_counts[i] = bad_counts[i] + 1
    not_ok = not_ok + 1
  end
  current = nil
end

function done(summary, latency, requests)
  local bad = 0
  local kinds, order = {}, {}
  local members = {}
  for _, thread in ipairs(threads) do
    bad = bad + thread:get("not_ok")
    local names, bads = thread:get("kind_names"), thread:get("bad_counts")
    for i, name in ipairs(names) do
      local all = kinds[name]
      if all == nil then
        all = { bad = 0, ms = {} }
        kinds[name] = all
        table.insert(order, name)
      end
      all.bad = all.bad + bads[i]
      for _, ms in ipairs(thread:get("ms_" .. i)) do
        table.insert(all.ms, ms)
      end
    end
    if #names > 0 then
      local writes = {}
      for _, kind in ipairs(WRITE_KINDS) do
        local w = thread:get("w_" .. kind)
        table.insert(writes, string.format('"%s": [%d, %d, %d, %d]', kind, w[1], w[2], w[3], w[4]))
      end
      table.insert(members, "{" .. table.concat(writes, ", ") .. "}")
    end
  end
  local per_kind = {}
  for _, name in ipairs(order) do
    local k = kinds[name]
    local ms = {}
    for i, x in ipairs(k.ms) do
      ms[i] = string.format("%.1f", x)
    end
    table.insert(per_kind, string.format('"%s": {"bad": %d, "ms": [%s]}', name, k.bad, table.concat(ms, ",")))
  end
  local e = summary.errors
  io.write(string.format(
    'WRK_JSON {"requests": %d, "duration_us": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d, ' ..
    '"not_200": %d, "socket_errors": %d, "kinds": {%s}, "members": [%s]}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), bad, e.connect + e.read + e.write + e.timeout, table.concat(per_kind, ", "),
    table.concat(members, ", ")))
end
