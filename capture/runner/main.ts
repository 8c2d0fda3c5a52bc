import * as fs from 'node:fs';
import type { ConnectionGroup, ReaderProgram, SockOpts } from '../../model/scenario';
import {
  AF_INET, AF_INET6, EAGAIN, EINPROGRESS, EINTR, EPOLLET, EPOLLIN, EPOLLOUT, EPOLL_CTL_ADD, F_GETFL, F_SETFL,
  IPPROTO_TCP, MSG_DONTWAIT, MSG_NOSIGNAL, O_NONBLOCK, POLLIN, POLLOUT, SOCK_CLOEXEC, SOCK_NONBLOCK, SOCK_STREAM,
  SOL_SOCKET, SO_ERROR, SO_RCVBUF, SO_REUSEADDR, SO_SNDBUF, SO_SNDTIMEO, TCP_CONGESTION, TCP_NODELAY, TCP_NOTSENT_LOWAT,
  check, errno, int_buf, libc, sockaddr, sockaddr_port,
} from './libc';
import { MinHeap } from './min_heap';
import { sockopts_for, type RunnerCommand, type RunnerConfig, type RunnerReport } from './protocol';
import { write_schedule, type ScheduledWrite } from './write_schedule';

/**
 * The workload runner: one process per side (client / server), started by run_capture with
 * `ip netns exec`. A single synchronous loop over a timeline of scheduled actions; every
 * socket is created, configured and driven through libc (koffi), so the kernel sees exactly
 * the options, epoll registrations, writes and reads the scenario describes.
 * Usage: node main.js '<RunnerConfig JSON>'; commands on stdin, reports on stdout (protocol.ts).
 */

const L = libc();
const EPOLL_EVENT_BYTES = process.arch === 'x64' ? 12 : 16;
/** Blocking writers sleep in the kernel at most this long per send() so one process can drive many. */
const BLOCKING_SNDTIMEO_MS = 10;

interface Sock {
  index: number;
  gi: number;
  conn: number;
  fd: number;
  epoll: boolean;
  /** This end runs the writer program (the writer's side, program not `none`). */
  writes: boolean;
  /** This end runs the reader program (the side opposite the writer). */
  reads: boolean;
  group: ConnectionGroup;
  sched: Generator<ScheduledWrite> | null;
  next_write: ScheduledWrite | null;
  /** Pending application writes (run-length: `count` writes of `size`), head partly sent. */
  queue: { size: number; count: number }[];
  head_left: number;
  fill_size: number;
  filling: boolean;
  written: number;
  read: number;
  eof: boolean;
}

type Action = { s: Sock; kind: 'write' | 'periodic' | 'wake' };

const config = JSON.parse(process.argv[2] ?? '{}') as RunnerConfig;
const af = config.ip === 'ipv4' ? AF_INET : AF_INET6;
let t0 = 0;
let send_errors = 0;
/** Largest delay between an action's scheduled time and when it ran. */
let max_late_ms = 0;
let stdin_buf = '';
const socks: Sock[] = [];
const by_group: Sock[][] = config.groups.map(() => []);
const heap = new MinHeap<Action>();
const pending = new Set<Sock>();
let epfd = -1;
let started = false;
let zero_buf = Buffer.alloc(65536);
const read_buf = Buffer.alloc(16 * 1024 * 1024 + 1);

function report(r: RunnerReport): void {
  fs.writeSync(1, JSON.stringify(r) + '\n');
}

function now_ms(): number {
  return performance.now() - t0;
}

function set_int(fd: number, level: number, opt: number, v: number, what: string): void {
  check(L.setsockopt(fd, level, opt, int_buf(v), 4), `setsockopt(${what}=${v})`);
}

