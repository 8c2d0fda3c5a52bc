import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { register_profile } from '../../cli/commands/profile';
import { get_builtin_profile, parse_kernel_profile } from '../../model/profile';

const dir = mkdtempSync(join(tmpdir(), 'tcpmem-profile-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(args: string[]): Promise<string> {
  const program = new Command().exitOverride().configureOutput({ writeErr: () => {}, writeOut: () => {} });
  register_profile(program);
  for (const c of program.commands) c.exitOverride().configureOutput({ writeErr: () => {}, writeOut: () => {} });
  let out = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => {
    out += String(s);
    return true;
  });
  const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    await program.parseAsync(['node', 'tcpmem', 'profile', ...args]);
  } finally {
    spy.mockRestore();
    err.mockRestore();
  }
  return out;
}
const host_readable = (() => {
  try {
    readFileSync('/proc/slabinfo');
    return true;
  } catch {
    return false;
  }
})();

describe('tcpmem profile', () => {
  it('lists the builtin profiles', async () => {
    const out = await run(['--list']);
    expect(out).toMatch(/^6\.18\.44-reference\s+6\.18\.44-fc-v782/m);
    expect(out).toMatch(/^debian-6\.1\.192-amd64\s+6\.1\.0-56-amd64/m);
  });
  it('shows a builtin profile as JSON a profile loader accepts', async () => {
    const p = parse_kernel_profile(JSON.parse(await run(['--show', 'debian-6.1.192-amd64'])));
    expect(p).toEqual(get_builtin_profile('debian-6.1.192-amd64'));
  });
  it('names the bad field when a profile file is malformed', async () => {
    const bad = JSON.parse(JSON.stringify(get_builtin_profile('6.18.44-reference')));
    bad.struct.max_tcp_header_bytes = -1;
    const f = join(dir, 'bad.json');
    writeFileSync(f, JSON.stringify(bad));
    await expect(run(['--show', f])).rejects.toThrow(/profile file .*bad\.json is invalid:\n\s+- struct\.max_tcp_header_bytes/);
  });
  it('says when a profile file is not JSON', async () => {
    const f = join(dir, 'notjson.json');
    writeFileSync(f, '{ nope');
    await expect(run(['--show', f])).rejects.toThrow(/is not JSON/);
  });
  it('needs exactly one of --from-host, --list, --show', async () => {
    await expect(run([])).rejects.toThrow(/exactly one of --from-host, --list, --show/);
    await expect(run(['--list', '--show', 'x'])).rejects.toThrow(/got --list and --show/);
    await expect(run(['--list', '--out', 'x.json'])).rejects.toThrow(/go with --from-host only/);
  });
  it.skipIf(!host_readable)('derives this host’s profile into a file that loads and matches the reference sizes', async () => {
    const f = join(dir, 'sub', 'host.json');
    await run(['--from-host', '--out', f, '--id', 'my-host']);
    expect(existsSync(f)).toBe(true);
    const p = parse_kernel_profile(JSON.parse(readFileSync(f, 'utf8')));
    expect(p.id).toBe('my-host');
    const ref = get_builtin_profile('6.18.44-reference');
    if (p.release === ref.release) {
      expect(p.slab).toEqual(ref.slab);
      expect(p.struct).toEqual(ref.struct);
      expect(p.small_head_cache_bytes).toBe(576);
    }
  });
});
