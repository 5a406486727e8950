import { Readable } from 'node:stream';
import type { Command } from 'commander';
import { UsageError } from '../util/usage-error.js';
import { vppctlCommand } from '../paths/common.js';
import { VPP_NODE } from '../plan/build-plan.js';
import { addLabTarget, labName, type LabTargetOptions } from './lab-target.js';

/** logs, exec, shell and vppctl: commands about one running node of a lab. */
export function registerNodeCommands(program: Command): void {
  addLabTarget(program.command('logs').description('print a node\'s output (vpp, or an app\'s name)'), { fileFlags: '--file <file>' })
    .argument('<node>', 'vpp, or an app\'s name')
    .option('-f, --follow', 'keep printing new output until Ctrl-C')
    .option('-n, --tail <lines>', 'only the last lines', 'all')
    .action(async (node: string, options: LabTargetOptions & { follow?: boolean; tail: string }) => {
      const { docker, nodeContainer, execAttached } = await engine();
      const { id } = await nodeContainer(docker, await labName(options), node);
      const container = docker.getContainer(id);
      const tty = (await container.inspect()).Config.Tty;
      const tail = options.tail === 'all' ? undefined : Number(options.tail);
      if (options.follow) {
        const stream = await container.logs({ stdout: true, stderr: true, follow: true, ...(tail !== undefined && { tail }) });
        if (tty) stream.pipe(process.stdout);
        else docker.modem.demuxStream(stream, process.stdout, process.stderr);
        await new Promise<void>((resolve) => stream.on('end', resolve));
        return;
      }
      const buffer = await container.logs({ stdout: true, stderr: true, follow: false, ...(tail !== undefined && { tail }) });
      if (tty) {
        process.stdout.write(buffer);
        return;
      }
      const { collectOutput } = await import('../engine/demux.js');
      const { stdout, stderr } = await collectOutput(docker, Readable.from([buffer]));
      process.stdout.write(stdout);
      process.stderr.write(stderr);
    });

  addLabTarget(program.command('exec').description('run a command in a node (like docker exec -i); its exit code is ours'))
    .argument('<node>', 'vpp, or an app\'s name')
    .argument('<command...>', 'the command, e.g. -- ls -l (its own options need no quoting)')
    // `vppkit exec app ls -l`: the command's options are the command's, not ours.
    .passThroughOptions()
    .action(async (node: string, command: string[], options: LabTargetOptions) => {
      // Passed through as given: a leading `--` is ours to drop (vppkit exec app -- ls -l).
      const argv = command[0] === '--' ? command.slice(1) : command;
      if (!argv.length) throw new UsageError(`give the command to run in ${node}, e.g. vppkit exec ${node} -- ls -l`);
      const { docker, nodeContainer, execAttached } = await engine();
      const { id } = await nodeContainer(docker, await labName(options), node);
      process.exitCode = await execAttached(docker, id, argv);
    });

  addLabTarget(program.command('shell').description('an interactive shell in a node'))
    .argument('<node>', 'vpp, or an app\'s name')
    .action(async (node: string, options: LabTargetOptions) => {
      const { docker, nodeContainer, execAttached } = await engine();
      const { id } = await nodeContainer(docker, await labName(options), node);
      process.exitCode = await execAttached(docker, id, ['/bin/sh', '-c', 'if command -v bash >/dev/null; then exec bash; else exec sh; fi']);
    });

  addLabTarget(program.command('vppctl').description('VPP\'s CLI in the lab (interactive without arguments); vppctl\'s exit code is ours'))
    .argument('[args...]', 'a VPP CLI command, e.g. show interface')
    .passThroughOptions()
    .action(async (args: string[], options: LabTargetOptions) => {
      const { docker, nodeContainer, execAttached } = await engine();
      const { id } = await nodeContainer(docker, await labName(options), VPP_NODE);
      process.exitCode = await execAttached(docker, id, vppctlCommand(args), { stdin: args.length === 0 });
    });
}

/** The engine modules these commands share, loaded when one runs (not at every start of the CLI). */
async function engine() {
  const [{ createDockerClient }, { nodeContainer }, { execAttached }] = await Promise.all([
    import('../engine/docker-client.js'),
    import('../engine/lab-state.js'),
    import('../engine/exec.js'),
  ]);
  return { docker: await createDockerClient(), nodeContainer, execAttached };
}
