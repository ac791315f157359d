import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Why the service failed a command (its runner went silent past the lease). */
export class CommandErrors1764600000000 implements MigrationInterface {
  name = 'CommandErrors1764600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "commands" ADD "error" text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "commands" DROP COLUMN "error"`);
  }
}
