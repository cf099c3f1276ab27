import { ArgumentsHost, Logger } from '@nestjs/common';
import { mongo } from 'mongoose';
import { ErrorCode, ServiceUnavailableError, ValidationFailedError } from '../errors';
import { ProblemFilter } from './problem.filter';

/** The ProblemFilter is where a failed request is logged when no request logger is kept. */
describe('ProblemFilter logging', () => {
  const host = () => {
    const reply = { status: jest.fn(), header: jest.fn(), send: jest.fn() };
    reply.status.mockReturnValue(reply);
    reply.header.mockReturnValue(reply);
    const request = { id: 'corr-123', url: '/integrations/custom/inbound' };
    const http = { getRequest: () => request, getResponse: () => reply };
    return { reply, host: { switchToHttp: () => http } as unknown as ArgumentsHost };
  };
  let warn: jest.SpyInstance;
  let error: jest.SpyInstance;
  beforeEach(() => {
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    error = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
  });
  afterEach(() => jest.restoreAllMocks());

  it('logs an expected outage (503) once, with its correlationId', () => {
    const { host: h, reply } = host();
    const outage = new ServiceUnavailableError(ErrorCode.QueueUnavailable, 'Redis is unreachable');
    new ProblemFilter().catch(outage, h);
    expect(reply.status).toHaveBeenCalledWith(503);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0][0]).toMatchObject({
      correlationId: 'corr-123',
      status: 503,
      path: '/integrations/custom/inbound',
    });
    expect(error).not.toHaveBeenCalled();
  });

  it('logs an unexpected error as an error, with its correlationId', () => {
    const { host: h } = host();
    new ProblemFilter().catch(new Error('boom'), h);
    expect(error).toHaveBeenCalledTimes(1);
    expect(error.mock.calls[0][0]).toMatchObject({ correlationId: 'corr-123' });
  });

  it('answers a store that cannot be reached 503 STORE_UNAVAILABLE, logged as an outage', () => {
    const { host: h, reply } = host();
    const unreachable = new mongo.MongoNetworkError('connect ECONNREFUSED 127.0.0.1:27018');
    new ProblemFilter().catch(unreachable, h);
    expect(reply.status).toHaveBeenCalledWith(503);
    expect(reply.send.mock.calls[0][0]).toMatchObject({ code: 'STORE_UNAVAILABLE', status: 503 });
    expect(warn).toHaveBeenCalledTimes(1);
    expect(error).not.toHaveBeenCalled();
  });

  it('does not log a caller’s mistake (4xx)', () => {
    const { host: h } = host();
    new ProblemFilter().catch(new ValidationFailedError([{ path: 'data', message: 'bad' }]), h);
    expect(warn).not.toHaveBeenCalled();
    expect(error).not.toHaveBeenCalled();
  });
});
