import { describe, expect, it } from 'vitest';
import { find_known_gap, parse_known_gaps } from '../../../model/compare/known_gaps';
import { InputError } from '../../../model/schema/format_zod_error';

describe('known gaps', () => {
  const gaps = parse_known_gaps({
    format: 'tcpmem-known-gaps/1',
    gaps: [
      { scenario: 's', metric: 'skmem_r', subject: 'g/server', kernel_release_prefix: '6.1.', reason: 'a reason at least ten chars' },
      { scenario: 's', metric: 'counter_deltas', reason: 'every counter of s is a gap' },
    ],
  });

  it('matches a gap by scenario, metric, subject and kernel release prefix', () => {
    const where = { scenario: 's', metric: 'skmem_r', subject: 'g/server', kernel_release: '6.1.0-56-amd64' };
    expect(find_known_gap(gaps, where)?.reason).toBe('a reason at least ten chars');
    expect(find_known_gap(gaps, { ...where, kernel_release: '6.18.44-fc-v782' })).toBeNull();
    expect(find_known_gap(gaps, { ...where, subject: 'g/client' })).toBeNull();
  });

  it('covers every subject when a gap names no subject', () => {
    expect(find_known_gap(gaps, { scenario: 's', metric: 'counter_deltas', subject: 'TCPRcvCoalesce', kernel_release: 'x' })).not.toBeNull();
  });

  it('rejects an unknown metric name, naming the field and the allowed values', () => {
    expect(() => parse_known_gaps({ format: 'tcpmem-known-gaps/1', gaps: [{ scenario: 's', metric: 'bogus', reason: 'long enough reason' }] })).toThrow(InputError);
    expect(() => parse_known_gaps({ format: 'tcpmem-known-gaps/1', gaps: [{ scenario: 's', metric: 'bogus', reason: 'long enough reason' }] })).toThrow(/gaps\[0\]\.metric/);
  });
});
