import { deploymentConfig } from '@runtrail/testing';
import { QueryConfig } from '../src/shared/config/query.config';

// deploy/kubernetes/runtrail.yaml: the query Deployment against what the service reads. The
// rest of the manifests is checked by `nx test deploy`, which cannot import an app.
describe('the query Deployment in deploy/kubernetes', () => {
  it('sets only variables QueryConfig reads, with values it accepts, and serves on the port the container declares', () => {
    const { unknown, config, ports } = deploymentConfig('query', QueryConfig);
    expect(unknown).toEqual([]);
    expect(ports).toEqual([config.QUERY_PORT]);
  });
});
