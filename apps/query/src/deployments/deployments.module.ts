import { Module } from '@nestjs/common';
import { PagingModule } from '../shared/paging/paging.module';
import { DeploymentRepository } from './deployment.repository';
import { DeploymentsController } from './deployments.controller';

/** Deployments: what version of which block is deployed in which workspace, from the runs. */
@Module({ imports: [PagingModule], controllers: [DeploymentsController], providers: [DeploymentRepository] })
export class DeploymentsModule {}
