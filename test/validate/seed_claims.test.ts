import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtin_profiles } from '../../model/profile/builtin_profiles';
import { human_bytes, seed_claims_markdown, seed_model_numbers, type SeedMeasurement } from '../../validate/seed_claims';

const root = path.join(__dirname, '..', '..');

describe('seed_model_numbers', () => {
  const [ref, deb] = builtin_profiles.map(seed_model_numbers);
  it('charges a 1-byte loopback segment 832 + 1 bytes on 6.18 and 1280 + 1 on Debian 6.1 (R-2.3, R-3.3)', () => {
    expect(ref.one_byte_lo).toBe(833);
    expect(deb.one_byte_lo).toBe(1281);
  });
  it('charges a 1-byte NIC frame its whole RX buffer plus the sk_buff: 2048 + 256 and 4096 + 256 (R-3.7)', () => {
    expect(ref.one_byte_nic_2k).toBe(2304);
    expect(ref.one_byte_nic_4k).toBe(4352);
  });
  it('expands a loopback sndbuf to 3 × 10 × 131328 with BBR and 2 × 10 × 131328 with cubic (R-2.18)', () => {
    expect(ref.sndbuf_lo).toBe(3939840);
    expect(deb.sndbuf_lo).toBe(2626560);
  });
  it('opens the initial window at half of the 131072-byte default rcvbuf on both kernels (R-5.5, R-5.6)', () => {
    expect(ref.initial_window).toBe(65536);
    expect(deb.initial_window).toBe(65536);
  });
});

describe('human_bytes', () => {
  it('uses binary units', () => {
    expect(human_bytes(512)).toBe('512 B');
    expect(human_bytes(7086)).toBe('6.92 KiB');
    expect(human_bytes(383865 * 4096)).toBe('1.46 GiB');
  });
});

describe('seed_claims_markdown', () => {
  it('says so when a scenario it cites has no capture yet', () => {
    const m = JSON.parse(fs.readFileSync(path.join(root, 'docs', 'seed-claims', 'measurements-6.18.44-fc-v782.json'), 'utf8')) as SeedMeasurement;
    expect(seed_claims_markdown([{ file: 'x.json', m }], [])).toContain('- capture: no committed capture of scenario `unread-message` yet');
  });

  it('sums slab bytes per idle pair as objects × stride (hand check: 2 × 2368 + 2 × 832 = 6400 B → 6.25 KiB)', () => {
    const m = JSON.parse(fs.readFileSync(path.join(root, 'docs', 'seed-claims', 'measurements-6.18.44-fc-v782.json'), 'utf8')) as SeedMeasurement;
    const synthetic: SeedMeasurement = {
      ...m,
      idle_slab_objs_per_pair: { TCP: [2, 2, 2], sock_inode_cache: [2, 2, 2], filp: [0.01, 0, 0] },
      slab_stride_bytes: { TCP: 2368, sock_inode_cache: 832, filp: 192 },
    };
    expect(seed_claims_markdown([{ file: 'x.json', m: synthetic }])).toContain('= **6.25 KiB per pair ≈ 3.13 KiB per socket**');
  });
});

describe('seed_model_numbers on a 1500-byte MTU link', () => {
  it('expands sndbuf to 3 × 10 × (2048 + 256) with BBR and 2 × 10 × 2304 with cubic (R-2.18)', () => {
    const [ref, deb] = builtin_profiles.map(seed_model_numbers);
    expect(ref.sndbuf_mtu1500).toBe(69120);
    // 6.1 Debian: MTH 320 → 1448 + 320 + 320 = 2088 → roundup_pow_of_two 4096 + 256 = 4352; 2 × 10 × 4352 = 87040.
    expect(deb.sndbuf_mtu1500).toBe(87040);
  });
});
