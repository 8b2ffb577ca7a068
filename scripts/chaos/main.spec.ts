import { chaosOptions } from './main';

describe('chaosOptions', () => {
  it('should default to a five-minute run at one submission a second with a kill every ~20 s', () => {
    expect(chaosOptions([], { CHAOS_SEED: '7' })).toMatchObject({
      durationSeconds: 300,
      rate: 1,
      killIntervalSeconds: 20,
      maxDownSeconds: 5,
      seed: 7,
      keep: false,
    });
  });

  it('should take a flag over its environment variable', () => {
    const options = chaosOptions(['--duration', '60', '--rate', '0.5', '--keep'], {
      CHAOS_DURATION: '120',
      CHAOS_KILL_INTERVAL: '8',
    });
    expect(options).toMatchObject({ durationSeconds: 60, rate: 0.5, killIntervalSeconds: 8, keep: true });
  });

  it('should refuse a value that is not a number, naming the flag and the variable', () => {
    expect(() => chaosOptions(['--rate', 'fast'], {})).toThrow(/--rate \(CHAOS_RATE\) must be a number/);
    expect(() => chaosOptions(['--rate', '0'], {})).toThrow(/--rate \(CHAOS_RATE\) must be above 0/);
  });
});
