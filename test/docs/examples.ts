/**
 * The `@example` blocks of lib/: found in doc comments, with the file and line they start on.
 */
import * as fs from 'fs';
import * as path from 'path';

export interface DocExample {
  /** lib-relative file, e.g. 'viz/render.ts'. */
  file: string;
  /** 1-based line of the `@example` tag. */
  line: number;
  code: string;
}

function libFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) =>
      e.isDirectory() ? libFiles(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : [],
    );
}

/** Every `@example` in the .ts files under libDir: the comment lines up to the next tag or the comment's end. */
export function docExamples(libDir: string): DocExample[] {
  const out: DocExample[] = [];
  for (const file of libFiles(libDir).sort()) {
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    for (let i = 0; i < lines.length; i++) {
      if (!/^\s*\*\s*@example\b/.test(lines[i])) continue;
      const body: string[] = [];
      const inline = lines[i].replace(/^\s*\*\s*@example\b\s?/, '');
      if (inline.trim()) body.push(inline);
      let j = i + 1;
      for (; j < lines.length; j++) {
        if (/^\s*\*\//.test(lines[j]) || /^\s*\*\s*@\w+/.test(lines[j])) break;
        body.push(lines[j].replace(/^\s*\*\s?/, ''));
      }
      out.push({ file: path.relative(libDir, file), line: i + 1, code: body.join('\n').trim() });
      i = j - 1;
    }
  }
  return out;
}
