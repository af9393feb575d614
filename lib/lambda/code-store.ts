import { createHash, createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import {
  copyFile,
  link,
  lstat,
  mkdir,
  readdir,
  readFile,
  rename,
  rm,
  stat,
  writeFile,
} from 'node:fs/promises';
import path from 'node:path';
import { extractCodeArchive, type CodeArchiveLimits } from './code-archive';

export interface StoredCode {
  /** Content address: the SHA-256 of the zip, hex. */
  codeId: string;
  /** What Lambda reports as CodeSha256: the same hash, base64. */
  codeSha256: string;
  /** The zip's size in bytes, Lambda's CodeSize. */
  codeSize: number;
  /** Bytes of the extracted files. */
  unzippedSize: number;
}

/** The three kinds of thing the store keeps on disk, each in its own folder. */
export type StoredKind = 'code' | 'zip' | 'opt';

/** What one collection removed. */
export interface CollectedStorage {
  removed: { kind: StoredKind; id: string }[];
}

/** Packages extracted at once across the server: a burst of uploads queues instead of filling the disk with half-written temporaries. */
export const MAX_CONCURRENT_EXTRACTIONS = 2;
/** A temporary left by a crash (the server stopped mid-extraction) is removed once it is this old. */
const STALE_TEMPORARY_MS = 60 * 60 * 1000;
const TEMPORARY_PREFIX = '.tmp-';

/**
 * Deployment packages and layers, extracted once under the data directory and
 * addressed by content, so identical code is stored once and a folder never
 * changes after it is written (environments mount it read-only). Nothing is
 * removed except by collect(), which the Lambda service calls with what its
 * functions and layers still reference.
 */
export class CodeStore {
  private extracting = 0;
  private readonly extractionQueue: (() => void)[] = [];
  /** When each stored thing was last saved or merged: a collection never removes one written after it looked at the references. */
  private readonly touched = new Map<string, number>();
  /** When each stored thing was first seen, or reported, unreferenced. */
  private readonly unreferencedSince = new Map<string, number>();
  /** Unzipped sizes measured from disk, for packages stored before sizes were recorded. */
  private readonly measuredSizes = new Map<string, number>();

  constructor(
    private readonly dataDir: string,
    private readonly clock: () => number = Date.now,
  ) {}

  codeDir(codeId: string): string {
    return path.join(this.dataDir, 'code', codeId);
  }

  /** The package as uploaded, for GetFunction's download link. */
  zipFile(codeId: string): string {
    return path.join(this.dataDir, 'zips', `${codeId}.zip`);
  }

  /** The merged /opt folder of a list of layers, named by the list's content: the same layers in the same order share one folder. */
  optId(codeIds: readonly string[]): string | undefined {
    return codeIds.length === 0
      ? undefined
      : createHash('sha256').update(codeIds.join('\n')).digest('hex');
  }

  optDir(optId: string): string {
    return path.join(this.dataDir, 'opt', optId);
  }

  /**
   * Stores a zip: extracts it (unless identical content is already stored) off the event
   * loop with the unzipped size capped as it is written, then keeps the zip itself.
   * Invalid archives throw InvalidCodeArchiveError and leave nothing behind.
   */
  async save(
    zip: Uint8Array,
    limits: Partial<CodeArchiveLimits> = {},
    digest?: Buffer,
  ): Promise<StoredCode> {
    digest ??= await hashZip(zip);
    const codeId = digest.toString('hex');
    this.touch('code', codeId);
    this.touch('zip', codeId);
    const target = this.codeDir(codeId);
    let unzippedSize: number;
    if (await exists(target)) {
      unzippedSize = await this.unzippedSize(codeId);
    } else {
      // Extract beside the target and rename: a crash never leaves half a package in place.
      const temporary = path.join(this.dataDir, 'code', `${TEMPORARY_PREFIX}${randomUUID()}`);
      await mkdir(temporary, { recursive: true, mode: 0o755 });
      try {
        unzippedSize = (
          await this.withExtractionSlot(() => extractCodeArchive(zip, temporary, limits))
        ).unzippedBytes;
        await rename(temporary, target).catch(async (error: NodeJS.ErrnoException) => {
          // Another request stored the same package first: it is identical.
          if (error.code !== 'ENOTEMPTY' && error.code !== 'EEXIST') throw error;
        });
      } finally {
        await rm(temporary, { recursive: true, force: true });
      }
      this.measuredSizes.set(codeId, unzippedSize);
    }
    if (!(await exists(this.zipFile(codeId)))) {
      await mkdir(path.dirname(this.zipFile(codeId)), { recursive: true });
      const temporaryZip = `${this.zipFile(codeId)}.${randomUUID()}`;
      await writeFile(temporaryZip, zip);
      await rename(temporaryZip, this.zipFile(codeId));
    }
    return {
      codeId,
      codeSha256: digest.toString('base64'),
      codeSize: zip.byteLength,
      unzippedSize,
    };
  }

  /** A stored package's unzipped size, measured from its files (once per process). */
  async unzippedSize(codeId: string): Promise<number> {
    const known = this.measuredSizes.get(codeId);
    if (known !== undefined) return known;
    const size = await directorySize(this.codeDir(codeId));
    this.measuredSizes.set(codeId, size);
    return size;
  }

  /**
   * One folder with the layers' files merged in order (later layers win), mounted at /opt.
   * Files are hard links to the layers' own (both are read-only once written), so a merged
   * folder costs directory entries, not a copy of the bytes.
   */
  async mergedLayers(codeIds: readonly string[]): Promise<string | undefined> {
    const id = this.optId(codeIds);
    if (id === undefined) return undefined;
    this.touch('opt', id);
    const target = this.optDir(id);
    if (await exists(target)) return target;
    const temporary = path.join(this.dataDir, 'opt', `${TEMPORARY_PREFIX}${randomUUID()}`);
    await mkdir(temporary, { recursive: true, mode: 0o755 });
    try {
      for (const codeId of codeIds) await linkTree(this.codeDir(codeId), temporary);
      await rename(temporary, target).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'ENOTEMPTY' && error.code !== 'EEXIST') throw error;
      });
    } finally {
      await rm(temporary, { recursive: true, force: true });
    }
    return target;
  }

  /** Records that something stopped being referenced now, so the grace period counts from the change. */
  release(kind: StoredKind, id: string): void {
    // The latest release counts: a package released, used again and released again gets its full grace period.
    this.unreferencedSince.set(`${kind}/${id}`, this.clock());
  }

  /**
   * Removes packages, zips and merged /opt folders that nothing references and have not been
   * referenced for `graceMs`, and that were not saved or merged since `referencesTakenAt`
   * (when the caller read what is referenced): a request storing the same content while the
   * collection runs keeps it.
   */
  async collect(
    isReferenced: (kind: StoredKind, id: string) => boolean,
    options: { graceMs: number; referencesTakenAt: number },
  ): Promise<CollectedStorage> {
    const now = this.clock();
    const removed: CollectedStorage['removed'] = [];
    for (const kind of ['code', 'zip', 'opt'] as const) {
      const folder = path.join(this.dataDir, kind === 'zip' ? 'zips' : kind);
      for (const name of await readdir(folder).catch(() => [] as string[])) {
        const id = kind === 'zip' ? name.replace(/\.zip$/, '') : name;
        if (name.startsWith(TEMPORARY_PREFIX) || (kind === 'zip' && !name.endsWith('.zip'))) {
          await this.removeStaleTemporary(path.join(folder, name), now);
          continue;
        }
        const key = `${kind}/${id}`;
        if (isReferenced(kind, id)) {
          this.unreferencedSince.delete(key);
          continue;
        }
        const touchedAt = this.touched.get(key);
        if (
          touchedAt !== undefined &&
          touchedAt >= Math.min(options.referencesTakenAt, now - options.graceMs)
        )
          continue;
        const since = this.unreferencedSince.get(key) ?? now;
        this.unreferencedSince.set(key, since);
        if (now - since < options.graceMs) continue;
        await rm(path.join(folder, name), { recursive: true, force: true });
        this.unreferencedSince.delete(key);
        this.touched.delete(key);
        if (kind === 'code') this.measuredSizes.delete(id);
        removed.push({ kind, id });
      }
    }
    return { removed };
  }

  private async removeStaleTemporary(file: string, now: number): Promise<void> {
    const info = await lstat(file).catch(() => undefined);
    if (info && now - info.mtimeMs > STALE_TEMPORARY_MS)
      await rm(file, { recursive: true, force: true });
  }

  private touch(kind: StoredKind, id: string): void {
    this.touched.set(`${kind}/${id}`, this.clock());
    this.unreferencedSince.delete(`${kind}/${id}`);
  }

  /** Runs an extraction when fewer than MAX_CONCURRENT_EXTRACTIONS are running, else queues it. */
  private async withExtractionSlot<T>(extract: () => Promise<T>): Promise<T> {
    if (this.extracting >= MAX_CONCURRENT_EXTRACTIONS)
      await new Promise<void>((resolve) => this.extractionQueue.push(resolve));
    else this.extracting += 1;
    try {
      return await extract();
    } finally {
      const next = this.extractionQueue.shift();
      // The slot passes straight to the next waiter, so the count stays right.
      if (next) next();
      else this.extracting -= 1;
    }
  }
}

