import { describe, expect, it } from 'vitest';
import { LABEL, labelFilter } from '../../src/plan/labels.js';

describe('labels', () => {
  it('live under one reverse-DNS prefix', () => {
    for (const key of Object.values(LABEL)) expect(key).toMatch(/^io\.vppkit\.[a-z-]+$/);
  });

  it('turn into a Docker filter that requires all of them', () => {
    expect(labelFilter({ [LABEL.lab]: 'demo', [LABEL.node]: 'vpp' })).toEqual({
      label: ['io.vppkit.lab=demo', 'io.vppkit.node=vpp'],
    });
  });
});
