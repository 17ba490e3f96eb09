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

-- The fields of a session payload, or nil when the payload is not a well-formed one. The bytes
-- may be anyone's: a length is one to nine digits and may not reach past the payload's end, so
-- every turn of the loop moves forward by at least two bytes and copies no more than there is.
-- The five fixed fields must be there, the three times in decimal digits; with an even count the
-- sixth, the idle timeout, is decimal digits too. Returns the fields and how many are fixed.
local function fields(payload)
  if string.byte(payload, 1) ~= 0 or string.byte(payload, 2) ~= 83 then
    return nil
  end
  local out = {}
  local position = 3
  local size = #payload
  while position <= size do
    local colon = string.find(payload, ':', position, true)
    if colon == nil or colon == position or colon - position > 9 then
      return nil
    end
    local digits = string.sub(payload, position, colon - 1)
    if not string.find(digits, '^%d+$') then
      return nil
    end
    local length = tonumber(digits)
    if length > size - colon then
      return nil
    end
    out[#out + 1] = string.sub(payload, colon + 1, colon + length)
    position = colon + length + 1
  end
  if #out < 5 then
    return nil
  end
  local fixed = 5
  if #out % 2 == 0 then
    fixed = 6
  end
  for i = 3, fixed do
    if not string.find(out[i], '^%d+$') or #out[i] > 15 then
      return nil
    end
  end
  return out, fixed
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
local session, fixed = fields(previous)
if session == nil then
  return {'N', 'K', previousDigits, ''}
end
local idleFor = 0
if fixed == 6 then
  idleFor = tonumber(session[6])
end
if now >= tonumber(session[5])
    or (idleFor > 0 and now - tonumber(session[4]) >= idleFor) then
  redis.call('DEL', key)
  return {'L', 'R', previousDigits, previous}
end

local names, values = {}, {}
for i = fixed + 1, #session - 1, 2 do
  names[#names + 1] = session[i]
  values[#values + 1] = session[i + 1]
end
if ARGV[1] == 'M' then
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
      if at then
        values[at] = value
      else
        names[#names + 1] = name
        values[#values + 1] = value
      end
    elseif at then
      table.remove(names, at)
      table.remove(values, at)
    end
  end
end

local accessed = math.max(tonumber(session[4]), now)
local parts = {'\0S', field(session[1]), field(session[2]), field(session[3]),
  field(string.format('%.0f', accessed)), field(session[5])}
if fixed == 6 then
  parts[#parts + 1] = field(session[6])
end
for i = 1, #names do
  parts[#parts + 1] = field(names[i])
  parts[#parts + 1] = field(values[i])
end
local expiry = later(cacheNow, ARGV[4], previousExpiry)
local entry = '1' .. digits(expiry) .. table.concat(parts)
if expiry == ETERNAL then
  redis.call('SET', key, entry)
else
  redis.call('SET', key, entry, 'PX', math.max(1, expiry - cacheNow + retention))
end
return {'L', 'W', previousDigits, previous}
