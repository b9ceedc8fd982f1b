"""The demo and the output suite, unchanged, on the distributed schema: `agentdb demo` loads
the five seed systems' data set on the cluster (each file a transaction of its own there),
loads it once, and the named queries give the same rows and types as on one node."""

from ..test_output import *  # noqa: F401,F403
