DROP INDEX IF EXISTS pool_schedules_pool_name_unique;
DROP INDEX IF EXISTS schedules_suite_name_unique;
ALTER TABLE schedules DROP COLUMN IF EXISTS created_by;
ALTER TABLE schedules DROP COLUMN IF EXISTS last_tick_at;
DROP TABLE IF EXISTS ci_hook_deliveries;
DROP INDEX IF EXISTS projects_webhook_idx;
ALTER TABLE projects DROP COLUMN IF EXISTS webhook_secret;
