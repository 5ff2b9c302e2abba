import { strict as assert } from 'assert';
import * as crypto from 'crypto';
import * as zmq from 'zeromq';
import { KernelClient } from '../../lib/notebook/client';
import { freePorts, type ConnectionInfo } from '../../lib/notebook/connection';
import { MessageCodec } from '../../lib/notebook/wire';

describe('notebook/wire: message codec', function () {
  it('round-trips a message with identities and buffers', function () {
    const codec = new MessageCodec('k3y');
    const msg = codec.create('execute_request', { code: '1+1' });
    msg.identities = [Buffer.from('peer')];
    msg.buffers = [Buffer.from([1, 2, 3])];
    const frames = codec.encode(msg);
    assert.equal(frames[1].toString(), '<IDS|MSG>', 'delimiter follows the identities');
    const back = codec.decode(frames);
    assert.ok(back, 'a correctly signed message decodes');
    assert.deepEqual(back.content, { code: '1+1' });
    assert.equal(back.header.msg_id, msg.header.msg_id);
    assert.deepEqual(back.identities, [Buffer.from('peer')]);
    assert.deepEqual(back.buffers, [Buffer.from([1, 2, 3])]);
    assert.equal(codec.rejected, 0);
  });

  it('signs with HMAC-SHA256 over header, parent, metadata and content', function () {
    const codec = new MessageCodec('secret');
    const frames = codec.encode(codec.create('kernel_info_request', {}));
    // Reference: HMAC computed independently from the four JSON frames.
    const h = crypto.createHmac('sha256', 'secret');
    for (const f of frames.slice(2, 6)) h.update(f);
    assert.equal(frames[1].toString(), h.digest('hex'));
  });

  it('drops and counts messages with a bad signature, a foreign key or no delimiter', function () {
    const codec = new MessageCodec('right');
    const good = codec.encode(codec.create('status', { execution_state: 'idle' }));
    const tampered = good.slice();
    tampered[5] = Buffer.from(JSON.stringify({ execution_state: 'busy' }));
    assert.equal(codec.decode(tampered), null, 'content changed after signing');
    const forged = new MessageCodec('wrong').encode(codec.create('status', {}));
    assert.equal(codec.decode(forged), null, 'signed with another key');
    assert.equal(codec.decode(good.slice(1)), null, 'no delimiter');
    const badSig = good.slice();
    badSig[1] = Buffer.from('00');
    assert.equal(codec.decode(badSig), null, 'short signature');
    assert.equal(codec.rejected, 4);
    assert.ok(codec.decode(good), 'the untouched message still decodes');
  });

  it('refuses an empty key', function () {
    assert.throws(() => new MessageCodec(''), /key must be a non-empty string/);
  });

  it('a client drops a bad-signature iopub message and delivers the good one', async function () {
    const [shell, iopub, stdin, control, hb] = await freePorts();
    const info: ConnectionInfo = {
      transport: 'tcp',
      ip: '127.0.0.1',
      key: 'abc',
      signature_scheme: 'hmac-sha256',
      kernel_name: 'fake',
      shell_port: shell,
      iopub_port: iopub,
      stdin_port: stdin,
      control_port: control,
      hb_port: hb,
    };
    const pub = new zmq.Publisher({ linger: 0 });
    await pub.bind(`tcp://127.0.0.1:${iopub}`);
    const client = new KernelClient(info);
    const seen: string[] = [];
    client.onIopub((m) => seen.push(String(m.content.text)));
    const good = new MessageCodec('abc');
    const evil = new MessageCodec('not-the-key');
    try {
      // A subscriber joins late (slow joiner): publish until a good and a forged message both got
      // through (the join can fall between the two sends of a round).
      for (let i = 0; i < 50 && !(seen.includes('good') && client.rejected >= 1); i++) {
        await pub.send(evil.encode(evil.create('stream', { name: 'stdout', text: 'forged' })));
        await pub.send(good.encode(good.create('stream', { name: 'stdout', text: 'good' })));
        await new Promise((r) => setTimeout(r, 20));
      }
      assert.ok(seen.includes('good'), 'the signed message arrives');
      assert.ok(!seen.includes('forged'), 'the forged message never reaches listeners');
      assert.ok(client.rejected >= 1, `forged messages are counted (got ${client.rejected})`);
    } finally {
      client.close();
      pub.close();
    }
  });
});
