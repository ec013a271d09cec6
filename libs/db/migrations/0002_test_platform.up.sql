-- Projects, environments, data sets, suites, cases, executions, results, artifacts, outbox.
CREATE TABLE projects (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workspace_id   uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  name           varchar(255) NOT NULL,
  slug           varchar(100) NOT NULL CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
  description    text,
  repository_url text,
  default_branch varchar(255) NOT NULL DEFAULT 'main',
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT projects_workspace_slug_unique UNIQUE (workspace_id, slug)
);
CREATE INDEX projects_workspace_id_idx ON projects (workspace_id);

CREATE TABLE test_environments (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workspace_id   uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  project_id     uuid REFERENCES projects(id) ON DELETE CASCADE,
  name           varchar(255) NOT NULL,
  type           varchar(20) NOT NULL CHECK (type IN ('local', 'ci', 'staging', 'production')),
  infrastructure jsonb NOT NULL DEFAULT '{}',
  services       jsonb NOT NULL DEFAULT '[]',
  databases      jsonb NOT NULL DEFAULT '[]',
  variables      jsonb NOT NULL DEFAULT '{}',
  secrets        jsonb NOT NULL DEFAULT '{}',
  resources      jsonb NOT NULL DEFAULT '{}',
  restrictions   jsonb NOT NULL DEFAULT '{}',
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT test_environments_name_unique UNIQUE (workspace_id, name)
);
CREATE INDEX test_environments_workspace_id_idx ON test_environments (workspace_id);
CREATE INDEX test_environments_project_id_idx ON test_environments (project_id);

CREATE TABLE test_data_sets (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  project_id   uuid REFERENCES projects(id) ON DELETE CASCADE,
  name         varchar(255) NOT NULL,
  type         varchar(20) NOT NULL CHECK (type IN ('fixture', 'seed', 'generated', 'snapshot')),
  schema       jsonb NOT NULL DEFAULT '{}',
  data         jsonb NOT NULL DEFAULT '{}',
  generation   jsonb,
  lifecycle    jsonb NOT NULL DEFAULT '{}',
  usage        jsonb NOT NULL DEFAULT '{"count":0,"suites":[]}',
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT test_data_sets_name_unique UNIQUE (workspace_id, name)
);
CREATE INDEX test_data_sets_workspace_id_idx ON test_data_sets (workspace_id);
CREATE INDEX test_data_sets_project_id_idx ON test_data_sets (project_id);

CREATE TABLE test_suites (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  project_id   uuid NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  name         varchar(255) NOT NULL,
  description  text,
  type         varchar(20) NOT NULL CHECK (type IN ('unit', 'integration', 'e2e', 'performance', 'security')),
  run          jsonb NOT NULL,
  config       jsonb NOT NULL DEFAULT '{}',
  selectors    jsonb NOT NULL DEFAULT '{}',
  setup        jsonb NOT NULL DEFAULT '{}',
  metadata     jsonb NOT NULL DEFAULT '{}',
  statistics   jsonb NOT NULL DEFAULT '{"totalTests":0,"avgDuration":0,"passRate":0,"flakyTests":[]}',
  is_active    boolean NOT NULL DEFAULT true,
  created_by   uuid REFERENCES users(id) ON DELETE SET NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT test_suites_name_unique UNIQUE (project_id, name)
);
CREATE INDEX test_suites_workspace_id_idx ON test_suites (workspace_id);
CREATE INDEX test_suites_project_id_idx ON test_suites (project_id);
CREATE INDEX test_suites_created_by_idx ON test_suites (created_by);
CREATE INDEX test_suites_type_idx ON test_suites (type);

CREATE TABLE test_cases (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  suite_id        uuid NOT NULL REFERENCES test_suites(id) ON DELETE CASCADE,
  -- Stable identity of a test inside its suite: file path + full name.
  test_key        text NOT NULL,
  name            varchar(1000) NOT NULL,
  description     text,
  file_path       text NOT NULL,
  line_number     integer,
  assertions      jsonb NOT NULL DEFAULT '[]',
  requirements    jsonb NOT NULL DEFAULT '{}',
  config          jsonb NOT NULL DEFAULT '{}',
  tags            text[] NOT NULL DEFAULT '{}',
  priority        varchar(10) NOT NULL DEFAULT 'medium' CHECK (priority IN ('critical', 'high', 'medium', 'low')),
  coverage        jsonb NOT NULL DEFAULT '{"lines":[],"branches":[],"functions":[]}',
  runs            integer NOT NULL DEFAULT 0,
  passes          integer NOT NULL DEFAULT 0,
  failures        integer NOT NULL DEFAULT 0,
  avg_duration_ms double precision NOT NULL DEFAULT 0,
  last_failure_at timestamptz,
  last_status     varchar(10),
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT test_cases_key_unique UNIQUE (suite_id, test_key)
);
CREATE INDEX test_cases_tags_idx ON test_cases USING gin (tags);
CREATE INDEX test_cases_file_idx ON test_cases (suite_id, file_path);