function apply_sockopts(fd: number, o: SockOpts, phase: 'before' | 'after'): void {
  if (phase === 'before') {
    if (o.so_rcvbuf !== undefined) set_int(fd, SOL_SOCKET, SO_RCVBUF, o.so_rcvbuf, 'SO_RCVBUF');
    if (o.so_sndbuf !== undefined) set_int(fd, SOL_SOCKET, SO_SNDBUF, o.so_sndbuf, 'SO_SNDBUF');
  }
  if (o.tcp_nodelay !== undefined) set_int(fd, IPPROTO_TCP, TCP_NODELAY, o.tcp_nodelay ? 1 : 0, 'TCP_NODELAY');
  if (o.tcp_notsent_lowat !== undefined) set_int(fd, IPPROTO_TCP, TCP_NOTSENT_LOWAT, o.tcp_notsent_lowat, 'TCP_NOTSENT_LOWAT');
  if (o.tcp_congestion !== undefined) {
    const b = Buffer.from(o.tcp_congestion + '\0');
    check(L.setsockopt(fd, IPPROTO_TCP, TCP_CONGESTION, b, b.length - 1), `setsockopt(TCP_CONGESTION=${o.tcp_congestion})`);
  }
}

function make_blocking_if_needed(s: Sock): void {
  if (!s.writes || !s.group.writer.blocking || s.group.writer.program.kind === 'fill') return;
  const fl = check(L.fcntl(s.fd, F_GETFL, 0), 'fcntl(F_GETFL)');
  check(L.fcntl(s.fd, F_SETFL, fl & ~O_NONBLOCK), 'fcntl(F_SETFL)');
  const tv = Buffer.alloc(16);
  tv.writeBigInt64LE(0n, 0);
  tv.writeBigInt64LE(BigInt(BLOCKING_SNDTIMEO_MS * 1000), 8);
  check(L.setsockopt(s.fd, SOL_SOCKET, SO_SNDTIMEO, tv, 16), 'setsockopt(SO_SNDTIMEO)');
}

function new_sock(gi: number, conn: number, fd: number): Sock {
  const group = config.groups[gi];
  const writes = group.writer.side === config.role && group.writer.program.kind !== 'none';
  const reads = group.writer.side !== config.role;
  const s: Sock = {
    index: socks.length, gi, conn, fd, epoll: group.epoll, writes, reads, group, sched: null, next_write: null, queue: [], head_left: 0,
    fill_size: 0, filling: false, written: 0, read: 0, eof: false,
  };
  socks.push(s);
  by_group[gi][conn] = s;
  return s;
}

function register_epoll(s: Sock): void {
  if (!s.epoll) return;
  const ev = Buffer.alloc(EPOLL_EVENT_BYTES);
  ev.writeUInt32LE((EPOLLIN | EPOLLOUT | EPOLLET) >>> 0, 0);
  ev.writeUInt32LE(s.index, 4);
  check(L.epoll_ctl(epfd, EPOLL_CTL_ADD, s.fd, ev), 'epoll_ctl(ADD)');
}

/** Waits up to timeout_ms for stdin and the given fds; handles stdin; returns revents per extra fd. */
function wait(extra: { fd: number; events: number }[], timeout_ms: number): number[] {
  const n = 1 + extra.length;
  const b = Buffer.alloc(8 * n);
  b.writeInt32LE(0, 0);
  b.writeInt16LE(POLLIN, 4);
  extra.forEach((e, i) => {
    b.writeInt32LE(e.fd, 8 * (i + 1));
    b.writeInt16LE(e.events, 8 * (i + 1) + 4);
  });
  const rc = L.poll(b, n, Math.max(0, Math.round(timeout_ms)));
  if (rc < 0 && errno() !== EINTR) throw new Error(`poll failed: errno ${errno()}`);
  if (rc > 0 && b.readInt16LE(6) !== 0) read_stdin();
  return extra.map((_, i) => b.readInt16LE(8 * (i + 1) + 6));
}

const commands: RunnerCommand[] = [];
function read_stdin(): void {
  const b = Buffer.alloc(1 << 20);
  let n = 0;
  try {
    n = fs.readSync(0, b, 0, b.length, null);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EAGAIN') return;
    throw err;
  }
  if (n === 0) process.exit(0); // the orchestrator went away: never outlive it
  stdin_buf += b.subarray(0, n).toString('utf8');
  let i: number;
  while ((i = stdin_buf.indexOf('\n')) >= 0) {
    const line = stdin_buf.slice(0, i);
    stdin_buf = stdin_buf.slice(i + 1);
    if (line.trim() !== '') commands.push(JSON.parse(line) as RunnerCommand);
  }
}

