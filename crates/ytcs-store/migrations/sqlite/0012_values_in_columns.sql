-- Every period's totals are held in memory as columns (ytcs-store's
-- columns.rs), folded from data_value and kept current by each write, no
-- longer in a table. (A backup restores only into the schema it was taken
-- with, so no backup needs the table.) The values generation is now one
-- counter (meta values_generation), bumped by every write of values.
DROP TABLE data_aggregate;
DELETE FROM meta WHERE key = 'rebuild_aggregates' OR key LIKE 'values_generation:%';
