-- ratelimit: the rate limiter's AcquirePermits (io.github.cachelayer.ratelimit) on the server, in
-- one round trip: read the key's state, decide, write the new state when permits are granted.
-- A port of RateLimit.decide, which stays the reference (the client replays it on the state this
-- script found, for the caller's answer); RateLimitScriptTest holds the two to the same results.
--
-- KEYS[1]  the entry's key
-- ARGV[1]  algorithm: 'F' fixed window, 'S' sliding window, 'T' token bucket
-- ARGV[2]  limit (the bucket's capacity)
-- ARGV[3]  window, or the bucket's refill period, in ms
-- ARGV[4]  sliding window: slots per window; token bucket: permits added per period
-- ARGV[5]  permits asked for (1 .. limit)
-- ARGV[6]  now, the decision's time in epoch ms, or '' for Redis's own clock (TIME), which the
--          client always sends: every JVM sharing the limit then decides on one clock
-- ARGV[7]  now for the entry's expiry, epoch ms, or '' for the same time as the decision's
-- ARGV[8]  creation duration ms ('-1' eternal; '0' or less: not stored)
-- ARGV[9]  update duration ms ('-1' eternal, '-2' unchanged)
-- ARGV[10] retention ms: how long Redis keeps an entry past its expiry
--
-- The entry is CacheLayer's ('1', 13 expiry digits, payload); the payload of a limiter state is
-- a zero byte, 'L', and decimal numbers separated by commas (HelperRecords). A state of another
-- shape counts as none, as in Java. An entry past its expiry is deleted first and counts as none.
-- Returns {state, effect, previous expiry digits, previous payload, now}, as entry.lua does, and
-- the decision's time (what the client replays the decision at):
--   state 'A' absent, 'X' expired (deleted), 'L' live, or 'N' a live value that is not a limiter
--   state (nothing is done: the client decides in Java); effect 'W' written, 'R' the expired
--   entry removed, 'K' nothing changed (a denial).
-- Numbers stay below 2^52 (RateLimit checks limit x period), so doubles compute as Java's longs.
-- ETERNAL, digits, later, entryAt and entryState: entry-format.lua, which LuaScript prepends.

local function floordiv(a, b)
  return math.floor(a / b)
end

local function ceildiv(a, b)
  return -math.floor(-a / b)
end

-- The numbers of a limiter payload, or nil when the payload is not one. The bytes may be
-- anyone's: at most 1,002 numbers (a sliding window of 1,000 slots and its head), each an
-- integer of at most 15 digits (below 2^53, exact in Lua's doubles), so that every later step
-- computes exactly and loops boundedly. Anything else is not a state: the client decides in Java.
local MAX_NUMBERS = 1002
local function numbers(payload)
  if string.byte(payload, 1) ~= 0 or string.sub(payload, 2, 2) ~= 'L' then
    return nil
  end
  local text = string.sub(payload, 3)
  if #text > MAX_NUMBERS * 17 then
    return nil
  end
  local values = {}
  local position = 1
  local size = #text
  if size == 0 then
    return values
  end
  while true do
    local comma = string.find(text, ',', position, true)
    local part = string.sub(text, position, (comma or size + 1) - 1)
    local digits = #part - ((string.byte(part, 1) == 45) and 1 or 0)
    if #values >= MAX_NUMBERS or digits < 1 or digits > 15
        or not string.find(part, '^%-?%d+$') then
      return nil
    end
    values[#values + 1] = tonumber(part)
    if comma == nil then
      return values
    end
    position = comma + 1
  end
end

local function fixed(values, limit, period, permits, now)
  local window = floordiv(now, period)
  local count = 0
  if values and #values == 2 then
    window = math.max(window, values[1])
    if values[1] == window then
      count = values[2]
    end
  end
  if count + permits <= limit then
    return {window, count + permits}
  end
  return nil
end

local function sliding(values, limit, period, slots, permits, now)
  local ring = slots + 1
  local slotMillis = ceildiv(period, slots)
  local slot = floordiv(now, slotMillis)
  local counts = {}
  for i = 0, ring - 1 do
    counts[i] = 0
  end
  if values and #values == ring + 1 then
    local head = values[1]
    for i = 0, ring - 1 do
      counts[i] = values[i + 2]
    end
    slot = math.max(slot, head)
    for s = head + 1, math.min(slot, head + ring) do
      counts[s % ring] = 0
    end
  end
  local counted = 0
  for i = 0, ring - 1 do
    counted = counted + counts[i]
  end
  if counted + permits > limit then
    return nil
  end
  counts[slot % ring] = counts[slot % ring] + permits
  local next = {slot}
  for i = 0, ring - 1 do
    next[#next + 1] = counts[i]
  end
  return next
end

local function bucket(values, limit, period, refill, permits, now)
  local full = limit * period
  local units = full
  local counted = now
  if values and #values == 2 then
    units = math.min(full, math.max(0, values[1]))
    counted = math.max(values[2], now)
    local elapsed = math.max(0, now - values[2])
    if elapsed >= ceildiv(full - units, refill) then
      units = full
    else
      units = units + elapsed * refill
    end
  end
  local needed = permits * period
  if units >= needed then
    return {units - needed, counted}
  end
  return nil
end

-- Redis 6.2 replicates a script's effects only when asked (7.0 always does): TIME is not
-- deterministic, so the script's writes, not the script, must reach replicas and the AOF.
if redis.replicate_commands then
  redis.replicate_commands()
end
local decisionNow = tonumber(ARGV[6])
if ARGV[6] == '' then
  local time = redis.call('TIME')
  decisionNow = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
end
local cacheNow = decisionNow
if ARGV[7] ~= '' then
  cacheNow = tonumber(ARGV[7])
end

local key = KEYS[1]
local retention = tonumber(ARGV[10])
local state, previousDigits, previousExpiry, previous = entryState(key, cacheNow)

local values = nil
local effect = 'K'
if state == 'X' then
  redis.call('DEL', key)
  effect = 'R'
elseif state == 'L' then
  values = numbers(previous)
  if values == nil then
    return {'N', 'K', previousDigits, '', string.format('%.0f', decisionNow)}
  end
end

local algorithm, limit, period = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3])
local extra, permits, now = tonumber(ARGV[4]), tonumber(ARGV[5]), decisionNow
local next
if algorithm == 'F' then
  next = fixed(values, limit, period, permits, now)
elseif algorithm == 'S' then
  next = sliding(values, limit, period, extra, permits, now)
else
  next = bucket(values, limit, period, extra, permits, now)
end

if next then
  local expiry
  if state == 'L' then
    expiry = later(cacheNow, ARGV[9], previousExpiry)
  elseif ARGV[8] == '-1' or tonumber(ARGV[8]) > 0 then
    expiry = later(cacheNow, ARGV[8], ETERNAL)
  end
  if expiry then
    local texts = {}
    for i = 1, #next do
      texts[i] = string.format('%.0f', next[i])
    end
    local entry = '1' .. digits(expiry) .. '\0L' .. table.concat(texts, ',')
    if expiry == ETERNAL then
      redis.call('SET', key, entry)
    else
      redis.call('SET', key, entry, 'PX', math.max(1, expiry - cacheNow + retention))
    end
    effect = 'W'
  end
end
return {state, effect, previousDigits, previous, string.format('%.0f', decisionNow)}
