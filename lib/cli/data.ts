/** `metriclab data`: which datasets are available, where from, sizes and per-split counts. */
import { dataDirectories } from '../data/locate';
import { summarizeDatasets } from '../data/catalog';
import { summarizeGlyphs } from '../data/glyphs/load';
import type { Command } from './main';

const HELP = `Usage: metriclab data [--json]

Lists the datasets the loaders can find (mnist, fashion-mnist, glyphs), searched in this order:
  METRICLAB_DATA_DIR/<name>, /usr/share/datasets/<name> (Debian), the repository's data/<name>.
For each split: the directory used, file size, number of images and images per class; for
glyphs (many classes) the scripts, classes and images of its background and evaluation sets.

Options:
  --json   print the same as JSON
  --help   this text`;

function megabytes(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

export const command: Command = {
  summary: 'list the datasets found (MNIST, Fashion-MNIST, glyphs), where from, sizes and per-split counts',
  async run(args: string[]): Promise<number> {
    if (args.includes('--help') || args.includes('-h')) {
      console.log(HELP);
      return 0;
    }
    const unknown = args.filter((a) => a !== '--json');
    if (unknown.length) {
      console.error(`metriclab data: unknown option '${unknown[0]}'\n\n${HELP}`);
      return 2;
    }
    const summaries = summarizeDatasets();
    const glyphs = summarizeGlyphs();
    if (args.includes('--json')) {
      console.log(JSON.stringify({ searched: dataDirectories(), datasets: summaries, glyphs }, null, 2));
      return 0;
    }
    console.log('searched, in order:');
    for (const d of dataDirectories())
      console.log(`  ${d.origin.padEnd(18)} ${d.path}${d.exists ? '' : ' (not found)'}`);
    let problems = 0;
    for (const ds of summaries) {
      console.log(`\n${ds.name}`);
      for (const s of ds.splits) {
        if (!s.source) {
          console.log(`  ${s.split.padEnd(5)} not found`);
          problems++;
          continue;
        }
        if (s.error) {
          console.log(`  ${s.split.padEnd(5)} ${s.source}: ${s.error}`);
          problems++;
          continue;
        }
        console.log(
          `  ${s.split.padEnd(5)} ${String(s.count).padStart(6)} images  ${megabytes(s.bytes).padStart(8)}  ${s.origin}: ${s.source}`,
        );
        console.log(`        per class: ${s.perClass.join(' ')}`);
      }
    }
    console.log('\nglyphs');
    if (!glyphs.source || glyphs.error) {
      console.log(`  ${glyphs.source ? `${glyphs.source}: ${glyphs.error}` : 'not found'}`);
      problems++;
    } else {
      console.log(
        `  ${glyphs.classes} classes, ${glyphs.images} images  ${megabytes(glyphs.bytes)}  ${glyphs.origin}: ${glyphs.source}`,
      );
      for (const s of glyphs.sets)
        console.log(`  ${s.set.padEnd(10)} ${s.scripts} scripts, ${s.classes} classes, ${s.images} images`);
    }
    return problems ? 1 : 0;
  },
};
