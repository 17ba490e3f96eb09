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
-- ARGV[6]  now, epoch ms of the limiter's clock (the decision's time)
-- ARGV[7]  now, epoch ms of the cache's clock (expiry times are computed from it)
-- ARGV[8]  creation duration ms ('-1' eternal; '0' or less: not stored)
-- ARGV[9]  update duration ms ('-1' eternal, '-2' unchanged)
-- ARGV[10] retention ms: how long Redis keeps an entry past its expiry
--
-- The entry is CacheLayer's ('1', 13 expiry digits, payload); the payload of a limiter state is
-- a zero byte, 'L', and decimal numbers separated by commas (HelperRecords). A state of another
-- shape counts as none, as in Java. An entry past its expiry is deleted first and counts as none.
-- Returns {state, effect, previous expiry digits, previous payload}, as entry.lua does:
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

-- The numbers of a limiter payload, or nil when the payload is not one.
local function numbers(payload)
  if string.byte(payload, 1) ~= 0 or string.sub(payload, 2, 2) ~= 'L' then
    return nil
  end
  local values = {}
  for text in string.gmatch(string.sub(payload, 3), '[^,]+') do
    values[#values + 1] = tonumber(text)
  end
  return values
end

local function fixed(values, limit, permits)
  local count = 0
  if values and #values == 1 then
    count = values[1]
  end
  if count + permits <= limit then
    return {count + permits}
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

local key = KEYS[1]
local cacheNow = tonumber(ARGV[7])
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
    return {'N', 'K', previousDigits, ''}
  end
end

local algorithm, limit, period = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3])
local extra, permits, now = tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6])
local next
if algorithm == 'F' then
  next = fixed(values, limit, permits)
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
return {state, effect, previousDigits, previous}
