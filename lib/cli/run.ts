import type { Command } from './main';

export const command: Command = {
  summary: '(not built yet)',
  async run(): Promise<number> {
    console.error('metriclab run: not available in this build yet');
    return 2;
  },
};
