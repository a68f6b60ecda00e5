import { afterEach, describe, expect, it, vi } from 'vitest';

afterEach(() => {
  vi.doUnmock('secp256k1/bindings.js');
  vi.resetModules();
});

describe('loadNativeRecovery', () => {
  it('loads the compiled libsecp256k1 binding of the secp256k1 devDependency here', async () => {
    const { loadNativeRecovery } = await import('./native-recovery.js');
    expect((await loadNativeRecovery())?.name).toBe('native');
    // The package's `index.js` is the binding itself here, not its elliptic fallback.
    // Variable specifiers: the package ships no types, and none are needed to compare identities.
    const load = (specifier: string) => import(/* @vite-ignore */ specifier) as Promise<{ default: unknown }>;
    const [pkg, binding, elliptic] = await Promise.all([
      load('secp256k1'),
      load('secp256k1/bindings.js'),
      load('secp256k1/elliptic.js'),
    ]);
    expect(pkg.default).toBe(binding.default);
    expect(pkg.default).not.toBe(elliptic.default);
  });

  it('is undefined, never a "native" elliptic, when the binary does not load', async () => {
    vi.doMock('secp256k1/bindings.js', () => {
      throw new Error('No native build was found for platform=linux arch=x64');
    });
    const { loadNativeRecovery } = await import('./native-recovery.js');
    await expect(loadNativeRecovery()).resolves.toBeUndefined();
  });
});
