-- Remove ops.uuidv7().
drop function if exists ops.uuidv7();
