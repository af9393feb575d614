import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type ZipOptions, zipSync } from 'fflate';
import { afterEach, describe, expect, it } from 'vitest';
import {
  assertSafePackagePath,
  createCodeArchive,
  extractCodeArchive,
  InvalidCodeArchiveError,
  MAX_PATH_LENGTH,
  readCodeArchive,
  writePackageFiles,
} from './code-archive';
import { watchEventLoop } from './testing/event-loop';

const text = (value: string) => new TextEncoder().encode(value);
const HANDLER =
  'export const handler = async (event) => ({ statusCode: 200, body: JSON.stringify(event) });\n';

/** Unix mode in the high 16 bits of the external attributes, as Info-ZIP writes it. */
const unixAttributes = (mode: number): ZipOptions => ({ os: 3, attrs: (mode << 16) >>> 0 });

/** A zip with exactly these entry names, written by fflate without our validation. */
function zipRaw(entries: Record<string, Uint8Array | [Uint8Array, ZipOptions]>): Uint8Array {
  const zippable = Object.create(null) as Record<string, Uint8Array | [Uint8Array, ZipOptions]>;
  Object.assign(zippable, entries);
  return zipSync(zippable);
}

interface CentralPatch {
  flags?: number;
  method?: number;
  uncompressedSize?: number;
  name?: string;
}

/** Rewrites fields of the index-th central directory entry (and the name in its local header too). */
function patchEntry(zip: Uint8Array, index: number, patch: CentralPatch): Uint8Array {
  const out = zip.slice();
  const view = new DataView(out.buffer);
  let at = view.getUint32(out.length - 22 + 16, true);
  for (let i = 0; i < index; i++)
    at +=
      46 +
      view.getUint16(at + 28, true) +
      view.getUint16(at + 30, true) +
      view.getUint16(at + 32, true);
  if (patch.flags !== undefined) view.setUint16(at + 8, patch.flags, true);
  if (patch.method !== undefined) view.setUint16(at + 10, patch.method, true);
  if (patch.uncompressedSize !== undefined) view.setUint32(at + 24, patch.uncompressedSize, true);
  if (patch.name !== undefined) {
    const name = text(patch.name);
    expect(name.length).toBe(view.getUint16(at + 28, true));
    out.set(name, at + 46);
    out.set(name, view.getUint32(at + 42, true) + 30);
  }
  return out;
}

/** Where the index-th entry's compressed data starts and how long it is. */
function locateData(zip: Uint8Array, index: number): { start: number; length: number } {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  let at = view.getUint32(zip.length - 22 + 16, true);
  for (let i = 0; i < index; i++)
    at +=
      46 +
      view.getUint16(at + 28, true) +
      view.getUint16(at + 30, true) +
      view.getUint16(at + 32, true);
  const local = view.getUint32(at + 42, true);
  return {
    start: local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true),
    length: view.getUint32(at + 20, true),
  };
}

function readError(run: () => unknown): string {
  try {
    run();
    return 'accepted';
  } catch (error) {
    if (!(error instanceof InvalidCodeArchiveError)) throw error;
    return error.message;
  }
}

