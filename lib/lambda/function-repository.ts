import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../store';
import type { FunctionDefinition } from './definitions';

/** A published layer version. */
export interface LayerVersionDefinition {
  LayerName: string;
  Version: number;
  Description: string;
  CompatibleRuntimes: string[];
  CodeSha256: string;
  CodeSize: number;
  codeId: string;
  CreatedDate: string;
}

export interface WorkspaceCredentials {
  accessKeyId: string;
  secretAccessKey: string;
}

/** How many past invocations are kept per function. */
export const RECENT_INVOCATIONS_KEPT = 50;
/** Old invocations are trimmed every this many saves, so at most KEPT + this many are stored. */
const TRIM_EVERY_SAVES = 20;

/** Persistence for lib/lambda: functions, layers, workspace keys and recent invocations. */
export class FunctionRepository {
  /** Keys never change once made; reading them is on every invocation's path. */
  private readonly credentialsCache = new Map<string, WorkspaceCredentials>();
  /** Saves since the last trim, per function: trimming on every save would double its cost. */
  private readonly savesSinceTrim = new Map<string, number>();

  constructor(private readonly db: Kysely<Database>) {}

  async getFunction(workspaceId: string, name: string): Promise<FunctionDefinition | undefined> {
    const row = await this.db.selectFrom('lambda_functions').select('definition').where('workspace_id', '=', workspaceId).where('name', '=', name).executeTakeFirst();
    return row ? (JSON.parse(row.definition) as FunctionDefinition) : undefined;
  }

  async listFunctions(workspaceId: string): Promise<FunctionDefinition[]> {
    const rows = await this.db.selectFrom('lambda_functions').select('definition').where('workspace_id', '=', workspaceId).orderBy('name').execute();
    return rows.map((row) => JSON.parse(row.definition) as FunctionDefinition);
  }

  /** Inserts a new function; false when one with that name exists. */
  async insertFunction(workspaceId: string, definition: FunctionDefinition, now: Date): Promise<boolean> {
    const result = await this.db
      .insertInto('lambda_functions')
      .values({ workspace_id: workspaceId, name: definition.FunctionName, definition: JSON.stringify(definition), created_at: now.toISOString(), updated_at: now.toISOString() })
      .onConflict((oc) => oc.columns(['workspace_id', 'name']).doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  /** Replaces a function's definition if its revision is still `expectedRevision`; false otherwise. */
  async replaceFunction(workspaceId: string, definition: FunctionDefinition, expectedRevision: string, now: Date): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const current = await trx.selectFrom('lambda_functions').select('definition').where('workspace_id', '=', workspaceId).where('name', '=', definition.FunctionName).executeTakeFirst();
      if (!current || (JSON.parse(current.definition) as FunctionDefinition).RevisionId !== expectedRevision) return false;
      await trx
        .updateTable('lambda_functions')
        .set({ definition: JSON.stringify(definition), updated_at: now.toISOString() })
        .where('workspace_id', '=', workspaceId)
        .where('name', '=', definition.FunctionName)
        .execute();
      return true;
    });
  }

  async deleteFunction(workspaceId: string, name: string): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const result = await trx.deleteFrom('lambda_functions').where('workspace_id', '=', workspaceId).where('name', '=', name).executeTakeFirst();
      await trx.deleteFrom('lambda_invocations').where('workspace_id', '=', workspaceId).where('function_name', '=', name).execute();
      return Number(result.numDeletedRows) > 0;
    });
  }

  async publishLayerVersion(workspaceId: string, layer: Omit<LayerVersionDefinition, 'Version'>, now: Date): Promise<LayerVersionDefinition> {
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
        .values({ workspace_id: workspaceId, name: layer.LayerName, version, definition: JSON.stringify(definition), created_at: now.toISOString() })
        .execute();
      return definition;
    });
  }

  async getLayerVersion(workspaceId: string, name: string, version: number): Promise<LayerVersionDefinition | undefined> {
    const row = await this.db
      .selectFrom('lambda_layer_versions')
      .select('definition')
      .where('workspace_id', '=', workspaceId)
      .where('name', '=', name)
      .where('version', '=', version)
      .executeTakeFirst();
    return row ? (JSON.parse(row.definition) as LayerVersionDefinition) : undefined;
  }

  async listLayerVersions(workspaceId: string, name: string): Promise<LayerVersionDefinition[]> {
    const rows = await this.db.selectFrom('lambda_layer_versions').select('definition').where('workspace_id', '=', workspaceId).where('name', '=', name).orderBy('version', 'desc').execute();
    return rows.map((row) => JSON.parse(row.definition) as LayerVersionDefinition);
  }

  /** The workspace's access key, created on first use. */
  async credentialsFor(workspaceId: string, now: Date): Promise<WorkspaceCredentials> {
    const cached = this.credentialsCache.get(workspaceId);
    if (cached) return cached;
    const existing = await this.db.selectFrom('workspace_credentials').selectAll().where('workspace_id', '=', workspaceId).executeTakeFirst();
    if (existing) {
      const credentials = { accessKeyId: existing.access_key_id, secretAccessKey: existing.secret_access_key };
      this.credentialsCache.set(workspaceId, credentials);
      return credentials;
    }
    const created = { accessKeyId: `AKIA${randomKeyCharacters(16)}`, secretAccessKey: randomBytes(30).toString('base64').replace(/[+/]/g, 'x') };
    await this.db
      .insertInto('workspace_credentials')
      .values({ workspace_id: workspaceId, access_key_id: created.accessKeyId, secret_access_key: created.secretAccessKey, created_at: now.toISOString() })
      .onConflict((oc) => oc.column('workspace_id').doNothing())
      .execute();
    return this.credentialsFor(workspaceId, now);
  }

  async workspaceForAccessKey(accessKeyId: string): Promise<{ workspaceId: string; secretAccessKey: string } | undefined> {
    const row = await this.db.selectFrom('workspace_credentials').selectAll().where('access_key_id', '=', accessKeyId).executeTakeFirst();
    return row ? { workspaceId: row.workspace_id, secretAccessKey: row.secret_access_key } : undefined;
  }

  async saveInvocation(workspaceId: string, functionName: string, requestId: string, record: unknown, now: Date): Promise<void> {
    const key = `${workspaceId}/${functionName}`;
    const saves = (this.savesSinceTrim.get(key) ?? 0) + 1;
    this.savesSinceTrim.set(key, saves % TRIM_EVERY_SAVES);
    await this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('lambda_invocations')
        .values({ workspace_id: workspaceId, function_name: functionName, request_id: requestId, record: JSON.stringify(record), created_at: now.toISOString() })
        .onConflict((oc) => oc.columns(['workspace_id', 'function_name', 'request_id']).doUpdateSet({ record: JSON.stringify(record) }))
        .execute();
      if (saves < TRIM_EVERY_SAVES) return;
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
          .where('request_id', 'in', stale.map((row) => row.request_id))
          .execute();
      }
    });
  }

  async recentInvocations<T>(workspaceId: string, functionName: string): Promise<T[]> {
    const rows = await this.db
      .selectFrom('lambda_invocations')
      .select('record')
      .where('workspace_id', '=', workspaceId)
      .where('function_name', '=', functionName)
      .orderBy('created_at', 'desc')
      .limit(RECENT_INVOCATIONS_KEPT)
      .execute();
    return rows.map((row) => JSON.parse(row.record) as T);
  }
}

const KEY_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function randomKeyCharacters(count: number): string {
  return [...randomBytes(count)].map((byte) => KEY_ALPHABET[byte % KEY_ALPHABET.length]).join('');
}
