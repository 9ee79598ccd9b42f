-- Dagster's runs, event logs and schedule state, apart from the warehouse (first start only).
CREATE DATABASE dagster OWNER ipbench;
