import { describe, expect, it } from 'vitest';
import { engineProblem, inWords, EngineError } from '../../src/engine/engine-errors.js';

const socketError = (code: string, path = '/var/run/docker.sock') => Object.assign(new Error(`connect ${code} ${path}`), { code });

describe('engine errors in words', () => {
  it('a missing socket: start the engine, or DOCKER_HOST', () => {
    expect(engineProblem(socketError('ENOENT', '/tmp/nope.sock'), { DOCKER_HOST: 'unix:///tmp/nope.sock' })).toEqual({
      message: 'no Docker engine at unix:///tmp/nope.sock: the socket /tmp/nope.sock does not exist',
      fix: expect.stringMatching(/^start the engine .*DOCKER_HOST/),
    });
  });

  it('permission denied: the docker group, or the rootless socket, with the commands', () => {
    const problem = engineProblem(socketError('EACCES'), {})!;
    expect(problem.message).toBe('permission denied on the Docker engine\'s socket /var/run/docker.sock');
    expect(problem.fix).toContain('sudo usermod -aG docker "$USER"');
    expect(problem.fix).toContain('DOCKER_HOST=unix://$XDG_RUNTIME_DIR/docker.sock');
  });

  it('a DOCKER_HOST that names nothing, or nothing listening', () => {
    expect(engineProblem(Object.assign(new Error('getaddrinfo ENOTFOUND bogus'), { code: 'ENOTFOUND' }), { DOCKER_HOST: 'bogus' })?.message).toBe(
      'the host in DOCKER_HOST=bogus cannot be resolved',
    );
    expect(engineProblem(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), { DOCKER_HOST: 'tcp://127.0.0.1:1' })?.message).toBe(
      'nothing accepts connections at tcp://127.0.0.1:1',
    );
  });

  it('an API version the engine does not speak, in the engine\'s own words', () => {
    const tooNew = Object.assign(new Error('(HTTP code 400) unexpected - client version 1.99 is too new. Maximum supported API version is 1.41'), { statusCode: 400 });
    expect(engineProblem(tooNew, { DOCKER_API_VERSION: '1.99' })).toEqual({
      message: 'the Docker engine at unix:///var/run/docker.sock speaks API 1.41 at most; vppkit asked for 1.99 (DOCKER_API_VERSION)',
      fix: 'unset DOCKER_API_VERSION (vppkit then speaks the engine\'s own version), or set it to 1.41',
    });
    const tooOld = Object.assign(new Error('client version 1.41 is too old. Minimum supported API version is 1.44, please upgrade your client'), { statusCode: 400 });
    expect(engineProblem(tooOld, { DOCKER_API_VERSION: '1.41' })?.fix).toBe('unset DOCKER_API_VERSION, or set it to 1.44 or newer');
  });

  it('leaves every other error as it is', () => {
    const other = new Error('no such image');
    expect(engineProblem(other, {})).toBeUndefined();
    expect(inWords(other, {})).toBe(other);
    const worded = inWords(socketError('EACCES'), {});
    expect(worded).toBeInstanceOf(EngineError);
    expect((worded as Error).cause).toMatchObject({ code: 'EACCES' });
  });
});
