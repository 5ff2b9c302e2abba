#!/usr/bin/env node
'use strict';
/**
 * Starts this package's tslab kernel (same arguments as tslab's own CLI) with one fix.
 *
 * tslab 1.0.22 sends on its ZeroMQ sockets without awaiting each send. zeromq 6 (the version npm
 * installs for tslab's `^6.0.0-beta.16`) allows one send in flight per socket and rejects the
 * next with "Socket is busy writing", which kills the kernel when a cell emits several outputs
 * in a burst. Chaining each socket's sends through a queue restores the ordering tslab assumes.
 *
 * Second fix: a ZeroMQ publisher silently drops messages once 1,000 wait for a subscriber, so a
 * cell printing 10,000 lines lost output on a loaded machine. The iopub publisher's send queue is
 * made unbounded (set before bind, so it applies to the runner's connection).
 */
const path = require('path');

const tslabDir = path.dirname(require.resolve('tslab/package.json'));
const zmq = require(require.resolve('zeromq', { paths: [tslabDir] }));

const originalSend = zmq.Socket.prototype.send;
const pending = new WeakMap();
// zeromq defines send as non-writable but configurable, so it is redefined rather than assigned.
Object.defineProperty(zmq.Socket.prototype, 'send', {
  configurable: true,
  writable: false,
  value: function queuedSend(message) {
    const previous = pending.get(this) || Promise.resolve();
    const sent = previous.then(() => originalSend.call(this, message));
    // The queue continues after a failed send; the caller still sees the failure.
    pending.set(
      this,
      sent.catch(() => undefined),
    );
    return sent;
  },
});

const originalBind = zmq.Publisher.prototype.bind;
Object.defineProperty(zmq.Publisher.prototype, 'bind', {
  configurable: true,
  writable: false,
  value: function unboundedBind(address) {
    this.sendHighWaterMark = 0;
    return originalBind.call(this, address);
  },
});

require(path.join(tslabDir, 'dist', 'main.js')).main();
