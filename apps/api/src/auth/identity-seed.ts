import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import { DEMO_CITY } from '../../../../libs/domain/src/org/demo-city';
import { UserEntity } from '../../../../libs/persistence/src';
import { AuthSettings } from './auth.settings';
import { DEMO_PASSWORD, DEMO_USERS, DemoUser } from './demo-users';
import { membershipProblem } from './membership';
import { hashPassword } from './password';

/**
 * Seeds accounts when the API starts (before it serves): the demo city's users when `seedDemoUsers` is on, and an
 * `admin` when `adminPassword` is set. Idempotent and safe when several processes start at once: only missing
 * usernames are inserted (`ON CONFLICT DO NOTHING`), and an existing account is never changed.
 *
 * Seeding here rather than in a migration keeps the switch in configuration (a migration cannot tell a demo from
 * production) and keeps password hashing in one place.
 */
@Injectable()
export class IdentitySeed implements OnModuleInit {
  private readonly logger = new Logger(IdentitySeed.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly settings: AuthSettings,
  ) {}

  async onModuleInit(): Promise<void> {
    // The configured admin goes first, so that its password wins over the demo one for the `admin` username.
    if (this.settings.adminPassword) {
      const admin = DEMO_USERS.find((user) => user.username === 'admin') as DemoUser;
      await this.ensure([{ ...admin, displayName: '系统管理员' }], this.settings.adminPassword);
    }
    if (this.settings.seedDemoUsers) await this.ensure(DEMO_USERS, DEMO_PASSWORD);
  }

  /** Inserts the accounts that do not exist yet; returns the usernames it inserted. */
  async ensure(users: readonly DemoUser[], password: string): Promise<string[]> {
    for (const user of users) {
      const problem = membershipProblem(DEMO_CITY, user.role, user.unitId);
      if (problem) throw new Error(`cannot seed user ${user.username}: ${problem}`);
    }
    const repository = this.dataSource.getRepository(UserEntity);
    const existing = new Set(
      (
        await repository.find({ select: { username: true }, where: { username: In(users.map((u) => u.username)) } })
      ).map((user) => user.username),
    );
    const missing = users.filter((user) => !existing.has(user.username));
    if (missing.length === 0) return [];
    const rows = await Promise.all(
      missing.map(async (user) => ({
        username: user.username,
        displayName: user.displayName,
        role: user.role,
        unitId: user.unitId,
        passwordHash: await hashPassword(password),
        active: true,
      })),
    );
    const result = await this.dataSource
      .createQueryBuilder()
      .insert()
      .into(UserEntity)
      .values(rows)
      .orIgnore()
      .returning(['username'])
      .execute();
    const inserted = (result.raw as { username: string }[]).map((row) => row.username);
    if (inserted.length > 0) this.logger.log(`seeded ${inserted.length} user(s): ${inserted.join(', ')}`);
    return inserted;
  }
}
