-- compare-and-delete: deletes a key only if it still holds the given value (a read-through
-- lease or a compare-and-set claim, released by its holder's token, so that a holder whose time
-- ran out never frees another's). Idempotent: sent again after its connection was fenced, it
-- finds the key gone or someone else's and deletes nothing.
-- KEYS[1]  the key
-- ARGV[1]  the value it must hold
-- Returns 1 when it deleted the key, else 0.
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
