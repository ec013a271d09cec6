DROP TABLE IF EXISTS metric_points;
DROP TABLE IF EXISTS doc_test_reports;
DROP TABLE IF EXISTS doc_test_logs;
