-- Worker pools, nodes, heartbeats, lifecycle logs, node configurations, schedules.
CREATE TABLE pools (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name            varchar(100) NOT NULL UNIQUE CHECK (name ~ '^[a-z0-9][a-z0-9_-]*$'),
  description     text,
  region          varchar(100) NOT NULL DEFAULT 'local',
  min_workers     integer NOT NULL DEFAULT 0 CHECK (min_workers >= 0),
  max_workers     integer NOT NULL DEFAULT 10 CHECK (max_workers >= 1),
  current_workers integer NOT NULL DEFAULT 0 CHECK (current_workers >= 0),
  status          varchar(10) NOT NULL DEFAULT 'healthy' CHECK (status IN ('healthy', 'warning', 'error')),
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT pools_min_le_max CHECK (min_workers <= max_workers)
);

CREATE TABLE nodes (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name              varchar(255) NOT NULL,
  pool_id           uuid REFERENCES pools(id) ON DELETE SET NULL,
  region            varchar(100) NOT NULL DEFAULT 'local',
  ip_address        varchar(45),
  description       text,
  labels            jsonb NOT NULL DEFAULT '{}',
  status            varchar(10) NOT NULL DEFAULT 'INACTIVE' CHECK (status IN ('ACTIVE', 'INACTIVE', 'OFFLINE', 'ERROR')),
  -- SHA-256 of the node's API key (hex); the key itself is never stored.
  api_key_hash      char(64) NOT NULL UNIQUE,
  last_heartbeat_at timestamptz,
  current_job       text,
  version           varchar(64),
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX nodes_pool_id_idx ON nodes (pool_id);
CREATE INDEX nodes_status_heartbeat_idx ON nodes (status, last_heartbeat_at);

CREATE TABLE node_heartbeats (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  node_id       uuid NOT NULL REFERENCES nodes(id) ON DELETE CASCADE,
  status        varchar(10) NOT NULL,
  config_hash   varchar(64),
  current_job   text,
  error_message text,
  metrics       jsonb NOT NULL DEFAULT '{}',
  created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX node_heartbeats_node_time_idx ON node_heartbeats (node_id, created_at DESC);

CREATE TABLE node_lifecycle_logs (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  node_id         uuid NOT NULL REFERENCES nodes(id) ON DELETE CASCADE,
  event_type      varchar(50) NOT NULL,
  previous_status varchar(10),
  new_status      varchar(10) NOT NULL,
  reason          text,
  triggered_by    varchar(20) NOT NULL DEFAULT 'system' CHECK (triggered_by IN ('heartbeat', 'manual', 'system')),
  extra_data      jsonb NOT NULL DEFAULT '{}',
  created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX node_lifecycle_logs_node_id_idx ON node_lifecycle_logs (node_id, created_at DESC);
CREATE INDEX node_lifecycle_logs_created_at_idx ON node_lifecycle_logs (created_at);

CREATE TABLE node_configurations (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  node_id     uuid NOT NULL REFERENCES nodes(id) ON DELETE CASCADE,
  yaml_config text NOT NULL,
  config_hash char(64) NOT NULL,
  is_active   boolean NOT NULL DEFAULT true,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX node_configurations_node_id_idx ON node_configurations (node_id);
CREATE UNIQUE INDEX node_configurations_one_active ON node_configurations (node_id) WHERE is_active;

CREATE TABLE schedules (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  suite_id     uuid NOT NULL REFERENCES test_suites(id) ON DELETE CASCADE,
  name         varchar(255) NOT NULL,
  cron         varchar(100) NOT NULL,
  timezone     varchar(64) NOT NULL DEFAULT 'UTC',
  branch       varchar(255),
  is_active    boolean NOT NULL DEFAULT true,
  last_run_at  timestamptz,
  next_run_at  timestamptz,
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX schedules_workspace_id_idx ON schedules (workspace_id);
CREATE INDEX schedules_suite_id_idx ON schedules (suite_id);
CREATE INDEX schedules_due_idx ON schedules (next_run_at) WHERE is_active;

CREATE TABLE pool_schedules (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  pool_id        uuid NOT NULL REFERENCES pools(id) ON DELETE CASCADE,
  name           varchar(255) NOT NULL,
  start_time     char(5) NOT NULL CHECK (start_time ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'),
  end_time       char(5) NOT NULL CHECK (end_time ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'),
  timezone       varchar(64) NOT NULL DEFAULT 'UTC',
  target_workers integer NOT NULL CHECK (target_workers >= 0),
  is_active      boolean NOT NULL DEFAULT true,
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX pool_schedules_pool_id_idx ON pool_schedules (pool_id);

CREATE TRIGGER pools_updated_at BEFORE UPDATE ON pools FOR EACH ROW EXECUTE FUNCTION verdict_set_updated_at();
CREATE TRIGGER nodes_updated_at BEFORE UPDATE ON nodes FOR EACH ROW EXECUTE FUNCTION verdict_set_updated_at();
CREATE TRIGGER schedules_updated_at BEFORE UPDATE ON schedules FOR EACH ROW EXECUTE FUNCTION verdict_set_updated_at();
CREATE TRIGGER pool_schedules_updated_at BEFORE UPDATE ON pool_schedules FOR EACH ROW EXECUTE FUNCTION verdict_set_updated_at();
