import { buildOrgTree } from '../../../domain/src/org/org-tree';
import type { OrgTree } from '../../../domain/src/org/org.types';
import { CachedOrgTreeSource } from './org-tree-source';

/** A one-city tree named `name`, so that each load can be told apart. */
const treeNamed = (name: string): OrgTree => buildOrgTree([{ id: 'city-x', kind: 'city', name, parentId: null }]);

/** A loader that answers a new tree per call (`v1`, `v2`, …) and counts its calls. */
function countingLoader() {
  const loader = { calls: 0, load: () => Promise.resolve(treeNamed(`v${++loader.calls}`)) };
  return loader;
}

const nameOf = (tree: OrgTree) => tree.units[0].name;

describe('CachedOrgTreeSource', () => {
  it('should serve the loaded tree from memory until the reload interval has passed, then read it again', async () => {
    const loader = countingLoader();
    let clock = 1_000;
    const source = new CachedOrgTreeSource(loader.load, { reloadMs: 5_000, now: () => clock });

    expect(nameOf(await source.current())).toBe('v1');
    clock += 4_999;
    expect(nameOf(await source.current())).toBe('v1');
    expect(loader.calls).toBe(1);
    clock += 1;
    expect(nameOf(await source.current())).toBe('v2');
    expect(loader.calls).toBe(2);
  });

  it('should read the table again on the next call after invalidate', async () => {
    const loader = countingLoader();
    const source = new CachedOrgTreeSource(loader.load, { now: () => 0 });

    expect(nameOf(await source.current())).toBe('v1');
    source.invalidate();
    expect(nameOf(await source.current())).toBe('v2');
    expect(nameOf(await source.current())).toBe('v2');
    expect(loader.calls).toBe(2);
  });

  it('should share one load among concurrent callers', async () => {
    const loader = countingLoader();
    const source = new CachedOrgTreeSource(loader.load, { now: () => 0 });

    const trees = await Promise.all([source.current(), source.current(), source.current()]);

    expect(loader.calls).toBe(1);
    expect(new Set(trees).size).toBe(1);
  });

  it('should not keep a failed load, so the next call tries again', async () => {
    let calls = 0;
    const source = new CachedOrgTreeSource(
      () => (++calls === 1 ? Promise.reject(new Error('database down')) : Promise.resolve(treeNamed('after'))),
      { now: () => 0 },
    );

    await expect(source.current()).rejects.toThrow('database down');
    expect(nameOf(await source.current())).toBe('after');
    expect(calls).toBe(2);
  });

  it('should not let a load that fails after invalidate drop the newer cached tree', async () => {
    let rejectFirst: (error: Error) => void = () => undefined;
    let calls = 0;
    const source = new CachedOrgTreeSource(
      () =>
        ++calls === 1
          ? new Promise<OrgTree>((_resolve, reject) => (rejectFirst = reject))
          : Promise.resolve(treeNamed(`v${calls}`)),
      { now: () => 0 },
    );

    const first = source.current();
    source.invalidate();
    expect(nameOf(await source.current())).toBe('v2');
    rejectFirst(new Error('slow failure'));
    await expect(first).rejects.toThrow('slow failure');
    expect(nameOf(await source.current())).toBe('v2');
    expect(calls).toBe(2);
  });
});

describe('OrgTreeSource.currentIfStored', () => {
  it('should answer undefined while the stored rows form no tree, and the tree once they do', async () => {
    let units: Parameters<typeof buildOrgTree>[0] = [];
    const source = new CachedOrgTreeSource(() => Promise.resolve().then(() => buildOrgTree(units)), { now: () => 0 });

    await expect(source.current()).rejects.toMatchObject({ code: 'invalid-tree' });
    expect(await source.currentIfStored()).toBeUndefined();
    units = [{ id: 'county-y', kind: 'city', name: '某县', parentId: null }];
    expect((await source.currentIfStored())?.rootId).toBe('county-y');
  });

  it('should pass on any other failure', async () => {
    const source = new CachedOrgTreeSource(() => Promise.reject(new Error('connection refused')));

    await expect(source.currentIfStored()).rejects.toThrow('connection refused');
  });
});
