import { ConfigError, loadConfig } from '../../../../libs/platform/src/config/app-config';
import { NOTIFICATION_DEFAULTS, resolveNotificationSettings, retryDelayMs } from './notification.settings';

describe('retryDelayMs', () => {
  it.each<[number, number]>([
    [1, 10_000],
    [2, 20_000],
    [3, 40_000],
    [9, 2_560_000],
    [10, 3_600_000],
    [500, 3_600_000],
  ])('should wait, after failure %i, %i ms (doubling from 10 s, capped at 1 h)', (attempts, expected) => {
    expect(retryDelayMs(attempts, 10_000, 3_600_000)).toBe(expected);
  });
});

describe('resolveNotificationSettings', () => {
  const url = 'postgres://u@db/shaosheng';

  it('should poll every 2 s by default and take NOTIFICATIONS_POLL_INTERVAL_MS when set (0: never on its own)', () => {
    expect(resolveNotificationSettings(url, {}, () => loadConfig({}))).toEqual({
      ...NOTIFICATION_DEFAULTS,
      pollIntervalMs: 2000,
      databaseUrl: url,
    });
    const fromEnv = (value: string) =>
      resolveNotificationSettings(url, {}, () => loadConfig({ NOTIFICATIONS_POLL_INTERVAL_MS: value })).pollIntervalMs;
    expect(fromEnv('500')).toBe(500);
    expect(fromEnv('0')).toBe(0);
  });

  it.each(['-1', 'soon', '3600001'])('should refuse NOTIFICATIONS_POLL_INTERVAL_MS=%s naming it', (value) => {
    expect(() => loadConfig({ NOTIFICATIONS_POLL_INTERVAL_MS: value })).toThrow(ConfigError);
    expect(() => loadConfig({ NOTIFICATIONS_POLL_INTERVAL_MS: value })).toThrow(/NOTIFICATIONS_POLL_INTERVAL_MS=/);
  });

  it('should let explicit settings win and not read the environment for an overridden interval', () => {
    const config = jest.fn(() => loadConfig({}));
    const settings = resolveNotificationSettings(
      url,
      { pollIntervalMs: 0, heartbeatMs: 50, batchSize: undefined },
      config,
    );
    expect(settings).toMatchObject({ pollIntervalMs: 0, heartbeatMs: 50, batchSize: NOTIFICATION_DEFAULTS.batchSize });
    expect(config).not.toHaveBeenCalled();
  });
});
