// `metriclab run` from the sources, as a child process for the signal tests (no dist/ needed).
import { runCli } from '../../lib/cli/run';

void runCli(process.argv.slice(2)).then((code) => process.exit(code));
