-- CI webhooks: a project's signing secret (GitHub's HMAC key, GitLab's token; kept, never
-- answered), and every delivery once by its id with what it started.
ALTER TABLE projects ADD COLUMN webhook_secret text;
CREATE INDEX projects_webhook_idx ON projects (repository_url) WHERE webhook_secret IS NOT NULL;

CREATE TABLE ci_hook_deliveries (
  provider    varchar(10) NOT NULL CHECK (provider IN ('github', 'gitlab')),
  delivery_id varchar(255) NOT NULL,
  event       varchar(100) NOT NULL,
  outcome     jsonb NOT NULL DEFAULT '{}',
  received_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (provider, delivery_id)
);
CREATE INDEX ci_hook_deliveries_received_idx ON ci_hook_deliveries (received_at);

-- Schedules: the tick a schedule last fired for (the leader fires each tick once).
ALTER TABLE schedules ADD COLUMN last_tick_at timestamptz;
ALTER TABLE schedules ADD COLUMN created_by uuid REFERENCES users(id) ON DELETE SET NULL;
CREATE UNIQUE INDEX schedules_suite_name_unique ON schedules (suite_id, name);
CREATE UNIQUE INDEX pool_schedules_pool_name_unique ON pool_schedules (pool_id, name);
