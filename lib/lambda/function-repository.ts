import { randomBytes } from 'node:crypto';
import type { Insertable, Kysely } from 'kysely';
import type { Database } from '../store';
import type { LambdaInvocationsTable } from '../store';
import type { FunctionDefinition } from './definitions';
import { DEFAULT_HISTORY_RECORDS_PER_WORKSPACE } from './quotas';

/** A published layer version. */
export interface LayerVersionDefinition {
  LayerName: string;
  Version: number;
  Description: string;
  CompatibleRuntimes: string[];
  CodeSha256: string;
  CodeSize: number;
  codeId: string;
  /** Bytes of the extracted files; absent on versions published before sizes were recorded. */
  unzippedSize?: number;
  CreatedDate: string;
}

/** One page of a function's history, newest first; nextCursor reads the page after it. */
export interface InvocationPage<T> {
  records: T[];
  nextCursor: string | undefined;
}

/** What a workspace's functions and layer versions point at, for storage quotas and collection. */
export interface CodeReferences {
  functions: { workspaceId: string; definition: FunctionDefinition }[];
  layers: { workspaceId: string; definition: LayerVersionDefinition }[];
}

export interface FunctionRepositoryOptions {
  /** @default DEFAULT_HISTORY_RECORDS_PER_WORKSPACE */
  historyRecordsPerWorkspace?: number;
}

export interface WorkspaceCredentials {
  accessKeyId: string;
  secretAccessKey: string;
}

/** How many past invocations are kept per function. */
export const RECENT_INVOCATIONS_KEPT = 50;
/** The most records one page of history holds. */
export const MAX_HISTORY_PAGE_SIZE = 50;
/** A page of history stops adding records past this many bytes of JSON (it always holds at least one). */
export const MAX_HISTORY_PAGE_BYTES = 1024 * 1024;
/** Old invocations are trimmed every this many saves, so at most KEPT + this many are stored. */
const TRIM_EVERY_SAVES = 20;
/** Rows per batched insert, well inside SQLite's limit on bound parameters. */
const MAX_SAVES_PER_BATCH = 500;

/** Persistence for lib/lambda: functions, layers, workspace keys and recent invocations. */
export class FunctionRepository {
  /** Keys never change once made; reading them is on every invocation's path. */
  private readonly credentialsCache = new Map<string, WorkspaceCredentials>();
  /** Saves since the last trim, per function: trimming on every save would double its cost. */
  private readonly savesSinceTrim = new Map<string, number>();
  private readonly pendingSaves: {
    row: Insertable<LambdaInvocationsTable>;
    resolve(): void;
    reject(error: unknown): void;
  }[] = [];

  /**
   * Definitions read on every invocation, cached in memory. Every write goes
   * through this repository, and one server process owns the database, so the
   * cache is updated (or dropped) with each write.
   */
  private readonly definitions = new Map<string, FunctionDefinition>();

  private readonly historyRecordsPerWorkspace: number;

  constructor(
    private readonly db: Kysely<Database>,
    options: FunctionRepositoryOptions = {},
  ) {
    this.historyRecordsPerWorkspace =
      options.historyRecordsPerWorkspace ?? DEFAULT_HISTORY_RECORDS_PER_WORKSPACE;
  }

  async getFunction(workspaceId: string, name: string): Promise<FunctionDefinition | undefined> {
    const key = `${workspaceId}/${name}`;
    const cached = this.definitions.get(key);
    if (cached) return structuredClone(cached);
    const row = await this.db
      .selectFrom('lambda_functions')
      .select('definition')
      .where('workspace_id', '=', workspaceId)
      .where('name', '=', name)
      .executeTakeFirst();
    if (!row) return undefined;
    const definition = JSON.parse(row.definition) as FunctionDefinition;
    this.definitions.set(key, definition);
    return structuredClone(definition);
  }

  async listFunctions(workspaceId: string): Promise<FunctionDefinition[]> {
    const rows = await this.db
      .selectFrom('lambda_functions')
      .select('definition')
      .where('workspace_id', '=', workspaceId)
      .orderBy('name')
      .execute();
    return rows.map((row) => JSON.parse(row.definition) as FunctionDefinition);
  }

