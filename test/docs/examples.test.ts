/**
 * Every `@example` in lib/ type-checks (strict, as lib/ itself) against the library, and the
 * short self-contained ones run. An example sees: its own imports ('metriclab', 'metriclab/tf'
 * and 'metriclab/runner' as a user writes them), the exports of the file it documents, the public API
 * of both entry points, `tf` and `fs`, and the few context values of CONTEXT (declared, typed).
 *
 * Examples that do not type-check yet are listed in examples-pending.json, keyed by file and a
 * hash of their code, with the first error; the test fails on any other failing example, and on a
 * listed one that now passes (delete its entry), so the list only shrinks.
 * `METRICLAB_WRITE_EXAMPLES_PENDING=1 npx mocha test/docs/examples.test.ts` rewrites the list
 * (after a merge that moved examples; review the diff: it must not grow).
 */
import { strict as assert } from 'assert';
import { createHash } from 'crypto';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';
import { docExamples, type DocExample } from './examples';

const ROOT = path.resolve(__dirname, '..', '..');
const LIB = path.join(ROOT, 'lib');
const PENDING_FILE = path.join(__dirname, 'examples-pending.json');

/** Values an example may use without making them: what a reader has at hand at that point. */
const CONTEXT: Record<string, string> = {
  embeddings: 'tf.Tensor2D',
  labels: 'number[]',
  model: 'tf.LayersModel',
  history: 'History',
  runs: 'CurveRun[]',
  ds: 'LoadedDataset',
  images: 'tf.Tensor4D',
  testImages: 'tf.Tensor2D',
  testLabels: 'number[]',
  vectors: 'number[][]',
  queries: 'number[][]',
  x: 'tf.Tensor2D',
  nb: 'Notebook',
  optimizer: 'tf.Optimizer',
  sampler: 'TrainSampler',
  data: 'TrainData',
  opts: 'TrainOptions',
  loss: 'BaseMetricLoss',
  miner: 'BaseMiner',
  input: 'MinerInput',
  xbm: 'CrossBatchMemory',
  memory: 'tf.Tensor2D',
  memoryLabels: 'number[]',
  d: 'CourseData',
  // Continual learning (notebook 11): the two stages' data and the models before and after the update.
  stage1: 'CourseData',
  stage2: 'CourseData',
  oldModel: 'tf.LayersModel',
  newModel: 'tf.LayersModel',
  fewShot: 'FewShotRow[]',
  probes: 'RetrievalProbe[]',
  rows: 'RetrievalRow[]',
  job: 'ScoringJob',
  result: 'RunResult',
  results: 'RunResult[]',
  msg: 'JupyterMessage',
  kernel: 'Kernel',
  args: 'Parameters<tf.KernelFunc>[0]',
  info: 'tf.backend_util.Conv2DInfo',
  webgpu_util: 'WebGpuDispatchUtil',
};
/** Types CONTEXT names, imported for the declarations. */
const CONTEXT_TYPES =
  "import type { History, CurveRun, LoadedDataset, TrainSampler, TrainData, TrainOptions, BaseMetricLoss, BaseMiner, MinerInput, CrossBatchMemory, CourseData, RetrievalProbe, RetrievalRow, FewShotRow } from 'metriclab';\nimport type { Notebook, RunResult, JupyterMessage, Kernel } from 'metriclab/runner';\n" +
  // Internal types of values the internal helpers' examples work on ('@lib/x' is lib/x.ts).
  "import type { ScoringJob } from '@lib/eval/retrieval-scoring';\nimport type { WebGpuDispatchUtil } from '@lib/backend/webgpu-acos';";

/** Diagnostics that are style, not correctness, in a snippet (unused names, implicit any in callbacks of untyped JSON). */
const IGNORED_CODES = new Set([6133, 6192, 6196, 6198]);

interface Names {
  own: string[];
  pub: string[];
  runner: string[];
}

interface Built {
  example: DocExample;
  names: Names;
  key: string;
  source: string;
  usesContext: boolean;
}

function keyOf(ex: DocExample): string {
  return `${ex.file}#${createHash('sha1').update(ex.code).digest('hex').slice(0, 10)}`;
}

function exportNames(program: ts.Program, file: string): string[] {
  const sf = program.getSourceFile(file);
  const sym = sf && program.getTypeChecker().getSymbolAtLocation(sf);
  return sym
    ? program
        .getTypeChecker()
        .getExportsOfModule(sym)
        .map((s) => s.name)
    : [];
}

/** CONTEXT_TYPES' imports, less the names the example already imports (a second import would clash). */
function contextTypes(taken: Set<string>, spec: (s: string) => string): string {
  return CONTEXT_TYPES.replace(/import type \{ ([^}]*) \} from '([^']+)';/g, (_, names: string, from: string) => {
    const kept = names.split(', ').filter((n) => !taken.has(n));
    return kept.length ? `import type { ${kept.join(', ')} } from '${spec(from)}';` : '';
  });
}

