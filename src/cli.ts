import dotenv from 'dotenv';
import { runCli } from './cli/run-cli';

/** `npm run cli -- <command>`: administration that has no API (creating teams and their tokens). */
async function main(): Promise<void> {
  dotenv.config({ quiet: true });
  process.exitCode = await runCli(process.argv.slice(2), process.env, {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
  });
}

void main();
