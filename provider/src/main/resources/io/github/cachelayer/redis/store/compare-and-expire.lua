-- compare-and-expire: renews a read-through lease only while it still holds its holder's token,
-- so that a holder whose lease lapsed and was taken never extends another's. Idempotent: sent
-- again, it sets the same time to live again or finds the key gone or someone else's.
-- KEYS[1]  the lease key
-- ARGV[1]  the holder's token
-- ARGV[2]  the new time to live in milliseconds
-- Returns 1 when it renewed the lease, else 0.
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0
