/** `metriclab data`: which datasets are available, where from, sizes and per-split counts. */
import { dataDirectories } from '../data/locate';
import { summarizeDatasets } from '../data/catalog';
import type { Command } from './main';

const HELP = `Usage: metriclab data [--json]

Lists the datasets the loaders can find (mnist, fashion-mnist), searched in this order:
  METRICLAB_DATA_DIR/<name>, /usr/share/datasets/<name> (Debian), the repository's data/<name>.
For each split: the directory used, file size, number of images and images per class.

Options:
  --json   print the same as JSON
  --help   this text`;

function megabytes(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

export const command: Command = {
  summary: 'list the datasets found (MNIST, Fashion-MNIST), where from, sizes and per-split counts',
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
    if (args.includes('--json')) {
      console.log(JSON.stringify({ searched: dataDirectories(), datasets: summaries }, null, 2));
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
    return problems ? 1 : 0;
  },
};
