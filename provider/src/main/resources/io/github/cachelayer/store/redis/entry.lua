-- entry: single-key JCache operations in one round trip (get with touch, put, putIfAbsent,
-- replace, replace(k, old, new), remove, remove(k, old), and their getAnd forms), one key or
-- several (putAll, removeAll outside a cluster): KEYS[i] takes the twelve arguments
-- ARGV[(i-1)*12+1 .. i*12], described here for the first key.
--
-- KEYS[1]   the entry's key
-- ARGV[1]   condition: '*' always, 'A' no live entry, 'P' a live entry,
--           'E' a live entry whose payload equals ARGV[9]
-- ARGV[2]   effect when the condition holds: 'W' write ARGV[3], 'R' remove, 'T' touch, 'K' keep
-- ARGV[3]   the payload to write (codec bytes, without the header)
-- ARGV[4]   now, in epoch milliseconds of the client's clock
-- ARGV[5]   creation duration ms ('-1' eternal; '0' or less: not stored)
-- ARGV[6]   update duration ms ('-1' eternal, '-2' unchanged)
-- ARGV[7]   access duration ms ('-1' eternal, '-2' unchanged)
-- ARGV[8]   retention ms: how long Redis keeps an entry past its expiry
-- ARGV[9]   the expected payload, for 'E'
-- ARGV[10]  '1' to return the previous payload (always returned for 'E' and a live entry)
-- ARGV[11]  the cache's event channel, or '' when no listener is registered anywhere
-- ARGV[12]  the writer's origin id, first field of the event message
--
-- An entry whose expiry time has passed is deleted first and counts as absent (EXPIRED event).
-- A live entry that fails an 'E' condition is touched with the access duration, as JCache asks.
-- Returns {state, effect, previous expiry, previous payload} for each key, one after another:
--   state 'A' absent, 'X' expired (and deleted), 'L' live;
--   effect 'W' written, 'R' removed, 'T' touched, 'K' nothing changed.
-- Event message: origin, then per event a type byte (C, U, R, X) and three length-prefixed
-- fields: the entry's key, the value payload, the old value payload.
local ETERNAL = 9999999999999
local replies = {}
for i = 1, #KEYS do
  local key = KEYS[i]
  local offset = (i - 1) * 12
  local function arg(n)
    return ARGV[offset + n]
  end

  local now = tonumber(arg(4))
  local retention = tonumber(arg(8))

  local current = redis.call('GET', key)
  local state = 'A'
  local previousExpiry = 0
  local previous = ''
  -- A value not in CacheLayer's format ('1' and 13 digits) counts as absent, as the client's codec
  -- treats it; a write replaces it.
  if current and string.sub(current, 1, 1) == '1' and tonumber(string.sub(current, 2, 14)) then
    previousExpiry = tonumber(string.sub(current, 2, 14))
    previous = string.sub(current, 15)
    if previousExpiry ~= ETERNAL and previousExpiry <= now then
      state = 'X'
    else
      state = 'L'
    end
  end

  local events = {}
  local function event(kind, value, old)
    events[#events + 1] = kind .. struct.pack('>I4', #key) .. key .. struct.pack('>I4', #value)
        .. value .. struct.pack('>I4', #old) .. old
  end

  local function later(duration, unchanged)
    local ms = tonumber(duration)
    if ms == -2 then
      return unchanged
    elseif ms == -1 or now + ms >= ETERNAL then
      return ETERNAL
    end
    return now + ms
  end

  local function expire(expiry)
    if expiry == ETERNAL then
      redis.call('PERSIST', key)
    else
      redis.call('PEXPIRE', key, math.max(1, expiry - now + retention))
    end
  end

  local function write(payload, expiry)
    redis.call('SET', key, '1' .. string.format('%013.0f', expiry) .. payload)
    expire(expiry)
  end

  local effect = 'K'
  if state == 'X' then
    redis.call('DEL', key)
    effect = 'R'
    event('X', previous, previous)
  end
  local live = state == 'L'

  local condition = arg(1)
  local holds
  if condition == '*' then
    holds = true
  elseif condition == 'A' then
    holds = not live
  elseif condition == 'P' then
    holds = live
  else
    holds = live and previous == arg(9)
  end

  if holds then
    local action = arg(2)
    if action == 'W' then
      if live then
        write(arg(3), later(arg(6), previousExpiry))
        effect = 'W'
        event('U', arg(3), previous)
      else
        local creation = tonumber(arg(5))
        if creation == -1 or creation > 0 then
          write(arg(3), later(arg(5), ETERNAL))
          effect = 'W'
          event('C', arg(3), '')
        end
      end
    elseif action == 'R' and live then
      redis.call('DEL', key)
      effect = 'R'
      event('R', previous, previous)
    elseif action == 'T' and live and arg(7) ~= '-2' then
      local expiry = later(arg(7), previousExpiry)
      redis.call('SETRANGE', key, 1, string.format('%013.0f', expiry))
      expire(expiry)
      effect = 'T'
    end
  elseif live and condition == 'E' and arg(7) ~= '-2' then
    local expiry = later(arg(7), previousExpiry)
    redis.call('SETRANGE', key, 1, string.format('%013.0f', expiry))
    expire(expiry)
    effect = 'T'
  end

  if arg(11) ~= '' and #events > 0 then
    redis.call('PUBLISH', arg(11), arg(12) .. table.concat(events))
  end

  local returned = ''
  if arg(10) == '1' or (condition == 'E' and live) then
    returned = previous
  end
  replies[#replies + 1] = state
  replies[#replies + 1] = effect
  replies[#replies + 1] = string.format('%.0f', previousExpiry)
  replies[#replies + 1] = returned
end
return replies