  /** Inserts a new function; false when one with that name exists. */
  async insertFunction(
    workspaceId: string,
    definition: FunctionDefinition,
    now: Date,
  ): Promise<boolean> {
    const result = await this.changingDefinition(`${workspaceId}/${definition.FunctionName}`, () =>
      this.db
        .insertInto('lambda_functions')
        .values({
          workspace_id: workspaceId,
          name: definition.FunctionName,
          definition: JSON.stringify(definition),
          created_at: now.toISOString(),
          updated_at: now.toISOString(),
        })
        .onConflict((oc) => oc.columns(['workspace_id', 'name']).doNothing())
        .executeTakeFirst(),
    );
    return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  /** Replaces a function's definition if its revision is still `expectedRevision`; false otherwise. */
  async replaceFunction(
    workspaceId: string,
    definition: FunctionDefinition,
    expectedRevision: string,
    now: Date,
  ): Promise<boolean> {
    return this.changingDefinition(`${workspaceId}/${definition.FunctionName}`, () =>
      this.db.transaction().execute(async (trx) => {
        const current = await trx
          .selectFrom('lambda_functions')
          .select('definition')
          .where('workspace_id', '=', workspaceId)
          .where('name', '=', definition.FunctionName)
          .executeTakeFirst();
        if (
          !current ||
          (JSON.parse(current.definition) as FunctionDefinition).RevisionId !== expectedRevision
        )
          return false;
        await trx
          .updateTable('lambda_functions')
          .set({ definition: JSON.stringify(definition), updated_at: now.toISOString() })
          .where('workspace_id', '=', workspaceId)
          .where('name', '=', definition.FunctionName)
          .execute();
        return true;
      }),
    );
  }

  /**
   * Runs a write to a definition with the cache entry dropped before it and
   * after it, so a read racing the write cannot leave a stale copy behind.
   */
  private async changingDefinition<T>(key: string, write: () => Promise<T>): Promise<T> {
    this.definitions.delete(key);
    try {
      return await write();
    } finally {
      this.definitions.delete(key);
    }
  }

  async deleteFunction(workspaceId: string, name: string): Promise<boolean> {
    return this.changingDefinition(`${workspaceId}/${name}`, () =>
      this.db.transaction().execute(async (trx) => {
        const result = await trx
          .deleteFrom('lambda_functions')
          .where('workspace_id', '=', workspaceId)
          .where('name', '=', name)
          .executeTakeFirst();
        await trx
          .deleteFrom('lambda_invocations')
          .where('workspace_id', '=', workspaceId)
          .where('function_name', '=', name)
          .execute();
        return Number(result.numDeletedRows) > 0;
      }),
    );
  }

  async publishLayerVersion(
    workspaceId: string,
    layer: Omit<LayerVersionDefinition, 'Version'>,
    now: Date,
  ): Promise<LayerVersionDefinition> {
    return this.db.transaction().execute(async (trx) => {
      const last = await trx
        .selectFrom('lambda_layer_versions')
        .select((eb) => eb.fn.max('version').as('version'))
        .where('workspace_id', '=', workspaceId)
        .where('name', '=', layer.LayerName)
        .executeTakeFirst();
      const version = Number(last?.version ?? 0) + 1;
      const definition: LayerVersionDefinition = { ...layer, Version: version };
      await trx
        .insertInto('lambda_layer_versions')
        .values({
          workspace_id: workspaceId,
          name: layer.LayerName,
          version,
          definition: JSON.stringify(definition),
          created_at: now.toISOString(),
        })
        .execute();
      return definition;
    });
  }

  async getLayerVersion(
    workspaceId: string,
    name: string,
    version: number,
  ): Promise<LayerVersionDefinition | undefined> {
    const row = await this.db
      .selectFrom('lambda_layer_versions')
      .select('definition')
      .where('workspace_id', '=', workspaceId)
      .where('name', '=', name)
      .where('version', '=', version)
      .executeTakeFirst();
    return row ? (JSON.parse(row.definition) as LayerVersionDefinition) : undefined;
  }

  /** Deletes one layer version; false when it did not exist. */
  async deleteLayerVersion(workspaceId: string, name: string, version: number): Promise<boolean> {
    const result = await this.db
      .deleteFrom('lambda_layer_versions')
      .where('workspace_id', '=', workspaceId)
      .where('name', '=', name)
      .where('version', '=', version)
      .executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  /** Every function and layer version of one workspace, or of all of them (for collection). */
  async codeReferences(workspaceId?: string): Promise<CodeReferences> {
    let functions = this.db.selectFrom('lambda_functions').select(['workspace_id', 'definition']);
    let layers = this.db.selectFrom('lambda_layer_versions').select(['workspace_id', 'definition']);
    if (workspaceId !== undefined) {
      functions = functions.where('workspace_id', '=', workspaceId);
      layers = layers.where('workspace_id', '=', workspaceId);
    }
    const [functionRows, layerRows] = await Promise.all([functions.execute(), layers.execute()]);
    return {
      functions: functionRows.map((row) => ({
        workspaceId: row.workspace_id,
        definition: JSON.parse(row.definition) as FunctionDefinition,
      })),
      layers: layerRows.map((row) => ({
        workspaceId: row.workspace_id,
        definition: JSON.parse(row.definition) as LayerVersionDefinition,
      })),
    };
  }

  async listLayerVersions(workspaceId: string, name: string): Promise<LayerVersionDefinition[]> {
    const rows = await this.db
      .selectFrom('lambda_layer_versions')
      .select('definition')
      .where('workspace_id', '=', workspaceId)
      .where('name', '=', name)
      .orderBy('version', 'desc')
      .execute();
    return rows.map((row) => JSON.parse(row.definition) as LayerVersionDefinition);
  }

  /** The workspace's access key, created on first use. */
  async credentialsFor(workspaceId: string, now: Date): Promise<WorkspaceCredentials> {
    const cached = this.credentialsCache.get(workspaceId);
    if (cached) return cached;
    const existing = await this.db
      .selectFrom('workspace_credentials')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .executeTakeFirst();
    if (existing) {
      const credentials = {
        accessKeyId: existing.access_key_id,
        secretAccessKey: existing.secret_access_key,
      };
      this.credentialsCache.set(workspaceId, credentials);
      return credentials;
    }
    const created = {
      accessKeyId: `AKIA${randomKeyCharacters(16)}`,
      secretAccessKey: randomBytes(30).toString('base64').replace(/[+/]/g, 'x'),
    };
    await this.db
      .insertInto('workspace_credentials')
      .values({
        workspace_id: workspaceId,
        access_key_id: created.accessKeyId,
        secret_access_key: created.secretAccessKey,
        created_at: now.toISOString(),
      })
      .onConflict((oc) => oc.column('workspace_id').doNothing())
      .execute();
    return this.credentialsFor(workspaceId, now);
  }

  async workspaceForAccessKey(
    accessKeyId: string,
  ): Promise<{ workspaceId: string; secretAccessKey: string } | undefined> {
    const row = await this.db
      .selectFrom('workspace_credentials')
      .selectAll()
      .where('access_key_id', '=', accessKeyId)
      .executeTakeFirst();
    return row
      ? { workspaceId: row.workspace_id, secretAccessKey: row.secret_access_key }
      : undefined;
  }

  /**
   * Saves an invocation to the function's history. Saves arriving together are
   * written in one transaction (one commit instead of one per call), which keeps
   * history off the cost of a warm invocation.
   */
  saveInvocation(
    workspaceId: string,
    functionName: string,
    requestId: string,
    record: unknown,
    now: Date,
  ): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pendingSaves.push({
        row: {
          workspace_id: workspaceId,
          function_name: functionName,
          request_id: requestId,
          record: JSON.stringify(record),
          created_at: now.toISOString(),
        },
        resolve,
        reject,
      });
      if (this.pendingSaves.length === 1) setImmediate(() => void this.flushSaves());
    });
  }

  private async flushSaves(): Promise<void> {
    const batch = this.pendingSaves.splice(0, MAX_SAVES_PER_BATCH);
    if (this.pendingSaves.length > 0) setImmediate(() => void this.flushSaves());
    const toTrim = new Set<string>();
    for (const { row } of batch) {
      const key = `${row.workspace_id}/${row.function_name}`;
      const saves = (this.savesSinceTrim.get(key) ?? 0) + 1;
      this.savesSinceTrim.set(key, saves % TRIM_EVERY_SAVES);
      if (saves >= TRIM_EVERY_SAVES) toTrim.add(key);
    }
    try {
      await this.db.transaction().execute(async (trx) => {
        await trx
          .insertInto('lambda_invocations')
          .values(batch.map((item) => item.row))
          .onConflict((oc) =>
            oc
              .columns(['workspace_id', 'function_name', 'request_id'])
              .doUpdateSet((eb) => ({ record: eb.ref('excluded.record') })),
          )
          .execute();
        for (const workspaceId of new Set(batch.map((item) => item.row.workspace_id))) {
          const beyond = await trx
            .selectFrom('lambda_invocations')
            .select('request_id')
            .where('workspace_id', '=', workspaceId)
            .orderBy('created_at', 'desc')
            .orderBy('request_id', 'desc')
            .offset(this.historyRecordsPerWorkspace)
            .limit(MAX_SAVES_PER_BATCH)
            .execute();
          if (beyond.length > 0) {
            await trx
              .deleteFrom('lambda_invocations')
              .where('workspace_id', '=', workspaceId)
              .where(
                'request_id',
                'in',
                beyond.map((row) => row.request_id),
              )
              .execute();
          }
        }
        for (const key of toTrim) {
          const [workspaceId, functionName] = [
            key.slice(0, key.lastIndexOf('/')),
            key.slice(key.lastIndexOf('/') + 1),
          ];
          const stale = await trx
            .selectFrom('lambda_invocations')
            .select('request_id')
            .where('workspace_id', '=', workspaceId)
            .where('function_name', '=', functionName)
            .orderBy('created_at', 'desc')
            .offset(RECENT_INVOCATIONS_KEPT)
            .limit(1000)
            .execute();
          if (stale.length > 0) {
            await trx
              .deleteFrom('lambda_invocations')
              .where('workspace_id', '=', workspaceId)
              .where('function_name', '=', functionName)
              .where(
                'request_id',
                'in',
                stale.map((row) => row.request_id),
              )
              .execute();
          }
        }
      });
      batch.forEach((item) => item.resolve());
    } catch (error) {
      batch.forEach((item) => item.reject(error));
    }
  }

  /**
   * A page of a function's history, newest first, of at most `limit` records and about
   * MAX_HISTORY_PAGE_BYTES; `cursor` is the nextCursor of the page before.
   */
  async invocationPage<T>(
    workspaceId: string,
    functionName: string,
    { limit, cursor }: { limit: number; cursor?: string | undefined },
  ): Promise<InvocationPage<T>> {
    let query = this.db
      .selectFrom('lambda_invocations')
      .select(['record', 'created_at', 'request_id'])
      .where('workspace_id', '=', workspaceId)
      .where('function_name', '=', functionName);
    const after = cursor === undefined ? undefined : decodeCursor(cursor);
    if (after) {
      query = query.where((eb) =>
        eb.or([
          eb('created_at', '<', after.createdAt),
          eb.and([eb('created_at', '=', after.createdAt), eb('request_id', '<', after.requestId)]),
        ]),
      );
    }
    const rows = await query
      .orderBy('created_at', 'desc')
      .orderBy('request_id', 'desc')
      .limit(Math.min(limit, MAX_HISTORY_PAGE_SIZE) + 1)
      .execute();
    const records: T[] = [];
    let bytes = 0;
    let last: (typeof rows)[number] | undefined;
    for (const row of rows.slice(0, Math.min(limit, MAX_HISTORY_PAGE_SIZE))) {
      if (records.length > 0 && bytes + row.record.length > MAX_HISTORY_PAGE_BYTES) break;
      bytes += row.record.length;
      records.push(JSON.parse(row.record) as T);
      last = row;
    }
    const more = rows.length > records.length;
    return {
      records,
      nextCursor: more && last ? encodeCursor(last.created_at, last.request_id) : undefined,
    };
  }
}

/** A cursor names the last record of a page: its time and request id, opaque to callers. */
function encodeCursor(createdAt: string, requestId: string): string {
  return Buffer.from(`${createdAt}\n${requestId}`).toString('base64url');
}

/** Whether a string is a cursor invocationPage gave out. */
export function isHistoryCursor(cursor: string): boolean {
  return decodeCursor(cursor) !== undefined;
}

function decodeCursor(cursor: string): { createdAt: string; requestId: string } | undefined {
  const [createdAt, requestId, ...rest] = Buffer.from(cursor, 'base64url')
    .toString('utf8')
    .split('\n');
  if (
    createdAt === undefined ||
    requestId === undefined ||
    rest.length > 0 ||
    Number.isNaN(Date.parse(createdAt))
  )
    return undefined;
  return { createdAt, requestId };
}

const KEY_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function randomKeyCharacters(count: number): string {
  return [...randomBytes(count)].map((byte) => KEY_ALPHABET[byte % KEY_ALPHABET.length]).join('');
}
