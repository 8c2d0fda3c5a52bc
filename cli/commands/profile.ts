import type { Command } from 'commander';
import { integer_in } from '../option_parsers';
import { read_host_profile, resolve_profile } from '../../io/host_profile';
import { write_profile_file } from '../../io/profile_file';
import { builtin_profiles } from '../../model/profile';
import { InputError } from '../../model/schema/format_zod_error';

interface ProfileOptions {
  fromHost?: boolean;
  list?: boolean;
  show?: string;
  out?: string;
  id?: string;
  maxTcpHeader?: number;
}

export function register_profile(program: Command): void {
  program
    .command('profile')
    .description('Kernel profiles: list the builtin ones, show one, or derive one from the running kernel')
    .option('--from-host', 'derive a profile from this kernel (/proc/slabinfo, /sys/kernel/slab, /proc/sys, /proc/config.gz); needs root')
    .option('--out <file.json>', 'with --from-host: write the profile here (default: print it)')
    .option('--id <name>', 'with --from-host: the profile id (default host-<release>)')
    .option('--max-tcp-header <bytes>', 'with --from-host: MAX_TCP_HEADER when the kernel does not tell (Debian 6.1 amd64: 320)', integer_in(64, 4096))
    .option('--list', 'list the builtin profiles')
    .option('--show <id|file.json|host>', 'print a profile as JSON')
    .action((opts: ProfileOptions) => {
      const modes = [opts.fromHost && '--from-host', opts.list && '--list', opts.show !== undefined && '--show'].filter(Boolean);
      if (modes.length !== 1) {
        throw new InputError(`tcpmem profile needs exactly one of --from-host, --list, --show <id>${modes.length > 1 ? ` (got ${modes.join(' and ')})` : ''}`);
      }
      if (!opts.fromHost && (opts.out || opts.id || opts.maxTcpHeader !== undefined)) {
        throw new InputError('--out, --id and --max-tcp-header go with --from-host only');
      }
      if (opts.list) {
        for (const p of builtin_profiles) process.stdout.write(`${p.id.padEnd(24)} ${p.release.padEnd(20)} ${p.description}\n`);
        return;
      }
      if (opts.show !== undefined) {
        const { profile } = resolve_profile(opts.show);
        process.stdout.write(JSON.stringify(profile, null, 2) + '\n');
        return;
      }
      const { profile, notes } = read_host_profile({ id: opts.id, max_tcp_header_bytes: opts.maxTcpHeader });
      if (opts.out) {
        write_profile_file(opts.out, profile);
        process.stderr.write(`tcpmem: wrote ${opts.out} (id ${profile.id})${notes.length ? `\n  ${notes.join('\n  ')}` : ''}\n`);
      } else {
        process.stdout.write(JSON.stringify(profile, null, 2) + '\n');
      }
    });
}
