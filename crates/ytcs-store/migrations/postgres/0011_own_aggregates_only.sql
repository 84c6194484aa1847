-- The maintained aggregates keep only what is read: each unit's own sums
-- of finer periods into quarters and years (core::aggregate). Subtree
-- totals (scope 'tree'), copies of the months' raw values and totals over
-- disaggregations were written on every import and never read: about
-- fourteen rows in fifteen. The table is emptied here and rebuilt from
-- the raw values when the store next opens (meta rebuild_aggregates).
DELETE FROM data_aggregate;
INSERT INTO meta (key, value)
    SELECT 'rebuild_aggregates', '1' WHERE EXISTS (SELECT 1 FROM data_value)
    ON CONFLICT (key) DO UPDATE SET value = excluded.value;
