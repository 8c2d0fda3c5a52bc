import type { Scenario } from '../model/scenario';

/** What the host asks the guest runner to do (written to the initramfs as JSON). */
export type GuestJob =
  | { mode: 'probe' }
  | {
      mode: 'capture';
      vm: string;
      scenario: Scenario;
      scenario_file: string | null;
      repeat: number;
      profile_id: string;
    };

/** Progress lines the runner prints on the console (ttyS0) while capturing. */
export function progress_line(repeat_index: number, done_ms: number, total_ms: number): string {
  return `@@TCPMEM-PROGRESS ${repeat_index} ${Math.round(done_ms)} ${Math.round(total_ms)}@@`;
}

export function parse_progress_line(line: string): { repeat_index: number; done_ms: number; total_ms: number } | null {
  const m = /@@TCPMEM-PROGRESS (\d+) (\d+) (\d+)@@/.exec(line);
  return m ? { repeat_index: Number(m[1]), done_ms: Number(m[2]), total_ms: Number(m[3]) } : null;
}

/** Kernel log lines worth keeping in meta.notes (R-6.13 "TCP: out of memory", orphans, drops). */
export function interesting_kernel_lines(lines: readonly string[]): string[] {
  return lines.filter((l) => /TCP: |out of memory|orphan|tcp_mem|sock_exceed|Out of memory|oom/i.test(l));
}
