-- Tables behind the embedded adapters: documents (logs, reports) and metric points.
-- With MONGO_URL / INFLUX_URL set they stay empty.
CREATE TABLE doc_test_logs (
  id             bigserial PRIMARY KEY,
  execution_id   uuid NOT NULL,
  test_id        text,
  ts             timestamptz NOT NULL,
  level          varchar(5) NOT NULL CHECK (level IN ('debug', 'info', 'warn', 'error')),
  message        text NOT NULL,
  context        jsonb NOT NULL DEFAULT '{}',
  metadata       jsonb NOT NULL DEFAULT '{}',
  correlation_id text NOT NULL,
  expires_at     timestamptz NOT NULL
);
CREATE INDEX doc_test_logs_execution_idx ON doc_test_logs (execution_id, ts, id);
CREATE INDEX doc_test_logs_expires_idx ON doc_test_logs (expires_at);

CREATE TABLE doc_test_reports (
  execution_id uuid NOT NULL,
  type         varchar(10) NOT NULL,
  generated_at timestamptz NOT NULL,
  document     jsonb NOT NULL,
  expires_at   timestamptz NOT NULL,
  PRIMARY KEY (execution_id, type)
);
CREATE INDEX doc_test_reports_generated_idx ON doc_test_reports (generated_at DESC);
CREATE INDEX doc_test_reports_expires_idx ON doc_test_reports (expires_at);

CREATE TABLE metric_points (
  id          bigserial PRIMARY KEY,
  measurement varchar(64) NOT NULL,
  tags        jsonb NOT NULL DEFAULT '{}',
  fields      jsonb NOT NULL,
  ts          timestamptz NOT NULL
);
CREATE INDEX metric_points_measurement_ts_idx ON metric_points (measurement, ts);
CREATE INDEX metric_points_tags_idx ON metric_points USING gin (tags);
