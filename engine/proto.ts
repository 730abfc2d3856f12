/**
 * Typed access to the Temporal API messages as plain objects.
 *
 * Requests are decoded with `toObject({ longs: Number })`, so every int64 is a JS number
 * (event ids and durations stay far below 2^53). `Plain<T>` mirrors the generated
 * `$Properties` types with `Long` replaced by `number`.
 */
import * as protoModule from '@temporalio/proto';
import { temporal, google } from '@temporalio/proto';
import type { Root } from 'protobufjs';
import type Long from 'long';

export { temporal, google };
/** The package's export is the protobufjs reflection root itself. */
export const root = protoModule as unknown as Root;

type Primitive = string | number | boolean | bigint | symbol | null | undefined;
export type Plain<T> = T extends Long
  ? number
  : T extends Primitive
    ? T
    : T extends Uint8Array
      ? Uint8Array
      : T extends ReadonlyArray<infer U>
        ? Plain<U>[]
        : { [K in keyof T]: Plain<T[K]> };

export const enums = temporal.api.enums.v1;
export const EventType = temporal.api.enums.v1.EventType;
export type EventType = temporal.api.enums.v1.EventType;

export type HistoryEvent = Plain<temporal.api.history.v1.HistoryEvent.$Properties>;
export type Payloads = Plain<temporal.api.common.v1.Payloads.$Properties>;
export type Payload = Plain<temporal.api.common.v1.Payload.$Properties>;
export type Failure = Plain<temporal.api.failure.v1.Failure.$Properties>;
export type Header = Plain<temporal.api.common.v1.Header.$Properties>;
export type Memo = Plain<temporal.api.common.v1.Memo.$Properties>;
export type SearchAttributes = Plain<temporal.api.common.v1.SearchAttributes.$Properties>;
export type RetryPolicy = Plain<temporal.api.common.v1.RetryPolicy.$Properties>;
export type Command = Plain<temporal.api.command.v1.Command.$Properties>;
export type ProtocolMessage = Plain<temporal.api.protocol.v1.Message.$Properties>;
export type UserMetadata = Plain<temporal.api.sdk.v1.UserMetadata.$Properties>;
export type Priority = Plain<temporal.api.common.v1.Priority.$Properties>;
export type WorkflowExecutionInfo = Plain<temporal.api.workflow.v1.WorkflowExecutionInfo.$Properties>;

export interface DurationLike {
  seconds?: number | null;
  nanos?: number | null;
}

/** Duration message → milliseconds; absent or zero means "not set". */
export function durationMs(d: DurationLike | null | undefined): number {
  if (!d) return 0;
  return Number(d.seconds ?? 0) * 1000 + Math.floor(Number(d.nanos ?? 0) / 1e6);
}

export function msDuration(ms: number): { seconds: number; nanos: number } {
  const whole = Math.floor(ms / 1000);
  return { seconds: whole, nanos: Math.round((ms - whole * 1000) * 1e6) };
}

export const timestampMs = durationMs;
export const msTimestamp = msDuration;

export function encodeMessage(typeName: string, value: object): Uint8Array {
  return root.lookupType(typeName).encode(value).finish();
}

/** Wraps a message as google.protobuf.Any, the way the server carries protocol bodies and error details. */
export function packAny(typeName: string, value: object): { type_url: string; value: Uint8Array } {
  return { type_url: `type.googleapis.com/${typeName}`, value: encodeMessage(typeName, value) };
}

export function unpackAny<T>(any: { type_url?: string | null; value?: Uint8Array | null } | null | undefined): {
  typeName: string;
  value: T;
} | null {
  if (!any?.type_url) return null;
  const typeName = any.type_url.replace(/^type\.googleapis\.com\//, '');
  const type = root.lookupType(typeName);
  const decoded = type.decode(any.value ?? new Uint8Array());
  return { typeName, value: type.toObject(decoded, { longs: Number }) as T };
}
