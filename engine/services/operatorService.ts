/** The part of temporal.api.operatorservice.v1.OperatorService that tools and SDK tests use: search attributes and Nexus endpoints. */
import type { Engine } from '../engine';
import { invalidArgument } from '../errors';
import type { ServiceHandlers } from '../grpcServer';
import { nexusEndpointHandlers } from '../nexus/endpointService';
import { indexedValueType, searchAttributeTypeFromIndexed, SYSTEM_SEARCH_ATTRIBUTES, type SearchAttributeTypeName } from '../namespaces';

export function operatorServiceHandlers(engine: Engine): ServiceHandlers {
  const nsName = (namespace: string | null | undefined) => (namespace ? namespace : engine.namespaces.list()[0]?.name ?? 'default');
  return {
    ...nexusEndpointHandlers(engine),
    AddSearchAttributes: async (req: { namespace?: string | null; searchAttributes?: Record<string, number> | null }) => {
      const attrs: Record<string, SearchAttributeTypeName> = {};
      for (const [name, value] of Object.entries(req.searchAttributes ?? {})) {
        const type = searchAttributeTypeFromIndexed(value);
        if (!type) throw invalidArgument(`unknown search attribute type ${value} for ${name}`);
        attrs[name] = type;
      }
      await engine.namespaces.addSearchAttributes(nsName(req.namespace), attrs);
      return {};
    },
    RemoveSearchAttributes: async (req: { namespace?: string | null; searchAttributes?: string[] | null }) => {
      await engine.namespaces.removeSearchAttributes(nsName(req.namespace), req.searchAttributes ?? []);
      return {};
    },
    ListSearchAttributes: (req: { namespace?: string | null }) => {
      const ns = engine.namespaces.get(nsName(req.namespace));
      const toIndexed = (m: Record<string, string>) =>
        Object.fromEntries(Object.entries(m).map(([k, v]) => [k, indexedValueType(v as SearchAttributeTypeName)]));
      return { customAttributes: toIndexed(ns.searchAttributes), systemAttributes: toIndexed(SYSTEM_SEARCH_ATTRIBUTES), storageSchema: {} };
    },
  };
}