describe('createCodeArchive and readCodeArchive', () => {
  it('round-trips files, nested paths and modes', () => {
    const binary = Uint8Array.from({ length: 5000 }, (_, i) => (i * 31) % 256);
    const zip = createCodeArchive([
      { path: 'index.mjs', content: HANDLER },
      { path: 'bootstrap', content: '#!/bin/sh\nexec node index.mjs\n', mode: 0o755 },
      { path: 'node_modules/left-pad/lib/index.js', content: 'module.exports = (s) => s;\n' },
      { path: 'assets/data.bin', content: binary },
    ]);
    const files = readCodeArchive(zip);
    expect(files.map(({ path: filePath, mode }) => [filePath, mode])).toEqual([
      ['index.mjs', 0o644],
      ['bootstrap', 0o755],
      ['node_modules/left-pad/lib/index.js', 0o644],
      ['assets/data.bin', 0o644],
    ]);
    expect(new TextDecoder().decode(files[0]?.bytes)).toBe(HANDLER);
    expect(files[3]?.bytes).toEqual(binary);
  });

  it('gives identical zips for identical files', () => {
    const files = [{ path: 'index.mjs', content: HANDLER }];
    expect(createCodeArchive(files)).toEqual(createCodeArchive(files));
  });

  it('skips directory entries and normalises "." segments', () => {
    const zip = zipRaw({
      'src/': new Uint8Array(0),
      'src/./app.js': text('1'),
      'src/lib/util.js': text('2'),
    });
    expect(readCodeArchive(zip).map((file) => file.path)).toEqual([
      'src/app.js',
      'src/lib/util.js',
    ]);
  });

  it('reads a zip made without Unix attributes as plain, non-executable files', () => {
    const files = readCodeArchive(zipRaw({ 'index.js': text(HANDLER) }));
    expect(files).toEqual([{ path: 'index.js', bytes: text(HANDLER), mode: 0o644 }]);
  });

  it('refuses duplicate or unsafe paths when creating', () => {
    expect(
      readError(() =>
        createCodeArchive([
          { path: 'a.js', content: '' },
          { path: './a.js', content: '' },
        ]),
      ),
    ).toMatch(/"a\.js" is given twice/);
    expect(readError(() => createCodeArchive([{ path: '../a.js', content: '' }]))).toMatch(
      /escapes the package/,
    );
  });
});

