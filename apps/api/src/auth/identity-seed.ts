import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import { childrenOf } from '../../../../libs/domain/src/org/org-tree';
import type { OrgTree } from '../../../../libs/domain/src/org/org.types';
import { UserEntity } from '../../../../libs/persistence/src';
import { OrgTreeSource } from '../../../../libs/persistence/src/org/org-tree-source';
import { AuthSettings } from './auth.settings';
import { DEMO_PASSWORD, DEMO_USERS, DemoUser } from './demo-users';
import { membershipProblem } from './membership';
import { hashPassword } from './password';

/**
 * Seeds accounts when the API starts (before it serves), for the org tree stored then: the demo city's users when
 * `seedDemoUsers` is on and the stored tree is the demo city's (it has every unit they belong to), and an `admin` at
 * the city's service centre (else its root) when `adminPassword` is set and a city is stored. Idempotent and safe
 * when several processes start at once: only missing usernames are inserted (`ON CONFLICT DO NOTHING`), and an
 * existing account is never changed.
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
    private readonly trees: OrgTreeSource,
  ) {}

  async onModuleInit(): Promise<void> {
    if (!this.settings.adminPassword && !this.settings.seedDemoUsers) return;
    const tree = await this.trees.currentIfStored();
    if (!tree) {
      this.logger.warn('no org tree is stored: no account is seeded (import a city, then restart the API)');
      return;
    }
    // The configured admin goes first, so that its password wins over the demo one for the `admin` username.
    if (this.settings.adminPassword) {
      const admin = DEMO_USERS.find((user) => user.username === 'admin') as DemoUser;
      const unitId = adminUnitOf(tree);
      await this.ensure([{ ...admin, displayName: '系统管理员', unitId }], this.settings.adminPassword, tree);
    }
    if (this.settings.seedDemoUsers) {
      const missing = DEMO_USERS.find((user) => membershipProblem(tree, user.role, user.unitId));
      if (missing) {
        this.logger.log(`demo users not seeded: the stored org tree (${tree.rootId}) is not the demo city's`);
      } else {
        await this.ensure(DEMO_USERS, DEMO_PASSWORD, tree);
      }
    }
  }

  /**
   * Inserts the accounts that do not exist yet; returns the usernames it inserted.
   * @throws Error when an account's unit is not in `tree` (default: the stored tree) or does not suit its role.
   */
  async ensure(users: readonly DemoUser[], password: string, tree?: OrgTree): Promise<string[]> {
    const units = tree ?? (await this.trees.current());
    for (const user of users) {
      const problem = membershipProblem(units, user.role, user.unitId);
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

/** Where the configured admin belongs: the city's own service centre (the 12345 centre), else the city itself. */
function adminUnitOf(tree: OrgTree): string {
  return childrenOf(tree, tree.rootId).find((unit) => unit.kind === 'service-centre')?.id ?? tree.rootId;
}