/** Bytes hashed between turns of the event loop: hashing a 50 MB zip in one go would hold it for a noticeable time. */
const HASH_CHUNK_BYTES = 4 * 1024 * 1024;

/** The SHA-256 of a zip, the store's content address, computed a chunk per event-loop turn. */
export async function hashZip(zip: Uint8Array): Promise<Buffer> {
  const hash = createHash('sha256');
  for (let offset = 0; offset < zip.byteLength; offset += HASH_CHUNK_BYTES) {
    if (offset > 0) await new Promise((resolve) => setImmediate(resolve));
    hash.update(zip.subarray(offset, offset + HASH_CHUNK_BYTES));
  }
  return hash.digest();
}

/** Hard-links every file of `from` into `to`, replacing what an earlier layer put at the same path. */
async function linkTree(from: string, to: string): Promise<void> {
  for (const entry of await readdir(from, { withFileTypes: true })) {
    const source = path.join(from, entry.name);
    const destination = path.join(to, entry.name);
    const existing = await lstat(destination).catch(() => undefined);
    if (entry.isDirectory()) {
      if (existing && !existing.isDirectory()) await rm(destination, { force: true });
      if (!existing?.isDirectory()) await mkdir(destination, { mode: 0o755 });
      await linkTree(source, destination);
    } else if (entry.isFile()) {
      if (existing) await rm(destination, { recursive: true, force: true });
      await link(source, destination).catch(async (error: NodeJS.ErrnoException) => {
        // Another file system, or one without hard links: copy instead.
        if (
          error.code !== 'EXDEV' &&
          error.code !== 'EPERM' &&
          error.code !== 'EMLINK' &&
          error.code !== 'ENOTSUP'
        )
          throw error;
        await copyFile(source, destination);
      });
    }
  }
}

