import koffi from 'koffi';

/**
 * Thin synchronous libc bindings (koffi FFI) for the workload runner: Node's `net` cannot set
 * socket options before connect/listen and libuv registers every socket in its own epoll set,
 * so the runner talks to the kernel directly. Linux x86_64 / aarch64 constants.
 */
export const AF_INET = 2;
export const AF_INET6 = 10;
export const SOCK_STREAM = 1;
export const SOCK_NONBLOCK = 0o4000;
export const SOCK_CLOEXEC = 0o2000000;
export const SOL_SOCKET = 1;
export const SO_REUSEADDR = 2;
export const SO_ERROR = 4;
export const SO_SNDBUF = 7;
export const SO_RCVBUF = 8;
export const SO_SNDTIMEO = 21;
export const IPPROTO_TCP = 6;
export const TCP_NODELAY = 1;
export const TCP_CONGESTION = 13;
export const TCP_NOTSENT_LOWAT = 25;
export const MSG_DONTWAIT = 0x40;
export const MSG_NOSIGNAL = 0x4000;
export const EAGAIN = 11;
export const EINTR = 4;
export const EINPROGRESS = 115;
export const F_GETFL = 3;
export const F_SETFL = 4;
export const O_NONBLOCK = 0o4000;
export const EPOLLIN = 0x1;
export const EPOLLOUT = 0x4;
export const EPOLLERR = 0x8;
export const EPOLLHUP = 0x10;
export const EPOLLET = 0x80000000;
export const EPOLL_CTL_ADD = 1;
export const POLLIN = 0x1;
export const POLLOUT = 0x4;

let lib: ReturnType<typeof bind> | null = null;

function bind() {
  const c = koffi.load('libc.so.6');
  return {
    socket: c.func('int socket(int, int, int)') as (d: number, t: number, p: number) => number,
    setsockopt: c.func('int setsockopt(int, int, int, const uint8_t *, uint32_t)') as (fd: number, l: number, o: number, v: Buffer, n: number) => number,
    getsockopt: c.func('int getsockopt(int, int, int, _Out_ uint8_t *, _Inout_ uint32_t *)') as (fd: number, l: number, o: number, v: Buffer, n: number[]) => number,
    bind: c.func('int bind(int, const uint8_t *, uint32_t)') as (fd: number, a: Buffer, n: number) => number,
    listen: c.func('int listen(int, int)') as (fd: number, backlog: number) => number,
    connect: c.func('int connect(int, const uint8_t *, uint32_t)') as (fd: number, a: Buffer, n: number) => number,
    accept4: c.func('int accept4(int, _Out_ uint8_t *, _Inout_ uint32_t *, int)') as (fd: number, a: Buffer, n: number[], flags: number) => number,
    getsockname: c.func('int getsockname(int, _Out_ uint8_t *, _Inout_ uint32_t *)') as (fd: number, a: Buffer, n: number[]) => number,
    send: c.func('long send(int, const uint8_t *, unsigned long, int)') as (fd: number, b: Buffer, n: number, flags: number) => number,
    recv: c.func('long recv(int, _Out_ uint8_t *, unsigned long, int)') as (fd: number, b: Buffer, n: number, flags: number) => number,
    close: c.func('int close(int)') as (fd: number) => number,
    fcntl: c.func('int fcntl(int, int, int)') as (fd: number, cmd: number, arg: number) => number,
    epoll_create1: c.func('int epoll_create1(int)') as (flags: number) => number,
    epoll_ctl: c.func('int epoll_ctl(int, int, int, const uint8_t *)') as (epfd: number, op: number, fd: number, ev: Buffer) => number,
    epoll_wait: c.func('int epoll_wait(int, _Out_ uint8_t *, int, int)') as (epfd: number, evs: Buffer, max: number, timeout: number) => number,
    poll: c.func('int poll(_Inout_ uint8_t *, unsigned long, int)') as (fds: Buffer, n: number, timeout: number) => number,
  };
}

export function libc() {
  if (lib === null) lib = bind();
  return lib;
}

export function errno(): number {
  return koffi.errno();
}

/** Throws with the call name and errno when a libc call returned -1. */
export function check(rc: number, what: string): number {
  if (rc < 0) throw new Error(`${what} failed: errno ${errno()}`);
  return rc;
}

export function int_buf(v: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeInt32LE(v, 0);
  return b;
}

/** struct sockaddr_in / sockaddr_in6 for an address and port. */
export function sockaddr(ip: 'ipv4' | 'ipv6', addr: string, port: number): Buffer {
  if (ip === 'ipv4') {
    const b = Buffer.alloc(16);
    b.writeUInt16LE(AF_INET, 0);
    b.writeUInt16BE(port, 2);
    addr.split('.').forEach((o, i) => b.writeUInt8(Number(o), 4 + i));
    return b;
  }
  const b = Buffer.alloc(28);
  b.writeUInt16LE(AF_INET6, 0);
  b.writeUInt16BE(port, 2);
  ipv6_bytes(addr).copy(b, 8);
  return b;
}

/** Port of a sockaddr_in/in6 filled by the kernel (same offset in both). */
export function sockaddr_port(b: Buffer): number {
  return b.readUInt16BE(2);
}

function ipv6_bytes(addr: string): Buffer {
  const [head, tail] = addr.includes('::') ? addr.split('::') : [addr, ''];
  const h = head === '' ? [] : head.split(':');
  const t = tail === '' ? [] : tail.split(':');
  const groups = [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
  const b = Buffer.alloc(16);
  groups.forEach((g, i) => b.writeUInt16BE(parseInt(g, 16), i * 2));
  return b;
}
