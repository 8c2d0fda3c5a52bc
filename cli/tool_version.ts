import * as fs from 'node:fs';
import * as path from 'node:path';

/** The package version, read once from package.json next to the build. */
export function tool_version(): string {
  for (const p of [path.join(__dirname, '..', '..', 'package.json'), path.join(__dirname, '..', 'package.json')]) {
    if (fs.existsSync(p)) return (JSON.parse(fs.readFileSync(p, 'utf8')) as { version: string }).version;
  }
  return '0.0.0';
}
