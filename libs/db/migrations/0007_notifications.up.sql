-- Notification rules (per workspace, project or suite: a channel, its target, when to send) and
-- every delivery with every attempt (mockloop-schema.md's webhooks and webhook_deliveries).
CREATE TABLE notification_rules (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  project_id   uuid REFERENCES projects(id) ON DELETE CASCADE,
  suite_id     uuid REFERENCES test_suites(id) ON DELETE CASCADE,
  name         varchar(255) NOT NULL,
  channel      varchar(10) NOT NULL CHECK (channel IN ('slack', 'email', 'webhook')),
  -- slack: {webhookUrl}; email: {recipients}; webhook: {url, secret, headers}. Secrets stay here.
  target       jsonb NOT NULL,
  send_when    varchar(10) NOT NULL CHECK (send_when IN ('always', 'failure', 'change')),
  is_active    boolean NOT NULL DEFAULT true,
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX notification_rules_workspace_idx ON notification_rules (workspace_id) WHERE is_active;
CREATE TRIGGER notification_rules_updated_at BEFORE UPDATE ON notification_rules FOR EACH ROW EXECUTE FUNCTION verdict_set_updated_at();

CREATE TABLE notification_deliveries (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workspace_id    uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  rule_id         uuid REFERENCES notification_rules(id) ON DELETE SET NULL,
  execution_id    uuid REFERENCES test_executions(id) ON DELETE CASCADE,
  channel         varchar(10) NOT NULL,
  event_type      varchar(50) NOT NULL,
  -- What is sent, rendered once when the delivery is planned.
  payload         jsonb NOT NULL,
  status          varchar(10) NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'retrying', 'delivered', 'failed')),
  attempts        integer NOT NULL DEFAULT 0,
  max_attempts    integer NOT NULL DEFAULT 8,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  last_status     integer,
  last_error      text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  delivered_at    timestamptz,
  CONSTRAINT notification_deliveries_once UNIQUE (rule_id, execution_id, event_type)
);
CREATE INDEX notification_deliveries_due_idx ON notification_deliveries (next_attempt_at) WHERE status IN ('pending', 'retrying');
CREATE INDEX notification_deliveries_execution_idx ON notification_deliveries (execution_id);
CREATE INDEX notification_deliveries_workspace_idx ON notification_deliveries (workspace_id, created_at DESC);

CREATE TABLE notification_attempts (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  delivery_id     uuid NOT NULL REFERENCES notification_deliveries(id) ON DELETE CASCADE,
  attempt_number  integer NOT NULL,
  success         boolean NOT NULL,
  response_status integer,
  response_body   text,
  duration_ms     integer NOT NULL,
  error_message   text,
  attempted_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX notification_attempts_delivery_idx ON notification_attempts (delivery_id, attempt_number);
