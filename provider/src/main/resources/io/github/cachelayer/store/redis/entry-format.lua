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