describe('readCodeArchive rejects', () => {
  const valid = createCodeArchive([{ path: 'index.mjs', content: HANDLER }]);
  const twoFiles = zipRaw({ 'a.js': text('a'), 'b.js': text('b') });
  /** 20 MB of zeros in a few kilobytes. */
  const bomb = zipRaw({ 'zeros.bin': new Uint8Array(20 * 1024 * 1024) });

  it.each<[string, () => Uint8Array, RegExp]>([
    [
      'text that is not a zip',
      () => text('PK? no, just text'.repeat(10)),
      /^The file is not a zip archive/,
    ],
    [
      'a cut-short zip',
      () => valid.subarray(0, valid.length - 10),
      /^The file is not a zip archive/,
    ],
    ['an empty zip', () => zipRaw({}), /^The zip has no files/],
    ['a zip of folders only', () => zipRaw({ 'src/': new Uint8Array(0) }), /^The zip has no files/],
    [
      'an absolute path',
      () => zipRaw({ '/etc/passwd': text('x') }),
      /^Entry "\/etc\/passwd" is an absolute path/,
    ],
    ['a drive letter', () => zipRaw({ 'C:/x.js': text('x') }), /is an absolute path/],
    ['a backslash', () => zipRaw({ 'src\\index.js': text('x') }), /uses "\\" as a separator/],
    [
      'a ".." segment',
      () => zipRaw({ '../etc/passwd': text('x') }),
      /^Entry "\.\.\/etc\/passwd" escapes the package: paths must stay inside it\.$/,
    ],
    ['a ".." inside the path', () => zipRaw({ 'a/../../b.js': text('x') }), /escapes the package/],
    ['a NUL byte', () => zipRaw({ 'index.js\0.png': text('x') }), /contains a NUL byte/],
    [
      'a path that is too long',
      () => zipRaw({ ['a/'.repeat(512) + 'b']: text('x') }),
      new RegExp(`paths can be at most ${MAX_PATH_LENGTH}`),
    ],
    [
      'a duplicate name',
      () => patchEntry(twoFiles, 1, { name: 'a.js' }),
      /^Entry "a\.js" appears twice/,
    ],
    [
      'names equal once normalised',
      () => zipRaw({ 'a/b.js': text('1'), 'a/./b.js': text('2') }),
      /^Entry "a\/b\.js" appears twice/,
    ],
    [
      'a symbolic link',
      () => zipRaw({ passwd: [text('/etc/passwd'), unixAttributes(0o120777)] }),
      /is a symbolic link: links are not allowed/,
    ],
    [
      'a character device',
      () => zipRaw({ tty: [new Uint8Array(0), unixAttributes(0o020644)] }),
      /is a device, pipe or socket/,
    ],
    [
      'a FIFO',
      () => zipRaw({ pipe: [new Uint8Array(0), unixAttributes(0o010644)] }),
      /is a device, pipe or socket/,
    ],
    [
      'a file that is also a folder',
      () => zipRaw({ lib: text('x'), 'lib/a.js': text('y') }),
      /^Entry "lib" is both a file and a folder/,
    ],
    [
      'an encrypted entry',
      () => patchEntry(valid, 0, { flags: 1 }),
      /is encrypted: zip the package without a password/,
    ],
    [
      'an unknown compression method',
      () => patchEntry(valid, 0, { method: 12 }),
      /uses compression method 12/,
    ],
    [
      'damaged compressed data',
      () => {
        const zip = valid.slice();
        const { start, length } = locateData(zip, 0);
        zip.fill(0xff, start, start + length);
        return zip;
      },
      /^The zip is corrupt: the compressed data of Entry "index\.mjs" is damaged/,
    ],
    [
      'a changed byte that inflates cleanly',
      () => {
        const zip = zipRaw({ 'a.txt': [text('hello'), { level: 0 }] });
        const { start } = locateData(zip, 0);
        zip[start] = 'j'.charCodeAt(0);
        return zip;
      },
      /checksum of Entry "a\.txt" does not match/,
    ],
  ])('%s', (_case, build, expected) => {
    expect(readError(() => readCodeArchive(build()))).toMatch(expected);
  });

  it('a zip over the zipped limit', () => {
    expect(readError(() => readCodeArchive(valid, { maxZippedBytes: 100 }))).toMatch(
      /^The zip is \d+ bytes; .* at most 100 bytes zipped/,
    );
  });

  it('more files than the limit', () => {
    const zip = zipRaw({ 'a.js': text('a'), 'b.js': text('b'), 'c.js': text('c') });
    expect(readError(() => readCodeArchive(zip, { maxFileCount: 2 }))).toMatch(/more than 2 files/);
    expect(readCodeArchive(zip, { maxFileCount: 3 })).toHaveLength(3);
  });

  it('a zip bomb, from its headers alone, without inflating it', () => {
    expect(bomb.length).toBeLessThan(100 * 1024);
    const limit = { maxUnzippedBytes: 1024 * 1024 };
    expect(readError(() => readCodeArchive(bomb, limit))).toMatch(
      /^The package unzips to more than 1 MB/,
    );
    // With its data destroyed the answer is the same: the size was refused before any inflating.
    const { start, length } = locateData(bomb, 0);
    const wrecked = bomb.slice();
    wrecked.fill(0xff, start, start + length);
    expect(readError(() => readCodeArchive(wrecked, limit))).toMatch(
      /^The package unzips to more than 1 MB/,
    );
  });

  it('an entry that inflates past the size its header declares', () => {
    const lying = patchEntry(bomb, 0, { uncompressedSize: 1000 });
    expect(readError(() => readCodeArchive(lying, { maxUnzippedBytes: 1024 * 1024 }))).toMatch(
      /^Entry "zeros\.bin" unzips to more than the 1000 bytes its header declares/,
    );
  });

  it('an entry that inflates short of the size its header declares', () => {
    const zip = patchEntry(zipRaw({ 'a.txt': text('hello world') }), 0, { uncompressedSize: 50 });
    expect(readError(() => readCodeArchive(zip))).toMatch(
      /unzips to 11 bytes but its header declares 50/,
    );
  });
});

describe('assertSafePackagePath', () => {
  it('returns the normalised path', () => {
    expect(assertSafePackagePath('src//lib/./util.js')).toBe('src/lib/util.js');
    expect(assertSafePackagePath('index.mjs')).toBe('index.mjs');
    expect(assertSafePackagePath('a'.repeat(MAX_PATH_LENGTH))).toHaveLength(MAX_PATH_LENGTH);
  });

  it.each(['', '.', 'a/..', '/abs', '..\\x', 'x\0', 'a'.repeat(MAX_PATH_LENGTH + 1)])(
    'refuses %j',
    (candidate) => {
      expect(() => assertSafePackagePath(candidate)).toThrow(InvalidCodeArchiveError);
    },
  );
});

