import { repoRoot, loadManifests, type KubeObject, type Manifest } from '@runtrail/testing';
import { Deployment, StatefulSet } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { ConfigMap, Namespace, Secret, Service } from 'kubernetes-models/v1';
import { unknownFieldProblems } from './known-fields';

/**
 * The models of the kinds deploy/kubernetes uses. Each validates with the JSON schema
 * kubernetes-models generates from the Kubernetes OpenAPI document (ADR 0019). A new kind
 * fails the first test until its model is added here.
 */
const MODELS = [Namespace, ConfigMap, Secret, Service, StatefulSet, Deployment, HorizontalPodAutoscaler, PodDisruptionBudget];

/** The schema's verdict on one object: undefined when valid, else the validator's message. */
function schemaProblem(object: KubeObject): string | undefined {
  const Model = MODELS.find((m) => m.apiVersion === object.apiVersion && m.kind === object.kind);
  if (!Model) return `no schema for ${object.apiVersion} ${object.kind}: add its kubernetes-models class to MODELS`;
  try {
    // The models' constructors take their own kind's shape; the object is checked, not trusted.
    new Model(object as never).validate();
    return undefined;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

const manifests = loadManifests();

/** A deep copy of the object of `kind` named `name`, to break. */
function copyOf(kind: string, name: string): KubeObject {
  const found = manifests.find((m) => m.object.kind === kind && m.object.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${name}`);
  return structuredClone(found.object);
}

// Typed views into a copied Deployment or HPA, for the mutations below.
type Container = Record<string, unknown> & { readinessProbe: { httpGet: Record<string, unknown> }; resources: { requests: Record<string, unknown> } };
const containerOf = (d: KubeObject) => (d.spec as { template: { spec: { containers: Container[] } } }).template.spec.containers[0];

describe('deploy/kubernetes against the Kubernetes schemas', () => {
  it('reads every manifest, at least the namespace, NATS, Postgres and the three services', () => {
    const kinds = manifests.map((m) => `${m.object.kind}/${m.object.metadata.name}`);
    expect(kinds).toEqual(
      expect.arrayContaining(['Namespace/runtrail', 'StatefulSet/nats', 'StatefulSet/postgres', 'Deployment/ingest', 'Deployment/projector', 'Deployment/query']),
    );
  });

  it.each(manifests.map((m): [string, Manifest] => [`${m.source} ${m.object.kind}/${m.object.metadata.name}`, m]))(
    '%s is valid',
    (_label, { object }) => {
      expect(schemaProblem(object)).toBeUndefined();
    },
  );

  it('has no field the API does not know and no value of the wrong type', () => {
    expect(unknownFieldProblems(manifests, repoRoot())).toEqual([]);
  });

  describe('rejects a broken copy, so the checks above can fail', () => {
    it('a probe port that is neither a number nor a name', () => {
      const d = copyOf('Deployment', 'ingest');
      containerOf(d).readinessProbe.httpGet.port = { number: 8080 };
      expect(schemaProblem(d)).toMatch(/readinessProbe\/httpGet\/port/);
    });

    it('a memory request that is not a quantity', () => {
      const d = copyOf('Deployment', 'query');
      containerOf(d).resources.requests.memory = '320 MiB';
      expect(schemaProblem(d)).toMatch(/resources\/requests\/memory must match format "quantity"/);
    });

    it('a container without its required name', () => {
      const d = copyOf('Deployment', 'projector');
      delete containerOf(d).name;
      expect(schemaProblem(d)).toMatch(/containers\/0 must have required property name/);
    });

    it('a replica count written as a string', () => {
      const s = copyOf('StatefulSet', 'nats');
      (s.spec as Record<string, unknown>).replicas = '3';
      expect(schemaProblem(s)).toMatch(/spec\/replicas must be integer/);
    });

    it('an autoscaling target written as a percentage string', () => {
      const h = copyOf('HorizontalPodAutoscaler', 'ingest');
      const metrics = (h.spec as { metrics: { resource: { target: Record<string, unknown> } }[] }).metrics;
      metrics[0].resource.target.averageUtilization = '70%';
      expect(schemaProblem(h)).toMatch(/averageUtilization must be integer/);
    });

    it('a kind it has no schema for', () => {
      expect(schemaProblem({ apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'x' } })).toMatch(/no schema for/);
    });

    it('a misspelt field, which the schemas alone let through', () => {
      const d = copyOf('Deployment', 'ingest');
      const container = containerOf(d);
      container.livenesProbe = container.livenessProbe;
      delete container.livenessProbe;
      expect(schemaProblem(d)).toBeUndefined();
      const problems = unknownFieldProblems([{ source: 'broken#0', object: d }], repoRoot());
      expect(problems).toEqual([expect.stringMatching(/^broken#0, line \d+ of its JSON: .*'"livenesProbe"' does not exist in type 'IContainer'/)]);
    });

    it('a field of the wrong type also through the typed check', () => {
      const s = copyOf('Service', 'ingest');
      (s.spec as { ports: Record<string, unknown>[] }).ports[0].port = 'eighty';
      expect(unknownFieldProblems([{ source: 'broken#0', object: s }], repoRoot())).toEqual([expect.stringMatching(/Type 'string' is not assignable to type 'number'/)]);
    });
  });
});
