-- compare-and-set: replaces one entry only if it still holds the bytes the client read, and
-- publishes the events of that change in the same atomic step.
-- KEYS[1]  the entry's key
-- ARGV[1]  the bytes the client read ('' when it read no entry)
-- ARGV[2]  the bytes to store ('' to delete the entry)
-- ARGV[3]  time to live in milliseconds ('0' for none: an eternal entry)
-- ARGV[4]  the cache's event channel, or '' when no listener is registered anywhere
-- ARGV[5]  the encoded events to publish on that channel
-- KEYS[2]  (optional) the entry's claim. A writer that lost several times in a row claims the
--          entry: until it has written, or the claim lapsed, every other writer's compare-and-set
--          fails as a conflict. Without it one JVM's writers, always answered first, could
--          starve another's for ever.
-- ARGV[6]  this writer's claim token, '' while it makes no claim
-- ARGV[7]  how long a claim lasts without its holder's renewal, in milliseconds
-- Returns {1} when applied (and published); {0, current} when the entry changed since the client
-- read it, with the bytes it holds now ('' for none): nothing is written or published, and the
-- client decides again on those bytes without reading them again; {0, current, 1} when this
-- writer now holds the claim. A claim is made or renewed only on a conflict, and deleted by its
-- holder's write.
-- A value of another type than string under the key (WRONGTYPE) counts as none, as GET in the
-- client does; SET replaces it.
local current = redis.pcall('GET', KEYS[1])
if current == false or (type(current) == 'table' and current.err) then
  current = ''
end
local claim = false
if KEYS[2] then
  claim = redis.pcall('GET', KEYS[2])
  if type(claim) == 'table' then
    claim = false
  end
end
if claim and claim ~= ARGV[6] then
  return {0, current, 0}
end
if current ~= ARGV[1] then
  if ARGV[6] ~= '' and KEYS[2] then
    redis.call('SET', KEYS[2], ARGV[6], 'PX', ARGV[7])
    return {0, current, 1}
  end
  return {0, current}
end
if claim then
  redis.call('DEL', KEYS[2])
end
if ARGV[2] == '' then
  if current ~= '' then
    redis.call('DEL', KEYS[1])
  end
elseif ARGV[3] == '0' then
  redis.call('SET', KEYS[1], ARGV[2])
else
  redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
end
if ARGV[4] ~= '' then
  redis.call('PUBLISH', ARGV[4], ARGV[5])
end
return {1}