function handle_common(c: RunnerCommand): void {
  if (c.type === 'stop') process.exit(0);
  if (c.type === 'snap') {
    report({
      type: 'snap', id: c.id, t_ms: started ? Math.round(now_ms()) : 0,
      written: by_group.map((g) => g.map((s) => s.written)),
      read: by_group.map((g) => g.map((s) => s.read)),
      send_errors,
      max_late_ms: Math.round(max_late_ms),
    });
  }
}

function next_command(timeout_ms: number): RunnerCommand | undefined {
  const deadline = performance.now() + timeout_ms;
  while (commands.length === 0 && performance.now() < deadline) wait([], Math.min(100, deadline - performance.now()));
  return commands.shift();
}

// ---------------------------------------------------------------- setup

function setup_server(): void {
  const listeners: number[] = [];
  for (const [gi, g] of config.groups.entries()) {
    const fd = check(L.socket(af, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0), 'socket');
    set_int(fd, SOL_SOCKET, SO_REUSEADDR, 1, 'SO_REUSEADDR');
    apply_sockopts(fd, sockopts_for(g, 'server'), 'before');
    const sa = sockaddr(config.ip, config.server_addr, config.base_port + gi);
    check(L.bind(fd, sa, sa.length), `bind(${config.server_addr}:${config.base_port + gi})`);
    check(L.listen(fd, 4096), 'listen');
    listeners.push(fd);
  }
  report({ type: 'listening' });
  const accepted = config.groups.map(() => new Map<number, number>());
  const expected = config.groups.reduce((a, g) => a + g.count, 0);
  let total = 0;
  let map: number[][] | null = null;
  const deadline = performance.now() + 120_000;
  while (total < expected || map === null) {
    if (performance.now() > deadline) throw new Error(`accepted ${total} of ${expected} connections in 120 s`);
    wait(listeners.map((fd) => ({ fd, events: POLLIN })), 100);
    for (const c of commands.splice(0)) {
      if (c.type === 'map') map = c.ports;
      else handle_common(c);
    }
    for (const [gi, lfd] of listeners.entries()) {
      for (;;) {
        const addr = Buffer.alloc(128);
        const len = [128];
        const fd = L.accept4(lfd, addr, len, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) {
          const e = errno();
          if (e === EAGAIN || e === EINTR) break;
          throw new Error(`accept4 failed: errno ${e}`);
        }
        apply_sockopts(fd, sockopts_for(config.groups[gi], 'server'), 'after');
        accepted[gi].set(sockaddr_port(addr), fd);
        total++;
      }
    }
  }
  for (const [gi, g] of config.groups.entries()) {
    for (let conn = 0; conn < g.count; conn++) {
      const fd = accepted[gi].get(map[gi][conn]);
      if (fd === undefined) throw new Error(`group ${g.name} conn ${conn}: no accepted socket from port ${map[gi][conn]}`);
      new_sock(gi, conn, fd);
    }
  }
}

