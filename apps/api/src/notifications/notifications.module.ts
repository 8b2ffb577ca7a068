import { DynamicModule, Module } from '@nestjs/common';
import { loadConfig } from '../../../../libs/platform/src/config/app-config';
import { InboxEvents } from './inbox-events';
import { InboxEventsController } from './inbox-events.controller';
import { LoggingSender, NotificationSender } from './notification-sender';
import { NotificationOptions, NotificationSettings, resolveNotificationSettings } from './notification.settings';
import { OutboxDispatcher } from './outbox-dispatcher';
import { PgListener } from './pg-listener';

/**
 * Notifications: the outbox dispatcher (at-least-once delivery through a {@link NotificationSender}, by default
 * {@link LoggingSender}), the LISTEN connection that carries outbox and inbox signals between instances, and the
 * per-user inbox-events stream. Settings not given come from the environment (`NOTIFICATIONS_POLL_INTERVAL_MS`).
 */
@Module({})
export class NotificationsModule {
  static forRoot(databaseUrl: string, options: NotificationOptions = {}): DynamicModule {
    const { sender, ...overrides } = options;
    const settings = resolveNotificationSettings(databaseUrl, overrides, () => loadConfig());
    return {
      module: NotificationsModule,
      controllers: [InboxEventsController],
      providers: [
        { provide: NotificationSettings, useValue: settings },
        sender
          ? { provide: NotificationSender, useValue: sender }
          : { provide: NotificationSender, useClass: LoggingSender },
        PgListener,
        InboxEvents,
        OutboxDispatcher,
      ],
      exports: [OutboxDispatcher, InboxEvents],
    };
  }
}
