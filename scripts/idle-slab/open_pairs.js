#!/usr/bin/env node
'use strict';
/**
 * Opens N idle IPv4 loopback TCP connection pairs and holds them, for measuring per-connection slab cost
 * (docs/model.md "Measured idle cost"). Run inside a private network namespace by measure.js:
 *   ip netns exec <ns> node scripts/idle-slab/open_pairs.js --pairs 2000 --mode raw|raw-epoll|net [--ip ipv4|ipv6]
 * Protocol: prints "ready" once set up; on stdin "open" opens the pairs and prints "opened <n>"; on "close"
 * closes everything, prints "closed" and exits.
 * Modes: raw = socket()/connect()/accept() through koffi, no epoll; raw-epoll = the same plus one
 * epoll_ctl(ADD) per fd into a single epoll set; net = Node's net module (libuv registers every fd in its epoll).
 */
const net = require('node:net');
const readline = require('node:readline');

const args = process.argv.slice(2);
const get = (k, d) => {
  const i = args.indexOf(k);
  return i >= 0 ? args[i + 1] : d;
};
const pairs = Number(get('--pairs', '1000'));
const mode = get('--mode', 'raw');
const port = Number(get('--port', '5000'));
const ip = get('--ip', 'ipv4');
if (!['ipv4', 'ipv6'].includes(ip)) throw new Error('--ip: allowed ipv4, ipv6');
if (ip === 'ipv6' && mode === 'net') throw new Error('--ip ipv6 is supported in the raw modes only');
if (!Number.isInteger(pairs) || pairs < 1 || pairs > 9900) throw new Error('--pairs: allowed 1 to 9900');
if (!['raw', 'raw-epoll', 'net'].includes(mode)) throw new Error('--mode: allowed raw, raw-epoll, net');

function raw_api() {
  const koffi = require('koffi');
  const libc = koffi.load('libc.so.6');
  return {
    socket: libc.func('int socket(int, int, int)'),
    setsockopt: libc.func('int setsockopt(int, int, int, void *, int)'),
    bind: libc.func('int bind(int, void *, int)'),
    listen: libc.func('int listen(int, int)'),
    connect: libc.func('int connect(int, void *, int)'),
    accept: libc.func('int accept(int, void *, void *)'),
    close: libc.func('int close(int)'),
    epoll_create1: libc.func('int epoll_create1(int)'),
    epoll_ctl: libc.func('int epoll_ctl(int, int, int, void *)'),
  };
}

function sockaddr_in(p) {
  if (ip === 'ipv6') {
    const b = Buffer.alloc(28); // struct sockaddr_in6: family, port, flowinfo, ::1, scope_id
    b.writeUInt16LE(10, 0); // AF_INET6
    b.writeUInt16BE(p, 2);
    b[23] = 1;
    return b;
  }
  const b = Buffer.alloc(16);
  b.writeUInt16LE(2, 0); // AF_INET
  b.writeUInt16BE(p, 2);
  b.set([127, 0, 0, 1], 4);
  return b;
}
const af = () => (ip === 'ipv6' ? 10 : 2);
const addr_len = () => (ip === 'ipv6' ? 28 : 16);

async function main() {
  const held = [];
  let open_pairs;
  let close_all;
  if (mode === 'net') {
    const server = net.createServer((s) => held.push(s));
    await new Promise((res, rej) => server.once('error', rej).listen(port, '127.0.0.1', res));
    open_pairs = async () => {
      for (let i = 0; i < pairs; i++) {
        const before = held.length;
        const c = net.connect(port, '127.0.0.1');
        await new Promise((res, rej) => c.once('connect', res).once('error', rej));
        held.push(c);
        while (held.length < before + 2) await new Promise((r) => setImmediate(r));
      }
    };
    close_all = async () => {
      for (const s of held) s.destroy();
      await new Promise((r) => server.close(r));
    };
  } else {
    const api = raw_api();
    const ck = (v, what) => {
      if (v < 0) throw new Error(`${what} failed`);
      return v;
    };
    const lfd = ck(api.socket(af(), 1, 0), 'socket');
    const one = Buffer.alloc(4);
    one.writeInt32LE(1);
    ck(api.setsockopt(lfd, 1, 2, one, 4), 'setsockopt(SO_REUSEADDR)');
    const addr = sockaddr_in(port);
    ck(api.bind(lfd, addr, addr_len()), 'bind');
    ck(api.listen(lfd, 128), 'listen');
    const epfd = mode === 'raw-epoll' ? ck(api.epoll_create1(0), 'epoll_create1') : -1;
    const ev = Buffer.alloc(12); // struct epoll_event is packed on x86_64: u32 events, u64 data
    ev.writeUInt32LE(1, 0); // EPOLLIN
    const fds = [lfd];
    open_pairs = async () => {
      for (let i = 0; i < pairs; i++) {
        const c = ck(api.socket(af(), 1, 0), 'socket');
        ck(api.connect(c, addr, addr_len()), 'connect');
        const s = ck(api.accept(lfd, null, null), 'accept');
        fds.push(c, s);
        if (epfd >= 0) {
          ev.writeUInt32LE(c, 4);
          ck(api.epoll_ctl(epfd, 1, c, ev), 'epoll_ctl');
          ev.writeUInt32LE(s, 4);
          ck(api.epoll_ctl(epfd, 1, s, ev), 'epoll_ctl');
        }
      }
    };
    close_all = async () => {
      for (const fd of fds.reverse()) api.close(fd);
      if (epfd >= 0) api.close(epfd);
    };
  }
  const rl = readline.createInterface({ input: process.stdin });
  process.stdout.write('ready\n');
  for await (const line of rl) {
    if (line === 'open') {
      await open_pairs();
      process.stdout.write(`opened ${pairs}\n`);
    } else if (line === 'close') {
      await close_all();
      process.stdout.write('closed\n');
      rl.close();
      break;
    }
  }
  process.exit(0);
}

main().catch((e) => {
  process.stderr.write(`open_pairs: ${e.message}\n`);
  process.exit(1);
});