function setup_client(): number[][] {
  const ports: number[][] = config.groups.map(() => []);
  const BATCH = 256;
  for (const [gi, g] of config.groups.entries()) {
    const sa = sockaddr(config.ip, config.server_addr, config.base_port + gi);
    for (let first = 0; first < g.count; first += BATCH) {
      const batch: Sock[] = [];
      for (let conn = first; conn < Math.min(g.count, first + BATCH); conn++) {
        const fd = check(L.socket(af, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0), 'socket');
        const s = new_sock(gi, conn, fd);
        apply_sockopts(fd, sockopts_for(g, 'client'), 'before');
        apply_sockopts(fd, sockopts_for(g, 'client'), 'after');
        const rc = L.connect(fd, sa, sa.length);
        if (rc < 0 && errno() !== EINPROGRESS) throw new Error(`connect failed: errno ${errno()}`);
        batch.push(s);
      }
      let open = batch;
      const deadline = performance.now() + 30_000;
      while (open.length > 0) {
        if (performance.now() > deadline) throw new Error(`${open.length} connects still pending after 30 s`);
        const rev = wait(open.map((s) => ({ fd: s.fd, events: POLLOUT })), 100);
        for (const c of commands.splice(0)) handle_common(c);
        open = open.filter((s, i) => {
          if (rev[i] === 0) return true;
          const b = Buffer.alloc(4);
          check(L.getsockopt(s.fd, SOL_SOCKET, SO_ERROR, b, [4]), 'getsockopt(SO_ERROR)');
          if (b.readInt32LE(0) !== 0) throw new Error(`connect of ${g.name}[${s.conn}] failed: errno ${b.readInt32LE(0)}`);
          return false;
        });
      }
      for (const s of batch) {
        const addr = Buffer.alloc(128);
        check(L.getsockname(s.fd, addr, [128]), 'getsockname');
        ports[gi][s.conn] = sockaddr_port(addr);
      }
    }
  }
  return ports;
}

// ---------------------------------------------------------------- workload

function in_stall(r: ReaderProgram, t: number): boolean {
  return r.kind !== 'never' && r.stalls.some((st) => t >= st.from_ms && t < st.to_ms);
}

function continuous_active(s: Sock, t: number): boolean {
  const r = s.group.reader;
  return s.reads && r.kind === 'continuous' && t >= r.start_ms && !in_stall(r, t);
}

function drain(s: Sock, max_bytes: number, per_call: number): void {
  let left = max_bytes;
  while (left > 0 && !s.eof) {
    const n = L.recv(s.fd, read_buf, Math.min(per_call, left), MSG_DONTWAIT);
    if (n > 0) {
      s.read += n;
      left -= n;
    } else if (n === 0) {
      s.eof = true;
    } else {
      const e = errno();
      if (e !== EAGAIN && e !== EINTR) send_errors++;
      return;
    }
  }
}

function ensure_buf(n: number): void {
  if (zero_buf.length < n) zero_buf = Buffer.alloc(n);
}

function flush(s: Sock): void {
  const flags = MSG_NOSIGNAL | (s.group.writer.blocking && !s.filling ? 0 : MSG_DONTWAIT);
  if (s.filling) {
    for (;;) {
      const n = L.send(s.fd, zero_buf, s.fill_size, flags);
      if (n > 0) {
        s.written += n;
        continue;
      }
      const e = errno();
      if (e === EINTR) continue;
      if (e !== EAGAIN) send_errors++;
      s.filling = false;
      return;
    }
  }
  while (s.queue.length > 0) {
    const head = s.queue[0];
    const want = s.head_left > 0 ? s.head_left : head.size;
    const n = L.send(s.fd, zero_buf, want, flags);
    if (n < 0) {
      const e = errno();
      if (e === EAGAIN || e === EINTR) break;
      send_errors++;
      s.queue = [];
      s.head_left = 0;
      break;
    }
    s.written += n;
    if (n === want) {
      s.head_left = 0;
      if (--head.count === 0) s.queue.shift();
    } else {
      s.head_left = want - n;
    }
  }
  if (s.queue.length > 0) pending.add(s);
  else pending.delete(s);
}

function schedule_next_write(s: Sock): void {
  const n = s.sched!.next();
  s.next_write = n.done ? null : n.value;
  if (s.next_write) heap.push(s.next_write.t_ms, { s, kind: 'write' });
}

function run_action(a: Action, t: number): void {
  const s = a.s;
  if (a.kind === 'write') {
    const w = s.next_write!;
    let was_idle = true;
    ensure_buf(w.size_bytes);
    if (w.fill) {
      s.fill_size = w.size_bytes;
      s.filling = true;
    } else {
      was_idle = s.queue.length === 0;
      const tail = s.queue[s.queue.length - 1];
      if (tail && tail.size === w.size_bytes && (s.queue.length > 1 || s.head_left === 0)) tail.count++;
      else s.queue.push({ size: w.size_bytes, count: 1 });
    }
    // A writer already waiting for space only queues the new write (no extra failing send()).
    if (w.fill || was_idle) flush(s);
    else pending.add(s);
    schedule_next_write(s);
    return;
  }
  const r = s.group.reader;
  if (a.kind === 'wake' && continuous_active(s, t) && r.kind === 'continuous') drain(s, Infinity, r.read_bytes);
}

