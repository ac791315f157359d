import { EVENT_PARTITIONS } from '@runtrail/contracts';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { HEAP_LIMIT_MB, HEAP_LIMIT_OPTION } from '@runtrail/launcher';
import { LIVENESS_PATH, READINESS_PATH } from '@runtrail/platform';
import { findObject, loadManifests, repoRoot, type KubeObject } from '@runtrail/testing';
import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import type { IHorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import type { IPodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IPodSpec } from 'kubernetes-models/v1/PodSpec';
import type { IProbe } from 'kubernetes-models/v1/Probe';
import type { IService } from 'kubernetes-models/v1/Service';

/*
 * What the schemas cannot know: that the objects fit together and fit the services. Each
 * service's own spec (apps/<name>/test/kubernetes-deployment.spec.ts) checks that its
 * Deployment sets only variables its config class reads, since no other project may import
 * an app.
 */

const manifests = loadManifests();
const objects = manifests.map((m) => m.object);
const ofKind = <T>(kind: string): (T & KubeObject)[] => objects.filter((o) => o.kind === kind) as (T & KubeObject)[];

/** Deployments and StatefulSets share the parts read here (selector, replicas, pod template). */
type Workload = IDeployment & KubeObject;
const deployments = ofKind<Workload>('Deployment');
const workloads = [...deployments, ...ofKind<Workload>('StatefulSet')];
const services = ofKind<IService>('Service');
const autoscalers = ofKind<IHorizontalPodAutoscaler>('HorizontalPodAutoscaler');
const budgets = ofKind<IPodDisruptionBudget>('PodDisruptionBudget');

const label = (o: KubeObject) => `${o.kind}/${o.metadata.name}`;
function podSpec(w: Workload): IPodSpec {
  const spec = w.spec?.template.spec;
  if (!spec) throw new Error(`${label(w)} has no pod spec`);
  return spec;
}
const podLabels = (w: Workload): Record<string, string> => w.spec?.template.metadata?.labels ?? {};
const containers = (w: Workload): IContainer[] => podSpec(w).containers;

/** The workloads whose pods carry every label of `selector`. */
const selected = (selector: Record<string, string>) =>
  workloads.filter((w) => Object.entries(selector).every(([k, v]) => podLabels(w)[k] === v));

/** The least number of pods a workload runs: its autoscaler's minimum, or its replicas (default 1). */
function minimumPods(w: Workload): number {
  const hpa = autoscalers.find((h) => h.spec?.scaleTargetRef.kind === w.kind && h.spec.scaleTargetRef.name === w.metadata.name);
  return hpa?.spec?.minReplicas ?? w.spec?.replicas ?? 1;
}

/** The seconds a preStop `sleep N` pauses, 0 without one. */
function preStopSeconds(c: IContainer): number {
  const command = c.lifecycle?.preStop?.exec?.command ?? [];
  return command[0] === 'sleep' ? Number(command[1]) : 0;
}

/**
 * A service exits within this long of SIGTERM, drained (libs/platform drain-on-close; the
 * rolling-restart fault scenario holds the services to it: libs/testing/src/faults/rolling-restart.ts).
 */
const DRAIN_SECONDS = 15;

describe('deploy/kubernetes fits together and fits the services', () => {
  it('puts every object in the namespace that namespace.yaml declares', () => {
    const namespace = findObject(manifests, 'Namespace', 'runtrail');
    expect(objects.filter((o) => o !== namespace && o.metadata.namespace !== 'runtrail').map(label)).toEqual([]);
  });

  it('names each object once per kind', () => {
    const keys = objects.map(label);
    expect(keys.filter((k, i) => keys.indexOf(k) !== i)).toEqual([]);
  });

  describe.each(deployments.map((d): [string, Workload] => [d.metadata.name, d]))('Deployment %s', (name, d) => {
    const [container] = containers(d);

    it('runs its own service from the one image, in one container, with the heap limit npm start gives it', () => {
      expect(containers(d)).toHaveLength(1);
      expect(container.command).toEqual(['node', HEAP_LIMIT_OPTION, `dist/apps/${name}/src/main.js`]);
      expect(existsSync(join(repoRoot(), 'apps', name, 'project.json'))).toBe(true);
    });

    it('probes /healthz for start-up and liveness and /readyz for readiness, on a port it declares', () => {
      const probe = (p: IProbe | undefined) => [p?.httpGet?.path, p?.httpGet?.port];
      const port = container.ports?.find((p) => p.name === container.readinessProbe?.httpGet?.port)?.name;
      expect(port).toBeDefined();
      expect(probe(container.startupProbe)).toEqual([LIVENESS_PATH, port]);
      expect(probe(container.livenessProbe)).toEqual([LIVENESS_PATH, port]);
      expect(probe(container.readinessProbe)).toEqual([READINESS_PATH, port]);
    });

    it('requests and limits CPU and memory, the request within the limit', () => {
      const { requests = {}, limits = {} } = container.resources ?? {};
      for (const resource of ['cpu', 'memory']) {
        expect([resource, requests[resource], limits[resource]]).toEqual([resource, expect.anything(), expect.anything()]);
      }
      expect(bytes(requests.memory)).toBeLessThanOrEqual(bytes(limits.memory));
      // The heap is not all a Node process holds (code, buffers, the young generation): the
      // container keeps at least half as much again beside it, or Kubernetes kills the pod
      // before V8 collects.
      expect(bytes(limits.memory)).toBeGreaterThanOrEqual(1.5 * HEAP_LIMIT_MB * 2 ** 20);
    });

    it('gives the SIGTERM drain its time after the preStop pause', () => {
      expect(podSpec(d).terminationGracePeriodSeconds).toBeGreaterThan(preStopSeconds(container) + DRAIN_SECONDS);
    });
  });

  it('runs every Runtrail service from the same image tag', () => {
    const images = new Set(deployments.flatMap((d) => containers(d).map((c) => c.image)));
    expect([...images]).toEqual([expect.stringMatching(/^runtrail:\d+\.\d+\.\d+$/)]);
  });

  it('tags every image with a version, never latest', () => {
    for (const w of workloads) {
      for (const c of containers(w)) expect([label(w), c.image]).toEqual([label(w), expect.stringMatching(/^[a-z0-9./-]+:\d+(\.\d+)*(-[a-z]+)?$/)]);
    }
  });

  it('gives every workload liveness and readiness probes and resources', () => {
    for (const w of workloads) {
      for (const c of containers(w)) {
        expect([label(w), !!c.livenessProbe, !!c.readinessProbe, !!c.resources?.requests?.memory, !!c.resources?.limits?.memory]).toEqual([label(w), true, true, true, true]);
      }
    }
  });

  it('runs every pod as a non-root user without privileges or capabilities, on a read-only root', () => {
    for (const w of workloads) {
      expect([label(w), podSpec(w).securityContext?.runAsNonRoot, podSpec(w).automountServiceAccountToken]).toEqual([label(w), true, false]);
      for (const c of containers(w)) {
        const sc = c.securityContext;
        expect([label(w), sc?.allowPrivilegeEscalation, sc?.readOnlyRootFilesystem, sc?.capabilities?.drop]).toEqual([label(w), false, true, ['ALL']]);
      }
    }
  });

  it('probes NATS on its monitoring port, liveness with js-enabled-only', () => {
    const [nats] = containers(findObject(manifests, 'StatefulSet', 'nats') as Workload);
    const monitor = nats.ports?.find((p) => p.containerPort === 8222)?.name;
    for (const probe of [nats.startupProbe, nats.readinessProbe, nats.livenessProbe]) {
      expect(probe?.httpGet?.port).toBe(monitor);
      expect(probe?.httpGet?.path).toMatch(/^\/healthz(\?|$)/);
    }
    expect(nats.livenessProbe?.httpGet?.path).toBe('/healthz?js-enabled-only=true');
  });

  it('selects existing pods from every Service, on ports those pods declare', () => {
    for (const s of services) {
      const targets = selected(s.spec?.selector ?? {});
      expect([label(s), targets.length]).toEqual([label(s), 1]);
      const declared = containers(targets[0]).flatMap((c) => c.ports ?? []);
      for (const port of s.spec?.ports ?? []) {
        const target = port.targetPort ?? port.port;
        const match = declared.find((p) => p.name === target || p.containerPort === target);
        expect([label(s), target, match?.containerPort]).toEqual([label(s), target, port.port]);
      }
    }
  });

  it('autoscales ingest and query on CPU, never the projector', () => {
    expect(autoscalers.map((h) => [h.spec?.scaleTargetRef.kind, h.spec?.scaleTargetRef.name]).sort()).toEqual([
      ['Deployment', 'ingest'],
      ['Deployment', 'query'],
    ]);
    for (const h of autoscalers) {
      expect(h.spec?.metrics?.map((m) => m.resource?.name)).toEqual(['cpu']);
      expect(h.spec?.minReplicas).toBeGreaterThanOrEqual(2);
    }
    // The projector scales by the stream's partitions (ADR 0020): between two and one per partition.
    const projectors = (findObject(manifests, 'Deployment', 'projector') as Workload).spec?.replicas ?? 0;
    expect(projectors).toBeGreaterThanOrEqual(2);
    expect(projectors).toBeLessThanOrEqual(EVENT_PARTITIONS);
  });

  it('targets existing Deployments from every autoscaler, which leave the count to it and request CPU', () => {
    for (const h of autoscalers) {
      const ref = h.spec?.scaleTargetRef;
      const target = findObject(manifests, ref?.kind ?? '', ref?.name ?? '') as Workload;
      expect([label(h), target.apiVersion]).toEqual([label(h), ref?.apiVersion]);
      // A replicas field would reset the autoscaler's count on every apply.
      expect([label(target), target.spec?.replicas]).toEqual([label(target), undefined]);
      // CPU utilisation is measured against the request: without one the autoscaler stays blind.
      expect([label(target), containers(target).every((c) => c.resources?.requests?.cpu !== undefined)]).toEqual([label(target), true]);
    }
  });

  it('covers existing pods with every disruption budget, and none blocks a drain', () => {
    expect(budgets.map((b) => b.metadata.name).sort()).toEqual(['ingest', 'nats', 'projector', 'query']);
    for (const b of budgets) {
      const targets = selected(b.spec?.selector?.matchLabels ?? {});
      expect([label(b), targets.length]).toEqual([label(b), 1]);
      const pods = minimumPods(targets[0]);
      const allowed = b.spec?.maxUnavailable ?? pods - Number(b.spec?.minAvailable ?? 0);
      expect([label(b), Number(allowed) >= 1, Number(allowed) < pods]).toEqual([label(b), true, true]);
    }
  });

  it('refers only to ConfigMaps and Secrets it defines, unless the reference is optional', () => {
    const missing: string[] = [];
    const need = (kind: string, name: string | undefined, optional: boolean | undefined, from: string) => {
      if (!optional && !objects.some((o) => o.kind === kind && o.metadata.name === name)) missing.push(`${from} -> ${kind}/${name}`);
    };
    for (const w of workloads) {
      for (const c of containers(w)) {
        for (const e of c.envFrom ?? []) {
          if (e.configMapRef) need('ConfigMap', e.configMapRef.name, e.configMapRef.optional, label(w));
          if (e.secretRef) need('Secret', e.secretRef.name, e.secretRef.optional, label(w));
        }
        for (const e of c.env ?? []) {
          const ref = e.valueFrom;
          if (ref?.configMapKeyRef) need('ConfigMap', ref.configMapKeyRef.name, ref.configMapKeyRef.optional, label(w));
          if (ref?.secretKeyRef) need('Secret', ref.secretKeyRef.name, ref.secretKeyRef.optional, label(w));
        }
      }
      for (const v of podSpec(w).volumes ?? []) {
        if (v.configMap) need('ConfigMap', v.configMap.name, v.configMap.optional, label(w));
        if (v.secret) need('Secret', v.secret.secretName, v.secret.optional, label(w));
      }
    }
    expect(missing).toEqual([]);
  });
});

/** A memory quantity in bytes (`512Mi`, `1Gi`, `300M`, or plain bytes). */
function bytes(quantity: string | number | undefined): number {
  const match = /^(\d+)(Ki|Mi|Gi|K|M|G)?$/.exec(String(quantity));
  if (!match) throw new Error(`not a memory quantity this check reads: ${quantity}`);
  const unit = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, K: 1e3, M: 1e6, G: 1e9 }[match[2] ?? ''] ?? 1;
  return Number(match[1]) * unit;
}
