import type { DeviceKind } from '../../db/schema/index.ts';
import { DomainError } from '../core/errors.ts';

/** The kinds of message a device sends, each on its own topic (iot/topics.ts): levels, readings… */
export const messageKinds = ['levels', 'readings', 'rfid', 'status', 'heartbeat'] as const;
export type MessageKind = (typeof messageKinds)[number];

/**
 * What each kind of device may send: the one table. Cabinets and shelves report levels, RFID cabinets
 * snapshots, wearables and telehealth devices readings; every device reports its status and heartbeat.
 * Anything else is refused before it touches stock (a glucometer's `levels` would book consumption).
 */
export const messageKindsOf: Record<DeviceKind, readonly MessageKind[]> = {
  smart_cabinet: ['levels', 'status', 'heartbeat'],
  smart_shelf: ['levels', 'status', 'heartbeat'],
  rfid_cabinet: ['rfid', 'status', 'heartbeat'],
  glucometer: ['readings', 'status', 'heartbeat'],
  insulin_pump: ['readings', 'status', 'heartbeat'],
  oxygen_concentrator: ['readings', 'status', 'heartbeat'],
  telehealth: ['readings', 'status', 'heartbeat'],
};

/** Whether a device of `deviceKind` may send messages of `kind`. */
export const maySend = (deviceKind: DeviceKind, kind: MessageKind) => messageKindsOf[deviceKind].includes(kind);

/** The refusal of a message its device's kind may not send. */
export const kindNotAllowed = (deviceKind: DeviceKind, kind: MessageKind) =>
  new DomainError('forbidden', 'device_kind_message', {
    params: { deviceKind, kind, allowed: messageKindsOf[deviceKind].join(', ') },
    fields: [
      { field: '(topic)', message: `a ${deviceKind} may send ${messageKindsOf[deviceKind].join(', ')}, not ${kind}` },
    ],
  });

/** The refusal of a message of a device revoked (or gone) by the time its transaction runs. */
export const deviceRevoked = (code: string) =>
  new DomainError('unauthorized', 'device_revoked', {
    params: { code },
    fields: [{ field: '(device)', message: code }],
  });
