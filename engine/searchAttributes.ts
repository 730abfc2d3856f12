import { invalidArgument } from './errors';
import type { Namespaces, SearchAttributeTypeName } from './namespaces';
import type { Payload, SearchAttributes } from './proto';
import type { NamespaceRecord } from './store/store';

export type SearchAttributeValue = string | number | boolean | string[] | null;

const decoder = new TextDecoder();

function payloadJson(p: Payload): unknown {
  if (!p.data || p.data.length === 0) return null;
  try {
    return JSON.parse(decoder.decode(p.data));
  } catch {
    return undefined;
  }
}

/** A search attribute payload as a plain value; Datetime becomes epoch milliseconds. */
export function decodeSearchAttribute(p: Payload, type: SearchAttributeTypeName | undefined): SearchAttributeValue | undefined {
  const json = payloadJson(p);
  if (json === null) return null;
  if (type === 'KeywordList') {
    if (typeof json === 'string') return [json];
    return Array.isArray(json) && json.every((x) => typeof x === 'string') ? (json as string[]) : undefined;
  }
  // SDKs wrap single values in a one-element array (the older encoding); both forms are accepted.
  let raw = json;
  if (Array.isArray(raw)) {
    if (raw.length === 0) return null;
    if (raw.length > 1) return undefined;
    raw = raw[0];
  }
  switch (type) {
    case 'Keyword':
    case 'Text':
      return typeof raw === 'string' ? raw : undefined;
    case 'Int':
      return typeof raw === 'number' && Number.isInteger(raw) ? raw : undefined;
    case 'Double':
      return typeof raw === 'number' ? raw : undefined;
    case 'Bool':
      return typeof raw === 'boolean' ? raw : undefined;
    case 'Datetime': {
      const ms = typeof raw === 'string' ? Date.parse(raw) : NaN;
      return Number.isNaN(ms) ? undefined : ms;
    }
    default:
      return undefined;
  }
}

/** Checks every attribute against the namespace's registry; returns the error the real server would give. */
export function validateSearchAttributes(namespaces: Namespaces, ns: NamespaceRecord, attrs: SearchAttributes | null | undefined): void {
  for (const [name, payload] of Object.entries(attrs?.indexedFields ?? {})) {
    const type = namespaces.writableAttributeType(ns, name);
    if (payload && decodeSearchAttribute(payload, type) === undefined) {
      throw invalidArgument(`invalid value for search attribute ${name} of type ${type}`);
    }
  }
}

/** Applies an upsert: a null/empty payload removes the attribute. */
export function mergeSearchAttributes(current: SearchAttributes | undefined, upsert: SearchAttributes | null | undefined): SearchAttributes {
  const fields = { ...(current?.indexedFields ?? {}) };
  for (const [name, payload] of Object.entries(upsert?.indexedFields ?? {})) {
    if (!payload || payloadJson(payload) === null) delete fields[name];
    else fields[name] = payload;
  }
  return { indexedFields: fields };
}

export function decodeAll(
  namespaces: Namespaces,
  ns: NamespaceRecord,
  attrs: SearchAttributes | undefined,
): Record<string, SearchAttributeValue> {
  const out: Record<string, SearchAttributeValue> = {};
  for (const [name, payload] of Object.entries(attrs?.indexedFields ?? {})) {
    const v = payload ? decodeSearchAttribute(payload, namespaces.attributeType(ns, name)) : undefined;
    if (v !== undefined) out[name] = v;
  }
  return out;
}
