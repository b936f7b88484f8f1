import type { Actor, Context } from '../api/core/context.ts';
import { applyDeviceMessage } from '../api/devices/apply-device-message.ts';
import { rejection, type DeviceReply } from '../api/devices/device-reply.ts';
import type { DeviceRow } from '../api/devices/register-device.ts';
import { decodeJson, notJson } from './decode.ts';
import type { MessageKind } from './topics.ts';

/**
 * One message from a device as it arrived on `topic`: its bytes decoded as JSON (refused when they are not),
 * then applied once by the core (applyDeviceMessage). Returns the reply for the device (null: none).
 */
export async function handleDeviceMessage(
  ctx: Context & { actor: Actor },
  device: DeviceRow,
  kind: MessageKind,
  payload: Uint8Array,
  topic: string,
): Promise<DeviceReply | null> {
  const decoded = decodeJson(payload);
  if (!decoded.ok) return rejection(null, notJson());
  return applyDeviceMessage(ctx, device, kind, decoded.value, topic);
}
