"""
LocalStack's default gateway server (twisted), listening on the host GATEWAY_LISTEN names.

LocalStack 4.14's twisted server ignores the host of an IPv4 GATEWAY_LISTEN entry and binds every
interface (runtime/server/twisted.py: `TCP4ServerEndpoint(reactor, port)`, marked TODO upstream).
Its alternative, hypercorn, binds correctly but answers HTTP/2 requests, which the JavaScript
SDK's Kinesis client sends, with an empty body about half the time (measured here: 31 of 60
ListShards calls returned no shards; HTTP/1.1 on the same server: 40 of 40 correct). So this is
the twisted server with the interface passed through.
"""

from twisted.internet import endpoints

from localstack import config
from localstack.runtime.server.twisted import TwistedRuntimeServer


class LoopbackTwistedRuntimeServer(TwistedRuntimeServer):
    def register(self, gateway, listen: list[config.HostAndPort], ssl_creds=None):
        original = endpoints.TCP4ServerEndpoint
        try:
            for host_and_port in listen:
                # register() runs once at start-up, before any request: the swap cannot race.
                endpoints.TCP4ServerEndpoint = lambda reactor, port, _host=host_and_port.host: original(
                    reactor, port, interface=_host
                )
                super().register(gateway, [host_and_port], ssl_creds)
        finally:
            endpoints.TCP4ServerEndpoint = original
