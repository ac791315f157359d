import { Module } from '@nestjs/common';
import { KeyStore } from '@runtrail/auth';
import { CursorCodec } from './cursor-codec';
import { loadCursorSecret } from './cursor-secret';
import { KeysetPages } from './keyset-pages';

/** Keyset pages and exports over any list, with cursors signed by the installation's secret. */
@Module({
  providers: [
    { provide: CursorCodec, inject: [KeyStore], useFactory: async (store: KeyStore) => new CursorCodec(await loadCursorSecret(store)) },
    KeysetPages,
  ],
  exports: [KeysetPages],
})
export class PagingModule {}
