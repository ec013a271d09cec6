DROP TABLE IF EXISTS notification_attempts;
DROP TABLE IF EXISTS notification_deliveries;
DROP TABLE IF EXISTS notification_rules;
