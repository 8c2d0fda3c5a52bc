import type { LinkSpec } from '../model/scenario';
import type { Cleanup } from './cleanup';
import { run, run_sync } from './exec';

/** Where the two runners live and how the client reaches the server. */
export interface Topology {
  client_ns: string;
  server_ns: string;
  /** Every namespace created (one for loopback, two for veth). */
  namespaces: string[];
  server_addr: string;
}

function delete_netns(name: string): void {
  if (run_sync('ip', ['netns', 'del', name]) === null) {
    const list = run_sync('ip', ['netns', 'list']) ?? '';
    if (list.split('\n').some((l) => l.split(' ')[0] === name)) throw new Error(`ip netns del ${name} failed`);
  }
}

async function add_netns(name: string, cleanup: Cleanup): Promise<void> {
  await run('ip', ['netns', 'add', name]);
  cleanup.add(`delete netns ${name}`, () => delete_netns(name));
  await run('ip', ['-n', name, 'link', 'set', 'lo', 'up']);
}

/**
 * Creates the private network namespace(s) of a capture: loopback → one namespace; veth →
 * a client and a server namespace joined by a veth pair created directly inside them (no
 * host interface) with the scenario's MTU. Each namespace is registered for deletion as soon
 * as it exists.
 */
export async function create_topology(base: string, link: LinkSpec, ip: 'ipv4' | 'ipv6', cleanup: Cleanup): Promise<Topology> {
  if (link.kind === 'loopback') {
    await add_netns(base, cleanup);
    return { client_ns: base, server_ns: base, namespaces: [base], server_addr: ip === 'ipv4' ? '127.0.0.1' : '::1' };
  }
  if (link.kind !== 'veth') throw new Error(`link kind ${link.kind} cannot be captured`);
  const c = `${base}-c`;
  const s = `${base}-s`;
  await add_netns(c, cleanup);
  await add_netns(s, cleanup);
  await run('ip', ['-n', c, 'link', 'add', 'veth0', 'type', 'veth', 'peer', 'name', 'veth1', 'netns', s]);
  await run('ip', ['-n', c, 'link', 'set', 'veth0', 'mtu', String(link.mtu), 'up']);
  await run('ip', ['-n', s, 'link', 'set', 'veth1', 'mtu', String(link.mtu), 'up']);
  if (ip === 'ipv4') {
    await run('ip', ['-n', c, 'addr', 'add', '10.77.0.1/24', 'dev', 'veth0']);
    await run('ip', ['-n', s, 'addr', 'add', '10.77.0.2/24', 'dev', 'veth1']);
    return { client_ns: c, server_ns: s, namespaces: [c, s], server_addr: '10.77.0.2' };
  }
  await run('ip', ['-n', c, 'addr', 'add', 'fd77::1/64', 'dev', 'veth0', 'nodad']);
  await run('ip', ['-n', s, 'addr', 'add', 'fd77::2/64', 'dev', 'veth1', 'nodad']);
  return { client_ns: c, server_ns: s, namespaces: [c, s], server_addr: 'fd77::2' };
}

/** Names of the namespaces that exist now (for the leftover checks). */
export function list_netns(): string[] {
  return (run_sync('ip', ['netns', 'list']) ?? '').split('\n').map((l) => l.split(' ')[0]).filter((n) => n !== '');
}
