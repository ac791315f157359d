import { deploymentConfig } from '@runtrail/testing';
import { IngestConfig } from '../src/config/ingest.config';

// deploy/kubernetes/runtrail.yaml: the ingest Deployment against what the service reads. The
// rest of the manifests is checked by `nx test deploy`, which cannot import an app.
describe('the ingest Deployment in deploy/kubernetes', () => {
  it('sets only variables IngestConfig reads, with values it accepts, and serves on the port the container declares', () => {
    const { unknown, config, ports } = deploymentConfig('ingest', IngestConfig);
    expect(unknown).toEqual([]);
    expect(ports).toEqual([config.INGEST_PORT]);
  });
});
