import { Global, Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { OrgTreeSource, postgresOrgTreeSource } from '../../../../libs/persistence/src/org/org-tree-source';
import { OrgMapController } from './org-map.controller';

/**
 * The org tree as stored in PostgreSQL, for every module that decides by it (intake, case actions, logins and
 * memberships, rules): {@link OrgTreeSource}, cached for a few seconds so that a city imported by another process
 * is seen soon. Global because identity (itself global) needs it as much as the bounded contexts do. Also the
 * city's areas for the console's map (`GET /api/v1/org/map`).
 */
@Global()
@Module({
  controllers: [OrgMapController],
  providers: [
    {
      provide: OrgTreeSource,
      useFactory: (dataSource: DataSource) => postgresOrgTreeSource(dataSource),
      inject: [DataSource],
    },
  ],
  exports: [OrgTreeSource],
})
export class OrgTreeModule {}
