"""The five seed conformance suites, unchanged, on the distributed schema."""

from ..seeds.conftest import client, named, owner  # noqa: F401 - fixtures the suites use
from ..seeds.test_aj_copilot import test_aj_copilot_flows  # noqa: F401
from ..seeds.test_cirkelline import *  # noqa: F401,F403
from ..seeds.test_heartwood import *  # noqa: F401,F403
from ..seeds.test_ikigai import *  # noqa: F401,F403
from ..seeds.test_tokyo_ia import *  # noqa: F401,F403
