import type { KernelProfile } from '../profile/kernel_profile';
import { InputError } from '../schema/format_zod_error';
import type { Scenario } from '../scenario/scenario_schema';

/**
 * The profile a scenario actually runs with: the profile's sysctls overridden by the scenario's
 * `kernel.sysctls` (per-namespace ones, and for VM scenarios the global ones such as tcp_mem).
 *
 * Kernel: /proc/sys/net/ipv4/* and /proc/sys/net/core/* as set inside the capture's namespace.
 * Model: only the sysctls the model reads are applied; the others are accepted and listed in
 * `ignored` so the run's notes can say so.
 */
export function effective_profile(p: KernelProfile, s: Scenario): { profile: KernelProfile; ignored: string[] } {
  const sysctl = { ...p.sysctl };
  const ignored: string[] = [];
  const triple = (key: string, v: string | number): [number, number, number] => {
    const parts = String(v).trim().split(/\s+/).map(Number);
    if (parts.length !== 3 || parts.some((x) => !Number.isInteger(x) || x < 0)) {
      throw new InputError(`kernel.sysctls.${key}: "${v}" is not three whole numbers (min default max)`);
    }
    return [parts[0], parts[1], parts[2]];
  };
  const int = (key: string, v: string | number): number => {
    const n = Number(v);
    if (!Number.isInteger(n)) throw new InputError(`kernel.sysctls.${key}: "${v}" is not a whole number`);
    return n;
  };
  const bit = (key: string, v: string | number): 0 | 1 => {
    const n = int(key, v);
    if (n !== 0 && n !== 1) throw new InputError(`kernel.sysctls.${key}: "${v}" is not allowed; allowed: 0, 1`);
    return n;
  };
  for (const [key, v] of Object.entries(s.kernel.sysctls)) {
    switch (key) {
      case 'net.ipv4.tcp_rmem':
        sysctl.tcp_rmem = triple(key, v);
        break;
      case 'net.ipv4.tcp_wmem':
        sysctl.tcp_wmem = triple(key, v);
        break;
      case 'net.ipv4.tcp_mem':
        sysctl.tcp_mem = triple(key, v);
        break;
      case 'net.ipv4.tcp_congestion_control':
        sysctl.tcp_congestion_control = String(v);
        break;
      case 'net.ipv4.tcp_moderate_rcvbuf':
        sysctl.tcp_moderate_rcvbuf = bit(key, v);
        break;
      case 'net.ipv4.tcp_autocorking':
        sysctl.tcp_autocorking = bit(key, v);
        break;
      case 'net.ipv4.tcp_shrink_window':
        sysctl.tcp_shrink_window = bit(key, v);
        break;
      case 'net.ipv4.tcp_adv_win_scale':
        sysctl.tcp_adv_win_scale = int(key, v);
        break;
      case 'net.ipv4.tcp_app_win':
        sysctl.tcp_app_win = int(key, v);
        break;
      case 'net.ipv4.tcp_notsent_lowat':
        sysctl.tcp_notsent_lowat = int(key, v);
        break;
      case 'net.ipv4.tcp_limit_output_bytes':
        sysctl.tcp_limit_output_bytes = int(key, v);
        break;
      case 'net.core.rmem_max':
        sysctl.rmem_max = int(key, v);
        break;
      case 'net.core.wmem_max':
        sysctl.wmem_max = int(key, v);
        break;
      case 'net.core.rmem_default':
        sysctl.rmem_default = int(key, v);
        break;
      case 'net.core.wmem_default':
        sysctl.wmem_default = int(key, v);
        break;
      case 'net.core.mem_pcpu_rsv':
        sysctl.mem_pcpu_rsv = int(key, v);
        break;
      case 'net.ipv4.tcp_max_orphans':
        sysctl.tcp_max_orphans = int(key, v);
        break;
      default:
        ignored.push(key);
    }
  }
  return { profile: { ...p, sysctl }, ignored };
}
