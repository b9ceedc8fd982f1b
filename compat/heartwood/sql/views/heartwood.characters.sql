-- Heartwood player characters: agentdb's core.characters.
-- depends: heartwood.tg_characters
create or replace view heartwood.characters
with (security_invoker = true)
as
select
    coalesce(c.attributes ->> 'heartwood_id', c.id::text) as id,
    c.user_id,
    c.name as character_name
from core.characters as c;

create or replace trigger heartwood_characters_write instead of insert or update or delete on heartwood.characters
for each row execute function heartwood.tg_characters();

comment on view heartwood.characters is 'Heartwood player characters (core.characters): id is the Heartwood player id (attributes ->> ''heartwood_id''), else the uuid';
comment on column heartwood.characters.id is 'Player id (player_123)';
comment on column heartwood.characters.user_id is 'The account (heartwood.users.id)';
comment on column heartwood.characters.character_name is 'Name in the game';
