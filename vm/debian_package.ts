import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { EnvironmentError } from '../cli/main';

/**
 * Fetches a Debian binary package with `apt-get download` (the ordinary client) and unpacks
 * it with `dpkg-deb -x`, once: the unpacked tree is cached under `<cache>/pkg/<name>_<version>/`
 * and reused. Unpacking goes to a temp directory renamed into place, so an interrupted
 * fetch never leaves a half-extracted tree that a later run would trust.
 */
export interface UnpackedPackage {
  name: string;
  version: string;
  root: string;
}

function have(cmd: string): boolean {
  return spawnSync('/bin/sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

function cached(cache: string, name: string): UnpackedPackage | null {
  const dir = path.join(cache, 'pkg');
  if (!fs.existsSync(dir)) return null;
  const hits = fs.readdirSync(dir).filter((d) => d.startsWith(`${name}_`) && fs.existsSync(path.join(dir, d, '.complete')));
  if (hits.length === 0) return null;
  hits.sort();
  const d = hits[hits.length - 1];
  return { name, version: d.slice(name.length + 1), root: path.join(dir, d) };
}

/**
 * Returns the unpacked package, downloading it if needed. Tries `<name>=<version>` first
 * (the version the profile was measured on), then the newest `<name>` the archive has.
 */
export function ensure_debian_package(cache: string, name: string, version: string): UnpackedPackage {
  const exact = path.join(cache, 'pkg', `${name}_${version}`);
  if (fs.existsSync(path.join(exact, '.complete'))) return { name, version, root: exact };
  for (const tool of ['apt-get', 'dpkg-deb']) {
    if (!have(tool)) {
      const any = cached(cache, name);
      if (any) return any;
      throw new EnvironmentError(`cannot fetch the Debian package ${name}: \`${tool}\` is not installed (the VM rig needs a Debian/Ubuntu host with apt-get and dpkg-deb, or a filled cache at ${cache})`);
    }
  }
  const dl = path.join(cache, 'dl');
  fs.mkdirSync(dl, { recursive: true });
  const attempts = [`${name}=${version}`, name];
  const errors: string[] = [];
  let deb: string | null = null;
  for (const spec of attempts) {
    const before = new Set(fs.readdirSync(dl));
    const r = spawnSync('apt-get', ['download', '-q', spec], { cwd: dl, encoding: 'utf8', timeout: 600_000 });
    if (r.status === 0) {
      const fresh = fs.readdirSync(dl).filter((f) => f.endsWith('.deb') && f.startsWith(`${name}_`));
      const pick = fresh.find((f) => !before.has(f)) ?? fresh.sort().pop();
      if (pick) {
        deb = path.join(dl, pick);
        break;
      }
    }
    errors.push(`apt-get download ${spec}: ${(r.stderr || r.error?.message || '').trim().split('\n').pop()}`);
  }
  if (deb === null) {
    const any = cached(cache, name);
    if (any) return any;
    throw new EnvironmentError(`cannot download the Debian package ${name}:\n  ${errors.join('\n  ')}\n(is the Debian archive reachable? \`apt-get update\` may help)`);
  }
  const got_version = execFileSync('dpkg-deb', ['-f', deb, 'Version'], { encoding: 'utf8' }).trim();
  const root = path.join(cache, 'pkg', `${name}_${got_version}`);
  if (fs.existsSync(path.join(root, '.complete'))) return { name, version: got_version, root };
  const tmp = `${root}.tmp-${process.pid}`;
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.mkdirSync(tmp, { recursive: true });
  try {
    execFileSync('dpkg-deb', ['-x', deb, tmp], { stdio: ['ignore', 'ignore', 'pipe'] });
    fs.writeFileSync(path.join(tmp, '.complete'), `${name} ${got_version}\n`);
    fs.rmSync(root, { recursive: true, force: true });
    fs.renameSync(tmp, root);
    fs.rmSync(deb, { force: true }); // the unpacked tree is the cache; the .deb is a temporary
  } catch (err) {
    fs.rmSync(tmp, { recursive: true, force: true });
    throw err;
  }
  return { name, version: got_version, root };
}