function start_workload(): void {
  for (const s of socks) {
    if (s.writes) {
      s.sched = write_schedule(s.group, s.conn);
      schedule_next_write(s);
    } else if (s.reads) {
      const r = s.group.reader;
      if (r.kind === 'continuous') {
        heap.push(r.start_ms, { s, kind: 'wake' });
        for (const st of r.stalls) heap.push(st.to_ms, { s, kind: 'wake' });
      } else if (r.kind === 'periodic') {
        heap.push(r.start_ms, { s, kind: 'periodic' });
      }
    }
  }
}

function loop(): never {
  const evs = Buffer.alloc(EPOLL_EVENT_BYTES * 1024);
  const polled_readers = socks.filter((s) => !s.epoll && s.reads && s.group.reader.kind === 'continuous');
  for (;;) {
    const t = now_ms();
    const busy = pending.size > 0 || polled_readers.some((s) => continuous_active(s, t));
    const timeout = Math.min(heap.peek_t() - t, busy ? 1 : 50);
    const rev = wait([{ fd: epfd, events: POLLIN }], Math.max(0, timeout));
    for (const c of commands.splice(0)) handle_common(c);
    if (rev[0] !== 0) {
      const n = L.epoll_wait(epfd, evs, 1024, 0);
      for (let i = 0; i < n; i++) {
        const e = evs.readUInt32LE(i * EPOLL_EVENT_BYTES);
        const s = socks[evs.readUInt32LE(i * EPOLL_EVENT_BYTES + 4)];
        const r = s.group.reader;
        if ((e & EPOLLIN) !== 0 && r.kind === 'continuous' && continuous_active(s, now_ms())) drain(s, Infinity, r.read_bytes);
        if ((e & EPOLLOUT) !== 0 && (s.queue.length > 0 || s.filling)) flush(s);
      }
    }
    // Run due actions, but come back to poll() within ~20 ms so snaps are answered promptly.
    let a: { t: number; v: Action } | undefined;
    const budget_end = performance.now() + 20;
    while (heap.peek_t() <= now_ms() && performance.now() < budget_end && (a = heap.pop())) {
      max_late_ms = Math.max(max_late_ms, now_ms() - a.t);
      run_action_at(a.v, a.t);
    }
    const t2 = now_ms();
    for (const s of polled_readers) {
      const r = s.group.reader;
      if (r.kind === 'continuous' && continuous_active(s, t2)) drain(s, Infinity, r.read_bytes);
    }
    for (const s of [...pending]) flush(s);
  }
}

function run_action_at(a: Action, t: number): void {
  if (a.kind === 'periodic') {
    const r = a.s.group.reader;
    if (r.kind !== 'periodic') return;
    if (t >= r.start_ms && !in_stall(r, t)) drain(a.s, r.max_bytes, r.max_bytes);
    heap.push(t + r.every_ms, a);
    return;
  }
  run_action(a, t);
}

function main(): void {
  report({ type: 'hello', pid: process.pid });
  epfd = check(L.epoll_create1(0), 'epoll_create1');
  if (config.role === 'server') {
    setup_server();
  } else {
    const ports = setup_client();
    report({ type: 'connected', ports });
  }
  for (const s of socks) {
    make_blocking_if_needed(s);
    register_epoll(s);
  }
  report({ type: 'ready' });
  for (;;) {
    const c = next_command(1000);
    if (c === undefined) continue;
    if (c.type === 'start') break;
    handle_common(c);
  }
  t0 = performance.now();
  started = true;
  start_workload();
  loop();
}

try {
  main();
} catch (err) {
  report({ type: 'error', message: (err as Error).message });
  process.exit(1);
}
