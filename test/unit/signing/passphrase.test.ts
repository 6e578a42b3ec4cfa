import { describe, expect, it, vi } from 'vitest';
import { PASSPHRASE_ENV, resolvePassphrase } from '../../../electron/core/signing/passphrase';

describe('passphrase', () => {
  it('takes DOCKET_KEY_PASSPHRASE without prompting', async () => {
    const prompt = vi.fn();
    await expect(resolvePassphrase({ env: { [PASSPHRASE_ENV]: 's3cret' }, prompt, purpose: 'key k' })).resolves.toEqual({ passphrase: 's3cret', source: 'env' });
    expect(prompt).not.toHaveBeenCalled();
  });

  it('refuses an empty passphrase from the environment, without echoing anything', async () => {
    await expect(resolvePassphrase({ env: { [PASSPHRASE_ENV]: ' ' }, purpose: 'key k' })).rejects.toThrow(/DOCKET_KEY_PASSPHRASE is empty/);
  });

  it('prompts when the variable is unset, and says what to do without a terminal', async () => {
    const prompt = vi.fn(async () => 'typed pw');
    await expect(resolvePassphrase({ env: {}, prompt, purpose: 'key file a.json' })).resolves.toEqual({ passphrase: 'typed pw', source: 'prompt' });
    expect(prompt).toHaveBeenCalledWith('Passphrase for key file a.json: ');
    await expect(resolvePassphrase({ env: {}, purpose: 'key k' })).rejects.toThrow(/set DOCKET_KEY_PASSPHRASE or run in a terminal/);
    await expect(resolvePassphrase({ env: {}, prompt: async () => null, purpose: 'key k' })).rejects.toThrow(/no passphrase entered/);
    await expect(resolvePassphrase({ env: {}, prompt: async () => '', purpose: 'key k' })).rejects.toMatchObject({ reason: 'empty-passphrase' });
  });

  it('asks twice for a new key and never puts the passphrase in an error', async () => {
    const answers = ['first-secret', 'second-secret'];
    const err = await resolvePassphrase({ env: {}, prompt: async () => answers.shift()!, purpose: 'new key', confirm: true }).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(/differ/);
    expect((err as Error).message).not.toMatch(/secret/);
    const same = ['pw', 'pw'];
    await expect(resolvePassphrase({ env: {}, prompt: async () => same.shift()!, purpose: 'new key', confirm: true })).resolves.toMatchObject({ passphrase: 'pw' });
  });
});
