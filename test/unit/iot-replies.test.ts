import { describe, expect, it } from 'vitest';
import { DomainError, errorCodes } from '../../api/core/errors.ts';
import { rejection } from '../../api/devices/device-reply.ts';
import { deviceAdviceOf, replyPayload } from '../../iot/replies.ts';

describe('device replies', () => {
  it.each(errorCodes)('%s maps to what the device should do', (code) => {
    expect(['fix_message', 'retry_later', 'stop']).toContain(deviceAdviceOf(code));
  });

  it('carries the closed code, the message key and the advice', () => {
    const reply = rejection(7, new DomainError('unauthorized', 'device_revoked', { params: { code: 'GLU-1' } }));
    expect(JSON.parse(replyPayload(reply))).toEqual({
      seq: 7,
      status: 'rejected',
      error: {
        code: 'unauthorized',
        key: 'device_revoked',
        advice: 'stop',
        message: 'Device GLU-1 is revoked: nothing was applied.',
        messageIt: 'Il dispositivo GLU-1 è revocato: non è stato applicato nulla.',
        fields: [],
      },
    });
  });

  it('sends a reply stored with a message key as its code as it was stored', () => {
    const stored = { seq: 3, status: 'rejected', error: { code: 'insufficient_stock', key: 'insufficient_stock' } };
    expect(JSON.parse(replyPayload(stored as never))).toEqual(stored);
  });

  it('sends an accepted reply as it is', () => {
    const reply = { seq: 1, status: 'accepted' as const, movements: 1, notes: [], requests: [] };
    expect(JSON.parse(replyPayload(reply))).toEqual(reply);
  });
});
