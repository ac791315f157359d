import { Module } from '@nestjs/common';
import { GetWhoami } from './usecases/get-whoami/get-whoami.usecase';
import { WhoamiController } from './whoami.controller';

/** The caller's own identity, for the console's sign-in. */
@Module({ controllers: [WhoamiController], providers: [GetWhoami] })
export class WhoamiModule {}
