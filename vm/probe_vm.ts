import { gunzipSync } from 'node:zlib';
import { EnvironmentError } from '../cli/main';
import { boot_vm } from './boot_vm';
import { vm_kinds } from './vm_kinds';

/**
 * Boots the VM with the "probe" job and returns what the guest measured (slab strides,
 * struct sizes from BTF, sysctl defaults, zoneinfo): the source of the profile's values.
 * CLI: node dist/vm/probe_vm.js [vm-name] > probe.json
 */
export async function probe_vm(vm: string, on_console_line?: (l: string) => void): Promise<Record<string, unknown>> {
  const kind = vm_kinds[vm];
  if (!kind) throw new EnvironmentError(`unknown VM ${vm}`);
  const r = await boot_vm(kind, { mode: 'probe' }, { timeout_ms: 300_000, on_console_line });
  const b = r.blocks.find((x) => x.kind === 'probe');
  if (!b) throw new EnvironmentError(`the VM sent no probe result; console:\n${r.console_tail.slice(-20).join('\n')}`);
  return { ...(JSON.parse(gunzipSync(b.payload).toString('utf8')) as Record<string, unknown>), kernel_package_version: r.kernel_package_version, boot_wall_ms: r.wall_ms };
}

if (require.main === module) {
  probe_vm(process.argv[2] ?? 'debian-6.1', (l) => process.stderr.write(l + '\n')).then(
    (p) => process.stdout.write(JSON.stringify(p, null, 2) + '\n'),
    (err: unknown) => {
      process.stderr.write(`probe failed: ${(err as Error).message}\n`);
      process.exit(3);
    },
  );
}
