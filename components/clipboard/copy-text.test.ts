import { describe, expect, it, vi } from 'vitest';
import { copyText } from './copy-text';

describe('copyText', () => {
  it('uses the Clipboard API when the browser offers it', async () => {
    const writeText = vi.fn(async () => {});
    const copyBySelection = vi.fn(() => true);
    expect(
      await copyText('aws lambda list-functions', { clipboard: { writeText }, copyBySelection }),
    ).toBe(true);
    expect(writeText).toHaveBeenCalledWith('aws lambda list-functions');
    expect(copyBySelection).not.toHaveBeenCalled();
  });

  it('falls back to copying a selection when the Clipboard API is missing', async () => {
    const copyBySelection = vi.fn(() => true);
    expect(await copyText('key', { copyBySelection })).toBe(true);
    expect(copyBySelection).toHaveBeenCalledWith('key');
  });

  it('falls back when the Clipboard API refuses', async () => {
    const writeText = vi.fn(async () => {
      throw new DOMException('Document is not focused.', 'NotAllowedError');
    });
    const copyBySelection = vi.fn(() => true);
    expect(await copyText('key', { clipboard: { writeText }, copyBySelection })).toBe(true);
    expect(copyBySelection).toHaveBeenCalledWith('key');
  });

  it('reports failure when neither way copies', async () => {
    const writeText = vi.fn(async () => {
      throw new Error('refused');
    });
    expect(await copyText('key', { clipboard: { writeText }, copyBySelection: () => false })).toBe(
      false,
    );
    expect(
      await copyText('key', {
        copyBySelection: () => {
          throw new Error('execCommand is not supported');
        },
      }),
    ).toBe(false);
    expect(await copyText('key', {})).toBe(false);
  });
});
