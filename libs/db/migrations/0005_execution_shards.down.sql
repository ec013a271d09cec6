DROP TABLE IF EXISTS execution_shards;
