import { deploymentConfig } from '@runtrail/testing';
import { ProjectorConfig } from '../src/config/projector.config';

// deploy/kubernetes/runtrail.yaml: the projector Deployment against what the service reads. The
// rest of the manifests is checked by `nx test deploy`, which cannot import an app.
describe('the projector Deployment in deploy/kubernetes', () => {
  it('sets only variables ProjectorConfig reads, with values it accepts, and serves on the port the container declares', () => {
    const { unknown, config, ports } = deploymentConfig('projector', ProjectorConfig);
    expect(unknown).toEqual([]);
    expect(ports).toEqual([config.PROJECTOR_PORT]);
  });
});
