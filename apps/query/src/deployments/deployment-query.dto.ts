import { IntersectionType } from '@nestjs/swagger';
import { RunSelectionDto, RunStatusList } from '../action-runs/action-run-query.dto';
import { PageParamsDto } from '../shared/paging/paging-params.dto';

/** `GET /v1/deployments`: the run selection, statuses (default successful) and paging. */
export class DeploymentQueryDto extends IntersectionType(RunSelectionDto, PageParamsDto) {
  @RunStatusList({ description: 'Comma-separated statuses', default: 'successful' })
  status?: string;
}
