import { parseCityImportArgs } from './city-import';

describe('parseCityImportArgs', () => {
  it.each<[string[], ReturnType<typeof parseCityImportArgs>]>([
    [['cities/qingshan'], { folder: 'cities/qingshan', dryRun: false }],
    [['--dry-run', 'cities/qingshan'], { folder: 'cities/qingshan', dryRun: true }],
    [
      ['cities/qingshan', '--actor', 'zhang.wei', '--reason', '青山县上线'],
      { folder: 'cities/qingshan', dryRun: false, actor: 'zhang.wei', reason: '青山县上线' },
    ],
    [[], 'the folder of the city files is required'],
    [['a', 'b'], 'one folder only (got a and b)'],
    [['a', '--actor'], '--actor needs a value'],
    [['a', '--reason', '--dry-run'], '--reason needs a value'],
    [['a', '--force'], 'unknown option --force'],
  ])('should read %j', (args, expected) => {
    expect(parseCityImportArgs(args)).toEqual(expected);
  });
});
