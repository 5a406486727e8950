import { describe, expect, it } from 'vitest';
import { DEFAULT_BASE_IMAGE, DEFAULT_VPP_RELEASE, resolveBaseImage } from '../../src/config/defaults.js';

describe('base image', () => {
  it('defaults to a registry image users can pull', () => {
    expect(resolveBaseImage({})).toBe(DEFAULT_BASE_IMAGE);
    expect(DEFAULT_BASE_IMAGE).toBe('ubuntu:24.04');
  });

  it('takes VPPKIT_BASE_IMAGE when set, so offline labs can use a local import', () => {
    expect(resolveBaseImage({ VPPKIT_BASE_IMAGE: 'vppkit/debian-base:bookworm' })).toBe('vppkit/debian-base:bookworm');
  });

  it('ignores an empty or blank VPPKIT_BASE_IMAGE', () => {
    expect(resolveBaseImage({ VPPKIT_BASE_IMAGE: '' })).toBe(DEFAULT_BASE_IMAGE);
    expect(resolveBaseImage({ VPPKIT_BASE_IMAGE: '  ' })).toBe(DEFAULT_BASE_IMAGE);
  });
});

describe('VPP release', () => {
  it('pins a concrete FD.io release, never "latest"', () => {
    expect(DEFAULT_VPP_RELEASE).toMatch(/^\d{2}\.\d{2}$/);
  });
});
