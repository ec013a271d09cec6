-- The shards of an execution's plan: who runs each, and when each is done.
CREATE TABLE execution_shards (
  execution_id uuid NOT NULL REFERENCES test_executions(id) ON DELETE CASCADE,
  shard_index  integer NOT NULL CHECK (shard_index >= 0),
  files        text[] NOT NULL,
  predicted_ms integer NOT NULL DEFAULT 0,
  status       varchar(10) NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'done', 'cancelled')),
  node_id      uuid REFERENCES nodes(id) ON DELETE SET NULL,
  job_id       uuid,
  -- Results the worker says the shard produced; the shard is complete once that many are stored.
  total_tests  integer,
  stored_tests integer NOT NULL DEFAULT 0,
  started_at   timestamptz,
  completed_at timestamptz,
  PRIMARY KEY (execution_id, shard_index)
);
CREATE INDEX execution_shards_node_id_idx ON execution_shards (node_id);
