'use strict';
/**
 * Preloaded into an emulator that binds every interface (kinesis-mock's host is compiled in as
 * 0.0.0.0): every server it starts listens on 127.0.0.1 instead, so nothing on the network can
 * reach the local system. `node --require loopback-only.cjs emulator.js`.
 */
const net = require('node:net');

const LOOPBACK = '127.0.0.1';
const ANY = new Set([undefined, null, '', '0.0.0.0', '::']);
const listen = net.Server.prototype.listen;

net.Server.prototype.listen = function listenOnLoopback(...args) {
  const [first] = args;
  if (first !== null && typeof first === 'object' && !Array.isArray(first)) {
    // listen({ port, host, ... }, callback?)
    if (ANY.has(first.host) && first.path === undefined) args[0] = { ...first, host: LOOPBACK };
  } else if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) {
    // listen(port, host?, backlog?, callback?)
    if (typeof args[1] === 'function' || args[1] === undefined) args.splice(1, 0, LOOPBACK);
    else if (ANY.has(args[1])) args[1] = LOOPBACK;
  }
  return listen.apply(this, args);
};
