-- Applying a payment rewrites its obligations' balance, which no index covers: with room left on each page the new
-- row version stays on the same page (a HOT update) and no index entry is added. Pages written from now on keep 10%
-- free; existing pages get the room as they are rewritten.
ALTER TABLE "obligations" SET (fillfactor = 90);
