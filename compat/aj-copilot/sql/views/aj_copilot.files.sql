-- AJ Copilot files: chat.files under AJ's name; a write passes through to chat.files (a simple view, so PostgreSQL updates it itself).
create or replace view aj_copilot.files
with (security_invoker = true)
as
select
    f.id,
    f.tenant_id as organization_id,
    f.user_id,
    f.conversation_id,
    f.agent_id,
    f.kind,
    f.name,
    f.content_type,
    f.size_bytes,
    f.sha256,
    f.workspace_path,
    f.metadata,
    f.created_at,
    f.updated_at,
    f.archived_at
from chat.files as f;

comment on view aj_copilot.files is 'Uploaded and generated files (chat.files) with their place workspaces/{org_id}/{user_id}/{conversation_id}/files/{uploads|generated|attachments}/; updatable: a write passes through to chat.files';
comment on column aj_copilot.files.id is 'chat.files.id';
comment on column aj_copilot.files.organization_id is 'chat.files.tenant_id';
comment on column aj_copilot.files.user_id is 'chat.files.user_id';
comment on column aj_copilot.files.conversation_id is 'chat.files.conversation_id';
comment on column aj_copilot.files.agent_id is 'chat.files.agent_id';
comment on column aj_copilot.files.kind is 'chat.files.kind';
comment on column aj_copilot.files.name is 'chat.files.name';
comment on column aj_copilot.files.content_type is 'chat.files.content_type';
comment on column aj_copilot.files.size_bytes is 'chat.files.size_bytes';
comment on column aj_copilot.files.sha256 is 'chat.files.sha256';
comment on column aj_copilot.files.workspace_path is 'chat.files.workspace_path';
comment on column aj_copilot.files.metadata is 'chat.files.metadata';
comment on column aj_copilot.files.created_at is 'chat.files.created_at';
comment on column aj_copilot.files.updated_at is 'chat.files.updated_at';
comment on column aj_copilot.files.archived_at is 'chat.files.archived_at';
