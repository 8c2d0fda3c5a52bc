import * as os from 'node:os';
import * as path from 'node:path';

/** Where the rig caches downloads and builds: $TCPMEM_CACHE_DIR, else ~/.cache/tcpmem/vm. */
export function vm_cache_dir(): string {
  const env = process.env.TCPMEM_CACHE_DIR;
  if (env && env.length > 0) return path.resolve(env);
  const xdg = process.env.XDG_CACHE_HOME;
  return path.join(xdg && xdg.length > 0 ? xdg : path.join(os.homedir(), '.cache'), 'tcpmem', 'vm');
}
