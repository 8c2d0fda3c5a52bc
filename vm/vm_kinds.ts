/**
 * The virtual machines the rig can boot, as data (issue 8). Adding a kind is adding a row:
 * the Debian package that holds the kernel, the `uname -r` it boots, and the kernel profile
 * (data/profiles/<profile_id>.json) that describes it.
 */
export interface VmKind {
  /** Name used on the command line: `tcpmem capture --vm <name>`. */
  name: string;
  /** Debian binary package with /boot/vmlinuz-* and /lib/modules/* (fetched with `apt-get download`). */
  kernel_package: string;
  /** Exact package version the profile was measured on (apt-get download <pkg>=<version>). */
  kernel_package_version: string;
  /** `uname -r` inside the guest. */
  kernel_release: string;
  /** Kernel profile id (data/profiles/<id>.json). */
  profile_id: string;
  /** Static busybox for the guest's /init (sh, mount, insmod, poweroff): Debian package. */
  busybox_package: string;
  /** Modules loaded at boot whatever the scenario: veth, netem, bbr, and tcp_diag (+inet_diag), without which ss falls back to /proc/net/tcp and prints no skmem. */
  base_modules: string[];
  /** Guest RAM and CPUs (the profile's nr_cpus and nr_free_buffer_pages describe this guest). */
  memory_mib: number;
  cpus: number;
}

export const vm_kinds: Record<string, VmKind> = {
  'debian-6.1': {
    name: 'debian-6.1',
    kernel_package: 'linux-image-6.1.0-56-amd64',
    kernel_package_version: '6.1.192-2',
    kernel_release: '6.1.0-56-amd64',
    profile_id: 'debian-6.1.192-amd64',
    busybox_package: 'busybox-static',
    base_modules: ['veth', 'sch_netem', 'tcp_bbr', 'tcp_diag'],
    memory_mib: 2048,
    cpus: 2,
  },
};

export function vm_kind_names(): string[] {
  return Object.keys(vm_kinds);
}
