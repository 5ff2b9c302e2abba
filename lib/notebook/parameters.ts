/**
 * Parameters, papermill's convention: a cell tagged `injected-parameters` goes right after the
 * cell tagged `parameters` (or first, if none), replacing an earlier injected cell.
 *
 * For TypeScript (tslab) the injected cell redeclares each name with the keyword and type
 * annotation the parameters cell used: tslab accepts redeclaring `const` and `let` across
 * cells, and keeping the annotation keeps `profile: 'quick' | 'full'` a union (a bare
 * `const profile = 'full'` would narrow it and break `profile === 'quick'` checks below).
 * Notebook authors: declare each parameter on its own line, `const name: Type = value;`.
 */
import { newCellId, cellTags, type Notebook, type NotebookCell } from './nbformat';

export type ParameterValue = string | number | boolean | null | ParameterValue[] | { [k: string]: ParameterValue };

/**
 * Parses a command-line value like papermill: JSON when it parses (numbers, true, null,
 * arrays), else the raw string.
 *
 * @example
 * parseParameterValue('5');     // 5
 * parseParameterValue('quick'); // 'quick'
 */
export function parseParameterValue(text: string): ParameterValue {
  try {
    return JSON.parse(text) as ParameterValue;
  } catch {
    return text;
  }
}

/** A TypeScript literal for a value (JSON is valid TypeScript for these types). */
export function typescriptLiteral(value: ParameterValue): string {
  return JSON.stringify(value);
}

/** A Python literal for a value. */
export function pythonLiteral(value: ParameterValue): string {
  if (value === null) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : `float('${value}')`;
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(pythonLiteral).join(', ')}]`;
  return `{${Object.entries(value)
    .map(([k, v]) => `${JSON.stringify(k)}: ${pythonLiteral(v)}`)
    .join(', ')}}`;
}

const IDENT = /^[A-Za-z_$][\w$]*$/;

/**
 * Whether `name` can be a parameter (an identifier in both TypeScript and Python).
 *
 * @example
 * isParameterName('seed');     // true
 * isParameterName('bad name'); // false
 */
export function isParameterName(name: string): boolean {
  return IDENT.test(name);
}

/** The declaration keyword and annotation of `name` in a TypeScript parameters cell. */
function declarationOf(source: string, name: string): { keyword: string; annotation: string } {
  const re = new RegExp(`^\\s*(?:export\\s+)?(const|let|var)\\s+${name.replace(/\$/g, '\\$')}\\s*(:[^=]+)?=`, 'm');
  const m = re.exec(source);
  return { keyword: m?.[1] ?? 'const', annotation: m?.[2]?.trim() ?? '' };
}

/** The source of the injected cell for a kernel language. */
export function parameterSource(
  language: string,
  params: Record<string, ParameterValue>,
  parametersCellSource = '',
): string {
  const lines = ['// Parameters injected by metriclab run'];
  const python = language === 'python';
  if (python) lines[0] = '# Parameters injected by metriclab run';
  for (const [name, value] of Object.entries(params)) {
    if (!IDENT.test(name)) {
      throw new Error(`Error in injectParameters: parameter names must be identifiers, but got '${name}'`);
    }
    if (python) {
      lines.push(`${name} = ${pythonLiteral(value)}`);
    } else {
      const { keyword, annotation } = declarationOf(parametersCellSource, name);
      lines.push(`${keyword} ${name}${annotation ? `${annotation} ` : ' '}= ${typescriptLiteral(value)};`);
    }
  }
  return lines.join('\n');
}

/**
 * Returns a copy of the notebook with the injected-parameters cell in place (the input is not
 * modified). No parameters: the notebook is returned unchanged.
 *
 * @example
 * const nb2 = injectParameters(nb, { profile: 'full', seed: 3 }, 'typescript');
 */
export function injectParameters(nb: Notebook, params: Record<string, ParameterValue>, language: string): Notebook {
  if (Object.keys(params).length === 0) return nb;
  const cells = nb.cells.filter((c) => !cellTags(c).includes('injected-parameters'));
  const at = cells.findIndex((c) => cellTags(c).includes('parameters'));
  const injected: NotebookCell = {
    id: newCellId(),
    cell_type: 'code',
    source: parameterSource(language, params, at >= 0 ? cells[at].source : ''),
    metadata: { tags: ['injected-parameters'] },
    outputs: [],
    execution_count: null,
  };
  cells.splice(at + 1, 0, injected);
  return { ...nb, cells };
}
