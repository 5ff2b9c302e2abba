/** `metriclab data`: which datasets are available, where from, sizes and per-split counts. */
import { dataDirectories } from '../data/locate';
import { summarizeDatasets } from '../data/catalog';
import { summarizeGlyphs } from '../data/glyphs/load';
import { defineCommand } from './harness';

function megabytes(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

export const command = defineCommand({
  name: 'data',
  summary: 'list the datasets found (MNIST, Fashion-MNIST, glyphs), where from, sizes and per-split counts',
  synopsis: '[--json]',
  description: `Lists the datasets the loaders can find (mnist, fashion-mnist, glyphs), searched in this order:
  METRICLAB_DATA_DIR/<name>, /usr/share/datasets/<name> (Debian), the repository's data/<name>.
For each split: the directory used, file size, number of images and images per class; for
glyphs (many classes) the scripts, classes and images of its background and evaluation sets.`,
  options: { json: { type: 'boolean', help: 'print the same as JSON' } },
  async run({ values }, io) {
    const print = (line: string): void => io.out(`${line}\n`);
    const summaries = summarizeDatasets();
    const glyphs = summarizeGlyphs();
    if (values.json) {
      print(JSON.stringify({ searched: dataDirectories(), datasets: summaries, glyphs }, null, 2));
      return 0;
    }
    print('searched, in order:');
    for (const d of dataDirectories()) print(`  ${d.origin.padEnd(18)} ${d.path}${d.exists ? '' : ' (not found)'}`);
    let problems = 0;
    for (const ds of summaries) {
      print(`\n${ds.name}`);
      for (const s of ds.splits) {
        if (!s.source) {
          print(`  ${s.split.padEnd(5)} not found`);
          problems++;
          continue;
        }
        if (s.error) {
          print(`  ${s.split.padEnd(5)} ${s.source}: ${s.error}`);
          problems++;
          continue;
        }
        print(
          `  ${s.split.padEnd(5)} ${String(s.count).padStart(6)} images  ${megabytes(s.bytes).padStart(8)}  ${s.origin}: ${s.source}`,
        );
        print(`        per class: ${s.perClass.join(' ')}`);
      }
    }
    print('\nglyphs');
    if (!glyphs.source || glyphs.error) {
      print(`  ${glyphs.source ? `${glyphs.source}: ${glyphs.error}` : 'not found'}`);
      problems++;
    } else {
      print(
        `  ${glyphs.classes} classes, ${glyphs.images} images  ${megabytes(glyphs.bytes)}  ${glyphs.origin}: ${glyphs.source}`,
      );
      for (const s of glyphs.sets)
        print(`  ${s.set.padEnd(10)} ${s.scripts} scripts, ${s.classes} classes, ${s.images} images`);
    }
    return problems ? 1 : 0;
  },
});
