-- The write path of ingestion, made cheaper where it did work no query needs (docs/benchmarks.md).

-- A test case's updated_at tracks changes to what the case is, not to its run history, which
-- changes with every ingested result.
DROP TRIGGER test_cases_updated_at ON test_cases;
CREATE TRIGGER test_cases_updated_at
  BEFORE UPDATE OF name, description, file_path, line_number, assertions, requirements, config, tags, priority, coverage
  ON test_cases FOR EACH ROW EXECUTE FUNCTION verdict_set_updated_at();

-- Most cases have no tags: only tagged ones enter the tag index. A tag query adds
-- "AND tags <> '{}'" so the planner can use it.
DROP INDEX test_cases_tags_idx;
CREATE INDEX test_cases_tags_idx ON test_cases USING gin (tags) WHERE tags <> '{}';

-- test_results is the table that grows by every test of every run. Its foreign keys checked
-- each row on insert (a query per row and key); ingestion instead locks the execution row once
-- per batch (FOR KEY SHARE) and takes case ids from the rows it just upserted. Deletes still
-- cascade: a statement-level trigger per parent removes the results of what was deleted.
ALTER TABLE test_results DROP CONSTRAINT test_results_execution_id_fkey;
ALTER TABLE test_results DROP CONSTRAINT test_results_test_case_id_fkey;

-- The argument names the test_results column that points at the deleted rows.
CREATE FUNCTION verdict_delete_results_of() RETURNS trigger AS $$
BEGIN
  EXECUTE format('DELETE FROM test_results WHERE %I IN (SELECT id FROM gone)', TG_ARGV[0]);
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER test_executions_delete_results AFTER DELETE ON test_executions
  REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION verdict_delete_results_of('execution_id');
CREATE TRIGGER test_cases_delete_results AFTER DELETE ON test_cases
  REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION verdict_delete_results_of('test_case_id');
