#!/usr/bin/env node
// Entry point of the feed tool: runs the TypeScript sources through tsx, no separate build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/feedtool/cli.ts');
process.exitCode = await main(process.argv.slice(2));