async function directorySize(folder: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(folder, { withFileTypes: true }).catch(() => [])) {
    const entryPath = path.join(folder, entry.name);
    if (entry.isDirectory()) total += await directorySize(entryPath);
    else if (entry.isFile()) total += (await lstat(entryPath)).size;
  }
  return total;
}

/**
 * A time-limited link to download a package, like the presigned S3 URL Lambda's
 * GetFunction returns: `expires` and an HMAC of the code id and expiry.
 */
export class CodeLinkSigner {
  constructor(private readonly secret: string) {}

  sign(codeId: string, now: Date, validForMs = CODE_LINK_VALID_MS): string {
    const expires = now.getTime() + validForMs;
    return `code/${codeId}?expires=${expires}&signature=${this.mac(codeId, expires)}`;
  }

  verify(codeId: string, expires: string | null, signature: string | null, now: Date): boolean {
    if (!/^[0-9a-f]{64}$/.test(codeId) || !expires || !signature || Number(expires) < now.getTime())
      return false;
    const expected = Buffer.from(this.mac(codeId, Number(expires)));
    const given = Buffer.from(signature);
    return expected.length === given.length && timingSafeEqual(expected, given);
  }

  private mac(codeId: string, expires: number): string {
    return createHmac('sha256', this.secret).update(`${codeId}:${expires}`).digest('hex');
  }
}

/** GetFunction's download link stays valid for 10 minutes, as Lambda's does. */
export const CODE_LINK_VALID_MS = 10 * 60 * 1000;

export async function readZip(store: CodeStore, codeId: string): Promise<Uint8Array | undefined> {
  try {
    return await readFile(store.zipFile(codeId));
  } catch {
    return undefined;
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch {
    return false;
  }
}
