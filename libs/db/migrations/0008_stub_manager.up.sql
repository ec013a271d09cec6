-- The stub manager (stub-manager-schema.md, mockloop-schema.md): mocks, routes, conditions,
-- response sets (mockloop's scenarios and mock_responses), action scenarios with their results,
-- mock webhooks as notification rules, and the embedded journal (mock_request_logs).
CREATE TABLE mocks (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workspace_id      uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  -- The name is the base path (/mocks/<name>), so it is unique across workspaces.
  name              varchar(100) NOT NULL CONSTRAINT mocks_name_unique UNIQUE,
  description       text,
  protocol          varchar(5) NOT NULL DEFAULT 'REST' CHECK (protocol IN ('REST', 'GRPC', 'KAFKA')),
  status            varchar(8) NOT NULL DEFAULT 'ACTIVE' CHECK (status IN ('ACTIVE', 'INACTIVE')),
  response_delay_ms integer NOT NULL DEFAULT 0 CHECK (response_delay_ms >= 0),
  port              integer CONSTRAINT mocks_port_unique UNIQUE CHECK (port BETWEEN 1 AND 65535),
  metadata          jsonb NOT NULL DEFAULT '{}',
  active_set_id     uuid,
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX mocks_workspace_idx ON mocks (workspace_id, name);
CREATE INDEX mocks_status_idx ON mocks (status);
CREATE TRIGGER mocks_updated_at BEFORE UPDATE ON mocks FOR EACH ROW EXECUTE FUNCTION verdict_set_updated_at();

CREATE TABLE mock_routes (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  mock_id     uuid NOT NULL REFERENCES mocks(id) ON DELETE CASCADE,
  method      varchar(7) NOT NULL,
  path        varchar(2000) NOT NULL,
  description text,
  -- json, not jsonb: an answer keeps its keys in the order they were written.
  response    json NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT mock_routes_method_path_unique UNIQUE (mock_id, method, path)
);
CREATE TRIGGER mock_routes_updated_at BEFORE UPDATE ON mock_routes FOR EACH ROW EXECUTE FUNCTION verdict_set_updated_at();

CREATE TABLE mock_conditions (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  route_id         uuid NOT NULL REFERENCES mock_routes(id) ON DELETE CASCADE,
  parameter_name   varchar(500) NOT NULL,
  parameter_source varchar(6) NOT NULL CHECK (parameter_source IN ('QUERY', 'HEADER', 'BODY', 'PATH')),
  operator         varchar(12) NOT NULL CHECK (operator IN ('EQUALS', 'NOT_EQUALS', 'CONTAINS', 'NOT_CONTAINS', 'GREATER_THAN', 'LESS_THAN', 'REGEX')),
  expected_value   text NOT NULL,
  response         json NOT NULL,
  priority         integer NOT NULL DEFAULT 0,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX mock_conditions_route_idx ON mock_conditions (route_id, priority DESC);
CREATE TRIGGER mock_conditions_updated_at BEFORE UPDATE ON mock_conditions FOR EACH ROW EXECUTE FUNCTION verdict_set_updated_at();

CREATE TABLE mock_response_sets (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  mock_id     uuid NOT NULL REFERENCES mocks(id) ON DELETE CASCADE,
  name        varchar(255) NOT NULL,
  description text,
  -- [{method, path, response}]
  responses   json NOT NULL DEFAULT '[]',
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT mock_response_sets_name_unique UNIQUE (mock_id, name)
);
CREATE TRIGGER mock_response_sets_updated_at BEFORE UPDATE ON mock_response_sets FOR EACH ROW EXECUTE FUNCTION verdict_set_updated_at();
-- One active set per mock, held by the mock itself.
ALTER TABLE mocks ADD CONSTRAINT mocks_active_set_fk FOREIGN KEY (active_set_id) REFERENCES mock_response_sets(id) ON DELETE SET NULL;

-- Every change to what mocks answer bumps this, so each mock-server replica reloads.
CREATE TABLE mock_config_version (one boolean PRIMARY KEY DEFAULT true CHECK (one), version bigint NOT NULL);
INSERT INTO mock_config_version VALUES (true, 1);
CREATE FUNCTION verdict_bump_mock_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE mock_config_version SET version = version + 1;
  RETURN NULL;
END $$;
CREATE TRIGGER mocks_version AFTER INSERT OR UPDATE OR DELETE ON mocks FOR EACH STATEMENT EXECUTE FUNCTION verdict_bump_mock_version();
CREATE TRIGGER mock_routes_version AFTER INSERT OR UPDATE OR DELETE ON mock_routes FOR EACH STATEMENT EXECUTE FUNCTION verdict_bump_mock_version();
CREATE TRIGGER mock_conditions_version AFTER INSERT OR UPDATE OR DELETE ON mock_conditions FOR EACH STATEMENT EXECUTE FUNCTION verdict_bump_mock_version();
CREATE TRIGGER mock_response_sets_version AFTER INSERT OR UPDATE OR DELETE ON mock_response_sets FOR EACH STATEMENT EXECUTE FUNCTION verdict_bump_mock_version();

CREATE TABLE scenarios (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  name         varchar(255) NOT NULL,
  description  text,
  status       varchar(9) NOT NULL DEFAULT 'DRAFT' CHECK (status IN ('DRAFT', 'READY', 'RUNNING', 'COMPLETED', 'FAILED')),
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT scenarios_name_unique UNIQUE (workspace_id, name)
);
CREATE INDEX scenarios_status_idx ON scenarios (status);
CREATE TRIGGER scenarios_updated_at BEFORE UPDATE ON scenarios FOR EACH ROW EXECUTE FUNCTION verdict_set_updated_at();

CREATE TABLE scenario_actions (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  scenario_id uuid NOT NULL REFERENCES scenarios(id) ON DELETE CASCADE,
  "order"     integer NOT NULL,
  action_type varchar(12) NOT NULL CHECK (action_type IN ('START_MOCK', 'STOP_MOCK', 'SET_DELAY', 'WAIT', 'HTTP_REQUEST')),
  parameters  jsonb NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT scenario_actions_order_unique UNIQUE (scenario_id, "order")
);

-- stub-manager-schema.md's test_results, named for what they hold.
CREATE TABLE scenario_results (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  scenario_id   uuid NOT NULL REFERENCES scenarios(id) ON DELETE CASCADE,
  status        varchar(7) NOT NULL CHECK (status IN ('SUCCESS', 'FAILED', 'PARTIAL')),
  results       jsonb NOT NULL,
  duration_ms   integer NOT NULL,
  error_message text,
  execution_id  text,
  executed_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX scenario_results_scenario_idx ON scenario_results (scenario_id, executed_at DESC);
CREATE INDEX scenario_results_executed_idx ON scenario_results (executed_at DESC);

-- Mock webhooks are notification rules of a mock, for some of its events: the notifier's
-- deliveries, retries and attempt log serve them as they serve run notifications.
ALTER TABLE notification_rules ADD COLUMN mock_id uuid REFERENCES mocks(id) ON DELETE CASCADE;
ALTER TABLE notification_rules ADD COLUMN events text[];
CREATE INDEX notification_rules_mock_idx ON notification_rules (mock_id) WHERE mock_id IS NOT NULL;

-- The embedded journal (MongoDB's mock_request_logs when MONGO_URL is set).
CREATE TABLE doc_mock_request_logs (
  id               bigserial PRIMARY KEY,
  request_id       text NOT NULL,
  mock_id          uuid NOT NULL,
  mock_name        text NOT NULL,
  ts               timestamptz NOT NULL,
  method           varchar(10) NOT NULL,
  path             text NOT NULL,
  query            jsonb NOT NULL DEFAULT '{}',
  headers          jsonb NOT NULL DEFAULT '{}',
  request_body     text,
  request_json     jsonb,
  response_status  integer NOT NULL,
  response_headers jsonb NOT NULL DEFAULT '{}',
  response_body    text,
  response_time_ms real NOT NULL,
  client_ip        text,
  user_agent       text,
  scenario         text,
  execution_id     text,
  route            text,
  matched          varchar(12) NOT NULL,
  expires_at       timestamptz NOT NULL
);
CREATE INDEX doc_mock_request_logs_mock_idx ON doc_mock_request_logs (mock_id, ts);
CREATE INDEX doc_mock_request_logs_verify_idx ON doc_mock_request_logs (mock_id, execution_id, method, ts);
CREATE INDEX doc_mock_request_logs_expires_idx ON doc_mock_request_logs (expires_at);
