import { describe, expect, it } from 'vitest';
import { init_script } from '../../vm/init_script';
import { plan_initramfs } from '../../vm/initramfs_plan';

const inputs = {
  binaries: ['/usr/bin/node', '/usr/bin/ss'],
  libraries: ['/lib/x86_64-linux-gnu/libc.so.6', '/lib64/ld-linux-x86-64.so.2'],
  busybox_host_path: '/cache/busybox',
  modules: [{ guest_path: '/lib/modules/6.1.0-56-amd64/kernel/drivers/net/veth.ko', host_path: '/cache/veth.ko' }],
  app_files: [{ guest_path: '/opt/tcpmem/dist/vm/guest_main.js', host_path: '/work/dist/vm/guest_main.js' }],
  init: '#!/bin/sh\n',
  job_json: '{}',
  job_path: '/opt/tcpmem-job.json',
};

describe('plan_initramfs', () => {
  const plan = plan_initramfs(inputs);
  const paths = plan.map((e) => e.path);

  it('puts binaries, libraries and modules at their host paths', () => {
    for (const p of ['usr/bin/node', 'usr/bin/ss', 'lib/x86_64-linux-gnu/libc.so.6', 'lib64/ld-linux-x86-64.so.2', 'lib/modules/6.1.0-56-amd64/kernel/drivers/net/veth.ko']) {
      expect(paths).toContain(p);
    }
  });

  it('creates every directory before anything inside it', () => {
    const index = new Map(paths.map((p, i) => [p, i]));
    for (const [i, p] of paths.entries()) {
      const parent = p.split('/').slice(0, -1).join('/');
      if (parent !== '') expect(index.get(parent), `${parent} before ${p}`).toBeLessThan(i);
    }
  });

  it('includes /dev/console as character device 5:1 so init has a console before devtmpfs is mounted', () => {
    expect(plan).toContainEqual({ kind: 'chardev', path: 'dev/console', major: 5, minor: 1 });
  });

  it('links the busybox applets the init script uses and makes /init executable', () => {
    expect(plan).toContainEqual({ kind: 'symlink', path: 'bin/sh', target: 'busybox' });
    expect(plan).toContainEqual({ kind: 'symlink', path: 'bin/insmod', target: 'busybox' });
    expect(plan.find((e) => e.path === 'init')).toMatchObject({ kind: 'content', mode: 0o755 });
  });

  it('lists each path once', () => {
    const twice = plan_initramfs({ ...inputs, libraries: [...inputs.libraries, '/lib/x86_64-linux-gnu/libc.so.6'] });
    expect(new Set(twice.map((e) => e.path)).size).toBe(twice.length);
  });
});

describe('init_script', () => {
  const s = init_script({
    module_paths: ['/lib/modules/r/a.ko', '/lib/modules/r/b.ko'],
    node_path: '/usr/bin/node',
    guest_main: '/opt/tcpmem/dist/vm/guest_main.js',
    job_path: '/opt/tcpmem-job.json',
    transport_tty: '/dev/ttyS1',
  });
  const lines = s.split('\n');

  it('loads the modules in the order given, before running the runner', () => {
    const a = lines.findIndex((l) => l.startsWith("insmod '/lib/modules/r/a.ko'"));
    const b = lines.findIndex((l) => l.startsWith("insmod '/lib/modules/r/b.ko'"));
    const run = lines.findIndex((l) => l.startsWith("'/usr/bin/node'"));
    expect(a).toBeGreaterThan(0);
    expect(b).toBeGreaterThan(a);
    expect(run).toBeGreaterThan(b);
  });

  it('mounts the cgroup v1 memory controller the memcg scenarios use', () => {
    expect(s).toContain('mount -t cgroup -o memory memory /sys/fs/cgroup/memory');
  });

  it('always ends by powering the VM off', () => {
    expect(lines.filter((l) => l !== '').pop()).toBe('poweroff -f');
  });
});
