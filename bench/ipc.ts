// Requests between the bench's coordinator and the processes it forks (one per device):
// `forkWorker` in the coordinator, `serveRequests` in the child. Each request is a named
// command with plain data; its answer (or error) comes back over the same IPC channel.
import { fork, type ChildProcess } from 'node:child_process';

/** Commands by name, each taking at most one parameter. */
type Handlers<H> = { [C in keyof H]: (params: never) => unknown };

interface Request {
  id: number;
  command: string;
  params: unknown;
}

type Response = { id: number; result: unknown } | { id: number; error: string };

export interface Worker<H extends Handlers<H>> {
  request<C extends keyof H & string>(command: C, ...params: Parameters<H[C]>): Promise<Awaited<ReturnType<H[C]>>>;
  /** Wait for the process to exit (after a request that ends it). */
  exited: Promise<void>;
  process: ChildProcess;
}

/** Fork `script` under tsx; `nodeArgs` go to its node (say, `--cpu-prof`). */
export function forkWorker<H extends Handlers<H>>(script: string, nodeArgs: string[] = []): Worker<H> {
  const child = fork(script, [], { execArgv: ['--import', 'tsx', ...nodeArgs], serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  // A bench that ends early must not leave its devices behind.
  const orphanGuard = () => child.kill('SIGKILL');
  process.once('exit', orphanGuard);
  const pending = new Map<number, { resolve: (value: never) => void; reject: (error: Error) => void }>();
  const exited = new Promise<void>((resolve) =>
    child.once('exit', (code) => {
      process.off('exit', orphanGuard);
      for (const p of pending.values()) p.reject(new Error(`${script} exited with ${code}`));
      resolve();
    }),
  );
  child.on('message', (message: Response) => {
    const p = pending.get(message.id);
    pending.delete(message.id);
    if ('error' in message) p?.reject(new Error(`${script}: ${message.error}`));
    else p?.resolve(message.result as never);
  });
  let next = 0;
  return {
    request: (command, ...params) =>
      new Promise((resolve, reject) => {
        const id = ++next;
        pending.set(id, { resolve, reject });
        child.send({ id, command, params: params[0] } satisfies Request);
      }),
    exited,
    process: child,
  };
}

/** In a forked process: answer the coordinator's requests, one at a time, in order. */
export function serveRequests<H extends Handlers<H>>(handlers: H): void {
  let queue = Promise.resolve();
  process.on('message', (message: Request) => {
    queue = queue.then(async () => {
      let response: Response;
      try {
        const handler = (handlers as Record<string, ((params: never) => unknown) | undefined>)[message.command];
        if (!handler) throw new Error(`no command ${message.command}`);
        response = { id: message.id, result: await handler(message.params as never) };
      } catch (error) {
        response = { id: message.id, error: error instanceof Error ? (error.stack ?? error.message) : String(error) };
      }
      process.send!(response);
    });
  });
}
