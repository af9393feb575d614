import { constants as fsConstants } from 'node:fs';
import { type FileHandle, lstat, mkdir, open, readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import zlib from 'node:zlib';
import { Inflate, type Zippable, zipSync } from 'fflate';

// A learner's deployment package is untrusted input. The zip's central directory is read
// here rather than through fflate's unzipSync, which keys files by name (hiding duplicates),
// does not expose external attributes (so symlinks would pass) and inflates trusting the
// declared size. Every entry is checked before anything is inflated, and each one is then
// inflated in chunks that stop as soon as it passes its declared size.
// Packages are written with extractCodeArchive, which inflates on zlib's thread pool and
// writes each chunk as it comes, so neither a large package nor a bomb holds the event loop
// or sits whole in memory; readCodeArchive inflates in memory, for small archives and tests.
// Zip format: https://pkware.cachefly.net/webdocs/casestudies/APPNOTE.TXT
// Why the reader is ours: docs/decisions/007-zip-reader-here-fflate-for-deflate.md

/** Limits, as on Lambda: 50 MB zipped (direct upload), 250 MB unzipped. */
export const MAX_ZIPPED_BYTES = 50 * 1024 * 1024;
/** Lambda's limit on a function's unzipped deployment package, code and dependencies together. */
export const MAX_UNZIPPED_BYTES = 250 * 1024 * 1024;
/** The most files a package may hold; far more than any function needs, few enough to write quickly. */
export const MAX_FILE_COUNT = 10_000;
/** The longest relative path accepted for a file in a package. */
export const MAX_PATH_LENGTH = 1024;

/** What is wrong with a deployment package, in words a learner can act on. */
export class InvalidCodeArchiveError extends Error {
  override name = 'InvalidCodeArchiveError';
}

/** A file in a package: path relative to the package root with "/" separators, and its bytes; mode is 0o755 for files that were executable in the zip, else 0o644. */
export interface PackageFile {
  path: string;
  bytes: Uint8Array;
  mode: number;
}

/** Limits for readCodeArchive; each defaults to Lambda's. */
export interface CodeArchiveLimits {
  /** @default MAX_ZIPPED_BYTES */
  maxZippedBytes: number;
  /** @default MAX_UNZIPPED_BYTES */
  maxUnzippedBytes: number;
  /** @default MAX_FILE_COUNT */
  maxFileCount: number;
}

/** Mode of a regular file that is executable. */
const EXECUTABLE_MODE = 0o755;
/** Mode of a regular file that is not executable. */
const REGULAR_MODE = 0o644;
/** Mode of the folders writePackageFiles creates. */
const DIRECTORY_MODE = 0o755;

/** Unix file type bits (st_mode & S_IFMT), as stored in the high 16 bits of a zip's external attributes. */
const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;
const S_IFLNK = 0o120000;
/** MS-DOS directory attribute, in the low byte of the external attributes. */
const DOS_DIRECTORY = 0x10;
/** "Made by" host byte for Unix, which makes readers honour the Unix mode. */
const HOST_UNIX = 3;

/** Record signatures, fixed sizes, flags and methods of the zip format (APPNOTE.TXT section 4). */
const EOCD_SIGNATURE = 0x06054b50;
const EOCD_SIZE = 22;
const ZIP64_LOCATOR_SIGNATURE = 0x07064b50;
const ZIP64_EOCD_SIGNATURE = 0x06064b50;
const CENTRAL_HEADER_SIGNATURE = 0x02014b50;
const CENTRAL_HEADER_SIZE = 46;
const LOCAL_HEADER_SIGNATURE = 0x04034b50;
const LOCAL_HEADER_SIZE = 30;
const ZIP64_EXTRA_ID = 0x0001;
const FLAG_ENCRYPTED = 0x0001;
const FLAG_UTF8 = 0x0800;
const METHOD_STORED = 0;
const METHOD_DEFLATE = 8;
/** Compressed bytes fed to the inflater at a time: deflate expands at most ~1032×, so one step yields ≤ 17 MB. */
const INFLATE_CHUNK_BYTES = 16 * 1024;
/** Bytes inflated or written per step when extracting to disk: small enough that no step holds the event loop. */
const STREAM_CHUNK_BYTES = 64 * 1024;
/**
 * Modification time written into created archives. A fixed one makes identical files give
 * an identical zip, so a package's SHA-256 changes only when its code does.
 */
const ARCHIVE_MTIME = new Date(2000, 0, 1);

/** Decodes entry names exactly: invalid UTF-8 is an error, and a leading BOM is kept rather than dropped. */
const UTF8_NAME_DECODER = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

interface CentralEntry {
  name: string;
  flags: number;
  method: number;
  crc32: number;
  compressedSize: number;
  uncompressedSize: number;
  localHeaderOffset: number;
  /** Unix st_mode from the external attributes, 0 when the zip has none. */
  unixMode: number;
  dosAttributes: number;
}

/** A zip whose every entry passed the checks, ready to inflate: what readCodeArchive and extractCodeArchive share. */
interface CodeArchivePlan {
  zip: Uint8Array;
  files: { entry: CentralEntry; path: string; mode: number }[];
  /** The sum of the files' declared sizes; no entry may inflate past its own. */
  declaredBytes: number;
}

/** What extractCodeArchive wrote. */
export interface ExtractedPackage {
  fileCount: number;
  /** Bytes written, the package's unzipped size. */
  unzippedBytes: number;
}

/**
 * Checks a zip's central directory and every entry (names, types, sizes, methods) without
 * inflating anything, and returns the unzipped size its headers declare, an upper bound on
 * what extracting it can write.
 */
export function measureCodeArchive(
  zip: Uint8Array,
  limits: Partial<CodeArchiveLimits> = {},
): { fileCount: number; declaredBytes: number } {
  const plan = planCodeArchive(zip, limits);
  return { fileCount: plan.files.length, declaredBytes: plan.declaredBytes };
}

/** Reads and validates a zip, returning its regular files. Directories are implied by paths. */
export function readCodeArchive(
  zip: Uint8Array,
  limits: Partial<CodeArchiveLimits> = {},
): PackageFile[] {
  const plan = planCodeArchive(zip, limits);
  return plan.files.map(({ entry, path: filePath, mode }) => ({
    path: filePath,
    bytes: extractEntry(zip, entry, filePath),
    mode,
  }));
}

/**
 * Validates a zip and writes its files under targetDir (which must exist and be empty),
 * inflating each entry in bounded chunks on zlib's thread pool and writing every chunk as it
 * arrives: an entry stops the moment it passes its declared size, and the declared sizes
 * were capped before anything was inflated. On any error targetDir is emptied again.
 */
export async function extractCodeArchive(
  zip: Uint8Array,
  targetDir: string,
  limits: Partial<CodeArchiveLimits> = {},
): Promise<ExtractedPackage> {
  const plan = planCodeArchive(zip, limits);
  await assertEmptyDirectory(targetDir);
  const createdFolders = new Set<string>();
  let unzippedBytes = 0;
  try {
    for (const file of plan.files) {
      const segments = file.path.split('/');
      await createParentFolders(targetDir, segments, createdFolders);
      unzippedBytes += await streamEntry(
        zip,
        file.entry,
        file.path,
        path.join(targetDir, ...segments),
        file.mode,
      );
    }
  } catch (error) {
    await emptyDirectory(targetDir);
    throw error;
  }
  return { fileCount: plan.files.length, unzippedBytes };
}

function planCodeArchive(zip: Uint8Array, limits: Partial<CodeArchiveLimits>): CodeArchivePlan {
  const {
    maxZippedBytes = MAX_ZIPPED_BYTES,
    maxUnzippedBytes = MAX_UNZIPPED_BYTES,
    maxFileCount = MAX_FILE_COUNT,
  } = limits;
  if (zip.length > maxZippedBytes) {
    throw new InvalidCodeArchiveError(
      `The zip is ${formatBytes(zip.length)}; a package uploaded directly can be at most ${formatBytes(maxZippedBytes)} zipped. Leave out files the function does not need (tests, docs, dev dependencies).`,
    );
  }

  const entries = readCentralDirectory(zip);
  const files: CodeArchivePlan['files'] = [];
  const filePaths = new Set<string>();
  const folderPaths = new Set<string>();
  let declaredBytes = 0;
  for (const entry of entries) {
    const kind = classifyEntry(entry);
    const entryPath = assertSafePackagePath(entry.name);
    if (kind === 'folder') {
      folderPaths.add(entryPath);
      continue;
    }
    if (filePaths.has(entryPath)) {
      throw new InvalidCodeArchiveError(
        `${describeEntry(entryPath)} appears twice in the zip: keep one copy of each file.`,
      );
    }
    if ((entry.flags & FLAG_ENCRYPTED) !== 0) {
      throw new InvalidCodeArchiveError(
        `${describeEntry(entryPath)} is encrypted: zip the package without a password.`,
      );
    }
    if (entry.method !== METHOD_STORED && entry.method !== METHOD_DEFLATE) {
      throw new InvalidCodeArchiveError(
        `${describeEntry(entryPath)} uses compression method ${entry.method}: re-create the zip with standard (deflate) compression.`,
      );
    }
    filePaths.add(entryPath);
    if (filePaths.size > maxFileCount) {
      throw new InvalidCodeArchiveError(
        `The zip holds more than ${maxFileCount} files, the most a package may have: leave out files the function does not need.`,
      );
    }
    declaredBytes += entry.uncompressedSize;
    if (declaredBytes > maxUnzippedBytes) {
      throw new InvalidCodeArchiveError(
        `The package unzips to more than ${formatBytes(maxUnzippedBytes)}, the most a function may have: leave out files the function does not need.`,
      );
    }
    files.push({
      entry,
      path: entryPath,
      mode: (entry.unixMode & 0o111) !== 0 ? EXECUTABLE_MODE : REGULAR_MODE,
    });
  }
  if (files.length === 0) {
    throw new InvalidCodeArchiveError(
      'The zip has no files: put the handler file (for example index.mjs) at the root of the zip.',
    );
  }
  assertNoFileFolderClash(filePaths, folderPaths);
  return { zip, files, declaredBytes };
}

/** Creates a zip from files (used by tests and by the app when the UI saves files). */
export function createCodeArchive(
  files: readonly { path: string; content: string | Uint8Array; mode?: number }[],
): Uint8Array {
  // No prototype, so a file named "__proto__" is an ordinary key.
  const zippable = Object.create(null) as Zippable;
  const filePaths = new Set<string>();
  const encoder = new TextEncoder();
  for (const file of files) {
    const filePath = assertSafePackagePath(file.path);
    if (filePaths.has(filePath)) {
      throw new InvalidCodeArchiveError(
        `${describeEntry(filePath)} is given twice: keep one copy of each file.`,
      );
    }
    filePaths.add(filePath);
    const bytes = typeof file.content === 'string' ? encoder.encode(file.content) : file.content;
    const mode = normaliseMode(file.mode ?? REGULAR_MODE);
    // The Unix mode lives in the high 16 bits; ">>> 0" keeps the value unsigned once S_IFREG sets the top bit.
    zippable[filePath] = [bytes, { os: HOST_UNIX, attrs: ((S_IFREG | mode) << 16) >>> 0 }];
  }
  assertNoFileFolderClash(filePaths, new Set());
  return zipSync(zippable, { mtime: ARCHIVE_MTIME, os: HOST_UNIX });
}

/** Writes files under targetDir (which must exist and be empty), creating parent directories, never following or creating symlinks; returns total bytes written. */
export async function writePackageFiles(
  targetDir: string,
  files: readonly PackageFile[],
): Promise<number> {
  await assertEmptyDirectory(targetDir);

  // Check every path before writing anything, so bad input leaves the directory empty.
  const planned = files.map((file) => ({ ...file, path: assertSafePackagePath(file.path) }));
  const filePaths = new Set<string>();
  for (const file of planned) {
    if (filePaths.has(file.path))
      throw new InvalidCodeArchiveError(
        `${describeEntry(file.path)} is given twice: keep one copy of each file.`,
      );
    filePaths.add(file.path);
  }
  assertNoFileFolderClash(filePaths, new Set());

  const createdFolders = new Set<string>();
  let written = 0;
  try {
    for (const file of planned) {
      const segments = file.path.split('/');
      await createParentFolders(targetDir, segments, createdFolders);
      written += await writeNewFile(
        path.join(targetDir, ...segments),
        file.bytes,
        normaliseMode(file.mode),
      );
    }
  } catch (error) {
    await emptyDirectory(targetDir);
    throw error;
  }
  return written;
}

async function assertEmptyDirectory(targetDir: string): Promise<void> {
  const target = await stat(targetDir);
  if (!target.isDirectory())
    throw new Error(
      `${targetDir} is not a directory: create an empty directory for the package first.`,
    );
  const existing = await readdir(targetDir);
  if (existing.length > 0) {
    throw new Error(
      `${targetDir} is not empty (it holds ${existing.length} entries): packages are written only into an empty directory.`,
    );
  }
}

/** Nothing half-written: the directory was empty before, so it is emptied again. */
async function emptyDirectory(targetDir: string): Promise<void> {
  const entries = await readdir(targetDir);
  await Promise.all(
    entries.map((entry) => rm(path.join(targetDir, entry), { recursive: true, force: true })),
  );
}

/** Validates one relative path the same way (used for files given as JSON, not zip). */
export function assertSafePackagePath(candidate: string): string {
  const shown = describeEntry(candidate);
  if (candidate.length === 0)
    throw new InvalidCodeArchiveError('A file has an empty path: give every file a name.');
  if (candidate.length > MAX_PATH_LENGTH) {
    throw new InvalidCodeArchiveError(
      `${shown} has a path of ${candidate.length} characters; paths can be at most ${MAX_PATH_LENGTH}.`,
    );
  }
  if (candidate.includes('\0'))
    throw new InvalidCodeArchiveError(
      `${shown} contains a NUL byte: remove it from the file name.`,
    );
  if (candidate.includes('\\')) {
    throw new InvalidCodeArchiveError(
      `${shown} uses "\\" as a separator: paths in a package use "/"; re-create the zip with a tool that writes "/".`,
    );
  }
  if (candidate.startsWith('/') || /^[A-Za-z]:/.test(candidate)) {
    throw new InvalidCodeArchiveError(
      `${shown} is an absolute path: paths must be relative to the package root.`,
    );
  }
  const segments = candidate.split('/');
  if (segments.includes('..'))
    throw new InvalidCodeArchiveError(`${shown} escapes the package: paths must stay inside it.`);
  const normalised = segments.filter((segment) => segment !== '' && segment !== '.').join('/');
  if (normalised === '')
    throw new InvalidCodeArchiveError(`${shown} names no file: give it a file name.`);
  return normalised;
}

function readCentralDirectory(zip: Uint8Array): CentralEntry[] {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const eocd = findEndOfCentralDirectory(view);
  if (view.getUint16(eocd + 4, true) !== 0 || view.getUint16(eocd + 6, true) !== 0) {
    throw new InvalidCodeArchiveError(
      'The zip is split into several parts: upload it as a single zip file.',
    );
  }
  let count = view.getUint16(eocd + 10, true);
  let size = view.getUint32(eocd + 12, true);
  let offset = view.getUint32(eocd + 16, true);
  let end = eocd;
  if (count === 0xffff || size === 0xffffffff || offset === 0xffffffff) {
    const locator = eocd - 20;
    if (locator >= 0 && view.getUint32(locator, true) === ZIP64_LOCATOR_SIGNATURE) {
      const record = readUint64(view, locator + 8);
      if (record + 56 > eocd || view.getUint32(record, true) !== ZIP64_EOCD_SIGNATURE)
        throw corruptZip('its Zip64 end record is damaged');
      count = readUint64(view, record + 32);
      size = readUint64(view, record + 40);
      offset = readUint64(view, record + 48);
      end = record;
    }
  }
  if (offset + size > end || count * CENTRAL_HEADER_SIZE > size)
    throw corruptZip('its central directory lies outside the file');

  const entries: CentralEntry[] = [];
  let at = offset;
  for (let index = 0; index < count; index++) {
    if (
      at + CENTRAL_HEADER_SIZE > offset + size ||
      view.getUint32(at, true) !== CENTRAL_HEADER_SIGNATURE
    ) {
      throw corruptZip(`entry ${index + 1} of its central directory is damaged`);
    }
    const flags = view.getUint16(at + 8, true);
    const nameLength = view.getUint16(at + 28, true);
    const extraLength = view.getUint16(at + 30, true);
    const commentLength = view.getUint16(at + 32, true);
    const next = at + CENTRAL_HEADER_SIZE + nameLength + extraLength + commentLength;
    if (next > offset + size)
      throw corruptZip(`entry ${index + 1} of its central directory runs past its end`);
    const externalAttributes = view.getUint32(at + 38, true);
    const sizes = readZip64Sizes(view, at + CENTRAL_HEADER_SIZE + nameLength, extraLength, {
      uncompressedSize: view.getUint32(at + 24, true),
      compressedSize: view.getUint32(at + 20, true),
      localHeaderOffset: view.getUint32(at + 42, true),
    });
    entries.push({
      name: decodeName(
        zip.subarray(at + CENTRAL_HEADER_SIZE, at + CENTRAL_HEADER_SIZE + nameLength),
        flags,
      ),
      flags,
      method: view.getUint16(at + 10, true),
      crc32: view.getUint32(at + 16, true),
      ...sizes,
      unixMode: externalAttributes >>> 16,
      dosAttributes: externalAttributes & 0xff,
    });
    at = next;
  }
  return entries;
}

function findEndOfCentralDirectory(view: DataView): number {
  // The record is last, followed only by a comment of at most 65535 bytes.
  const last = view.byteLength - EOCD_SIZE;
  for (let at = last; at >= 0 && at >= last - 0xffff; at--) {
    if (
      view.getUint32(at, true) === EOCD_SIGNATURE &&
      at + EOCD_SIZE + view.getUint16(at + 20, true) <= view.byteLength
    )
      return at;
  }
  throw new InvalidCodeArchiveError(
    'The file is not a zip archive (or it is cut short): upload the deployment package as a .zip file.',
  );
}

type EntrySizes = Pick<CentralEntry, 'uncompressedSize' | 'compressedSize' | 'localHeaderOffset'>;

/** Sizes saturated at 0xFFFFFFFF are in the Zip64 extra field, in this order, present only when saturated. */
function readZip64Sizes(
  view: DataView,
  extraStart: number,
  extraLength: number,
  sizes: EntrySizes,
): EntrySizes {
  const saturated = (['uncompressedSize', 'compressedSize', 'localHeaderOffset'] as const).filter(
    (key) => sizes[key] === 0xffffffff,
  );
  if (saturated.length === 0) return sizes;
  for (let at = extraStart; at + 4 <= extraStart + extraLength;) {
    const id = view.getUint16(at, true);
    const length = view.getUint16(at + 2, true);
    if (id === ZIP64_EXTRA_ID) {
      if (length < saturated.length * 8 || at + 4 + length > extraStart + extraLength)
        throw corruptZip('a Zip64 size field is damaged');
      const result = { ...sizes };
      saturated.forEach((key, index) => {
        result[key] = readUint64(view, at + 4 + index * 8);
      });
      return result;
    }
    at += 4 + length;
  }
  throw corruptZip('an entry is missing its Zip64 sizes');
}

function readUint64(view: DataView, at: number): number {
  if (at + 8 > view.byteLength) throw corruptZip('a Zip64 field lies outside the file');
  const value = view.getBigUint64(at, true);
  if (value > BigInt(Number.MAX_SAFE_INTEGER))
    throw corruptZip('a Zip64 field is impossibly large');
  return Number(value);
}

function decodeName(bytes: Uint8Array, flags: number): string {
  // Names without the UTF-8 flag are CP437 by the spec, but most tools write UTF-8 anyway; pure ASCII reads the same in both.
  try {
    return UTF8_NAME_DECODER.decode(bytes);
  } catch (error) {
    const hint = (flags & FLAG_UTF8) !== 0 ? 'is marked UTF-8 but is not' : 'is not UTF-8';
    throw new InvalidCodeArchiveError(
      `An entry name in the zip ${hint}: rename the file with plain characters, or re-create the zip with UTF-8 names.`,
      {
        cause: error,
      },
    );
  }
}

/** Regular file or folder; anything else (links, devices, pipes, sockets) is refused. */
function classifyEntry(entry: CentralEntry): 'file' | 'folder' {
  const type = entry.unixMode & S_IFMT;
  if (type === S_IFLNK) {
    throw new InvalidCodeArchiveError(
      `${describeEntry(entry.name)} is a symbolic link: links are not allowed; put the file itself in the package.`,
    );
  }
  if (
    type === S_IFDIR ||
    entry.name.endsWith('/') ||
    (type === 0 && (entry.dosAttributes & DOS_DIRECTORY) !== 0)
  )
    return 'folder';
  // No type bits at all is a zip made without Unix attributes: a plain file.
  if (type !== S_IFREG && type !== 0) {
    throw new InvalidCodeArchiveError(
      `${describeEntry(entry.name)} is a device, pipe or socket: only regular files and folders are allowed.`,
    );
  }
  return 'file';
}

/** "a" cannot be a file when "a/b" needs it to be a folder. */
function assertNoFileFolderClash(
  filePaths: ReadonlySet<string>,
  folderPaths: ReadonlySet<string>,
): void {
  const folders = new Set(folderPaths);
  for (const filePath of filePaths) {
    for (let slash = filePath.indexOf('/'); slash !== -1; slash = filePath.indexOf('/', slash + 1))
      folders.add(filePath.slice(0, slash));
  }
  for (const filePath of filePaths) {
    if (folders.has(filePath)) {
      throw new InvalidCodeArchiveError(
        `${describeEntry(filePath)} is both a file and a folder in the package: rename one of them.`,
      );
    }
  }
}

/** The entry's compressed bytes, found through its local header. */
function entryData(zip: Uint8Array, entry: CentralEntry, shown: string): Uint8Array {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const header = entry.localHeaderOffset;
  if (
    header + LOCAL_HEADER_SIZE > zip.length ||
    view.getUint32(header, true) !== LOCAL_HEADER_SIGNATURE
  ) {
    throw corruptZip(`the local header of ${shown} is missing`);
  }
  const start =
    header +
    LOCAL_HEADER_SIZE +
    view.getUint16(header + 26, true) +
    view.getUint16(header + 28, true);
  if (start + entry.compressedSize > zip.length)
    throw corruptZip(`the data of ${shown} runs past the end of the file`);
  if (entry.method === METHOD_STORED && entry.compressedSize !== entry.uncompressedSize)
    throw corruptZip(`the sizes of ${shown} disagree`);
  return zip.subarray(start, start + entry.compressedSize);
}

function extractEntry(zip: Uint8Array, entry: CentralEntry, entryPath: string): Uint8Array {
  const shown = describeEntry(entryPath);
  const compressed = entryData(zip, entry, shown);
  let bytes: Uint8Array;
  if (entry.method === METHOD_STORED) {
    bytes = compressed.slice();
  } else {
    bytes = inflateBounded(compressed, entry.uncompressedSize, shown);
  }
  if (computeCrc32(bytes) !== entry.crc32)
    throw corruptZip(`the checksum of ${shown} does not match its contents`);
  return bytes;
}

/** Inflates at most `size` bytes: a header that under-declares its size cannot make us inflate the rest. */
function inflateBounded(compressed: Uint8Array, size: number, shown: string): Uint8Array {
  const out = new Uint8Array(size);
  let written = 0;
  const inflater = new Inflate((chunk) => {
    if (written + chunk.length > size) {
      throw new InvalidCodeArchiveError(
        `${shown} unzips to more than the ${size} bytes its header declares: the zip is damaged or crafted; re-create it with a standard zip tool.`,
      );
    }
    out.set(chunk, written);
    written += chunk.length;
  });
  try {
    let offset = 0;
    do {
      const end = Math.min(offset + INFLATE_CHUNK_BYTES, compressed.length);
      inflater.push(compressed.subarray(offset, end), end === compressed.length);
      offset = end;
    } while (offset < compressed.length);
  } catch (error) {
    if (error instanceof InvalidCodeArchiveError) throw error;
    throw corruptZip(
      `the compressed data of ${shown} is damaged (${(error as Error).message})`,
      error,
    );
  }
  if (written !== size)
    throw corruptZip(`${shown} unzips to ${written} bytes but its header declares ${size}`);
  return out;
}

/**
 * Writes one entry to a new file, inflating on zlib's thread pool: each output chunk is
 * checked against the declared size, added to the checksum and written before the next is
 * produced, so at most a chunk of it is ever in memory.
 */
async function streamEntry(
  zip: Uint8Array,
  entry: CentralEntry,
  entryPath: string,
  filePath: string,
  mode: number,
): Promise<number> {
  const shown = describeEntry(entryPath);
  const compressed = entryData(zip, entry, shown);
  const handle = await openNewFile(filePath, mode);
  let written = 0;
  let crc = 0;
  try {
    const chunks =
      entry.method === METHOD_STORED
        ? Readable.from(sliceChunks(compressed, STREAM_CHUNK_BYTES))
        : inflateStream(compressed);
    try {
      for await (const chunk of chunks as AsyncIterable<Buffer>) {
        if (written + chunk.length > entry.uncompressedSize) {
          throw new InvalidCodeArchiveError(
            `${shown} unzips to more than the ${entry.uncompressedSize} bytes its header declares: the zip is damaged or crafted; re-create it with a standard zip tool.`,
          );
        }
        crc = computeCrc32(chunk, crc);
        await handle.write(chunk);
        written += chunk.length;
      }
    } catch (error) {
      if (error instanceof InvalidCodeArchiveError) throw error;
      throw corruptZip(
        `the compressed data of ${shown} is damaged (${(error as Error).message})`,
        error,
      );
    } finally {
      chunks.destroy();
    }
    if (written !== entry.uncompressedSize)
      throw corruptZip(
        `${shown} unzips to ${written} bytes but its header declares ${entry.uncompressedSize}`,
      );
    if (crc !== entry.crc32)
      throw corruptZip(`the checksum of ${shown} does not match its contents`);
    await handle.chmod(mode);
  } finally {
    await handle.close();
  }
  return written;
}

/** Raw deflate data in, inflated chunks of at most STREAM_CHUNK_BYTES out; zlib does the work off the event loop. */
function inflateStream(compressed: Uint8Array): Readable {
  const inflater = zlib.createInflateRaw({ chunkSize: STREAM_CHUNK_BYTES });
  const source = Readable.from(sliceChunks(compressed, STREAM_CHUNK_BYTES));
  source.on('error', (error) => inflater.destroy(error));
  inflater.on('close', () => source.destroy());
  return source.pipe(inflater);
}

function* sliceChunks(bytes: Uint8Array, size: number): Generator<Buffer> {
  for (let offset = 0; offset < bytes.length; offset += size) {
    yield Buffer.from(
      bytes.buffer,
      bytes.byteOffset + offset,
      Math.min(size, bytes.length - offset),
    );
  }
}

function corruptZip(detail: string, cause?: unknown): InvalidCodeArchiveError {
  return new InvalidCodeArchiveError(
    `The zip is corrupt: ${detail}. Re-create it with a standard zip tool and upload it again.`,
    { cause },
  );
}

/** The CRC-32 of ISO-HDLC, which zip uses. */
const CRC32_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32 of bytes, continuing from `previous` (the CRC of what came before): zlib's native one where Node has it (20.15+). */
function computeCrc32(bytes: Uint8Array, previous = 0): number {
  if (typeof zlib.crc32 === 'function') return zlib.crc32(bytes, previous);
  let crc = (previous ^ 0xffffffff) >>> 0;
  for (let i = 0; i < bytes.length; i++)
    crc = (CRC32_TABLE[(crc ^ (bytes[i] ?? 0)) & 0xff] ?? 0) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** Only "executable or not" survives: no setuid, no group- or world-writable files. */
function normaliseMode(mode: number): number {
  return (mode & 0o111) !== 0 ? EXECUTABLE_MODE : REGULAR_MODE;
}

/** Creates the folders above a file's path inside targetDir, each once (`created` remembers them across files). */
async function createParentFolders(
  targetDir: string,
  segments: readonly string[],
  created: Set<string>,
): Promise<void> {
  let folder = targetDir;
  for (const segment of segments.slice(0, -1)) {
    folder = path.join(folder, segment);
    if (!created.has(folder)) {
      await createFolder(folder);
      created.add(folder);
    }
  }
}

async function createFolder(folder: string): Promise<void> {
  try {
    await mkdir(folder, { mode: DIRECTORY_MODE });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    // Something else put it there since the directory was found empty: accept only a real folder.
    const existing = await lstat(folder);
    if (!existing.isDirectory())
      throw new Error(
        `${folder} appeared while the package was being written and is not a folder.`,
        { cause: error },
      );
  }
}

async function writeNewFile(filePath: string, bytes: Uint8Array, mode: number): Promise<number> {
  const handle = await openNewFile(filePath, mode);
  try {
    await handle.writeFile(bytes);
    // The umask may have removed bits from the mode given to open.
    await handle.chmod(mode);
  } finally {
    await handle.close();
  }
  return bytes.length;
}

/** O_EXCL refuses to open an existing path, a symlink included, so nothing outside the package is written through. */
function openNewFile(filePath: string, mode: number): Promise<FileHandle> {
  return open(
    filePath,
    fsConstants.O_WRONLY | fsConstants.O_CREAT | fsConstants.O_EXCL | fsConstants.O_NOFOLLOW,
    mode,
  );
}

function describeEntry(entryPath: string): string {
  const shown = entryPath.length > 120 ? `${entryPath.slice(0, 120)}…` : entryPath;
  return `Entry ${JSON.stringify(shown)}`;
}

function formatBytes(bytes: number): string {
  if (bytes < 1024 * 1024) return `${bytes} bytes`;
  return `${(bytes / (1024 * 1024)).toFixed(1).replace(/\.0$/, '')} MB`;
}
