import { createHash, randomUUID } from 'node:crypto';
import { cp, mkdir, rename, rm, stat } from 'node:fs/promises';
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

  async save(zip: Uint8Array, files: readonly PackageFile[]): Promise<StoredCode> {
    const digest = createHash('sha256').update(zip).digest();
    const codeId = digest.toString('hex');
    const target = this.codeDir(codeId);
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

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch {
    return false;
  }
}
