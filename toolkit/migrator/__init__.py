"""The migration runner's public API (the modules beside this one each do one job).

    from toolkit import migrator, project
    proj = project.find_project()                      # or project.Project(Path("my-app"))
    migrator.migrate(url, proj, migrator.Settings())   # every set, agentdb's first
    migrator.migrate(url, proj, migrator.Settings(), dry_run=True)          # the plan
    migrator.migrate(url, proj, migrator.Settings(), sets=[project.MigrationSet("pack", path)])
    migrator.rollback(url, proj, migrator.Settings(), steps=1, set_name="my_app")
    with psycopg.connect(url) as conn:
        rows = migrator.status_rows(migrator.read_states(conn, proj))

What runs, and in which transaction, is decided here, because agentdb needs what
yoyo-migrations lacks: every pending migration of a set, the repeatable objects they
require and every changed repeatable object run in ONE transaction with the
bookkeeping rows (a `-- transactional: false` migration is a commit point); content
checksums (a changed applied file is drift, and migrate refuses); an advisory lock that
a crashed run cannot leave behind; lock_timeout and statement_timeout on every
statement. yoyo reads the files and keeps its own tables through its public backend API.
"""

from .apply import migrate
from .lock import LOCK_KEY, migration_lock
from .plan import Step, plan, rollback_targets
from .rollback import choose_set, rollback
from .run import Settings
from .state import State, read_state, read_states
from .status import status_rows, summary

__all__ = ["LOCK_KEY", "Settings", "State", "Step", "choose_set", "migrate", "migration_lock", "plan", "read_state",
           "read_states", "rollback", "rollback_targets", "status_rows", "summary"]
