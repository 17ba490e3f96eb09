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
-- fields: the entry's key, the value payload, the old value payload (the value that went away is
-- the value of R and X, whose old value is empty), as RedisEvents encodes them in Java.
-- Written for the server's time: functions are defined once, not per key; events are built only
-- when there is a channel; a write is one SET (with PX unless eternal).
-- ETERNAL, digits, later, entryAt and entryState: entry-format.lua, which LuaScript prepends.

local function write(key, payload, expiry, now, retention)
  local entry = '1' .. digits(expiry) .. payload
  if expiry == ETERNAL then
    redis.call('SET', key, entry)
  else
    redis.call('SET', key, entry, 'PX', math.max(1, expiry - now + retention))
  end
end

-- Only the expiry time changes: the payload stays as it is.
local function touch(key, expiry, now, retention)
  redis.call('SETRANGE', key, 1, digits(expiry))
  if expiry == ETERNAL then
    redis.call('PERSIST', key)
  else
    redis.call('PEXPIRE', key, math.max(1, expiry - now + retention))
  end
end

local function event(events, kind, key, value, old)
  events[#events + 1] = kind .. struct.pack('>I4', #key) .. key .. struct.pack('>I4', #value)
      .. value .. struct.pack('>I4', #old) .. old
end

local replies = {}
for i = 1, #KEYS do
  local key = KEYS[i]
  local base = (i - 1) * 12
  local condition, action, payload = ARGV[base + 1], ARGV[base + 2], ARGV[base + 3]
  local now = tonumber(ARGV[base + 4])
  local retention = tonumber(ARGV[base + 8])
  local channel = ARGV[base + 11]
  local events = nil
  if channel ~= '' then
    events = {}
  end

  local state, previousDigits, previousExpiry, previous = entryState(key, now)

  local effect = 'K'
  if state == 'X' then
    redis.call('DEL', key)
    effect = 'R'
    if events then
      event(events, 'X', key, previous, '')
    end
  end
  local live = state == 'L'

  local holds
  if condition == '*' then
    holds = true
  elseif condition == 'A' then
    holds = not live
  elseif condition == 'P' then
    holds = live
  else
    holds = live and previous == ARGV[base + 9]
  end

  if holds then
    if action == 'W' then
      if live then
        write(key, payload, later(now, ARGV[base + 6], previousExpiry), now, retention)
        effect = 'W'
        if events then
          event(events, 'U', key, payload, previous)
        end
      else
        local creation = ARGV[base + 5]
        if creation == '-1' or tonumber(creation) > 0 then
          write(key, payload, later(now, creation, ETERNAL), now, retention)
          effect = 'W'
          if events then
            event(events, 'C', key, payload, '')
          end
        end
      end
    elseif action == 'R' and live then
      redis.call('DEL', key)
      effect = 'R'
      if events then
        event(events, 'R', key, previous, '')
      end
    elseif action == 'T' and live and ARGV[base + 7] ~= '-2' then
      touch(key, later(now, ARGV[base + 7], previousExpiry), now, retention)
      effect = 'T'
    end
  elseif live and condition == 'E' and ARGV[base + 7] ~= '-2' then
    touch(key, later(now, ARGV[base + 7], previousExpiry), now, retention)
    effect = 'T'
  end

  if events and #events > 0 then
    redis.call('PUBLISH', channel, ARGV[base + 12] .. table.concat(events))
  end

  replies[#replies + 1] = state
  replies[#replies + 1] = effect
  replies[#replies + 1] = previousDigits
  if ARGV[base + 10] == '1' or (condition == 'E' and live) then
    replies[#replies + 1] = previous
  else
    replies[#replies + 1] = ''
  end
end
return replies
