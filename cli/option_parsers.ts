import { InvalidArgumentError } from 'commander';

/**
 * Option value parsers shared by every subcommand. Each rejects a bad value with a message
 * that names the allowed values; commander prefixes the flag name and exits non-zero.
 */
export function integer_in(min: number, max: number): (v: string) => number {
  return (v: string) => {
    const t = v.replace(/_/g, '');
    if (!/^-?\d+$/.test(t)) throw new InvalidArgumentError(`"${v}" is not a whole number; allowed: ${min} to ${max}`);
    const n = Number(t);
    if (n < min || n > max) throw new InvalidArgumentError(`${n} is out of range; allowed: ${min} to ${max}`);
    return n;
  };
}

export function number_in(min: number, max: number): (v: string) => number {
  return (v: string) => {
    const n = Number(v);
    if (v.trim() === '' || !Number.isFinite(n)) throw new InvalidArgumentError(`"${v}" is not a number; allowed: ${min} to ${max}`);
    if (n < min || n > max) throw new InvalidArgumentError(`${n} is out of range; allowed: ${min} to ${max}`);
    return n;
  };
}

export function one_of<T extends string>(allowed: readonly T[]): (v: string) => T {
  return (v: string) => {
    if (!(allowed as readonly string[]).includes(v)) {
      throw new InvalidArgumentError(`"${v}" is not allowed; allowed: ${allowed.join(', ')}`);
    }
    return v as T;
  };
}

const units: Record<string, number> = {
  '': 1, b: 1, k: 1000, kb: 1000, kib: 1024, m: 1e6, mb: 1e6, mib: 1024 ** 2, g: 1e9, gb: 1e9, gib: 1024 ** 3, t: 1e12, tb: 1e12, tib: 1024 ** 4,
};

/** A byte size such as 4096, 64KiB, 1.5MiB, 24GiB (decimal k/M/G, binary KiB/MiB/GiB). */
export function byte_size(min: number, max: number): (v: string) => number {
  return (v: string) => {
    const m = /^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*$/.exec(v.replace(/_/g, ''));
    const unit = m ? m[2].toLowerCase() : '';
    if (!m || !(unit in units)) {
      throw new InvalidArgumentError(`"${v}" is not a byte size; write e.g. 4096, 64KiB, 1.5MiB, 24GiB (allowed: ${min} to ${max} bytes)`);
    }
    const n = Math.round(Number(m[1]) * units[unit]);
    if (n < min || n > max) throw new InvalidArgumentError(`${n} bytes is out of range; allowed: ${min} to ${max} bytes`);
    return n;
  };
}
