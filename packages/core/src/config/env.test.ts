import { describe, expect, it } from 'vitest';
import { resolvePublicBaseUrl } from './env';

describe('resolvePublicBaseUrl', () => {
  it('is the address the API listens on when PUBLIC_BASE_URL is not set', () => {
    expect(resolvePublicBaseUrl({ HOST: '127.0.0.1', PORT: 3999, PUBLIC_BASE_URL: '' })).toBe('http://127.0.0.1:3999');
    expect(resolvePublicBaseUrl({ HOST: 'pave.local', PORT: 80, PUBLIC_BASE_URL: '' })).toBe('http://pave.local:80');
  });

  it('opens a wildcard HOST on loopback, and brackets an IPv6 address', () => {
    expect(resolvePublicBaseUrl({ HOST: '0.0.0.0', PORT: 3999, PUBLIC_BASE_URL: '' })).toBe('http://127.0.0.1:3999');
    expect(resolvePublicBaseUrl({ HOST: '::', PORT: 3000, PUBLIC_BASE_URL: '' })).toBe('http://127.0.0.1:3000');
    expect(resolvePublicBaseUrl({ HOST: '::1', PORT: 3000, PUBLIC_BASE_URL: '' })).toBe('http://[::1]:3000');
  });

  it('keeps a PUBLIC_BASE_URL that is set', () => {
    expect(resolvePublicBaseUrl({ HOST: '0.0.0.0', PORT: 3999, PUBLIC_BASE_URL: 'https://pave.example' })).toBe(
      'https://pave.example',
    );
  });
});
