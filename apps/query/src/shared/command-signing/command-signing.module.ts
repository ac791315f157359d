import { Module } from '@nestjs/common';
import { KeyStore } from '@runtrail/auth';
import { COMMAND_SIGNING_KEYS, loadCommandSigningKeys } from './signing-keys';

/** The installation's key pair for commands: commands are signed with it, runners learn its public half. */
@Module({
  providers: [{ provide: COMMAND_SIGNING_KEYS, inject: [KeyStore], useFactory: (store: KeyStore) => loadCommandSigningKeys(store) }],
  exports: [COMMAND_SIGNING_KEYS],
})
export class CommandSigningModule {}
