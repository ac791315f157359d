import { Module } from '@nestjs/common';
import { TimelineModule } from '../shared/timeline/timeline.module';
import { CreateViewerToken } from './usecases/create-viewer-token/create-viewer-token.usecase';
import { ViewerTokensController } from './viewer-tokens.controller';

/** Viewer tokens: read-only, short-lived access to one tenant's timeline for the console's embed (ADR 0012). */
@Module({ imports: [TimelineModule], controllers: [ViewerTokensController], providers: [CreateViewerToken] })
export class ViewerTokensModule {}
