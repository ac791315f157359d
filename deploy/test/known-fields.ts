import { dirname, join } from 'node:path';
import ts from 'typescript';
import type { Manifest } from '@runtrail/testing';

/** The declaration files read so far: parsing them is most of a check's time, and they do not change. */
const parsed = new Map<string, ts.SourceFile>();

/** The kubernetes-models module and interface of an object: `apps/v1` `Deployment` -> `kubernetes-models/apps/v1/Deployment`, `IDeployment`. */
function modelType(apiVersion: string, kind: string): { module: string; name: string } {
  return { module: `kubernetes-models/${apiVersion}/${kind}`, name: `I${kind}` };
}

/**
 * Fields the Kubernetes API does not know, and values of the wrong type, found by the
 * TypeScript compiler: each manifest becomes an object literal typed with the interface
 * kubernetes-models generates from the same OpenAPI document as its schemas, and an object
 * literal may only name known properties. The schemas alone let unknown fields through
 * (the OpenAPI document does not close its objects), while the API server's strict field
 * validation refuses them at `kubectl apply`. One message per problem, naming the manifest.
 */
export function unknownFieldProblems(manifests: Manifest[], root: string): string[] {
  const file = join(root, 'deploy', 'test', '__manifests__.ts');
  const lines: string[] = [];
  const starts: { line: number; source: string }[] = [];
  manifests.forEach(({ object }, i) => {
    const { module, name } = modelType(object.apiVersion, object.kind);
    lines.push(`import type { ${name} as T${i} } from '${module}';`);
  });
  manifests.forEach(({ source, object }, i) => {
    starts.push({ line: lines.length, source });
    lines.push(...`export const m${i}: T${i} = ${JSON.stringify(object, null, 2)};`.split('\n'));
  });
  const text = lines.join('\n');

  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: [],
    module: ts.ModuleKind.Node16,
    moduleResolution: ts.ModuleResolutionKind.Node16,
    target: ts.ScriptTarget.ES2022,
    lib: ['lib.es2022.d.ts'],
  };
  const host = ts.createCompilerHost(options);
  const { getSourceFile, fileExists, readFile } = host;
  host.getSourceFile = (name, language, ...rest) => {
    if (name === file) return ts.createSourceFile(name, text, language, true);
    const cached = parsed.get(name) ?? getSourceFile.call(host, name, language, ...rest);
    if (cached) parsed.set(name, cached);
    return cached;
  };
  host.fileExists = (name) => name === file || fileExists.call(host, name);
  host.readFile = (name) => (name === file ? text : readFile.call(host, name));
  host.getCurrentDirectory = () => dirname(file);

  const program = ts.createProgram([file], options, host);
  const source = program.getSourceFile(file);
  return ts.getPreEmitDiagnostics(program, source).map((d) => {
    const message = ts.flattenDiagnosticMessageText(d.messageText, '\n');
    if (d.file?.fileName !== file || d.start === undefined) return message;
    const { line } = d.file.getLineAndCharacterOfPosition(d.start);
    const at = starts.filter((s) => s.line <= line).pop();
    return `${at?.source ?? 'imports'}, line ${line - (at?.line ?? 0) + 1} of its JSON: ${message}`;
  });
}