/** Folders the tests write packages into, removed after each test. */
const made: string[] = [];
const makeTempDir = async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'code-archive-'));
  made.push(dir);
  return dir;
};
afterEach(async () => {
  await Promise.all(made.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('writePackageFiles', () => {
  it('writes files with their modes and folders, and returns the bytes written', async () => {
    const dir = await makeTempDir();
    const files = readCodeArchive(
      createCodeArchive([
        { path: 'index.mjs', content: HANDLER },
        { path: 'bin/tool', content: '#!/bin/sh\n', mode: 0o755 },
        { path: 'bin/lib/deep/data.json', content: '{}' },
      ]),
    );
    const written = await writePackageFiles(dir, files);
    expect(written).toBe(HANDLER.length + '#!/bin/sh\n'.length + 2);
    expect(await readFile(path.join(dir, 'index.mjs'), 'utf8')).toBe(HANDLER);
    expect(await readFile(path.join(dir, 'bin/lib/deep/data.json'), 'utf8')).toBe('{}');
    expect((await stat(path.join(dir, 'bin/tool'))).mode & 0o777).toBe(0o755);
    expect((await stat(path.join(dir, 'index.mjs'))).mode & 0o777).toBe(0o644);
    expect((await stat(path.join(dir, 'bin/lib'))).isDirectory()).toBe(true);
  });

  it('refuses a target that is not empty', async () => {
    const dir = await makeTempDir();
    await writeFile(path.join(dir, 'old.js'), 'x');
    await expect(
      writePackageFiles(dir, [{ path: 'index.mjs', bytes: text(HANDLER), mode: 0o644 }]),
    ).rejects.toThrow(/is not empty/);
    expect(await readdir(dir)).toEqual(['old.js']);
  });

  it('refuses a target that does not exist', async () => {
    const dir = path.join(await makeTempDir(), 'missing');
    await expect(
      writePackageFiles(dir, [{ path: 'index.mjs', bytes: text(HANDLER), mode: 0o644 }]),
    ).rejects.toThrow(/ENOENT/);
  });

  it('writes nothing when one path is unsafe', async () => {
    const dir = await makeTempDir();
    await mkdir(path.join(dir, 'target'));
    const files = [
      { path: 'index.mjs', bytes: text(HANDLER), mode: 0o644 },
      { path: '../escape.js', bytes: text('x'), mode: 0o644 },
    ];
    await expect(writePackageFiles(path.join(dir, 'target'), files)).rejects.toThrow(
      /escapes the package/,
    );
    expect(await readdir(dir)).toEqual(['target']);
    expect(await readdir(path.join(dir, 'target'))).toEqual([]);
  });

  it('strips permission bits other than "executable"', async () => {
    const dir = await makeTempDir();
    await writePackageFiles(dir, [{ path: 'run', bytes: text('#!/bin/sh\n'), mode: 0o4777 }]);
    expect((await stat(path.join(dir, 'run'))).mode & 0o7777).toBe(0o755);
  });
});

describe('extractCodeArchive', () => {
  /** Extracts into a new empty folder; the error message, or 'accepted'. */
  async function extractError(
    zip: Uint8Array,
    limits = {},
  ): Promise<{ message: string; left: string[] }> {
    const dir = await makeTempDir();
    try {
      await extractCodeArchive(zip, dir, limits);
      return { message: 'accepted', left: await readdir(dir) };
    } catch (error) {
      if (!(error instanceof InvalidCodeArchiveError)) throw error;
      return { message: error.message, left: await readdir(dir) };
    }
  }

  it('writes the same files, modes and sizes as readCodeArchive reads', async () => {
    const dir = await makeTempDir();
    const zip = createCodeArchive([
      { path: 'index.mjs', content: HANDLER },
      { path: 'bin/tool', content: '#!/bin/sh\n', mode: 0o755 },
      { path: 'data/big.txt', content: 'x'.repeat(300_000) },
    ]);
    const written = await extractCodeArchive(zip, dir);
    expect(written).toEqual({ fileCount: 3, unzippedBytes: HANDLER.length + 10 + 300_000 });
    for (const file of readCodeArchive(zip)) {
      expect(new Uint8Array(await readFile(path.join(dir, file.path)))).toEqual(file.bytes);
      expect((await stat(path.join(dir, file.path))).mode & 0o777).toBe(file.mode);
    }
  });

  it('writes a stored (uncompressed) entry too', async () => {
    const dir = await makeTempDir();
    await extractCodeArchive(zipRaw({ 'a.txt': [text('stored bytes'), { level: 0 }] }), dir);
    expect(await readFile(path.join(dir, 'a.txt'), 'utf8')).toBe('stored bytes');
  });

  it.each<[string, () => Uint8Array, RegExp]>([
    [
      'a symbolic link',
      () =>
        zipRaw({
          'index.js': text(HANDLER),
          link: [text('/etc/passwd'), unixAttributes(0o120777)],
        }),
      /is a symbolic link/,
    ],
    [
      'a path escaping the package',
      () =>
        patchEntry(zipRaw({ 'index.js': text(HANDLER), 'xx/evil.js': text('x') }), 1, {
          name: '../evil.js',
        }),
      /escapes the package/,
    ],
    [
      'a FIFO',
      () => zipRaw({ 'index.js': text(HANDLER), pipe: [text(''), unixAttributes(0o010644)] }),
      /device, pipe or socket/,
    ],
  ])('refuses %s before writing anything', async (_case, build, expected) => {
    const { message, left } = await extractError(build());
    expect(message).toMatch(expected);
    expect(left).toEqual([]);
  });

  it('stops an entry that inflates past its declared size, and leaves the folder empty', async () => {
    const bomb = zipRaw({
      'first.txt': text('fine'),
      'zeros.bin': new Uint8Array(20 * 1024 * 1024),
    });
    const { message, left } = await extractError(patchEntry(bomb, 1, { uncompressedSize: 1000 }), {
      maxUnzippedBytes: 1024 * 1024,
    });
    expect(message).toMatch(
      /^Entry "zeros\.bin" unzips to more than the 1000 bytes its header declares/,
    );
    expect(left).toEqual([]);
  });

  it('refuses a bomb from its headers alone, and damaged data by its checksum', async () => {
    const bomb = zipRaw({ 'zeros.bin': new Uint8Array(20 * 1024 * 1024) });
    expect((await extractError(bomb, { maxUnzippedBytes: 1024 * 1024 })).message).toMatch(
      /^The package unzips to more than 1 MB/,
    );
    const zip = zipRaw({ 'a.txt': [text('hello world, stored'), { level: 0 }] });
    const { start } = locateData(zip, 0);
    zip[start] = 0x21;
    const { message, left } = await extractError(zip);
    expect(message).toMatch(/checksum of Entry "a\.txt" does not match/);
    expect(left).toEqual([]);
  });

  it('keeps the event loop turning while it inflates a large package', async () => {
    const dir = await makeTempDir();
    // 64 MB of zeros in a zip of about 64 KB: inflated in one go, this holds the loop for hundreds of milliseconds.
    const bomb = zipRaw({ 'zeros.bin': new Uint8Array(64 * 1024 * 1024) });
    expect(bomb.length).toBeLessThan(128 * 1024);
    const { result, longestGapMs, ticks } = await watchEventLoop(() =>
      extractCodeArchive(bomb, dir),
    );
    expect(result).toEqual({ fileCount: 1, unzippedBytes: 64 * 1024 * 1024 });
    // No step of the extraction held the loop for long (in one go it holds it for 250 ms or more here): other requests keep being served.
    expect(longestGapMs).toBeLessThan(100);
    expect(ticks).toBeGreaterThan(10);
  });
});
