-- session: the session manager's TouchSession (a read that extends) and MergeSession (an update)
-- (io.github.cachelayer.session) on the server, in one round trip. A port of the two processors,
-- which stay the reference (the client replays them on the session this script found, for the
-- caller's answer); HelperScriptsTest holds the two to the same stored bytes.
--
-- KEYS[1]  the entry's key
-- ARGV[1]  'T' touch, 'M' merge
-- ARGV[2]  now, epoch ms of the session manager's clock
-- ARGV[3]  now, epoch ms of the cache's clock (expiry times are computed from it)
-- ARGV[4]  update duration ms ('-1' eternal, '-2' unchanged): the idle timeout
-- ARGV[5]  retention ms: how long Redis keeps an entry past its expiry
-- ARGV[6 ..] for 'M', per change three arguments: the attribute's name, '1' to set it to the
--          third (its value as the cache's codec writes it) or '0' to remove it
--
-- The payload of a session (HelperRecords): a zero byte, 'S', then fields '<length>:<bytes>':
-- id, user id, created, last accessed, expires (absolute end), its own idle timeout in ms (only
-- when it has one: then the count of fields is even), then name and value per attribute.
-- A session past its absolute end, or idle for its own timeout, is deleted and reads as none
-- (the same answer as a session past its end). Otherwise its last access moves
-- to max(last access, now), the changes are merged (a changed attribute keeps its place, a new one
-- comes last), and it is written back with the update duration.
-- Returns {state, effect, previous expiry digits, previous payload}, as entry.lua does:
--   state 'A' absent, 'X' expired (deleted), 'L' live, or 'N' a live value that is not a session
--   record (nothing done: the client decides in Java); effect 'W' written, 'R' removed,
--   'K' nothing changed.
-- ETERNAL, digits, later, entryAt and entryState: entry-format.lua, which LuaScript prepends.

-- Where the fields of a session payload lie, or nil when the payload is not a well-formed one:
-- field i's length begins at heads[i], its bytes at from[i] and end at to[i]. The bytes may be
-- anyone's: a length is one to nine digits with no leading zero (as the writers write it, so a
-- field kept as it lies is the field written anew) and may not reach past the payload's end, so
-- every turn of the loop moves forward by at least two bytes and nothing is copied. The five
-- fixed fields must be there, the three times in decimal digits; with an even count the sixth,
-- the idle timeout, is decimal digits too. Returns heads, from, to, how many fields are fixed
-- and the times (created, last accessed, end, idle timeout or 0) as numbers.
local function fields(payload)
  if string.byte(payload, 1) ~= 0 or string.byte(payload, 2) ~= 83 then
    return nil
  end
  local heads, from, to = {}, {}, {}
  local position = 3
  local size = #payload
  local count = 0
  while position <= size do
    local digits = string.match(payload, '^(%d+):', position)
    if digits == nil or #digits > 9 or (#digits > 1 and string.byte(digits, 1) == 48) then
      return nil
    end
    local first = position + #digits + 1
    local length = tonumber(digits)
    if length > size - first + 1 then
      return nil
    end
    count = count + 1
    heads[count] = position
    from[count] = first
    to[count] = first + length - 1
    position = first + length
  end
  if count < 5 then
    return nil
  end
  local fixed = 5
  if count % 2 == 0 then
    fixed = 6
  end
  local times = {0, 0, 0, 0}
  for i = 3, fixed do
    local text = string.sub(payload, from[i], to[i])
    if not string.find(text, '^%d+$') or #text > 15 then
      return nil
    end
    times[i - 2] = tonumber(text)
  end
  return heads, from, to, fixed, times
end

local function field(text)
  return #text .. ':' .. text
end

local key = KEYS[1]
local now = tonumber(ARGV[2])
local cacheNow = tonumber(ARGV[3])
local retention = tonumber(ARGV[5])
local state, previousDigits, previousExpiry, previous = entryState(key, cacheNow)
if state == 'A' then
  return {'A', 'K', '0', ''}
end
if state == 'X' then
  redis.call('DEL', key)
  return {'X', 'R', previousDigits, previous}
end
local heads, from, to, fixed, times = fields(previous)
if heads == nil then
  return {'N', 'K', previousDigits, ''}
end
local idleFor = times[4]
if now >= times[3] or (idleFor > 0 and now - times[2] >= idleFor) then
  redis.call('DEL', key)
  return {'L', 'R', previousDigits, previous}
end

-- The fixed fields as they lie but the last access; then the attributes, as they lie for a
-- touch, merged with the changes for a merge (one piece per attribute: its name and value).
local accessed = math.max(times[2], now)
local fixedPart = string.sub(previous, 1, heads[4] - 1) .. field(string.format('%.0f', accessed))
    .. string.sub(previous, to[4] + 1, to[fixed])
local attributes
if ARGV[1] == 'M' then
  local names, pieces = {}, {}
  for i = fixed + 1, #heads - 1, 2 do
    names[#names + 1] = string.sub(previous, from[i], to[i])
    pieces[#pieces + 1] = string.sub(previous, heads[i], to[i + 1])
  end
  for c = 6, #ARGV - 2, 3 do
    local name, set, value = ARGV[c], ARGV[c + 1], ARGV[c + 2]
    local at = nil
    for i = 1, #names do
      if names[i] == name then
        at = i
        break
      end
    end
    if set == '1' then
      local piece = field(name) .. field(value)
      if at then
        pieces[at] = piece
      else
        names[#names + 1] = name
        pieces[#pieces + 1] = piece
      end
    elseif at then
      table.remove(names, at)
      table.remove(pieces, at)
    end
  end
  attributes = table.concat(pieces)
else
  attributes = string.sub(previous, to[fixed] + 1)
end
local expiry = later(cacheNow, ARGV[4], previousExpiry)
local entry = '1' .. digits(expiry) .. fixedPart .. attributes
if expiry == ETERNAL then
  redis.call('SET', key, entry)
else
  redis.call('SET', key, entry, 'PX', math.max(1, expiry - cacheNow + retention))
end
return {'L', 'W', previousDigits, previous}
