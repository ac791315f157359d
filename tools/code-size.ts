/**
 * `npm run code-size`: the largest source files and the longest functions of the tree,
 * to see where code is piling up (and to compare a reshaping before and after: run it in
 * both checkouts).
 *
 *   npm run code-size                 # ten of each
 *   CODE_SIZE_TOP=20 npm run code-size
 *
 * Source means TypeScript under apps/, libs/ and tools/, without specs, test folders and
 * the end-to-end suite. A function is any function declaration, method, accessor,
 * constructor, function expression or arrow function, measured in lines from its first
 * to its last; nested functions count on their own as well as inside their parent.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import * as ts from 'typescript';

const ROOTS = ['apps', 'libs', 'tools'];
const SKIP_DIRS = new Set(['node_modules', 'dist', 'test', 'coverage']);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return SKIP_DIRS.has(name) ? [] : sourceFiles(path);
    return name.endsWith('.ts') && !name.endsWith('.spec.ts') && !name.endsWith('.d.ts') ? [path] : [];
  });
}

interface Measured {
  where: string;
  lines: number;
}

function functionName(node: ts.Node): string {
  if ((ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node) || ts.isGetAccessor(node)) && node.name) {
    const owner = ts.isClassDeclaration(node.parent) && node.parent.name ? `${node.parent.name.text}.` : '';
    return owner + node.name.getText();
  }
  if (ts.isConstructorDeclaration(node) && ts.isClassDeclaration(node.parent)) return `${node.parent.name?.text ?? '(class)'}.constructor`;
  // An arrow or function expression takes the name of what it is assigned to.
  const parent = node.parent;
  if (ts.isVariableDeclaration(parent) || ts.isPropertyDeclaration(parent) || ts.isPropertyAssignment(parent)) return parent.name.getText();
  return '(anonymous)';
}

function functionsOf(file: ts.SourceFile, path: string): Measured[] {
  const found: Measured[] = [];
  const lineOf = (pos: number) => file.getLineAndCharacterOfPosition(pos).line;
  const visit = (node: ts.Node) => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body) {
      const lines = lineOf(node.getEnd()) - lineOf(node.getStart(file)) + 1;
      found.push({ where: `${path}:${lineOf(node.getStart(file)) + 1} ${functionName(node)}`, lines });
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

function main(): void {
  const top = Number(process.env.CODE_SIZE_TOP ?? 10);
  const root = process.cwd();
  const files = ROOTS.flatMap((r) => sourceFiles(join(root, r)));
  const sizes: Measured[] = [];
  const functions: Measured[] = [];
  for (const path of files) {
    const text = readFileSync(path, 'utf8');
    const rel = relative(root, path);
    sizes.push({ where: rel, lines: text.split('\n').length - (text.endsWith('\n') ? 1 : 0) });
    functions.push(...functionsOf(ts.createSourceFile(rel, text, ts.ScriptTarget.ES2022, true), rel));
  }
  const print = (title: string, list: Measured[]) => {
    console.log(title);
    for (const m of [...list].sort((a, b) => b.lines - a.lines).slice(0, top)) console.log(`${String(m.lines).padStart(6)}  ${m.where}`);
  };
  const total = sizes.reduce((n, s) => n + s.lines, 0);
  console.log(`${files.length} source files, ${total} lines, ${functions.length} functions`);
  print(`\nlargest source files (lines)`, sizes);
  print(`\nlongest functions (lines)`, functions);
}

main();
