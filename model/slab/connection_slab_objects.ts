import { slab_cache_names, type ExtraSlabName, type KernelProfile, type SlabName } from '../profile/kernel_profile';
import { InputError } from '../schema/format_zod_error';

export const socket_states = ['established', 'listen', 'syn_recv', 'time_wait', 'orphan'] as const;
export type SocketState = (typeof socket_states)[number];
export const socket_sides = ['client', 'server', 'pair'] as const;
export type SocketSide = (typeof socket_sides)[number];

export interface ConnectionSlabInput {
  state: SocketState;
  /** client = the connect()ing end, server = the accept()ed end, pair = both (ESTABLISHED only). */
  side: SocketSide;
  /** Each socket fd registered in one epoll set. */
  epoll: boolean;
  ip: 'ipv4' | 'ipv6';
}

export interface SlabObjects {
  /** Cache name as the kernel names it (/sys/kernel/slab, /proc/slabinfo when not merged). */
  cache: string;
  /** Profile key of the cache (`slab` or, for the optional extras, `slab_extra`). */
  slab: SlabName | ExtraSlabName;
  objects: number;
  /** objects × stride (the slab's per-object footprint, /proc/slabinfo objsize). */
  bytes: number;
}

type AnySlab = SlabName | ExtraSlabName;

function stride_of(p: KernelProfile, slab: AnySlab): number | undefined {
  if (slab in p.slab) return p.slab[slab as SlabName].stride_bytes;
  return p.slab_extra?.[slab as ExtraSlabName]?.stride_bytes;
}

function add(p: KernelProfile, out: Map<AnySlab, number>, slab: AnySlab, n: number): void {
  if (stride_of(p, slab) === undefined) return; // an optional extra this profile does not have
  out.set(slab, (out.get(slab) ?? 0) + n);
}

/**
 * A socket with a file descriptor: the socket_alloc inode, struct file and its dentry (net/socket.c
 * sock_alloc_file, fs/file_table.c), plus their LSM blobs when the profile has them (security/security.c).
 */
function add_fd(p: KernelProfile, out: Map<AnySlab, number>, epoll: boolean): void {
  add(p, out, 'sock_inode_cache', 1);
  add(p, out, 'filp', 1);
  add(p, out, 'dentry', 1);
  add(p, out, 'lsm_inode_cache', 1);
  add(p, out, 'lsm_file_cache', 1);
  if (epoll) {
    // fs/eventpoll.c ep_insert(): one epitem, one eppoll_entry per wait queue the socket's poll registers (one),
    // and attach_epitem() gives a non-epoll file its epitems_head (ep_head) on first registration.
    add(p, out, 'eventpoll_epi', 1);
    add(p, out, 'eventpoll_pwq', 1);
    add(p, out, 'ep_head', 1);
  }
}

/** inet_hash_connect()/inet_csk_get_port(): a port of its own → one bind bucket and one bind2 bucket (6.1+). */
function add_bind_buckets(p: KernelProfile, out: Map<AnySlab, number>): void {
  add(p, out, 'tcp_bind_bucket', 1);
  add(p, out, 'tcp_bind2_bucket', 1);
}

function one_side(p: KernelProfile, out: Map<AnySlab, number>, input: ConnectionSlabInput, side: 'client' | 'server'): void {
  const v6 = input.ip === 'ipv6';
  const sock: SlabName = v6 ? 'tcp6_sock' : 'tcp_sock';
  switch (input.state) {
    case 'established':
      add(p, out, sock, 1);
      add_fd(p, out, input.epoll);
      if (side === 'client') add_bind_buckets(p, out);
      return;
    case 'listen':
      add(p, out, sock, 1);
      add_fd(p, out, input.epoll);
      add_bind_buckets(p, out);
      return;
    case 'syn_recv':
      add(p, out, v6 ? 'request_sock_tcp6' : 'request_sock_tcp', 1);
      return;
    case 'time_wait':
      add(p, out, v6 ? 'tw_sock_tcp6' : 'tw_sock_tcp', 1);
      if (side === 'client') add_bind_buckets(p, out);
      return;
    case 'orphan':
      add(p, out, sock, 1);
      if (side === 'client') add_bind_buckets(p, out);
      return;
  }
}

/**
 * Slab objects one connection (one socket, or both ends with side 'pair') holds while idle, by state.
 *
 * Kernel (R-1.3 table; measured on the reference host, data/measurements/idle-slab-*.json):
 * - ESTABLISHED: the sock (TCP 2368 / TCPv6 2496 stride, SLAB_TYPESAFE_BY_RCU), and for its fd one
 *   sock_inode_cache (socket_alloc), one filp, one dentry (net/socket.c sock_alloc_file); with epoll one epitem
 *   (eventpoll_epi) and one eppoll_entry (eventpoll_pwq). The connecting client also owns its ephemeral port:
 *   one tcp_bind_bucket and one tcp_bind2_bucket (net/ipv4/inet_hashtables.c `__inet_hash_connect`); accepted
 *   sockets share the listener's buckets.
 * - LISTEN: sock + fd objects + bind buckets (one per listener, not per connection).
 * - SYN_RECV: one request_sock_TCP(v6) mini-socket, no fd.
 * - TIME_WAIT: one tw_sock_TCP(v6); the client's bind buckets stay with it.
 * - orphaned (closed fd, e.g. FIN_WAIT with data): the sock only (+ the client's buckets).
 * - With the profile's slab_extra: one lsm_inode_cache and one lsm_file_cache blob per fd (LSM blobs), one ep_head
 *   per epoll-registered file (found by measurement, docs/model.md).
 * Model: no per-connection route/neighbour objects (shared),
 * no skbs (buffers are counted separately), one epoll registration per fd. Bind buckets are one per
 * connection, i.e. every client uses its own local port.
 */
export function connection_slab_objects(p: KernelProfile, input: ConnectionSlabInput): SlabObjects[] {
  const out = new Map<AnySlab, number>();
  if (input.side === 'pair') {
    if (input.state !== 'established') {
      throw new InputError(`side "pair" is only meaningful for state "established" (got state "${input.state}"); allowed sides for it: client, server`);
    }
    one_side(p, out, input, 'client');
    one_side(p, out, input, 'server');
  } else {
    one_side(p, out, input, input.side);
  }
  return [...out.entries()].map(([slab, objects]) => ({
    cache: slab in slab_cache_names ? slab_cache_names[slab as SlabName] : slab,
    slab,
    objects,
    bytes: objects * (stride_of(p, slab) as number),
  }));
}

/** Σ bytes of `connection_slab_objects` (same kernel mapping and simplifications). */
export function slab_bytes_per_connection(p: KernelProfile, input: ConnectionSlabInput): number {
  return connection_slab_objects(p, input).reduce((s, o) => s + o.bytes, 0);
}