/** The example as a module: hoisted imports, automatic imports of the names it uses, body in an async function. */
function buildSource(ex: DocExample, names: Names, spec: (s: string) => string): Built {
  const imports: string[] = [];
  const body: string[] = [];
  const imported = new Set<string>();
  for (const line of ex.code.split('\n')) {
    const bare = /^import\s+'([^']+)';?\s*(\/\/.*)?$/.exec(line);
    if (bare) {
      imports.push(`import '${spec(bare[1])}';`);
      continue;
    }
    const m = /^import\s+(.*)\s+from\s+'([^']+)';?\s*(\/\/.*)?$/.exec(line);
    if (!m) {
      body.push(line);
      continue;
    }
    imports.push(`import ${m[1]} from '${spec(m[2])}';`);
    for (const id of m[1].match(/[A-Za-z_$][\w$]*/g) ?? []) imported.add(id);
  }
  const code = body.join('\n');
  const uses = (name: string): boolean =>
    !imported.has(name) && new RegExp(`(^|[^\\w$.']|\\.\\.\\.)${name.replace(/\$/g, '\\$')}\\b`).test(code);
  const own = names.own.filter(uses);
  const pub = names.pub.filter((n) => uses(n) && !own.includes(n));
  const runner = names.runner.filter((n) => uses(n) && !own.includes(n) && !pub.includes(n));
  const context = Object.keys(CONTEXT).filter((n) => uses(n) && !own.includes(n) && !pub.includes(n));
  const header = [
    ...imports,
    imported.has('tf') ? '' : `import * as tf from '${spec('metriclab/tf')}';`,
    imported.has('fs') ? '' : "import * as fs from 'fs';",
    own.length ? `import { ${own.join(', ')} } from '${spec('./' + path.basename(ex.file))}';` : '',
    pub.length ? `import { ${pub.join(', ')} } from '${spec('metriclab')}';` : '',
    runner.length ? `import { ${runner.join(', ')} } from '${spec('metriclab/runner')}';` : '',
    context.length ? contextTypes(new Set([...imported, ...own, ...pub, ...runner]), spec) : '',
    ...context.map((n) => `declare const ${n}: ${CONTEXT[n]};`),
  ].filter(Boolean);
  const source = `${header.join('\n')}\nvoid tf;\nvoid fs;\nexport async function example(): Promise<void> {\n${code}\n}\n`;
  return { example: ex, names, key: keyOf(ex), source, usesContext: context.length > 0 };
}

/** Whether the example's body refers to one of the header's `declare const` context values. */
function refersToDeclared(sf: ts.SourceFile, checker: ts.TypeChecker): boolean {
  const isContext = (d: ts.Declaration): boolean =>
    ts.isVariableDeclaration(d) &&
    d.getSourceFile() === sf &&
    ts.isVariableStatement(d.parent.parent) &&
    (ts.getCombinedModifierFlags(d) & ts.ModifierFlags.Ambient) !== 0;
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isIdentifier(node) && !ts.isVariableDeclaration(node.parent)) {
      const sym = ts.isShorthandPropertyAssignment(node.parent)
        ? checker.getShorthandAssignmentValueSymbol(node.parent)
        : checker.getSymbolAtLocation(node);
      found = (sym?.declarations ?? []).some(isContext);
    }
    ts.forEachChild(node, visit);
  };
  sf.statements.filter(ts.isFunctionDeclaration).forEach(visit);
  return found;
}

/**
 * Module specifiers as seen from `fromDir` (where the generated file lives): the package's names
 * map to lib/, and relative ones are relative to the documented file `ex`.
 */
function specifierMapper(fromDir: string, ex: DocExample): (s: string) => string {
  const rel = (file: string): string => {
    const r = path.relative(fromDir, file).replace(/\.ts$/, '').split(path.sep).join('/');
    return r.startsWith('.') ? r : `./${r}`;
  };
  return (s) => {
    if (s === 'metriclab') return rel(path.join(LIB, 'index.ts'));
    if (s === 'metriclab/runner') return rel(path.join(LIB, 'runner.ts'));
    if (s === 'metriclab/tf') return rel(path.join(LIB, 'tf.ts'));
    if (s.startsWith('@lib/')) return rel(path.join(LIB, `${s.slice(5)}.ts`));
    if (s.startsWith('.')) return rel(path.resolve(LIB, path.dirname(ex.file), s));
    return s;
  };
}

