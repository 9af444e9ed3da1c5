// The entry of the CLI bundle (build/bundle-cli.ts): runs the command line and sets the exit code.
import { main } from '../electron/cli';

process.exitCode = await main();
