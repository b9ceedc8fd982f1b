-- Tokyo-IA user_sessions: agentdb's core.user_sessions (the token only as a hash).
-- depends: tokyo_ia.tg_user_sessions
create or replace view tokyo_ia.user_sessions
with (security_invoker = true)
as
select
    s.id,
    coalesce(u.external_id, u.username, u.id::text) as user_id,
    s.token_hash as session_token,
    s.device as device_info,
    s.ip_address,
    s.started_at,
    s.last_activity_at,
    s.expires_at,
    s.status
from core.user_sessions as s
inner join core.users as u on s.tenant_id = u.tenant_id and s.user_id = u.id;

create or replace trigger tokyo_ia_user_sessions_write instead of insert or update or delete on tokyo_ia.user_sessions
for each row execute function tokyo_ia.tg_user_sessions();

comment on view tokyo_ia.user_sessions is 'Tokyo-IA user_sessions (core.user_sessions): a token written here is stored only as its sha256, which is what session_token reads back as; find a session by token with session_token = encode(sha256(convert_to(token, ''UTF8'')), ''hex'')';
comment on column tokyo_ia.user_sessions.id is 'Session id';
comment on column tokyo_ia.user_sessions.user_id is 'The user''s external id (else username, else id)';
comment on column tokyo_ia.user_sessions.session_token is 'sha256 hex digest of the session token (the token itself is never stored)';
comment on column tokyo_ia.user_sessions.device_info is 'core.user_sessions.device';
comment on column tokyo_ia.user_sessions.ip_address is 'Client address';
comment on column tokyo_ia.user_sessions.started_at is 'Login time';
comment on column tokyo_ia.user_sessions.last_activity_at is 'Last request';
comment on column tokyo_ia.user_sessions.expires_at is 'Expiry';
comment on column tokyo_ia.user_sessions.status is 'active, expired, revoked';
