-- A user written without `active` was active (the column's default) but showed no `active`, so `active pr`
-- matched it and GET did not show it. Writes now store the default; this gives the users written before it
-- the value their column already held.
UPDATE users SET data = json_set(data, '$.active', json(iif(active, 'true', 'false')))
WHERE json_type(data, '$.active') IS NULL;
