-- Runs once when the PostgreSQL container initialises its data directory.
-- The schema itself comes from `verdict db migrate` (libs/db/migrations), never from here.
SELECT 'CREATE DATABASE verdict' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'verdict')\gexec
