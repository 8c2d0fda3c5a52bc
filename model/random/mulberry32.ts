/**
 * A tiny seeded PRNG (mulberry32, public domain): 32-bit state, period 2^32, good enough to draw packet
 * losses. Model code uses seeded randomness only (same scenario + seed = byte-identical run).
 * `next()` returns a float in [0, 1).
 */
export class Mulberry32 {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
}
