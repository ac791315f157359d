import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import { loadConfig, settingNames } from '@runtrail/platform';
import { parseAllDocuments } from 'yaml';
import { repoRoot } from './browser';

/** One object of deploy/kubernetes, as its YAML document reads. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  data?: Record<string, string>;
  stringData?: Record<string, string>;
  spec?: Record<string, unknown>;
}

/** A manifest object and where it is written, for messages that point at it. */
export interface Manifest {
  /** `deploy/kubernetes/<file>.yaml#<document index>` */
  source: string;
  object: KubeObject;
}

export const MANIFEST_DIR = 'deploy/kubernetes';

/** Every YAML document under deploy/kubernetes, in file order; a YAML error throws, naming the file. */
export function loadManifests(dir = join(repoRoot(), MANIFEST_DIR)): Manifest[] {
  const files = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort();
  return files.flatMap((file) => {
    const path = join(dir, file);
    const docs = parseAllDocuments(readFileSync(path, 'utf8'));
    if (!Array.isArray(docs)) throw new Error(`${file}: not a YAML stream`);
    return docs.flatMap((doc, index) => {
      if (doc.errors.length) throw new Error(`${file}#${index}: ${doc.errors.map((e) => e.message).join('; ')}`);
      const object = doc.toJS() as KubeObject | null;
      // A document holding only comments is empty, not an object.
      return object === null ? [] : [{ source: `${relative(repoRoot(), path)}#${index}`, object }];
    });
  });
}

/** The object of `kind` named `name`; throws when there is none. */
export function findObject(manifests: Manifest[], kind: string, name: string): KubeObject {
  const found = manifests.find((m) => m.object.kind === kind && m.object.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${name} in ${MANIFEST_DIR}`);
  return found.object;
}

/** The one container of Deployment `name`. */
export function deploymentContainer(manifests: Manifest[], name: string): IContainer {
  const deployment = findObject(manifests, 'Deployment', name) as unknown as IDeployment;
  const containers = deployment.spec?.template.spec?.containers ?? [];
  if (containers.length !== 1) throw new Error(`Deployment ${name} has ${containers.length} containers, expected 1`);
  return containers[0];
}

/** What a container's environment holds, from `env` and from the ConfigMaps and Secrets of `envFrom`. */
export interface ContainerEnv {
  /** Every variable name the container gets. */
  names: string[];
  /**
   * The values written in the manifests: literal `value`s and ConfigMap data. Secrets are
   * left out: they hold placeholders to be replaced before applying.
   */
  values: Record<string, string>;
}

export function containerEnv(manifests: Manifest[], container: IContainer): ContainerEnv {
  const names: string[] = [];
  const values: Record<string, string> = {};
  for (const source of container.envFrom ?? []) {
    if (source.prefix) throw new Error(`envFrom with a prefix (${source.prefix}) is not read here`);
    if (source.configMapRef) {
      const data = findObject(manifests, 'ConfigMap', source.configMapRef.name ?? '').data ?? {};
      names.push(...Object.keys(data));
      Object.assign(values, data);
    } else if (source.secretRef) {
      const secret = findObject(manifests, 'Secret', source.secretRef.name ?? '');
      names.push(...Object.keys({ ...secret.data, ...secret.stringData }));
    }
  }
  for (const variable of container.env ?? []) {
    names.push(variable.name);
    if (variable.value !== undefined) values[variable.name] = variable.value;
  }
  return { names: [...new Set(names)], values };
}

/** Deployment `name` read through its service's config class. */
export interface DeploymentConfig<T> {
  /** Variables the Deployment sets that the class does not read: none, when the two agree. */
  unknown: string[];
  /** The class loaded from the values the manifests write; loading throws on a bad value, naming it. */
  config: T;
  /** The container's ports. */
  ports: number[];
}

/** Checks a service's Deployment against its config class (each app's kubernetes-deployment.spec.ts). */
export function deploymentConfig<T extends object>(name: string, cls: new () => T): DeploymentConfig<T> {
  const manifests = loadManifests();
  const container = deploymentContainer(manifests, name);
  const env = containerEnv(manifests, container);
  const known = new Set(settingNames(cls));
  return {
    unknown: env.names.filter((n) => !known.has(n)),
    config: loadConfig(cls, env.values),
    ports: (container.ports ?? []).map((p) => p.containerPort),
  };
}
