"""The generated tenant- and user-isolation suite and the search and retrieval suites,
unchanged, on the distributed schema (their fixtures build their data through the same
SQL API as the application)."""

from ..test_bm25_scopes import *  # noqa: F401,F403
from ..test_rag import *  # noqa: F401,F403
from ..test_search_filters import *  # noqa: F401,F403
from ..test_security_users import *  # noqa: F401,F403
