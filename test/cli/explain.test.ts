import { Command, CommanderError } from 'commander';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { register_explain, render_explain } from '../../cli/commands/explain';
import { explain_connections } from '../../model/explain';
import { get_builtin_profile } from '../../model/profile';
import { InputError } from '../../model/schema/format_zod_error';

async function run(args: string[]): Promise<string> {
  const program = new Command().exitOverride().configureOutput({ writeErr: () => {}, writeOut: () => {} });
  register_explain(program);
  for (const c of program.commands) c.exitOverride().configureOutput({ writeErr: () => {}, writeOut: () => {} });
  let out = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => {
    out += String(s);
    return true;
  });
  try {
    await program.parseAsync(['node', 'tcpmem', 'explain', '--profile', '6.18.44-reference', ...args]);
  } finally {
    spy.mockRestore();
  }
  return out;
}
afterEach(() => vi.restoreAllMocks());

describe('tcpmem explain', () => {
  it('prints the idle loopback pair breakdown with the slab total and the tcp_mem region', async () => {
    const out = await run(['--connections', '10000']);
    expect(out).toMatch(/TCP\s+2\s+4,736/);
    expect(out).toMatch(/slab total\s+7,536/);
    expect(out).toMatch(/× 10,000: 75,360,000 B/);
    expect(out).toMatch(/→ below_min/);
    expect(out).toMatch(/±510 pages/);
  });
  it('prints the same numbers as JSON with --json', async () => {
    const j = JSON.parse(await run(['--connections', '12000000', '--json', '--epoll']));
    expect(j.per_connection.slab_bytes).toBe(7952);
    expect(j.totals.slab_bytes).toBe(12_000_000 * 7952);
    expect(j.tcp_mem.region).toBe('below_min');
    expect(j.profile.id).toBe('6.18.44-reference');
  });
  it('accepts byte sizes with units and names the coalescing assumption', async () => {
    const out = await run(['--side', 'server', '--unread-bytes', '2KiB', '--segment-bytes', '1KiB']); // default --coalescing all
    expect(out).toMatch(/server receive queue\s+1\s+2,048\s+2,880/); // 2 segments coalesced: 832 + 2048
    expect(out).toMatch(/every skb coalesces up to 17 segments/);
  });
  it('rejects a negative count naming the flag and the allowed range', async () => {
    const e = await run(['--connections', '-5']).catch((x) => x);
    expect(e).toBeInstanceOf(CommanderError);
    expect(e.message).toMatch(/--connections.*out of range; allowed: 0 to/);
  });
  it('rejects an unknown state listing the allowed ones', async () => {
    const e = await run(['--state', 'closing']).catch((x) => x);
    expect(e.message).toMatch(/allowed: established, listen, syn_recv, time_wait, orphan/);
  });
  it('rejects an unknown profile with an InputError listing the known ids (exit 2 in main)', async () => {
    const program = new Command().exitOverride();
    register_explain(program);
    await expect(program.parseAsync(['node', 'tcpmem', 'explain', '--profile', 'nope'])).rejects.toThrow(InputError);
    await expect(program.parseAsync(['node', 'tcpmem', 'explain', '--profile', 'nope'])).rejects.toThrow(/known ids: 6\.18\.44-reference, debian-6\.1\.192-amd64/);
  });
  it('rejects unread bytes beyond what the receiver admits', async () => {
    await expect(run(['--side', 'server', '--unread-bytes', '1MiB'])).rejects.toThrow(/--unread-bytes 1048576 .* allowed: 0 to/);
  });
  it('rejects a malformed --tcp-mem', async () => {
    const e = await run(['--tcp-mem', '3 2 1']).catch((x) => x);
    expect(e.message).toMatch(/allowed only min <= pressure <= max/);
  });
});

describe('render_explain', () => {
  it('says when a connection charges tcp_mem pages and from how many connections pressure starts', () => {
    const r = explain_connections(get_builtin_profile('6.18.44-reference'), {
      connections: 1, state: 'established', side: 'pair', link: 'loopback', ip: 'ipv4', epoll: false,
      unread_bytes: 0, coalescing: 'quickack', unsent_bytes: 100_000, unacked_bytes: 0,
    });
    expect(render_explain(r, 'test')).toMatch(/memory pressure from 15,355 pairs/); // floor(383865 / 25) + 1
  });
});
