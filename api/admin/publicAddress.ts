/**
 * Whether citizens can reach the address printed on their papers. The QR code and verification
 * link of every copy, and the CRL address of every certificate, are built on PUBLIC_BASE_URL; while
 * it is a loopback address (the default, http://localhost:<port>) no phone can open them, and the
 * administrators' screens say so.
 */
import { isLoopbackUrl } from '../../infra/publicLinks';
import type { RouteSpec } from '../route';

export const publicAddressRoutes: RouteSpec[] = [
  {
    method: 'get',
    path: '/api/admin/public-address',
    access: { right: 'USER_ADMIN' },
    summary: 'The public address printed in copies’ QR codes and verification links (PUBLIC_BASE_URL), and whether it is a loopback one no citizen can open',
    output: '{baseUrl (null when the API prints no links), loopback}',
    handler: ({ ctx }) => {
      const baseUrl = ctx.links?.baseUrl ?? null;
      return { body: { baseUrl, loopback: baseUrl !== null && isLoopbackUrl(baseUrl) } };
    },
  },
];
