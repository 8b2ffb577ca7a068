import { DataSource } from 'typeorm';
import { OrgError, OrgTree } from '../../../domain/src/org/org.types';
import { loadOrgTree } from './org.store';

/** How long a process keeps a loaded org tree before it reads the table again, in milliseconds. */
export const ORG_TREE_RELOAD_MS = 5_000;

/**
 * The org tree as stored now, for code that decides on every request or activity (intake, actions, logins, scores).
 * An abstract class rather than an interface so that Nest can inject it by type (`provide: OrgTreeSource`).
 */
export abstract class OrgTreeSource {
  /**
   * The stored tree, at most {@link ORG_TREE_RELOAD_MS} (or the source's own interval) old.
   * @throws OrgError `invalid-tree` when the stored rows do not form a tree (e.g. no city is imported yet).
   */
  abstract current(): Promise<OrgTree>;

  /** Forgets the cached tree: the next {@link current} reads the table (call it after this process changes it). */
  abstract invalidate(): void;

  /**
   * The stored tree, or undefined while none is (no city imported yet: the table does not form a tree). For code
   * that must work before a city is imported: logins, seeding accounts.
   */
  async currentIfStored(): Promise<OrgTree | undefined> {
    try {
      return await this.current();
    } catch (error) {
      if (error instanceof OrgError && error.code === 'invalid-tree') return undefined;
      throw error;
    }
  }
}

/** Options of {@link CachedOrgTreeSource}. */
export interface CachedOrgTreeSourceOptions {
  /** How long a loaded tree is served before a call reloads it, in milliseconds. Default {@link ORG_TREE_RELOAD_MS}. */
  reloadMs?: number;
  /** The clock, in epoch milliseconds (tests). Default `Date.now`. */
  now?: () => number;
}

/**
 * An {@link OrgTreeSource} over any loader: a loaded tree is served from memory until it is `reloadMs` old, so a
 * change made by another process (a city import) is seen within that interval, and a hot path costs one comparison.
 * Concurrent callers share one load in flight; a load that fails is not kept (the next call tries again), and a
 * load started before {@link invalidate} does not overwrite what a later load put in the cache.
 */
export class CachedOrgTreeSource extends OrgTreeSource {
  private cached?: { tree: Promise<OrgTree>; loadedAt: number };
  private generation = 0;
  private readonly reloadMs: number;
  private readonly now: () => number;

  constructor(
    private readonly load: () => Promise<OrgTree>,
    options: CachedOrgTreeSourceOptions = {},
  ) {
    super();
    this.reloadMs = options.reloadMs ?? ORG_TREE_RELOAD_MS;
    this.now = options.now ?? Date.now;
  }

  current(): Promise<OrgTree> {
    const now = this.now();
    if (this.cached && now - this.cached.loadedAt < this.reloadMs) return this.cached.tree;
    const generation = ++this.generation;
    const tree = this.load();
    this.cached = { tree, loadedAt: now };
    tree.catch(() => {
      // Only the load that is still the cached one is dropped: a newer one may already be there.
      if (this.generation === generation) this.cached = undefined;
    });
    return tree;
  }

  invalidate(): void {
    this.generation += 1;
    this.cached = undefined;
  }
}

/** The org tree of a PostgreSQL database (`loadOrgTree`), cached as {@link CachedOrgTreeSource} does. */
export function postgresOrgTreeSource(dataSource: DataSource, options?: CachedOrgTreeSourceOptions): OrgTreeSource {
  return new CachedOrgTreeSource(() => loadOrgTree(dataSource.manager), options);
}
