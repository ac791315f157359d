import type { MigrationInterface, QueryRunner } from 'typeorm';

/** A dead letter remembers the sequence of its copy published again once its cause was fixed. */
export class DeadLetterReplays1764500000000 implements MigrationInterface {
  name = 'DeadLetterReplays1764500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "dead_letters" ADD "replayed_as" bigint`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "dead_letters" DROP COLUMN "replayed_as"`);
  }
}
