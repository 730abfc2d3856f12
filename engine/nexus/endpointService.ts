/** OperatorService's Nexus endpoint methods. */
import type { Engine } from '../engine';
import { failedPrecondition } from '../errors';
import type { ServiceHandlers } from '../grpcServer';
import { temporal, type Plain } from '../proto';
import { endpointMessage } from './endpoints';

import OS = temporal.api.operatorservice.v1;

export function nexusEndpointHandlers(engine: Engine): ServiceHandlers {
  const registry = engine.nexusEndpoints;
  return {
    CreateNexusEndpoint: async (req: Plain<OS.CreateNexusEndpointRequest.$Properties>) => ({
      endpoint: endpointMessage(await registry.create(req.spec, engine.clock.now())),
    }),
    UpdateNexusEndpoint: async (req: Plain<OS.UpdateNexusEndpointRequest.$Properties>) => ({
      endpoint: endpointMessage(await registry.update(req.id, Number(req.version ?? 0), req.spec, engine.clock.now())),
    }),
    DeleteNexusEndpoint: async (req: Plain<OS.DeleteNexusEndpointRequest.$Properties>) => {
      const current = registry.get(req.id);
      if (req.version && Number(req.version) !== current.version) {
        throw failedPrecondition(`nexus endpoint version mismatch: expected ${current.version}, got ${req.version}`);
      }
      await registry.delete(req.id);
      return {};
    },
    GetNexusEndpoint: (req: Plain<OS.GetNexusEndpointRequest.$Properties>) => ({ endpoint: endpointMessage(registry.get(req.id)) }),
    ListNexusEndpoints: (req: Plain<OS.ListNexusEndpointsRequest.$Properties>) => {
      const page = registry.list(req.pageSize ?? 0, req.nextPageToken, req.name);
      return { endpoints: page.endpoints.map(endpointMessage), nextPageToken: page.nextPageToken ?? Buffer.alloc(0) };
    },
  };
}
