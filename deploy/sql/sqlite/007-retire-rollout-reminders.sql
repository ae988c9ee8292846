-- Aviary schema for SQLite, version 7: reminders of a retired design removed.
--
-- Before keeper grains (RolloutKeeperGrain), each rollout registered a reminder of its own named
-- 'rollout'. Rollout grains no longer take reminders, so such a row would fire every period at a
-- grain that refuses it. Keepers wake every live rollout they hold; a rollout last written by a
-- build older than keepers is no longer woken after a restart (call it once, or start it again).
DELETE FROM OrleansRemindersTable WHERE ReminderName = 'rollout' AND GrainId LIKE 'rollout/%';