CREATE TABLE test_executions (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workspace_id   uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  suite_id       uuid NOT NULL REFERENCES test_suites(id) ON DELETE CASCADE,
  user_id        uuid REFERENCES users(id) ON DELETE SET NULL,
  environment_id uuid REFERENCES test_environments(id) ON DELETE SET NULL,
  data_set_id    uuid REFERENCES test_data_sets(id) ON DELETE SET NULL,
  status         varchar(16) NOT NULL DEFAULT 'queued'
                 CHECK (status IN ('queued', 'preparing', 'running', 'completed', 'failed', 'cancelled')),
  trigger_type   varchar(16) NOT NULL CHECK (trigger_type IN ('manual', 'scheduled', 'ci', 'webhook')),
  branch         varchar(255),
  commit_sha     varchar(64),
  trigger        jsonb NOT NULL,
  config         jsonb NOT NULL,
  selection      jsonb NOT NULL DEFAULT '{"tests":[]}',
  plan           jsonb,
  resources      jsonb NOT NULL DEFAULT '{"cpu":0,"memory":0,"containers":0}',
  total          integer NOT NULL DEFAULT 0,
  completed      integer NOT NULL DEFAULT 0,
  passed         integer NOT NULL DEFAULT 0,
  failed         integer NOT NULL DEFAULT 0,
  skipped        integer NOT NULL DEFAULT 0,
  pending        integer NOT NULL DEFAULT 0,
  error          text,
  queued_at      timestamptz NOT NULL DEFAULT now(),
  started_at     timestamptz,
  completed_at   timestamptz,
  duration_ms    integer,
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX test_executions_workspace_id_idx ON test_executions (workspace_id, queued_at DESC);
CREATE INDEX test_executions_suite_id_idx ON test_executions (suite_id, queued_at DESC);
CREATE INDEX test_executions_user_id_idx ON test_executions (user_id);
CREATE INDEX test_executions_environment_id_idx ON test_executions (environment_id);
CREATE INDEX test_executions_data_set_id_idx ON test_executions (data_set_id);
CREATE INDEX test_executions_status_idx ON test_executions (status);
CREATE INDEX test_executions_branch_idx ON test_executions (suite_id, branch, queued_at DESC);

CREATE TABLE test_results (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  execution_id uuid NOT NULL REFERENCES test_executions(id) ON DELETE CASCADE,
  test_case_id uuid NOT NULL REFERENCES test_cases(id) ON DELETE CASCADE,
  shard_index  integer NOT NULL DEFAULT 0,
  status       varchar(10) NOT NULL CHECK (status IN ('passed', 'failed', 'skipped', 'pending', 'broken')),
  duration_ms  double precision NOT NULL DEFAULT 0,
  duration     jsonb NOT NULL DEFAULT '{}',
  error        jsonb,
  retry_count  integer NOT NULL DEFAULT 0,
  attempts     jsonb NOT NULL DEFAULT '[]',
  flaky        boolean NOT NULL DEFAULT false,
  coverage     jsonb,
  artifacts    jsonb NOT NULL DEFAULT '{}',
  metadata     jsonb NOT NULL DEFAULT '{}',
  created_at   timestamptz NOT NULL DEFAULT now(),
  -- One result per test per execution: a redelivered batch never adds a second row.
  CONSTRAINT test_results_unique UNIQUE (execution_id, test_case_id)
);
-- Writers supply time-ordered (v7) ids so the primary key grows at its right edge. Counts by
-- status use the unique index's execution_id prefix; no separate status index (docs/benchmarks.md).
CREATE INDEX test_results_test_case_id_idx ON test_results (test_case_id, created_at DESC);

CREATE TABLE test_artifacts (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  result_id    uuid NOT NULL REFERENCES test_results(id) ON DELETE CASCADE,
  type         varchar(20) NOT NULL,
  storage_path text NOT NULL,
  metadata     jsonb NOT NULL DEFAULT '{}',
  created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX test_artifacts_result_id_idx ON test_artifacts (result_id);

-- Transactional outbox: a row written with the change that produces the message.
CREATE TABLE outbox (
  id           uuid PRIMARY KEY,
  type         varchar(100) NOT NULL,
  envelope     jsonb NOT NULL,
  attempts     integer NOT NULL DEFAULT 0,
  last_error   text,
  created_at   timestamptz NOT NULL DEFAULT now(),
  published_at timestamptz
);
CREATE INDEX outbox_unpublished_idx ON outbox (created_at) WHERE published_at IS NULL;

CREATE TRIGGER projects_updated_at BEFORE UPDATE ON projects FOR EACH ROW EXECUTE FUNCTION verdict_set_updated_at();
CREATE TRIGGER test_environments_updated_at BEFORE UPDATE ON test_environments FOR EACH ROW EXECUTE FUNCTION verdict_set_updated_at();
CREATE TRIGGER test_data_sets_updated_at BEFORE UPDATE ON test_data_sets FOR EACH ROW EXECUTE FUNCTION verdict_set_updated_at();
CREATE TRIGGER test_suites_updated_at BEFORE UPDATE ON test_suites FOR EACH ROW EXECUTE FUNCTION verdict_set_updated_at();
CREATE TRIGGER test_cases_updated_at BEFORE UPDATE ON test_cases FOR EACH ROW EXECUTE FUNCTION verdict_set_updated_at();
CREATE TRIGGER test_executions_updated_at BEFORE UPDATE ON test_executions FOR EACH ROW EXECUTE FUNCTION verdict_set_updated_at();
