-- AJ Copilot message_files: chat.message_files under AJ's name; a write passes through to chat.message_files (a simple view, so PostgreSQL updates it itself).
create or replace view aj_copilot.message_files
with (security_invoker = true)
as
select
    x.tenant_id as organization_id,
    x.message_id,
    x.file_id,
    x.position,
    x.created_at
from chat.message_files as x;

comment on view aj_copilot.message_files is 'Files attached to messages (chat.message_files); updatable: a write passes through to chat.message_files';
comment on column aj_copilot.message_files.organization_id is 'chat.message_files.tenant_id';
comment on column aj_copilot.message_files.message_id is 'chat.message_files.message_id';
comment on column aj_copilot.message_files.file_id is 'chat.message_files.file_id';
comment on column aj_copilot.message_files.position is 'chat.message_files.position';
comment on column aj_copilot.message_files.created_at is 'chat.message_files.created_at';
