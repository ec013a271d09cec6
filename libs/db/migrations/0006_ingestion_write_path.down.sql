DROP TRIGGER IF EXISTS test_cases_delete_results ON test_cases;
DROP TRIGGER IF EXISTS test_executions_delete_results ON test_executions;
DROP FUNCTION IF EXISTS verdict_delete_results_of();
DELETE FROM test_results r WHERE NOT EXISTS (SELECT 1 FROM test_executions e WHERE e.id = r.execution_id)
  OR NOT EXISTS (SELECT 1 FROM test_cases c WHERE c.id = r.test_case_id);
ALTER TABLE test_results ADD CONSTRAINT test_results_execution_id_fkey
  FOREIGN KEY (execution_id) REFERENCES test_executions(id) ON DELETE CASCADE;
ALTER TABLE test_results ADD CONSTRAINT test_results_test_case_id_fkey
  FOREIGN KEY (test_case_id) REFERENCES test_cases(id) ON DELETE CASCADE;
DROP INDEX test_cases_tags_idx;
CREATE INDEX test_cases_tags_idx ON test_cases USING gin (tags);
DROP TRIGGER test_cases_updated_at ON test_cases;
CREATE TRIGGER test_cases_updated_at BEFORE UPDATE ON test_cases FOR EACH ROW EXECUTE FUNCTION verdict_set_updated_at();
