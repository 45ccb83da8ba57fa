"""
The plugins LocalStack loads by name from this package's entry points. Each is loaded lazily,
as LocalStack's own are, so importing this module costs nothing.
"""

from localstack.runtime.server.core import RuntimeServerPlugin
from localstack.services.lambda_.invocation.plugins import RuntimeExecutorPlugin


class NodeProcessExecutorPlugin(RuntimeExecutorPlugin):
    """Lambda functions as local Node.js processes (LAMBDA_RUNTIME_EXECUTOR=node-process)."""

    name = "node-process"

    def load(self, *args, **kwargs):
        from smlp_localstack.node_executor import NodeProcessExecutor

        return NodeProcessExecutor


class LoopbackTwistedServerPlugin(RuntimeServerPlugin):
    """LocalStack's default gateway server, bound to GATEWAY_LISTEN's host (GATEWAY_SERVER=twisted-loopback)."""

    name = "twisted-loopback"

    def load(self, *args, **kwargs):
        from smlp_localstack.loopback_server import LoopbackTwistedRuntimeServer

        return LoopbackTwistedRuntimeServer()
