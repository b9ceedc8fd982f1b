-- Undo 0040_register_model_builds_indexes: the row trigger builds a new model's indexes again
-- (knowledge.create_embedding_indexes skips an index that exists, so the function's own call
-- and the trigger's never build one twice).
create trigger _200_create_embedding_indexes after insert on knowledge.embedding_models
for each row execute function knowledge.tg_create_embedding_indexes();
