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
 *
 * Third fix: tslab compiles cells with TypeScript's watch program, whose file and directory
 * watchers schedule a rebuild on any change under a watched folder (the notebook's folder, the
 * resolved packages). tslab allows only its own rebuilds: a foreign one kills the kernel
 * ("Unexpected pending rebuildTimer"), e.g. when dist/ is rebuilt or a file appears and vanishes
 * next to the notebook while it runs. Real-file watchers are made inert, so a kernel compiles
 * against the files as they were when first read (restart the kernel after rebuilding dist/);
 * tslab's own in-memory files are notified by tslab itself and are unaffected.
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

const ts = require(require.resolve('@tslab/typescript-for-tslab', { paths: [tslabDir] }));
const inertWatcher = () => ({ close: () => undefined });
ts.sys.watchFile = inertWatcher;
ts.sys.watchDirectory = inertWatcher;

require(path.join(tslabDir, 'dist', 'main.js')).main();
