import { Module } from '@nestjs/common';
import { CaseModule } from '../cases/case.module';
import { TasksController } from './tasks.controller';
import { TasksService } from './tasks.service';

/** The task inbox: listing, claiming, and acting on a case through its task (via the case actions). */
@Module({
  imports: [CaseModule],
  controllers: [TasksController],
  providers: [TasksService],
})
export class TasksModule {}
