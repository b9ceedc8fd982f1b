-- Heartwood accounts: agentdb's core.users with a username.
-- depends: heartwood.tg_users
create or replace view heartwood.users
with (security_invoker = true)
as
select
    u.id,
    u.username,
    u.password_hash,
    u.created_at
from core.users as u
where u.username is not null;

create or replace trigger heartwood_users_write instead of insert or update or delete on heartwood.users
for each row execute function heartwood.tg_users();

comment on view heartwood.users is 'Heartwood accounts (core.users with a username); passwords only as bcrypt/argon2 hashes made by the client';
comment on column heartwood.users.id is 'User id (uuid)';
comment on column heartwood.users.username is 'Login name, unique per tenant case-insensitively';
comment on column heartwood.users.password_hash is 'Modular-crypt hash ($2b$..., $argon2id$...)';
comment on column heartwood.users.created_at is 'Registration time';
