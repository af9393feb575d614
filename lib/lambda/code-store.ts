import { createHash, createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { cp, mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { writePackageFiles, type PackageFile } from './code-archive';

export interface StoredCode {
  /** Content address: the SHA-256 of the zip, hex. */
  codeId: string;
  /** What Lambda reports as CodeSha256: the same hash, base64. */
  codeSha256: string;
  /** The zip's size in bytes, Lambda's CodeSize. */
  codeSize: number;
}

/**
 * Deployment packages and layers, extracted once under the data directory and
 * addressed by content, so identical code is stored once and a folder never
 * changes after it is written (environments mount it read-only).
 */
export class CodeStore {
  constructor(private readonly dataDir: string) {}

  codeDir(codeId: string): string {
    return path.join(this.dataDir, 'code', codeId);
  }

  /** The package as uploaded, for GetFunction's download link. */
  zipFile(codeId: string): string {
    return path.join(this.dataDir, 'zips', `${codeId}.zip`);
  }

  async save(zip: Uint8Array, files: readonly PackageFile[]): Promise<StoredCode> {
    const digest = createHash('sha256').update(zip).digest();
    const codeId = digest.toString('hex');
    const target = this.codeDir(codeId);
    if (!(await exists(this.zipFile(codeId)))) {
      await mkdir(path.dirname(this.zipFile(codeId)), { recursive: true });
      const temporaryZip = `${this.zipFile(codeId)}.${randomUUID()}`;
      await writeFile(temporaryZip, zip);
      await rename(temporaryZip, this.zipFile(codeId));
    }
    if (!(await exists(target))) {
      // Extract beside the target and rename: a crash never leaves half a package in place.
      const temporary = path.join(this.dataDir, 'code', `.tmp-${randomUUID()}`);
      await mkdir(temporary, { recursive: true, mode: 0o755 });
      try {
        await writePackageFiles(temporary, files);
        await rename(temporary, target).catch(async (error: NodeJS.ErrnoException) => {
          // Another request stored the same package first: it is identical.
          if (error.code !== 'ENOTEMPTY' && error.code !== 'EEXIST') throw error;
        });
      } finally {
        await rm(temporary, { recursive: true, force: true });
      }
    }
    return { codeId, codeSha256: digest.toString('base64'), codeSize: zip.byteLength };
  }

  /** One folder with the layers' files merged in order (later layers win), mounted at /opt. */
  async mergedLayers(codeIds: readonly string[]): Promise<string | undefined> {
    if (codeIds.length === 0) return undefined;
    const id = createHash('sha256').update(codeIds.join('\n')).digest('hex');
    const target = path.join(this.dataDir, 'opt', id);
    if (await exists(target)) return target;
    const temporary = path.join(this.dataDir, 'opt', `.tmp-${randomUUID()}`);
    await mkdir(temporary, { recursive: true, mode: 0o755 });
    try {
      for (const codeId of codeIds) await cp(this.codeDir(codeId), temporary, { recursive: true, force: true });
      await rename(temporary, target).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'ENOTEMPTY' && error.code !== 'EEXIST') throw error;
      });
    } finally {
      await rm(temporary, { recursive: true, force: true });
    }
    return target;
  }
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
    if (!/^[0-9a-f]{64}$/.test(codeId) || !expires || !signature || Number(expires) < now.getTime()) return false;
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
