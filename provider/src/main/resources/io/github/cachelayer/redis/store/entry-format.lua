-- entry-format: what every entry script shares, prepended to each by LuaScript (Redis has no
-- includes). An entry is '1', its logical expiry time as 13 digits (epoch ms; all nines for
-- eternal), then the payload (EntryFormat on the Java side).
local ETERNAL = 9999999999999

-- The header's 13 expiry digits.
local function digits(expiry)
  if expiry == ETERNAL then
    return '9999999999999'
  end
  return string.format('%013.0f', expiry)
end

-- The expiry time after a duration argument: '-1' eternal, '-2' unchanged.
local function later(now, duration, unchanged)
  if duration == '-1' then
    return ETERNAL
  elseif duration == '-2' then
    return unchanged
  end
  local expiry = now + tonumber(duration)
  if expiry >= ETERNAL then
    return ETERNAL
  end
  return expiry
end

-- The string value of an entry key, false when absent; a value of another type (a list someone
-- pushed under a cache key) reads as absent too, and a write replaces it (SET takes any type).
local function entryAt(key)
  local value = redis.pcall('GET', key)
  if type(value) == 'table' and value.err then
    return false
  end
  return value
end
-- What a key holds at `now`: state 'A' (absent, or not a CacheLayer entry: it counts as absent,
-- as the client's codec treats it, and a write replaces it), 'X' (expired) or 'L' (live); then
-- the expiry digits ('0' when absent), the expiry time (0) and the payload ('').
-- Bytes in Redis may be anyone's: the header must be '1' and exactly 13 decimal digits.
local function entryState(key, now)
  local current = entryAt(key)
  if current and string.byte(current, 1) == 49 then
    local expiryDigits = string.sub(current, 2, 14)
    local expiry = nil
    if string.find(expiryDigits, '^%d%d%d%d%d%d%d%d%d%d%d%d%d$') then
      expiry = tonumber(expiryDigits)
    end
    if expiry then
      local state = 'L'
      if expiry ~= ETERNAL and expiry <= now then
        state = 'X'
      end
      return state, expiryDigits, expiry, string.sub(current, 15)
    end
  end
  return 'A', '0', 0, ''
end

