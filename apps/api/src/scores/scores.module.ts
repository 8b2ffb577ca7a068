import { Module } from '@nestjs/common';
import { ScoresController } from './scores.controller';
import { ScoresScheduler } from './scores.schedule';
import { ScoresService } from './scores.service';

/**
 * The monthly scores (三率): on-demand runs, the published figures and their explanations, and the Temporal
 * Schedule `shaosheng-monthly-scores` that computes each month at 02:00 Asia/Shanghai on the 1st of the next.
 */
@Module({
  controllers: [ScoresController],
  providers: [ScoresService, ScoresScheduler],
})
export class ScoresModule {}
