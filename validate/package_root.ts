import * as fs from 'node:fs';
import * as path from 'node:path';

/** The tcpmem checkout/package root (holds package.json and data/), from source or from dist/. */
export function package_root(): string {
  let dir = __dirname;
  for (let i = 0; i < 6; i++) {
    const pj = path.join(dir, 'package.json');
    if (fs.existsSync(pj)) {
      try {
        if ((JSON.parse(fs.readFileSync(pj, 'utf8')) as { name?: string }).name === 'tcpmem') return dir;
      } catch {
        // not ours; keep walking up
      }
    }
    dir = path.dirname(dir);
  }
  throw new Error(`package_root: no tcpmem package.json above ${__dirname}`);
}
