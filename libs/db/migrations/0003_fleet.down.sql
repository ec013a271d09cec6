DROP TABLE IF EXISTS pool_schedules;
DROP TABLE IF EXISTS schedules;
DROP TABLE IF EXISTS node_configurations;
DROP TABLE IF EXISTS node_lifecycle_logs;
DROP TABLE IF EXISTS node_heartbeats;
DROP TABLE IF EXISTS nodes;
DROP TABLE IF EXISTS pools;