describe('@example blocks in lib/', function () {
  this.timeout(300_000);
  const examples = docExamples(LIB);
  const pending = JSON.parse(fs.readFileSync(PENDING_FILE, 'utf8')) as Record<string, string>;
  const failures = new Map<string, string>();
  const built = new Map<string, Built>();

  before(function () {
    const config = ts.getParsedCommandLineOfConfigFile(
      path.join(ROOT, 'tsconfig.json'),
      {},
      {
        ...ts.sys,
        onUnRecoverableConfigFileDiagnostic: (d) => assert.fail(ts.flattenDiagnosticMessageText(d.messageText, ' ')),
      },
    )!;
    const options: ts.CompilerOptions = { ...config.options, noEmit: true, declaration: false };
    const base = ts.createProgram(config.fileNames, options);
    const pub = exportNames(base, path.join(LIB, 'index.ts'));
    const runner = exportNames(base, path.join(LIB, 'runner.ts'));
    assert.ok(pub.length > 50 && runner.length > 10, `entry points export ${pub.length} and ${runner.length} names`);
    // Each example is a virtual file beside the file it documents, so relative imports resolve.
    const virtual = new Map<string, Built>();
    examples.forEach((ex, n) => {
      const src = path.join(LIB, ex.file);
      const names = { own: exportNames(base, src), pub, runner };
      const b = buildSource(ex, names, specifierMapper(path.dirname(src), ex));
      virtual.set(path.join(path.dirname(src), `__example_${n}.ts`), b);
    });
    const host = ts.createCompilerHost(options);
    const getSourceFile = host.getSourceFile.bind(host);
    const fileExists = host.fileExists.bind(host);
    host.getSourceFile = (f, lang, ...rest) =>
      virtual.has(f) ? ts.createSourceFile(f, virtual.get(f)!.source, lang) : getSourceFile(f, lang, ...rest);
    host.fileExists = (f) => virtual.has(f) || fileExists(f);
    const program = ts.createProgram([...config.fileNames, ...virtual.keys()], options, host, base);
    const checker = program.getTypeChecker();
    for (const [file, b] of virtual) {
      const sf = program.getSourceFile(file)!;
      // A name the example declares itself (a parameter `d`, `const { loss }`) is not a use of CONTEXT.
      built.set(b.key, { ...b, usesContext: b.usesContext && refersToDeclared(sf, checker) });
      const diags = [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)].filter(
        (d) => !IGNORED_CODES.has(d.code),
      );
      if (diags.length > 0)
        failures.set(b.key, `TS${diags[0].code}: ${ts.flattenDiagnosticMessageText(diags[0].messageText, ' ')}`);
    }
  });

  it('finds the examples (one per export is the house rule)', function () {
    assert.ok(examples.length > 150, `found ${examples.length} @example blocks`);
  });

  it('every example type-checks, except those listed in examples-pending.json', function () {
    if (process.env.METRICLAB_WRITE_EXAMPLES_PENDING === '1') {
      const sorted = Object.fromEntries([...failures].sort(([a], [b]) => a.localeCompare(b)));
      fs.writeFileSync(PENDING_FILE, `${JSON.stringify(sorted, null, 2)}\n`);
      Object.assign(pending, sorted);
      for (const key of Object.keys(pending)) if (!(key in sorted)) delete pending[key];
    }
    const unexpected = [...failures]
      .filter(([key]) => !(key in pending))
      .map(([key, err]) => `${key} (lib/${built.get(key)!.example.file}:${built.get(key)!.example.line}): ${err}`);
    assert.deepEqual(unexpected, [], `examples that do not type-check:\n${unexpected.join('\n')}`);
  });

  it('examples-pending.json lists only examples that still fail (remove fixed ones)', function () {
    const stale = Object.keys(pending).filter((key) => !failures.has(key));
    assert.deepEqual(stale, [], 'fixed or changed examples: delete these entries from test/docs/examples-pending.json');
  });

  it('the short self-contained examples run', function () {
    // Short (<= 3 lines), no context values, type-checked, and no side effects outside the process.
    const runnable = [...built.values()].filter(
      (b) =>
        !failures.has(b.key) &&
        !b.usesContext &&
        b.example.code.split('\n').length <= 3 &&
        !/\bfs\.|writeFile|runNotebook|installKernelSpec|Kernel\.start|show\(|runCourse|process\.|workerData|registerKernel|readFontInfo|spawn\(|\b(load|save)[A-Z]\w*\(/.test(
          b.example.code,
        ),
    );
    assert.ok(runnable.length >= 20, `only ${runnable.length} runnable examples`);
    const dir = path.join(ROOT, 'test', '.tmp', 'examples');
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    const calls: string[] = [];
    runnable.forEach((b, n) => {
      const file = path.join(dir, `ex${n}.ts`);
      fs.writeFileSync(file, buildSource(b.example, b.names, specifierMapper(dir, b.example)).source);
      calls.push(
        `try { await (await import('./ex${n}.ts')).example(); } catch (e) { failed.push(${JSON.stringify(`lib/${b.example.file}:${b.example.line}`)} + ': ' + String(e)); }`,
      );
    });
    const main = path.join(dir, 'main.mts');
    fs.writeFileSync(
      main,
      `const failed: string[] = [];\nconst { ready } = await import(${JSON.stringify(path.join(LIB, 'backend', 'index.ts'))});\nawait ready();\n${calls.join('\n')}\nconsole.log(JSON.stringify(failed));\n`,
    );
    let out: string;
    try {
      out = execFileSync(process.execPath, ['--import', 'tsx', '--no-warnings', main], {
        cwd: ROOT, // examples name repository paths (test/fixtures/parity.json)
        encoding: 'utf8',
      });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    const failed = JSON.parse(out.trim().split('\n').pop() ?? '[]') as string[];
    assert.deepEqual(failed, [], `examples that threw:\n${failed.join('\n')}`);
    console.log(`      ${runnable.length} examples ran`);
  });
});
