/**
 * Validation against the official nbformat 4 JSON schemas (vendored from nbformat 5.5 under
 * schema/, BSD licence in schema/LICENSE), with the schema of the notebook's own minor version
 * as nbformat's `validate` does; minors newer than 4.5 use 4.5.
 */
import Ajv from 'ajv-draft-04';
import type { ErrorObject, ValidateFunction } from 'ajv';
import v40 from './schema/nbformat.v4.0.schema.json';
import v41 from './schema/nbformat.v4.1.schema.json';
import v42 from './schema/nbformat.v4.2.schema.json';
import v43 from './schema/nbformat.v4.3.schema.json';
import v44 from './schema/nbformat.v4.4.schema.json';
import v45 from './schema/nbformat.v4.5.schema.json';

const SCHEMAS: Array<{ definitions: object }> = [v40, v41, v42, v43, v44, v45];
const compiled = new Map<string, ValidateFunction>();

/** The validator for a minor version's notebook, or for one of its definitions (e.g. 'code_cell'). */
function validatorFor(minor: number, definition?: string): ValidateFunction {
  const m = Number.isInteger(minor) && minor >= 0 ? Math.min(minor, SCHEMAS.length - 1) : SCHEMAS.length - 1;
  const key = `${m}:${definition ?? ''}`;
  let v = compiled.get(key);
  if (!v) {
    const schema = definition
      ? { definitions: SCHEMAS[m].definitions, $ref: `#/definitions/${definition}` }
      : SCHEMAS[m];
    // strict off: the schemas use draft-04 annotations ajv does not know.
    v = new Ajv({ strict: false, allErrors: true }).compile(schema);
    compiled.set(key, v);
  }
  return v;
}

/** '/cells/3/outputs' → 'cells[3].outputs' (0-based, as nbformat prints paths). */
function jsonPath(pointer: string): string {
  const parts = pointer.split('/').slice(1);
  return parts.map((p, i) => (/^\d+$/.test(p) ? `[${p}]` : (i ? '.' : '') + p)).join('') || 'the notebook';
}

/** The deepest error: the most specific description of what is wrong. */
function deepest(errors: ErrorObject[]): ErrorObject {
  const depth = (e: ErrorObject): number => e.instancePath.split('/').length;
  return [...errors].filter((e) => e.keyword !== 'oneOf').sort((a, b) => depth(b) - depth(a))[0] ?? errors[0];
}

function describe(e: ErrorObject, prefix = ''): string {
  const extra =
    e.keyword === 'additionalProperties'
      ? ` ('${(e.params as { additionalProperty: string }).additionalProperty}')`
      : e.keyword === 'enum'
        ? ` (${(e.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')})`
        : '';
  return `${jsonPath(prefix + e.instancePath)} ${e.message ?? 'is invalid'}${extra}`;
}

/**
 * Null when `raw` is a valid nbformat 4 notebook of its minor version, else the reason.
 *
 * @example
 * const empty = { nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [] };
 * schemaViolation(empty); // null
 * schemaViolation({ ...empty, cells: [{ cell_type: 'code', outputs: 'x' }] }); // 'cells[0].outputs must be array'
 */
export function schemaViolation(raw: { nbformat_minor?: unknown; cells?: unknown }): string | null {
  const minor = Number(raw.nbformat_minor);
  const validate = validatorFor(minor);
  if ((validate as (data: unknown) => boolean)(raw)) return null;
  const errors = validate.errors ?? [];
  // Cells are a oneOf over cell types, whose errors mix every branch: check the first bad cell
  // against the definition of its own type instead (nbformat's "best match" does the like).
  const badCell = errors.map((e) => /^\/cells\/(\d+)/.exec(e.instancePath)?.[1]).find((i) => i !== undefined);
  const cells = Array.isArray(raw.cells) ? (raw.cells as Array<{ cell_type?: unknown }>) : [];
  if (badCell !== undefined) {
    const cell = cells[Number(badCell)];
    const check = validatorFor(minor, `${String(cell?.cell_type)}_cell`);
    if (!check(cell) && check.errors?.length) return describe(deepest(check.errors), `/cells/${badCell}`);
  }
  return describe(deepest(errors));
}
